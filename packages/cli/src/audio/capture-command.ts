/** The programs that can record the microphone, in the default order of preference. */
export const CAPTURE_BACKENDS = ['arecord', 'parec', 'sox'] as const;
/** A program that records the microphone. */
export type CaptureBackend = (typeof CAPTURE_BACKENDS)[number];

/** What to spawn for a capture backend. */
export interface SpawnCommand {
  command: string;
  args: string[];
}

/**
 * The command line that records raw s16le mono at `rate` Hz to stdout. `device` is passed through
 * as is (`-D` for arecord, `--device` for parec, `-t alsa <dev>` for sox); without it each tool
 * records its default device, which is `default` (never `mic`'s `plughw:1,0` trap).
 */
export function captureCommand(
  backend: CaptureBackend,
  rate: number,
  device?: string,
): SpawnCommand {
  const r = String(rate);
  switch (backend) {
    case 'arecord':
      return {
        command: 'arecord',
        args: [
          '-q',
          '-t',
          'raw',
          '-f',
          'S16_LE',
          '-c',
          '1',
          '-r',
          r,
          ...(device ? ['-D', device] : []),
        ],
      };
    case 'parec':
      return {
        command: 'parec',
        args: [
          '--raw',
          '--format=s16le',
          '--channels=1',
          `--rate=${r}`,
          // Small fragments: parec otherwise delivers audio in ~2 s blocks.
          '--latency-msec=20',
          ...(device ? [`--device=${device}`] : []),
        ],
      };
    case 'sox':
      return {
        command: 'sox',
        args: [
          '-q',
          ...['-t', 'alsa', device ?? 'default'],
          ...['-t', 'raw', '-e', 'signed-integer', '-b', '16', '-c', '1', '-r', r, '-'],
        ],
      };
  }
}
