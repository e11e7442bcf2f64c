import { detectAudio, openPlayback, startCapture } from '../audio/index.js';
import type { AudioCapture, AudioPlayback, CaptureError } from '../audio/index.js';

/**
 * How long the microphone may take to either deliver audio or fail before voice mode is chosen. A
 * recorder with no device dies within a few ms ("audio open error"); a working one delivers its
 * first 20 ms soon after. A source that is silent until something is written to it (a pipe
 * source) delivers nothing at all, so after this long the recorder is taken as running.
 */
const CAPTURE_SETTLE_MS = 1000;

/** Voice (a microphone and a speaker are open) or text (and why). */
export type AudioMode =
  | { kind: 'voice'; capture: AudioCapture; playback: AudioPlayback; description: string }
  | { kind: 'text'; reason: string };

/** Options of {@link openAudio}. */
export interface AudioSetupOptions {
  readonly forceText: boolean;
  readonly inputDevice?: string;
  readonly outputDevice?: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Opens the microphone and the speaker, or says plainly why the conversation is typed instead. */
export async function openAudio(options: AudioSetupOptions): Promise<AudioMode> {
  if (options.forceText) return { kind: 'text', reason: 'Text mode (--text): type your messages.' };
  const detection = detectAudio({
    env: options.env,
    ...(options.outputDevice !== undefined ? { outputDevice: options.outputDevice } : {}),
  });
  if (!detection.capture || !detection.playback) {
    // The detection's reason says it all ("No audio device: … found, so this is text mode: …"), once.
    return { kind: 'text', reason: detection.reason };
  }
  let playback: AudioPlayback | null = null;
  try {
    playback = await openPlayback({
      env: options.env,
      ...(options.outputDevice !== undefined ? { device: options.outputDevice } : {}),
    });
    const capture = await startCapture({
      env: options.env,
      ...(options.inputDevice !== undefined ? { device: options.inputDevice } : {}),
    });
    const failed = await captureFailure(capture);
    if (failed) throw failed;
    return {
      kind: 'voice',
      capture,
      playback,
      description: `Voice mode: microphone via ${capture.backend}, speaker via ${playback.backend}. Speak, or type.`,
    };
  } catch (error) {
    await playback?.close().catch(() => undefined);
    const why = error instanceof Error ? error.message : String(error);
    return {
      kind: 'text',
      reason: `No usable audio device: text mode, type your messages. (${why})`,
    };
  }
}

/** The recorder's failure if it exits before delivering audio within {@link CAPTURE_SETTLE_MS}. */
async function captureFailure(capture: AudioCapture): Promise<CaptureError | null> {
  let timer: NodeJS.Timeout | undefined;
  const settled = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), CAPTURE_SETTLE_MS);
  });
  try {
    return await Promise.race([
      capture.ready().then(
        () => null,
        (error: CaptureError) => error,
      ),
      settled,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
