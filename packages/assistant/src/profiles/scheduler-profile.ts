import { DateTime } from 'luxon';
import { createDeskSettings, describeWeeklyHours } from '../scheduler/desk-settings.js';
import { toRealtimeTools } from '../scheduler/realtime-tools.js';
import { createSchedulerTools } from '../scheduler/scheduler-tools.js';
import { describeServiceChoices } from '../scheduler/services.js';
import type { AssistantProfile } from './assistant-profile.js';

/** The appointment desk: books, moves and cancels appointments through its tools, in a real database. */
export const schedulerProfile: AssistantProfile = {
  name: 'scheduler',
  description: 'an appointment desk that books, moves and cancels appointments',
  instructions: ({ now, timeZone }) => {
    const desk = createDeskSettings({ timeZone });
    const today = DateTime.fromJSDate(now, { zone: timeZone });
    return [
      'You are the front desk of a small practice, speaking with a caller. Be brief, warm and precise.',
      `Services: ${describeServiceChoices()}. Opening hours: ${describeWeeklyHours(desk.hours)} (${timeZone}).`,
      `Today is ${today.toFormat('cccc, d LLLL yyyy')} and it is ${today.toFormat('HH:mm')} in ${timeZone}.`,
      'Use your tools for every fact about services, free times and appointments; never guess one.',
      'To book you need the service, the day and time, a name, and an email address or phone number: ask for',
      'whatever is missing, one thing at a time. Before booking, check availability when the caller is unsure.',
      'To move or cancel an appointment you need its number and the email address or phone number it was booked',
      'with: ask the caller for both, never fill in a contact yourself.',
      'Pass dates as YYYY-MM-DD and times as local wall time YYYY-MM-DDTHH:mm in the desk time zone.',
      'After a booking or a change, say the appointment number, the day and the time. When a tool answers with',
      'an error, tell the caller in one sentence and offer the alternatives it gives.',
    ].join(' ');
  },
  scenario: 'scheduler',
  needsStorage: true,
  tools: ({ storage, timeZone, now, logger }) =>
    toRealtimeTools(
      createSchedulerTools({
        appointments: storage.appointments,
        settings: createDeskSettings({
          ...(timeZone ? { timeZone } : {}),
          ...(now ? { now } : {}),
        }),
        ...(logger ? { logger } : {}),
      }),
    ),
};
