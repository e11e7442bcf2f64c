/**
 * Parse throughput on one core: the `input_audio_buffer.append` fast path (20 ms of 24 kHz PCM16,
 * 1280 base64 characters), a realistic `session.update` and `response.create`, and a server
 * `response.output_audio.delta` as a client parses it. Each figure is the median of 5 runs.
 */
import { parseClientEvent, parseServerEvent } from '../src/index.js';

const RUNS = 5;

function base64Of(length: number): string {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 37 + 11) & 0xff;
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

// 20 ms at 24 kHz, 16-bit mono = 960 bytes = 1280 base64 characters.
const APPEND = JSON.stringify({
  type: 'input_audio_buffer.append',
  audio: base64Of(960),
  event_id: 'event_C9G8pjSJCfRNEhMEnYAVy',
});

// What @openai/agents-realtime sends right after connecting.
const SESSION_UPDATE = JSON.stringify({
  type: 'session.update',
  event_id: 'event_C9G8pjSJCfRNEhMEnYAV0',
  session: {
    type: 'realtime',
    model: 'gpt-realtime',
    instructions: 'You are a helpful scheduling assistant. Keep answers short.',
    output_modalities: ['audio'],
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        transcription: { model: 'gpt-4o-mini-transcribe' },
        noise_reduction: null,
        turn_detection: { type: 'semantic_vad', eagerness: 'auto' },
      },
      output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin', speed: 1 },
    },
    tools: [
      {
        type: 'function',
        name: 'book_appointment',
        description: 'Books an appointment.',
        parameters: {
          type: 'object',
          properties: { date: { type: 'string' }, time: { type: 'string' } },
          required: ['date', 'time'],
        },
      },
    ],
    tool_choice: 'auto',
    tracing: 'auto',
  },
});

// An out-of-band response with its own input, as the web coach's hint requests look.
const RESPONSE_CREATE = JSON.stringify({
  type: 'response.create',
  event_id: 'event_C9G8pjSJCfRNEhMEnYAV1',
  response: {
    conversation: 'none',
    output_modalities: ['text'],
    instructions: 'Give one short hint.',
    metadata: { purpose: 'hint' },
    input: [
      { type: 'item_reference', id: 'item_C9G8pGVKYnaZu8PH5YQ9O' },
      {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: 'What should I ask next?' }],
      },
    ],
  },
});

const AUDIO_DELTA = JSON.stringify({
  type: 'response.output_audio.delta',
  event_id: 'event_CCXHx6xxxxxxxxxxxxxxx',
  response_id: 'resp_CCXHw0UJld10EzIUXQCNh',
  item_id: 'item_CCXHwGjjDUfOXbiySlK7i',
  output_index: 0,
  content_index: 0,
  delta: base64Of(4800),
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Parses per second: the median of RUNS runs of `iterations` parses each. */
function rate(parse: (text: string) => boolean, text: string, iterations: number): number {
  if (!parse(text)) throw new Error(`benchmark input does not parse: ${text.slice(0, 80)}`);
  for (let i = 0; i < Math.min(iterations, 20_000); i++) parse(text); // warm-up
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let ok = 0;
    const start = performance.now();
    for (let i = 0; i < iterations; i++) if (parse(text)) ok++;
    const seconds = (performance.now() - start) / 1000;
    if (ok !== iterations) throw new Error('a parse failed during the benchmark');
    rates.push(iterations / seconds);
  }
  return Math.round(median(rates));
}

const client = (text: string): boolean => parseClientEvent(text).ok;
const server = (text: string): boolean => {
  const result = parseServerEvent(text);
  return result.ok && !result.generic;
};

/** Runs the parse benchmarks; figures are parses per second on one core. */
export async function benchParse(): Promise<Record<string, number>> {
  await Promise.resolve();
  return {
    'parse.append_20ms_per_s': rate(client, APPEND, 200_000),
    'parse.session_update_per_s': rate(client, SESSION_UPDATE, 20_000),
    'parse.response_create_per_s': rate(client, RESPONSE_CREATE, 20_000),
    'parse.server_audio_delta_100ms_per_s': rate(server, AUDIO_DELTA, 50_000),
  };
}
