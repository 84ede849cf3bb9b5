import type { BreakerSource, BreakerState, IngressStatus, ReadinessProbe } from './http/index.js';
import type { LlmGateway, LlmStats } from './llm/index.js';
import type { Storage } from './storage/index.js';
import type { TelegramEdge } from './telegram/index.js';

/**
 * What `/readyz` checks: the database answers (when the runtime has one)
 * and Telegram updates are coming in. Each probe is bounded by the HTTP
 * layer's probe timeout. In cluster mode only the leader polls: with
 * `pollsHere` saying this member is not it, polling that is not running
 * here is as it should be. (The cluster's own check comes with
 * `HttpDeps.cluster`.)
 */
export function readinessProbes(
  storage: Pick<Storage, 'ping'> | null,
  telegram: Pick<TelegramEdge, 'status'>,
  options: { pollsHere?: () => boolean } = {},
): ReadinessProbe[] {
  const probes: ReadinessProbe[] = [
    {
      name: 'telegram',
      check: () => {
        const status = telegram.status();
        if (status.mode === 'polling' && options.pollsHere?.() === false) return { ready: true };
        if (status.stalled) {
          const waited = Math.round(status.stalledForMs / 1000);
          return {
            ready: false,
            reason: `Telegram ${status.mode} ingress stalled: ${status.updatesInFlight} updates waiting, offset not advancing for ${waited}s`,
          };
        }
        if (status.ingressRunning) return { ready: true };
        const why = status.lastPollError === null ? '' : `: ${status.lastPollError}`;
        return { ready: false, reason: `Telegram ${status.mode} ingress is not running${why}` };
      },
    },
  ];
  if (storage !== null) {
    probes.unshift({
      name: 'storage',
      check: async () => {
        await storage.ping();
        return { ready: true };
      },
    });
  }
  return probes;
}

/** The Telegram ingress's stall as the admin API reports it. */
export function ingressStatus(telegram: Pick<TelegramEdge, 'status'>): IngressStatus {
  const status = telegram.status();
  return { stalled: status.stalled, stalledForMs: status.stalledForMs, updatesWaiting: status.updatesInFlight };
}

/** The LLM gateway's circuit breaker for the alerts panel. */
export function llmBreakers(llm: Pick<LlmGateway, 'stats'>): BreakerSource {
  return { breakers: () => [llmBreakerState(llm.stats())] };
}

/**
 * The gateway's breaker as the alerts panel shows it. The gateway reports
 * no opening time, so `since` stays null; `failures` counts failed Groq calls.
 */
function llmBreakerState(stats: LlmStats): BreakerState {
  return {
    name: 'groq',
    state: stats.breaker === 'half-open' ? 'half_open' : stats.breaker,
    since: null,
    failures: stats.failures,
  };
}
