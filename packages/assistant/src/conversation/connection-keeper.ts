import type { Logger } from 'pino';
import type { AppEvents } from '../events/app-events.js';
import { backoffDelayMs } from './backoff.js';
import { connectFailureOf } from './connect-error.js';
import type { BackoffPolicy } from './backoff.js';
import type { ControllerClock, TimerHandle } from './controller-clock.js';
import type { ConnectionState } from './conversation-state.js';
import type { ReplayItem } from './conversation-replay.js';
import type { RealtimeLink } from './realtime-link.js';

/** A session is never rotated sooner than this after it starts (a margin longer than the session would loop). */
const MIN_ROTATION_DELAY_MS = 1_000;

/** What the {@link ConnectionKeeper} needs from the conversation it keeps connected. */
export interface ConnectionKeeperHost {
  readonly events: AppEvents;
  readonly log: Logger | undefined;
  /** A new, unopened link whose events reach the conversation only while it is the active one. */
  createLink(): RealtimeLink;
  /** The conversation as items to replay (`completeOnly`: leave out messages still arriving). */
  replayItems(completeOnly: boolean): ReplayItem[];
  /** Between turns: nothing being generated or played. */
  idle(): boolean;
  setConnection(state: ConnectionState): void;
  /** A new link is in use (after a reconnect or a rotation). */
  switched(link: RealtimeLink): void;
}

/** Options of {@link ConnectionKeeper}. */
export interface ConnectionKeeperOptions {
  readonly apiKey: string;
  readonly url: string;
  readonly timeoutMs: number;
  readonly clock: ControllerClock;
  readonly random?: () => number;
  /** Null: no reconnecting. */
  readonly backoff: BackoffPolicy | null;
  /** Null: no rotation. */
  readonly rotationMarginMs: number | null;
}

/**
 * Keeps one conversation connected across connections: after an unexpected close it reconnects with backoff
 * (reporting `reconnecting` / `reconnected`, giving up with an `error`), and `rotationMarginMs` before the session
 * expires it opens a new one and switches to it between turns (`session_rotated`). Either way the new link gets
 * the session config (the SDK sends it on connect) and the conversation replayed before it takes over.
 */
export class ConnectionKeeper {
  readonly #host: ConnectionKeeperHost;
  readonly #options: ConnectionKeeperOptions;
  #link: RealtimeLink;
  /** A link being opened to replace the active one. */
  #pending: RealtimeLink | null = null;
  #attempt = 0;
  #reconnectTimer: TimerHandle | null = null;
  #rotationTimer: TimerHandle | null = null;
  #rotationDue = false;
  #idleWaiters: (() => void)[] = [];
  #closed = false;

  constructor(host: ConnectionKeeperHost, options: ConnectionKeeperOptions) {
    this.#host = host;
    this.#options = options;
    this.#link = host.createLink();
  }

  /** The link in use. */
  get link(): RealtimeLink {
    return this.#link;
  }

  /** Whether an unexpected close is followed by reconnecting. */
  get reconnects(): boolean {
    return this.#options.backoff !== null;
  }

  /** Opens the active link; the rotation is scheduled from its `expires_at`. */
  async open(): Promise<void> {
    this.#closed = false;
    const { apiKey, url, timeoutMs } = this.#options;
    await this.#link.open(apiKey, url, timeoutMs);
    this.#scheduleRotation();
  }

  /** The active link closed without being asked to: reconnect, starting from attempt 1. */
  lost(reason: string): void {
    this.#stopTimers();
    this.#pending?.close();
    this.#pending = null;
    this.#attempt = 0;
    this.#scheduleReconnect(reason);
  }

  /** The turn ended: a rotation waiting for it goes ahead. */
  turnEnded(): void {
    if (this.#rotationDue) this.#wakeIdleWaiters();
  }

  /** Stops reconnecting and rotating and closes every link. */
  close(): void {
    this.#closed = true;
    this.#stopTimers();
    this.#pending?.close();
    this.#pending = null;
    this.#link.close();
  }

  #scheduleReconnect(reason: string): void {
    const policy = this.#options.backoff;
    if (!policy) return;
    const attempt = ++this.#attempt;
    if (attempt > policy.maxAttempts) {
      const message = `gave up reconnecting after ${policy.maxAttempts} attempts: ${reason}`;
      this.#host.setConnection({ status: 'disconnected', reason: message });
      this.#host.events.emit('error', {
        source: 'transport',
        message,
        code: 'reconnect_failed',
        recoverable: false,
      });
      return;
    }
    const delayMs = backoffDelayMs(attempt, policy, this.#options.random);
    this.#host.setConnection({ status: 'reconnecting', attempt, delayMs, reason });
    this.#host.events.emit('reconnecting', { attempt, delayMs, reason });
    this.#reconnectTimer = this.#options.clock.setTimeout(() => {
      this.#reconnectTimer = null;
      void this.#tryReconnect(attempt);
    }, delayMs);
  }

  async #tryReconnect(attempt: number): Promise<void> {
    const link = this.#host.createLink();
    this.#pending = link;
    try {
      const replayed = await this.#openAndReplay(link);
      if (this.#pending !== link) throw new Error('superseded');
      this.#pending = null;
      this.#switchTo(link);
      this.#host.events.emit('reconnected', { attempt, replayedItems: replayed.size });
    } catch (error) {
      link.close();
      if (this.#pending !== link || this.#closed) return;
      this.#pending = null;
      // What the SDK rejects with is often an ErrorEvent, not an Error: read its reason as connect() does.
      const { reason } = connectFailureOf(error);
      this.#host.log?.warn({ attempt, error: reason }, 'reconnect attempt failed');
      this.#scheduleReconnect(reason);
    }
  }

  /** Opens `link` unless open, and replays what it has not been sent yet; returns the ids sent so far. */
  async #openAndReplay(
    link: RealtimeLink,
    sent = new Set<string>(),
    completeOnly = false,
  ): Promise<Set<string>> {
    const { apiKey, url, timeoutMs } = this.#options;
    if (link.sessionId === null) await link.open(apiKey, url, timeoutMs);
    const items = this.#host.replayItems(completeOnly).filter((item) => !sent.has(item.id));
    await link.replay(items, timeoutMs);
    for (const item of items) sent.add(item.id);
    return sent;
  }

  #switchTo(link: RealtimeLink): void {
    const previous = this.#link;
    this.#link = link;
    previous.close();
    this.#host.switched(link);
    this.#scheduleRotation();
  }

  #scheduleRotation(): void {
    if (this.#rotationTimer !== null) this.#options.clock.clearTimeout(this.#rotationTimer);
    this.#rotationTimer = null;
    const { rotationMarginMs, clock } = this.#options;
    const expiresAt = this.#link.expiresAtMs;
    if (rotationMarginMs === null || expiresAt === null) return;
    const delay = Math.max(MIN_ROTATION_DELAY_MS, expiresAt - rotationMarginMs - clock.now());
    this.#rotationTimer = clock.setTimeout(() => {
      this.#rotationTimer = null;
      void this.#rotate();
    }, delay);
  }

  /** Opens a new session with the conversation replayed, then switches to it between turns. */
  async #rotate(): Promise<void> {
    if (this.#pending || this.#closed || this.#link.transport.status !== 'connected') return;
    const previous = this.#link;
    const link = this.#host.createLink();
    this.#pending = link;
    this.#rotationDue = true;
    try {
      // A reply still arriving is replayed after it, once complete.
      const sent = await this.#openAndReplay(link, new Set(), true);
      while (!this.#host.idle() && this.#pending === link) {
        await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
      }
      if (this.#pending !== link || this.#link !== previous) throw new Error('superseded');
      // Turns taken while the new session was being prepared.
      await this.#openAndReplay(link, sent);
      if (this.#pending !== link || this.#link !== previous) throw new Error('superseded');
      this.#pending = null;
      this.#rotationDue = false;
      this.#switchTo(link);
      this.#host.events.emit('session_rotated', {
        previousSessionId: previous.sessionId ?? '',
        realtimeSessionId: link.sessionId ?? '',
        replayedItems: sent.size,
      });
    } catch (error) {
      link.close();
      if (this.#pending !== link) return;
      this.#pending = null;
      this.#rotationDue = false;
      this.#host.events.emit('error', {
        source: 'transport',
        message: `session rotation failed: ${connectFailureOf(error).reason}`,
        code: 'rotation_failed',
        recoverable: true,
      });
    }
  }

  #wakeIdleWaiters(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Stops both timers; a rotation waiting for the turn to end wakes, finds itself abandoned and stops. */
  #stopTimers(): void {
    const { clock } = this.#options;
    if (this.#reconnectTimer !== null) clock.clearTimeout(this.#reconnectTimer);
    if (this.#rotationTimer !== null) clock.clearTimeout(this.#rotationTimer);
    this.#reconnectTimer = null;
    this.#rotationTimer = null;
    this.#rotationDue = false;
    this.#wakeIdleWaiters();
  }
}
