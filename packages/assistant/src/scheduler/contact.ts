/**
 * Contacts as the desk stores them: an email address in lowercase, or a phone number as digits with a leading `+`
 * ("+1 (555) 010-0100" and "001 555 010 0100" both become "+15550100100"), so one person's bookings are found again.
 */

export type NormalisedContact =
  | { readonly ok: true; readonly kind: 'email' | 'phone'; readonly value: string }
  | { readonly ok: false };

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:".]+(?:\.[^\s@<>(),;:".]+)+$/u;
const PHONE_SEPARATORS = /[\s().\-/]+/g;
const PHONE = /^\+?\d{6,15}$/;

/** An email address or phone number, normalised; `{ ok: false }` for anything else. */
export function normaliseContact(text: string): NormalisedContact {
  const trimmed = text.trim();
  if (trimmed.length <= 254 && EMAIL.test(trimmed))
    return { ok: true, kind: 'email', value: trimmed.toLowerCase() };
  let phone = trimmed.replace(PHONE_SEPARATORS, '');
  if (phone.startsWith('00')) phone = `+${phone.slice(2)}`;
  if (PHONE.test(phone)) return { ok: true, kind: 'phone', value: `+${phone.replace(/^\+/, '')}` };
  return { ok: false };
}
