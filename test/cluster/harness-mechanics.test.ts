/*
 * The multi-process harness checked against single-process members
 * (`CLUSTER_MODE=off`): spawn and URL, traffic, the checker and the state
 * comparison must work before the cluster scenarios can rely on them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ClusterHarness, compareRuns, referenceRun, trafficScript, violations } from '../support/cluster-harness.js';

const script = trafficScript({
  groups: 6,
  membersPerGroup: 3,
  privates: 2,
  messagesPerGroup: 20,
  messagesPerPrivate: 4,
  triggerEvery: 7,
});
const RATE = 100;
const harnesses: ClusterHarness[] = [];

afterAll(async () => {
  for (const h of harnesses) await h.close();
});

describe('the multi-process harness on single-process members', () => {
  it('runs a script through a real process, checks it, and finds it equal to a second run; a doctored state is caught', async () => {
    const harness = await ClusterHarness.open({ label: 'mech', cluster: false });
    harnesses.push(harness);
    const member = await harness.cluster.start('one');
    expect(member.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await harness.cluster.ready(member, 30_000);
    const traffic = harness.traffic(script);
    await traffic.run(RATE);
    await harness.drained(60_000);
    const run = await harness.finish(traffic.injected);
    expect(member.exit, harness.output()).toEqual({ code: 0, signal: null });
    expect(violations(run.check), harness.output()).toEqual([]);
    expect(run.check.processed).toBe(script.length);
    expect(run.check.replies).toBeGreaterThan(0);

    const reference = await referenceRun('mech_ref', script, RATE);
    expect(violations(reference.check)).toEqual([]);
    expect(compareRuns(reference, run)).toEqual([]);

    // The checker sees a lost, a doubled and a swapped message, and a reply sent twice.
    const [first, second] = [...run.states.keys()];
    const doctored = new Map(run.states);
    const lost = structuredClone(run.states.get(first as number)!);
    lost.processedMessages--;
    doctored.set(first as number, lost);
    const swapped = structuredClone(run.states.get(second as number)!);
    const users = swapped.chat.history.filter((h) => !h.bot);
    [users[0]!.text, users[1]!.text] = [users[1]!.text, users[0]!.text];
    doctored.set(second as number, swapped);
    const { checkRun } = await import('../../bench/cluster/chat-check.js');
    const sent = [...harness.botApi.sent, harness.botApi.sent.find((s) => s.replyToMessageId !== undefined)!];
    const check = checkRun(run.injected, doctored, sent);
    expect(check.lost.length).toBeGreaterThan(0);
    expect(check.outOfOrder.length).toBe(1);
    expect(check.duplicateReplies.length).toBe(1);
    expect(compareRuns(reference, { ...run, states: doctored }).length).toBeGreaterThan(0);
  }, 180_000);
});
