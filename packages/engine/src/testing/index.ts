/** The engine's test kit: start an engine on port 0, script it, read back what it saw, inject faults. */
export { startLocalRealtime } from './start-local-realtime.js';
export type { LocalRealtimeHandle, StartLocalRealtimeOptions } from './start-local-realtime.js';
export { InProcessSocket } from './in-process-socket.js';
export type { SessionRecord } from '../session-registry.js';
export type { InjectedFault } from '../faults.js';
