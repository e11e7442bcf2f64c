/** `npm run bench` in packages/protocol: client-event parse rates and resampler speed, as medians. */
import { benchParse } from './parse.js';
import { benchResample } from './resample.js';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(
    'Usage: npm run bench -w packages/protocol\n\nClient-event parse rates and resampler speed, as medians; no flags.',
  );
  process.exit(0);
}

const parse = await benchParse();
const resample = await benchResample();
const rows = { ...parse, ...resample };
const width = Math.max(...Object.keys(rows).map((k) => k.length));
console.log('protocol benchmarks (medians; machines are shared and noisy)');
for (const [name, value] of Object.entries(rows)) {
  console.log(`  ${name.padEnd(width)}  ${Number.isInteger(value) ? value : value.toFixed(1)}`);
}
