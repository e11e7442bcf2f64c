import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeskSettings } from '../../src/scheduler/desk-settings.js';
import type { DeskSettings } from '../../src/scheduler/desk-settings.js';
import { createSchedulerTools } from '../../src/scheduler/scheduler-tools.js';
import type { ToolDefinition, ToolOutput } from '../../src/scheduler/tool-definition.js';
import { openStorage } from '../../src/storage/open-storage.js';
import type { Storage } from '../../src/storage/open-storage.js';

/** Monday 23 November 2026, 10:00 in Berlin. */
export const DESK_NOW = new Date('2026-11-23T09:00:00Z');
export const DESK_ZONE = 'Europe/Berlin';

/** The scheduler tools on a real SQLite database in a temporary directory, with a fixed clock. */
export interface TestDesk {
  readonly storage: Storage;
  readonly settings: DeskSettings;
  readonly tools: ToolDefinition[];
  readonly logged: { details: object; message: string }[];
  call(name: string, args: unknown): Promise<ToolOutput>;
  close(): Promise<void>;
}

export async function openTestDesk(now: Date = DESK_NOW): Promise<TestDesk> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scheduler-'));
  const storage = await openStorage({ dataDir });
  const settings = createDeskSettings({ timeZone: DESK_ZONE, now: () => now });
  const logged: { details: object; message: string }[] = [];
  const tools = createSchedulerTools({
    appointments: storage.appointments,
    settings,
    logger: { error: (details, message) => logged.push({ details, message }) },
  });
  let closed = false;
  return {
    storage,
    settings,
    tools,
    logged,
    call: (name, args) => {
      const definition = tools.find((t) => t.name === name);
      if (!definition) throw new Error(`no tool ${name}`);
      return definition.invoke(args);
    },
    close: async () => {
      if (!closed) await storage.close();
      closed = true;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
