/**
 * Maps device time to audio position. A backend appends segments as it hands blocks to the
 * device: `deviceCount` device frames of which the first `audioCount` are audio (the rest is
 * silence padding). Given how many device frames have been played, it says how much audio was.
 */
interface Segment {
  deviceStart: number;
  audioStart: number;
  audioCount: number;
}

export class PlaybackTimeline {
  readonly #segments: Segment[] = [];
  #deviceFrames = 0;
  #audioFrames = 0;

  /** Device frames handed to the device so far. */
  get deviceFrames(): number {
    return this.#deviceFrames;
  }

  /** Audio frames handed to the device so far. */
  get audioFrames(): number {
    return this.#audioFrames;
  }

  /** Records a block handed to the device. */
  append(deviceCount: number, audioCount: number): void {
    if (audioCount > 0) {
      this.#segments.push({
        deviceStart: this.#deviceFrames,
        audioStart: this.#audioFrames,
        audioCount,
      });
      // Only the recent past is ever asked about.
      if (this.#segments.length > 512) this.#segments.splice(0, 256);
    }
    this.#deviceFrames += deviceCount;
    this.#audioFrames += audioCount;
  }

  /** Audio frames played once `devicePlayed` device frames have been played. */
  audioPlayedAt(devicePlayed: number): number {
    for (let i = this.#segments.length - 1; i >= 0; i--) {
      const s = this.#segments[i]!;
      if (s.deviceStart <= devicePlayed) {
        return s.audioStart + Math.min(s.audioCount, devicePlayed - s.deviceStart);
      }
    }
    return this.#segments[0]?.audioStart ?? this.#audioFrames;
  }
}
