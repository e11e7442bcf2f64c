import { describe, expect, it } from 'vitest';
import {
  TranscriptDeltas,
  buildJsgfGrammar,
  createTranscriber,
  normalizeGrammarPhrase,
  parseTranscriberConfig,
  resolvePocketsphinxPaths,
  transcriberForModel,
} from '../src/transcription/index.js';
import { VoicingDetector } from '../src/transcription/voicing-detector.js';
import { noise, silence, speak } from './helpers/speak.js';

describe('TranscriptDeltas', () => {
  it('sends words once two partials agree on them, and the rest at the end', () => {
    const deltas = new TranscriptDeltas();
    expect(deltas.partial('book')).toBe('');
    expect(deltas.partial('book a')).toBe('book');
    expect(deltas.partial('book a table')).toBe(' a');
    expect(deltas.partial('book a table for')).toBe(' table');
    expect(deltas.final('book a table for two')).toBe(' for two');
    expect(deltas.sent).toBe('book a table for two');
  });

  it('holds back a revised tail and never retracts a sent word', () => {
    const deltas = new TranscriptDeltas();
    deltas.partial('but that table');
    expect(deltas.partial('but that table for two')).toBe('but that table');
    // "two" becomes "do what": only the agreed "for" goes out.
    expect(deltas.partial('but that table for do what')).toBe(' for');
    // The final text revises "that", which was sent: the last delta is empty and the transcript is authoritative.
    expect(deltas.final('but a table for two at seven')).toBe('');
    expect(deltas.sent).toBe('but that table for');
  });
});

describe('JSGF grammar', () => {
  it('normalises case, punctuation and numbers', () => {
    expect(normalizeGrammarPhrase('Book a table for 2 at 7:30!')).toEqual(
      'book a table for two at seven thirty'.split(' '),
    );
    expect(normalizeGrammarPhrase("It's the 21st, isn't it? Room 1205")).toEqual(
      "it's the twenty first isn't it room one thousand two hundred five".split(' '),
    );
    expect(normalizeGrammarPhrase('check-in at 9:00 / 9:05')).toEqual(
      "check in at nine o'clock nine oh five".split(' '),
    );
  });

  it('builds one public rule of the phrases, dropping unknown words with a warning', () => {
    const dictionary = new Set(['hello', 'world', 'book', 'a', 'table']);
    const grammar = buildJsgfGrammar(
      ['Hello, world!', 'hello world', 'Book a Zyxwv table', 'Qqq'],
      (w) => dictionary.has(w),
    );
    expect(grammar.phrases).toEqual(['hello world', 'book a table']);
    expect(grammar.jsgf).toBe(
      '#JSGF V1.0;\ngrammar utterances;\npublic <utt> = ( hello world | book a table );\n',
    );
    expect(grammar.warnings).toEqual([
      'grammar phrase "Book a Zyxwv table": dropped "zyxwv" (not in the pronunciation dictionary).',
      'grammar phrase "Qqq" skipped: no word of it is in the pronunciation dictionary.',
    ]);
  });

  it('falls back to the general model when no phrase is usable', () => {
    const grammar = buildJsgfGrammar(['Qqq'], () => false);
    expect(grammar.jsgf).toBeUndefined();
    expect(grammar.warnings.at(-1)).toContain('general language model');
  });
});

describe('transcriber config', () => {
  it('validates configs without throwing', () => {
    expect(parseTranscriberConfig({ kind: 'pocketsphinx', workers: 2 })).toEqual({
      ok: true,
      config: { kind: 'pocketsphinx', workers: 2 },
    });
    const bad = parseTranscriberConfig({ kind: 'http', baseURL: 'not a url' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toContain('baseURL');
    expect(parseTranscriberConfig({ kind: 'whisper' }).ok).toBe(false);
  });

  it('resolves pocketsphinx paths from config, then environment, then Debian defaults', () => {
    expect(resolvePocketsphinxPaths({ kind: 'pocketsphinx' })).toEqual({
      library: 'libpocketsphinx.so.3',
      sphinxbaseLibrary: 'libsphinxbase.so.3',
      modelDir: '/usr/share/pocketsphinx/model/en-us',
    });
    const env = {
      LOCAL_REALTIME_POCKETSPHINX_LIBRARY: '/env/libps.so',
      LOCAL_REALTIME_POCKETSPHINX_MODEL_DIR: '/env/model',
    };
    expect(
      resolvePocketsphinxPaths({ kind: 'pocketsphinx', library: '/cfg/libps.so' }, env),
    ).toEqual({
      library: '/cfg/libps.so',
      sphinxbaseLibrary: 'libsphinxbase.so.3',
      modelDir: '/env/model',
    });
  });
});

describe('none transcriber and model names', () => {
  it('exposes kind none and resolves streams with an empty transcript', async () => {
    const transcriber = createTranscriber({ kind: 'none' });
    expect(transcriber.kind).toBe('none');
    const stream = transcriber.open();
    stream.write(new Int16Array(8000));
    expect(await stream.finish()).toEqual({
      text: '',
      finalDelta: '',
      usage: { type: 'duration', seconds: 0.5 },
    });
    expect(await transcriber.available()).toEqual({ ok: true });
  });

  it('maps every transcription model name to the configured backend', () => {
    const transcriber = createTranscriber({ kind: 'none' });
    for (const model of [
      'whisper-1',
      'gpt-4o-transcribe',
      'gpt-4o-mini-transcribe',
      'anything',
      undefined,
    ]) {
      expect(transcriberForModel(transcriber, model)).toBe(transcriber);
    }
  });
});

describe('VoicingDetector', () => {
  it('finds voiced frames in speech and none in noise or silence', async () => {
    const voiced = new VoicingDetector();
    voiced.write(await speak('hello world'));
    expect(voiced.heardVoice).toBe(true);
    for (const audio of [noise(2000, 3000), noise(2000, 20000, 7), silence(1000)]) {
      const detector = new VoicingDetector();
      detector.write(audio);
      expect(detector.voicedFrames).toBe(0);
    }
  });
});
