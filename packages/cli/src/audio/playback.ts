/**
 * Opening the speaker: the prebuilt `@echogarden/audio-io` addon when it can reach the device
 * (ALSA `default` only, so not with an explicit `--output-device`), otherwise `aplay` / `paplay`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isPlatformSupported } from '@echogarden/audio-io';
import { findExecutable } from './find-executable.js';
import { probePlayer } from './player-probe.js';
import { AudioIoPlayback } from './playback-audio-io.js';
import { PlaybackError } from './playback-base.js';
import type { AudioPlayback, PlaybackBackend } from './playback-base.js';
import { ProcessPlayback } from './playback-process.js';

export { PLAYBACK_INPUT_RATE, PlaybackError } from './playback-base.js';
export type { AudioPlayback, PlaybackBackend, PlaybackEvents } from './playback-base.js';

/** The playback backends in the default order of preference. */
export const PLAYBACK_BACKENDS: readonly PlaybackBackend[] = ['audio-io', 'aplay', 'paplay'];

/** Options for {@link openPlayback}. */
export interface PlaybackOptions {
  /** Backends to try, in order (default audio-io, aplay, paplay). */
  backends?: readonly PlaybackBackend[];
  /** Output device (`--output-device`); audio-io cannot select one, so it is skipped then. */
  device?: string;
  /** Device rate; audio is resampled from 24 kHz when different (default 24000). */
  deviceRate?: number;
  /** audio-io block length in ms (default 10, see `DEFAULT_AUDIO_IO_BLOCK_MS`). */
  blockMs?: number;
  /** Player latency estimate in ms for aplay/paplay (see `playback-process.ts`). */
  latencyMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Clock in ms (default `performance.now`). */
  now?: () => number;
}

/** Whether a backend can be used here (without opening the device). */
export function playbackAvailable(
  backend: PlaybackBackend,
  options: Pick<PlaybackOptions, 'device' | 'env'> = {},
): boolean {
  if (backend === 'audio-io') {
    const env = options.env ?? process.env;
    return options.device === undefined && isPlatformSupported() && hasAlsaDefault(env);
  }
  return findExecutable(backend, options.env) !== null;
}

/** The first usable playback backend, or null. */
export function findPlaybackBackend(options: PlaybackOptions = {}): PlaybackBackend | null {
  return (options.backends ?? PLAYBACK_BACKENDS).find((b) => playbackAvailable(b, options)) ?? null;
}

/**
 * Opens the first usable backend. The device is tried at once (audio-io opens it; aplay and paplay
 * are probed, see `player-probe.ts`), so a machine without a sound card fails here, with each
 * backend's reason, instead of on the first reply.
 * @throws PlaybackError when no backend works.
 */
export async function openPlayback(options: PlaybackOptions = {}): Promise<AudioPlayback> {
  const reasons: string[] = [];
  for (const backend of options.backends ?? PLAYBACK_BACKENDS) {
    if (!playbackAvailable(backend, options)) {
      reasons.push(
        backend === 'audio-io'
          ? options.device === undefined
            ? 'audio-io: no sound card or sound server'
            : 'audio-io: cannot select a device'
          : `${backend}: not installed`,
      );
      continue;
    }
    if (backend === 'audio-io') {
      const playback = new AudioIoPlayback(options);
      try {
        await playback.open();
        return playback;
      } catch (error) {
        reasons.push(`audio-io: ${error instanceof Error ? error.message : String(error)}`);
        await playback.close().catch(() => undefined);
        continue;
      }
    }
    try {
      await probePlayer({
        program: backend,
        ...(options.device !== undefined ? { device: options.device } : {}),
        ...(options.deviceRate !== undefined ? { deviceRate: options.deviceRate } : {}),
        ...(options.env !== undefined ? { env: options.env } : {}),
      });
    } catch (error) {
      reasons.push(error instanceof Error ? error.message : String(error));
      continue;
    }
    return new ProcessPlayback({ ...options, program: backend });
  }
  throw new PlaybackError(`No audio output (${reasons.join('; ')})`);
}

/**
 * The addon opens ALSA `default` inside a native thread and cannot report a missing card in
 * advance (ALSA then prints its errors straight to the terminal), so it is tried only where
 * `default` can lead somewhere: a sound card, a running PulseAudio or PipeWire server (its socket),
 * or an ALSA config of the user's choosing.
 */
function hasAlsaDefault(env: NodeJS.ProcessEnv): boolean {
  if (env.PULSE_SERVER !== undefined || env.ALSA_CONFIG_PATH !== undefined) return true;
  if (existsSync('/dev/snd')) return true;
  const runtimeDirs = [
    env.XDG_RUNTIME_DIR,
    process.getuid ? `/run/user/${process.getuid()}` : undefined,
  ].filter((dir): dir is string => dir !== undefined && dir !== '');
  return [
    ...runtimeDirs.flatMap((dir) => [join(dir, 'pulse', 'native'), join(dir, 'pipewire-0')]),
    '/run/pulse/native',
  ].some((socket) => existsSync(socket));
}
