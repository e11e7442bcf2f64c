import type { AssistantProfile } from './assistant-profile.js';

/** A general assistant with no tools. */
export const defaultProfile: AssistantProfile = {
  name: 'default',
  description: 'a general assistant',
  instructions: () =>
    'You are a helpful, friendly voice assistant. Keep answers short and conversational: one or two sentences ' +
    'unless asked for more.',
  scenario: 'default',
  needsStorage: false,
  tools: () => [],
};
