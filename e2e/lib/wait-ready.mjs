// Usage: node lib/wait-ready.mjs URL [TIMEOUT_SECONDS]
// Polls until URL serves Cara's UI AND a Go binding answers from the page
// (System.Info). With CARA_DATA_DIR set, also checks the app on the other end
// uses that data directory, so the tests never touch someone else's Cara.
// Exits 0 when ready, 1 on timeout (with the last error).
import { appInfo, openBrowser } from './browser.mjs';

const [url, timeoutArg = '240'] = process.argv.slice(2);
if (!url) {
  console.error('usage: node lib/wait-ready.mjs URL [TIMEOUT_SECONDS]');
  process.exit(2);
}
const deadline = Date.now() + Number(timeoutArg) * 1000;
const wantDir = process.env.CARA_DATA_DIR;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function httpReady() {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const body = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  if (!/<div id="root"|<script/i.test(body)) throw new Error(`GET ${url}: not an HTML app page`);
}

let lastErr = 'not tried';
// Phase 1: plain HTTP, cheap to poll while `wails dev` compiles.
while (Date.now() < deadline) {
  try {
    await httpReady();
    lastErr = '';
    break;
  } catch (err) {
    lastErr = err.cause?.code || err.message;
    await sleep(1000);
  }
}
if (lastErr) {
  console.error(`wait-ready: ${url} never served the UI: ${lastErr}`);
  process.exit(1);
}

// Phase 2: the bindings, from a real page.
const browser = await openBrowser();
let ok = false;
try {
  while (Date.now() < deadline) {
    try {
      await browser.page.goto(url, { waitUntil: 'load', timeout: 15_000 });
      await browser.page.waitForFunction(() => window.go?.app?.System?.Info, null, { timeout: 10_000 });
      const info = await appInfo(browser.page);
      if (wantDir && info.dataDir !== wantDir) {
        throw new Error(`the app on ${url} uses data dir ${info.dataDir}, want ${wantDir} (another Cara on that port?)`);
      }
      console.log(`wait-ready: ${url} is up (Cara ${info.version}, data in ${info.dataDir})`);
      ok = true;
      break;
    } catch (err) {
      lastErr = err.message.split('\n')[0];
      if (/another Cara/.test(lastErr)) break;
      await sleep(1000);
    }
  }
} finally {
  await browser.close();
}
if (!ok) {
  console.error(`wait-ready: bindings on ${url} never answered: ${lastErr}`);
  process.exit(1);
}
