/**
 * The scheduler tools' argument schemas. Each is the single source of both validation and the JSON schema the
 * model sees, and every field says what is wrong in a sentence the assistant can repeat to the user.
 * Business rules that need the clock or the desk's hours (past, closed, off-grid) are checked by the tools.
 */
import { z } from 'zod';
import { normaliseContact } from './contact.js';
import { describeServiceChoices, SERVICE_NAMES } from './services.js';

/** Longest accepted name. */
export const MAX_NAME_LENGTH = 80;

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const START_PATTERN =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const ID_TEXT = /^\s*#?\d{1,15}\s*$/;
const CONTROL = /\p{Cc}/u;

/** Quotes a value the model sent, shortened, for messages. */
function quoted(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;
}

const missing = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `Please give ${what}.` : undefined;

/** Whether a `YYYY-MM-DD` names a real calendar day (2026-02-30 does not). */
function isCalendarDate(text: string): boolean {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Whether a start's date and clock time are real (the zone is checked later). */
function isRealStart(text: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/i.exec(text.trim());
  if (!match?.[1] || !isCalendarDate(match[1])) return false;
  return Number(match[2]) < 24 && Number(match[3]) < 60 && Number(match[4] ?? 0) < 60;
}

const lowerOrNothing = (value: unknown): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() || undefined : value;

const serviceEnum = z.enum(SERVICE_NAMES, {
  error: (issue) =>
    issue.input === undefined
      ? `Please say which service: ${describeServiceChoices()}.`
      : `We don't offer ${quoted(issue.input)}. Our services are ${describeServiceChoices()}.`,
});

const SERVICE_DESCRIPTION = `The service: ${describeServiceChoices()}.`;

/** A required service name (case-insensitive). */
export const serviceField = z.preprocess(lowerOrNothing, serviceEnum).describe(SERVICE_DESCRIPTION);

/** An optional service name; empty counts as none. */
export const optionalServiceField = z
  .preprocess(lowerOrNothing, serviceEnum.optional())
  .describe(
    `${SERVICE_DESCRIPTION} Optional: without it, the shortest service (consultation) is checked.`,
  );

const DATE_HELP = 'as YYYY-MM-DD, for example 2026-11-24';

export const dateField = z
  .string({
    error: (i) => missing(`the date ${DATE_HELP}`)(i) ?? `The date must be written ${DATE_HELP}.`,
  })
  .trim()
  .regex(DATE_PATTERN, {
    abort: true,
    error: (i) => `${quoted(i.input)} isn't a date I can read. Please give the date ${DATE_HELP}.`,
  })
  .refine(isCalendarDate, {
    error: (i) =>
      `${quoted(i.input)} isn't a real calendar date. Please give the date ${DATE_HELP}.`,
  })
  .describe('The day, YYYY-MM-DD, in the desk’s time zone.');

const START_HELP =
  'as YYYY-MM-DDTHH:mm in the desk’s local time (for example 2026-11-24T15:00) or ISO 8601 with an offset (2026-11-24T15:00:00+01:00)';

export const startField = z
  .string({
    error: (i) =>
      missing(`the start time ${START_HELP}`)(i) ?? `The start time must be written ${START_HELP}.`,
  })
  .trim()
  .regex(START_PATTERN, {
    abort: true,
    error: (i) =>
      `${quoted(i.input)} isn't a time I can read. Please give the start time ${START_HELP}.`,
  })
  .refine(isRealStart, {
    error: (i) =>
      `${quoted(i.input)} isn't a real date and time. Please give the start time ${START_HELP}.`,
  })
  .describe(
    'When the appointment starts: ISO 8601 with an offset (2026-11-24T15:00:00+01:00), or a local wall time YYYY-MM-DDTHH:mm in the desk’s time zone.',
  );

export const nameField = z
  .string({ error: (i) => missing('the name for the booking')(i) ?? 'The name must be text.' })
  .trim()
  .min(1, { error: 'Please give the name for the booking.', abort: true })
  .max(MAX_NAME_LENGTH, {
    error: `That name is too long: names can have at most ${MAX_NAME_LENGTH} characters.`,
  })
  .refine((name) => !CONTROL.test(name), {
    error: "The name can't contain control characters such as line breaks or tabs.",
  })
  .describe(
    `The customer's name, as it should appear on the booking (at most ${MAX_NAME_LENGTH} characters).`,
  );

const CONTACT_HELP =
  'an email address like alex@example.com or a phone number like +1 555 010 0100';

export const contactField = z
  .string({
    error: (i) =>
      missing(`${CONTACT_HELP} to reach the customer`)(i) ?? `The contact must be ${CONTACT_HELP}.`,
  })
  .trim()
  .min(1, { error: `Please give ${CONTACT_HELP}.`, abort: true })
  .refine((text) => normaliseContact(text).ok, {
    error: (i) =>
      `${quoted(i.input)} isn't an email address or a phone number. Please give ${CONTACT_HELP}.`,
  })
  .describe('An email address or a phone number (with country code if possible).');

const notAnId = (issue: { input?: unknown }): string =>
  missing('the appointment ID (a number, like 42)')(issue) ??
  `${quoted(issue.input)} isn't an appointment ID. Appointment IDs are whole numbers, like 42.`;

export const idField = z
  .union(
    [
      z.number({ error: notAnId }).int({ error: notAnId }).positive({ error: notAnId }),
      z.string({ error: notAnId }).regex(ID_TEXT, { error: notAnId }),
    ],
    { error: notAnId },
  )
  .describe('The appointment ID: the number given when it was booked, like 42.');

/** An id argument as a number (the schema already checked its form). */
export function idValue(id: number | string): number {
  return typeof id === 'number' ? id : Number(id.trim().replace(/^#/, ''));
}

export const listServicesArgs = z.object({});

export const checkAvailabilityArgs = z.object({
  date: dateField,
  service: optionalServiceField,
});

export const bookAppointmentArgs = z.object({
  name: nameField,
  contact: contactField,
  service: serviceField,
  start: startField,
});

/** The contact an existing appointment was booked with: changing one needs it, so an ID alone is not enough. */
const bookedWithField = contactField.describe(
  'The email address or phone number the appointment was booked with (asked of the caller, never guessed).',
);

export const rescheduleAppointmentArgs = z.object({
  id: idField,
  start: startField,
  contact: bookedWithField,
});

export const cancelAppointmentArgs = z.object({ id: idField, contact: bookedWithField });

export const listAppointmentsArgs = z.object({
  contact: contactField.describe(
    'The email address or phone number the appointments were booked with.',
  ),
});
