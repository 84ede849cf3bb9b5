import {
  type Anomaly,
  type AnomalyVerdict,
  chatLanguage,
  type ChatState as DomainChatState,
  type ObservedMessage,
  observeJoins,
  observeMessage,
  phrasebookFor,
} from '../chat/index.js';
import type { AnomalyActionKind } from '../ports/index.js';
import type { ChatActorDeps } from './chat-actor-deps.js';
import type { AnomalyActionDone } from './chat-messages.js';
import type { ChatTurn } from './chat-turn.js';

/** At most this many members are restricted for one alert (Telegram allows about 30 calls a second in all). */
const MAX_RESTRICTED_PER_ALERT = 100;

/** How long a refusal to restrict stands before a raid's later joins are tried again. */
const REFUSAL_MEMORY_MS = 15 * 60_000;

type ActionResult = { status: 'done' | 'refused' | 'failed'; outcome: string | null };

/**
 * A chat actor's side of anomaly detection: runs the pure detectors on
 * joins and messages inside the turn, then carries out what the chat's
 * `anomaly.action` setting asks — the alert (log, metric) always; the slow
 * down in the state; admin notices and restrictions as side effects whose
 * outcome comes back as `AnomalyActionDone`.
 */
export class ChatAnomalies {
  /** After Telegram refused the bot the right to restrict, later joins of the same raid are not tried (one refusal per raid). */
  private refusedAtMs = 0;
  /** A restriction is under way: members of the raid joining meanwhile wait for its outcome, then go in one batch. */
  private restricting = false;
  private waiting: number[] = [];
  private waitingUntilMs = 0;

  constructor(
    private readonly chatId: number,
    private readonly chat: () => DomainChatState,
    private readonly deps: ChatActorDeps,
    private readonly turn: ChatTurn,
  ) {}

  joined(userIds: readonly number[], nowMs: number): void {
    if (this.chatId > 0 || userIds.length === 0) return;
    this.act(observeJoins(this.chat().anomaly, userIds, nowMs), nowMs);
  }

  wrote(message: ObservedMessage, nowMs: number): void {
    if (this.chatId > 0 || message.text === '') return;
    this.act(observeMessage(this.chat().anomaly, message, nowMs), nowMs);
  }

  done(msg: AnomalyActionDone): void {
    const result: ActionResult = msg.outcome.ok
      ? msg.outcome.value
      : { status: 'failed', outcome: errorCode(msg.outcome.error) };
    if (msg.restricted === true) this.restricting = false;
    if (result.status === 'refused') {
      this.refusedAtMs = this.deps.clock.now();
      this.waiting = [];
    } else if (this.waiting.length > 0) this.restrict(0, this.waiting.splice(0), this.waitingUntilMs);
    if (result.status !== 'done') {
      this.deps.counters.anomalyActionsFailed.inc();
      this.deps.logger?.warn(
        { chatId: this.chatId, alertId: msg.alertId, status: result.status, outcome: result.outcome },
        'an anomaly action did not go through',
      );
    }
    if (msg.alertId > 0) this.deps.anomalies?.settle(msg.alertId, result.status, result.outcome);
  }

  private act(verdict: AnomalyVerdict, nowMs: number): void {
    const settings = this.chat().settings.anomaly;
    for (const anomaly of verdict.anomalies) this.raise(anomaly, settings.action, settings.minutes, nowMs);
    const refusedLately = this.refusedAtMs > 0 && nowMs - this.refusedAtMs < REFUSAL_MEMORY_MS;
    if (verdict.lateSuspects.length > 0 && settings.action === 'restrict' && !refusedLately)
      this.restrict(0, verdict.lateSuspects, nowMs + settings.minutes * 60_000);
  }

  private raise(anomaly: Anomaly, configured: AnomalyActionKind, minutes: number, nowMs: number): void {
    this.deps.counters.anomaly(anomaly.kind).inc();
    this.turn.markDirty();
    // Restricting is for a raid's newcomers; a long-standing member's odd behaviour is for admins to judge.
    const action: AnomalyActionKind =
      configured === 'restrict' && anomaly.kind === 'takeover' ? 'notify_admins' : configured;
    this.deps.logger?.warn(
      { chatId: this.chatId, kind: anomaly.kind, detail: anomaly.detail, suspects: anomaly.suspects.length, action },
      'anomaly detected',
    );
    const immediate = action === 'alert' || action === 'slow';
    const alertId =
      this.deps.anomalies?.record({
        chatId: this.chatId,
        kind: anomaly.kind,
        atMs: anomaly.atMs,
        detail: anomaly.detail,
        observed: anomaly.observed,
        expected: anomaly.expected,
        suspects: anomaly.suspects.length,
        action,
        status: immediate ? 'done' : 'pending',
        outcome: action === 'slow' ? `quiet toward new members for ${minutes} min` : null,
      }) ?? 0;
    if (action === 'slow') {
      const state = this.chat().anomaly;
      state.slowUntilMs = Math.max(state.slowUntilMs, nowMs + minutes * 60_000);
    } else if (action === 'notify_admins') this.notifyAdmins(alertId, anomaly);
    else if (action === 'restrict') this.restrict(alertId, anomaly.suspects, nowMs + minutes * 60_000);
  }

  private notifyAdmins(alertId: number, anomaly: Anomaly): void {
    const { durability, egress } = this.deps;
    const chatId = this.chatId;
    const text = phrasebookFor(chatLanguage(this.chat())).anomalyNotice(anomaly.kind, anomaly.detail);
    this.deps.counters.answers.inc();
    this.turn.pipe<ActionResult>(
      async () => {
        await durability.afterFlush(chatId);
        await egress.sendReply(chatId, text);
        return { status: 'done', outcome: 'admins told in the chat' };
      },
      (outcome) => ({ type: 'AnomalyActionDone', alertId, outcome }),
    );
  }

  private restrict(alertId: number, suspects: readonly number[], untilMs: number): void {
    if (this.restricting && alertId === 0) {
      this.waiting.push(...suspects);
      this.waitingUntilMs = untilMs;
      return;
    }
    this.restricting = true;
    const moderation = this.deps.moderation;
    const chatId = this.chatId;
    const targets = suspects.slice(0, MAX_RESTRICTED_PER_ALERT);
    this.turn.pipe<ActionResult>(
      async () => {
        if (moderation === undefined) return { status: 'refused', outcome: 'restricting members is not available' };
        if (!(await moderation.canRestrict(chatId)))
          return {
            status: 'refused',
            outcome: 'the bot is not a chat admin allowed to restrict members (can_restrict_members)',
          };
        let restricted = 0;
        let failed = 0;
        for (const userId of targets) {
          try {
            await moderation.restrict(chatId, userId, untilMs);
            restricted++;
          } catch {
            // One member Telegram refuses (an admin, someone who left) does not stop the others; counted below.
            failed++;
          }
        }
        const summary = `${restricted} new members restricted${failed > 0 ? `, ${failed} refused by Telegram` : ''}`;
        return { status: restricted === 0 && failed > 0 ? 'failed' : 'done', outcome: summary };
      },
      (outcome) => ({ type: 'AnomalyActionDone', alertId, restricted: true, outcome }),
    );
  }
}

/** The notice admins read in the chat: what was seen, in numbers; no names. */
function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string')
    return error.code;
  return error instanceof Error ? error.name : 'error';
}
