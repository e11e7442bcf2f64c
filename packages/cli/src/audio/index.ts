/** The CLI's audio device layer: capture, playback, devices, file input and recording. */
export { CAPTURE_BACKENDS, captureCommand } from './capture-command.js';
export type { CaptureBackend, SpawnCommand } from './capture-command.js';
export { AudioCapture, CaptureError, findCaptureBackend, startCapture } from './capture.js';
export type { CaptureErrorCode, CaptureEvents, CaptureLevel, CaptureOptions } from './capture.js';
export { liveChildCount } from './child-registry.js';
export { detectAudio, listDevices, parseAlsaList, parsePactlShort } from './devices.js';
export type { AudioDetection, AudioDevice, DeviceOptions } from './devices.js';
export {
  decodedWavSource,
  fileSource,
  loadWavFile,
  realClock,
  toRealtimePcm,
  wavSource,
} from './file-source.js';
export type { FileSourceOptions, SourceClock } from './file-source.js';
export { findExecutable } from './find-executable.js';
export { LEVEL_FLOOR_DB, LevelMeter } from './level-meter.js';
export type { LevelMeterOptions } from './level-meter.js';
export {
  PLAYBACK_BACKENDS,
  PLAYBACK_INPUT_RATE,
  PlaybackError,
  findPlaybackBackend,
  openPlayback,
  playbackAvailable,
} from './playback.js';
export type {
  AudioPlayback,
  PlaybackBackend,
  PlaybackEvents,
  PlaybackOptions,
} from './playback.js';
export { AudioIoPlayback, DEFAULT_AUDIO_IO_BLOCK_MS } from './playback-audio-io.js';
export type { AudioIoPlaybackOptions } from './playback-audio-io.js';
export { ProcessPlayback, playerArgs } from './playback-process.js';
export type { PlayerProgram, ProcessPlaybackOptions } from './playback-process.js';
export { probePlayer } from './player-probe.js';
export type { PlayerProbeOptions } from './player-probe.js';
export { SessionRecorder } from './recorder.js';
export type { RecorderChannel, RecorderOptions } from './recorder.js';
export { stderrReason } from './stderr-reason.js';
