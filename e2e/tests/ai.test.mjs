// End-to-end: issue 4's AI coach in Debian's Chromium against the real app
// (`wails dev`), wired to the fake Gemini (cmd/fake-gemini) as a separate
// process: an invalid key is refused with Gemini's message; a valid one is
// saved; a three-turn conversation streams its replies; ending it shows the
// feedback, and it is in History; a 503 in the middle of a reply keeps the
// partial text and Retry completes it; with Gemini unreachable Ask Cara
// leaves the review "AI feedback pending", and when Gemini is back the
// queue adds the rewrite without the user asking again.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { after, before, describe } from 'node:test';
import { newApp } from '../lib/app.mjs';
import { openBrowser } from '../lib/browser.mjs';
import { FakeGemini } from '../lib/fakegemini.mjs';
import { Harness, id, join, openApp, uniqueEmail } from '../lib/ui.mjs';

// v is the selector of a visible element with a test id (plus attribute
// filters): screens stay mounted when hidden (a chat survives a visit to
// History), so the same ids exist more than once.
const v = (testId, attrs = '') => `[data-testid="${testId}"]${attrs}:visible`;

const h = new Harness('ai');
const step = h.step.bind(h);
const screenshot = h.screenshot.bind(h);
const app = newApp('ai');
const gemini = new FakeGemini('ai', { chunkDelay: '60ms' });

let browser;
let page;
let chatTitle = '';

const user = {
  email: uniqueEmail('talker'),
  name: 'Tomás Talker',
  role: 'Engineering manager',
  password: 'Quarry-Lilac-5820',
};

const says = [
  'I led the move of our billing system to a new provider in six weeks.',
  'The hardest part was convincing finance, so I showed them what waiting would cost.',
  'Failed payments really dropped by thirty percent in the first quarter, basically.',
];

async function nav(target) {
  await page.locator(id(`nav-${target}`)).click();
}

// personaTurns returns the persona turns shown (not the one streaming).
function personaTurns() {
  return page.locator(v('chat-turn', '[data-role="persona"]'));
}

// send types a message, checks the reply streams in (the streaming bubble
// shows text before Send resolves) and waits until the chat is idle again.
async function sendAndWatch(text) {
  await page.locator(v('chat-composer')).fill(text);
  await page.locator(v('chat-send')).click();
  const streaming = page.locator(v('chat-streaming'));
  await streaming.waitFor({ state: 'visible' });
  // Some text arrives while the reply is still streaming.
  await page.waitForFunction(
    (sel) => {
      const el = document.querySelector(sel);
      return el && el.textContent.replace(/\s+/g, ' ').trim().length > 8;
    },
    '[data-testid="chat-streaming"]',
    { timeout: 15_000 },
  );
  const partialSeen = (await streaming.innerText()).trim();
  await page.locator(v('chat', '[data-phase="idle"]')).waitFor({ timeout: 30_000 });
  return partialSeen;
}

before(async () => {
  await gemini.start();
  await app.start({
    keychain: 'secret-service',
    env: { CARA_GEMINI_BASE_URL: gemini.url, CARA_QUEUE_INTERVAL: '2s' },
  });
  browser = await openBrowser();
  page = browser.page;
  h.attach(page);
  await openApp(page, app);
});

after(async () => {
  if (browser) await browser.close();
  await app.stop();
  await gemini.stop();
});

describe('the AI coach against a fake Gemini', () => {
  step('join, then an invalid key is refused with Gemini\'s message', async () => {
    await join(page, user);
    await nav('settings');
    await page.locator(v('gemini-key-input')).fill('AIzaSyNOT-THE-RIGHT-KEY-000000000000000');
    await page.locator(v('gemini-key-save')).click();
    await page.getByText("Your Gemini API key isn't valid").first().waitFor({ state: 'visible' });
    assert.equal(await page.locator(v('gemini-status', '[data-connected]')).count(), 0, 'an invalid key must not connect');
    assert.match(await page.locator(v('about-ai')).innerText(), /offline coach only/, 'the sidebar before a key is saved');
    await screenshot('invalid-key');
  });

  step('a valid key is saved and the model list is filled', async () => {
    await page.locator(v('gemini-key-input')).fill(gemini.key);
    await page.locator(v('gemini-key-save')).click();
    await page.locator(v('gemini-status', '[data-connected]')).waitFor({ state: 'visible' });
    const models = await page.locator(`${v('gemini-model')} option`).allInnerTexts();
    assert.ok(models.length >= 2, `got models ${models}`);
    await page.locator(v('about-ai', '[data-connected]')).waitFor({ state: 'visible' });
    assert.match(await page.locator(v('about-ai')).innerText(), /Gemini connected/, 'the sidebar once the key is saved');
    await screenshot('key-saved');
  });

  step('a chosen model says it is saved, and outlives removing and re-adding the key', async () => {
    await page.locator(v('gemini-model')).selectOption('gemini-2.5-pro');
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent?.includes('Saved — Cara will use Gemini 2.5 Pro'),
      id('gemini-model-saved'),
    );
    await page.locator(v('gemini-key-remove')).click();
    await page.locator(v('gemini-key-remove-confirm')).click();
    await page.locator(v('gemini-status', ':not([data-connected])')).waitFor({ state: 'visible' });
    await page.locator(v('gemini-key-input')).fill(gemini.key);
    await page.locator(v('gemini-key-save')).click();
    await page.locator(v('gemini-status', '[data-connected]')).waitFor({ state: 'visible' });
    assert.equal(await page.locator(v('gemini-model')).inputValue(), 'gemini-2.5-pro', 'the model chosen before the key was removed');
  });

  step('each scenario and partner card has its description right under its title', async () => {
    await nav('practice');
    await page.locator(v('practice-scenario-salary-negotiation')).waitFor();
    // Cards of a row are as tall as the tallest; a shorter card must not
    // spread its title and description apart (the description sat lower).
    const gaps = await page.evaluate(() =>
      [...document.querySelectorAll('.practice-form .choice-card')].map((card) => {
        const title = card.querySelector('.choice-title');
        const range = document.createRange();
        range.selectNodeContents(title);
        const textBottom = range.getBoundingClientRect().bottom;
        return { name: title.textContent, gap: Math.round(card.querySelector('.choice-about').getBoundingClientRect().top - textBottom) };
      }),
    );
    assert.ok(gaps.length >= 11, `all the cards: ${gaps.length}`);
    const apart = gaps.filter((g) => g.gap > 8);
    assert.deepEqual(apart, [], 'descriptions right under their titles');
  });

  step('a context file with too many characters is refused as it is picked, in Go\'s words', async () => {
    await nav('practice');
    const input = page.locator(id('practice-context-input'));
    const tooLong = 'The context file is too long (max 20,000 characters)';
    // 2.9 MB and 90 KB are refused before they are sent (in a browser 90 KB
    // could not be sent at all); 60,000 characters reach Go, which refuses them.
    for (const [name, bytes] of [['big.md', 2_900_000], ['ctx90k.md', 90_000], ['ctx60000.md', 60_000]]) {
      await input.setInputFiles({ name, mimeType: 'text/markdown', buffer: Buffer.from('word '.repeat(bytes / 5)) });
      const refusal = page.locator(v('practice-context-error'));
      await page.waitForFunction(
        ([sel, want]) => document.querySelector(sel)?.textContent?.includes(want),
        [id('practice-context-error'), `${name} was not added: ${tooLong}`],
      );
      assert.equal(await page.locator(v('practice-context')).count(), 0, `${name} must not show as attached`);
      assert.ok((await refusal.innerText()).includes(tooLong));
    }
    assert.equal((await page.locator(v('practice-start')).innerText()).trim(), 'Start without ctx60000.md');
    await screenshot('context-refused');

    await input.setInputFiles({ name: 'jd.md', mimeType: 'text/markdown', buffer: Buffer.from('Staff engineer, billing platform.') });
    await page.locator(v('practice-context')).waitFor({ state: 'visible' });
    assert.equal(await page.locator(v('practice-context-error')).count(), 0, 'the refusal goes once a file is attached');
    assert.equal((await page.locator(v('practice-start')).innerText()).trim(), 'Start');
    await page.locator(v('practice-context-remove')).click();
  });

  step('a three-turn conversation streams each reply', async () => {
    await nav('practice');
    await page.locator(v('practice-scenario-behavioural-interview')).click();
    await page.locator(v('practice-persona-skeptic')).click();
    await page.locator(v('practice-start')).click();
    await page.locator(v('chat')).waitFor({ state: 'visible' });
    assert.equal(await personaTurns().count(), 1, 'the persona opens the conversation');
    chatTitle = (await page.locator(`${v('chat')} h1, ${v('chat')} h2`).first().innerText()).trim();

    for (let i = 0; i < says.length; i++) {
      const partial = await sendAndWatch(says[i]);
      if (i === 0) {
        // The Skeptic answers like one, not with a coach's "Thanks, that's a clear start".
        const first = (await personaTurns().last().innerText()).replace(/\s+/g, ' ');
        assert.match(first, /Hm\. You said .*That's a claim, not evidence/, `the skeptic's first reply: ${first}`);
      }
      const replies = await personaTurns().allInnerTexts();
      assert.equal(replies.length, i + 2, `after turn ${i + 1}: ${replies.length} persona turns`);
      const last = replies[replies.length - 1].replace(/\s+/g, ' ');
      assert.ok(last.length > partial.length - 5, `turn ${i + 1}: the reply (${last}) should extend what streamed (${partial})`);
      const status = await personaTurns().last().getAttribute('data-status');
      assert.equal(status, 'complete', `turn ${i + 1} reply status`);
    }
    const userTurns = await page.locator(v('chat-turn', '[data-role="user"]')).allInnerTexts();
    assert.equal(userTurns.length, 3);
    userTurns.forEach((t, i) => assert.ok(t.includes(says[i].slice(0, 20)), `user turn ${i + 1}: ${t}`));
    await screenshot('three-turns');
  });

  step('End session shows scored feedback beside the offline metrics', async () => {
    await page.locator(v('chat-end')).click();
    const feedback = page.locator(v('feedback'));
    await feedback.waitFor({ state: 'visible', timeout: 30_000 });
    const overall = (await page.locator(v('feedback-overall')).innerText()).match(/\b(\d{1,3})\b/);
    assert.ok(overall && Number(overall[1]) >= 0 && Number(overall[1]) <= 100, 'an overall score 0–100');
    for (const d of ['clarity', 'pace', 'confidence', 'tone', 'relevance', 'structure']) {
      const text = await page.locator(v(`feedback-dim-${d}`)).innerText();
      assert.match(text, /\b\d{1,3}\b/, `${d} has a score`);
    }
    const highlights = await page.locator(v('feedback-highlights')).innerText();
    assert.ok(says.some((s) => highlights.includes(s.slice(0, 25))), `highlights quote the user: ${highlights}`);
    const actions = await page.locator(`${v('feedback-actions')} li`).count();
    assert.equal(actions, 3, 'three action items');
    // The better version rewrites the turn with fillers: a real change, no
    // punctuation left over from the words it dropped.
    await page.locator(v('feedback-better')).waitFor({ state: 'visible' });
    assert.equal((await page.locator(v('feedback-better-original')).innerText()).trim(), says[2]);
    const improved = (await page.locator(v('feedback-better-improved')).innerText()).trim();
    assert.equal(improved, 'Failed payments dropped by thirty percent in the first quarter.');
    const removed = await page.locator(`${v('feedback-diff')} del`).allInnerTexts();
    assert.ok(removed.join(' ').includes('really'), `the diff strikes "really": ${removed}`);
    await page.locator(v('feedback-offline')).waitFor({ state: 'visible' });
    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const clipped = (el) => {
        for (let p = el.parentElement; p; p = p.parentElement) {
          if (getComputedStyle(p).overflowX !== 'visible') return true;
        }
        return false;
      };
      const wide = [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !clipped(el))
        .slice(0, 3)
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
      return { by: document.documentElement.scrollWidth - width, wide };
    });
    assert.ok(overflow.by <= 0, `the feedback page scrolls sideways by ${overflow.by} px: ${overflow.wide.join(', ')}`);
    await screenshot('feedback');

    // The offline panel's readability formulas fit the panel, scores and
    // targets included: nothing sticks out, nothing scrolls sideways; in the
    // narrow side column (1280 px) and in the single column (800 px).
    for (const width of [1280, 800]) {
      await page.setViewportSize({ width, height: 900 });
      const fit = await page.evaluate(() => {
        const panel = [...document.querySelectorAll('[data-testid="feedback-offline"]')].find((el) => el.getClientRects().length > 0);
        const box = panel.getBoundingClientRect();
        const list = panel.querySelector('[data-testid="readability-list"]');
        const out = [...panel.querySelectorAll('*')]
          .filter((el) => {
            const r = el.getBoundingClientRect();
            return r.width > 1 && (r.right > box.right + 0.5 || r.left < box.left - 0.5);
          })
          .slice(0, 3)
          .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${el.textContent.slice(0, 30)})`);
        const scrolls = [...panel.querySelectorAll('*')].filter((el) => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 2).length;
        const scores = list ? [...list.querySelectorAll('.formula-value')].map((el) => el.getBoundingClientRect().right <= box.right) : [];
        return { width: Math.round(box.width), hasList: list !== null, out, scrolls, scores };
      });
      assert.ok(fit.hasList, `at ${width} px the offline panel shows the compact readability list`);
      assert.deepEqual(fit.out, [], `at ${width} px, in a ${fit.width} px panel, these stick out: ${fit.out.join(', ')}`);
      assert.equal(fit.scrolls, 0, `at ${width} px something in the offline panel scrolls sideways`);
      assert.deepEqual(fit.scores, [true, true, true, true, true, true], `at ${width} px every score is inside the panel`);
      if (width === 1280) assert.ok(fit.width < 420, `at 1280 px the offline panel is the narrow column (${fit.width} px)`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot('feedback-readability-fits');
  });

  step('the conversation is in History with its feedback', async () => {
    await nav('history');
    const item = page.locator(v('history-item', '[data-kind="chat"]')).first();
    await item.waitFor({ state: 'visible' });
    assert.equal(await item.getAttribute('data-ai-status'), 'ready');
    if (chatTitle) assert.ok((await item.innerText()).includes(chatTitle.slice(0, 15)), `History shows ${chatTitle}`);
    await item.locator('button').first().click();
    await page.locator(v('feedback')).waitFor({ state: 'visible' });
    assert.equal(await page.locator(v('chat-turn', '[data-role="user"]')).count(), 3);
    await screenshot('history-chat');
  });

  step('a 503 mid-stream keeps the partial reply, and Retry completes it', async () => {
    await nav('practice');
    await page.locator(v('chat-back')).click(); // from the ended chat to a new one
    await page.locator(v('practice-scenario-exec-status-update')).click();
    await page.locator(v('practice-persona-executive')).click();
    await page.locator(v('practice-start')).click();
    await page.locator(v('chat')).waitFor({ state: 'visible' });
    await sendAndWatch('We are two weeks late because the vendor missed the freeze. [[midstream]]');
    const cut = personaTurns().last();
    assert.equal(await cut.getAttribute('data-status'), 'partial');
    const kept = (await cut.innerText()).trim();
    assert.ok(kept.length > 0, 'the partial text is kept');
    assert.match(await page.locator(v('chat-turn-error')).innerText(), /Gemini is busy — retry/);
    await screenshot('midstream-partial');

    await page.locator(v('chat-retry')).click();
    await page.locator(v('chat', '[data-phase="idle"]')).waitFor({ timeout: 30_000 });
    await page.locator(v('chat-turn', '[data-role="persona"][data-status="complete"]')).nth(1).waitFor();
    assert.equal(await page.locator(v('chat-turn-error')).count(), 0, 'no error left after Retry');
    assert.equal(await page.locator(v('chat-turn', '[data-status="partial"]')).count(), 0);
    await screenshot('midstream-retried');
  });

  step('Stop gets through while Gemini is silent, and keeps what arrived', async () => {
    await page.locator(v('chat-composer')).fill('Can we move the launch by a week? [[stall]]');
    await page.locator(v('chat-send')).click();
    await page.waitForFunction(
      (sel) => (document.querySelector(sel)?.textContent ?? '').trim().length > 0,
      '[data-testid="chat-streaming"]',
      { timeout: 15_000 },
    );
    const t0 = Date.now();
    await page.locator(v('chat-stop')).click();
    await page.locator(v('chat', '[data-phase="idle"]')).waitFor({ timeout: 5_000 });
    const stopped = personaTurns().last();
    assert.equal(await stopped.getAttribute('data-status'), 'partial');
    assert.match(await page.locator(v('chat-turn-error')).innerText(), /Stopped/);
    assert.ok(Date.now() - t0 < 5_000, 'Stop took effect at once, not after the idle timeout');
    await screenshot('stopped');
    await page.locator(v('chat-retry')).click();
    await page.locator(v('chat', '[data-phase="idle"]')).waitFor({ timeout: 30_000 });
    assert.equal(await personaTurns().last().getAttribute('data-status'), 'complete');
  });

  step('a reload mid-reply: the chat opened from History follows the reply, and Stop still works', async () => {
    await page.locator(v('chat-composer')).fill('Could we revisit the launch plan? [[stall]]');
    await page.locator(v('chat-send')).click();
    const streamingText = `${v('chat-streaming')} .turn-text`;
    await page.waitForFunction(
      (sel) => (document.querySelector(sel)?.textContent ?? '').trim().length > 0,
      streamingText.replace(':visible', ''),
      { timeout: 15_000 },
    );
    const before = (await page.locator(streamingText).innerText()).trim();
    await page.reload();
    await nav('history');
    const item = page.locator(v('history-item', '[data-kind="chat"]')).first();
    await item.locator('button').first().click();
    await page.locator(v('chat', '[data-phase="following"]')).waitFor({ timeout: 10_000 });
    assert.equal((await page.locator(streamingText).innerText()).trim(), before, 'the text that arrived before the reload is shown');
    assert.equal(await page.locator(v('chat-turn-error')).count(), 0, 'the live reply is not shown as stopped');
    await screenshot('reload-following');
    await page.locator(v('chat-stop')).click();
    await page.locator(v('chat', '[data-phase="idle"]')).waitFor({ timeout: 5_000 });
    const stopped = personaTurns().last();
    assert.equal(await stopped.getAttribute('data-status'), 'partial');
    assert.ok((await stopped.innerText()).includes(before), 'the stopped reply keeps what arrived');
    assert.match(await page.locator(v('chat-turn-error')).innerText(), /Stopped/);
    await page.locator(v('chat-retry')).click();
    await page.locator(v('chat', '[data-phase="idle"]')).waitFor({ timeout: 30_000 });
    assert.equal(await personaTurns().last().getAttribute('data-status'), 'complete');
  });

  step('after "Gemini quota reached — try again in 17 s", Retry counts down the wait', async () => {
    await page.locator(v('chat-composer')).fill('One more thing about the launch. [[429]]');
    await page.locator(v('chat-send')).click();
    await page.locator(v('chat', '[data-phase="idle"]')).waitFor({ timeout: 30_000 });
    assert.match(await page.locator(v('chat-turn-error')).innerText(), /Gemini quota reached — try again in 17 s/);
    const retry = page.locator(v('chat-retry'));
    assert.match(await retry.innerText(), /^Retry reply in 1[4-7] s$/);
    assert.ok(await retry.isDisabled(), 'Retry waits for the quota');
    const first = Number(await retry.getAttribute('data-wait'));
    await page.waitForFunction(
      ([sel, was]) => Number(document.querySelector(sel)?.getAttribute('data-wait')) < was,
      [`${v('chat-retry')}`.replace(':visible', ''), first],
      { timeout: 5_000 },
    );
    await screenshot('quota-countdown');
  });

  step('offline: Ask Cara leaves the review pending; back online, the queue adds the rewrite', async () => {
    await nav('review');
    await page.locator(v('review-input')).fill('Hi team, I just wanted to basically check if we could maybe move the review to Friday, I think that would really help.');
    await page.locator(v('review-submit')).click();
    await page.locator(v('report')).waitFor({ state: 'visible' });

    await gemini.stop(); // Gemini unreachable: connections refused
    await page.locator(v('ask-cara-mode-strict')).click();
    await page.locator(v('ask-cara-submit')).click();
    const pending = page.locator(v('ai-pending'));
    await pending.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await pending.innerText(), /pending/i);
    assert.match(await pending.innerText(), /Can[’']t reach Gemini — check your connection/, 'the pending box says why');
    // Try now while still offline: it says it tried, and why it failed.
    await page.locator(v('ai-retry')).click();
    await page.locator(v('ai-tried')).waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await pending.innerText(), /Can[’']t reach Gemini — check your connection/);
    assert.match(await page.locator(v('ai-tried')).innerText(), /^Last tried at \d/);
    await screenshot('offline-pending');

    await nav('history');
    await page.locator(v('history-item', '[data-kind="review"][data-ai-status="pending"]')).first().waitFor();
    await nav('settings');
    await page.locator(v('queue-status')).waitFor({ state: 'visible' });
    assert.match(await page.locator(v('queue-status')).innerText(), /1/);
    await page.locator(v('queue-process')).click();
    await page.waitForFunction(
      (sel) => /Last run stopped at .*Can[’']t reach Gemini/.test(document.querySelector(sel)?.textContent ?? ''),
      id('queue-error'),
      { timeout: 15_000 },
    );

    await gemini.start(); // back on the same port; the queue retries every 2 s
    await nav('history');
    const done = page.locator(v('history-item', '[data-kind="review"][data-ai-status="ready"]')).first();
    await done.waitFor({ state: 'visible', timeout: 30_000 });
    await done.locator('button').first().click();
    const diff = page.locator(v('ask-cara-diff'));
    await diff.waitFor({ state: 'visible' });
    assert.ok((await diff.locator('del').count()) > 0, 'the diff shows what the rewrite removed');
    await screenshot('online-processed');
  });

  step('the API key is in neither the data folder nor the app log', async () => {
    const key = gemini.key;
    const files = readdirSync(app.dataDir).map((f) => joinPath(app.dataDir, f));
    assert.ok(files.length > 0, 'the data folder has files');
    for (const f of [...files, app.log]) {
      assert.ok(!readFileSync(f).includes(key), `the key is in ${f}`);
    }
  });
});
