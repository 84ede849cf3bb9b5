import { type TString, type TStringOptions, Type } from 'typebox';

/** The ajv format every free-text input declares (registered in `buildHttpApp`). */
export const textFormat = {
  name: 'text',
  /** What the validation message says a value of this format must be. */
  rule: 'must not contain NUL characters or unpaired UTF-16 surrogates',
  // With the `u` flag a surrogate pair is one code point above U+FFFF, so
  // the class matches only a surrogate that is not part of a pair.
  validate: (value: string): boolean => !value.includes('\0') && !/[\uD800-\uDFFF]/u.test(value),
};

/**
 * A free-text input (search words, labels, banned words, filters). Postgres
 * cannot store NUL in text, and an unpaired surrogate is not Unicode at all
 * (no UTF-8 for it, and `jsonb` refuses its escape), so both are refused at
 * the schema with a 400 naming the field instead of failing in a query.
 */
export function Text(options: TStringOptions = {}): TString {
  return Type.String({ ...options, format: textFormat.name });
}
