import { describe, expect, it } from 'vitest';
import {
  chooseSubprotocol,
  extractCredentials,
  isLoopbackHost,
  maskSubprotocol,
} from '../src/server/auth.js';
import { deflateOfferFits } from '../src/server/deflate.js';
import { isKnownRealtimeModel } from '../src/server/models.js';
import { DEFAULT_MAX_MESSAGE_BYTES, parseServerOptions } from '../src/server/options.js';
import { closeReasonFor, truncateCloseReason } from '../src/server/server-errors.js';

describe('parseServerOptions', () => {
  it('fills the defaults and opens a loopback server', () => {
    const parsed = parseServerOptions({});
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.options).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      auth: 'open',
      corsOrigin: '*',
      allowBeta: true,
      perMessageDeflate: false,
      limits: {
        maxSessions: 2000,
        maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
        maxSessionMinutes: 60,
        pingIntervalMs: 20_000,
      },
    });
    // 15 MiB of audio is 20 MiB of base64; the limit leaves room for the JSON around it.
    expect(DEFAULT_MAX_MESSAGE_BYTES).toBeGreaterThan((15 * 1024 * 1024 * 4) / 3);
  });

  it('chooses keys mode, with no CORS, when keys are given', () => {
    const parsed = parseServerOptions({ keys: ['sk-1'] });
    expect(parsed.ok && parsed.options).toMatchObject({ auth: 'keys', corsOrigin: null });
  });

  it('lists every problem with its path in one readable error', () => {
    const parsed = parseServerOptions({
      port: -1,
      limits: { maxSessions: 'many', bogus: 1 },
      colour: 'blue',
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.issues).toEqual([
      expect.stringMatching(/^port: Too small/) as string,
      expect.stringMatching(/^limits\.maxSessions: Invalid input: expected number/) as string,
      expect.stringMatching(/^limits: Unrecognized key: "bogus"/) as string,
      expect.stringMatching(/^options: Unrecognized key: "colour"/) as string,
    ]);
    expect(parsed.error.message).toMatch(/^Invalid LocalRealtime server options:\n {2}- port:/);
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com'])(
    'refuses to open %s without keys',
    (host) => {
      const parsed = parseServerOptions({ host });
      expect(parsed.ok).toBe(false);
      expect(parsed.ok ? '' : parsed.error.message).toMatch(/not a loopback address/);
    },
  );

  it('does not throw on input that is not an object', () => {
    expect(parseServerOptions('nonsense').ok).toBe(false);
    expect(parseServerOptions(null).ok).toBe(true);
  });
});

describe('auth helpers', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.1', false],
    ['128.0.0.1', false],
  ])('isLoopbackHost(%s) is %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it('answers with realtime, never with a key-bearing subprotocol', () => {
    expect(chooseSubprotocol(['openai-insecure-api-key.sk-1', 'realtime'])).toBe('realtime');
    expect(chooseSubprotocol(['openai-insecure-api-key.sk-1', 'openai-beta.realtime-v1'])).toBe(
      'openai-beta.realtime-v1',
    );
    expect(chooseSubprotocol(['openai-insecure-api-key.sk-1'])).toBe(false);
    expect(maskSubprotocol('openai-insecure-api-key.sk-1')).toBe(
      'openai-insecure-api-key.[redacted]',
    );
  });

  it('prefers the Authorization header and reads the beta header in any case', () => {
    const both = extractCredentials({
      authorization: 'bearer sk-header',
      'sec-websocket-protocol': 'realtime, openai-insecure-api-key.sk-protocol',
      'openai-beta': 'assistants=v2, Realtime=V1',
    });
    expect(both).toMatchObject({ secret: 'sk-header', source: 'header', beta: true });
    expect(both.subprotocolsForLog).toEqual(['realtime', 'openai-insecure-api-key.[redacted]']);
    const basic = `Basic ${Buffer.from(':sk-basic').toString('base64')}`;
    expect(extractCredentials({ authorization: basic })).toMatchObject({
      secret: 'sk-basic',
      source: 'header',
    });
    expect(extractCredentials({ authorization: 'Token abc' })).toMatchObject({
      secret: null,
      source: null,
    });
  });
});

describe('models', () => {
  it.each([
    ['gpt-realtime', true],
    ['gpt-realtime-2025-08-28', true],
    ['gpt-realtime-mini', true],
    ['gpt-4o-realtime-preview-2025-06-03', true],
    ['gpt-4o-mini-realtime-preview-2024-12-17', true],
    ['gpt-4o', false],
    ['whisper-1', false],
  ])('%s is known: %s', (model, known) => {
    expect(isKnownRealtimeModel(model)).toBe(known);
  });
});

describe('close reasons and deflate offers', () => {
  it('builds <type>.<code> reasons within the 123-byte limit', () => {
    expect(
      closeReasonFor({
        type: 'invalid_request_error',
        code: 'invalid_api_key',
        message: '',
        param: null,
      }),
    ).toBe('invalid_request_error.invalid_api_key');
    expect(Buffer.byteLength(truncateCloseReason('é'.repeat(100)))).toBeLessThanOrEqual(123);
  });

  it('detects deflate offers asking for a smaller server window than ours', () => {
    expect(deflateOfferFits(undefined, 11)).toBe(true);
    expect(deflateOfferFits('permessage-deflate; client_max_window_bits', 11)).toBe(true);
    expect(deflateOfferFits('permessage-deflate; server_max_window_bits=12', 11)).toBe(true);
    expect(deflateOfferFits('permessage-deflate; server_max_window_bits=10', 11)).toBe(false);
  });
});
