/**
 * The line of an audio program's stderr that says why it failed. ALSA's configuration errors
 * ("ALSA lib confmisc.c:855:(parse_card) cannot find card '0'", eight lines on a machine with no
 * sound card) and a verbose player's progress come first; the program's own verdict follows
 * ("arecord: main:850: audio open error: No such file or directory").
 */
const CHATTER =
  /^(ALSA lib |Opening a (playback|recording) stream|Playing raw data|Recording raw data|Time: |Connection established)/;

/** The first line that is not chatter (or the last line, when every line is), trimmed. */
export function stderrReason(stderr: string): string {
  const lines = stderr
    .split(/[\r\n]+/)
    .map((line) => line.replaceAll('\u001b[K', '').trim())
    .filter((line) => line !== '');
  return lines.find((line) => !CHATTER.test(line)) ?? lines.at(-1) ?? '';
}
