import { basename, extname, join, resolve } from 'node:path';
import {
  AppEvents,
  ClockAudioSink,
  conversationSettingsFrom,
  createAppLogger,
  ensureDirectory,
  loadConfig,
} from '@realtime-assistant/assistant';
import type { AppLogger, AudioSink } from '@realtime-assistant/assistant';
import { ScenarioError } from '@realtime-assistant/engine';
import { listDevices, loadWavFile, SessionRecorder } from '../audio/index.js';
import type { ChatArgs } from '../cli-args.js';
import { helpText } from '../cli-args.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../cli-io.js';
import type { CliIo } from '../cli-io.js';
import { runAudioFile } from './audio-file-run.js';
import { openAudio } from './audio-setup.js';
import { resolveAssistantSetup } from './assistant-setup.js';
import { directoryProblems } from './chat-directories.js';
import { ChatSession } from './chat-session.js';
import { ConversationHistory } from './conversation-history.js';
import { openTarget, targetLabel } from './conversation-target.js';
import type { ConversationTarget } from './conversation-target.js';
import { RecordingSink } from './sinks.js';
import { TerminalUi } from './terminal-ui.js';

/** `realtime-assistant chat`: the conversation in the terminal. Resolves with the exit code. */
export async function runChat(args: ChatArgs, io: CliIo): Promise<number> {
  if (args.help) {
    io.stdout.write(helpText());
    return EXIT_OK;
  }
  if (args.listDevices) return printDevices(io);
  const loaded = loadConfig({ flags: args.configFlags, env: io.env, cwd: io.cwd });
  if (!loaded.ok) {
    for (const error of loaded.errors) io.stderr.write(`realtime-assistant: ${error.message}\n`);
    io.stderr.write("Run 'realtime-assistant --help' for the flags.\n");
    return EXIT_USAGE;
  }
  const audioFile = args.audioFile === undefined ? undefined : resolve(io.cwd, args.audioFile);
  // The file is read and checked before anything starts: a bad one is a usage error, not a failed conversation.
  const wav = audioFile === undefined ? undefined : loadWavFile(audioFile);
  if (wav !== undefined && !wav.ok) {
    io.stderr.write(`realtime-assistant: --audio-file: "${args.audioFile}" ${wav.reason}\n`);
    return EXIT_USAGE;
  }
  const { config } = loaded;
  const assistant = resolveAssistantSetup(loaded);
  if (!assistant.ok) {
    io.stderr.write(`realtime-assistant: ${assistant.message}\n`);
    return EXIT_USAGE;
  }
  // Before anything is written: a directory that can't be used is a usage error, said plainly.
  const directories = directoryProblems(config, io.cwd);
  if (directories !== null) {
    for (const line of directories.split('\n')) io.stderr.write(`realtime-assistant: ${line}\n`);
    return EXIT_USAGE;
  }
  const logger = createAppLogger({
    logging: { ...config.logging, dir: resolve(io.cwd, config.logging.dir) },
    console: args.debug ? io.stderr : null,
  });
  const uiOut = args.json ? io.stderr : io.stdout;
  const events = new AppEvents((event, error) =>
    logger.logger.error({ event, err: error }, 'an app event listener threw'),
  );
  events.onAny((name, payload) => {
    if (name !== 'audio_level') logger.logger.debug({ event: name, payload }, name);
  });
  if (args.json) {
    events.onAny((name, payload) => {
      io.stdout.write(
        `${JSON.stringify({ event: name, time: new Date().toISOString(), ...payload })}\n`,
      );
    });
  }
  const ui = new TerminalUi({ events, out: uiOut, meter: false });
  for (const warning of loaded.warnings) ui.notice(`Warning: ${warning}`);

  const storage = await assistant.openStorage(resolve(io.cwd, config.storage.dataDir), logger);
  if (!storage.ok) {
    io.stderr.write(`realtime-assistant: ${storage.message}\n`);
    ui.close();
    logger.close();
    return EXIT_FAILURE;
  }
  if (storage.warning) ui.notice(storage.warning);
  const closeStorage = (): Promise<void> =>
    storage.storage?.close().catch(() => undefined) ?? Promise.resolve();
  const history = new ConversationHistory({
    repository: storage.storage?.conversations ?? null,
    ...(storage.storage ? { location: storage.storage.location } : {}),
    events,
    assistant: assistant.name,
    target: targetLabel(loaded),
    logger: logger.logger,
    notice: (text) => ui.notice(text),
  });

  let target: ConversationTarget;
  try {
    target = await openTarget(loaded, args.scenario ?? assistant.scenario, logger.logger);
  } catch (error) {
    await closeStorage();
    io.stderr.write(
      `realtime-assistant: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    ui.close();
    logger.close();
    return error instanceof ScenarioError ? EXIT_USAGE : EXIT_FAILURE;
  }
  ui.notice(target.description);
  const tools = storage.storage ? assistant.tools(storage.storage, logger) : [];
  const instructions = assistant.instructions;

  const recorder = config.audio.saveRecordings
    ? openRecorder(resolve(io.cwd, config.audio.recordingsDir), logger)
    : null;
  try {
    if (audioFile !== undefined && wav?.ok === true) {
      const settings = conversationSettingsFrom(config, loaded.assistant, {
        outputModalities: ['audio'],
        ...instructions,
      });
      ui.notice(`Streaming ${audioFile} as the microphone${args.fast ? ' (fast)' : ''}.`);
      await history.begin();
      return await runAudioFile({
        tools,
        wav: wav.wav,
        out: args.out === undefined ? replyPath(audioFile) : resolve(io.cwd, args.out),
        fast: args.fast,
        events,
        target,
        settings,
        recorder,
        logger,
        notice: (text) => ui.notice(text),
      });
    }
    const audio = await openAudio({
      forceText: args.text,
      env: io.env,
      ...(config.audio.inputDevice !== undefined ? { inputDevice: config.audio.inputDevice } : {}),
      ...(config.audio.outputDevice !== undefined
        ? { outputDevice: config.audio.outputDevice }
        : {}),
    });
    ui.notice(audio.kind === 'voice' ? audio.description : audio.reason);
    // Without a speaker, replies come as text only: nothing to synthesise or wait out in real time, so a typed
    // turn ends as soon as its text is done.
    const settings = conversationSettingsFrom(config, loaded.assistant, {
      outputModalities: audio.kind === 'voice' ? ['audio'] : ['text'],
      ...instructions,
    });
    const base: AudioSink = audio.kind === 'voice' ? audio.playback : new ClockAudioSink();
    const sink = recorder ? new RecordingSink(base, recorder) : base;
    ui.meterOn = audio.kind === 'voice';
    const session = new ChatSession({
      io,
      uiOut,
      ui,
      events,
      target,
      settings,
      audio,
      sink,
      recorder,
      logger,
      greet: args.greet,
      // At a terminal, typing over a reply interrupts it, as speaking over it does; piped lines each get a reply.
      typedWhileAnswering: args.typeOver ?? (io.stdin.isTTY === true ? 'interrupt' : 'queue'),
      tools,
      history,
    });
    await history.begin();
    const code = await session.run();
    ui.close();
    uiOut.write('Bye.\n');
    return code;
  } finally {
    await history.end();
    ui.close();
    await target.engine?.close().catch(() => undefined);
    await closeStorage();
    logger.close();
  }
}

function openRecorder(dir: string, logger: AppLogger): SessionRecorder {
  ensureDirectory(dir);
  return SessionRecorder.open(join(dir, `session_${logger.sessionId}.wav`));
}

/** `talk.wav` → `talk.reply.wav`, next to it. */
function replyPath(file: string): string {
  return join(resolve(file, '..'), `${basename(file, extname(file))}.reply.wav`);
}

async function printDevices(io: CliIo): Promise<number> {
  const devices = await listDevices({ env: io.env });
  if (devices.length === 0) {
    io.stdout.write('No audio devices found (arecord, aplay and pactl list nothing here).\n');
    return EXIT_OK;
  }
  for (const kind of ['input', 'output'] as const) {
    io.stdout.write(`${kind === 'input' ? 'Inputs' : 'Outputs'} (--${kind}-device):\n`);
    for (const d of devices.filter((x) => x.kind === kind)) {
      io.stdout.write(`  ${d.id.padEnd(32)} ${d.description} [${d.system}]\n`);
    }
  }
  return EXIT_OK;
}
