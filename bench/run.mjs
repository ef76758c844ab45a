// Usage: node run.mjs retext|write-good TEXT_FILE [MIN_SECONDS]
//
// Runs one Node baseline over the same text and the same chunks as Cara's
// analyzer (bench/analyzer: ≤ 200,000 characters, cut at paragraph
// boundaries), one warm-up on the first chunk, then whole passes until
// MIN_SECONDS have passed (at least one), and prints one JSON line like the
// Go driver: bytes, passes, seconds, MB/s (1 MB = 10^6 bytes), peak RSS.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import retextEnglish from 'retext-english';
import retextEquality from 'retext-equality';
import retextIntensify from 'retext-intensify';
import retextPassive from 'retext-passive';
import retextReadability from 'retext-readability';
import retextSimplify from 'retext-simplify';
import retextStringify from 'retext-stringify';
import { unified } from 'unified';

const require = createRequire(import.meta.url);
const writeGood = require('write-good');

const MAX_CHARS = 200_000;

// chunks mirrors chunks() in bench/analyzer/main.go: characters are code
// points (Go runes), not UTF-16 units.
export function chunks(text, max = MAX_CHARS) {
  const out = [];
  let cur = '';
  let curLen = 0;
  const flush = () => {
    if (curLen > 0) out.push(cur);
    cur = '';
    curLen = 0;
  };
  for (const para of text.split('\n\n')) {
    const n = codePoints(para);
    if (n > max) {
      flush();
      out.push(...hardSplit(para, max));
      continue;
    }
    let sep = curLen > 0 ? 2 : 0;
    if (curLen + sep + n > max) {
      flush();
      sep = 0;
    }
    cur += (sep ? '\n\n' : '') + para;
    curLen += sep + n;
  }
  flush();
  return out;
}

function codePoints(s) {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function hardSplit(s, max) {
  const out = [];
  let r = [...s];
  while (r.length > max) {
    let cut = max;
    for (let i = max; i > max / 2; i--) {
      if (r[i] === '\n') {
        cut = i;
        break;
      }
    }
    out.push(r.slice(0, cut).join(''));
    r = r.slice(cut);
  }
  out.push(r.join(''));
  return out;
}

// The retext pipeline the issue names: English parser + readability, passive,
// equality, simplify, intensify. (The `retext` package itself parses with
// retext-latin; English is unified + retext-english, as its readme shows.)
const retext = unified()
  .use(retextEnglish)
  .use(retextReadability)
  .use(retextPassive)
  .use(retextEquality)
  .use(retextSimplify)
  .use(retextIntensify)
  .use(retextStringify)
  .freeze();

const engines = {
  retext: async (chunk) => (await retext.process(chunk)).messages.length,
  'write-good': async (chunk) => writeGood(chunk).length,
};

const [engine, textPath, minSecondsArg = '3'] = process.argv.slice(2);
if (!engines[engine] || !textPath) {
  console.error('usage: node run.mjs retext|write-good TEXT_FILE [MIN_SECONDS]');
  process.exit(2);
}
const run = engines[engine];
const text = readFileSync(textPath, 'utf8');
const bytes = Buffer.byteLength(text);
const parts = chunks(text);

await run(parts[0]); // warm-up: JIT and lazily built word lists

let passes = 0;
let flags = 0;
let best = Infinity;
const minNs = BigInt(Math.round(Number(minSecondsArg) * 1e9));
const start = process.hrtime.bigint();
do {
  const t0 = process.hrtime.bigint();
  flags = 0;
  for (const c of parts) flags += await run(c);
  best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  passes++;
} while (process.hrtime.bigint() - start < minNs);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;

console.log(JSON.stringify({
  engine,
  bytes,
  chunks: parts.length,
  chunkChars: parts.map(codePoints), // must equal the Go driver's (bench.sh checks)
  passes,
  seconds,
  mbps: (bytes * passes) / seconds / 1e6,
  bestMbps: bytes / best / 1e6,
  peakRssKb: process.resourceUsage().maxRSS, // kilobytes
  flagsPerPass: flags,
}));
