// Helpers the end-to-end tests share: test ids, screenshots, a test wrapper
// that adds a screenshot and the page's errors to a failure, and the account
// screens (join, sign in, sign out).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join as joinPath, resolve } from 'node:path';
import { test } from 'node:test';
import { appInfo } from './browser.mjs';
import { repoRoot } from './corpus.mjs';

export const shotsDir = resolve(process.env.CARA_E2E_SCREENSHOTS || joinPath(repoRoot, 'e2e', 'screenshots'));

// id is the selector of a data-testid.
export const id = (testId) => `[data-testid="${testId}"]`;

// uniqueEmail is an address no earlier run (or other test) has used.
export function uniqueEmail(who) {
  const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  return `${who}.${stamp}@example.com`;
}

// Harness holds one test file's page, its screenshots (PREFIX-NN-name.png)
// and the page's uncaught errors.
export class Harness {
  constructor(prefix) {
    this.prefix = prefix;
    this.page = null;
    this.pageErrors = [];
    this.shotNo = 0;
    mkdirSync(shotsDir, { recursive: true });
  }

  // attach starts watching a page for uncaught errors.
  attach(page) {
    this.page = page;
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (err) => this.pageErrors.push(err.message.split('\n')[0]));
  }

  async screenshot(name) {
    if (!this.page) return '(no page yet)';
    this.shotNo += 1;
    const file = joinPath(shotsDir, `${this.prefix}-${String(this.shotNo).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true }).catch(() => {});
    return file;
  }

  // step registers one test; on failure it saves a screenshot named after
  // the test and adds the page's uncaught errors to the message. extra are
  // node:test options (skip, timeout).
  step(name, fn, extra = {}) {
    test(name, { timeout: 120_000, ...extra }, async (t) => {
      try {
        await fn(t);
      } catch (err) {
        const file = await this.screenshot(`FAILED-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 60)}`);
        err.message += `\n  screenshot: ${file}`;
        if (this.pageErrors.length) err.message += `\n  page errors:\n    ${this.pageErrors.join('\n    ')}`;
        throw err;
      }
    });
  }
}

// openApp loads the app in page, checks that the page talks to the app
// under test (its data directory), and waits until the splash is gone:
// either the Join / Sign in screen or the signed-in workspace shows.
// Returns System.Info().
export async function openApp(page, app) {
  await page.goto(app.url, { waitUntil: 'load', timeout: 60_000 });
  await page.waitForFunction(() => window.go?.app?.System?.Info, null, { timeout: 60_000 });
  const info = await appInfo(page);
  assert.equal(info.dataDir, app.dataDir, `the page on ${app.url} talks to another Cara`);
  await page.locator(`${id('auth-join-tab')}, ${id('account-email')}`).first().waitFor({ state: 'visible', timeout: 30_000 });
  return info;
}

// leaveApp points the page away from the app before it stops, so the dev
// runtime's reconnect logic cannot reload the page behind the test's back.
export async function leaveApp(page) {
  await page.goto('about:blank');
}

// whoIsSignedIn is the e-mail in the sidebar, or null on the auth screen.
export async function whoIsSignedIn(page) {
  const loc = page.locator(`${id('account-email')}, ${id('auth-join-tab')}`).first();
  await loc.waitFor({ state: 'visible' });
  if ((await loc.getAttribute('data-testid')) !== 'account-email') return null;
  return (await loc.innerText()).trim();
}

export async function expectSignedIn(page, email) {
  const shown = page.locator(id('account-email'));
  await shown.waitFor({ state: 'visible' });
  assert.equal((await shown.innerText()).trim(), email, 'the sidebar shows who is signed in');
}

// rulesState is the live checklist: { rule id: true/false }.
export async function rulesState(page) {
  return page.locator(id('password-rule')).evaluateAll((els) => Object.fromEntries(
    els.map((el) => [el.dataset.rule, el.dataset.ok === 'true']),
  ));
}

// waitForRules waits until the checklist shows want (a subset of rule id →
// met), e.g. { upper: false, not_common: false }. Go answers shortly after
// typing stops, so this polls the DOM.
export async function waitForRules(page, want, timeout = 10_000) {
  try {
    await page.waitForFunction((w) => {
      const els = [...document.querySelectorAll('[data-testid="password-rule"]')];
      if (els.length === 0) return false;
      const got = Object.fromEntries(els.map((el) => [el.dataset.rule, el.dataset.ok === 'true']));
      return Object.entries(w).every(([rule, ok]) => got[rule] === ok);
    }, want, { timeout });
  } catch (err) {
    err.message += `\n  checklist: ${JSON.stringify(await rulesState(page))}, want ${JSON.stringify(want)}`;
    throw err;
  }
}

// allRulesMet waits until every rule in the checklist is met.
export async function allRulesMet(page) {
  await page.waitForFunction(() => {
    const els = [...document.querySelectorAll('[data-testid="password-rule"]')];
    return els.length > 0 && els.every((el) => el.dataset.ok === 'true');
  }, null, { timeout: 10_000 }).catch(async (err) => {
    err.message += `\n  checklist: ${JSON.stringify(await rulesState(page))}`;
    throw err;
  });
}

// waitEnabled waits for a button to be enabled (Go's checklist gates it).
export async function waitEnabled(page, testId, timeout = 10_000) {
  const sel = id(testId);
  await page.waitForFunction((s) => {
    const el = document.querySelector(s);
    return el && !el.disabled;
  }, sel, { timeout });
}

// join fills "Join Cara" and creates the account: { email, name, role,
// password }. Waits until the workspace shows the new account.
export async function join(page, user) {
  await page.locator(id('auth-join-tab')).click();
  await page.locator(id('join-email')).fill(user.email);
  await page.locator(id('join-name')).fill(user.name);
  await page.locator(id('join-role')).fill(user.role || '');
  await page.locator(id('join-password')).fill(user.password);
  await allRulesMet(page);
  await waitEnabled(page, 'join-submit');
  await page.locator(id('join-submit')).click();
  await expectSignedIn(page, user.email);
}

// fillSignIn opens "Sign in", types the e-mail and password and submits.
export async function fillSignIn(page, email, password) {
  await markErrorsStale(page);
  await page.locator(id('auth-signin-tab')).click();
  await page.locator(id('signin-email')).fill(email);
  await page.locator(id('signin-password')).fill(password);
  await page.locator(id('signin-submit')).click();
}

// signIn signs in and waits for the workspace.
export async function signIn(page, email, password) {
  await fillSignIn(page, email, password);
  await expectSignedIn(page, email);
}

// authError waits for the sign-in error and returns its text. Call
// markErrorsStale before submitting again: an error shown for an earlier
// attempt is then not mistaken for the answer to this one (the form clears
// the error while it waits, and shows a new element for the new answer).
export async function authError(page) {
  const err = page.locator(`${id('auth-error')}:not([data-stale])`);
  await err.waitFor({ state: 'visible' });
  return (await err.innerText()).trim();
}

export async function markErrorsStale(page) {
  await page.locator(id('auth-error')).evaluateAll((els) => els.forEach((el) => {
    el.dataset.stale = '1';
  }));
}

export async function gotoAccount(page) {
  await page.locator(id('nav-account')).click();
  await page.locator(id('signout')).waitFor({ state: 'visible' });
}

// signOut uses the Account screen's "Sign out" and waits for the auth screen.
export async function signOut(page) {
  await gotoAccount(page);
  await page.locator(id('signout')).click();
  await page.locator(id('auth-signin-tab')).waitFor({ state: 'visible' });
  await page.locator(id('account-email')).waitFor({ state: 'detached' });
}

// sessionItems waits for the Account screen's session list to settle and
// returns [{ current }] in the order shown.
export async function sessionItems(page) {
  const items = page.locator(id('session-item'));
  await items.first().waitFor({ state: 'visible' });
  return items.evaluateAll((els) => els.map((el) => ({ current: el.dataset.current === 'true', text: el.innerText })));
}

export async function gotoReview(page) {
  await page.locator(id('nav-review')).click();
  await page.locator(id('review-input')).waitFor({ state: 'visible' });
}

export async function gotoHistory(page) {
  await page.locator(id('nav-history')).click();
  // Either the list or the empty state appears once History has loaded.
  await page.locator(`${id('history-item')}, ${id('history-empty')}`).first().waitFor({ state: 'visible' });
}
