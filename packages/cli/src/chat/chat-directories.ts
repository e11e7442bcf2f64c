import { DirectoryError, ensureDirectory } from '@realtime-assistant/assistant';
import type { AppConfig } from '@realtime-assistant/assistant';
import { resolve } from 'node:path';

/**
 * Checks, before anything starts, that the directories the chat writes to can be used (created if missing): the
 * logs, the SQLite database (unless DATABASE_URL names PostgreSQL) and, with --save-recordings, the recordings.
 * Null when they can; else one line per problem, naming the flag and the environment variable that set it.
 */
export function directoryProblems(config: AppConfig, cwd: string): string | null {
  const dirs: Array<[setting: string, path: string]> = [
    ['--log-dir (LOG_DIR)', config.logging.dir],
  ];
  if (config.storage.databaseUrl === undefined) {
    dirs.push(['--data-dir (DATA_DIR)', config.storage.dataDir]);
  }
  if (config.audio.saveRecordings) {
    dirs.push(['RECORDINGS_DIR', config.audio.recordingsDir]);
  }
  const problems: string[] = [];
  for (const [setting, path] of dirs) {
    try {
      ensureDirectory(resolve(cwd, path));
    } catch (error) {
      if (!(error instanceof DirectoryError)) throw error;
      problems.push(`${setting}: ${error.message}.`);
    }
  }
  return problems.length === 0 ? null : problems.join('\n');
}
