import { ConversationRecorder } from '@realtime-assistant/assistant';
import type { AppEvents, ConversationRepository } from '@realtime-assistant/assistant';
import type { Logger } from 'pino';

/** Options of {@link ConversationHistory}. */
export interface ConversationHistoryOptions {
  /** Where conversations go; null when storage could not be opened (nothing is recorded). */
  readonly repository: ConversationRepository | null;
  /** Where it is stored, for `/status` (a file path, or a URL without its password). */
  readonly location?: string;
  readonly events: AppEvents;
  readonly assistant: string;
  readonly target: string;
  readonly logger: Logger;
  readonly notice: (text: string) => void;
}

/**
 * The chat's conversation history: one stored conversation from {@link begin} to {@link end}, and a new one after
 * `/restart`. A storage failure is said once on screen and the chat goes on without history.
 */
export class ConversationHistory {
  readonly #options: ConversationHistoryOptions;
  #recorder: ConversationRecorder | null = null;
  #warned = false;

  constructor(options: ConversationHistoryOptions) {
    this.#options = options;
  }

  /** Where conversations are stored. */
  get location(): string {
    return this.#options.location ?? '(nowhere)';
  }

  /** The id of the conversation being recorded, if any. */
  get conversationId(): string | null {
    return this.#recorder?.id ?? null;
  }

  async begin(): Promise<void> {
    const { repository, events, assistant, target, logger } = this.#options;
    if (!repository || this.#recorder) return;
    try {
      this.#recorder = await ConversationRecorder.start({
        repository,
        events,
        assistant,
        target,
        logger,
      });
    } catch (error) {
      this.#warn(error);
    }
  }

  /** Records the end (waiting for the writes in flight). */
  async end(): Promise<void> {
    const recorder = this.#recorder;
    this.#recorder = null;
    if (!recorder) return;
    try {
      await recorder.finish();
    } catch (error) {
      this.#warn(error);
    }
  }

  #warn(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#options.logger.error({ err: message }, 'conversation history unavailable');
    if (this.#warned) return;
    this.#warned = true;
    this.#options.notice(`This conversation is not being saved: ${message}`);
  }
}
