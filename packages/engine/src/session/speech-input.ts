import {
  createResampler,
  decodeToPcm16,
  describeAudioFormat,
  msToBytes,
  bytesToMs,
  resamplePcm16,
} from '@realtime-assistant/protocol';
import type {
  AudioFormatDescriptor,
  Pcm16Resampler,
  TurnDetection,
} from '@realtime-assistant/protocol';
import type { Logger } from 'pino';
import type { Transcriber, TranscriptionStream } from '../transcription/index.js';
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

/**
 * Recent audio kept at 16 kHz for `semantic_vad`'s live recognition, so the stream opened at speech_started can
 * start at the speech's onset minus the prefix padding (speech is confirmed up to a few hundred ms after it began).
 */
const PRE_ROLL_MS = 1500;

/** Padding before the onset written to a live recognition (the commit's `prefix_padding_ms` for semantic_vad). */
const LIVE_PREFIX_MS = 300;

/** A piece of input audio at 16 kHz and its span in stream time. */
interface RecognitionChunk {
  startMs: number;
  endMs: number;
  samples: Int16Array;
}

/**
 * Recognition of the speech in progress (`semantic_vad` with a transcriber): its partial results tell the turn
 * detector whether the words so far end a sentence, and at the commit the same stream becomes the item's
 * transcription (its deltas, held back until then, are sent after `committed` as the live API does).
 */
interface LiveRecognition {
  itemId: string;
  stream: TranscriptionStream;
  /** Stream time up to which audio has been written. */
  fedToMs: number;
  /** Partial deltas not yet sent (before the commit). */
  unsent: string;
  /** Where deltas go once the item is committed and the session asks for transcription events. */
  sendDelta: ((delta: string) => void) | null;
}

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
  #live: LiveRecognition | null = null;
  /** Recent 16 kHz audio (semantic_vad with a transcriber only), oldest first. */
  #preRoll: RecognitionChunk[] = [];
  #toRecogniser: Pcm16Resampler | null = null;
  /** The input format as of the last {@link configure}. */
  #input!: { format: AudioFormatDescriptor; codec: string; sampleRate: number };
  /** Whether turns are recognised while spoken: `semantic_vad` with a transcriber (as of the last configure). */
  #liveRecognition = false;
  #toRecogniserRate = 0;

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
    const format = this.#format();
    // Read once here rather than on every append (50 a second per session).
    const { codec, sampleRate } = describeAudioFormat(format);
    this.#input = { format, codec, sampleRate };
    const transcriber = this.#deps.transcriber;
    this.#liveRecognition =
      td?.type === 'semantic_vad' && transcriber !== null && transcriber.kind !== 'none';
    const key = JSON.stringify([td, format]);
    if (key === this.#detectorKey) return;
    this.#detectorKey = key;
    this.#abortLive();
    this.#preRoll = [];
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
    const detector = this.#detector;
    if (!detector) return;
    const { format, codec, sampleRate } = this.#input;
    const pcm = codec === 'pcm16' ? pcm16View(bytes) : decodeToPcm16(format, bytes);
    const chunk = this.#liveRecognition ? this.#keepForRecognition(pcm, sampleRate) : null;
    detector.push(pcm, sampleRate);
    const live = this.#live;
    if (chunk && live && chunk.endMs > live.fedToMs) {
      live.stream.write(chunk.samples);
      live.fedToMs = chunk.endMs;
    }
  }

  /** The client committed or cleared the buffer: turn detection starts after it. */
  bufferReset(): void {
    // The turn's audio so far went into the client's commit (or away): a later VAD commit is recognised afresh.
    this.#abortLive();
    this.#detector?.setBufferStart(this.#positionMs());
  }

  /** Converts an append to 16 kHz for live recognition and keeps the last {@link PRE_ROLL_MS} of it. */
  #keepForRecognition(pcm: Int16Array, sampleRate: number): RecognitionChunk {
    const endMs = bytesToMs(this.#input.format, this.#deps.buffer.streamBytes);
    const startMs = endMs - (pcm.length * 1000) / sampleRate;
    let samples: Int16Array;
    if (sampleRate === TRANSCRIPTION_SAMPLE_RATE) {
      samples = pcm.slice();
    } else {
      if (this.#toRecogniser === null || this.#toRecogniserRate !== sampleRate) {
        this.#toRecogniser = createResampler({
          inputRate: sampleRate,
          outputRate: TRANSCRIPTION_SAMPLE_RATE,
        });
        this.#toRecogniserRate = sampleRate;
      }
      samples = this.#toRecogniser.process(pcm);
    }
    const chunk = { startMs, endMs, samples };
    this.#preRoll.push(chunk);
    while (this.#preRoll.length > 1 && this.#preRoll[0]!.endMs < endMs - PRE_ROLL_MS) {
      this.#preRoll.shift();
    }
    return chunk;
  }

  /** speech_started under semantic_vad: starts recognising the turn from its onset (minus the prefix padding). */
  #startLive(itemId: string, audioStartMs: number): void {
    this.#abortLive();
    const stream = this.#openStream();
    const fromMs = audioStartMs - LIVE_PREFIX_MS;
    const live: LiveRecognition = { itemId, stream, fedToMs: fromMs, unsent: '', sendDelta: null };
    for (const chunk of this.#preRoll) {
      if (chunk.endMs <= fromMs) continue;
      stream.write(chunk.samples);
      live.fedToMs = chunk.endMs;
    }
    stream.onPartial(({ text, delta }) => {
      if (this.#live === live) this.#detector?.noteTranscript(text);
      if (live.sendDelta) live.sendDelta(delta);
      else live.unsent += delta;
    });
    this.#live = live;
  }

  #abortLive(): void {
    this.#live?.stream.abort();
    this.#live = null;
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
    const report = this.#reportsTranscription();
    const format = this.#format();
    let stream: TranscriptionStream;
    try {
      const rate = describeAudioFormat(format).sampleRate;
      const pcm = resamplePcm16(decodeToPcm16(format, bytes), rate, TRANSCRIPTION_SAMPLE_RATE);
      stream = this.#openStream();
      if (report) stream.onPartial(({ delta }) => this.#emitDelta(itemId, delta));
      // In slices, as a live stream would arrive: the recogniser notes speech as it goes, and a long trailing
      // silence after one big write would leave it thinking there was none.
      for (let at = 0; at < pcm.length; at += RECOGNITION_SLICE_SAMPLES) {
        stream.write(pcm.subarray(at, at + RECOGNITION_SLICE_SAMPLES));
      }
    } catch (err) {
      this.#deps.logger.error({ err, item_id: itemId }, 'recognition error');
      this.#heard.set(itemId, Promise.resolve(''));
      return;
    }
    this.#heard.set(itemId, this.#finish(itemId, stream, report));
  }

  #reportsTranscription(): boolean {
    return inputOf(this.#deps.config()).transcription != null;
  }

  #openStream(): TranscriptionStream {
    const transcription = inputOf(this.#deps.config()).transcription as Json | null | undefined;
    return this.#deps.transcriber!.open({
      ...(this.#deps.grammar && this.#deps.grammar.length > 0
        ? { grammar: this.#deps.grammar }
        : {}),
      ...(typeof transcription?.language === 'string' ? { language: transcription.language } : {}),
      ...(typeof transcription?.prompt === 'string' ? { prompt: transcription.prompt } : {}),
    });
  }

  #emitDelta(itemId: string, delta: string): void {
    this.#deps.emit({
      type: 'conversation.item.input_audio_transcription.delta',
      item_id: itemId,
      content_index: 0,
      delta,
    });
  }

  /** Ends a recognition and reports its result: what was heard ('' on failure). */
  async #finish(itemId: string, stream: TranscriptionStream, report: boolean): Promise<string> {
    try {
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
        if (result.finalDelta.length > 0) this.#emitDelta(itemId, result.finalDelta);
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
    } catch (err) {
      this.#deps.logger.error({ err, item_id: itemId }, 'recognition error');
      return '';
    }
  }

  /** The committed turn `itemId` was recognised while spoken: its stream becomes the item's transcription. */
  #finishLive(itemId: string): boolean {
    const live = this.#live;
    if (!live || live.itemId !== itemId) return false;
    this.#live = null;
    const report = this.#reportsTranscription();
    if (report) {
      live.sendDelta = (delta) => this.#emitDelta(itemId, delta);
      if (live.unsent.length > 0) this.#emitDelta(itemId, live.unsent);
    } else {
      live.sendDelta = () => undefined;
    }
    this.#heard.set(itemId, this.#finish(itemId, live.stream, report));
    return true;
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
        if (this.#liveRecognition) this.#startLive(this.#turnItemId, event.audioStartMs);
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
    if (bytes.byteLength === 0) {
      this.#abortLive();
      return;
    }
    if (!this.#finishLive(itemId)) {
      this.#abortLive();
      this.recognise(itemId, bytes);
    }
  }

  dispose(): void {
    this.#disposed = true;
    this.#abortLive();
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
