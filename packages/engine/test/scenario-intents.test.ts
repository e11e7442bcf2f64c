import { describe, expect, it } from 'vitest';
import { BUILTIN_INTENTS, detectIntents, IntentLexicon } from '../src/scenario/index.js';

describe('detectIntents', () => {
  const cases: Array<[string, string, string]> = [
    ['greeting', 'Hello there!', 'hello'],
    ['greeting', 'good morning', 'morning'],
    ['farewell', 'Goodbye!', 'goodbye'],
    ['farewell', 'good bye then', 'good bye'],
    ['farewell', 'ok, see you later', 'see you'],
    ['help_request', 'Can you help me?', 'help'],
    ['help_request', 'what can you do', 'capabilities'],
    ['question', 'Where is the station', 'wh-word at the start'],
    ['question', 'the train leaves at six?', 'trailing question mark'],
    ['question', 'could you tell me the time', 'could you'],
    ['complaint', "This is terrible, it doesn't work", 'terrible'],
    ['gratitude', 'Thanks a lot!', 'thanks'],
    ['gratitude', 'thank you so much', 'thank you'],
    ['confirmation', 'Yes, please do.', 'yes'],
    ['confirmation', 'sounds good', 'sounds good'],
    ['denial', 'No thanks.', 'no'],
    ['denial', 'nope', 'nope'],
  ];
  for (const [intent, text, why] of cases) {
    it(`detects ${intent} in "${text}" (${why})`, () => {
      expect(detectIntents(text)).toContain(intent);
    });
  }

  it('matches cues on word boundaries only', () => {
    expect(detectIntents('this is Othello')).not.toContain('greeting');
    expect(detectIntents('nothing')).not.toContain('denial');
    expect(detectIntents('somewhat later')).not.toContain('question');
  });

  it('ignores case, punctuation and apostrophes', () => {
    expect(detectIntents("WHAT'S UP")).toContain('greeting');
    expect(detectIntents('whats up')).toContain('greeting');
    expect(detectIntents('it doesnt work')).toContain('complaint');
  });

  it('anchors ^cues to the start of the utterance', () => {
    expect(detectIntents('how do I get there')).toContain('question');
    expect(detectIntents('I know how')).not.toContain('question');
  });

  it('returns several intents when several apply and none for neutral text', () => {
    expect(detectIntents('thanks, bye!')).toEqual(new Set(['farewell', 'gratitude']));
    expect(detectIntents('the cat sat on the mat').size).toBe(0);
  });

  it('extends the built-in lexicon with new intents and extra cues', () => {
    const lexicon = IntentLexicon.extend({
      booking: ['book', 'make an appointment'],
      greeting: ['ahoy'],
    });
    expect(lexicon.detect('I want to make an appointment')).toContain('booking');
    expect(lexicon.detect('Ahoy!')).toContain('greeting');
    expect(lexicon.detect('hello')).toContain('greeting');
    expect(lexicon.names).toEqual(
      expect.arrayContaining([...Object.keys(BUILTIN_INTENTS), 'booking']),
    );
  });

  it('replaces a built-in intent when asked to', () => {
    const lexicon = IntentLexicon.extend({ greeting: { cues: ['ahoy'], replace: true } });
    expect(lexicon.detect('ahoy')).toContain('greeting');
    expect(lexicon.detect('hello')).not.toContain('greeting');
  });

  it('supports end anchors and regex cues', () => {
    const lexicon = IntentLexicon.from({ sign_off: ['over$'], code: ['/\\b[A-Z]{3}-\\d+\\b/'] });
    expect(lexicon.detect('roger, over')).toEqual(new Set(['sign_off']));
    expect(lexicon.detect('over and out').has('sign_off')).toBe(false);
    expect(lexicon.detect('ticket abc-123')).toContain('code');
  });

  it('accepts a plain lexicon object', () => {
    expect(detectIntents('hola', { greeting: ['hola'] })).toEqual(new Set(['greeting']));
  });
});
