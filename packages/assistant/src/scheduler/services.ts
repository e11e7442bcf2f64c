/**
 * The desk's catalogue: what can be booked, for how long, and at what price. The names are the storage layer's
 * {@link ServiceName}s; durations decide how long an appointment blocks the calendar.
 */
import type { ServiceName } from '../storage/records.js';

/** A price in a currency's major unit (`{ amount: 45, currency: 'EUR' }` is 45 euros). */
export interface Price {
  readonly amount: number;
  /** ISO 4217 code. */
  readonly currency: string;
}

/** One bookable service. */
export interface ServiceInfo {
  readonly name: ServiceName;
  readonly durationMinutes: number;
  readonly price: Price;
  /** One line the assistant can read out. */
  readonly description: string;
}

/** Every service name, shortest first (the order tools list them in). */
export const SERVICE_NAMES = [
  'consultation',
  'basic',
  'premium',
] as const satisfies readonly ServiceName[];

/** The catalogue, shortest first. Descriptions avoid words the scenario reads as errors ("unknown", "taken"…). */
export const SERVICES: readonly ServiceInfo[] = [
  {
    name: 'consultation',
    durationMinutes: 30,
    price: { amount: 40, currency: 'EUR' },
    description: 'A 30-minute first conversation to understand what you need.',
  },
  {
    name: 'basic',
    durationMinutes: 60,
    price: { amount: 75, currency: 'EUR' },
    description: 'A one-hour standard session.',
  },
  {
    name: 'premium',
    durationMinutes: 90,
    price: { amount: 120, currency: 'EUR' },
    description: 'A 90-minute extended session with a written summary afterwards.',
  },
];

/** The service called `name` (exact, lowercase), or undefined. */
export function findService(name: string): ServiceInfo | undefined {
  return SERVICES.find((service) => service.name === name);
}

/** The shortest service: what availability is checked for when no service is named. */
export function shortestService(): ServiceInfo {
  return SERVICES.reduce((a, b) => (b.durationMinutes < a.durationMinutes ? b : a));
}

/** "consultation (30 min), basic (60 min) and premium (90 min)": for messages that list the choices. */
export function describeServiceChoices(): string {
  const parts = SERVICES.map((s) => `${s.name} (${s.durationMinutes} min)`);
  return parts.length > 1
    ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`
    : (parts[0] ?? '');
}

/** "EUR 120" → "€120.00" style text for one price (en-US formatting). */
export function formatPrice(price: Price): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: price.currency }).format(
    price.amount,
  );
}
