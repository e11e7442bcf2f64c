/**
 * Intent detection from word and phrase cues. A cue is a phrase matched on word boundaries, case-, punctuation- and
 * apostrophe-insensitively (`"whats up"` matches "What's up?"); `^phrase` must start the utterance, `phrase$` must end
 * it, and `/regex/` is a case-insensitive regex on the raw text (e.g. `/\?\s*$/` for a trailing question mark).
 */
import { hasPhrase, normalizePhrase, normalizeText } from './text-match.js';

/** Intent name → cues, as written in a scenario's `intents:` or {@link BUILTIN_INTENTS}. */
export type IntentLexiconSpec = Readonly<Record<string, readonly string[]>>;

/** A scenario's extension of one intent: more cues, or `{ cues, replace: true }` to replace a built-in's. */
export type IntentExtension = readonly string[] | { cues: readonly string[]; replace?: boolean };

/** The built-in lexicon. */
// prettier-ignore
export const BUILTIN_INTENTS: IntentLexiconSpec = {
  greeting: [
    'hello', 'hi', 'hey', 'hiya', 'howdy', 'greetings', 'good morning', 'good afternoon', 'good evening',
    'hi there', 'hello there', 'how are you', 'how are you doing', 'nice to meet you', 'whats up',
  ],
  farewell: [
    'bye', 'goodbye', 'good bye', 'bye bye', 'see you', 'see ya', 'see you later', 'farewell', 'good night',
    'talk to you later', 'take care', 'have a good day', 'have a nice day', 'cya', 'gotta go', 'i have to go',
    'thats all', 'that is all', 'im done',
  ],
  help_request: [
    'help', 'help me', 'can you help', 'i need help', 'assist', 'assistance', 'support', 'how do i', 'how can i',
    'what can you do', 'how does this work', 'im stuck', 'i am stuck', 'i dont know how', 'show me how',
  ],
  question: [
    '^what', '^whats', '^when', '^where', '^who', '^whom', '^whose', '^why', '^how', '^which', '^is', '^are',
    '^am', '^do', '^does', '^did', '^can', '^could', '^would', '^will', '^should', '^shall', '^may', '^have',
    '^has', 'can you', 'could you', 'would you', 'will you', 'do you know', 'tell me', 'i wonder', '/\\?\\s*$/',
  ],
  complaint: [
    'not working', 'doesnt work', 'does not work', 'dont work', 'broken', 'terrible', 'awful', 'horrible',
    'useless', 'frustrated', 'frustrating', 'annoyed', 'annoying', 'disappointed', 'disappointing', 'not happy',
    'unhappy', 'complain', 'complaint', 'too slow', 'waste of time', 'ridiculous', 'worst', 'unacceptable',
  ],
  gratitude: [
    'thanks', 'thank you', 'thank u', 'thx', 'many thanks', 'appreciate it', 'appreciate that',
    'i appreciate', 'much appreciated', 'grateful', 'cheers', 'much obliged',
  ],
  confirmation: [
    'yes', 'yeah', 'yep', 'yup', 'sure', 'of course', 'ok', 'okay', 'sounds good', 'correct', 'thats right',
    'that is right', 'exactly', 'absolutely', 'definitely', 'confirm', 'confirmed', 'go ahead', 'please do',
    'affirmative', 'alright', 'all right',
  ],
  denial: [
    'no', 'nope', 'nah', 'not really', 'no thanks', 'no thank you', 'not at all', 'i dont think so', 'negative',
    'incorrect', 'thats wrong', 'thats not right', 'not now', 'never mind', 'nevermind', '^dont',
  ],
};

type CompiledCue =
  | { kind: 'phrase'; phrase: string; anchor: 'any' | 'start' | 'end' | 'whole' }
  | { kind: 'regex'; re: RegExp };

/** Compiles one cue, or explains why it is invalid. */
export function compileIntentCue(
  cue: string,
): { ok: true; cue: CompiledCue } | { ok: false; message: string } {
  if (cue.length >= 2 && cue.startsWith('/') && cue.endsWith('/')) {
    try {
      return { ok: true, cue: { kind: 'regex', re: new RegExp(cue.slice(1, -1), 'iu') } };
    } catch (err) {
      return { ok: false, message: `invalid regular expression ${cue}: ${(err as Error).message}` };
    }
  }
  const start = cue.startsWith('^');
  const end = cue.endsWith('$') && cue.length > 1;
  const phrase = normalizePhrase(cue.slice(start ? 1 : 0, end ? -1 : undefined));
  if (phrase === '') return { ok: false, message: `cue ${JSON.stringify(cue)} has no words` };
  const anchor = start && end ? 'whole' : start ? 'start' : end ? 'end' : 'any';
  return { ok: true, cue: { kind: 'phrase', phrase, anchor } };
}

function cueMatches(cue: CompiledCue, raw: string, normalized: string): boolean {
  if (cue.kind === 'regex') return cue.re.test(raw);
  const padded = ` ${cue.phrase} `;
  switch (cue.anchor) {
    case 'any':
      return hasPhrase(normalized, cue.phrase);
    case 'start':
      return normalized.startsWith(padded);
    case 'end':
      return normalized.endsWith(padded);
    case 'whole':
      return normalized === padded;
  }
}

/** A compiled lexicon. Build one with {@link IntentLexicon.from} or {@link IntentLexicon.extend}. */
export class IntentLexicon {
  readonly #cues: ReadonlyMap<string, readonly CompiledCue[]>;
  readonly #spec: Readonly<Record<string, readonly string[]>>;

  private constructor(spec: Record<string, readonly string[]>) {
    const cues = new Map<string, CompiledCue[]>();
    for (const [name, list] of Object.entries(spec)) {
      const compiled: CompiledCue[] = [];
      for (const cue of list) {
        const result = compileIntentCue(cue);
        if (result.ok) compiled.push(result.cue);
      }
      cues.set(name, compiled);
    }
    this.#cues = cues;
    this.#spec = spec;
  }

  /** A lexicon from intent → cues; invalid cues are skipped (validate them with {@link compileIntentCue}). */
  static from(spec: IntentLexiconSpec): IntentLexicon {
    return new IntentLexicon({ ...spec });
  }

  /** The built-in lexicon plus `extensions` (added cues, or replaced with `{ cues, replace: true }`). */
  static extend(
    extensions: Readonly<Record<string, IntentExtension>> = {},
    base: IntentLexiconSpec = BUILTIN_INTENTS,
  ): IntentLexicon {
    const spec: Record<string, readonly string[]> = { ...base };
    for (const [name, ext] of Object.entries(extensions)) {
      const list = Array.isArray(ext)
        ? (ext as readonly string[])
        : (ext as { cues: string[] }).cues;
      const replace = !Array.isArray(ext) && (ext as { replace?: boolean }).replace === true;
      spec[name] = replace ? [...list] : [...(spec[name] ?? []), ...list];
    }
    return new IntentLexicon(spec);
  }

  /** Intent names known to this lexicon. */
  get names(): string[] {
    return [...this.#cues.keys()];
  }

  has(name: string): boolean {
    return this.#cues.has(name);
  }

  /** Cue phrases of every intent, as written (for speech-recognition grammars). */
  get spec(): Readonly<Record<string, readonly string[]>> {
    return this.#spec;
  }

  /** Intents whose cues occur in `text`. `normalized` may be passed when already computed. */
  detect(text: string, normalized: string = normalizeText(text)): Set<string> {
    const found = new Set<string>();
    for (const [name, cues] of this.#cues) {
      if (cues.some((cue) => cueMatches(cue, text, normalized))) found.add(name);
    }
    return found;
  }
}

let builtin: IntentLexicon | undefined;

/** Intents detected in `text` with `lexicon` (the built-in one by default). */
export function detectIntents(
  text: string,
  lexicon: IntentLexicon | IntentLexiconSpec = (builtin ??= IntentLexicon.from(BUILTIN_INTENTS)),
): Set<string> {
  const compiled = lexicon instanceof IntentLexicon ? lexicon : IntentLexicon.from(lexicon);
  return compiled.detect(text);
}
