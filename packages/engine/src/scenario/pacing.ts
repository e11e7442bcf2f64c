import type { ScenarioPacing } from './schema.js';

/**
 * Pacing of one response, with `speed` applied: milliseconds and characters per second; 0 = unpaced. The same shape
 * as the session's `ResponsePacing`.
 */
export interface ResolvedPacing {
  firstDeltaMs: number;
  textCharsPerSecond: number;
  /** Audio is sent at its real duration divided by this factor; 0 = as fast as possible. */
  audioSpeed: number;
}

/** Pacing when a scenario sets none: a quick, natural-feeling stream. */
export const DEFAULT_PACING: Required<ScenarioPacing> = {
  first_delta_ms: 120,
  text_chars_per_second: 80,
  audio_speed: 1,
  speed: 1,
};

/**
 * Merges pacing levels (later wins) over {@link DEFAULT_PACING} and applies `speed`: times divide by it, rates
 * multiply by it; a speed of 0 makes everything unpaced. `speedOverride` (e.g. 0 for tests) replaces the merged speed.
 */
export function resolvePacing(
  levels: ReadonlyArray<ScenarioPacing | undefined>,
  speedOverride?: number,
): ResolvedPacing {
  const merged: Required<ScenarioPacing> = { ...DEFAULT_PACING };
  for (const level of levels) {
    if (level === undefined) continue;
    for (const [key, value] of Object.entries(level) as Array<[keyof ScenarioPacing, number]>) {
      if (value !== undefined) merged[key] = value;
    }
  }
  const speed = speedOverride ?? merged.speed;
  if (!(speed > 0) || !Number.isFinite(speed))
    return { firstDeltaMs: 0, textCharsPerSecond: 0, audioSpeed: 0 };
  return {
    firstDeltaMs: merged.first_delta_ms / speed,
    textCharsPerSecond: merged.text_chars_per_second * speed,
    audioSpeed: merged.audio_speed * speed,
  };
}
