/** How a setting's text (from `.env`, the environment or a flag) becomes a value. */
export type SettingKind =
  'string' | 'number' | 'integer' | 'boolean' | 'secret' | { enum: readonly string[] };

/** One setting: where it lives in the config, the names it goes by outside, and what it accepts. */
export interface SettingSpec {
  /** Dotted path in {@link AppConfig}, e.g. `turnDetection.threshold`. */
  readonly path: string;
  /** Environment (and `.env`) variable names, first wins. */
  readonly env: readonly string[];
  /** Command-line flag (without `--`), or `null` when the setting may not come from the command line. */
  readonly flag: string | null;
  readonly kind: SettingKind;
  /** What is allowed, in words, for error messages. */
  readonly allowed: string;
  readonly secret?: boolean;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** Every setting the assistant reads. */
export const SETTINGS: readonly SettingSpec[] = [
  {
    path: 'api.apiKey',
    env: ['OPENAI_API_KEY'],
    flag: null,
    kind: 'secret',
    allowed: 'an API key, from the environment or .env only',
    secret: true,
  },
  {
    path: 'api.baseUrl',
    env: ['REALTIME_URL'],
    flag: 'base-url',
    kind: 'string',
    allowed: 'a ws:// or wss:// URL',
  },
  {
    path: 'api.model',
    env: ['REALTIME_MODEL'],
    flag: 'model',
    kind: 'string',
    allowed: 'a model name',
  },
  {
    path: 'api.voice',
    env: ['REALTIME_VOICE'],
    flag: 'voice',
    kind: 'string',
    allowed: 'a voice name',
  },
  {
    path: 'api.instructions',
    env: ['ASSISTANT_INSTRUCTIONS'],
    flag: 'instructions',
    kind: 'string',
    allowed: 'any text',
  },
  {
    path: 'api.assistantId',
    env: ['ASSISTANT_ID'],
    flag: 'assistant-id',
    kind: 'string',
    allowed: 'a stored prompt id (pmpt_…) or a local profile name',
  },
  {
    path: 'api.protocol',
    env: ['REALTIME_PROTOCOL'],
    flag: 'protocol',
    kind: { enum: ['ga', 'beta'] },
    allowed: 'ga or beta',
  },
  {
    path: 'api.temperature',
    env: ['REALTIME_TEMPERATURE'],
    flag: 'temperature',
    kind: 'number',
    allowed: 'a number from 0.6 to 1.2',
  },
  {
    path: 'audio.inputDevice',
    env: ['AUDIO_INPUT_DEVICE'],
    flag: 'input-device',
    kind: 'string',
    allowed: 'a device name',
  },
  {
    path: 'audio.outputDevice',
    env: ['AUDIO_OUTPUT_DEVICE'],
    flag: 'output-device',
    kind: 'string',
    allowed: 'a device name',
  },
  {
    path: 'audio.sampleRate',
    env: ['AUDIO_SAMPLE_RATE'],
    flag: 'sample-rate',
    kind: 'integer',
    allowed: 'one of 8000, 16000, 24000, 48000',
  },
  {
    path: 'audio.saveRecordings',
    env: ['SAVE_RECORDINGS'],
    flag: 'save-recordings',
    kind: 'boolean',
    allowed: 'true or false',
  },
  {
    path: 'audio.recordingsDir',
    env: ['RECORDINGS_DIR'],
    flag: 'recordings-dir',
    kind: 'string',
    allowed: 'a directory path',
  },
  {
    path: 'turnDetection.type',
    env: ['VAD_TYPE'],
    flag: 'vad',
    kind: { enum: ['server_vad', 'semantic_vad', 'none'] },
    allowed: 'server_vad, semantic_vad or none',
  },
  {
    path: 'turnDetection.threshold',
    env: ['VAD_THRESHOLD'],
    flag: 'vad-threshold',
    kind: 'number',
    allowed: 'a number from 0 to 1',
  },
  {
    path: 'turnDetection.silenceMs',
    env: ['VAD_SILENCE_MS'],
    flag: 'silence-ms',
    kind: 'integer',
    allowed: 'a whole number of milliseconds from 0 to 10000',
  },
  {
    path: 'turnDetection.prefixMs',
    env: ['VAD_PREFIX_MS'],
    flag: 'prefix-ms',
    kind: 'integer',
    allowed: 'a whole number of milliseconds from 0 to 10000',
  },
  {
    path: 'turnDetection.eagerness',
    env: ['VAD_EAGERNESS'],
    flag: 'eagerness',
    kind: { enum: ['low', 'medium', 'high', 'auto'] },
    allowed: 'low, medium, high or auto',
  },
  {
    path: 'turnDetection.interruptResponse',
    env: ['VAD_INTERRUPT_RESPONSE'],
    flag: 'interrupt-response',
    kind: 'boolean',
    allowed: 'true or false',
  },
  {
    path: 'turnDetection.createResponse',
    env: ['VAD_CREATE_RESPONSE'],
    flag: 'create-response',
    kind: 'boolean',
    allowed: 'true or false',
  },
  {
    path: 'logging.level',
    env: ['LOG_LEVEL'],
    flag: 'log-level',
    kind: { enum: LEVELS },
    allowed: LEVELS.join(', '),
  },
  {
    path: 'logging.dir',
    env: ['LOG_DIR'],
    flag: 'log-dir',
    kind: 'string',
    allowed: 'a directory path',
  },
  {
    path: 'logging.console',
    env: ['LOG_FORMAT'],
    flag: 'log-format',
    kind: { enum: ['pretty', 'json'] },
    allowed: 'pretty or json',
  },
  {
    path: 'logging.rotateSize',
    env: ['LOG_ROTATE_SIZE'],
    flag: 'log-rotate-size',
    kind: 'integer',
    allowed: 'a whole number of bytes, at least 1024',
  },
  {
    path: 'logging.rotateCount',
    env: ['LOG_ROTATE_COUNT'],
    flag: 'log-rotate-count',
    kind: 'integer',
    allowed: 'a whole number from 1 to 100',
  },
  {
    path: 'storage.dataDir',
    env: ['DATA_DIR'],
    flag: 'data-dir',
    kind: 'string',
    allowed: 'a directory path',
  },
  {
    path: 'storage.databaseUrl',
    env: ['DATABASE_URL'],
    flag: null,
    kind: 'secret',
    allowed: 'a postgres:// URL, from the environment or .env only',
    secret: true,
  },
  {
    path: 'scheduler.timeZone',
    env: ['DESK_TIME_ZONE'],
    flag: 'time-zone',
    kind: 'string',
    allowed: 'an IANA time zone such as Europe/Berlin',
  },
];

/** Flags that name a secret: refused, so keys never land in shell history or process listings. */
export const SECRET_FLAGS: readonly string[] = ['api-key', 'openai-api-key', 'key'];
