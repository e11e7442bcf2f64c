import type { Logger } from 'pino';
import type { RealtimeTools } from '../conversation/conversation-controller.js';
import type { Storage } from '../storage/open-storage.js';

/** What a profile's tools may use. */
export interface ProfileToolContext {
  readonly storage: Storage;
  /** The desk's IANA time zone (default: this machine's). */
  readonly timeZone?: string;
  readonly now?: () => Date;
  /** Where tool failures hidden from the model are logged. */
  readonly logger?: Logger;
}

/** What instructions may mention. */
export interface InstructionContext {
  readonly now: Date;
  /** IANA time zone. */
  readonly timeZone: string;
}

/** A local assistant: its instructions, its tools, and the engine scenario that plays it offline. */
export interface AssistantProfile {
  readonly name: string;
  /** One line for `--help` and errors. */
  readonly description: string;
  /** The system instructions, written for this moment and zone (a desk must know what "tomorrow" is). */
  instructions(context: InstructionContext): string;
  /** The embedded engine's scenario for this assistant (used when no `--scenario` is given). */
  readonly scenario: string;
  /** Whether its tools need the database (the conversation history always uses it when it can). */
  readonly needsStorage: boolean;
  /** The function tools the model may call. */
  tools(context: ProfileToolContext): RealtimeTools;
}
