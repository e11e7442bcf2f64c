/**
 * The booking grid: appointments start and end on multiples of {@link BOOKING_GRID_MINUTES}, and the database
 * keeps one row per occupied grid unit, so that a primary key (not application code) forbids double bookings.
 */

/** The length of one grid unit. Every appointment's start and end are aligned to it (in UTC epoch time). */
export const BOOKING_GRID_MINUTES = 15;

const GRID_MS = BOOKING_GRID_MINUTES * 60_000;

/**
 * The start instants (epoch milliseconds) of every grid unit that [start, end) occupies.
 * @throws RangeError when a time is invalid, not aligned to the grid, or `end` is not after `start`
 *   (callers validate requests first; this is a programming error, not an expected outcome).
 */
export function gridUnitsOf(start: Date, end: Date): number[] {
  const from = start.getTime();
  const to = end.getTime();
  if (!Number.isFinite(from) || !Number.isFinite(to))
    throw new RangeError('appointment times must be valid dates');
  if (from % GRID_MS !== 0 || to % GRID_MS !== 0) {
    throw new RangeError(
      `appointment times must be aligned to the ${BOOKING_GRID_MINUTES}-minute booking grid`,
    );
  }
  if (to <= from) throw new RangeError('an appointment must end after it starts');
  const units: number[] = [];
  for (let unit = from; unit < to; unit += GRID_MS) units.push(unit);
  return units;
}
