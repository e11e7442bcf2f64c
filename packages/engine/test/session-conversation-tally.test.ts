/**
 * The default conversation keeps a running tally of what a response reads (turns, text characters, input audio,
 * the latest user message) instead of walking every item on every response. These tests drive random sequences
 * of the item operations a session performs and check, after each one, that the tally equals a full recount.
 */
import { describe, expect, it } from 'vitest';
import { Conversation } from '../src/session/conversation.js';
import { ConversationOps } from '../src/session/conversation-ops.js';
import {
  contextFromTally,
  itemTextChars,
  messageText,
  readReplyContext,
} from '../src/session/reply-context.js';
import type { WireItem } from '../src/session/response-types.js';
import { seededRandom as random } from '../src/vad/index.js';

type Json = Record<string, unknown>;

const PCM24 = { type: 'audio/pcm', rate: 24_000 };

const WORDS = ['book', 'a', 'haircut', ' tomorrow', 'at ten ', '', 'thanks', '\u00a0hi', 'ok'];

function recount(conversation: Conversation): ReturnType<typeof readReplyContext> {
  const stored = conversation.items();
  let audioMs = 0;
  for (const s of stored) for (const ms of s.audioSentMs.values()) audioMs += ms;
  const items = stored.map((s) => s.item as Json);
  return readReplyContext(items, () => items, 'Be brief.', Math.round(audioMs * 1000) / 1000);
}

/** The session's item operations on `conversation`, with nothing listening to their events. */
function opsOn(conversation: Conversation): ConversationOps {
  return new ConversationOps({
    conversation,
    emit: () => {},
    inputFormat: () => PCM24,
    cancelInBand: () => {},
  });
}

/** The context a response over the whole conversation gets from the tally (what `ResponseFactory` does). */
function tallied(conversation: Conversation): ReturnType<typeof readReplyContext> {
  return contextFromTally(
    conversation.tally(),
    (isCall) => conversation.findLast(isCall),
    'Be brief.',
  );
}

describe('the conversation tally', () => {
  it('equals a full recount after every operation of 40 random sequences', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const next = random(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
      const text = (): string =>
        Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(WORDS)).join(' ');
      const conversation = new Conversation();
      const ops = opsOn(conversation);
      let callCount = 0;
      for (let step = 0; step < 60; step++) {
        const ids = conversation.items().map((s) => s.item.id);
        const roll = next();
        if (roll < 0.25) {
          ops.create(
            {
              type: 'message',
              role: pick(['user', 'system', 'user']),
              content: [{ type: 'input_text', text: text() }],
            },
            ids.length > 0 && next() < 0.3 ? pick([...ids, 'root']) : undefined,
            null,
          );
        } else if (roll < 0.35) {
          const callId = `call_${++callCount}`;
          ops.create(
            {
              type: 'function_call',
              call_id: callId,
              name: 'lookup',
              arguments: `{"q":"${text()}"}`,
            },
            undefined,
            null,
          );
          ops.create(
            { type: 'function_call_output', call_id: callId, output: text() },
            undefined,
            null,
          );
        } else if (roll < 0.5) {
          const id = ops.commitAudio(new Uint8Array(480 * (1 + Math.floor(next() * 100))));
          if (next() < 0.7) ops.setInputTranscript(id, text());
        } else if (roll < 0.75) {
          // An assistant audio reply streamed, perhaps truncated while or after it streams.
          const id = `item_asst_${seed}_${step}`;
          const transcript = text();
          const item: WireItem = {
            id,
            object: 'realtime.item',
            type: 'message',
            status: 'in_progress',
            role: 'assistant',
            content: [],
          } as unknown as WireItem;
          ops.addAssistantItem(item, PCM24);
          ops.assistantPartStarted(id, { type: 'output_audio', transcript: '' } as never);
          const ms = 20 * (1 + Math.floor(next() * 50));
          ops.assistantAudioSent(id, ms / 2);
          if (next() < 0.2) ops.truncate(id, 0, Math.floor(ms / 4), null);
          ops.assistantAudioSent(id, ms);
          const done = {
            ...item,
            status: 'completed',
            content: [{ type: 'output_audio', transcript }],
          } as unknown as WireItem;
          ops.finishAssistantItem(done, new Uint8Array(ms * 48), ms);
          if (next() < 0.2) ops.truncate(id, 0, Math.floor(ms / 3), null);
        } else if (ids.length > 0) {
          ops.delete(pick(ids), null);
        }
        expect(tallied(conversation), `seed ${seed}, step ${step}`).toEqual(recount(conversation));
      }
    }
  });

  it('reads a follow-up to a function call from the calls before it', () => {
    const conversation = new Conversation();
    const ops = opsOn(conversation);
    ops.create(
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Book it' }] },
      undefined,
      null,
    );
    ops.create(
      { type: 'function_call', call_id: 'call_1', name: 'book', arguments: '{}' },
      undefined,
      null,
    );
    ops.create(
      { type: 'function_call_output', call_id: 'call_1', output: '{"ok":true}' },
      undefined,
      null,
    );
    const context = tallied(conversation);
    expect(context.functionOutput).toEqual({
      name: 'book',
      output: '{"ok":true}',
      callId: 'call_1',
    });
    expect(context.turn).toBe(1);
    expect(context.text).toBe('Book it');
  });

  it('counts a message as long as its joined, trimmed text, whatever its parts and edges', () => {
    const next = random(7);
    const pieces = [
      '',
      ' ',
      'a',
      'word',
      ' lead',
      'trail ',
      '\u00a0nbsp',
      'tab\t',
      '\u1680x',
      'x\u3000',
      '\ufeff',
    ];
    for (let i = 0; i < 2000; i++) {
      const content = Array.from({ length: Math.floor(next() * 4) }, () =>
        next() < 0.5
          ? { type: 'input_text', text: pieces[Math.floor(next() * pieces.length)]! }
          : { type: 'output_audio', transcript: pieces[Math.floor(next() * pieces.length)]! },
      );
      const item = { type: 'message', role: 'user', content };
      expect(itemTextChars(item), JSON.stringify(content)).toBe(messageText(item).length);
    }
  });
});
