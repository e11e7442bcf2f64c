/** @realtime-assistant/cli — the realtime-assistant command (in progress). */
export {};
