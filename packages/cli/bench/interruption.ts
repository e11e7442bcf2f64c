/**
 * Interruption, timed: the assistant core's `ConversationController` with the CLI's real speaker
 * (`openPlayback()`, as `realtime-assistant chat` opens it) against an embedded engine (the test kit,
 * `bench/story-scenario.yaml`: one long spoken reply). A typed request gets the reply; once the speaker has played
 * a while, synthesised speech is streamed as the microphone at real time; the engine's server VAD reports
 * `input_audio_buffer.speech_started`, the client stops the speaker and truncates the item.
 *
 * Under an isolated PulseAudio (scripts/pulse-test-env.sh, started here when `pulseaudio` exists) the speaker is
 * the null sink `spk`, and its monitor tells how much of the reply was really heard (samples compared, see
 * test/helpers/sink-monitor.ts). Without it, no device: the figures that need one are NaN.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  ClockAudioSink,
  ConversationController,
  conversationSettingsFrom,
  loadConfig,
} from '@realtime-assistant/assistant';
import type { AudioSink } from '@realtime-assistant/assistant';
import { FliteSynthesizer } from '@realtime-assistant/engine';
import { startLocalRealtime } from '@realtime-assistant/engine/testing';
import type { LocalRealtimeHandle } from '@realtime-assistant/engine/testing';
import {
  base64ToBytes,
  bytesToPcm16,
  pcm16ToBytes,
  resamplePcm16,
} from '@realtime-assistant/protocol';
import { openPlayback } from '../src/audio/index.js';
import type { AudioPlayback } from '../src/audio/index.js';
import { Monitor, PER_MS, playedSpan } from '../test/helpers/sink-monitor.js';

/** One interruption's figures, in ms (NaN when not measurable here). */
export interface InterruptionSample {
  /** Speech onset streamed → `speech_started` received: the engine's VAD, not the client. */
  vadMs: number;
  /** `speech_started` received → the speaker's `stop()` called. */
  reactionMs: number;
  /** Audio still heard after `stop()` was called (the device's buffer), from the monitor. */
  tailMs: number;
  /** `speech_started` received → the speaker silent: `reactionMs + tailMs`. */
  stoppedMs: number;
  /** `audio_end_ms` the engine received − what the monitor heard of the item. */
  truncationErrorMs: number;
  /** Width of the span the monitor allows for the cut (a pause between words there); 0 when cut mid-sound. */
  uncertaintyMs: number;
  /** Where the reply was cut, for the record. */
  audioEndMs: number;
  backend: string;
}

/** The speaker, with the moment `stop()` was first called and what it had played then. */
class ProbeSink implements AudioSink {
  stoppedAt: number | null = null;
  playedAtStop = Number.NaN;
  #armed = false;

  constructor(readonly inner: AudioSink) {}

  /** From now on, the next `stop()` is the one timed. */
  arm(): void {
    this.#armed = true;
    this.stoppedAt = null;
  }

  write(pcm: Uint8Array): void {
    this.inner.write(pcm);
  }

  playedMs(): number {
    return this.inner.playedMs();
  }

  stop(): number {
    if (this.#armed && this.stoppedAt === null) {
      this.playedAtStop = this.inner.playedMs();
      this.stoppedAt = performance.now();
    }
    return this.inner.stop();
  }
}

/** The isolated PulseAudio, or null when this machine has none. */
function startPulse(root: string, dir: string): Record<string, string> | null {
  try {
    execFileSync('sh', ['-c', 'command -v pulseaudio && command -v parec'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const out = execFileSync('bash', [join(root, 'scripts/pulse-test-env.sh'), 'start', dir], {
    encoding: 'utf8',
  });
  const env: Record<string, string> = {};
  for (const m of out.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]!] = m[2]!;
  return env;
}

async function until(test: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!test()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Runs `runs` interruptions and returns their figures. */
export async function benchInterruption(root: string, runs: number): Promise<InterruptionSample[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ra-bench-interrupt-'));
  const pulse = startPulse(root, dir);
  // The speaker (audio-io's ALSA `default`) finds the isolated server through the environment.
  if (pulse) Object.assign(process.env, pulse);
  let engine: LocalRealtimeHandle | null = null;
  try {
    const tts = new FliteSynthesizer({ poolSize: 1 });
    const voice = await tts.synthesize('wait, stop, stop', 'kal16');
    await tts.close();
    const words = resamplePcm16(voice.samples, voice.sampleRate, 24_000);
    const LEAD_MS = 200;
    const speech = new Int16Array(LEAD_MS * PER_MS + words.length + 1_000 * PER_MS);
    speech.set(words, LEAD_MS * PER_MS);
    const onsetMs = speech.findIndex((x) => Math.abs(x) > 1_000) / PER_MS;
    const speechBytes = pcm16ToBytes(speech);

    engine = await startLocalRealtime({
      scenario: fileURLToPath(new URL('./story-scenario.yaml', import.meta.url)),
    });
    const loaded = loadConfig({ env: {}, cwd: dir });
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('; '));
    const settings = conversationSettingsFrom(loaded.config, null, { outputModalities: ['audio'] });

    let playback: AudioPlayback | null = null;
    if (pulse) {
      playback = await openPlayback({ env: process.env });
      // A fresh daemon stalls the first stream for a few hundred ms: warm it up.
      playback.write(new Uint8Array(9_600));
      await playback.drain();
      // Positions count from the last stop(): the controller's timeline starts at 0.
      playback.stop();
    }
    const samples: InterruptionSample[] = [];
    for (let run = 0; run < runs; run++) {
      samples.push(await interruptOnce(engine, settings, playback, speechBytes, onsetMs, run));
    }
    await playback?.close();
    return samples;
  } finally {
    await engine?.close();
    if (pulse) execFileSync('bash', [join(root, 'scripts/pulse-test-env.sh'), 'stop', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function interruptOnce(
  engine: LocalRealtimeHandle,
  settings: ReturnType<typeof conversationSettingsFrom>,
  playback: AudioPlayback | null,
  speech: Uint8Array,
  onsetMs: number,
  run: number,
): Promise<InterruptionSample> {
  const monitor = playback ? new Monitor() : null;
  const sink = new ProbeSink(playback ?? new ClockAudioSink());
  const controller = new ConversationController({
    url: engine.url,
    apiKey: 'local',
    settings,
    sink,
    reconnect: false,
    rotation: false,
  });
  try {
    if (monitor) await until(() => monitor.length > 0, 'the monitor');
    const opened = engine.nextSession();
    await controller.connect();
    const session = await opened;
    let speechStartedAt: number | null = null;
    controller.session.transport.on('*', (event: { type?: string }) => {
      if (event.type === 'input_audio_buffer.speech_started') speechStartedAt ??= performance.now();
    });
    let interrupted = false;
    controller.events.on('interrupted', () => (interrupted = true));

    sink.arm();
    controller.sendText('tell me a story');
    // Cut at a different place each run.
    const cutAfterMs = 1_500 + 137 * run;
    await until(() => sink.playedMs() >= cutAfterMs, 'the reply to play');

    // The microphone: 20 ms chunks at real time, until the interruption is handled.
    const streamStart = performance.now();
    for (let k = 0, at = 0; at < speech.length && !interrupted; k++, at += 960) {
      controller.sendAudio(speech.subarray(at, at + 960));
      const wait = streamStart + (k + 1) * 20 - performance.now();
      if (wait > 0) await sleep(wait);
    }
    await until(() => interrupted, 'the interruption');
    const onsetAt = streamStart + onsetMs;

    const truncate = session.received.find((e) => e.type === 'conversation.item.truncate') as
      { item_id: string; audio_end_ms: number } | undefined;
    if (!truncate || speechStartedAt === null || sink.stoppedAt === null) {
      throw new Error('no truncate, speech_started or stop() seen');
    }
    let heardMs = Number.NaN;
    let uncertaintyMs = Number.NaN;
    if (monitor) {
      const reply = bytesToPcm16(
        Buffer.concat(
          session.sent
            .filter(
              (e) => e.type === 'response.output_audio.delta' && e.item_id === truncate.item_id,
            )
            .map((e) => base64ToBytes(e.delta as string)),
        ),
      );
      // The device's tail has long finished after 500 ms.
      const enough = monitor.length + 500 * PER_MS;
      await until(() => monitor.length > enough, 'the monitor');
      const span = playedSpan(monitor.samples(), reply);
      // The monitor places the cut between the last sound it reproduced and the first it did not; inside that
      // span (a pause between words) it can't contradict the player, so the player's figure is taken.
      uncertaintyMs = span.firstMissingMs - span.lastMatchedMs;
      heardMs = Math.min(span.firstMissingMs, Math.max(span.lastMatchedMs, truncate.audio_end_ms));
    }
    const reactionMs = sink.stoppedAt - speechStartedAt;
    const tailMs = heardMs - sink.playedAtStop;
    return {
      vadMs: speechStartedAt - onsetAt,
      reactionMs,
      tailMs,
      stoppedMs: reactionMs + tailMs,
      truncationErrorMs: truncate.audio_end_ms - heardMs,
      uncertaintyMs,
      audioEndMs: truncate.audio_end_ms,
      backend: playback?.backend ?? 'none',
    };
  } finally {
    controller.close();
    await monitor?.stop();
  }
}
