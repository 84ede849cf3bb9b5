/**
 * Check digits of the identifiers the PII detector recognises. A number that
 * only looks like a card or an INN but fails its checksum is left alone, which
 * keeps order numbers and prices out of the redaction.
 */

/** Luhn check used by payment cards. `digits` holds only 0-9. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

const INN10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12_A = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12_B = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

/** Russian taxpayer number: 10 digits (organisations) or 12 (people), with check digits. */
export function innValid(digits: string): boolean {
  if (digits.length === 10) return innCheck(digits, INN10) === digits.charCodeAt(9) - 48;
  if (digits.length === 12) {
    return (
      innCheck(digits, INN12_A) === digits.charCodeAt(10) - 48 &&
      innCheck(digits, INN12_B) === digits.charCodeAt(11) - 48
    );
  }
  return false;
}

function innCheck(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (digits.charCodeAt(i) - 48) * weights[i]!;
  return (sum % 11) % 10;
}

/** Russian pension insurance number (СНИЛС): 11 digits, the last two a checksum. */
export function snilsValid(digits: string): boolean {
  if (digits.length !== 11) return false;
  // Numbers up to 001-001-998 were issued before checksums existed.
  if (Number(digits.slice(0, 9)) <= 1_001_998) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * (9 - i);
  let check = sum < 100 ? sum : sum === 100 || sum === 101 ? 0 : sum % 101;
  if (check === 100) check = 0;
  return check === Number(digits.slice(9));
}

/** IBAN: country, two check digits and an account, verified with ISO 7064 mod 97. */
export function ibanValid(iban: string): boolean {
  const s = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const rearranged = s.slice(4) + s.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}
