// gen-common-passwords.mjs writes the list of common passwords that
// internal/auth embeds and refuses at registration and password change:
//
//   internal/auth/data/common-passwords.txt.gz   one password per line
//
// The source is the "passwords" frequency list of the npm package zxcvbn
// (MIT, Dropbox): the 30,000 most frequent passwords of public leaks, already
// lower-cased. Entries are lower-cased again, trimmed, de-duplicated and
// sorted (byte order, as Go's sort.SearchStrings expects), so the file is
// deterministic for a given package version. internal/auth compares the
// NFKC-normalised, lower-cased password against it.
//
// Usage, from a throwaway directory so that node_modules never lands in the
// repository:
//
//   tmp=$(mktemp -d) && cd "$tmp" && npm init -y >/dev/null &&
//   npm install zxcvbn@4.4.2 &&
//   node /path/to/cara/scripts/gen-common-passwords.mjs /path/to/cara

import { createRequire } from 'node:module'
import { writeFileSync, mkdirSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join, resolve } from 'node:path'

const repo = resolve(process.argv[2] || '.')
const outDir = join(repo, 'internal', 'auth', 'data')

// Resolve the package from the current working directory (the temp dir).
const require = createRequire(join(process.cwd(), 'noop.js'))
const lists = require('zxcvbn/lib/frequency_lists.js')
const version = require('zxcvbn/package.json').version

const source = lists.passwords
if (!Array.isArray(source) || source.length < 10000) {
  throw new Error(`zxcvbn ${version}: expected an array of ≥ 10,000 passwords`)
}

const seen = new Set()
for (const raw of source) {
  const p = String(raw).trim().toLowerCase()
  // One line per entry: skip anything that could not round-trip a line.
  if (p === '' || /[\r\n]/.test(p)) continue
  seen.add(p)
}

// Byte-order sort (not localeCompare) so Go's binary search finds entries.
const sorted = [...seen].sort((a, b) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return Buffer.compare(x, y)
})

// These must stay accepted: they are the seed's examples of good passwords.
for (const ok of ['mypassword123', 'securepass456']) {
  if (seen.has(ok)) throw new Error(`${ok} is in the list; the seed accepts it`)
}

mkdirSync(outDir, { recursive: true })
const out = join(outDir, 'common-passwords.txt.gz')
// gzipSync writes mtime 0, so the same input gives the same bytes.
writeFileSync(out, gzipSync(Buffer.from(sorted.join('\n') + '\n'), { level: 9 }))
console.log(`wrote ${sorted.length} passwords from zxcvbn ${version} to ${out}`)
