import { defaultProfile, findProfile, openStorage } from '@realtime-assistant/assistant';
import type {
  AppLogger,
  AssistantProfile,
  LoadConfigResult,
  RealtimeTools,
  Storage,
} from '@realtime-assistant/assistant';

type Loaded = Extract<LoadConfigResult, { ok: true }>;

/** The storage a chat opened: none (with a warning) when history alone would have used it. */
export type StorageOpening =
  | { readonly ok: true; readonly storage: Storage | null; readonly warning?: string }
  | { readonly ok: false; readonly message: string };

/** Who the assistant is for this chat: a local profile, or a stored prompt on the default profile. */
export interface AssistantSetup {
  readonly ok: true;
  /** Stored with each conversation: the profile name, or the prompt id. */
  readonly name: string;
  /** The embedded engine's scenario when no `--scenario` is given. */
  readonly scenario: string;
  /** The instructions to send, unless `--instructions` (or a stored prompt) says otherwise. */
  readonly instructions: { readonly instructions?: string };
  readonly profile: AssistantProfile;
  /** The function tools on the storage opened. */
  tools(storage: Storage, logger: AppLogger): RealtimeTools;
  /** Opens the database (SQLite in `dataDir`, or PostgreSQL from DATABASE_URL) and migrates it. */
  openStorage(dataDir: string, logger: AppLogger): Promise<StorageOpening>;
}

/** The assistant `--assistant-id` names (default: the general one), or a readable reason it names none. */
export function resolveAssistantSetup(
  loaded: Loaded,
): AssistantSetup | { readonly ok: false; readonly message: string } {
  const { config, assistant } = loaded;
  let profile = defaultProfile;
  if (assistant?.kind === 'profile') {
    const found = findProfile(assistant.name);
    if (!found.ok) return found;
    profile = found.profile;
  }
  const timeZone = config.scheduler.timeZone;
  const own = config.api.instructions;
  return {
    ok: true,
    name: assistant?.kind === 'prompt' ? assistant.id : profile.name,
    scenario: profile.scenario,
    // A stored prompt brings its own instructions; `--instructions` wins over the profile's.
    instructions:
      own !== undefined
        ? { instructions: own }
        : assistant?.kind === 'prompt'
          ? {}
          : {
              instructions: profile.instructions({
                now: new Date(),
                timeZone: timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
              }),
            },
    profile,
    tools: (storage, logger) =>
      profile.tools({
        storage,
        logger: logger.logger.child({ component: 'tools' }),
        ...(timeZone ? { timeZone } : {}),
      }),
    async openStorage(dataDir, logger) {
      try {
        const storage = await openStorage({
          dataDir,
          databaseUrl: config.storage.databaseUrl?.reveal(),
          logger: logger.logger.child({ component: 'storage' }),
        });
        return { ok: true, storage };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (profile.needsStorage) {
          return {
            ok: false,
            message: `the ${profile.name} assistant needs its database, which could not be opened: ${reason}`,
          };
        }
        return {
          ok: true,
          storage: null,
          warning: `Conversations are not being saved: the database could not be opened (${reason}).`,
        };
      }
    },
  };
}
