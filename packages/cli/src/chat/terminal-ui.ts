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
  /** A terminal's `resize` (its width changed): the live line and the prompt are drawn again to fit. */
  on?(event: 'resize', listener: () => void): unknown;
  off?(event: 'resize', listener: () => void): unknown;
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
/** To the start of the row, then `n` rows up (none for 0). */
const up = (n: number): string => `\r${n > 0 ? `\x1b[${n}A` : ''}`;
/** Erases from the cursor to the end of the screen. */
const CLEAR_DOWN = '\x1b[J';

/** How many items' final lines are remembered (a line is announced again only right after it was printed). */
const PRINTED_KEPT = 64;

/** A partial transcript being shown. */
interface Live {
  readonly itemId: string;
  readonly speaker: 'user' | 'assistant';
  readonly text: string;
}

/** A line the user entered, as readline left it on screen (prompt and text) above the cursor. */
interface Echo {
  /** What stays in the transcript; null once the line is forgotten (its transcript line replaces it). */
  text: string | null;
  /** Its visible width: with the terminal's width, how many rows it takes. */
  readonly width: number;
}

/**
 * The terminal presentation: a status line (the readline prompt), the live transcript with speaker labels,
 * optional timestamps, a compact mode and an input level meter. It listens to {@link AppEvents} and nothing else.
 *
 * At a terminal, the bottom of the screen is the UI's own area, redrawn as a whole: the live line (a partial
 * transcript, one row) if any, then the prompt with what the user is typing, always the bottom row(s) with the
 * cursor in it. Everything above is the transcript and is never touched again. Anything printed goes where the
 * area began, and the area is drawn again below it, so the typed text and the streaming line never share a row.
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
  /** The partial transcript to show on its own row above the prompt, if any. */
  #live: Live | null = null;
  /** The visible width of the live row on screen now; null when none is drawn. */
  #liveDrawn: number | null = null;
  /** Lines entered (Enter pressed) whose echo is still on screen between the live row and the prompt. */
  readonly #echoes: Echo[] = [];
  /** The text of the final lines printed, by item (the latest {@link PRINTED_KEPT}): none is printed twice. */
  readonly #printed = new Map<string, string>();
  readonly #onResize = (): void => this.#resized();
  readonly #onEnter = (line: string): void => this.#entered(line);

  constructor(options: TerminalUiOptions) {
    this.#out = options.out;
    this.#tty = options.out.isTTY === true;
    this.#now = options.now ?? (() => new Date());
    this.#timestamps = options.timestamps ?? false;
    this.#compact = options.compact ?? false;
    this.#meter = options.meter ?? false;
    if (this.#tty && options.out.on) {
      options.out.on('resize', this.#onResize);
      this.#unsubscribe.push(() => options.out.off?.('resize', this.#onResize));
    }
    const on = <K extends keyof AppEventMap>(name: K, fn: (p: AppEventMap[K]) => void): void => {
      this.#unsubscribe.push(options.events.on(name, fn));
    };
    on('connection_changed', (e) => this.#connectionChanged(e));
    on('turn_changed', (e) => {
      this.#turn = e.state;
      // A reply that ended without its final line (failed, cancelled) leaves no partial line behind.
      if (
        (e.state === 'listening' || e.state === 'paused') &&
        this.#live?.speaker === 'assistant'
      ) {
        this.#removed(this.#live.itemId);
      }
      this.#statusChanged();
    });
    on('session_started', (e) => {
      if (!this.#compact) this.notice(`Connected: session ${e.realtimeSessionId} (${e.model}).`);
    });
    on('transcript_delta', (e) => this.#delta(e));
    on('transcript_final', (e) => this.#final(e));
    on('transcript_removed', (e) => this.#removed(e.itemId));
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
    // Before anyone else's listener: the echo of the entered line is accounted for before anything is drawn.
    rl.prependListener('line', this.#onEnter);
    this.#redrawPrompt();
  }

  /** Stops drawing the prompt (the readline interface is closing); a live line stays until {@link close}. */
  detachPrompt(): void {
    const rl = this.#rl;
    if (!rl) return;
    if (this.#tty) {
      this.#atomically(() => {
        this.#clearArea();
        this.#rl = null;
        this.#drawArea();
      });
    }
    rl.off('line', this.#onEnter);
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
    this.#lines(text.replace(/\n$/, '').split('\n'));
  }

  /** The line the user just typed, echoed by readline, is replaced by the transcript; remove it. */
  forgetTypedLine(): void {
    if (!this.#tty) return;
    const echo = this.#echoes.at(-1);
    if (echo) echo.text = null;
    // Without a prompt of ours, readline's echo is the row just above.
    else if (!this.#rl) this.#out.write('\x1b[1A\x1b[2K');
  }

  /** Stops listening to events; the live line, if any, is taken off the screen. */
  close(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#live = null;
    if (this.#tty && (this.#liveDrawn !== null || this.#echoes.length > 0)) {
      this.#atomically(() => this.#clearArea());
    }
    this.#rl?.off('line', this.#onEnter);
    this.#rl = null;
  }

  #connectionChanged(e: AppEventMap['connection_changed']): void {
    this.#connection = e.state;
    // What was streaming will not go on: its partial line goes (the transcript is replayed on reconnecting).
    if (e.state.status !== 'connected' && this.#live !== null) this.#removed(this.#live.itemId);
    if (e.state.status === 'disconnected' && e.state.reason === 'connection lost') {
      this.notice('The connection was lost.');
    }
    this.#statusChanged();
  }

  #statusChanged(): void {
    if (this.#tty) {
      // Readline redraws only the prompt's rows: the live row above stays as it is.
      this.#redrawPrompt();
      return;
    }
    if (!this.#compact) this.#out.write(`[${this.status()}]\n`);
  }

  #delta(e: AppEventMap['transcript_delta']): void {
    if (!this.#tty || this.#compact) return;
    this.#live = { itemId: e.itemId, speaker: e.speaker, text: e.text };
    this.#redraw();
  }

  /** The live line's text, kept to one row: its end, after an ellipsis, when the whole is too wide. */
  #liveText(live: Live): string {
    const label = this.#label(live.speaker);
    const text = live.text.replace(/\s+/g, ' ').trimStart();
    // Room left of the last column: a row filled to its end would wrap on some terminals.
    const room = Math.max(2, this.#columns() - 2 - this.#visibleLength(label) - 1);
    return `${label} ${text.length <= room ? text : `…${text.slice(-(room - 1))}`}`;
  }

  #final(e: AppEventMap['transcript_final']): void {
    const text = e.text.trim();
    if (text === '') {
      this.#removed(e.itemId);
      return;
    }
    // The final line takes its live line's place; another item's live line (the user's transcript coming in while
    // the assistant answers) stays, below it.
    if (this.#live?.itemId === e.itemId) this.#live = null;
    // A spoken reply's text is final before its audio has played; cut then, it is announced again, interrupted, with
    // the same text: the line is on screen already, and the interruption's own notice says where it was cut.
    if (this.#printed.get(e.itemId) === text) {
      if (this.#tty) this.#redraw();
      return;
    }
    this.#printed.set(e.itemId, text);
    if (this.#printed.size > PRINTED_KEPT) this.#printed.delete(this.#printed.keys().next().value!);
    const cut = e.interrupted ? this.#paint(DIM, ' [interrupted]') : '';
    const blank = !this.#compact && e.speaker === 'assistant' ? [''] : [];
    this.#lines([`${this.#label(e.speaker)} ${text}${cut}`, ...blank]);
  }

  /** The item is gone (or came to nothing): its live line goes. */
  #removed(itemId: string): void {
    if (this.#live?.itemId !== itemId) return;
    this.#live = null;
    if (this.#tty) this.#redraw();
  }

  #label(speaker: 'user' | 'assistant'): string {
    const stamp = this.#timestamps ? this.#paint(DIM, `[${clockTime(this.#now())}] `) : '';
    const label =
      speaker === 'user' ? this.#paint(GREEN, LABEL.user) : this.#paint(CYAN, LABEL.assistant);
    return `${stamp}${this.#paint(BOLD, label)}`;
  }

  #level(db: number): void {
    this.#levelDb = db;
    if (!this.#tty || !this.#meter) return;
    const now = Date.now();
    // A redraw per 20 ms chunk would flood the terminal; 10 a second is enough to see.
    if (now - this.#lastMeterDraw < 100) return;
    this.#lastMeterDraw = now;
    this.#redrawPrompt();
  }

  #line(text: string): void {
    this.#lines([text]);
  }

  /** Prints lines into the transcript: where the bottom area was, which is drawn again below them. */
  #lines(lines: readonly string[]): void {
    if (!this.#tty) {
      this.#out.write(lines.map((line) => `${line}\n`).join(''));
      return;
    }
    this.#redraw(lines);
  }

  /**
   * Draws the bottom area again, after `lines` printed where it began. One write: a terminal (or tmux's screen
   * capture) never shows the area half drawn.
   */
  #redraw(lines: readonly string[] = []): void {
    this.#atomically(() => {
      this.#clearArea();
      if (lines.length > 0) this.#out.write(lines.map((line) => `${line}\n`).join(''));
      this.#drawArea();
    });
  }

  /**
   * Runs `draw` with everything written meanwhile, by the UI and by readline (which writes to the same stream, a
   * piece at a time), sent as one write at the end.
   */
  #atomically(draw: () => void): void {
    const out = this.#out as { write: UiOutput['write'] };
    const own = Object.prototype.hasOwnProperty.call(out, 'write');
    const write = out.write;
    let buffer = '';
    out.write = (text: string): boolean => {
      buffer += String(text);
      return true;
    };
    try {
      draw();
    } finally {
      if (own) out.write = write;
      else delete (out as { write?: unknown }).write;
      if (buffer !== '') write.call(out, buffer);
    }
  }

  /**
   * Takes the bottom area (live row, entered lines' echoes, prompt) off the screen: the cursor goes to the start of
   * its top row and everything from there down is erased. An entered line that is not forgotten (a command) is
   * written back there, into the transcript.
   */
  #clearArea(): void {
    const columns = this.#columns();
    let rows = this.#rl?.getCursorPos().rows ?? 0;
    // Readline's echo took the rows of its prompt and text, and the cursor went to the row below.
    for (const echo of this.#echoes) rows += Math.floor(echo.width / columns) + 1;
    // One row when drawn; more if the terminal got narrower since and re-wrapped it.
    if (this.#liveDrawn !== null) rows += Math.max(1, Math.ceil(this.#liveDrawn / columns));
    this.#out.write(`${up(rows)}${CLEAR_DOWN}`);
    this.#liveDrawn = null;
    const kept = this.#echoes.splice(0).flatMap((echo) => (echo.text === null ? [] : [echo.text]));
    if (kept.length > 0) this.#out.write(kept.map((text) => `${text}\n`).join(''));
  }

  /** Draws the bottom area where the cursor is (the start of an empty row): the live row, then the prompt. */
  #drawArea(): void {
    if (this.#live !== null) {
      const text = this.#liveText(this.#live);
      this.#out.write(`${text}\n`);
      this.#liveDrawn = this.#visibleLength(text);
    }
    this.#redrawPrompt(true);
  }

  /**
   * Enter was pressed: readline left the line (prompt and text) on screen and moved to the next row. It stays there
   * until the next drawing decides: a command stays in the transcript, a message gives way to its transcript line.
   */
  #entered(line: string): void {
    const rl = this.#rl;
    if (!rl || !this.#tty) return;
    const shown = `${rl.getPrompt()}${line}`;
    this.#echoes.push({
      text: line.trim() === '' ? null : shown,
      width: this.#visibleLength(shown),
    });
    // Once whoever handles the line has had its say (forgetTypedLine); drawing before that settles it too.
    queueMicrotask(() => {
      if (this.#echoes.length > 0 && this.#tty) this.#redraw();
    });
  }

  #resized(): void {
    // The live row was cut to the old width: cut it again, and the prompt with it.
    if (this.#liveDrawn === null && this.#echoes.length === 0) return;
    this.#redraw();
  }

  /**
   * Draws the status as readline's prompt, keeping what the user is typing (its text and cursor). `fresh`: the
   * cursor is at the start of an empty row where the prompt goes, not on the prompt readline drew last.
   */
  #redrawPrompt(fresh = false): void {
    const rl = this.#rl;
    if (!rl || !this.#tty) return;
    // Readline starts its redraw by going up to the row its prompt began on, by the rows its cursor was below that
    // (`prevRows`, of its last redraw). Say where the cursor really is: on a fresh row, the prompt's first row;
    // else as many rows below it as the typed text puts it (a paste is echoed without redrawing, so readline's own
    // count can be behind). Taken before the prompt changes.
    const cursorRows = fresh ? 0 : rl.getCursorPos().rows;
    (rl as ReadlineInterface & { prevRows?: number }).prevRows = cursorRows;
    const meter = this.#meter ? ` ${levelBar(this.#levelDb)}` : '';
    rl.setPrompt(`${this.#paint(DIM, `[${this.status()}${meter}]`)} › `);
    this.#atomically(() => rl.prompt(true));
  }

  /** The terminal's width, as readline takes it to lay out the prompt. */
  #columns(): number {
    return this.#out.columns !== undefined && this.#out.columns > 0 ? this.#out.columns : 80;
  }

  #paint(code: string, text: string): string {
    return this.#tty ? `${code}${text}${RESET}` : text;
  }

  #visibleLength(text: string): number {
    // eslint-disable-next-line no-control-regex
    return text.replace(/\x1b\[[0-9;]*m/g, '').length;
  }
}
