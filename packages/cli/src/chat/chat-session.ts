import { createInterface } from 'node:readline';
import type { Interface as ReadlineInterface } from 'node:readline';
import { ConversationController } from '@realtime-assistant/assistant';
import type {
  AppEvents,
  AppLogger,
  AudioSink,
  ConversationSettings,
  RealtimeTools,
  TypedWhileAnswering,
} from '@realtime-assistant/assistant';
import type { AudioCapture, AudioPlayback, SessionRecorder } from '../audio/index.js';
import type { CliIo } from '../cli-io.js';
import type { AudioMode } from './audio-setup.js';
import type { ConversationHistory } from './conversation-history.js';
import { connectFailureText } from './conversation-target.js';
import type { ConversationTarget } from './conversation-target.js';
import { isGoodbye } from './farewell.js';
import { runSlashCommand } from './slash-commands.js';
import type { ChatActions } from './slash-commands.js';
import type { TerminalUi, UiOutput } from './terminal-ui.js';

/** Commands that leave at once, even before the session is up. */
const QUIT_COMMANDS: ReadonlySet<string> = new Set(['/quit', '/exit']);

/** Everything an interactive chat needs, already opened. */
export interface ChatSessionDeps {
  readonly io: CliIo;
  readonly uiOut: UiOutput & NodeJS.WritableStream;
  readonly ui: TerminalUi;
  readonly events: AppEvents;
  readonly target: ConversationTarget;
  readonly settings: ConversationSettings;
  readonly audio: AudioMode;
  readonly sink: AudioSink;
  readonly recorder: SessionRecorder | null;
  readonly logger: AppLogger;
  readonly greet: boolean;
  /** What a message typed while the assistant answers does. */
  readonly typedWhileAnswering: TypedWhileAnswering;
  /** Function tools of the assistant profile. */
  readonly tools?: RealtimeTools;
  /** The stored history: `/restart` ends the conversation and begins a new one. */
  readonly history?: ConversationHistory;
  /** How long to wait for the farewell to finish before leaving anyway. Default 20 s. */
  readonly farewellTimeoutMs?: number;
}

/**
 * An interactive conversation: typed lines and slash commands from readline, microphone audio in voice mode,
 * "goodbye" ending it after the assistant's farewell, Ctrl+C ending it at once. Resolves with the exit code
 * after everything it opened is closed.
 */
export class ChatSession implements ChatActions {
  readonly #deps: ChatSessionDeps;
  #controller: ConversationController;
  #rl: ReadlineInterface | null = null;
  #finished: Promise<number>;
  #resolve: (code: number) => void = () => {};
  #ending = false;
  #closing = false;
  /** Messages and commands typed before the session was up; run in order once it is. */
  readonly #pending: string[] = [];
  #connected = false;
  #inputEnded = false;
  /** The microphone's failure, once it stopped mid-conversation (voice mode goes on typed). */
  #micStopped: string | null = null;
  readonly #cleanups: (() => void)[] = [];

  constructor(deps: ChatSessionDeps) {
    this.#deps = deps;
    this.#controller = this.#newController();
    this.#finished = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** Connects, then runs until the user leaves; resolves with the exit code. */
  async run(): Promise<number> {
    const { events, io, audio } = this.#deps;
    this.#cleanups.push(io.onSignal(() => this.quit()));
    this.#cleanups.push(
      events.on('transcript_final', (e) => {
        if (e.speaker === 'user' && !this.#ending && isGoodbye(e.text)) this.#farewell(e.text);
      }),
    );
    if (audio.kind === 'voice') this.#reportAudioFailures(audio.capture, audio.playback);
    // Input first, so the status line shows "connecting" while the session opens.
    this.#startInput();
    try {
      await this.#controller.connect();
    } catch (error) {
      if (this.#closing) return this.#finished;
      this.#deps.ui.notice(connectFailureText(error, this.#deps.target));
      await this.#close();
      return 1;
    }
    if (this.#closing) return this.#finished;
    this.#connected = true;
    if (this.#deps.greet) this.#greet();
    for (const line of this.#pending.splice(0)) await this.#dispatch(line, true);
    if (this.#closing) return this.#finished;
    if (this.#inputEnded) this.#leaveWhenIdle();
    if (audio.kind === 'voice') {
      audio.capture.on('data', (chunk) => {
        this.#controller.sendAudio(chunk);
        this.#deps.recorder?.write('user', chunk);
      });
    }
    return this.#finished;
  }

  /**
   * A recorder or player that dies mid-conversation is said at once (listened for from the start:
   * before anything listens they are not emitted). The conversation goes on: typed, and with the
   * next reply trying the speaker again.
   */
  #reportAudioFailures(capture: AudioCapture, playback: AudioPlayback): void {
    const { events } = this.#deps;
    capture.on('error', (error) => {
      this.#micStopped = error.message;
      this.#deps.ui.meterOn = false;
      events.emit('error', {
        source: 'audio',
        message: `The microphone stopped (${error.message}); type your messages.`,
        recoverable: true,
      });
    });
    playback.on('error', (error) =>
      events.emit('error', {
        source: 'audio',
        message: `The speaker failed (${error.message}); the reply goes on as text, and the next one tries the speaker again.`,
        recoverable: true,
      }),
    );
  }

  #modeText(): string {
    if (this.#deps.audio.kind === 'text') return 'text';
    return this.#micStopped === null ? 'voice' : `voice, microphone stopped: ${this.#micStopped}`;
  }

  quit(): void {
    void this.#finish(0);
  }

  async restart(): Promise<void> {
    this.#controller.close();
    this.#deps.sink.stop();
    await this.#deps.history?.end();
    await this.#deps.history?.begin();
    this.#controller = this.#newController();
    try {
      await this.#controller.connect();
      this.#deps.ui.notice('Restarted: a new conversation.');
      if (this.#deps.greet) this.#greet();
    } catch (error) {
      this.#deps.ui.notice(connectFailureText(error, this.#deps.target));
    }
  }

  pause(): void {
    this.#controller.pause();
  }

  resume(): void {
    this.#controller.resume();
  }

  interrupt(): void {
    this.#controller.interrupt();
  }

  status(): string[] {
    const c = this.#controller;
    const connection = c.connection;
    const usage = c.usage;
    return [
      `Status:      ${this.#deps.ui.status()}`,
      ...(c.queuedMessages > 0
        ? [
            `Queued:      ${c.queuedMessages} typed ${c.queuedMessages === 1 ? 'message' : 'messages'}`,
          ]
        : []),
      `Connection:  ${connection.status}${'url' in connection ? ` ${connection.url}` : ''}`,
      ...('realtimeSessionId' in connection
        ? [`Session:     ${connection.realtimeSessionId}`]
        : []),
      `Target:      ${this.#deps.target.description}`,
      `Mode:        ${this.#modeText()} (replies as ${this.#deps.settings.outputModalities.join('+')})`,
      `Model:       ${this.#deps.settings.model}, voice ${this.#deps.settings.voice}`,
      `Usage:       ${usage.responses} responses, ${usage.inputTokens} in / ${usage.outputTokens} out tokens`,
      `Timestamps:  ${this.#deps.ui.timestamps ? 'on' : 'off'}; compact: ${this.#deps.ui.compact ? 'on' : 'off'}`,
      `Log:         ${this.#deps.logger.appFile}`,
      ...(this.#deps.recorder ? [`Recording:   ${this.#deps.recorder.path}`] : []),
      ...(this.#deps.history?.conversationId
        ? [
            `History:     conversation ${this.#deps.history.conversationId.slice(0, 8)} in ${this.#deps.history.location}`,
          ]
        : ['History:     not saved']),
    ];
  }

  toggleTimestamps(): boolean {
    this.#deps.ui.timestamps = !this.#deps.ui.timestamps;
    return this.#deps.ui.timestamps;
  }

  toggleCompact(): boolean {
    this.#deps.ui.compact = !this.#deps.ui.compact;
    return this.#deps.ui.compact;
  }

  print(text: string): void {
    this.#deps.ui.print(text);
  }

  notice(text: string): void {
    this.#deps.ui.notice(text);
  }

  #newController(): ConversationController {
    const { target, settings, sink, events, logger, tools } = this.#deps;
    return new ConversationController({
      url: target.url,
      apiKey: target.apiKey,
      settings,
      sink,
      events,
      logger: logger.logger,
      typedWhileAnswering: this.#deps.typedWhileAnswering,
      ...(tools && tools.length > 0 ? { tools } : {}),
    });
  }

  /** The assistant speaks first: a `response.create` right after connecting. */
  #greet(): void {
    this.#controller.requestResponse();
  }

  #startInput(): void {
    const { io, uiOut, ui } = this.#deps;
    const terminal = io.stdin.isTTY === true && uiOut.isTTY === true;
    const rl = createInterface({ input: io.stdin, output: uiOut, terminal });
    this.#rl = rl;
    if (terminal) ui.attachPrompt(rl);
    rl.on('line', (line) => void this.#onLine(line, terminal));
    rl.on('SIGINT', () => this.quit());
    rl.on('close', () => {
      // Without a terminal, the end of input ends a typed conversation (after its last reply); a spoken one goes on.
      if (this.#closing || this.#deps.audio.kind !== 'text') return;
      this.#inputEnded = true;
      if (this.#connected) this.#leaveWhenIdle();
    });
  }

  async #onLine(raw: string, terminal: boolean): Promise<void> {
    const line = raw.trim();
    if (line === '') {
      if (terminal) this.#rl?.prompt();
      return;
    }
    const command = line.startsWith('/');
    // The transcript shows the message with its label; the raw echo goes.
    if (terminal && !command) this.#deps.ui.forgetTypedLine();
    // Before the session is up, lines wait in order (commands too: `/pause` then a message must pause first);
    // only leaving does not wait.
    const quit = QUIT_COMMANDS.has(line.toLowerCase());
    if (!this.#connected && (!quit || this.#pending.length > 0)) {
      this.#pending.push(line);
      return;
    }
    await this.#dispatch(line);
  }

  async #dispatch(line: string, queued = false): Promise<void> {
    // A queued `/quit` ("hello" then "/quit" piped in) leaves once what came before it is answered.
    if (queued && QUIT_COMMANDS.has(line.toLowerCase())) this.#leaveWhenIdle();
    else if (line.startsWith('/')) await runSlashCommand(line, this);
    else this.#send(line);
  }

  #send(line: string): void {
    if (this.#controller.connection.status !== 'connected') {
      this.#deps.ui.notice(`Not connected (${this.#controller.connection.status}); not sent.`);
      return;
    }
    this.#controller.sendText(line);
  }

  /** Input ended: leave once the assistant has answered what was sent. */
  #leaveWhenIdle(): void {
    // Paused counts as idle: nothing more will be said until a `/resume` that can no longer come.
    const idle = (turn: string): boolean => turn === 'listening' || turn === 'paused';
    if (idle(this.#controller.turn)) {
      void this.#finish(0);
      return;
    }
    this.#cleanups.push(
      this.#deps.events.on('turn_changed', (e) => {
        if (idle(e.state)) void this.#finish(0);
      }),
    );
  }

  /** The user said goodbye: let the assistant answer, then leave once its farewell has been played. */
  #farewell(text: string): void {
    this.#ending = true;
    const { events } = this.#deps;
    events.emit('farewell', { text });
    let answered = false;
    const offFinal = events.on('transcript_final', (e) => {
      if (e.speaker === 'assistant') answered = true;
    });
    const offTurn = events.on('turn_changed', (e) => {
      if (answered && e.state === 'listening') void this.#finish(0);
    });
    const timer = setTimeout(() => void this.#finish(0), this.#deps.farewellTimeoutMs ?? 20_000);
    this.#cleanups.push(offFinal, offTurn, () => clearTimeout(timer));
  }

  async #finish(code: number): Promise<void> {
    if (this.#closing) return;
    await this.#close();
    this.#resolve(code);
  }

  /** Closes everything this session holds, each step isolated from the others. */
  async #close(): Promise<void> {
    this.#closing = true;
    const { audio, recorder, events, ui } = this.#deps;
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    ui.detachPrompt();
    const steps: (() => unknown)[] = [
      () => (audio.kind === 'voice' ? audio.capture.stop() : undefined),
      () => this.#controller.close(),
      () => (audio.kind === 'voice' ? audio.playback.close() : undefined),
      () => {
        if (!recorder) return;
        const saved = recorder.close();
        events.emit('recording_saved', saved);
      },
      () => this.#rl?.close(),
      () => ui.close(),
    ];
    for (const step of steps) {
      try {
        await step();
      } catch {
        // Cleanup goes on; what failed was already reported through its own events.
      }
    }
  }
}
