/**
 * The HTTP backend: any OpenAI-compatible `POST /v1/audio/transcriptions` server (whisper.cpp server, faster-whisper
 * servers, vLLM, OpenAI itself). The utterance is sent as one WAV file when it ends, so there are no partials.
 */
import { concatPcm16, writeWav } from '@realtime-assistant/protocol';
import type {
  Transcriber,
  TranscriberAvailability,
  TranscriptionErrorCode,
  TranscriptionOptions,
  TranscriptionPartial,
  TranscriptionResult,
  TranscriptionStream,
} from './transcriber.js';
import { TRANSCRIPTION_SAMPLE_RATE, durationUsage } from './transcriber.js';
import type { HttpTranscriberConfig } from './transcriber-config.js';

const DEFAULT_MODEL = 'whisper-1';
const DEFAULT_TIMEOUT_MS = 30_000;
/** How long `available()` waits for the server to answer at all. */
const PROBE_TIMEOUT_MS = 3000;

function endpoint(baseURL: string, path: string): string {
  return `${baseURL.replace(/\/+$/, '')}/${path}`;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

/** The `error.message` of an OpenAI-style error body, if there is one. */
function serverMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string };
    if (typeof parsed.error === 'string') return parsed.error;
    const message = parsed.error?.message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return body.trim() === '' ? undefined : body.trim().slice(0, 300);
  }
}

/** Creates the HTTP transcriber. */
export function createHttpTranscriber(config: HttpTranscriberConfig): Transcriber {
  const url = endpoint(config.baseURL, 'audio/transcriptions');
  const open = new Set<HttpStream>();
  let availability: Promise<TranscriberAvailability> | undefined;
  return {
    kind: 'http',
    sampleRate: TRANSCRIPTION_SAMPLE_RATE,
    open(options = {}) {
      const stream = new HttpStream(config, url, options, () => open.delete(stream));
      open.add(stream);
      return stream;
    },
    available() {
      // Any HTTP answer (even 404) shows the server is there; only a connection failure means it is not.
      availability ??= fetch(endpoint(config.baseURL, 'models'), {
        headers: config.apiKey === undefined ? {} : { authorization: `Bearer ${config.apiKey}` },
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      }).then(
        async (response) => {
          await response.body?.cancel();
          return { ok: true };
        },
        (error: unknown) => ({
          ok: false,
          reason: `the transcription server at ${config.baseURL} does not answer: ${describeError(error)}`,
        }),
      );
      return availability;
    },
    prepare: () => Promise.resolve(),
    stats: () => Promise.resolve({ activeStreams: open.size, warmDecoders: 0 }),
    close() {
      for (const stream of [...open]) stream.abort();
      return Promise.resolve();
    },
  };
}

class HttpStream implements TranscriptionStream {
  readonly #config: HttpTranscriberConfig;
  readonly #url: string;
  readonly #options: TranscriptionOptions;
  readonly #onEnd: () => void;
  readonly #abort = new AbortController();
  readonly #listeners = new Set<(partial: TranscriptionPartial) => void>();
  #chunks: Int16Array[] = [];
  #samples = 0;
  #result: Promise<TranscriptionResult> | undefined;
  #aborted = false;

  constructor(
    config: HttpTranscriberConfig,
    url: string,
    options: TranscriptionOptions,
    onEnd: () => void,
  ) {
    this.#config = config;
    this.#url = url;
    this.#options = options;
    this.#onEnd = onEnd;
  }

  write(samples: Int16Array): void {
    if (this.#result !== undefined || this.#aborted) return;
    this.#chunks.push(samples.slice());
    this.#samples += samples.length;
  }

  onPartial(listener: (partial: TranscriptionPartial) => void): () => void {
    // Kept for the interface: this backend has no partials.
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  finish(): Promise<TranscriptionResult> {
    this.#result ??= this.#transcribe().finally(() => this.#onEnd());
    return this.#result;
  }

  abort(): void {
    this.#aborted = true;
    this.#chunks = [];
    this.#abort.abort();
    this.#onEnd();
  }

  async #transcribe(): Promise<TranscriptionResult> {
    const usage = durationUsage(this.#samples);
    const fail = (code: TranscriptionErrorCode, message: string): TranscriptionResult => ({
      error: { code, message },
      usage,
    });
    if (this.#aborted) return fail('aborted', 'The transcription was aborted.');
    if (this.#samples === 0) return fail('audio_unintelligible', 'The audio is empty.');
    const samples = concatPcm16(this.#chunks);
    this.#chunks = [];
    const form = new FormData();
    const wav = writeWav({ sampleRate: TRANSCRIPTION_SAMPLE_RATE, channels: 1, samples });
    form.append('file', new Blob([wav], { type: 'audio/wav' }), 'audio.wav');
    form.append('model', this.#config.model ?? DEFAULT_MODEL);
    form.append('response_format', 'json');
    if (this.#options.language !== undefined) form.append('language', this.#options.language);
    if (this.#options.prompt !== undefined) form.append('prompt', this.#options.prompt);
    const timeoutMs = this.#config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    let body: string;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        body: form,
        headers:
          this.#config.apiKey === undefined
            ? {}
            : { authorization: `Bearer ${this.#config.apiKey}` },
        signal: AbortSignal.any([this.#abort.signal, timeout]),
      });
      body = await response.text();
    } catch (error) {
      if (this.#aborted) return fail('aborted', 'The transcription was aborted.');
      if (timeout.aborted) {
        return fail(
          'transcriber_timeout',
          `The transcription server did not answer within ${timeoutMs} ms.`,
        );
      }
      return fail(
        'transcriber_unavailable',
        `Cannot reach the transcription server at ${this.#url}: ${describeError(error)}`,
      );
    }
    if (!response.ok) {
      const detail = serverMessage(body);
      return fail(
        'transcriber_error',
        `The transcription server answered ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}` +
          (detail === undefined ? '.' : `: ${detail}`),
      );
    }
    let text: unknown;
    try {
      text = (JSON.parse(body) as { text?: unknown }).text;
    } catch {
      text = undefined;
    }
    if (typeof text !== 'string') {
      return fail('transcriber_error', 'The transcription server answered without a `text` field.');
    }
    const trimmed = text.trim();
    if (trimmed === '')
      return fail('audio_unintelligible', 'No words were recognised in the audio.');
    return { text: trimmed, finalDelta: trimmed, usage };
  }
}
