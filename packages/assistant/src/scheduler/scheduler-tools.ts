/**
 * The appointment desk's six tools: list_services, check_availability, book_appointment, reschedule_appointment,
 * cancel_appointment and list_appointments. They read and write through an {@link AppointmentRepository}, check
 * times against the {@link DeskSettings}, and answer JSON objects whose times are ISO 8601 with the desk's offset.
 */
import type { DateTime } from 'luxon';
import type { AppointmentRecord, AppointmentRepository } from '../storage/records.js';
import { findFreeSlots, nearestSlots, nowInDesk } from './availability.js';
import { checkBookableDay, checkStart } from './booking-rules.js';
import { normaliseContact } from './contact.js';
import type { DeskSettings } from './desk-settings.js';
import {
  describeInstant,
  describeTime,
  inZone,
  parseCalendarDate,
  parseStart,
  toDeskIso,
} from './desk-time.js';
import {
  bookAppointmentArgs,
  cancelAppointmentArgs,
  checkAvailabilityArgs,
  idValue,
  listAppointmentsArgs,
  listServicesArgs,
  rescheduleAppointmentArgs,
} from './scheduler-schemas.js';
import { describeServiceChoices, findService, SERVICES, shortestService } from './services.js';
import type { ServiceInfo } from './services.js';
import { defineTool, toolError } from './tool-definition.js';
import type { ToolDefinition, ToolLogger, ToolOutput } from './tool-definition.js';

export interface SchedulerToolsOptions {
  readonly appointments: AppointmentRepository;
  readonly settings: DeskSettings;
  /** Receives storage failures (the model only hears that the system is unavailable). */
  readonly logger?: ToolLogger;
}

/** How many free times a "taken" answer suggests. */
const SUGGESTIONS = 4;

/** "a", "a and b", "a, b and c". */
function listInWords(items: readonly string[]): string {
  return items.length > 1
    ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
    : (items[0] ?? '');
}

/** The service of a stored appointment (storage only holds catalogue names). */
function serviceOf(record: AppointmentRecord): ServiceInfo {
  return findService(record.service) ?? shortestService();
}

/** The six scheduler tools, in a fixed order. */
export function createSchedulerTools(options: SchedulerToolsOptions): ToolDefinition[] {
  const { appointments, settings, logger } = options;
  const zone = settings.timeZone;
  const iso = (value: Date | DateTime): string => toDeskIso(value, zone);
  const spoken = (value: Date): string => describeInstant(inZone(value, zone));

  /** A stored start, or the sentence why a `start` argument can't be one. */
  function readStart(text: string): { ok: true; value: DateTime } | { ok: false; error: string } {
    const parsed = parseStart(text, zone);
    if (parsed.ok) return parsed;
    if (parsed.reason === 'gap')
      return {
        ok: false,
        error: `"${text}" doesn't exist in ${zone}: the clocks skip that hour. Please choose another time.`,
      };
    return {
      ok: false,
      error: `"${text}" isn't a real date and time. Please give the start time as YYYY-MM-DDTHH:mm, for example 2026-11-24T15:00.`,
    };
  }

  /**
   * " Free times nearest to it: 2:00 PM, 2:30 PM, 3:30 PM and 4:00 PM." (the free starts that day nearest to
   * `wanted`), or that nothing else is free. A moved appointment's own time is free for it but is not offered.
   */
  async function suggestions(
    wanted: DateTime,
    service: ServiceInfo,
    moving?: AppointmentRecord,
  ): Promise<string> {
    const free = await findFreeSlots(
      appointments,
      settings,
      wanted,
      service.durationMinutes,
      moving?.id,
    );
    const others = free.filter((slot) => slot.toMillis() !== moving?.start.getTime());
    if (others.length === 0) return ' Nothing else is free that day.';
    return ` Free times nearest to it: ${listInWords(nearestSlots(others, wanted, SUGGESTIONS).map(describeTime))}.`;
  }

  /**
   * The appointment `id` if the caller may change it: booked with `contact` (IDs are small numbers anyone could
   * say; contacts are stored normalised, and compared as `listByContact` finds them), not cancelled, not past. An unknown ID and a contact that does not match get the same answer, so the
   * tool never tells whether someone else's appointment exists.
   */
  async function changeable(
    id: number,
    contactText: string,
    verb: 'moved' | 'cancelled',
  ): Promise<{ ok: true; record: AppointmentRecord } | { ok: false; error: string }> {
    const contact = normaliseContact(contactText);
    if (!contact.ok)
      return {
        ok: false,
        error: 'Please give the email address or phone number the appointment was booked with.',
      };
    const record = await appointments.get(id);
    if (!record || record.contact !== contact.value)
      return {
        ok: false,
        error: `I couldn't find appointment ${id} booked under that email address or phone number. Please check both.`,
      };
    if (record.status === 'cancelled')
      return {
        ok: false,
        error:
          verb === 'cancelled'
            ? `Appointment ${id} is already cancelled.`
            : `Appointment ${id} was cancelled, so it can't be moved. Please book a new appointment instead.`,
      };
    if (record.start.getTime() <= settings.now().getTime())
      return {
        ok: false,
        error: `Appointment ${id} was on ${spoken(record.start)}, which has passed, so it can't be ${verb}.`,
      };
    return { ok: true, record };
  }

  const listServices = defineTool({
    name: 'list_services',
    description:
      'Lists the services the desk offers, with their duration, price and a short description.',
    parameters: listServicesArgs,
    example: '{}',
    logger,
    run: () =>
      Promise.resolve({
        services: SERVICES.map((s) => ({
          name: s.name,
          duration_minutes: s.durationMinutes,
          price: s.price,
          description: s.description,
        })),
      }),
  });

  const checkAvailability = defineTool({
    name: 'check_availability',
    description:
      `Lists the free start times on a day for a service (${describeServiceChoices()}). ` +
      `Without a service it checks the shortest one. Times are ISO 8601 with the desk's UTC offset (${zone}).`,
    parameters: checkAvailabilityArgs,
    example: '{"date":"2026-11-24","service":"basic"}',
    logger,
    run: async (args): Promise<ToolOutput> => {
      const day = parseCalendarDate(args.date, zone);
      if (!day.ok)
        return toolError(
          `"${args.date}" isn't a real calendar date. Please give the date as YYYY-MM-DD.`,
        );
      const problem = checkBookableDay(settings, day.value);
      if (problem) return toolError(problem);
      const service = args.service
        ? (findService(args.service) ?? shortestService())
        : shortestService();
      const slots = await findFreeSlots(appointments, settings, day.value, service.durationMinutes);
      return { date: args.date, service: service.name, slots: slots.map(iso) };
    },
  });

  const bookAppointment = defineTool({
    name: 'book_appointment',
    description:
      `Books an appointment for a service (${describeServiceChoices()}) at a start time, for a name and an ` +
      `email address or phone number. Local times are read in ${zone}. Check availability first when unsure. ` +
      'Answers the appointment ID.',
    parameters: bookAppointmentArgs,
    example:
      '{"name":"Alex","contact":"alex@example.com","service":"premium","start":"2026-11-24T15:00"}',
    logger,
    run: async (args): Promise<ToolOutput> => {
      const contact = normaliseContact(args.contact);
      const service = findService(args.service);
      if (!contact.ok || !service) return toolError('Please give a valid contact and service.');
      const start = readStart(args.start);
      if (!start.ok) return toolError(start.error);
      const check = checkStart(settings, start.value, service);
      if (!check.ok) return toolError(check.error);
      const written = await appointments.book({
        name: args.name,
        contact: contact.value,
        service: service.name,
        start: check.start.toJSDate(),
        end: check.end.toJSDate(),
      });
      if (!written.ok)
        return toolError(
          `${describeInstant(check.start)} is already booked.` +
            (await suggestions(check.start, service)),
        );
      const a = written.appointment;
      return {
        id: a.id,
        service: a.service,
        start: iso(a.start),
        end: iso(a.end),
        name: a.name,
        contact: a.contact,
        price: serviceOf(a).price,
      };
    },
  });

  const rescheduleAppointment = defineTool({
    name: 'reschedule_appointment',
    description:
      `Moves a booked appointment (by its ID and the email address or phone number it was booked with) to a new ` +
      `start time (local times in ${zone}); the service and ID stay the same.`,
    parameters: rescheduleAppointmentArgs,
    example: '{"id":42,"start":"2026-11-24T15:00","contact":"alex@example.com"}',
    logger,
    run: async (args): Promise<ToolOutput> => {
      const id = idValue(args.id);
      const start = readStart(args.start);
      if (!start.ok) return toolError(start.error);
      const found = await changeable(id, args.contact, 'moved');
      if (!found.ok) return toolError(found.error);
      const service = serviceOf(found.record);
      const check = checkStart(settings, start.value, service);
      if (!check.ok) return toolError(check.error);
      const written = await appointments.reschedule(
        id,
        check.start.toJSDate(),
        check.end.toJSDate(),
      );
      if (!written.ok) {
        if (written.reason === 'taken')
          return toolError(
            `${describeInstant(check.start)} is already booked, so appointment ${id} stays where it was.` +
              (await suggestions(check.start, service, found.record)),
          );
        return toolError(
          `I couldn't find a booked appointment ${id}. Please check the appointment ID.`,
        );
      }
      const a = written.appointment;
      return { id: a.id, start: iso(a.start), end: iso(a.end), service: a.service };
    },
  });

  const cancelAppointment = defineTool({
    name: 'cancel_appointment',
    description:
      'Cancels a booked appointment (by its ID and the email address or phone number it was booked with) and frees its time.',
    parameters: cancelAppointmentArgs,
    example: '{"id":42,"contact":"alex@example.com"}',
    logger,
    run: async (args): Promise<ToolOutput> => {
      const id = idValue(args.id);
      const found = await changeable(id, args.contact, 'cancelled');
      if (!found.ok) return toolError(found.error);
      const written = await appointments.cancel(id);
      if (!written.ok)
        return toolError(
          written.reason === 'cancelled'
            ? `Appointment ${id} is already cancelled.`
            : `I couldn't find appointment ${id}. Please check the appointment ID.`,
        );
      return {
        id: written.appointment.id,
        status: 'cancelled',
        start: iso(written.appointment.start),
      };
    },
  });

  const listAppointments = defineTool({
    name: 'list_appointments',
    description:
      'Lists the upcoming booked appointments for an email address or phone number, soonest first.',
    parameters: listAppointmentsArgs,
    example: '{"contact":"alex@example.com"}',
    logger,
    run: async (args): Promise<ToolOutput> => {
      const contact = normaliseContact(args.contact);
      if (!contact.ok) return toolError('Please give a valid email address or phone number.');
      const now = nowInDesk(settings).toMillis();
      const records = await appointments.listByContact(contact.value);
      return {
        appointments: records
          .filter((a) => a.status === 'booked' && a.end.getTime() > now)
          .map((a) => ({
            id: a.id,
            service: a.service,
            start: iso(a.start),
            end: iso(a.end),
            name: a.name,
            summary: `appointment ${a.id}, ${a.service} on ${spoken(a.start)}`,
          })),
      };
    },
  });

  return [
    listServices,
    checkAvailability,
    bookAppointment,
    rescheduleAppointment,
    cancelAppointment,
    listAppointments,
  ];
}
