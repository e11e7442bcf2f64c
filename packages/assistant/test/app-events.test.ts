import { describe, expect, it } from 'vitest';
import { AppEvents } from '../src/index.js';
import type { AppEventName } from '../src/index.js';

const usage = {
  responses: 1,
  inputTokens: 1,
  outputTokens: 2,
  totalTokens: 3,
  inputTextTokens: 1,
  inputAudioTokens: 0,
  cachedTokens: 0,
  outputTextTokens: 2,
  outputAudioTokens: 0,
};

describe('AppEvents', () => {
  it('delivers typed payloads to on, once and next listeners', async () => {
    const events = new AppEvents();
    const seen: string[] = [];
    events.on('turn_changed', ({ state, previous }) => seen.push(`${previous}->${state}`));
    events.once('turn_changed', ({ state }) => seen.push(`once ${state}`));
    const next = events.next('turn_changed', (p) => p.state === 'speaking');
    events.emit('turn_changed', { state: 'thinking', previous: 'listening' });
    events.emit('turn_changed', { state: 'speaking', previous: 'thinking' });
    expect(seen).toEqual(['listening->thinking', 'once thinking', 'thinking->speaking']);
    expect(await next).toEqual({ state: 'speaking', previous: 'thinking' });
  });

  it('stops calling a listener after off or its unsubscribe function', () => {
    const events = new AppEvents();
    let calls = 0;
    const listener = () => calls++;
    const unsubscribe = events.on('farewell', listener);
    events.emit('farewell', { text: 'bye' });
    unsubscribe();
    events.emit('farewell', { text: 'bye' });
    expect(calls).toBe(1);
    expect(events.listenerCount('farewell')).toBe(0);
  });

  it('lets a wildcard tap see every event with its name', () => {
    const events = new AppEvents();
    const tapped: [AppEventName, unknown][] = [];
    const off = events.onAny((name, payload) => tapped.push([name, payload]));
    events.emit('usage_updated', { totals: usage, response: usage });
    events.emit('audio_level', { direction: 'input', db: -20 });
    off();
    events.emit('audio_level', { direction: 'input', db: -10 });
    expect(tapped).toEqual([
      ['usage_updated', { totals: usage, response: usage }],
      ['audio_level', { direction: 'input', db: -20 }],
    ]);
  });

  it('isolates a throwing listener: the others run and the failure is reported', () => {
    const reported: [string, unknown][] = [];
    const events = new AppEvents((event, error) => reported.push([event, error]));
    const after: string[] = [];
    const listenerErrors: unknown[] = [];
    events.on('listener_error', (p) => listenerErrors.push(p));
    events.on('farewell', () => {
      throw new Error('ui broke');
    });
    events.on('farewell', ({ text }) => after.push(text));
    events.onAny((name) => after.push(`any ${name}`));
    expect(() => events.emit('farewell', { text: 'bye' })).not.toThrow();
    expect(after).toEqual(['any listener_error', 'bye', 'any farewell']);
    expect(listenerErrors).toEqual([{ event: 'farewell', message: 'ui broke' }]);
    expect(reported).toHaveLength(1);
    expect(reported[0]![0]).toBe('farewell');
  });

  it('does not recurse when a listener_error listener throws', () => {
    const reported: string[] = [];
    const events = new AppEvents((event) => reported.push(event));
    events.on('listener_error', () => {
      throw new Error('again');
    });
    events.on('farewell', () => {
      throw new Error('first');
    });
    events.emit('farewell', { text: 'bye' });
    expect(reported).toEqual(['farewell', 'listener_error']);
  });
});
