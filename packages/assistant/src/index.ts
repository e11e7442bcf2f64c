/** @realtime-assistant/assistant — the assistant core (in progress). */
export {};
