/**
 * Warming the reply cache at engine start: a scenario's fixed reply texts are synthesised in the background, so even
 * the first time one is said its audio starts at once.
 */
import type { LoadedScenario } from '../scenario/index.js';
import { DEFAULT_FALLBACK_TEXT } from '../scenario/index.js';
import type { SpeechRenderer } from './speech-renderer.js';

/**
 * How long after `listen()` the warm-up starts: start-up work and the first connections go first, and an engine that
 * lives only briefly (a unit test) never loads Flite for nothing. A person needs longer than this to connect and
 * finish a first sentence.
 */
export const SPEECH_WARMUP_DELAY_MS = 1_000;

interface ReplyLike {
  text?: string | undefined;
  audio?: unknown;
}

/**
 * The reply texts of a scenario that are always said the same way: texts without `{{…}}` templates and without a
 * WAV file or tone of their own, fallbacks first (the reply most often heard), each once.
 */
export function fixedReplyTexts(scenario: LoadedScenario): string[] {
  const doc = scenario.definition;
  const replies: ReplyLike[] = [];
  const add = (entry: { reply?: ReplyLike; replies?: ReplyLike[] } | undefined): void => {
    if (entry?.reply) replies.push(entry.reply);
    if (entry?.replies) replies.push(...entry.replies);
  };
  if (doc.fallback) add(doc.fallback);
  else replies.push({ text: DEFAULT_FALLBACK_TEXT });
  add(doc.function_fallback);
  for (const response of doc.responses ?? []) add(response);
  const texts = new Set<string>();
  for (const reply of replies) {
    const text = reply.text;
    if (text === undefined || reply.audio !== undefined || text.trim() === '') continue;
    if (text.includes('{{')) continue;
    texts.add(text);
  }
  return [...texts];
}

/** A running warm-up: {@link SpeechWarmup.stop} ends it early; {@link SpeechWarmup.done} settles when it ends. */
export interface SpeechWarmup {
  stop(): void;
  readonly done: Promise<void>;
}

/**
 * Starts warming `renderer`'s cache with the scenario's fixed replies in the default voice, after `delayMs`, one
 * reply at a time and only while no live synthesis is running. Stop it before closing the renderer. Never rejects.
 */
export function startSpeechWarmup(
  renderer: SpeechRenderer,
  scenario: LoadedScenario,
  delayMs = SPEECH_WARMUP_DELAY_MS,
): SpeechWarmup {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => {
    controller.signal.addEventListener('abort', () => resolve(), { once: true });
    timer = setTimeout(() => {
      renderer
        .prepare(fixedReplyTexts(scenario), { signal: controller.signal })
        .catch(() => undefined)
        .finally(resolve);
    }, delayMs);
    timer.unref();
  });
  return {
    stop: () => {
      clearTimeout(timer);
      controller.abort();
    },
    done,
  };
}
