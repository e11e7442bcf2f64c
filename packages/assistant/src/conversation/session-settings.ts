import type { RealtimeSessionConfig } from '@openai/agents-realtime';
import type { AppConfig, AssistantRef } from '../config/config-schema.js';

/** The parts of the settings a conversation needs, already resolved (no secrets, no targets). */
export interface ConversationSettings {
  readonly model: string;
  readonly voice: string;
  readonly instructions?: string;
  /** A stored prompt to use as the session's `prompt`. */
  readonly promptId?: string;
  readonly outputModalities: ('text' | 'audio')[];
  readonly turnDetection: AppConfig['turnDetection'];
  /** Input transcription model, or null for none. */
  readonly transcriptionModel: string | null;
  /** Wire shape (default `ga`); `beta` is the `OpenAI-Beta: realtime=v1` shape. */
  readonly protocol?: 'ga' | 'beta';
  /** Sampling temperature (0.6–1.2), sent only in the beta shape (GA has none). */
  readonly temperature?: number;
}

/** Conversation settings from the app settings. */
export function conversationSettingsFrom(
  config: AppConfig,
  assistant: AssistantRef | null,
  overrides: Partial<ConversationSettings> = {},
): ConversationSettings {
  return {
    model: config.api.model,
    voice: config.api.voice,
    ...(config.api.instructions !== undefined ? { instructions: config.api.instructions } : {}),
    ...(assistant?.kind === 'prompt' ? { promptId: assistant.id } : {}),
    outputModalities: ['audio'],
    turnDetection: config.turnDetection,
    transcriptionModel: 'gpt-4o-mini-transcribe',
    protocol: config.api.protocol,
    ...(config.api.temperature !== undefined ? { temperature: config.api.temperature } : {}),
    ...overrides,
  };
}

/** The SDK session config (GA shape) for the settings: PCM 24 kHz both ways, the turn detection chosen. */
export function toSdkSessionConfig(settings: ConversationSettings): Partial<RealtimeSessionConfig> {
  const td = settings.turnDetection;
  const turnDetection =
    td.type === 'none'
      ? null
      : td.type === 'server_vad'
        ? {
            type: 'server_vad',
            threshold: td.threshold,
            silenceDurationMs: td.silenceMs,
            prefixPaddingMs: td.prefixMs,
            interruptResponse: td.interruptResponse,
            createResponse: td.createResponse,
          }
        : {
            type: 'semantic_vad',
            eagerness: td.eagerness,
            interruptResponse: td.interruptResponse,
            createResponse: td.createResponse,
          };
  return {
    outputModalities: settings.outputModalities,
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24_000 },
        turnDetection,
        transcription: settings.transcriptionModel ? { model: settings.transcriptionModel } : null,
      },
      output: { format: { type: 'audio/pcm', rate: 24_000 }, voice: settings.voice },
    },
    ...(settings.promptId ? { prompt: { promptId: settings.promptId } } : {}),
  };
}
