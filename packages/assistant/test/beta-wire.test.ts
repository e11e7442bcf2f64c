import { describe, expect, it } from 'vitest';
import { BetaWire } from '../src/conversation/beta-wire.js';

describe('BetaWire', () => {
  const parse = (frames: string[]): Record<string, unknown>[] =>
    frames.map((f) => JSON.parse(f) as Record<string, unknown>);

  it('splits conversation.item.created into added and, once complete, done', () => {
    const w = new BetaWire();
    const user = { id: 'item_u', type: 'message', role: 'user', status: 'completed', content: [] };
    expect(
      parse(
        w.incoming(
          JSON.stringify({
            type: 'conversation.item.created',
            event_id: 'event_1',
            previous_item_id: null,
            item: user,
          }),
        ),
      ),
    ).toEqual([
      { type: 'conversation.item.added', event_id: 'event_1', previous_item_id: null, item: user },
      {
        type: 'conversation.item.done',
        event_id: 'event_1_done',
        previous_item_id: null,
        item: user,
      },
    ]);
    const assistant = {
      id: 'item_a',
      type: 'message',
      role: 'assistant',
      status: 'in_progress',
      content: [],
    };
    expect(
      parse(
        w.incoming(
          JSON.stringify({
            type: 'conversation.item.created',
            event_id: 'event_2',
            previous_item_id: 'item_u',
            item: assistant,
          }),
        ),
      ).map((e) => e.type),
    ).toEqual(['conversation.item.added']);
    const finished = {
      ...assistant,
      status: 'completed',
      content: [{ type: 'text', text: 'Hi' }],
    };
    const out = parse(
      w.incoming(
        JSON.stringify({
          type: 'response.output_item.done',
          event_id: 'event_3',
          response_id: 'resp_1',
          output_index: 0,
          item: finished,
        }),
      ),
    );
    expect(out.map((e) => e.type)).toEqual(['conversation.item.done', 'response.output_item.done']);
    expect(out[0]).toMatchObject({
      previous_item_id: 'item_u',
      item: { id: 'item_a', content: [{ type: 'output_text', text: 'Hi' }] },
    });
  });

  it('renames beta server events and passes unreadable frames through', () => {
    const w = new BetaWire();
    expect(
      parse(w.incoming('{"type":"response.audio.delta","item_id":"i","delta":"AAAA"}')),
    ).toEqual([{ type: 'response.output_audio.delta', item_id: 'i', delta: 'AAAA' }]);
    expect(w.incoming('not json')).toEqual(['not json']);
    expect(w.incoming('[1]')).toEqual(['[1]']);
  });

  it('translates outgoing GA events, adds the temperature, and leaves appends and strays alone', () => {
    const w = new BetaWire({ temperature: 1.1 });
    expect(
      JSON.parse(
        w.outgoing(
          JSON.stringify({
            type: 'session.update',
            session: { type: 'realtime', output_modalities: ['text'] },
          }),
        ),
      ),
    ).toEqual({ type: 'session.update', session: { modalities: ['text'], temperature: 1.1 } });
    const append = '{"type":"input_audio_buffer.append","audio":"AAAA"}';
    expect(w.outgoing(append)).toBe(append);
    const stray = '{"type":"no.such.event"}';
    expect(w.outgoing(stray)).toBe(stray);
  });
});
