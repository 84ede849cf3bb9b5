import { describe, expect, it } from 'vitest';
import { LiveFirstChatInsights, type ChatReport } from '../../../src/http/index.js';
import { Actor, type Message, ManualClock, type Reply } from '../../../src/runtime/index.js';
import { Supervisor } from '../../../src/supervisor/index.js';

type Msg =
  | { type: 'Touch' }
  | { type: 'Report'; reply: Reply<ChatReport> }
  | { type: 'Ignore'; reply: Reply<ChatReport> }
  | { type: 'Refuse'; reply: Reply<ChatReport> };
interface State {
  touched: number;
}

function report(chatId: number, state: State): ChatReport {
  return {
    chatId,
    mode: 'normal',
    generatedAt: '2026-01-01T00:00:00.000Z',
    messages: state.touched,
    activityByHour: new Array<number>(24).fill(0),
    activityByDay: [],
    mood: { score: 0, label: 'neutral', trend: [] },
    topMembers: [],
    allies: [],
    conflicts: [],
    topWords: [],
  };
}

class SmallActor extends Actor<Msg, State> {
  constructor(private readonly state: State) {
    super();
  }
  receive(msg: Msg): void {
    if (msg.type === 'Touch') {
      this.state.touched++;
      this.markDirty();
    } else if (msg.type === 'Report') msg.reply.resolve(report(Number(this.key), this.state));
    else if (msg.type === 'Refuse') msg.reply.reject(new Error('report generator crashed'));
    // Ignore: the actor never answers, as a stuck one would not.
  }
  snapshot(): State {
    return { ...this.state };
  }
}

function setUp(requestType: 'Report' | 'Ignore' | 'Refuse' = 'Report') {
  const clock = new ManualClock();
  const stored = new Map<number, State>();
  const supervisor = new Supervisor<number, Msg, State>({
    create: (_key, state) => new SmallActor({ touched: state?.touched ?? 0 }),
    load: (key) => stored.get(key),
    persist: (key, state) => void stored.set(key, state),
    clock,
    idleMs: 1000,
  });
  const insights = new LiveFirstChatInsights<Message & Msg, State>({
    actors: supervisor,
    requests: {
      report: (reply) => ({ type: requestType, reply }),
      userAnalytics: () => ({ type: 'Touch' }),
      allUserAnalytics: () => ({ type: 'Touch' }),
      settings: () => ({ type: 'Touch' }),
      lastPrompt: () => ({ type: 'Touch' }),
    },
    loadSnapshot: async (chatId) => stored.get(chatId),
    readers: {
      report,
      userAnalytics: () => undefined,
      allUserAnalytics: () => [],
      settings: () => ({
        mode: 'normal',
        language: 'auto',
        persona: null,
        personaTuning: null,
        rateLimitPerUserPerMin: 0,
        bannedWords: [],
        onViolation: 'warn',
        allowedLinkDomains: [],
        filters: { flood: true, links: true, pii: true },
        anomaly: { action: 'alert', minutes: 60 },
      }),
    },
    askTimeoutMs: 100,
  });
  return { clock, stored, supervisor, insights };
}

describe('LiveFirstChatInsights', () => {
  it('asks a live actor and reads a passivated one from its snapshot, activating nothing', async () => {
    const s = setUp();
    s.supervisor.tell(-1, { type: 'Touch' });
    s.supervisor.tell(-2, { type: 'Touch' });
    s.supervisor.tell(-2, { type: 'Touch' });
    await s.clock.advance(0);
    expect(await s.insights.chatReport(-1)).toMatchObject({ source: 'live', value: { chatId: -1, messages: 1 } });
    await s.clock.advance(5000);
    expect(s.supervisor.isLive(-2)).toBe(false);
    const activations = s.supervisor.stats().activations;
    expect(await s.insights.chatReport(-2)).toMatchObject({ source: 'snapshot', value: { chatId: -2, messages: 2 } });
    expect(await s.insights.chatReport(-3)).toBeUndefined();
    expect(s.supervisor.stats().activations).toBe(activations);
    await s.supervisor.shutdown();
  });

  it('falls back to the snapshot when the live actor does not answer in time', async () => {
    const s = setUp('Ignore');
    s.stored.set(-4, { touched: 7 });
    s.supervisor.tell(-4, { type: 'Touch' });
    await s.clock.advance(0);
    expect(s.supervisor.isLive(-4)).toBe(true);
    const asked = s.insights.chatReport(-4);
    await s.clock.advance(100);
    expect(await asked).toMatchObject({ source: 'snapshot', value: { messages: 7 } });
    await s.supervisor.shutdown();
  });

  it('passes on errors that are not the runtime being unavailable', async () => {
    const s = setUp('Refuse');
    s.supervisor.tell(-5, { type: 'Touch' });
    await s.clock.advance(0);
    await expect(s.insights.chatReport(-5)).rejects.toThrow('report generator crashed');
    await s.supervisor.shutdown();
  });
});
