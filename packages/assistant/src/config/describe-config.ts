import type { AppConfig } from './config-schema.js';
import type { SettingSource } from './load-config.js';
import { Secret } from './secret.js';
import { SETTINGS } from './settings.js';

/** One line per setting for `/status` and `--debug`: `turnDetection.threshold = 0.5 (default)`. Secrets masked. */
export function describeConfig(
  config: AppConfig,
  sources: Record<string, SettingSource> = {},
): string[] {
  const lines: string[] = [];
  for (const spec of SETTINGS) {
    const [section, field] = spec.path.split('.') as [keyof AppConfig, string];
    const value = (config[section] as Record<string, unknown>)[field];
    if (value === undefined) continue;
    const shown = value instanceof Secret ? value.toString() : JSON.stringify(value);
    lines.push(`${spec.path} = ${shown} (${sources[spec.path] ?? 'default'})`);
  }
  return lines;
}
