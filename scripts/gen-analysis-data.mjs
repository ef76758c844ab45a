// gen-analysis-data.mjs writes the word data that internal/analysis embeds:
//
//   internal/analysis/data/cmudict-syllables.txt.gz  front-coded "word count" lines
//   internal/analysis/data/dale-chall.txt            one easy word per line
//
// The syllable count of a word is the number of vowel phones (phones that end
// in a stress digit) in its FIRST pronunciation in the CMU Pronouncing
// Dictionary; variants such as "word(2)" are skipped. Words that Cara's
// tokenizer can never produce (they contain characters other than letters,
// digits, "_" and "'") are left out to keep the file small.
//
// The words are sorted and front-coded to shrink the file by a third: each
// line is one character P, the rest of the word, a space and the syllable
// count, where P - '0' is how many leading bytes the word shares with the
// word on the line before (all CMU words are ASCII). So "abandon 3" followed
// by "abandoned 3" is stored as "0abandon 3" and "7ed 3".
//
// Usage, from a throwaway directory so that node_modules never lands in the
// repository:
//
//   tmp=$(mktemp -d) && cd "$tmp" && npm init -y >/dev/null &&
//   npm install cmu-pronouncing-dictionary@3 dale-chall@2 &&
//   node /path/to/cara/scripts/gen-analysis-data.mjs /path/to/cara
//
// The output is deterministic: the same package versions give the same bytes.

import { createRequire } from 'node:module'
import { writeFileSync, mkdirSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const repo = resolve(process.argv[2] || '.')
const outDir = join(repo, 'internal', 'analysis', 'data')

// Resolve the packages from the current working directory (the temp dir).
const require = createRequire(join(process.cwd(), 'noop.js'))
const load = async (name) => import(pathToFileURL(require.resolve(name)).href)

const { dictionary } = await load('cmu-pronouncing-dictionary')
const { daleChall } = await load('dale-chall')

const wordShape = /^[\p{L}\p{N}_']+$/u
const lines = []
for (const [key, phones] of Object.entries(dictionary)) {
  if (key.endsWith(')')) continue // "word(2)": not the first pronunciation
  if (!wordShape.test(key)) continue
  if (!/^[\x00-\x7f]+$/.test(key)) throw new Error(`front coding needs ASCII words: ${key}`)
  let vowels = 0
  for (const phone of phones.split(' ')) {
    if (/[0-9]$/.test(phone)) vowels++
  }
  lines.push(`${key} ${vowels}`)
}
lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
let prev = ''
for (let i = 0; i < lines.length; i++) {
  const [word, count] = lines[i].split(' ')
  let k = 0
  while (k < prev.length && k < word.length && prev[k] === word[k]) k++
  lines[i] = `${String.fromCharCode(48 + k)}${word.slice(k)} ${count}`
  prev = word
}

const easy = [...new Set(daleChall.map((w) => w.toLowerCase().trim()))]
  .filter((w) => w !== '')
  .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

mkdirSync(outDir, { recursive: true })
// mtime 0 and no file name in the gzip header keep the output reproducible.
const gz = gzipSync(Buffer.from(lines.join('\n') + '\n'), { level: 9 })
writeFileSync(join(outDir, 'cmudict-syllables.txt.gz'), gz)
writeFileSync(join(outDir, 'dale-chall.txt'), easy.join('\n') + '\n')

console.log(`cmudict: ${lines.length} words, ${gz.length} bytes gzipped`)
console.log(`dale-chall: ${easy.length} words`)
