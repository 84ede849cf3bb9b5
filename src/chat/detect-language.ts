import type { Language } from './chat-state.js';
import type { TextScan } from './scan-text.js';

/**
 * The language of a message from its letters: Cyrillic is Russian unless
 * letters only Ukrainian uses appear; Latin is English (the only Latin
 * language the persona speaks). Text without letters (emoji, numbers) is
 * `other`, and callers fall back to the member's usual language.
 */
export function detectLanguage(scan: TextScan): Language {
  if (scan.cyrillic === 0 && scan.latin === 0) return 'other';
  if (scan.cyrillic >= scan.latin) return scan.ukrainian ? 'uk' : 'ru';
  return 'en';
}
