import { describe, expect, it } from 'vitest';
import {
  betaApiShapeDisabledError,
  conversationAlreadyHasActiveResponseError,
  errorEvent,
  errorEventFrom,
  inputAudioBufferCommitEmptyError,
  invalidApiKeyError,
  invalidEventError,
  invalidJsonError,
  invalidModelError,
  invalidTypeError,
  invalidValueError,
  itemNotFoundError,
  missingAuthenticationError,
  missingModelError,
  missingRequiredParameterError,
  parseClientEvent,
  parseServerEvent,
  previousItemNotFoundError,
  rateLimitExceededError,
  responseCancelNotActiveError,
  serverError,
  sessionExpiredError,
  truncateBeyondAudioError,
  unknownParameterError,
  type ErrorEvent,
} from '../src/index.js';

const EVENT_ID = /^event_[A-Za-z0-9]{21}$/;

describe('errorEvent', () => {
  it('builds an invalid_request_error with a new event_id and nulls for absent fields', () => {
    const a = errorEvent({ code: 'x', message: 'm' });
    const b = errorEvent({ code: 'x', message: 'm' });
    expect(a).toEqual({
      type: 'error',
      event_id: expect.stringMatching(EVENT_ID) as unknown,
      error: {
        type: 'invalid_request_error',
        code: 'x',
        message: 'm',
        param: null,
        event_id: null,
      },
    });
    expect(a.event_id).not.toBe(b.event_id);
  });

  it('wraps a parseClientEvent failure with its code, param and client event_id', () => {
    const result = parseClientEvent(
      '{"type":"session.update","event_id":"c1","session":{"type":"realtime","x":1}}',
    );
    if (result.ok) throw new Error('expected an error');
    const event = errorEventFrom(result.error);
    expect(event.error).toEqual({
      type: 'invalid_request_error',
      code: 'unknown_parameter',
      message: "Unknown parameter: 'session.x'.",
      param: 'session.x',
      event_id: 'c1',
    });
  });
});

type Row = [string, ErrorEvent, string | null, string, string | null];

const ROWS: Row[] = [
  [
    'invalid_json',
    invalidJsonError({ detail: 'expected value at line 1 column 1' }),
    'invalid_json',
    'Invalid event: failed to parse JSON value. expected value at line 1 column 1',
    null,
  ],
  [
    'invalid_event (binary)',
    invalidEventError(),
    'invalid_event',
    'Expected a text WebSocket message; binary frames are not supported.',
    null,
  ],
  [
    'invalid_value (supported list)',
    invalidValueError({ param: 'type', value: 'nope', supported: ['a', 'b', 'c'] }),
    'invalid_value',
    "Invalid value: 'nope'. Supported values are: 'a', 'b', and 'c'.",
    'type',
  ],
  [
    'unknown_parameter',
    unknownParameterError({ param: 'session.bogus_field' }),
    'unknown_parameter',
    "Unknown parameter: 'session.bogus_field'.",
    'session.bogus_field',
  ],
  [
    'missing_required_parameter',
    missingRequiredParameterError({ param: 'session.type' }),
    'missing_required_parameter',
    "Missing required parameter: 'session.type'.",
    'session.type',
  ],
  [
    'invalid_type',
    invalidTypeError({
      param: 'session.audio.input.format',
      expected: 'an object',
      value: 'pcm16',
    }),
    'invalid_type',
    "Invalid type for 'session.audio.input.format': expected an object, but got a string instead.",
    'session.audio.input.format',
  ],
  [
    'conversation_already_has_active_response',
    conversationAlreadyHasActiveResponseError({ responseId: 'resp_1' }),
    'conversation_already_has_active_response',
    'Conversation already has an active response in progress: resp_1. Wait until the response is finished before creating a new one.',
    null,
  ],
  [
    'response_cancel_not_active',
    responseCancelNotActiveError(),
    'response_cancel_not_active',
    'Cancellation failed: no active response found',
    null,
  ],
  [
    'input_audio_buffer_commit_empty',
    inputAudioBufferCommitEmptyError({ bufferedMs: 12.5 }),
    'input_audio_buffer_commit_empty',
    'Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has 12.50ms of audio.',
    null,
  ],
  [
    'session_expired',
    sessionExpiredError(),
    'session_expired',
    'Your session hit the maximum duration of 60 minutes.',
    null,
  ],
  [
    'invalid_api_key',
    invalidApiKeyError({ maskedKey: 'sk-abc***wxyz' }),
    'invalid_api_key',
    'Incorrect API key provided: sk-abc***wxyz. You can find your API key at https://platform.openai.com/account/api-keys.',
    null,
  ],
  [
    'missing authentication',
    missingAuthenticationError(),
    null,
    'Missing bearer or basic authentication in header',
    null,
  ],
  [
    'missing_model',
    missingModelError(),
    'missing_model',
    'You must provide a model parameter, for example wss://api.openai.com/v1/realtime?model=gpt-realtime',
    null,
  ],
  [
    'invalid_model',
    invalidModelError({ model: 'gpt-nope' }),
    'invalid_model',
    'Model "gpt-nope" is not supported in realtime mode.',
    null,
  ],
  [
    'item_retrieve_invalid_item_id',
    itemNotFoundError({ operation: 'retrieve', itemId: 'item_x' }),
    'item_retrieve_invalid_item_id',
    "Error retrieving item: the item with id 'item_x' does not exist.",
    null,
  ],
  [
    'item_delete_invalid_item_id',
    itemNotFoundError({ operation: 'delete', itemId: 'yo' }),
    'item_delete_invalid_item_id',
    "Error deleting item: the item with id 'yo' does not exist.",
    null,
  ],
  [
    'item_truncate_invalid_item_id',
    itemNotFoundError({ operation: 'truncate', itemId: 'item_y' }),
    'item_truncate_invalid_item_id',
    "Error truncating item: the item with id 'item_y' does not exist.",
    null,
  ],
  [
    'truncate beyond the audio',
    truncateBeyondAudioError({ audioMs: 1200, audioEndMs: 1500 }),
    'invalid_value',
    'Audio content of 1200ms is already shorter than 1500ms',
    'audio_end_ms',
  ],
];

describe('named error helpers', () => {
  it.each(ROWS)('builds %s with the live code and text', (_name, event, code, message, param) => {
    expect(event.type).toBe('error');
    expect(event.event_id).toMatch(EVENT_ID);
    expect(event.error).toMatchObject({ type: 'invalid_request_error', code, message, param });
  });

  it.each(ROWS)('builds %s as an event parseServerEvent types', (_name, event) => {
    expect(parseServerEvent(JSON.stringify(event))).toMatchObject({ ok: true, generic: false });
  });

  it('echoes the client event_id when given', () => {
    const event = conversationAlreadyHasActiveResponseError({
      responseId: 'resp_1',
      eventId: 'agents_js_response_create_3',
    });
    expect(event.error.event_id).toBe('agents_js_response_create_3');
    expect(responseCancelNotActiveError({ eventId: 'c' }).error.event_id).toBe('c');
    expect(
      itemNotFoundError({ operation: 'delete', itemId: 'i', eventId: 'd' }).error.event_id,
    ).toBe('d');
  });

  it('builds the errors whose live text is unconfirmed with stable codes', () => {
    expect(betaApiShapeDisabledError().error.code).toBe('beta_api_shape_disabled');
    expect(previousItemNotFoundError({ previousItemId: 'item_z' }).error).toMatchObject({
      code: 'invalid_value',
      param: 'previous_item_id',
    });
    expect(rateLimitExceededError().error).toMatchObject({
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded',
    });
    expect(serverError({ sessionId: 'sess_1' }).error).toMatchObject({
      type: 'server_error',
      code: null,
      message: expect.stringContaining('sess_1') as unknown,
    });
  });
});
