import { appendFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FileTokenStore,
  issueToken,
  MemoryAuditLog,
  TokenFileCorruptError,
  TokenSecret,
} from '../../../src/http/index.js';
import { ManualClock } from '../../../src/runtime/index.js';
import { setUpAudit, setUpRevokeAudit } from '../../support/set-up-audit.js';

let dir: string;
let file: string;
let audit: MemoryAuditLog;
const clock = new ManualClock(Date.UTC(2026, 5, 1));

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lekha-tokens-'));
  file = path.join(dir, 'nested', 'admin-tokens.jsonl');
  audit = new MemoryAuditLog();
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileTokenStore', () => {
  it('keeps tokens across instances, as the CLI and the server share them', async () => {
    const cli = new FileTokenStore(file, audit);
    const { token, record } = await issueToken(
      cli,
      { role: 'operator', label: 'ops', createdBy: 'cli' },
      clock,
      setUpAudit,
    );
    const server = new FileTokenStore(file, audit);
    expect(await server.findByHash(TokenSecret.hash(token))).toEqual(record);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('sees a revocation made by another instance', async () => {
    const a = new FileTokenStore(file, audit);
    const b = new FileTokenStore(file, audit);
    const { token, record } = await issueToken(a, { role: 'viewer', label: 'v', createdBy: null }, clock, setUpAudit);
    expect((await b.findByHash(TokenSecret.hash(token)))?.revokedAt).toBeNull();
    await a.revoke(record.id, '2026-06-02T00:00:00.000Z', setUpRevokeAudit(record.id));
    expect((await b.findByHash(TokenSecret.hash(token)))?.revokedAt).toBe('2026-06-02T00:00:00.000Z');
    expect(await b.revoke('nope', '2026-06-02T00:00:00.000Z', setUpRevokeAudit('nope'))).toBeUndefined();
  });

  it('loses no token when two writers append at the same time', async () => {
    const a = new FileTokenStore(file, audit);
    const b = new FileTokenStore(file, audit);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        issueToken(i % 2 === 0 ? a : b, { role: 'viewer', label: `t${i}`, createdBy: null }, clock, setUpAudit),
      ),
    );
    expect((await new FileTokenStore(file, audit).list()).map((r) => r.label).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `t${i}`).sort(),
    );
  });

  it('answers an empty list before the first token, without creating the file', async () => {
    expect(await new FileTokenStore(file, audit).list()).toEqual([]);
    await expect(stat(file)).rejects.toThrow();
  });

  it('refuses a corrupt file with the line that is wrong, instead of guessing', async () => {
    const store = new FileTokenStore(file, audit);
    await issueToken(store, { role: 'viewer', label: 'ok', createdBy: null }, clock, setUpAudit);
    await appendFile(file, '{"op":"create","record":{"id":"x"}}\n');
    await expect(new FileTokenStore(file, audit).list()).rejects.toThrow(TokenFileCorruptError);
    await writeFile(file, 'not json\n');
    await expect(new FileTokenStore(file, audit).list()).rejects.toThrow(/admin-tokens.jsonl:1: not JSON/);
  });

  it('ignores a last line whose write has not finished yet', async () => {
    const store = new FileTokenStore(file, audit);
    await issueToken(store, { role: 'viewer', label: 'done', createdBy: null }, clock, setUpAudit);
    await appendFile(file, '{"op":"create","rec');
    expect((await new FileTokenStore(file, audit).list()).map((r) => r.label)).toEqual(['done']);
  });
});
