import { pino } from 'pino';

/**
 * Error fields that carry user content rather than describe the failure:
 * a Bot API call's `payload` (the text of a message), a PGlite query's
 * `params` (row values: names, usernames, chat titles), a Postgres error's
 * `detail` ("Failing row contains (…)", "Key (…)=(…) already exists").
 */
const CONTENT_FIELDS = new Set(['payload', 'params', 'detail']);
const HIDDEN = '[hidden; LOG_UNSAFE_CONTENT=true shows it]';

/** What pino's error serializer makes of an error (its copies are the only objects changed here). */
const serializedErrorProto: unknown = Object.getPrototypeOf(pino.stdSerializers.err(new Error('prototype probe')));

/** pino's error serializer, without the fields of {@link CONTENT_FIELDS} (in nested errors too). */
export function contentSafeErrors(error: unknown): unknown {
  const serialized: unknown = pino.stdSerializers.err(error as Error);
  hideContent(serialized, 0);
  return serialized;
}

function hideContent(value: unknown, depth: number): void {
  if (depth > 8) return;
  if (Array.isArray(value)) {
    for (const item of value) hideContent(item, depth + 1);
    return;
  }
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== serializedErrorProto) return;
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (CONTENT_FIELDS.has(key)) fields[key] = HIDDEN;
    else hideContent(fields[key], depth + 1);
  }
}
