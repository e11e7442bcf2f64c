import type { Interface as ReadlineInterface } from 'node:readline';
import type {
  AppEventMap,
  AppEvents,
  ConnectionState,
  TurnState,
} from '@realtime-assistant/assistant';
import { clockTime, levelBar, statusText } from './status-text.js';

/** Where the UI writes: a terminal (ANSI, a live line and a status prompt) or a plain stream. */
export interface UiOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Options of {@link TerminalUi}. */
export interface TerminalUiOptions {
  readonly events: AppEvents;
  readonly out: UiOutput;
  readonly timestamps?: boolean;
  readonly compact?: boolean;
  /** Show the microphone level on the status line. */
  readonly meter?: boolean;
  readonly now?: () => Date;
}

const LABEL = { user: 'You:', assistant: 'Assistant:' } as const;
const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const CYAN = '\x1b[36m';
const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';
const CLEAR_LINE = '\r\x1b[2K';

/**
 * The terminal presentation: a status line (the readline prompt), the live transcript with speaker labels,
 * optional timestamps, a compact mode and an input level meter. It listens to {@link AppEvents} and nothing else.
 */
export class TerminalUi {
  readonly #out: UiOutput;
  readonly #tty: boolean;
  readonly #now: () => Date;
  readonly #unsubscribe: (() => void)[] = [];
  #rl: ReadlineInterface | null = null;
  #connection: ConnectionState = { status: 'disconnected', reason: null };
  #turn: TurnState = 'listening';
  #timestamps: boolean;
  #compact: boolean;
  #meter: boolean;
  #levelDb = -100;
  #lastMeterDraw = 0;
  /** The partial transcript being shown on the bottom line, if any. */
  #live: string | null = null;

  constructor(options: TerminalUiOptions) {
    this.#out = options.out;
    this.#tty = options.out.isTTY === true;
    this.#now = options.now ?? (() => new Date());
    this.#timestamps = options.timestamps ?? false;
    this.#compact = options.compact ?? false;
    this.#meter = options.meter ?? false;
    const on = <K extends keyof AppEventMap>(name: K, fn: (p: AppEventMap[K]) => void): void => {
      this.#unsubscribe.push(options.events.on(name, fn));
    };
    on('connection_changed', (e) => this.#connectionChanged(e));
    on('turn_changed', (e) => {
      this.#turn = e.state;
      this.#statusChanged();
    });
    on('session_started', (e) => {
      if (!this.#compact) this.notice(`Connected: session ${e.realtimeSessionId} (${e.model}).`);
    });
    on('transcript_delta', (e) => this.#delta(e));
    on('transcript_final', (e) => this.#final(e));
    on('error', (e) => this.#line(this.#paint(RED, `Error (${e.source}): ${e.message}`)));
    on('response_unfinished', (e) =>
      e.status === 'failed' ? this.#line(this.#paint(RED, e.message)) : this.notice(e.message),
    );
    on('interrupted', (e) =>
      this.notice(
        e.action === 'truncate'
          ? `Interrupted: the reply was cut at ${Math.round(e.truncated_ms ?? 0)} ms of ${Math.round(e.received_ms)} ms.`
          : e.action === 'cancel'
            ? 'Interrupted: the reply was stopped.'
            : 'Interrupted: the reply was dropped before any of it was heard.',
      ),
    );
    on('message_queued', (e) => {
      // An interrupting message is announced by the interruption, then its own transcript line.
      if (e.interrupting) return;
      const when = e.until === 'reconnected' ? 'once reconnected' : 'when the assistant is done';
      this.notice(`Sent ${when}${e.waiting > 1 ? ` (${e.waiting} waiting)` : ''}: ${e.text}`);
    });
    on('reconnecting', (e) =>
      this.notice(`Reconnecting (attempt ${e.attempt}) in ${e.delayMs} ms: ${e.reason}.`),
    );
    on('reconnected', (e) =>
      this.notice(`Reconnected; ${e.replayedItems} earlier messages replayed.`),
    );
    on('session_rotated', (e) =>
      this.notice(
        `Session renewed (${e.realtimeSessionId}); ${e.replayedItems} messages carried over.`,
      ),
    );
    on('tool_call', (e) => this.notice(`Tool call: ${e.name}(${e.arguments})`));
    on('recording_saved', (e) =>
      this.notice(`Recording saved: ${e.path} (${(e.durationMs / 1000).toFixed(1)} s).`),
    );
    on('audio_level', (e) => {
      if (e.direction === 'input') this.#level(e.db);
    });
  }

  /** Lets the UI draw its status line as the prompt of `rl` and keep typed input intact. */
  attachPrompt(rl: ReadlineInterface): void {
    this.#rl = rl;
    this.#redrawPrompt();
  }

  /** Stops drawing the prompt (the readline interface is closing). */
  detachPrompt(): void {
    if (this.#rl && this.#tty) this.#out.write(CLEAR_LINE);
    this.#rl = null;
  }

  /** The status line's text (without colours). */
  status(): string {
    return statusText(this.#connection, this.#turn);
  }

  get timestamps(): boolean {
    return this.#timestamps;
  }

  set timestamps(on: boolean) {
    this.#timestamps = on;
  }

  /** Show the microphone level on the status line (voice mode). */
  set meterOn(on: boolean) {
    this.#meter = on;
  }

  get compact(): boolean {
    return this.#compact;
  }

  set compact(on: boolean) {
    this.#compact = on;
  }

  /** Prints a line from the app (not a transcript). */
  notice(text: string): void {
    this.#line(this.#paint(DIM, `· ${text}`));
  }

  /** Prints lines as they are (help, status). */
  print(text: string): void {
    for (const line of text.replace(/\n$/, '').split('\n')) this.#line(line);
  }

  /** The line the user just typed, echoed by readline, is replaced by the transcript; remove it. */
  forgetTypedLine(): void {
    if (this.#tty) this.#out.write('\x1b[1A\x1b[2K');
  }

  /** Stops listening to events. */
  close(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
    if (this.#tty && this.#live !== null) this.#out.write(`${CLEAR_LINE}`);
    this.#rl = null;
  }

  #connectionChanged(e: AppEventMap['connection_changed']): void {
    this.#connection = e.state;
    if (e.state.status === 'disconnected' && e.state.reason === 'connection lost') {
      this.notice('The connection was lost.');
    }
    this.#statusChanged();
  }

  #statusChanged(): void {
    if (this.#tty) {
      if (this.#live === null) this.#redrawPrompt();
      return;
    }
    if (!this.#compact) this.#out.write(`[${this.status()}]\n`);
  }

  #delta(e: AppEventMap['transcript_delta']): void {
    if (!this.#tty || this.#compact) return;
    const columns = Math.max(20, this.#out.columns ?? 80);
    let text = `${this.#label(e.speaker)} ${e.text.replace(/\s+/g, ' ')}`;
    // The live line must fit on one row, or clearing it would leave its first rows behind.
    const visible = this.#visibleLength(text);
    if (visible > columns - 2) text = `${this.#label(e.speaker)} …${e.text.slice(-(columns - 16))}`;
    this.#live = text;
    this.#out.write(`${CLEAR_LINE}${text}`);
  }

  #final(e: AppEventMap['transcript_final']): void {
    const text = e.text.trim();
    this.#live = null;
    if (text === '') {
      if (this.#tty) this.#out.write(CLEAR_LINE);
      this.#redrawPrompt();
      return;
    }
    const cut = e.interrupted ? this.#paint(DIM, ' [interrupted]') : '';
    this.#line(`${this.#label(e.speaker)} ${text}${cut}`);
    if (!this.#compact && e.speaker === 'assistant') this.#line('');
  }

  #label(speaker: 'user' | 'assistant'): string {
    const stamp = this.#timestamps ? this.#paint(DIM, `[${clockTime(this.#now())}] `) : '';
    const label =
      speaker === 'user' ? this.#paint(GREEN, LABEL.user) : this.#paint(CYAN, LABEL.assistant);
    return `${stamp}${this.#paint(BOLD, label)}`;
  }

  #level(db: number): void {
    this.#levelDb = db;
    if (!this.#tty || !this.#meter || this.#live !== null) return;
    const now = Date.now();
    // A redraw per 20 ms chunk would flood the terminal; 10 a second is enough to see.
    if (now - this.#lastMeterDraw < 100) return;
    this.#lastMeterDraw = now;
    this.#redrawPrompt();
  }

  #line(text: string): void {
    if (this.#tty) this.#out.write(CLEAR_LINE);
    this.#out.write(`${text}\n`);
    this.#live = null;
    this.#redrawPrompt();
  }

  #redrawPrompt(): void {
    const rl = this.#rl;
    if (!rl || !this.#tty) return;
    const meter = this.#meter ? ` ${levelBar(this.#levelDb)}` : '';
    rl.setPrompt(`${this.#paint(DIM, `[${this.status()}${meter}]`)} › `);
    rl.prompt(true);
  }

  #paint(code: string, text: string): string {
    return this.#tty ? `${code}${text}${RESET}` : text;
  }

  #visibleLength(text: string): number {
    // eslint-disable-next-line no-control-regex
    return text.replace(/\x1b\[[0-9;]*m/g, '').length;
  }
}
