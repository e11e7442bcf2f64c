import { readFileSync } from 'node:fs';

let cached: string | null = null;

/** The CLI package version, read once from its package.json (the same relative path from src/ and dist/). */
export function cliVersion(): string {
  cached ??= readVersion();
  return cached;
}

function readVersion(): string {
  try {
    const raw = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
    const parsed = JSON.parse(raw) as { version?: unknown };
    return typeof parsed.version === 'string' ? parsed.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
