import type { AssistantProfile } from './assistant-profile.js';
import { defaultProfile } from './default-profile.js';
import { schedulerProfile } from './scheduler-profile.js';

/** The local assistants `--assistant-id` can name. */
export const PROFILES: readonly AssistantProfile[] = [defaultProfile, schedulerProfile];

/** The outcome of {@link findProfile}. */
export type ProfileLookup =
  | { readonly ok: true; readonly profile: AssistantProfile }
  | { readonly ok: false; readonly message: string };

/** The profile called `name` (case-insensitive), or a message naming the ones there are. */
export function findProfile(name: string): ProfileLookup {
  const wanted = name.trim().toLowerCase();
  const profile = PROFILES.find((p) => p.name === wanted);
  if (profile) return { ok: true, profile };
  return {
    ok: false,
    message:
      `--assistant-id: there is no local assistant "${name}"; the local assistants are ` +
      `${PROFILES.map((p) => p.name).join(', ')} (or give a stored prompt id, pmpt_…).`,
  };
}
