import { describe, expect, it } from 'vitest';
import { detectAudio, parseAlsaList, parsePactlShort } from '../src/audio/devices.js';
import { startCapture } from '../src/audio/capture.js';

describe('detectAudio', () => {
  it('says plainly that it falls back to text mode when no audio program exists', () => {
    const detection = detectAudio({ env: { PATH: '' } });
    expect(detection.capture).toBeNull();
    expect(detection.playback).toBeNull();
    expect(detection.reason).toMatch(/No audio device.*text mode/);
  });

  it('finds the installed recorder and player', () => {
    const detection = detectAudio({ env: { ...process.env, PULSE_SERVER: 'unix:/nonexistent' } });
    expect(detection.capture).toBe('arecord');
    expect(detection.playback).toBe('audio-io');
    expect(detection.reason).toMatch(/microphone via arecord, speaker via audio-io/);
  });

  it('skips audio-io when an output device is named', () => {
    expect(detectAudio({ outputDevice: 'spk' }).playback).toBe('aplay');
  });
});

describe('device lists', () => {
  it('parses arecord -l / aplay -l cards into hw ids', () => {
    const text = [
      '**** List of CAPTURE Hardware Devices ****',
      'card 1: PCH [HDA Intel PCH], device 0: ALC892 Analog [ALC892 Analog]',
      '  Subdevices: 1/1',
      'card 2: Device [USB Audio Device], device 0: USB Audio [USB Audio]',
    ].join('\n');
    expect(parseAlsaList(text, 'input')).toEqual([
      { kind: 'input', system: 'alsa', id: 'hw:1,0', description: 'HDA Intel PCH — ALC892 Analog' },
      { kind: 'input', system: 'alsa', id: 'hw:2,0', description: 'USB Audio Device — USB Audio' },
    ]);
  });

  it('parses pactl list short sinks', () => {
    const text = '0\tspk\tmodule-null-sink.c\ts16le 1ch 24000Hz\tIDLE\n';
    expect(parsePactlShort(text, 'output')).toEqual([
      { kind: 'output', system: 'pulse', id: 'spk', description: 's16le 1ch 24000Hz, IDLE' },
    ]);
  });
});

describe('startCapture', () => {
  it('rejects with no_backend when no recorder is on PATH', async () => {
    await expect(startCapture({ env: { PATH: '' } })).rejects.toMatchObject({ code: 'no_backend' });
  });
});
