/**
 * A VAD barge-in (`input_audio_buffer.speech_started`) through the SDK's own handler, against a scripted server on
 * loopback, since the engine's session does not run VAD yet.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AppConfigSchema, ConversationController, conversationSettingsFrom } from '../src/index.js';
import { FakeSink } from './helpers/fake-sink.js';
import { ScriptedServer } from './helpers/scripted-server.js';

let server: ScriptedServer | null = null;
let controller: ConversationController | null = null;

afterEach(async () => {
  controller?.close();
  controller = null;
  await server?.close();
  server = null;
});

async function replying(interruptResponse: boolean) {
  server = await ScriptedServer.start(interruptResponse);
  const sink = new FakeSink();
  const settings = conversationSettingsFrom(AppConfigSchema.parse({}), null, {
    transcriptionModel: null,
  });
  controller = new ConversationController({
    url: server.url,
    apiKey: 'sk-test-1234567890',
    settings,
    sink,
  });
  await controller.connect();
  server.startAudioReply('item_reply', 500);
  await sink.untilWrittenMs(500);
  return { server, sink, controller };
}

describe('VAD barge-in', () => {
  it('truncates at the played position and sends no response.cancel when the server cancels (interrupt_response)', async () => {
    const { server: s, sink, controller: c } = await replying(true);
    sink.reportPlayedMs = 320;
    const truncate = s.next('conversation.item.truncate');
    const interrupted = c.events.next('interrupted');
    s.send({
      type: 'input_audio_buffer.speech_started',
      audio_start_ms: 1000,
      item_id: 'item_user',
    });
    expect(await interrupted).toMatchObject({
      reason: 'speech_started',
      played_ms: 320,
      truncated_ms: 320,
      cancelled: false,
    });
    expect(await truncate).toMatchObject({
      item_id: 'item_reply',
      content_index: 0,
      audio_end_ms: 320,
    });
    expect(sink.stops).toBe(1);
    expect(s.received.filter((e) => e.type === 'response.cancel')).toHaveLength(0);
    expect(c.turn).toBe('listening');
  });

  it('sends response.cancel before the truncate when interrupt_response is off', async () => {
    const { server: s, sink, controller: c } = await replying(false);
    sink.reportPlayedMs = 120;
    const truncate = s.next('conversation.item.truncate');
    const interrupted = c.events.next('interrupted');
    s.send({
      type: 'input_audio_buffer.speech_started',
      audio_start_ms: 1000,
      item_id: 'item_user',
    });
    expect(await interrupted).toMatchObject({
      reason: 'speech_started',
      truncated_ms: 120,
      cancelled: true,
    });
    await truncate;
    const types = s.received.map((e) => e.type);
    expect(types.filter((t) => t === 'response.cancel')).toHaveLength(1);
    expect(types.indexOf('response.cancel')).toBeLessThan(
      types.indexOf('conversation.item.truncate'),
    );
  });
});
