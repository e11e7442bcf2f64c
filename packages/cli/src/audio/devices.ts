/**
 * Audio device discovery for `--list-devices` and the text-mode decision.
 */
import { execFile } from 'node:child_process';
import { CAPTURE_BACKENDS } from './capture-command.js';
import type { CaptureBackend } from './capture-command.js';
import { findCaptureBackend } from './capture.js';
import { PLAYBACK_BACKENDS, findPlaybackBackend } from './playback.js';
import type { PlaybackBackend } from './playback.js';

/** One device as listed by ALSA or PulseAudio. */
export interface AudioDevice {
  kind: 'input' | 'output';
  /** Where it was listed. */
  system: 'alsa' | 'pulse';
  /** What to pass to `--input-device` / `--output-device` (e.g. `hw:1,0`, `spk`). */
  id: string;
  description: string;
}

/** What {@link detectAudio} found. */
export interface AudioDetection {
  capture: CaptureBackend | null;
  playback: PlaybackBackend | null;
  /** A sentence for the user: what will be used, or why the CLI falls back to text mode. */
  reason: string;
}

/** Options for {@link detectAudio} and {@link listDevices}. */
export interface DeviceOptions {
  env?: NodeJS.ProcessEnv;
  captureBackends?: readonly CaptureBackend[];
  playbackBackends?: readonly PlaybackBackend[];
  /** Passed through: audio-io cannot select a device. */
  outputDevice?: string;
}

/**
 * Decides whether voice is possible: which capture and playback backends exist on this machine.
 * Cheap (PATH lookups only); a device that exists but fails to open is reported later by
 * `startCapture` / `openPlayback`.
 */
export function detectAudio(options: DeviceOptions = {}): AudioDetection {
  const env = options.env ?? process.env;
  const capture = findCaptureBackend(options.captureBackends ?? CAPTURE_BACKENDS, env);
  const playback = findPlaybackBackend({
    backends: options.playbackBackends ?? PLAYBACK_BACKENDS,
    device: options.outputDevice,
    env,
  });
  let reason: string;
  if (capture && playback) {
    reason = `Audio: microphone via ${capture}, speaker via ${playback}.`;
  } else {
    const missing = [
      capture ? null : 'no microphone recorder (arecord, parec or sox)',
      playback ? null : 'no speaker output (ALSA via audio-io, aplay or paplay)',
    ].filter((m): m is string => m !== null);
    reason = `No audio device: ${missing.join(' and ')} found, so this is text mode: type your messages.`;
  }
  return { capture, playback, reason };
}

/** Parses `arecord -l` / `aplay -l` output (`card 1: PCH [HDA Intel], device 0: ALC892 [..]`). */
export function parseAlsaList(text: string, kind: AudioDevice['kind']): AudioDevice[] {
  const devices: AudioDevice[] = [];
  const pattern = /^card (\d+): (\S+) \[([^\]]*)\], device (\d+): ([^[]*?)\s*\[([^\]]*)\]/;
  for (const line of text.split('\n')) {
    const m = pattern.exec(line);
    if (!m) continue;
    const [, card, , cardName, device, , deviceName] = m;
    devices.push({
      kind,
      system: 'alsa',
      id: `hw:${card},${device}`,
      description: `${cardName} — ${deviceName}`,
    });
  }
  return devices;
}

/** Parses `pactl list short sources|sinks` (tab-separated: index, name, driver, spec, state). */
export function parsePactlShort(text: string, kind: AudioDevice['kind']): AudioDevice[] {
  const devices: AudioDevice[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split('\t');
    const name = fields[1];
    if (!name) continue;
    devices.push({
      kind,
      system: 'pulse',
      id: name,
      description: [fields[3], fields[4]].filter(Boolean).join(', '),
    });
  }
  return devices;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: 3000 }, (error, stdout) => {
      resolve(error ? null : stdout);
    });
  });
}

/**
 * Lists input and output devices from whichever of `arecord -l`, `aplay -l` and `pactl` exist.
 * Tools that are missing or fail are skipped; the result may be empty.
 */
export async function listDevices(options: DeviceOptions = {}): Promise<AudioDevice[]> {
  const env = options.env ?? process.env;
  const [arecord, aplay, sources, sinks] = await Promise.all([
    run('arecord', ['-l'], env),
    run('aplay', ['-l'], env),
    run('pactl', ['list', 'short', 'sources'], env),
    run('pactl', ['list', 'short', 'sinks'], env),
  ]);
  return [
    ...parseAlsaList(arecord ?? '', 'input'),
    ...parsePactlShort(sources ?? '', 'input'),
    ...parseAlsaList(aplay ?? '', 'output'),
    ...parsePactlShort(sinks ?? '', 'output'),
  ];
}
