import type { TokenBucket } from './chat-state.js';

/** A chat's budget for one member's bot interactions. */
export interface RateLimit {
  /** Interactions allowed in a burst. */
  capacity: number;
  /** Tokens regained per minute. */
  refillPerMinute: number;
}

/**
 * `allowed`: go ahead (a token was spent). `warn`: over the limit, tell the
 * member once. `silent`: over the limit and already told; say nothing until
 * the bucket refills.
 */
export type RateVerdict = 'allowed' | 'warn' | 'silent';

/** A full bucket for a member the bot has not limited yet. */
export function fullBucket(limit: RateLimit, nowMs: number): TokenBucket {
  return { tokens: limit.capacity, updatedMs: nowMs, warned: false };
}

/**
 * Spends one token of a member's bucket. Hand-written rather than taken from
 * a rate-limiting library because the bucket lives inside the persisted chat
 * state as plain numbers and time comes in as an argument, so a restarted
 * actor keeps its limits and tests need no clock; the libraries keep their
 * own timers and stores.
 */
export function takeToken(bucket: TokenBucket, limit: RateLimit, nowMs: number): RateVerdict {
  refill(bucket, limit, nowMs);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    bucket.warned = false;
    return 'allowed';
  }
  if (bucket.warned) return 'silent';
  bucket.warned = true;
  return 'warn';
}

/** Milliseconds until the bucket has a whole token again (0 when it has one). */
export function msUntilToken(bucket: TokenBucket, limit: RateLimit, nowMs: number): number {
  const copy = { ...bucket };
  refill(copy, limit, nowMs);
  if (copy.tokens >= 1) return 0;
  return Math.ceil(((1 - copy.tokens) * 60_000) / limit.refillPerMinute);
}

function refill(bucket: TokenBucket, limit: RateLimit, nowMs: number): void {
  // A clock that went backwards (restored snapshot from another host) refills nothing.
  const elapsedMs = Math.max(0, nowMs - bucket.updatedMs);
  bucket.tokens = Math.min(limit.capacity, bucket.tokens + (elapsedMs * limit.refillPerMinute) / 60_000);
  bucket.updatedMs = Math.max(bucket.updatedMs, nowMs);
}
