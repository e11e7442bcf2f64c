import {
  decodeToPcm16,
  describeAudioFormat,
  msToBytes,
  bytesToMs,
  resamplePcm16,
} from '@realtime-assistant/protocol';
import type { AudioFormatDescriptor, TurnDetection } from '@realtime-assistant/protocol';
import type { Logger } from 'pino';
import type { Transcriber } from '../transcription/index.js';
import { isTranscriptionFailure, TRANSCRIPTION_SAMPLE_RATE } from '../transcription/index.js';
import type { SpeechClassifier, TurnEvent } from '../vad/index.js';
import { TurnDetector } from '../vad/index.js';
import type { ConversationOps } from './conversation-ops.js';
import type { InputAudioBuffer } from './input-buffer.js';
import type { OutboundEvent } from './response-types.js';
import * as wire from './wire.js';

type Json = Record<string, unknown>;

/** Audio handed to the recogniser at a time: 100 ms at its 16 kHz. */
const RECOGNITION_SLICE_SAMPLES = TRANSCRIPTION_SAMPLE_RATE / 10;

export interface SpeechInputDeps {
  logger: Logger;
  /** Speech recognition for user audio; null = none (no transcription events, replies see no text). */
  transcriber: Transcriber | null;
  /** Phrases to recognise exactly (the scenario's grammar); none = the general model. */
  grammar: string[] | undefined;
  /** A new speech classifier for a detector (default: energy). */
  classifier?: () => SpeechClassifier;
  buffer: InputAudioBuffer;
  items: ConversationOps;
  emit(event: OutboundEvent): void;
  /** The effective session config. */
  config(): Json;
  /** A user started speaking: cancel the running response if `interrupt_response`. */
  onSpeechStarted(interrupt: boolean): void;
  /** A user turn was committed by the server (VAD or idle timeout): create a response if `create_response`. */
  onTurnCommitted(createResponse: boolean): void;
}

function inputOf(config: Json): Json {
  return ((config.audio as Json | undefined)?.input as Json | undefined) ?? {};
}

/**
 * The session's live audio input: decodes appended audio once, runs turn detection (speech_started /
 * speech_stopped / automatic commit / idle timeout, with barge-in), and recognises committed user audio —
 * emitting `conversation.item.input_audio_transcription.*` when the session asks for transcription and always
 * keeping the recognised text for the scenario's reply selection.
 */
export class SpeechInput {
  #deps: SpeechInputDeps;
  #detector: TurnDetector | null = null;
  #detectorKey = '';
  #turnItemId: string | null = null;
  #heard = new Map<string, Promise<string>>();
  #disposed = false;

  constructor(deps: SpeechInputDeps) {
    this.#deps = deps;
    this.configure();
  }

  #format(): AudioFormatDescriptor {
    return inputOf(this.#deps.config()).format as AudioFormatDescriptor;
  }

  #turnDetection(): (TurnDetection & Json) | null {
    return (inputOf(this.#deps.config()).turn_detection as (TurnDetection & Json) | null) ?? null;
  }

  /** Stream position of everything appended so far, in ms. */
  #positionMs(): number {
    return bytesToMs(this.#format(), this.#deps.buffer.streamBytes);
  }

  /** Applies the session's current turn detection (after `session.update`). */
  configure(): void {
    const td = this.#turnDetection();
    const key = JSON.stringify([td, this.#format()]);
    if (key === this.#detectorKey) return;
    this.#detectorKey = key;
    void this.#detector?.dispose();
    this.#detector = null;
    this.#turnItemId = null;
    if (td === null) return;
    this.#detector = new TurnDetector({
      turnDetection: td,
      onEvent: (event) => this.#onTurnEvent(event),
      positionMs: this.#positionMs(),
      ...(this.#deps.classifier ? { classifier: this.#deps.classifier() } : {}),
    });
  }

  /** Audio the client appended (already in the buffer). */
  appended(bytes: Uint8Array): void {
    if (!this.#detector) return;
    const format = this.#format();
    const { codec, sampleRate } = describeAudioFormat(format);
    this.#detector.push(
      codec === 'pcm16' ? pcm16View(bytes) : decodeToPcm16(format, bytes),
      sampleRate,
    );
  }

  /** The client committed or cleared the buffer: turn detection starts after it. */
  bufferReset(): void {
    this.#detector?.setBufferStart(this.#positionMs());
  }

  /** A response finished whose audio lasts `audioMs`: the idle timer starts when it has played. */
  responseFinished(audioMs: number): void {
    const td = this.#turnDetection();
    if (!this.#detector || td?.type !== 'server_vad' || td.idle_timeout_ms == null) return;
    this.#detector.armIdle(this.#positionMs() + audioMs);
  }

  /** The user started speaking (for interruption by the session's owner). */
  get speaking(): boolean {
    return this.#detector?.speaking ?? false;
  }

  /** What was recognised in a user audio item ('' when nothing or unavailable), once recognition finished. */
  heard(itemId: string): Promise<string> | undefined {
    return this.#heard.get(itemId);
  }

  /** Recognises a committed user audio item (manual or automatic commit). */
  recognise(itemId: string, bytes: Uint8Array): void {
    const transcriber = this.#deps.transcriber;
    if (!transcriber || transcriber.kind === 'none') return;
    const transcription = inputOf(this.#deps.config()).transcription as Json | null | undefined;
    const report = transcription != null;
    const format = this.#format();
    const heard = (async (): Promise<string> => {
      const rate = describeAudioFormat(format).sampleRate;
      const pcm = resamplePcm16(decodeToPcm16(format, bytes), rate, TRANSCRIPTION_SAMPLE_RATE);
      const stream = transcriber.open({
        ...(this.#deps.grammar && this.#deps.grammar.length > 0
          ? { grammar: this.#deps.grammar }
          : {}),
        ...(typeof transcription?.language === 'string'
          ? { language: transcription.language }
          : {}),
        ...(typeof transcription?.prompt === 'string' ? { prompt: transcription.prompt } : {}),
      });
      if (report) {
        stream.onPartial(({ delta }) => {
          this.#deps.emit({
            type: 'conversation.item.input_audio_transcription.delta',
            item_id: itemId,
            content_index: 0,
            delta,
          });
        });
      }
      // In slices, as a live stream would arrive: the recogniser notes speech as it goes, and a long trailing
      // silence after one big write would leave it thinking there was none.
      for (let at = 0; at < pcm.length; at += RECOGNITION_SLICE_SAMPLES) {
        stream.write(pcm.subarray(at, at + RECOGNITION_SLICE_SAMPLES));
      }
      const result = await stream.finish();
      if (this.#disposed) return '';
      if (isTranscriptionFailure(result)) {
        this.#deps.logger.info(
          { item_id: itemId, code: result.error.code },
          'transcription failed',
        );
        if (report) {
          this.#deps.emit({
            type: 'conversation.item.input_audio_transcription.failed',
            item_id: itemId,
            content_index: 0,
            error: {
              type: 'transcription_error',
              code: result.error.code,
              message: result.error.message,
              param: null,
            },
          });
        }
        return '';
      }
      if (report) {
        if (result.finalDelta.length > 0) {
          this.#deps.emit({
            type: 'conversation.item.input_audio_transcription.delta',
            item_id: itemId,
            content_index: 0,
            delta: result.finalDelta,
          });
        }
        this.#deps.items.setInputTranscript(itemId, result.text);
        this.#deps.emit({
          type: 'conversation.item.input_audio_transcription.completed',
          item_id: itemId,
          content_index: 0,
          transcript: result.text,
          usage: result.usage,
        });
      }
      return result.text;
    })().catch((err: unknown) => {
      this.#deps.logger.error({ err, item_id: itemId }, 'recognition error');
      return '';
    });
    this.#heard.set(itemId, heard);
  }

  #onTurnEvent(event: TurnEvent): void {
    if (this.#disposed) return;
    const td = this.#turnDetection();
    switch (event.type) {
      case 'speech_started': {
        this.#turnItemId = wire.ids.item();
        this.#deps.emit({
          type: 'input_audio_buffer.speech_started',
          audio_start_ms: Math.round(event.audioStartMs),
          item_id: this.#turnItemId,
        });
        this.#deps.onSpeechStarted(td?.interrupt_response !== false);
        return;
      }
      case 'speech_stopped':
        this.#deps.emit({
          type: 'input_audio_buffer.speech_stopped',
          audio_end_ms: Math.round(event.audioEndMs),
          item_id: this.#turnItemId ?? wire.ids.item(),
        });
        return;
      case 'commit': {
        const itemId = this.#turnItemId ?? wire.ids.item();
        this.#turnItemId = null;
        this.#commitSpan(itemId, event.startMs, event.endMs);
        this.#deps.onTurnCommitted(td?.create_response !== false);
        return;
      }
      case 'timeout': {
        const itemId = wire.ids.item();
        this.#deps.emit({
          type: 'input_audio_buffer.timeout_triggered',
          audio_start_ms: Math.round(event.audioStartMs),
          audio_end_ms: Math.round(event.audioEndMs),
          item_id: itemId,
        });
        this.#commitSpan(itemId, event.audioStartMs, event.audioEndMs);
        this.#deps.onTurnCommitted(td?.create_response !== false);
        return;
      }
      case 'error':
        this.#deps.logger.warn({ err: event.error }, 'speech classifier error');
        return;
    }
  }

  #commitSpan(itemId: string, startMs: number, endMs: number): void {
    const format = this.#format();
    const bytes = this.#deps.buffer.takeRange(msToBytes(format, startMs), msToBytes(format, endMs));
    this.#deps.items.commitAudio(bytes, itemId);
    this.#detector?.setBufferStart(this.#positionMs());
    if (bytes.byteLength > 0) this.recognise(itemId, bytes);
  }

  dispose(): void {
    this.#disposed = true;
    void this.#detector?.dispose();
    this.#detector = null;
  }
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * PCM16 samples over appended bytes without copying them when they are aligned (the detector only reads them and
 * the input buffer never writes them); a copy otherwise. Saves an `ArrayBuffer` per append.
 */
function pcm16View(bytes: Uint8Array): Int16Array {
  if (LITTLE_ENDIAN_HOST && bytes.byteOffset % 2 === 0) {
    return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
  }
  return decodeToPcm16('pcm16', bytes);
}
