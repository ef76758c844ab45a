// End-to-end: the app closing under a browser page. On `wails dev` the page
// outlives the app process; when it ends, calls and events just stop (a
// reply in progress would show Stop forever). Go sends "app:alive" every
// CARA_HEARTBEAT_INTERVAL, and the page says "Cara has closed — reopen it"
// once that has been silent for a few intervals, then "Cara is running
// again" with Reload when the app is back on the same port.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { newApp } from '../lib/app.mjs';
import { openBrowser } from '../lib/browser.mjs';
import { Harness, id, join, openApp, uniqueEmail } from '../lib/ui.mjs';

const h = new Harness('closed');
const step = h.step.bind(h);
const screenshot = h.screenshot.bind(h);
const app = newApp('closed');
const env = { CARA_HEARTBEAT_INTERVAL: '300ms' };
// A step that restarts the app may wait for a compile.
const LAUNCH = { timeout: (Number(process.env.E2E_READY_TIMEOUT || 300) + 120) * 1000 };

let browser;
let page;

before(async () => {
  await app.start({ keychain: 'memory', env });
  browser = await openBrowser();
  page = browser.page;
  h.attach(page);
  await openApp(page, app);
});

after(async () => {
  if (browser) await browser.close();
  await app.stop();
});

describe('Cara closing under the page', () => {
  step('while Cara runs nothing covers the page', async () => {
    await join(page, { email: uniqueEmail('closer'), name: 'Cleo Closer', role: 'Designer', password: 'Harbor-Violet-3141' });
    await page.waitForTimeout(1_500); // five heartbeats
    assert.equal(await page.locator(id('connection-lost')).count(), 0);
  });

  step('when the app process ends, the page says so instead of waiting forever', async () => {
    await app.stop();
    const lost = page.locator(`${id('connection-lost')}[data-state="closed"]`);
    await lost.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await lost.innerText(), /Cara has closed — reopen it/);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'connection-reload');
    await screenshot('closed');
  });

  step('when Cara runs again, the page says to reload, and Reload brings it back', async () => {
    await app.start({ keychain: 'memory', env });
    // The dev runtime reconnects by itself; the page tells the user to reload.
    const back = page.locator(`${id('connection-lost')}[data-state="back"]`);
    await back.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot('back');
    await page.locator(id('connection-reload')).click();
    await openApp(page, app); // a fresh page on the new app (signed out: memory keychain)
    assert.equal(await page.locator(id('connection-lost')).count(), 0);
  }, LAUNCH);
});
