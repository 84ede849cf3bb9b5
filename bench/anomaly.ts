import { encode } from '@msgpack/msgpack';
import {
  type Anomaly,
  type AnomalyState,
  createAnomalyState,
  DEFAULT_CHAT_SETTINGS,
  observeJoins,
  observeMessage,
} from '../src/chat/index.js';
import {
  ChatSimulation,
  DAY_MS,
  type Incident,
  type RaidType,
  sortEvents,
  type TakeoverType,
  type TrafficEvent,
} from './anomaly-traffic.js';
import type { BenchContext, Scenario, ScenarioResult } from './report.js';

const RAID_TYPES: RaidType[] = ['flash', 'wave', 'trickle_links', 'trickle_text', 'sleepers'];
const TAKEOVER_TYPES: TakeoverType[] = ['spam_links', 'foreign_language', 'flood'];
/** Monday 5 January 2026, 00:00 UTC. */
const START_MS = Date.UTC(2026, 0, 5);
/** An alert this long after an incident's last event still counts as catching it. */
const GRACE_MS = 10 * 60_000;
/** Days of normal traffic before an incident: the baselines warm up and members become long-standing. */
const RAID_AFTER_DAYS = 16;
const TAKEOVER_AFTER_DAYS = 20;

/** One simulated chat run through the detectors, as the chat actor runs them. */
class DetectorRun {
  readonly state: AnomalyState = createAnomalyState();
  readonly alerts: Anomaly[] = [];
  readonly members = new Map<number, { firstSeenMs: number; joinedMs: number; messages: number }>();
  events = 0;
  detectNs = 0n;

  constructor(private readonly watchedSinceMs: number) {}

  replay(events: readonly TrafficEvent[]): void {
    const allow = DEFAULT_CHAT_SETTINGS.links.allow;
    for (const e of events) {
      const started = process.hrtime.bigint();
      if (e.type === 'join') {
        for (const id of e.userIds) {
          const m = this.members.get(id);
          if (m === undefined) this.members.set(id, { firstSeenMs: e.ms, joinedMs: e.ms, messages: 0 });
          else m.joinedMs = e.ms;
        }
        this.alerts.push(...observeJoins(this.state, e.userIds, e.ms).anomalies);
      } else {
        let m = this.members.get(e.userId);
        if (m === undefined) {
          m = { firstSeenMs: e.ms, joinedMs: 0, messages: 0 };
          this.members.set(e.userId, m);
        }
        const verdict = observeMessage(
          this.state,
          {
            userId: e.userId,
            text: e.text,
            firstSeenMs: m.firstSeenMs,
            joinedMs: m.joinedMs,
            messagesBefore: m.messages,
            watchedSinceMs: this.watchedSinceMs,
            allowedLinks: allow,
          },
          e.ms,
        );
        m.messages++;
        this.alerts.push(...verdict.anomalies);
      }
      this.detectNs += process.hrtime.bigint() - started;
      this.events++;
    }
  }
}

interface Tally {
  chatDays: number;
  falseAlerts: number;
  falseByKind: Record<string, number>;
  events: number;
  detectNs: bigint;
  stateBytes: number[];
  caught: Record<string, { caught: number; total: number }>;
  missed: string[];
  /** Takeover runs skipped: the chat was too quiet for any member to become long-standing. */
  noVictim: number;
}

function newTally(): Tally {
  return {
    chatDays: 0,
    falseAlerts: 0,
    falseByKind: {},
    events: 0,
    detectNs: 0n,
    stateBytes: [],
    caught: {},
    missed: [],
    noVictim: 0,
  };
}

/** Simulates `days` normal days of one chat, with an incident on the last one when given. */
function simulate(
  tally: Tally,
  seed: number,
  days: number,
  incident?: { kind: 'raid'; type: RaidType } | { kind: 'takeover'; type: TakeoverType },
): void {
  const sim = new ChatSimulation(seed);
  const run = new DetectorRun(START_MS);
  let injected: Incident | undefined;
  for (let d = 0; d < days; d++) {
    const dayStart = START_MS + d * DAY_MS;
    let events = sim.day(dayStart, d % 7);
    if (incident !== undefined && d === days - 1) {
      // During the chat's waking hours, as raids are.
      const at = dayStart + (9 + sim.random.next() * 12) * 3_600_000;
      let made;
      if (incident.kind === 'raid') made = sim.raid(incident.type, at);
      else {
        const victim = longStandingMember(sim, run, at);
        if (victim === undefined) {
          tally.noVictim++;
          return;
        }
        made = sim.takeover(incident.type, at, victim);
      }
      injected = made.incident;
      events = sortEvents([...events, ...made.events]);
    }
    run.replay(events);
  }
  tally.chatDays += days;
  tally.events += run.events;
  tally.detectNs += run.detectNs;
  tally.stateBytes.push(encode(run.state).byteLength);
  let caught = false;
  for (const alert of run.alerts) {
    const matches =
      injected !== undefined &&
      alert.atMs >= injected.startMs - 60_000 &&
      alert.atMs <= injected.endMs + GRACE_MS &&
      (injected.kind === 'raid'
        ? alert.kind !== 'takeover'
        : alert.kind === 'takeover' && alert.suspects.includes(injected.userId!));
    if (matches) caught = true;
    else {
      tally.falseAlerts++;
      tally.falseByKind[alert.kind] = (tally.falseByKind[alert.kind] ?? 0) + 1;
    }
  }
  if (injected !== undefined) {
    const key = `${injected.kind}:${injected.type}`;
    const entry = (tally.caught[key] ??= { caught: 0, total: 0 });
    entry.total++;
    if (caught) entry.caught++;
    if (!caught) tally.missed.push(`${key} (seed ${seed}, ${sim.members.length} members, ${sim.messagesPerDay}/day)`);
  }
}

/**
 * A member the detector knows well enough to judge a takeover: around for two
 * weeks with 40 messages seen. Picked in proportion to activity, as accounts
 * worth stealing are.
 */
function longStandingMember(sim: ChatSimulation, run: DetectorRun, nowMs: number): number | undefined {
  const eligible = sim.members.filter((m) => {
    const seen = run.members.get(m.id);
    return seen !== undefined && seen.messages >= 40 && nowMs - seen.firstSeenMs >= 14 * DAY_MS;
  });
  if (eligible.length === 0) return undefined;
  return eligible[sim.random.int(0, eligible.length - 1)]!.id;
}

function recall(tally: Tally, kind: 'raid' | 'takeover'): number {
  let caught = 0;
  let total = 0;
  for (const [key, entry] of Object.entries(tally.caught)) {
    if (!key.startsWith(`${kind}:`)) continue;
    caught += entry.caught;
    total += entry.total;
  }
  return total === 0 ? 0 : caught / total;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export const scenario: Scenario = {
  name: 'anomaly',
  description:
    'Raid and takeover detectors on seeded synthetic traffic: recall on injected raids and takeovers, false alerts on normal days',
  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const normalChats = ctx.quick ? 40 : 200;
    const normalDays = ctx.quick ? 21 : 45;
    const raidsPerType = ctx.quick ? 20 : 80;
    const takeoversPerType = ctx.quick ? 10 : 40;
    const tally = newTally();
    let seed = 1;
    for (let i = 0; i < normalChats; i++) {
      simulate(tally, seed++, normalDays);
      if (i % 10 === 0) ctx.progress(`normal chats ${i}/${normalChats}`);
    }
    for (const type of RAID_TYPES) {
      for (let i = 0; i < raidsPerType; i++) simulate(tally, seed++, RAID_AFTER_DAYS, { kind: 'raid', type });
      ctx.progress(`raids: ${type} done`);
    }
    for (const type of TAKEOVER_TYPES) {
      for (let i = 0; i < takeoversPerType; i++)
        simulate(tally, seed++, TAKEOVER_AFTER_DAYS, { kind: 'takeover', type });
      ctx.progress(`takeovers: ${type} done`);
    }
    const byType = Object.entries(tally.caught).map(([key, e]) => `${key} ${e.caught}/${e.total}`);
    const falseKinds = Object.entries(tally.falseByKind).map(([k, n]) => `${k} ${n}`);
    return {
      results: {
        anomaly_detect_recall: recall(tally, 'raid'),
        takeover_detect_recall: recall(tally, 'takeover'),
        false_alerts_per_chat_day: tally.falseAlerts / tally.chatDays,
        chat_days: tally.chatDays,
        detect_ns_per_event: Number(tally.detectNs) / tally.events,
        anomaly_state_p95_bytes: percentile(tally.stateBytes, 95),
        anomaly_state_max_bytes: Math.max(...tally.stateBytes),
      },
      targets: {
        anomaly_detect_recall: { '>=': 0.95 },
        false_alerts_per_chat_day: { '<=': 0.01 },
      },
      notes: [
        `${normalChats} chats × ${normalDays} normal days, ${raidsPerType} raids per type after ${RAID_AFTER_DAYS - 1} days, ${takeoversPerType} takeovers per type after ${TAKEOVER_AFTER_DAYS - 1} days; ${tally.events} events`,
        `caught: ${byType.join(', ')}${tally.noVictim > 0 ? ` (${tally.noVictim} takeover runs skipped: no member with 40 messages in the chat)` : ''}`,
        `false alerts by kind: ${falseKinds.length === 0 ? 'none' : falseKinds.join(', ')} (${tally.falseAlerts} in ${tally.chatDays} chat-days)`,
        ...(tally.missed.length === 0
          ? []
          : [`missed: ${tally.missed.slice(0, 12).join('; ')}${tally.missed.length > 12 ? '; …' : ''}`]),
      ],
    };
  },
};
