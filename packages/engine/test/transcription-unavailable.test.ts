import { describe, expect, it } from 'vitest';
import {
  POCKETSPHINX_ENV,
  createTranscriber,
  isTranscriptionFailure,
} from '../src/transcription/index.js';
import { silence } from './helpers/speak.js';

const MISSING = '/nonexistent/libpocketsphinx.so.3';

describe('pocketsphinx when the library or model is missing', () => {
  it('reports unavailability naming the Debian packages, and fails streams without crashing', async () => {
    const transcriber = createTranscriber({ kind: 'pocketsphinx', library: MISSING });
    try {
      const stream = transcriber.open({ grammar: ['hello world'] });
      stream.write(silence(200));
      const [availability, result] = await Promise.all([transcriber.available(), stream.finish()]);
      expect(availability.ok).toBe(false);
      expect(availability.reason).toContain(MISSING);
      expect(availability.reason).toContain('pocketsphinx-en-us');
      expect(availability.reason).toContain('libpocketsphinx3');
      expect(availability.reason).toContain('bash scripts/setup-system.sh');
      expect(isTranscriptionFailure(result) && result.error.code).toBe('transcriber_unavailable');
      expect(isTranscriptionFailure(result) && result.error.message).toContain(
        'apt-get install pocketsphinx-en-us libpocketsphinx3',
      );
      expect(result.usage).toEqual({ type: 'duration', seconds: 0.2 });

      // Later streams fail at once, the same way.
      const later = await transcriber.open().finish();
      expect(isTranscriptionFailure(later) && later.error.code).toBe('transcriber_unavailable');
    } finally {
      await transcriber.close();
    }
  });

  it('takes the library path from the environment when the config has none', async () => {
    const transcriber = createTranscriber(
      { kind: 'pocketsphinx' },
      { env: { [POCKETSPHINX_ENV.library]: MISSING } },
    );
    try {
      const availability = await transcriber.available();
      expect(availability.ok).toBe(false);
      expect(availability.reason).toContain(MISSING);
    } finally {
      await transcriber.close();
    }
  });

  it('reports a missing model directory', async () => {
    const transcriber = createTranscriber({ kind: 'pocketsphinx', modelDir: '/nonexistent/model' });
    try {
      const availability = await transcriber.available();
      expect(availability.ok).toBe(false);
      expect(availability.reason).toContain('/nonexistent/model');
      expect(availability.reason).toContain('pocketsphinx-en-us');
    } finally {
      await transcriber.close();
    }
  });
});
