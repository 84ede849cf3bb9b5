import type { FinetuneMember } from '../../ports/index.js';
import { declineName } from '../name-declension.js';
import { redactPii } from '../pii-detector.js';

/** Shorter names would match inside ordinary words and sentences. */
const MIN_NAME_CHARS = 2;

const keyOf = (name: string): string => name.toLowerCase().replaceAll('ё', 'е');
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The texts of one chat made fit for training data: personal data redacted
 * again by the PII detector (texts were redacted when stored, but a detector
 * improved since may find more), then every known name of the chat's members
 * — first, last and full name, @username, and the Russian case forms of a
 * one-word name ("Маша" → "Машу", "Маше") — replaced by that member's
 * pseudonym. Case and ё do not matter; a name inside a longer word is left.
 */
export class MemberMasker {
  private readonly pattern: RegExp | null;
  private readonly byName = new Map<string, string>();

  constructor(members: readonly FinetuneMember[], pseudonymOf: (userId: number) => string) {
    for (const member of members) {
      const pseudonym = pseudonymOf(member.userId);
      for (const name of member.names) {
        const forms = /\s/.test(name.trim()) ? [name] : [name, ...declineName(name)];
        for (const form of forms) {
          const key = keyOf(form.trim());
          if ([...key].length >= MIN_NAME_CHARS && !this.byName.has(key)) this.byName.set(key, pseudonym);
        }
      }
    }
    const names = [...this.byName.keys()].sort((a, b) => b.length - a.length);
    this.pattern =
      names.length === 0
        ? null
        : new RegExp(
            `(?<![\\p{L}\\p{N}_])@?(?:${names.map((n) => escape(n).replace(/е/g, '[её]').replace(/\s+/g, '\\s+')).join('|')})(?![\\p{L}\\p{N}_])`,
            'giu',
          );
  }

  mask(text: string): string {
    const redacted = redactPii(text).text;
    if (this.pattern === null) return redacted;
    return redacted.replace(this.pattern, (found) => {
      const key = keyOf(found.replace(/^@/, '').replace(/\s+/g, ' '));
      return this.byName.get(key) ?? found;
    });
  }
}
