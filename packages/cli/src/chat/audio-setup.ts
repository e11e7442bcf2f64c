import { detectAudio, openPlayback, startCapture } from '../audio/index.js';
import type { AudioCapture, AudioPlayback } from '../audio/index.js';

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
    return {
      kind: 'text',
      reason: `No audio device: text mode, type your messages. (${detection.reason})`,
    };
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
