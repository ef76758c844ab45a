// Real text for the end-to-end tests: the PersuasionForGood dialogues in
// ../shared/corpora/persuasionforgood/dialogues.csv (relative to the repo root).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function dialoguesPath() {
  return process.env.CARA_DIALOGUES_CSV
    || resolve(repoRoot, '..', 'shared', 'corpora', 'persuasionforgood', 'dialogues.csv');
}

// parseCSV reads RFC 4180 CSV: fields separated by commas, records by CRLF or
// LF; a quoted field may hold commas, newlines and doubled quotes ("").
// Returns an array of records, each an array of strings.
export function parseCSV(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // BOM
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error('CSV: unterminated quoted field');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

// readDialogues returns the dialogues in file order:
// [{ id, turns: [{ turn, role, text }] }].
export function readDialogues(path = dialoguesPath()) {
  const rows = parseCSV(readFileSync(path, 'utf8'));
  const header = rows.shift();
  const col = (name) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${path}: no "${name}" column in ${header.join(',')}`);
    return i;
  };
  const [idCol, turnCol, roleCol, textCol] = ['dialogue_id', 'turn', 'role', 'text'].map(col);
  const byId = new Map();
  for (const row of rows) {
    if (row.length === 1 && row[0] === '') continue; // blank line
    const id = row[idCol];
    if (!byId.has(id)) byId.set(id, { id, turns: [] });
    byId.get(id).turns.push({ turn: Number(row[turnCol]), role: row[roleCol], text: row[textCol] });
  }
  return [...byId.values()];
}

// Words that the offline coach flags as hedges or fillers, so the chosen text
// is sure to show at least one highlighted flag.
const HEDGES = /\b(i think|i guess|maybe|perhaps|kind of|sort of|just|really|actually|basically)\b/gi;

// pickPersuaderText chooses one dialogue deterministically: the first, in file
// order, whose persuader turns (one per line) make 80–250 words with at least
// three hedges or fillers, and whose first line is a usable title.
export function pickPersuaderText(dialogues) {
  for (const d of dialogues) {
    const lines = d.turns
      .filter((t) => t.role === 'persuader')
      .map((t) => t.text.replace(/\s+/g, ' ').trim())
      .filter(Boolean);
    const text = lines.join('\n');
    const words = text.split(/\s+/).filter(Boolean).length;
    const hedges = (text.match(HEDGES) || []).length;
    if (words >= 80 && words <= 250 && hedges >= 3 && lines[0].length >= 12) {
      return { id: d.id, text, firstLine: lines[0], words, hedges };
    }
  }
  throw new Error('no dialogue in the corpus has persuader turns with hedges or fillers');
}

// titlePrefix is how the test finds the review in History: the start of the
// first line, cut at a word boundary (the app shortens long titles with "…").
export function titlePrefix(firstLine, max = 40) {
  const line = firstLine.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return space > max / 2 ? cut.slice(0, space) : cut;
}

// A message written for these tests, used only when the corpus is absent and
// CARA_REQUIRE_SHARED is not set (CI sets it, so CI always reviews real text).
const FALLBACK = [
  'Hi Sam, I just wanted to check in about the launch plan.',
  'I think we should maybe move the review to Thursday, if that is okay with you.',
  'Sorry, I know this is really late notice, and I am sorry for the trouble.',
  'The numbers were basically checked by the finance team and they actually look fine.',
  'Let me know what you think, and thanks so much for your help!',
].join('\n');

// loadSample is the text the end-to-end test reviews: real persuader turns
// from the corpus, or (loudly) the fallback above.
export function loadSample() {
  const path = dialoguesPath();
  let dialogues;
  try {
    dialogues = readDialogues(path);
  } catch (err) {
    if (err.code !== 'ENOENT' || process.env.CARA_REQUIRE_SHARED === '1') throw err;
    console.warn(`\n!!! ${path} is missing: reviewing a built-in message instead of real corpus text.`
      + '\n!!! Put ../shared beside the repo (CI sets CARA_REQUIRE_SHARED=1 and fails here).\n');
    const firstLine = FALLBACK.split('\n')[0];
    return { id: 'fallback', text: FALLBACK, firstLine, source: 'built-in' };
  }
  return { ...pickPersuaderText(dialogues), source: path };
}
