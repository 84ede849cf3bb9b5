// The hash itself is pure and shared with the edges; only the fingerprint below is the domain's.
export { fnv1a, mix32 } from '../runtime/fnv1a.js';

/**
 * FNV-1a of a text's letters and digits only, lower-cased: "Купи!!! сейчас"
 * and "купи сейчас" get the same fingerprint. `length` counts the characters
 * hashed. One pass, no intermediate string: it runs for every message.
 */
export function textFingerprint(text: string): { hash: number; length: number } {
  let hash = 0x811c9dc5;
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c <= 0x7f) {
      if (c >= 0x41 && c <= 0x5a) c += 0x20;
      else if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39))) continue;
    } else if (c >= 0x410 && c <= 0x42f) c += 0x20;
    else if (c === 0x401 || c === 0x451) c = 0x435;
    else if (!(c >= 0x430 && c <= 0x44f) && !(c >= 0xc0 && c <= 0x24f) && !(c >= 0xd800 && c <= 0xdfff)) continue;
    hash ^= c;
    hash = Math.imul(hash, 0x01000193);
    length++;
  }
  return { hash: hash >>> 0, length };
}
