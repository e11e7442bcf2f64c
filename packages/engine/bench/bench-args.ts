/**
 * Flags of a bench script, parsed with `node:util` `parseArgs`: `--help` prints what the script measures and its
 * flags (from the options themselves), and a bad flag gets one readable line and exit code 2 — never a stack trace.
 */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

/** The usage text: `description`, then each flag with its type, default and whether it repeats. */
export function benchUsage(command: string, description: string, config: ParseArgsConfig): string {
  const lines = [
    `Usage: ${command} [flags]${config.allowPositionals ? ' [args…]' : ''}`,
    '',
    description,
    '',
  ];
  for (const [name, option] of Object.entries(config.options ?? {})) {
    const value = option.type === 'string' ? ' <value>' : '';
    const notes = [
      option.default !== undefined ? `default ${JSON.stringify(option.default)}` : null,
      option.multiple ? 'repeatable' : null,
    ].filter((note) => note !== null);
    lines.push(`  --${name}${value}${notes.length > 0 ? `   (${notes.join(', ')})` : ''}`);
  }
  lines.push('  -h, --help', '');
  return lines.join('\n');
}

/** Parses `process.argv`; exits 0 after `--help`, 2 after a bad flag. */
export function benchArgs<T extends ParseArgsConfig>(
  command: string,
  description: string,
  config: T,
): ReturnType<typeof parseArgs<T>> {
  const args = config.args ?? process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(benchUsage(command, description, config));
    process.exit(0);
  }
  try {
    // `parseArgs` reads process.argv itself when `config` names no args, as here.
    return parseArgs(config);
  } catch (error) {
    process.stderr.write(
      `${command}: ${error instanceof Error ? error.message : String(error)}\nRun it with --help for the flags.\n`,
    );
    process.exit(2);
  }
}
