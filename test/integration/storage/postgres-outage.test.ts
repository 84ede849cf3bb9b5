import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, PostgresDatabase, PostgresSnapshotStore } from '../../../src/storage/index.js';
import { CapturingLogger } from '../../support/capturing-logger.js';
import { startCounterRuntime } from '../../support/counter-runtime.js';
import { hostPort, TcpGate, throughGate } from '../../support/tcp-gate.js';
import { createTestSchema, type TestSchema } from '../../support/test-services.js';

describe('a Postgres outage', () => {
  let schema: TestSchema;
  let gate: TcpGate;

  beforeAll(async () => {
    schema = await createTestSchema('pg_outage');
    gate = await TcpGate.start(hostPort(schema.url, 5432));
  });

  afterAll(async () => {
    await gate.close();
    await schema.drop();
  });

  it('is ridden out: writes are retried, turns keep running, and nothing is lost once it returns', async () => {
    const gated = new PostgresDatabase({ url: throughGate(schema.url, gate) });
    await migrate(gated);
    const logger = new CapturingLogger();
    const runtime = await startCounterRuntime({
      durable: new PostgresSnapshotStore(gated),
      intervalMs: 30,
      retry: { minMs: 20, maxMs: 200 },
      logger,
    });
    const keys = Array.from({ length: 10 }, (_, i) => `chat:${i}`);
    const sent = new Map(keys.map((k) => [k, [] as number[]]));
    const send = (n: number): void => {
      for (const key of keys) {
        runtime.add(key, n);
        sent.get(key)?.push(n);
      }
    };
    send(1);
    await Promise.all(keys.map((k) => runtime.seen(k)));
    await Promise.all(keys.map((k) => runtime.writeBehind.afterFlush(k)));

    gate.cut();
    send(2);
    send(3);
    expect(await runtime.seen('chat:0')).toEqual([1, 2, 3]); // turns run while Postgres is gone
    const durable = Promise.all(keys.map((k) => runtime.writeBehind.afterFlush(k)));
    await expect.poll(() => runtime.writeBehind.stats().writeFailures, { timeout: 10_000 }).toBeGreaterThan(1);
    expect(runtime.writeBehind.stats().pending).toBe(keys.length);
    send(4);
    expect(logger.lines.some((l) => l.msg.includes('they stay pending and are retried'))).toBe(true);

    gate.restore();
    await durable;
    await runtime.stop();
    await gated.close();

    const direct = new PostgresDatabase({ url: schema.url });
    const after = await startCounterRuntime({ durable: new PostgresSnapshotStore(direct) });
    for (const [key, ns] of sent) expect(await after.seen(key)).toEqual(ns);
    await after.stop();
    await direct.close();
  });

  it('makes a stopping process wait for it until the deadline, then report what could not be written', async () => {
    const child = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), 'close-child.ts'), [], {
      env: { ...process.env, DATABASE_URL: throughGate(schema.url, gate) },
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`close child exited early with ${code}`)));
    });
    gate.cut();
    const started = Date.now();
    child.send({ stop: true });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    gate.restore();
    expect(code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(JSON.parse(stdout.trim())).toEqual({ unwrittenSnapshots: 1, unwrittenRows: 0 });
  });
});
