// Debian's Chromium driven by playwright-core: no downloaded browsers, a fresh
// profile per run, and the flags that keep a headless Chromium quiet and
// offline (DESIGN §2).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const chromiumPath = process.env.CARA_CHROMIUM || '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// isViteHMR matches Vite's hot-reload sockets (ws://…/?token=…, protocols
// "vite-hmr" and "vite-ping"). The Wails bindings' socket (/wails/ipc) has
// no token.
const isViteHMR = (url) => url.searchParams.has('token');

// openBrowser starts Chromium with a throwaway profile. close() ends it and
// removes the profile.
//
// Vite's hot reload is cut off (liveReload: false): the page gets a socket
// that opens and never speaks, so an edit to frontend/src made while the
// suite runs (by a person, an editor, a git checkout) cannot reload or
// patch the page in the middle of a test. A page load (goto, reload) still
// gets the current sources.
export async function openBrowser({ viewport = { width: 1280, height: 900 }, liveReload = false } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'cara-e2e-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      viewport,
      timeout: 60_000,
    });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  if (!liveReload) {
    await context.routeWebSocket(isViteHMR, () => {
      // Mocked: never connected to Vite, never closed.
    });
  }
  const page = context.pages()[0] || (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// appInfo calls the live Go binding System.Info() from the page; it proves
// the page talks to the running app (and which data directory it uses).
export async function appInfo(page) {
  return page.evaluate(async () => {
    const sys = window.go && window.go.app && window.go.app.System;
    if (!sys || typeof sys.Info !== 'function') throw new Error('Wails bindings not loaded yet');
    return sys.Info();
  });
}
