import { resamplePcm16 } from '@realtime-assistant/protocol';
import { speechBoundaries } from '../../src/vad/index.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { LocalRealtimeHandle } from '../../src/testing/index.js';
import { FliteSynthesizer } from '../../src/voice/flite/flite-synthesizer.js';
import type { SessionClient } from './session-client.js';

/** A spoken phrase with silence around it, and where the speech really is. */
export interface Utterance {
  /** PCM16 at `rate`. */
  pcm: Int16Array;
  rate: number;
  /** Start and end of the speech in the stream (ms), as the reference detector finds them. */
  startMs: number;
  endMs: number;
}

/** The phrase spoken by Flite as PCM16 at `rate` (24 kHz default) with `leadMs` / `tailMs` of silence around it. */
export async function utterance(
  tts: FliteSynthesizer,
  text: string,
  options: { rate?: number; leadMs?: number; tailMs?: number } = {},
): Promise<Utterance> {
  const rate = options.rate ?? 24_000;
  const lead = Math.round(((options.leadMs ?? 800) * rate) / 1000);
  const tail = Math.round(((options.tailMs ?? 1_500) * rate) / 1000);
  const spoken = await tts.synthesize(text, 'kal16');
  const speech = resamplePcm16(spoken.samples, spoken.sampleRate, rate);
  const pcm = new Int16Array(lead + speech.length + tail);
  pcm.set(speech, lead);
  const spans = speechBoundaries(pcm, rate);
  if (spans.length === 0) throw new Error(`no speech found in the synthesised "${text}"`);
  return { pcm, rate, startMs: spans[0]!.startMs, endMs: spans.at(-1)!.endMs };
}

/** Sends `bytes` as `input_audio_buffer.append` events of `frameBytes` each (20 ms of 24 kHz PCM16 by default). */
export function streamBytes(c: SessionClient, bytes: Uint8Array, frameBytes = 960): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at < buf.length; at += frameBytes) {
    c.send({
      type: 'input_audio_buffer.append',
      audio: buf.subarray(at, at + frameBytes).toString('base64'),
    });
  }
}

/** Streams 24 kHz PCM16 as 20 ms `input_audio_buffer.append` events. */
export function stream(c: SessionClient, pcm: Int16Array): void {
  streamBytes(c, new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
}

/**
 * The per-file fixture of the speech tests: one Flite synthesiser for the file (closed after it), and the engine and
 * client of each test, closed after each test.
 */
export interface SpeechFixture {
  readonly tts: FliteSynthesizer;
  engine: LocalRealtimeHandle | null;
  client: SessionClient | null;
}

/** Registers the fixture's hooks; call it at the top of a test file. */
export function useSpeechFixture(): SpeechFixture {
  let tts: FliteSynthesizer | null = null;
  const fixture = {
    get tts(): FliteSynthesizer {
      if (!tts) throw new Error('the speech fixture is used outside a test');
      return tts;
    },
    engine: null as LocalRealtimeHandle | null,
    client: null as SessionClient | null,
  };
  beforeAll(() => {
    tts = new FliteSynthesizer({ poolSize: 1 });
  });
  afterAll(async () => {
    await tts?.close();
  });
  afterEach(async () => {
    await fixture.client?.close();
    fixture.client = null;
    await fixture.engine?.close();
    fixture.engine = null;
  });
  return fixture;
}
