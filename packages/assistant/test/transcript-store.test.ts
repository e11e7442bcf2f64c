import { describe, expect, it } from 'vitest';
import { TranscriptStore } from '../src/index.js';
import type { AppEventMap } from '../src/index.js';

function store() {
  const finals: AppEventMap['transcript_final'][] = [];
  const deltas: AppEventMap['transcript_delta'][] = [];
  const removed: string[] = [];
  const s = new TranscriptStore({
    delta: (e) => deltas.push(e),
    final: (e) => finals.push(e),
    removed: (e) => removed.push(e.itemId),
  });
  return { s, finals, deltas, removed };
}

const userAudio = (id: string, previous: string | null) => ({
  type: 'conversation.item.added',
  previous_item_id: previous,
  item: {
    id,
    type: 'message',
    role: 'user',
    status: 'completed',
    content: [{ type: 'input_audio', transcript: null }],
  },
});
const assistant = (id: string, previous: string | null) => ({
  type: 'conversation.item.added',
  previous_item_id: previous,
  item: { id, type: 'message', role: 'assistant', status: 'in_progress', content: [] },
});

describe('TranscriptStore', () => {
  it('keeps the user before the reply when the user transcript arrives after the reply', () => {
    const { s, finals } = store();
    s.handle(userAudio('u1', null));
    s.handle(assistant('a1', 'u1'));
    s.handle({ type: 'response.output_audio_transcript.delta', item_id: 'a1', delta: 'Sure, ' });
    s.handle({
      type: 'response.output_audio_transcript.done',
      item_id: 'a1',
      transcript: 'Sure, here it is.',
    });
    s.handle({
      type: 'conversation.item.input_audio_transcription.completed',
      item_id: 'u1',
      transcript: 'Play a tone.',
    });
    expect(s.entries().map((e) => [e.speaker, e.text])).toEqual([
      ['user', 'Play a tone.'],
      ['assistant', 'Sure, here it is.'],
    ]);
    expect(finals.map((f) => [f.itemId, f.order])).toEqual([
      ['a1', 1],
      ['u1', 0],
    ]);
  });

  it('places an item after its previous_item_id, also after a function call', () => {
    const { s } = store();
    s.handle(userAudio('u1', null));
    s.handle({
      type: 'conversation.item.added',
      previous_item_id: 'u1',
      item: { id: 'f1', type: 'function_call' },
    });
    s.handle(assistant('a2', 'f1'));
    s.handle(userAudio('u2', 'a2'));
    // An item inserted earlier in the chain (a replayed message) goes where its previous_item_id says.
    s.handle(assistant('a1', 'u1'));
    expect(s.entries().map((e) => e.itemId)).toEqual(['u1', 'a1', 'a2', 'u2']);
  });

  it('accumulates deltas and reports the text so far', () => {
    const { s, deltas } = store();
    s.handle(assistant('a1', null));
    s.handle({ type: 'response.output_text.delta', item_id: 'a1', delta: 'Hel' });
    s.handle({ type: 'response.output_text.delta', item_id: 'a1', delta: 'lo' });
    expect(deltas.map((d) => d.text)).toEqual(['Hel', 'Hello']);
    expect(s.entries()[0]).toMatchObject({ text: 'Hello', final: false });
  });

  it('finalises a typed user message when it is added', () => {
    const { s, finals } = store();
    s.handle({
      type: 'conversation.item.added',
      previous_item_id: null,
      item: {
        id: 'u1',
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: 'hi' }],
      },
    });
    expect(finals).toEqual([
      { speaker: 'user', itemId: 'u1', order: 0, text: 'hi', interrupted: false },
    ]);
  });

  it('marks a truncated reply as interrupted and removes a deleted one for good', () => {
    const { s, finals, removed } = store();
    s.handle(userAudio('u1', null));
    s.handle(assistant('a1', 'u1'));
    s.handle({
      type: 'response.output_audio_transcript.delta',
      item_id: 'a1',
      delta: 'Long answer',
    });
    s.markInterrupted('a1');
    expect(finals.at(-1)).toMatchObject({ itemId: 'a1', interrupted: true, text: 'Long answer' });
    s.handle(assistant('a2', 'a1'));
    s.markDeleted('a2');
    s.handle({ type: 'response.output_audio_transcript.done', item_id: 'a2', transcript: 'late' });
    s.handle({ type: 'conversation.item.deleted', item_id: 'a2' });
    expect(removed).toEqual(['a2']);
    expect(s.entries().map((e) => e.itemId)).toEqual(['u1', 'a1']);
  });
});
