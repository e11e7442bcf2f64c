import { describe, expect, it } from 'vitest';
import type { KnownVoice } from '@realtime-assistant/protocol';
import {
  MAX_SPEECH_CHARS,
  groupSentences,
  sanitizeSpeechText,
  splitSentences,
} from '../src/voice/flite/flite-text.js';
import {
  DEFAULT_FLITE_VOICE,
  FLITE_VOICES,
  OPENAI_VOICE_MAP,
  fliteVoiceFor,
} from '../src/voice/flite/flite-voices.js';

const OPENAI_VOICES: KnownVoice[] = [
  'alloy',
  'ash',
  'ballad',
  'coral',
  'echo',
  'sage',
  'shimmer',
  'verse',
  'marin',
  'cedar',
];

describe('Flite voice map', () => {
  it('maps every OpenAI voice to an intelligible Flite voice', () => {
    for (const voice of OPENAI_VOICES) {
      expect(['kal16', 'rms', 'awb']).toContain(fliteVoiceFor(voice));
    }
    expect(Object.keys(OPENAI_VOICE_MAP).sort()).toEqual([...OPENAI_VOICES].sort());
  });

  it('uses more than one Flite voice across the OpenAI voices', () => {
    expect(new Set(OPENAI_VOICES.map(fliteVoiceFor)).size).toBeGreaterThanOrEqual(3);
  });

  it('gives the default voice for custom voice objects, unknown names and missing voices', () => {
    expect(fliteVoiceFor({ id: 'voice_123' })).toBe(DEFAULT_FLITE_VOICE);
    expect(fliteVoiceFor('nova')).toBe(DEFAULT_FLITE_VOICE);
    expect(fliteVoiceFor('')).toBe(DEFAULT_FLITE_VOICE);
    expect(fliteVoiceFor(undefined)).toBe(DEFAULT_FLITE_VOICE);
    expect(fliteVoiceFor('__proto__')).toBe(DEFAULT_FLITE_VOICE);
    expect(fliteVoiceFor('toString')).toBe(DEFAULT_FLITE_VOICE);
  });

  it('accepts OpenAI names in any case and Flite voice names as they are', () => {
    expect(fliteVoiceFor(' Ash ')).toBe('rms');
    expect(fliteVoiceFor('slt')).toBe('slt');
    expect(fliteVoiceFor('kal')).toBe('kal');
    expect(FLITE_VOICES.kal.sampleRate).toBe(8000);
  });
});

describe('speech text preparation', () => {
  it('removes control and invisible formatting characters and collapses whitespace', () => {
    expect(sanitizeSpeechText('Hello\u0000\u0007 \u200bworld\u202e!\r\n\tBye\u0085')).toBe(
      'Hello world ! Bye',
    );
  });

  it('caps long text at a word boundary', () => {
    const long = 'word '.repeat(20_000);
    const clean = sanitizeSpeechText(long);
    expect(clean.length).toBeLessThanOrEqual(MAX_SPEECH_CHARS);
    expect(clean.length).toBeGreaterThan(MAX_SPEECH_CHARS - 10);
    expect(clean.endsWith('word')).toBe(true);
  });

  it('returns empty text when there is nothing to say', () => {
    expect(sanitizeSpeechText('\u0001\u0002  \n')).toBe('');
    expect(splitSentences('  ')).toEqual([]);
  });

  it('splits text into sentences and merges pieces with no words', () => {
    expect(splitSentences('Hi there. How are you? Fine! ... ok; done')).toEqual([
      'Hi there.',
      'How are you?',
      'Fine! ...',
      'ok;',
      'done',
    ]);
    expect(splitSentences('Version 2.5 is out. "Great," she said.')).toEqual([
      'Version 2.5 is out.',
      '"Great," she said.',
    ]);
  });

  it('splits a sentence longer than 400 characters into shorter pieces', () => {
    const sentence = Array.from({ length: 120 }, (_, i) => `item${i}`).join(', ');
    const pieces = splitSentences(sentence);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(400);
    expect(pieces.join(' ').replace(/\s+/g, ' ')).toBe(sentence);
  });

  it('splits unbroken text with no spaces into pieces of at most 400 characters', () => {
    const pieces = splitSentences('x'.repeat(1000));
    expect(pieces.map((p) => p.length)).toEqual([400, 400, 200]);
  });

  it('groups consecutive sentences into pieces no longer than the limit', () => {
    expect(groupSentences(['aaa.', 'bbb.', 'ccc.', 'a much longer sentence.'], 10)).toEqual([
      'aaa. bbb.',
      'ccc.',
      'a much longer sentence.',
    ]);
    expect(groupSentences([], 10)).toEqual([]);
  });
});
