import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Experiment } from '../../src/http/schemas/experiment.js';
import { type Harness, startHarness, waitFor } from '../support/edge-harness.js';
import { createTestSchema, type TestSchema } from '../support/test-services.js';

// A/B experiments through the real runtime (`startRuntime` with Postgres, the
// admin API over HTTP): the API starts, pauses, resumes and stops one; the
// running experiment chats read follows every change and survives a
// restart; the readout counts what the reply ledger recorded.

const ADMIN_TOKEN = 'experiments-e2e-admin-token-0123456789';
const MINUTE = 60_000;

const body = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  variants: [
    { name: 'control', share: 1 },
    { name: 'short', share: 1, overrides: { replyLength: 'short' } },
  ],
  scoreWindowMs: 10 * MINUTE,
  ...extra,
});

async function api(
  h: Harness,
  method: string,
  route: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${h.runtime.http?.url}/api${route}`, {
    method,
    headers: {
      authorization: `Bearer ${options.token ?? ADMIN_TOKEN}`,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('experiments through startRuntime on Postgres', () => {
  let h: Harness;
  let schema: TestSchema;
  let viewer: string;

  beforeAll(async () => {
    schema = await createTestSchema('experiments_e2e');
    h = await startHarness({
      env: { ADMIN_TOKEN, DATABASE_URL: schema.url, SNAPSHOT_INTERVAL_MS: '100' },
      storage: true,
    });
    const created = await api(h, 'POST', '/tokens', { body: { role: 'viewer', label: 'experiments viewer' } });
    viewer = created.body['token'] as string;
  }, 60_000);

  afterAll(async () => {
    await h?.close();
    await schema?.drop();
  });

  it('lists no experiment and runs none at start', async () => {
    expect(await api(h, 'GET', '/experiments', { token: viewer })).toEqual({ status: 200, body: { experiments: [] } });
    expect(h.runtime.experiments.running()).toBeNull();
  });

  it('lets only an admin start one', async () => {
    const res = await api(h, 'POST', '/experiments', { token: viewer, body: body('by a viewer') });
    expect(res.status).toBe(403);
    expect((await api(h, 'GET', '/experiments')).body['experiments']).toEqual([]);
  });

  it('refuses a body its schema refuses, naming every problem, and starts nothing', async () => {
    const res = await api(h, 'POST', '/experiments', {
      body: { name: '', variants: [{ name: 'Control!', share: -1 }], minimumEffect: 2 },
    });
    expect(res.status).toBe(400);
    expect(res.body['code']).toBe('EXPERIMENT_INVALID');
    const issues = res.body['issues'] as string[];
    expect(issues.join('\n')).toMatch(/name: name must not be empty/);
    expect(issues.join('\n')).toMatch(/variants: an experiment needs at least two variants/);
    expect(issues.join('\n')).toMatch(/minimumEffect: minimumEffect is below 1/);
    expect(h.runtime.experiments.running()).toBeNull();
  });

  it('refuses a variant persona the catalog does not have, naming the ones it has', async () => {
    const personas = (await api(h, 'GET', '/personas')).body['personas'] as Array<{ name: string }>;
    const res = await api(h, 'POST', '/experiments', {
      body: body('ghost', {
        variants: [
          { name: 'control', share: 1 },
          { name: 'ghost', share: 1, persona: 'Призрак' },
        ],
      }),
    });
    expect(res.status).toBe(400);
    expect(res.body['code']).toBe('EXPERIMENT_INVALID');
    expect(res.body['message']).toContain(
      `variants.1.persona: no persona is named "Призрак" (there are: ${personas.map((p) => p.name).join(', ')})`,
    );
  });

  let first: Experiment;

  it('starts one: answered 201, audited, and the running experiment chats read at once', async () => {
    const personas = (await api(h, 'GET', '/personas')).body['personas'] as Array<{ name: string }>;
    const persona = personas[0]!.name;
    const res = await api(h, 'POST', '/experiments', {
      body: body('короче', {
        variants: [
          { name: 'control', share: 1 },
          // The persona as the catalog spells it, whatever the case it was given in.
          { name: 'short', share: 2, persona: persona.toUpperCase(), overrides: { replyLength: 'short' } },
        ],
      }),
    });
    expect(res.status).toBe(201);
    first = res.body as unknown as Experiment;
    expect(first).toMatchObject({
      name: 'короче',
      unit: 'chat',
      status: 'running',
      minimumEffect: 0.1,
      scoreWindowMs: 10 * MINUTE,
      stoppedAtMs: null,
    });
    expect(first.variants[1]).toMatchObject({ name: 'short', share: 2, persona, overrides: { replyLength: 'short' } });
    expect(h.runtime.experiments.running()?.id).toBe(first.id);
    const audit = await api(h, 'GET', '/audit?action=experiment.create');
    // Newest first: this start, after the refused ones (recorded as refused).
    const items = audit.body['items'] as Array<{ target: string; outcome: string; statusCode: number }>;
    expect(items[0]).toMatchObject({ target: 'experiments', outcome: 'ok', statusCode: 201 });
    expect(items.slice(1).map((i) => i.statusCode)).toEqual([400, 400, 403]);
  });

  it("records a chat's reply under the running experiment's variant, its text sealed", async () => {
    const member = { id: 424_242, firstName: 'Варвара' };
    h.botApi.injectMessage({ chatId: member.id, from: member, text: 'Привет! Как дела?' });
    const db = h.runtime.storage!.db;
    const recorded = async () =>
      (
        await db.query<{ experiment_id: number; variant: string; persona: string; text_cipher: Uint8Array }>(
          'SELECT experiment_id, variant, persona, text_cipher FROM bot_replies WHERE chat_id = $1',
          [member.id],
        )
      ).rows;
    await waitFor('the reply in bot_replies', async () => (await recorded()).length > 0);
    const [row] = await recorded();
    expect(row).toMatchObject({ experiment_id: first.id, variant: expect.stringMatching(/^(control|short)$/) });
    expect(row!.persona).toMatch(/@\d+$/);
    expect(row!.text_cipher.length).toBeGreaterThan(0);
  });

  it('refuses a second live experiment with 409 EXPERIMENT_CONFLICT', async () => {
    const res = await api(h, 'POST', '/experiments', { body: body('second') });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'EXPERIMENT_CONFLICT' });
    expect(res.body['message']).toContain(`experiment ${first.id} "короче" is running`);
    expect(h.runtime.experiments.running()?.id).toBe(first.id);
  });

  it('pauses (chats assign nothing) and resumes, audited', async () => {
    const paused = await api(h, 'PATCH', `/experiments/${first.id}`, { body: { status: 'paused' } });
    expect(paused).toMatchObject({ status: 200, body: { id: first.id, status: 'paused' } });
    expect(h.runtime.experiments.running()).toBeNull();
    const resumed = await api(h, 'PATCH', `/experiments/${first.id}`, { body: { status: 'running' } });
    expect(resumed.body['status']).toBe('running');
    expect(h.runtime.experiments.running()?.id).toBe(first.id);
    const audit = await api(h, 'GET', '/audit?action=experiment.status');
    expect((audit.body['items'] as Array<{ target: string }>).map((i) => i.target)).toEqual([
      `experiment:${first.id}`,
      `experiment:${first.id}`,
    ]);
  });

  it('refuses a change by a viewer, of an unknown experiment, or to an unknown status', async () => {
    expect(
      (await api(h, 'PATCH', `/experiments/${first.id}`, { token: viewer, body: { status: 'paused' } })).status,
    ).toBe(403);
    const missing = await api(h, 'PATCH', '/experiments/999999', { body: { status: 'paused' } });
    expect(missing).toMatchObject({ status: 404, body: { code: 'EXPERIMENT_NOT_FOUND' } });
    const bad = await api(h, 'PATCH', `/experiments/${first.id}`, { body: { status: 'finished' } });
    expect(bad.status).toBe(400);
    expect(h.runtime.experiments.running()?.id).toBe(first.id);
  });

  it('reads out the settled replies the ledger recorded, and names no winner before the minimum sample', async () => {
    const ledger = h.runtime.storage!.replyLedger();
    const now = Date.now();
    const sent = (i: number, variant: string, ago: number) => ({
      chatId: -7000 - i,
      messageId: 100 + i,
      triggerMessageId: 99 + i,
      sentAtMs: now - ago,
      persona: 'lekha@1',
      template: 'lekha-persona/3',
      experimentId: first.id,
      variant,
      styleRules: ['length'],
      text: `ответ ${i}`,
    });
    // Settled: sent more than the ten-minute window ago.
    ledger.reply(sent(1, 'control', 30 * MINUTE));
    ledger.reply(sent(2, 'control', 30 * MINUTE));
    ledger.reply(sent(3, 'short', 30 * MINUTE));
    ledger.signal({ chatId: -7001, messageId: 101, kind: 'reaction', value: 1, atMs: now - 29 * MINUTE });
    ledger.signal({ chatId: -7003, messageId: 103, kind: 'rate', value: 1, atMs: now - 28 * MINUTE });
    // Not settled yet: its window is still open.
    ledger.reply(sent(4, 'short', MINUTE));
    await h.runtime.storage!.appends.flush();

    const res = await api(h, 'GET', `/experiments/${first.id}/readout`, { token: viewer });
    expect(res.status).toBe(200);
    const readout = res.body['readout'] as {
      variants: Array<{ name: string; replies: number; successes: number }>;
      minimumSamplePerVariant: number;
      verdict: { kind: string; needed?: number };
    };
    expect(res.body['experiment']).toMatchObject({ id: first.id, status: 'running' });
    expect(readout.variants.map((v) => [v.name, v.replies])).toEqual([
      ['control', 2],
      ['short', 1],
    ]);
    expect(readout.verdict.kind).toBe('collecting');
    expect(readout.verdict.needed).toBe(readout.minimumSamplePerVariant - 1);
    expect((await api(h, 'GET', '/experiments/999999/readout')).status).toBe(404);
  });

  it('keeps the running experiment across a restart', async () => {
    await h.restart();
    expect(h.runtime.experiments.running()?.id).toBe(first.id);
  });

  it('stops for good: a stopped experiment is not resumed (409 EXPERIMENT_STOPPED), and a new one may start', async () => {
    const stopped = await api(h, 'PATCH', `/experiments/${first.id}`, { body: { status: 'stopped' } });
    expect(stopped.body).toMatchObject({ status: 'stopped' });
    expect(typeof stopped.body['stoppedAtMs']).toBe('number');
    expect(h.runtime.experiments.running()).toBeNull();
    const again = await api(h, 'PATCH', `/experiments/${first.id}`, { body: { status: 'running' } });
    expect(again).toMatchObject({ status: 409, body: { code: 'EXPERIMENT_STOPPED' } });
    expect(h.runtime.experiments.running()).toBeNull();
    const next = await api(h, 'POST', '/experiments', { body: body('next') });
    expect(next.status).toBe(201);
    expect(h.runtime.experiments.running()?.name).toBe('next');
    const list = (await api(h, 'GET', '/experiments')).body['experiments'] as Experiment[];
    expect(list.map((e) => [e.name, e.status])).toEqual([
      ['next', 'running'],
      ['короче', 'stopped'],
    ]);
  });
});

describe('experiments through startRuntime without storage', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_TOKEN } });
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it('keeps experiments in memory under the same rules, with empty readouts', async () => {
    const created = await api(h, 'POST', '/experiments', { body: body('in memory') });
    expect(created.status).toBe(201);
    const id = created.body['id'] as number;
    expect(h.runtime.experiments.running()?.id).toBe(id);
    expect((await api(h, 'POST', '/experiments', { body: body('second') })).status).toBe(409);
    const readout = await api(h, 'GET', `/experiments/${id}/readout`);
    expect(readout.status).toBe(200);
    expect((readout.body['readout'] as { verdict: { kind: string } }).verdict.kind).toBe('collecting');
    await api(h, 'PATCH', `/experiments/${id}`, { body: { status: 'stopped' } });
    expect((await api(h, 'PATCH', `/experiments/${id}`, { body: { status: 'paused' } })).status).toBe(409);
    expect(h.runtime.experiments.running()).toBeNull();
  });
});
