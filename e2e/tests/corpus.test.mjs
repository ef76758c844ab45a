// The corpus reader must be right for the end-to-end test to mean anything.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCSV, titlePrefix } from '../lib/corpus.mjs';

test('CSV: quoted fields keep commas, newlines and doubled quotes', () => {
  const got = parseCSV('a,b,c\r\n1,"x, y","line1\nline2"\n2,"say ""hi""",\n');
  assert.deepEqual(got, [
    ['a', 'b', 'c'],
    ['1', 'x, y', 'line1\nline2'],
    ['2', 'say "hi"', ''],
  ]);
});

test('CSV: last record without a newline, and an unterminated quote is an error', () => {
  assert.deepEqual(parseCSV('a,b\n1,2'), [['a', 'b'], ['1', '2']]);
  assert.throws(() => parseCSV('a\n"open'), /unterminated/);
});

test('title prefix cuts long first lines at a word boundary', () => {
  assert.equal(titlePrefix('Hi! How are you doing today?'), 'Hi! How are you doing today?');
  assert.equal(titlePrefix('one two three four five six seven eight nine ten', 20), 'one two three four');
});
