// The app under test, started and stopped by the tests themselves, so a test
// can quit Cara and open it again on the same data and the same keyring.
//
//   const app = newApp('auth');               // its own data dir and keyring
//   await app.start({ keychain: 'secret-service' });
//   …                                         // app.url, app.dataDir
//   await app.stop();
//   await app.start({ keychain: 'memory' });  // same data, in-memory keychain
//
// One start runs, with the repo as its working directory:
//
//   dbus-run-session -- ../shared/scripts/with-secret-service.sh \
//     xvfb-run -a … go tool wails dev -devserver localhost:PORT …
//
// a private session bus with a real, unlocked gnome-keyring on it (the
// keyring file lives in this app's XDG_DATA_HOME, so it outlives a restart
// and dies with the run), a virtual display, and `wails dev` serving the UI
// with live Go bindings on http://localhost:PORT. With keychain 'memory' the
// keyring is left out and the app gets CARA_KEYCHAIN=memory.
//
// scripts/e2e.sh prepares the sandbox (HOME, XDG dirs, TMPDIR, Go's caches)
// and passes:
//   CARA_E2E_SANDBOX         the throwaway directory; each app gets a folder in it
//   CARA_E2E_RUN             an ID for this run, put in every started process's
//                            environment (CARA_E2E_APP=RUN/…) so that nothing
//                            escapes the clean-up
//   CARA_E2E_SECRET_SERVICE  the with-secret-service.sh to use, or "" when there
//                            is none (then 'secret-service' falls back to memory)
//   E2E_READY_TIMEOUT        seconds to wait for a start (default 300: the very
//                            first start may compile everything)
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './corpus.mjs';
import { members, stopTree } from './procs.mjs';

const sandbox = process.env.CARA_E2E_SANDBOX;
const runID = process.env.CARA_E2E_RUN || `pid${process.pid}`;
const readyTimeout = Number(process.env.E2E_READY_TIMEOUT || 300) * 1000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// secretService says whether starts can have a real Secret Service.
export const secretService = {
  script: process.env.CARA_E2E_SECRET_SERVICE || '',
  get available() {
    return this.script !== '' && existsSync(this.script);
  },
};

// freePort asks the kernel for a port nobody listens on.
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// listening reports whether something accepts connections on the port.
function listening(port) {
  return new Promise((resolve) => {
    const sock = connect({ port, host: '127.0.0.1' });
    sock.setTimeout(1000);
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('timeout', () => {
      sock.destroy();
      resolve(false);
    });
    sock.once('error', () => resolve(false));
  });
}

const live = new Set(); // apps with a running tree, stopped on exit

// On any exit (a crash included), kill what is still running. Synchronous:
// no time for TERM and a grace period here.
process.on('exit', () => {
  for (const app of live) {
    for (const pid of members(app.leader, app.marker)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => process.exit(sig === 'SIGINT' ? 130 : 143));
}

class App {
  constructor(name) {
    if (!sandbox) throw new Error('CARA_E2E_SANDBOX is not set: run the tests through scripts/e2e.sh');
    this.name = name;
    this.dir = join(sandbox, name);
    this.dataDir = join(this.dir, 'data');
    this.xdgData = join(this.dir, 'xdg-data'); // the keyring file lives here
    for (const d of [this.dataDir, this.xdgData]) mkdirSync(d, { recursive: true });
    this.port = 0;
    this.starts = 0;
    this.child = null;
    this.exited = null; // resolves with the exit code of the current start
    this.keychain = null; // what the current start uses
    this.timings = []; // { keychain, startSeconds, stopSeconds }
  }

  get url() {
    return `http://localhost:${this.port}`;
  }

  get running() {
    return this.child !== null;
  }

  // start runs the app and resolves once http://localhost:PORT serves the UI.
  // keychain: 'secret-service' (the OS keychain on a real gnome-keyring) or
  // 'memory'. Without a Secret Service, 'secret-service' warns loudly and
  // runs with 'memory'; this.keychain says which one it is. env: extra
  // environment for the app (e.g. CARA_GEMINI_BASE_URL).
  async start({ keychain = 'secret-service', env: extraEnv = {} } = {}) {
    if (this.child) throw new Error(`${this.name}: already running`);
    if (!['secret-service', 'memory'].includes(keychain)) throw new Error(`unknown keychain ${keychain}`);
    if (keychain === 'secret-service' && !secretService.available) {
      console.warn(`\n!!! ${this.name}: no Secret Service script (${secretService.script || 'none'}): `
        + 'running with CARA_KEYCHAIN=memory; restart checks are skipped.\n');
      keychain = 'memory';
    }
    // The same port every time: the browser keeps its origin (and storage).
    if (!this.port) this.port = await freePort();
    for (let i = 0; await listening(this.port); i++) {
      if (i >= 100) throw new Error(`${this.name}: port ${this.port} is still taken`);
      await sleep(100);
    }

    this.starts += 1;
    this.keychain = keychain;
    this.marker = `CARA_E2E_APP=${runID}/${this.name}/${this.starts}`;
    const runtimeDir = join(this.dir, `run-${this.starts}`);
    mkdirSync(runtimeDir, { recursive: true });
    chmodSync(runtimeDir, 0o700);
    this.log = join(this.dir, `wails-dev-${this.starts}-${keychain}.log`);

    const env = { ...process.env };
    delete env.DBUS_SESSION_BUS_ADDRESS; // never the user's bus
    delete env.CARA_KEYCHAIN;
    Object.assign(env, {
      CARA_E2E_APP: this.marker.slice('CARA_E2E_APP='.length),
      CARA_DATA_DIR: this.dataDir,
      XDG_DATA_HOME: this.xdgData,
      XDG_RUNTIME_DIR: runtimeDir,
      KEYRING_PASS: process.env.KEYRING_PASS || 'ci-pass',
    });
    if (keychain === 'memory') env.CARA_KEYCHAIN = 'memory';
    Object.assign(env, extraEnv);

    // -m: no `go mod tidy`; -s: the frontend is served live by Vite;
    // -nosyncgomod: leave go.mod alone; -nogorebuild/-noreload: edits made
    // while the suite runs must not restart the app mid-test;
    // -skipbindings: test the committed frontend/wailsjs, and never rewrite
    // it (wails writes the Go bindings into the repo even when -wailsjsdir
    // points elsewhere); it also saves about 6 s a start.
    const wails = ['go', 'tool', 'wails', 'dev', '-m', '-s', '-nosyncgomod', '-nogorebuild', '-noreload',
      '-skipbindings', '-nocolour', '-loglevel', 'Warning', '-devserver', `localhost:${this.port}`];
    const xvfb = ['xvfb-run', '-a', '-s', '-screen 0 1280x900x24 -nolisten tcp', ...wails];
    const cmd = keychain === 'secret-service' ? [secretService.script, ...xvfb] : xvfb;

    const out = openSync(this.log, 'a');
    const t0 = Date.now();
    let child;
    try {
      // detached: the child calls setsid, so the whole tree is one session.
      child = spawn('dbus-run-session', ['--', ...cmd], {
        cwd: repoRoot, env, detached: true, stdio: ['ignore', out, out],
      });
    } finally {
      closeSync(out);
    }
    this.child = child;
    this.leader = child.pid;
    live.add(this);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, sig) => resolve(sig ? `signal ${sig}` : `exit ${code}`));
      child.once('error', (err) => resolve(`spawn error: ${err.message}`));
    });
    let died = null;
    this.exited.then((how) => {
      died = how;
    });

    const deadline = t0 + readyTimeout;
    let lastErr = 'not tried';
    while (Date.now() < deadline) {
      if (died) {
        await this.stop();
        throw new Error(`${this.name}: wails dev ended before the app was ready (${died})\n${this.logTail(60)}`);
      }
      try {
        const res = await fetch(this.url, { signal: AbortSignal.timeout(5000) });
        const body = await res.text();
        if (res.ok && /<div id="root"|<script/i.test(body)) {
          const seconds = (Date.now() - t0) / 1000;
          this.timings.push({ keychain, startSeconds: seconds });
          console.log(`# ${this.name}: app start ${this.starts} (${keychain}) ready in ${seconds.toFixed(1)} s on ${this.url}`);
          return { keychain, seconds };
        }
        lastErr = `HTTP ${res.status}`;
      } catch (err) {
        lastErr = err.cause?.code || err.message;
      }
      await sleep(250);
    }
    await this.stop();
    throw new Error(`${this.name}: ${this.url} never served the UI (${lastErr})\n${this.logTail(60)}`);
  }

  // stop ends the app and everything it started (bus, keyring daemon, Xvfb,
  // Vite) and waits until the port is free again. Safe to call twice.
  async stop() {
    if (!this.child) return;
    const t0 = Date.now();
    const forced = await stopTree(this.leader, this.marker);
    await Promise.race([this.exited, sleep(5000)]);
    for (let i = 0; i < 100 && (await listening(this.port)); i++) await sleep(100);
    live.delete(this);
    this.child = null;
    const seconds = (Date.now() - t0) / 1000;
    const last = this.timings[this.timings.length - 1];
    if (last && last.stopSeconds === undefined) last.stopSeconds = seconds;
    if (forced.length) console.log(`# ${this.name}: ${forced.length} process(es) needed SIGKILL`);
  }

  // logTail is the end of the current (or last) start's wails dev log.
  logTail(lines = 40) {
    try {
      const text = readFileSync(this.log, 'utf8').split('\n');
      return `---- ${this.log} (last ${lines} lines) ----\n${text.slice(-lines).join('\n')}`;
    } catch {
      return '(no log)';
    }
  }
}

// newApp makes an app with its own data directory and keyring, in the
// sandbox folder called name.
export function newApp(name) {
  return new App(name);
}
