import { describe, expect, it } from 'vitest';
import { ConversationReplay } from '../src/index.js';
import type { TranscriptEntry } from '../src/index.js';

function message(
  itemId: string,
  speaker: 'user' | 'assistant',
  text: string,
  final = true,
): TranscriptEntry {
  return { itemId, speaker, text, final, interrupted: false };
}

function functionItem(type: 'function_call' | 'function_call_output', id: string, callId: string) {
  return {
    type: 'conversation.item.done',
    item:
      type === 'function_call'
        ? { id, type, call_id: callId, name: 'get_weather', arguments: '{"city":"Paris"}' }
        : { id, type, call_id: callId, output: '{"summary":"sunny"}' },
  };
}

describe('ConversationReplay', () => {
  it('turns messages into input_text and output_text items in conversation order', () => {
    const replay = new ConversationReplay();
    const items = replay.items(
      ['item_a', 'item_b'],
      [message('item_b', 'assistant', 'Hi Alex!'), message('item_a', 'user', 'I am Alex')],
    );
    expect(items).toEqual([
      {
        type: 'message',
        id: 'item_a',
        role: 'user',
        content: [{ type: 'input_text', text: 'I am Alex' }],
      },
      {
        type: 'message',
        id: 'item_b',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Hi Alex!' }],
      },
    ]);
  });

  it('keeps tool calls with their outputs and drops a call still waiting for its output', () => {
    const replay = new ConversationReplay();
    replay.handle(functionItem('function_call', 'item_call', 'call_1'));
    replay.handle(functionItem('function_call_output', 'item_out', 'call_1'));
    replay.handle(functionItem('function_call', 'item_open', 'call_2'));
    const items = replay.items(['item_call', 'item_out', 'item_open'], []);
    expect(items).toEqual([
      {
        type: 'function_call',
        id: 'item_call',
        call_id: 'call_1',
        name: 'get_weather',
        arguments: '{"city":"Paris"}',
      },
      {
        type: 'function_call_output',
        id: 'item_out',
        call_id: 'call_1',
        output: '{"summary":"sunny"}',
      },
    ]);
  });

  it('ignores in-progress tool calls and events it does not know', () => {
    const replay = new ConversationReplay();
    replay.handle({
      type: 'conversation.item.added',
      item: { id: 'item_call', type: 'function_call', call_id: 'call_1', status: 'in_progress' },
    });
    replay.handle({ type: 'response.done', response: {} });
    replay.handle({ type: 'conversation.item.done' });
    expect(replay.items(['item_call'], [])).toEqual([]);
  });

  it('leaves out empty messages, and messages still arriving when asked for complete ones only', () => {
    const replay = new ConversationReplay();
    const entries = [
      message('item_a', 'user', '  '),
      message('item_b', 'user', 'play a tone'),
      message('item_c', 'assistant', 'Here is', false),
    ];
    const order = ['item_a', 'item_b', 'item_c'];
    expect(replay.items(order, entries).map((i) => i.id)).toEqual(['item_b', 'item_c']);
    expect(replay.items(order, entries, { completeOnly: true }).map((i) => i.id)).toEqual([
      'item_b',
    ]);
  });

  it('forgets tool items on clear', () => {
    const replay = new ConversationReplay();
    replay.handle(functionItem('function_call', 'item_call', 'call_1'));
    replay.handle(functionItem('function_call_output', 'item_out', 'call_1'));
    replay.clear();
    expect(replay.items(['item_call', 'item_out'], [])).toEqual([]);
  });
});
