import { writeFileSync } from 'node:fs';
import { ConnectError, ConversationController } from '@realtime-assistant/assistant';
import type {
  AppEvents,
  AppLogger,
  ConversationSettings,
  RealtimeTools,
} from '@realtime-assistant/assistant';
import { bytesToPcm16, writeWav } from '@realtime-assistant/protocol';
import type { WavData } from '@realtime-assistant/protocol';
import { decodedWavSource } from '../audio/index.js';
import type { SessionRecorder } from '../audio/index.js';
import { connectFailureText } from './conversation-target.js';
import type { ConversationTarget } from './conversation-target.js';
import { RecordingSink } from './sinks.js';
import { CollectingSink } from './sinks.js';

/** Options of {@link runAudioFile}. */
export interface AudioFileRunOptions {
  /** The file's audio, as `loadWavFile` decoded it. */
  readonly wav: WavData;
  readonly out: string;
  readonly fast: boolean;
  readonly events: AppEvents;
  readonly target: ConversationTarget;
  readonly settings: ConversationSettings;
  readonly recorder: SessionRecorder | null;
  readonly logger: AppLogger;
  readonly notice: (text: string) => void;
  /** Function tools of the assistant profile. */
  readonly tools?: RealtimeTools;
  /** How long to wait for the reply after the file ends. Default 30 s. */
  readonly replyTimeoutMs?: number;
}

/**
 * `--audio-file`: streams a WAV as the microphone (real time, or as fast as possible with `--fast`), then silence so
 * the server's turn detection ends the turn, waits for the reply and saves its audio as a WAV. Returns the exit code.
 */
export async function runAudioFile(options: AudioFileRunOptions): Promise<number> {
  const { events, recorder } = options;
  const collected = new CollectingSink();
  const controller = new ConversationController({
    url: options.target.url,
    apiKey: options.target.apiKey,
    settings: options.settings,
    sink: recorder ? new RecordingSink(collected, recorder) : collected,
    events,
    logger: options.logger.logger,
    ...(options.tools && options.tools.length > 0 ? { tools: options.tools } : {}),
  });
  let userHeard = false;
  let replyHeard = false;
  let responseDone = false;
  const offs: (() => void)[] = [];
  // The user's transcript may complete after the reply, so wait for all three in any order.
  const replied = new Promise<void>((resolve) => {
    const check = (): void => {
      if (userHeard && replyHeard && responseDone) resolve();
    };
    offs.push(
      events.on('transcript_final', (e) => {
        if (e.speaker === 'user') userHeard = true;
        if (e.speaker === 'assistant' && e.text.trim() !== '') replyHeard = true;
        check();
      }),
      events.on('usage_updated', () => {
        responseDone = replyHeard;
        check();
      }),
    );
  });
  try {
    await controller.connect();
    const send = (chunk: Uint8Array): void => {
      controller.sendAudio(chunk);
      recorder?.write('user', chunk);
    };
    for await (const chunk of decodedWavSource(options.wav, { fast: options.fast })) send(chunk);
    // Trailing silence, so server VAD sees the end of the turn even when the file stops mid-breath.
    const silenceMs = options.settings.turnDetection.silenceMs + 500;
    const silence = new Uint8Array(960);
    const pace = options.fast ? null : 20;
    for (let ms = 0; ms < silenceMs; ms += 20) {
      send(silence);
      if (pace) await new Promise((resolve) => setTimeout(resolve, pace));
    }
    const timeoutMs = options.replyTimeoutMs ?? 30_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([replied.then(() => 'replied' as const), timedOut]);
    clearTimeout(timer);
    const audio = collected.audio();
    if (audio.byteLength > 0) {
      writeFileSync(
        options.out,
        writeWav({ sampleRate: 24_000, channels: 1, samples: bytesToPcm16(audio) }),
      );
      options.notice(`Reply audio: ${options.out} (${Math.round(audio.byteLength / 48)} ms).`);
    }
    if (outcome === 'timeout') {
      options.notice(
        `No complete reply within ${timeoutMs / 1000} s (user transcript: ${userHeard ? 'yes' : 'no'}, reply: ${replyHeard ? 'yes' : 'no'}).`,
      );
      return 1;
    }
    return 0;
  } catch (error) {
    options.notice(
      error instanceof ConnectError
        ? connectFailureText(error, options.target)
        : `Failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  } finally {
    for (const off of offs) off();
    controller.close();
    if (recorder) events.emit('recording_saved', recorder.close());
  }
}
