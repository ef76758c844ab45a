// End-to-end: the real app (Go bindings over `wails dev`) in Debian's Chromium.
// Issue 2's flow, for a freshly joined account: review real persuader turns,
// find the review in History after a reload (still signed in: the access
// token lives in Go, not in the page), open it, delete it; then bad input.
// Run by scripts/e2e.sh; this file starts and stops its own app
// (lib/app.mjs), with its own data directory and keyring.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe } from 'node:test';
import { newApp } from '../lib/app.mjs';
import { openBrowser } from '../lib/browser.mjs';
import { loadSample, titlePrefix } from '../lib/corpus.mjs';
import { expectSignedIn, gotoHistory, gotoReview, Harness, id, join, openApp, uniqueEmail } from '../lib/ui.mjs';

const h = new Harness('review');
const step = h.step.bind(h);
const screenshot = h.screenshot.bind(h);
const app = newApp('review');

let browser;
let page;

// editorText is what the review editor holds (a textarea or a contenteditable).
async function editorText() {
  const input = page.locator(id('review-input'));
  const tag = await input.evaluate((el) => el.tagName);
  return tag === 'TEXTAREA' || tag === 'INPUT' ? input.inputValue() : input.innerText();
}

// scoreOf reads a score card: the first whole number in it, 0–100.
async function scoreOf(testId) {
  const card = page.locator(id(testId));
  await card.waitFor({ state: 'visible' });
  const text = (await card.innerText()).replace(/\s+/g, ' ');
  const m = text.match(/\b(\d{1,3})\b/);
  assert.ok(m, `${testId} shows no number: "${text}"`);
  const n = Number(m[1]);
  assert.ok(n >= 0 && n <= 100, `${testId} = ${n}, want 0–100 ("${text}")`);
  return n;
}

// The review the first test saves, for the History tests that follow.
const sample = loadSample();
const title = titlePrefix(sample.firstLine);
let saved; // { overall, reviewId }

// A fresh account: the app opens on "Join Cara" and keeps reviews per user.
const user = {
  email: uniqueEmail('reviewer'),
  name: 'Rhea Reviewer',
  role: 'Product manager',
  password: 'Ledger-Orchid-7142',
};

before(async () => {
  await app.start({ keychain: 'secret-service' });
  browser = await openBrowser();
  page = browser.page;
  h.attach(page);
  await openApp(page, app);
});

after(async () => {
  if (browser) await browser.close();
  await app.stop();
});

describe('review a real message, then find it in History', () => {
  step('join a fresh account (the app opens on "Join Cara")', async () => {
    await join(page, user);
    await screenshot('joined');
  });

  step('paste persuader turns, see scores and highlighted flags', async () => {
    await gotoReview(page);
    await page.locator(id('review-input')).fill(sample.text);
    await screenshot('pasted');
    await page.locator(id('review-submit')).click();

    const report = page.locator(id('report'));
    await report.waitFor({ state: 'visible' });
    const overall = await scoreOf('score-overall');
    for (const dim of ['score-clarity', 'score-concision', 'score-confidence', 'score-warmth']) {
      await scoreOf(dim);
    }
    await page.locator(id('top-changes')).waitFor({ state: 'visible' });

    const flags = page.locator(id('flag'));
    await flags.first().waitFor({ state: 'visible' });
    const marks = await flags.evaluateAll((els) => els.map((el) => ({
      text: el.textContent,
      kind: el.dataset.kind,
      tag: el.tagName,
      background: getComputedStyle(el).backgroundColor,
      underline: getComputedStyle(el).textDecorationLine,
      border: getComputedStyle(el).borderBottomStyle,
    })));
    assert.ok(marks.length >= 1, 'want at least one highlighted flag');
    // Every mark highlights text that is really in the message…
    for (const m of marks) {
      assert.ok(m.text.trim() !== '' && sample.text.includes(m.text), `flag "${m.text}" is not a stretch of the pasted text`);
    }
    // …and it is visibly highlighted, not just a tagged span.
    const highlighted = marks.filter((m) => m.tag === 'MARK'
      || !/rgba\(0, 0, 0, 0\)|transparent/.test(m.background)
      || m.underline !== 'none' || m.border !== 'none');
    assert.ok(highlighted.length >= 1, `no flag is visibly highlighted: ${JSON.stringify(marks[0])}`);
    // The highlighted view shows the whole text, unchanged, around the marks.
    const shown = await page.locator(id('flagged-text')).evaluate((el) => el.textContent).catch(() => null);
    if (shown !== null) assert.equal(shown, sample.text, 'the highlighted text must be the pasted text, character for character');

    // The UI shows what the Go side saved, and the flags' UTF-16 offsets
    // point at the flagged words in the JavaScript string.
    const stored = await page.evaluate(async () => {
      const list = await window.go.app.History.List();
      if (!list || list.length === 0) return null;
      const r = await window.go.app.History.Get(list[0].id);
      return { id: r.id, title: r.title, text: r.text, overall: r.report.scores.overall, flags: r.report.flags };
    });
    assert.ok(stored, 'the review was not saved to History');
    assert.equal(overall, stored.overall, 'overall score on screen vs. the saved report');
    assert.ok(stored.title.startsWith(title), `saved title "${stored.title}", want it to start with "${title}"`);
    assert.equal(stored.text, sample.text, 'saved text');
    assert.ok(stored.flags.length >= 1, 'the saved report has no flags');
    for (const f of stored.flags) {
      assert.equal(sample.text.slice(f.start16, f.end16), f.text, `${f.kind} flag at UTF-16 ${f.start16}–${f.end16}`);
    }
    const kinds = new Set(stored.flags.map((f) => f.kind));
    for (const m of marks) assert.ok(kinds.has(m.kind), `mark of kind ${m.kind} is not in the report's flags`);
    saved = { overall, reviewId: stored.id };
    await screenshot('report');
  });

  step('after a reload, History lists it and opens it with the same score', async () => {
    assert.ok(saved, 'needs the review saved by the previous test');
    await page.reload({ waitUntil: 'load' });
    // Still signed in: the page keeps no token, Go does.
    await expectSignedIn(page, user.email);
    await gotoHistory(page);
    const item = page.locator(id('history-item')).filter({ hasText: title });
    assert.equal(await item.count(), 1, `want one History item titled "${title}…"`);
    await screenshot('history');
    await item.getByText(title, { exact: false }).first().click();
    await page.locator(id('report')).waitFor({ state: 'visible' });
    assert.equal(await scoreOf('score-overall'), saved.overall, 'overall score when reopened from History');
    await page.locator(id('flag')).first().waitFor({ state: 'visible' });
    await screenshot('history-opened');
  });

  step('delete it from History; it is gone and the list is empty', async () => {
    assert.ok(saved, 'needs the review saved by the first test');
    await gotoHistory(page);
    const item = page.locator(id('history-item')).filter({ hasText: title });
    await item.first().waitFor({ state: 'visible' });
    const inItem = item.first().locator(id('history-delete'));
    const del = (await inItem.count()) > 0 ? inItem : page.locator(id('history-delete')).first();
    await del.click();
    await screenshot('confirm-delete');
    await page.locator(id('history-confirm-delete')).click();
    await item.first().waitFor({ state: 'detached' });
    await page.locator(id('history-empty')).waitFor({ state: 'visible' });
    const left = await page.evaluate(() => window.go.app.History.List());
    assert.equal((left || []).length, 0, 'History.List() after deleting the only review');
    const gone = await page.evaluate((rid) => window.go.app.History.Get(rid).then(() => 'still there', (e) => `rejected: ${e}`), saved.reviewId);
    assert.match(gone, /^rejected/, 'History.Get() of the deleted review');
    await screenshot('deleted');

    // Its text is dropped at once from the Review editor and the browser's
    // storage too (the draft it was reviewed from, kept across the reload).
    await gotoReview(page);
    assert.equal(await page.locator(id('review-input')).inputValue(), '', 'the Review editor after deleting its review');
    const words = sample.text.slice(0, 40);
    const probes = [words, JSON.stringify(words).slice(1, -1)]; // as typed, and as a JSON draft holds it
    await page.waitForFunction(
      (ps) => Object.keys(localStorage).every((k) => ps.every((p) => !(localStorage.getItem(k) ?? '').includes(p))),
      probes,
      { timeout: 5_000 },
    );
  });
});

describe('bad input', () => {
  step('empty text: "Nothing to review yet"', async () => {
    await gotoReview(page);
    await page.locator(id('review-input')).fill('   \n\t  ');
    await page.locator(id('review-submit')).click();
    const err = page.locator(id('review-error'));
    await err.waitFor({ state: 'visible' });
    assert.match(await err.innerText(), /Nothing to review yet — paste or open some text/);
    await screenshot('empty-error');
  });

  step('a binary file: "This file doesn\'t look like text"', async () => {
    await gotoReview(page);
    const binary = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      Buffer.from('IHDR'),
      Buffer.alloc(64, 0),
    ]);
    await page.locator(id('file-input')).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: binary });
    const err = page.locator(id('review-error'));
    await err.waitFor({ state: 'visible' });
    assert.match(await err.innerText(), /This file doesn[’']t look like text/);
    await screenshot('binary-error');
  });

  step('an .eml file fills the editor with its decoded body', async () => {
    await gotoReview(page);
    await page.locator(id('review-input')).fill('');
    const eml = [
      'From: Dana Kim <dana@example.com>',
      'To: Team <team@example.com>',
      'Subject: =?UTF-8?Q?Q3_update_=E2=80=94_budget?=',
      'Date: Tue, 4 Sep 2018 09:00:00 -0700',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      'This is a multi-part message in MIME format.',
      '--b1',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Hi team,',
      '',
      'I just wanted to say that the budget review was basically finished =E2=80=94 t=',
      'he numbers add up and the total =3D $12,400.',
      'Caf=C3=A9 meeting moves to Friday.',
      '',
      'Thanks,',
      'Dana',
      '--b1',
      'Content-Type: text/html; charset=UTF-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<p>Hi team,</p><p>HTML version =E2=80=94 should not be used.</p>',
      '--b1--',
      '',
    ].join('\r\n');
    await page.locator(id('file-input')).setInputFiles({ name: 'update.eml', mimeType: 'message/rfc822', buffer: Buffer.from(eml) });
    const want = [
      'Hi team,',
      '',
      'I just wanted to say that the budget review was basically finished — the numbers add up and the total = $12,400.',
      'Café meeting moves to Friday.',
      '',
      'Thanks,',
      'Dana',
    ].join('\n');
    await page.waitForFunction(
      (sel) => {
        const el = document.querySelector(sel);
        return el && (el.value ?? el.innerText ?? '').includes('Dana');
      },
      id('review-input'),
    );
    const got = await editorText();
    assert.equal(got.replace(/\r\n/g, '\n').trim(), want);
    // The decoded Subject becomes the title, when the screen has a title field.
    const titleField = page.getByLabel(/^Title/);
    if ((await titleField.count()) === 1) assert.equal(await titleField.inputValue(), 'Q3 update — budget');
    assert.equal(await page.locator(id('review-error')).isVisible(), false, 'no error for a good .eml');
    await screenshot('eml-loaded');
  });

  step('a 180,000-character file opens and is reviewed in a browser too (sent in pieces), its text kept out of the log', async () => {
    // One browser message carries at most 64 KiB whole; this file is ~180 KB
    // (~240 KB as base64) and its text as much again.
    const marker = 'Quokka-ledger sentence number';
    const lines = [];
    for (let i = 0; lines.join('\n').length < 180_000; i++) {
      lines.push(`${marker} ${i} says that we basically need the revised budget by Friday, if that works.`);
    }
    const text = lines.join('\n');
    await gotoReview(page);
    await page.locator(id('review-input')).fill('');
    await page.locator(id('file-input')).setInputFiles({ name: 'long-notes.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
    await page.waitForFunction(
      ([sel, n]) => (document.querySelector(sel)?.value ?? '').length >= n,
      [id('review-input'), text.length],
      { timeout: 20_000 },
    );
    assert.equal((await editorText()).length, text.length, 'the whole file is in the editor');
    await page.locator(id('review-submit')).click();
    await page.locator(id('report')).waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await page.locator(id('review-error')).isVisible(), false, 'no error for a long text');
    const words = await page.locator(id('report')).innerText();
    assert.match(words.replace(/\s+/g, ' '), /\b(2[5-9]|3\d),\d{3} words\b/, 'the report counts the whole text');
    assert.ok(!readFileSync(app.log, 'utf8').includes(marker), 'the text reached the app log');
    await screenshot('long-text-report');
  });

  step('no uncaught errors in the page', async () => {
    assert.deepEqual(h.pageErrors, []);
  });
});
