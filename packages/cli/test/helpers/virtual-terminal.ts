/**
 * A tiny terminal for tests: it takes what a program writes (text and the few ANSI sequences readline and the UI
 * use) and keeps the screen it would show, with its scrollback. Like xterm and tmux: a character in the last column
 * leaves the cursor there until the next one wraps; `\n` also returns to the first column (a tty's ONLCR); a
 * resize re-wraps lines that had wrapped. Sequences it does not know are kept in {@link unknown}, for the test to
 * check.
 */
import { EventEmitter } from 'node:events';

interface Row {
  cells: string[];
  /** The line goes on in the next row (it wrapped there). */
  wrapped: boolean;
}

export class VirtualTerminal extends EventEmitter {
  readonly isTTY = true;
  columns: number;
  readonly height: number;
  /** Scrollback then screen; the screen is the last `height` rows. */
  #rows: Row[] = [];
  /** Cursor: absolute row in #rows and column. */
  #row = 0;
  #col = 0;
  #wrapPending = false;
  /** Everything written, as it came. */
  written = '';
  /** How many writes it took. */
  writes = 0;
  readonly unknown: string[] = [];

  constructor(columns = 80, height = 24) {
    super();
    this.columns = columns;
    this.height = height;
    for (let i = 0; i < height; i++) this.#rows.push(this.#blank());
  }

  write(chunk: string | Uint8Array): boolean {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    this.written += text;
    this.writes++;
    // eslint-disable-next-line no-control-regex
    const token = /\x1b\[([0-9;?]*)([A-Za-z])|\x1b(.)|([\s\S])/gu;
    for (const m of text.matchAll(token)) {
      if (m[2] !== undefined) this.#csi(m[1] ?? '', m[2]);
      else if (m[3] !== undefined) this.unknown.push(`ESC ${m[3]}`);
      else this.#char(m[4] ?? '');
    }
    return true;
  }

  /** The screen's rows as text (trailing blanks dropped). */
  screen(): string[] {
    return this.#rows.slice(this.#top()).map((row) => row.cells.join('').trimEnd());
  }

  /** Scrollback and screen as lines, wrapped rows joined (like `tmux capture-pane -J`), trailing empty lines dropped. */
  lines(): string[] {
    const out: string[] = [];
    let current = '';
    for (const row of this.#rows) {
      const text = row.cells.join('');
      if (row.wrapped) current += text;
      else {
        out.push((current + text).trimEnd());
        current = '';
      }
    }
    if (current !== '') out.push(current.trimEnd());
    while (out.length > 0 && out.at(-1) === '') out.pop();
    return out;
  }

  /** The cursor on the screen: row (0 is the top of the screen) and column. */
  cursor(): { row: number; col: number } {
    return { row: this.#row - this.#top(), col: this.#col };
  }

  /** Changes the width (re-wrapping what wrapped) and emits `resize`, as a tty stream does. */
  resize(columns: number): void {
    const cursorLine = this.#logicalOf(this.#row);
    const lines: { text: string[]; cursorAt: number | null }[] = [];
    let start = 0;
    for (let i = 0; i < this.#rows.length; i++) {
      if (this.#rows[i]!.wrapped && i < this.#rows.length - 1) continue;
      const rows = this.#rows.slice(start, i + 1);
      const text = rows.flatMap((row) => row.cells);
      // Blanks at the end of a line are not part of it (the cursor's own position aside).
      while (text.length > 0 && text.at(-1) === ' ') text.pop();
      const isCursor = cursorLine.start === start;
      lines.push({
        text,
        cursorAt: isCursor ? (this.#row - start) * this.columns + this.#col : null,
      });
      start = i + 1;
    }
    this.columns = columns;
    const rows: Row[] = [];
    let cursor = { row: 0, col: 0 };
    for (const line of lines) {
      const length = Math.max(line.text.length, line.cursorAt === null ? 0 : line.cursorAt + 1);
      const count = Math.max(1, Math.ceil(length / columns));
      const first = rows.length;
      for (let r = 0; r < count; r++) {
        const cells = line.text.slice(r * columns, (r + 1) * columns);
        while (cells.length < columns) cells.push(' ');
        rows.push({ cells, wrapped: r < count - 1 });
      }
      if (line.cursorAt !== null) {
        cursor = {
          row: first + Math.floor(line.cursorAt / columns),
          col: line.cursorAt % columns,
        };
      }
    }
    // Blank rows below the cursor go; the screen stays full.
    while (rows.length - 1 > cursor.row && rows.at(-1)!.cells.every((c) => c === ' ')) rows.pop();
    while (rows.length < this.height) rows.push(this.#blankOf(columns));
    this.#rows = rows;
    this.#row = cursor.row;
    this.#col = cursor.col;
    this.#wrapPending = false;
    this.emit('resize');
  }

  #logicalOf(row: number): { start: number } {
    let start = row;
    while (start > 0 && this.#rows[start - 1]!.wrapped) start--;
    return { start };
  }

  #top(): number {
    return Math.max(0, this.#rows.length - this.height);
  }

  #blank(): Row {
    return this.#blankOf(this.columns);
  }

  #blankOf(columns: number): Row {
    return { cells: Array.from({ length: columns }, () => ' '), wrapped: false };
  }

  #char(c: string): void {
    if (c === '\r') {
      this.#col = 0;
      this.#wrapPending = false;
    } else if (c === '\n') {
      this.#col = 0;
      this.#wrapPending = false;
      this.#lineFeed();
    } else if (c === '\x07' || c === '\x00') {
      // Bell, nothing.
    } else if (c < ' ') {
      this.unknown.push(`control ${c.charCodeAt(0)}`);
    } else {
      if (this.#wrapPending) {
        this.#rows[this.#row]!.wrapped = true;
        this.#col = 0;
        this.#wrapPending = false;
        this.#lineFeed();
      }
      this.#rows[this.#row]!.cells[this.#col] = c;
      if (this.#col === this.columns - 1) this.#wrapPending = true;
      else this.#col++;
    }
  }

  #lineFeed(): void {
    this.#row++;
    if (this.#row >= this.#rows.length) this.#rows.push(this.#blank());
  }

  #csi(params: string, final: string): void {
    const n = params === '' ? 1 : Number(params.split(';')[0]);
    const top = this.#top();
    this.#wrapPending = false;
    switch (final) {
      case 'A':
        this.#row = Math.max(top, this.#row - Math.max(1, n));
        break;
      case 'B':
        this.#row = Math.min(this.#rows.length - 1, this.#row + Math.max(1, n));
        break;
      case 'C':
        this.#col = Math.min(this.columns - 1, this.#col + Math.max(1, n));
        break;
      case 'D':
        this.#col = Math.max(0, this.#col - Math.max(1, n));
        break;
      case 'G':
        this.#col = Math.min(this.columns - 1, Math.max(1, n) - 1);
        break;
      case 'J': {
        const mode = params === '' ? 0 : n;
        if (mode !== 0) {
          this.unknown.push(`CSI ${params}J`);
          break;
        }
        const row = this.#rows[this.#row]!;
        for (let c = this.#col; c < this.columns; c++) row.cells[c] = ' ';
        row.wrapped = false;
        for (let r = this.#row + 1; r < this.#rows.length; r++) this.#rows[r] = this.#blank();
        break;
      }
      case 'K': {
        const mode = params === '' ? 0 : n;
        const row = this.#rows[this.#row]!;
        const [from, to] =
          mode === 0
            ? [this.#col, this.columns]
            : mode === 1
              ? [0, this.#col + 1]
              : [0, this.columns];
        for (let c = from; c < to; c++) row.cells[c] = ' ';
        if (mode !== 1) row.wrapped = false;
        break;
      }
      case 'm':
        break;
      default:
        this.unknown.push(`CSI ${params}${final}`);
    }
  }
}
