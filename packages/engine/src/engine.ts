/**
 * The LocalRealtime engine: the server layer, with sessions driven by a scenario. `createEngine` loads the scenario,
 * builds the session factory and the server; `listen()` starts it.
 */
import { parseSessionUpdate } from '@realtime-assistant/protocol';
import { FaultController } from './faults.js';
import type { InjectedFault } from './faults.js';
import { createScenarioResponder } from './responder/scenario-responder.js';
import type { LoadedScenario } from './scenario/index.js';
import { resolveScenario } from './scenario/index.js';
import type { SessionValidator } from './server/client-secrets.js';
import type {
  ListenInfo,
  LocalRealtimeServer,
  LocalRealtimeServerHooks,
  SessionFactoryContext,
} from './server/create-server.js';
import { createLocalRealtimeServer } from './server/create-server.js';
import type { ServerOptionsInput } from './server/options.js';
import { SessionRegistry } from './session-registry.js';
import type { SessionRecord } from './session-registry.js';
import type { SessionFactory } from './session/session-port.js';
import { RealtimeSessionMachine } from './session/session.js';
import type { AudioRenderer } from './voice/audio-renderer.js';
import { SpeechRenderer } from './voice/speech-renderer.js';
import { startSpeechWarmup } from './voice/speech-warmup.js';
import type { SpeechWarmup } from './voice/speech-warmup.js';
import { existsSync } from 'node:fs';
import { sharedLibraryExists } from './transcription/shared-library.js';
import {
  createTranscriber,
  POCKETSPHINX_INSTALL_HINT,
  resolvePocketsphinxPaths,
} from './transcription/index.js';
import type { Transcriber, TranscriberConfig } from './transcription/index.js';
import { createSileroClassifier, loadSileroModel } from './vad/index.js';
import type { SpeechClassifier } from './vad/index.js';

/** The largest decoded audio per `input_audio_buffer.append`, as live. */
export const MAX_APPEND_AUDIO_BYTES = 15 * 1024 * 1024;

/** Default cap on the input audio buffer: 10 minutes of 24 kHz PCM16. */
export const DEFAULT_MAX_INPUT_BUFFER_BYTES = 10 * 60 * 48_000;

export interface EngineOptions
  extends
    Omit<ServerOptionsInput, 'scenario'>,
    Pick<LocalRealtimeServerHooks, 'clock' | 'logger' | 'logDestination' | 'tokenSecret'> {
  /** A shipped scenario name (`default`, `scheduler`), a YAML path, or a loaded scenario. Default `default`. */
  scenario?: string | LoadedScenario;
  /** Turns audio replies into PCM (default: Flite speech, scenario WAV files and tones). */
  renderer?: AudioRenderer;
  /** Speech recognition of user audio (default: pocketsphinx; `{ kind: 'none' }` to turn it off). */
  transcriber?: TranscriberConfig | Transcriber;
  /** Recognise with the scenario's grammar, so its phrases come out exactly (default true). */
  recognitionGrammar?: boolean;
  /** The speech detector behind server_vad / semantic_vad (default `energy`). */
  vad?: 'energy' | 'silero';
  /** Keep every session's events for inspection (the test kit turns this on). */
  record?: boolean;
  /** Clock and zone for the scenario's date filters. */
  now?: () => Date;
  timeZone?: string;
  /** Bytes the input audio buffer may hold. */
  maxInputBufferBytes?: number;
  /**
   * Synthesise the scenario's fixed reply texts into the speech cache in the background after `listen()`, so their
   * first use starts at once (default true; only with the engine's own speech renderer).
   */
  speechWarmup?: boolean;
  /** Receives the session factory once built (the test kit's in-process connections use it). */
  captureFactory?: (factory: SessionFactory) => void;
}

export interface LocalRealtimeEngine {
  readonly server: LocalRealtimeServer;
  readonly scenario: LoadedScenario;
  readonly sessions: SessionRegistry;
  readonly faults: FaultController;
  listen(): Promise<ListenInfo>;
  close(): Promise<void>;
  /**
   * Applies a fault now to one session (or every open one): an `error` event, a close, an expiry; `stall` and
   * `rate_limit` (which act inside a response) are queued for the next response instead.
   */
  injectFault(fault: InjectedFault, sessionId?: string): void;
}

/** A scenario given by name, path or object, loaded; throws a readable error naming file, line and field. */
export async function loadScenario(
  scenario: string | LoadedScenario | undefined,
): Promise<LoadedScenario> {
  if (scenario !== undefined && typeof scenario !== 'string') return scenario;
  const result = await resolveScenario(scenario ?? 'default');
  if (!result.ok) throw result.error;
  return result.scenario;
}

/** Validates the `session` of a client secret request with the protocol's schemas. */
export const validateTokenSession: SessionValidator = (raw) => {
  const parsed = parseSessionUpdate(raw);
  if (parsed.ok) return { ok: true, session: parsed.value as unknown as Record<string, unknown> };
  return {
    ok: false,
    error: { code: parsed.error.code, message: parsed.error.message, param: parsed.error.param },
  };
};

/** Creates an engine (not yet listening). */
export async function createEngine(options: EngineOptions = {}): Promise<LocalRealtimeEngine> {
  const {
    scenario: scenarioOption,
    renderer,
    transcriber: transcriberOption,
    recognitionGrammar,
    vad,
    record,
    now,
    timeZone,
    maxInputBufferBytes,
    captureFactory,
    speechWarmup,
    clock,
    logger,
    logDestination,
    ...serverOptions
  } = options;
  const scenario = await loadScenario(scenarioOption);
  const sessions = new SessionRegistry(record ?? false);
  const faults = new FaultController();
  const ownedRenderer = renderer ? null : new SpeechRenderer();
  const audio: AudioRenderer = renderer ?? ownedRenderer!;
  let warmup: SpeechWarmup | null = null;
  const transcriber: Transcriber =
    transcriberOption && 'open' in transcriberOption
      ? transcriberOption
      : createTranscriber(transcriberOption ?? { kind: 'pocketsphinx' });
  const ownsTranscriber = !(transcriberOption && 'open' in transcriberOption);
  let speechClassifier: (() => SpeechClassifier) | undefined;
  if (vad === 'silero') {
    const model = await loadSileroModel();
    speechClassifier = () => createSileroClassifier(model);
  }
  const grammar = recognitionGrammar === false ? undefined : scenario.grammar;

  const createSessionFactory = (context: SessionFactoryContext): SessionFactory => {
    const speed = context.options.speed;
    const maxSessionMs = context.options.limits.maxSessionMinutes * 60_000;
    const factory: SessionFactory = (request, sink) => {
      const machine: RealtimeSessionMachine = new RealtimeSessionMachine({
        request,
        sink,
        responder: createScenarioResponder(scenario, {
          ...(now ? { now } : {}),
          ...(timeZone ? { timeZone } : {}),
          ...(speed !== undefined ? { speed } : {}),
        }),
        renderer: audio,
        clock: context.clock,
        logger: context.logger,
        metrics: context.metrics,
        limits: {
          maxSessionMs,
          maxAppendBytes: MAX_APPEND_AUDIO_BYTES,
          maxInputBufferBytes: maxInputBufferBytes ?? DEFAULT_MAX_INPUT_BUFFER_BYTES,
        },
        extensions: context.options.extensions,
        faults,
        observer: sessions,
        transcriber,
        ...(grammar ? { grammar } : {}),
        ...(speechClassifier ? { speechClassifier } : {}),
        ...(scenario.instructions !== undefined ? { instructions: scenario.instructions } : {}),
      });
      sessions.add(machine);
      return machine;
    };
    captureFactory?.(factory);
    return factory;
  };

  const server = createLocalRealtimeServer({
    ...serverOptions,
    ...(typeof scenarioOption === 'string' ? { scenario: scenarioOption } : {}),
    createSessionFactory,
    validateSession: validateTokenSession,
    faultControl: {
      openSessionIds: () => sessions.list().flatMap((r) => (r.open ? [r.id] : [])),
      queue: (fault, sessionId) => faults.injectNextResponse(fault, sessionId),
      applyNow: (fault, sessionId) => {
        const record = sessions.get(sessionId);
        if (record?.open) applyNow(record, fault);
      },
      pending: () => faults.list(),
      clear: () => faults.clear(),
    },
    ...(clock ? { clock } : {}),
    ...(logger ? { logger } : {}),
    ...(logDestination ? { logDestination } : {}),
  });

  const applyNow = (record: SessionRecord, fault: InjectedFault): void => {
    switch (fault.type) {
      case 'session_expired':
        return record.machine.expire();
      case 'error':
        return record.machine.sendError(
          fault.code,
          fault.message,
          fault.param ?? null,
          fault.fatal === true,
        );
      case 'close':
        return record.machine.closeConnection(fault.code, fault.reason);
      case 'stall':
      case 'rate_limit':
      case 'refuse':
        faults.injectNextResponse(fault, record.id);
        return;
    }
  };

  return {
    server,
    scenario,
    sessions,
    faults,
    listen: async () => {
      const info = await server.listen();
      if (ownedRenderer && speechWarmup !== false) {
        warmup = startSpeechWarmup(ownedRenderer, scenario);
      }
      // A cheap look for the files (loading them would start the decoder workers in every engine, used or not).
      const config = transcriberOption && !('open' in transcriberOption) ? transcriberOption : null;
      if (
        transcriber.kind === 'pocketsphinx' &&
        (config === null || config.kind === 'pocketsphinx')
      ) {
        const paths = resolvePocketsphinxPaths(config ?? { kind: 'pocketsphinx' }, process.env);
        const missing = [
          ...[paths.library, paths.sphinxbaseLibrary].filter((p) => !sharedLibraryExists(p)),
          ...(existsSync(paths.modelDir) ? [] : [paths.modelDir]),
        ];
        if (missing.length > 0) {
          server.logger.warn(
            `speech recognition unavailable: ${missing.join(', ')} not found. ${POCKETSPHINX_INSTALL_HINT}`,
          );
        }
      }
      return info;
    },
    close: async () => {
      warmup?.stop();
      await server.close();
      await Promise.allSettled([
        ownsTranscriber ? transcriber.close() : Promise.resolve(),
        ownedRenderer ? ownedRenderer.close() : Promise.resolve(),
      ]);
    },
    injectFault(fault, sessionId) {
      const targets = sessionId ? [sessions.get(sessionId)] : sessions.list();
      for (const record of targets) if (record?.open) applyNow(record, fault);
    },
  };
}
