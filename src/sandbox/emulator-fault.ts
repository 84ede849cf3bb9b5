import type { FastifyReply, FastifyRequest } from 'fastify';

/** A fault an emulator can answer a call with instead of handling it. */
export type FaultKind = '429' | '5xx' | 'timeout' | 'reset';

export interface ScriptedFault<K extends string = FaultKind> {
  kind: K;
  /** Only calls to this method (Bot API method, or model for Groq); any when unset. */
  target?: string;
  /** How many matching calls get the fault. */
  count?: number;
  /** For 429: the wait announced to the client. */
  retryAfterS?: number;
}

/** Random faults: the probability of each kind per call. */
export type FaultRates<K extends string = FaultKind> = Partial<Record<Exclude<K, '429'>, number>>;

/**
 * Scripted faults first (in order, each for `count` calls), then random ones.
 * Faults are decided before a call has any effect, so a retried call never
 * duplicates what the faulted one would have done.
 */
export class FaultPlan<K extends string = FaultKind> {
  private scripted: Array<Required<Omit<ScriptedFault<K>, 'target'>> & { target: string | undefined }> = [];
  private rates: FaultRates<K> = {};

  add(fault: ScriptedFault<K>): void {
    this.scripted.push({
      kind: fault.kind,
      target: fault.target,
      count: fault.count ?? 1,
      retryAfterS: fault.retryAfterS ?? 1,
    });
  }

  setRates(rates: FaultRates<K>): void {
    this.rates = { ...rates };
  }

  clear(): void {
    this.scripted = [];
    this.rates = {};
  }

  /** The fault for a call to `target`, if any; `roll` draws a uniform number for random faults. */
  take(target: string, roll: () => number): { kind: K; retryAfterS: number } | null {
    const i = this.scripted.findIndex((f) => f.target === undefined || f.target === target);
    if (i >= 0) {
      const fault = this.scripted[i] as (typeof this.scripted)[number];
      if (--fault.count <= 0) this.scripted.splice(i, 1);
      return { kind: fault.kind, retryAfterS: fault.retryAfterS };
    }
    for (const [kind, p] of Object.entries(this.rates) as Array<[Exclude<K, '429'>, number | undefined]>) {
      if (p !== undefined && p > 0 && roll() < p) return { kind, retryAfterS: 1 };
    }
    return null;
  }
}

/**
 * Plays a connection-level fault: `reset` drops the connection at once,
 * `timeout` holds it without an answer for `holdMs` (or until the client
 * gives up) and then drops it. `held` collects the hold timers so closing the
 * emulator can clear them.
 */
export async function breakConnection(
  kind: 'reset' | 'timeout',
  request: FastifyRequest,
  reply: FastifyReply,
  holdMs: number,
  held: Set<NodeJS.Timeout>,
): Promise<undefined> {
  reply.hijack();
  if (kind === 'timeout') {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, holdMs);
      held.add(timer);
      request.raw.socket.once('close', () => {
        clearTimeout(timer);
        held.delete(timer);
        resolve();
      });
    });
  }
  request.raw.socket.destroy();
  return undefined;
}

/**
 * Reads a fault request posted to an emulator's `/_emulator/faults`
 * (`{"kind", "count"?, "<targetField>"?, "retry_after"?}`); null when malformed.
 */
export function parseFaultRequest(body: unknown, targetField: string): ScriptedFault | null {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (b.kind !== '429' && b.kind !== '5xx' && b.kind !== 'timeout' && b.kind !== 'reset') return null;
  const target = b[targetField];
  return {
    kind: b.kind,
    ...(typeof b.count === 'number' ? { count: b.count } : {}),
    ...(typeof target === 'string' ? { target } : {}),
    ...(typeof b.retry_after === 'number' ? { retryAfterS: b.retry_after } : {}),
  };
}
