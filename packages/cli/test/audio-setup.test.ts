/**
 * Choosing voice or text mode on a machine where the audio programs exist but no device opens (no sound card, no
 * sound server: this machine, and CI's): the real `aplay` and `paplay` are asked, and the answer is text mode with
 * their own reasons, not a voice mode whose speaker is dead.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveChildCount } from '../src/audio/child-registry.js';
import { PlaybackError } from '../src/audio/playback-base.js';
import { probePlayer } from '../src/audio/player-probe.js';
import { stderrReason } from '../src/audio/stderr-reason.js';
import { openAudio } from '../src/chat/audio-setup.js';

/** No sound server to reach: a socket path that does not exist. */
const noServer = { PATH: process.env.PATH ?? '', PULSE_SERVER: 'unix:/nonexistent/ra-test/native' };

describe('openAudio where no output device opens', () => {
  it('falls back to text mode with each player’s own reason, and leaves nothing running', async () => {
    const mode = await openAudio({
      forceText: false,
      outputDevice: 'ra_no_such_device',
      env: noServer,
    });
    expect(mode.kind).toBe('text');
    const reason = mode.kind === 'text' ? mode.reason : '';
    expect(reason).toMatch(/^No usable audio device: text mode, type your messages\./);
    expect(reason).toContain('audio-io: cannot select a device');
    expect(reason).toMatch(
      /aplay cannot open the audio output \(code 1\): aplay: .*audio open error/,
    );
    expect(reason).toMatch(/paplay cannot open the audio output \(code 1\): Connection failure/);
    // ALSA's configuration chatter is not the reason.
    expect(reason).not.toContain('ALSA lib');
    expect(liveChildCount()).toBe(0);
  });
});

describe('openAudio where no audio program is installed', () => {
  it('says once, in one line, that this is text mode and why', async () => {
    const mode = await openAudio({ forceText: false, env: { PATH: '' } });
    expect(mode.kind).toBe('text');
    const reason = mode.kind === 'text' ? mode.reason : '';
    expect(reason).toBe(
      'No audio device: no microphone recorder (arecord, parec or sox) and no speaker output (ALSA via audio-io, aplay or paplay) found, so this is text mode: type your messages.',
    );
    expect(reason.match(/No audio device/g)).toHaveLength(1);
    expect(reason.match(/text mode/g)).toHaveLength(1);
  });
});

describe('probePlayer', () => {
  it('rejects with aplay’s reason when the device does not exist', async () => {
    const probe = probePlayer({ program: 'aplay', device: 'ra_no_such_device', env: noServer });
    await expect(probe).rejects.toBeInstanceOf(PlaybackError);
    const error = (await probe.catch((e: unknown) => e)) as PlaybackError;
    expect(error.message).toMatch(
      /^aplay cannot open the audio output \(code 1\): aplay: .*audio open error/,
    );
    // The whole stderr is kept for the log.
    expect(error.stderr).toContain('ra_no_such_device');
  });

  it('rejects with paplay’s reason when no sound server answers', async () => {
    await expect(probePlayer({ program: 'paplay', env: noServer })).rejects.toThrow(
      /^paplay cannot open the audio output \(code 1\): Connection failure: Connection refused$/,
    );
  });

  it('gives up on a player that neither opens the device nor fails, and stops it', async () => {
    // A stand-in for a player stuck on a hung sound server: it says nothing and never exits.
    const bin = mkdtempSync(join(tmpdir(), 'ra-probe-'));
    writeFileSync(join(bin, 'paplay'), '#!/bin/sh\nexec sleep 60\n');
    chmodSync(join(bin, 'paplay'), 0o755);
    await expect(
      probePlayer({ program: 'paplay', env: { PATH: `${bin}:/usr/bin:/bin` }, timeoutMs: 200 }),
    ).rejects.toThrow(/^paplay did not open the audio output within 200 ms$/);
    expect(liveChildCount()).toBe(0);
  });

  it('says so when the player cannot be started at all', async () => {
    await expect(probePlayer({ program: 'aplay', env: { PATH: '/nonexistent' } })).rejects.toThrow(
      /^Cannot start aplay: spawn aplay ENOENT/,
    );
  });
});

describe('stderrReason', () => {
  it('skips ALSA’s configuration chatter and a verbose player’s progress', () => {
    const arecord = [
      "ALSA lib confmisc.c:855:(parse_card) cannot find card '0'",
      'ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default',
      'arecord: main:831: audio open error: No such file or directory',
      '',
    ].join('\n');
    expect(stderrReason(arecord)).toBe(
      'arecord: main:831: audio open error: No such file or directory',
    );
    const paplay =
      "Opening a playback stream with sample specification 's16le 1ch 24000Hz' and channel map 'mono'.\n" +
      'Connection established.\u001b[K\nTime: 0.101 sec; Latency: 0 usec.        \rStream error: Broken pipe\n';
    expect(stderrReason(paplay)).toBe('Stream error: Broken pipe');
  });

  it('falls back to the last line when every line is chatter, and to nothing for nothing', () => {
    expect(stderrReason('ALSA lib a\nALSA lib b\n')).toBe('ALSA lib b');
    expect(stderrReason('')).toBe('');
  });
});
