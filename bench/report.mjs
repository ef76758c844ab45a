// Usage: node report.mjs CARA.json RETEXT.json WRITE_GOOD.json
// Prints the side-by-side table, the ratios and the targets (≥ 10 MB/s on one
// core, ≥ 20× the retext pipeline). Exits 0 even when a target is missed: the
// benchmark reports, it does not gate.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [cara, retext, writeGood] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')));
const version = (pkg) => JSON.parse(readFileSync(join(here, 'node_modules', pkg, 'package.json'), 'utf8')).version;

const rows = [
  ['Cara analyzer (Go, GOMAXPROCS=1)', cara],
  [`retext pipeline (retext-english ${version('retext-english')} + 5 plugins)`, retext],
  [`write-good ${version('write-good')}`, writeGood],
];
const mb = (kb) => `${(kb / 1024).toFixed(0)} MiB`;
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

console.log(`${pad('engine', 52)}${lpad('MB/s', 9)}${lpad('best', 9)}${lpad('peak RSS', 11)}${lpad('passes', 8)}${lpad('time', 9)}${lpad('flags/pass', 12)}`);
for (const [name, r] of rows) {
  console.log(
    `${pad(name, 52)}${lpad(r.mbps.toFixed(2), 9)}${lpad(r.bestMbps.toFixed(2), 9)}${lpad(mb(r.peakRssKb), 11)}`
      + `${lpad(r.passes, 8)}${lpad(`${r.seconds.toFixed(1)} s`, 9)}${lpad(r.flagsPerPass, 12)}`,
  );
}

const sameChunks = (r) => JSON.stringify(r.chunkChars) === JSON.stringify(cara.chunkChars) && r.bytes === cara.bytes;
for (const [name, r] of rows.slice(1)) {
  if (!sameChunks(r)) console.log(`WARNING: ${name} did not see the same chunks as Cara; the ratio is not like for like`);
}

const vsRetext = cara.mbps / retext.mbps;
const vsWriteGood = cara.mbps / writeGood.mbps;
console.log('');
console.log(`Cara / retext      ${vsRetext.toFixed(1)}×`);
console.log(`Cara / write-good  ${vsWriteGood.toFixed(1)}×`);
console.log('');
const target = (ok, what, got) => console.log(`target ${pad(what, 26)} ${ok ? 'MET   ' : 'MISSED'}  (${got})`);
target(cara.mbps >= 10, '≥ 10 MB/s on one core:', `${cara.mbps.toFixed(2)} MB/s`);
target(vsRetext >= 20, '≥ 20× the retext pipeline:', `${vsRetext.toFixed(1)}×`);
