// The fake Gemini (cmd/fake-gemini) as a process the AI tests start, stop
// and start again on the same port (to take Gemini "offline" and back), and
// steer through its /_control/ endpoints.
//
//   const gemini = new FakeGemini('ai');
//   await gemini.start();          // gemini.url, gemini.key
//   await gemini.failNext('503');  // the next request fails
//   await gemini.stop();           // connections refused from now on
//
// scripts/e2e.sh builds the binary and passes its path in
// CARA_E2E_FAKE_GEMINI; each process carries the run's CARA_E2E_APP marker,
// so the clean-up finds it.
import { spawn } from 'node:child_process';
import { freePort } from './app.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const runID = process.env.CARA_E2E_RUN || `pid${process.pid}`;

export class FakeGemini {
  // chunkDelay: the pause between streamed chunks (a Go duration);
  // chunkWords: words per chunk (unset: the fake's own default).
  constructor(name, { chunkDelay = '40ms', chunkWords } = {}) {
    this.bin = process.env.CARA_E2E_FAKE_GEMINI;
    if (!this.bin) throw new Error('CARA_E2E_FAKE_GEMINI is not set: run the tests through scripts/e2e.sh');
    this.name = name;
    this.chunkDelay = chunkDelay;
    this.chunkWords = chunkWords;
    this.port = 0;
    this.key = '';
    this.child = null;
    this.output = '';
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  // start runs the fake (on the same port as before, if it ran before) and
  // resolves once it says where it listens.
  async start() {
    if (this.child) throw new Error(`fake Gemini ${this.name}: already running`);
    if (!this.port) this.port = await freePort();
    const args = ['-addr', `127.0.0.1:${this.port}`, '-chunk-delay', this.chunkDelay];
    if (this.chunkWords !== undefined) args.push('-chunk-words', String(this.chunkWords));
    const child = spawn(this.bin, args, {
      env: { ...process.env, CARA_E2E_APP: `${runID}/fake-gemini-${this.name}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.output = '';
    const exited = new Promise((resolve) => child.once('exit', (code, sig) => resolve(sig || code)));
    this.exited = exited;
    const ready = new Promise((resolve, reject) => {
      const onData = (buf) => {
        this.output += buf.toString();
        const m = this.output.match(/^fake Gemini listening on (\S+) \(key: (.+)\)$/m);
        if (m) {
          this.key = m[2];
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      exited.then((how) => reject(new Error(`fake Gemini ${this.name} exited (${how}): ${this.output}`)));
    });
    await Promise.race([ready, sleep(15_000).then(() => {
      throw new Error(`fake Gemini ${this.name} did not start in 15 s: ${this.output}`);
    })]);
  }

  // stop ends the fake; afterwards its port refuses connections.
  async stop() {
    if (!this.child) return;
    this.child.kill('SIGTERM');
    await Promise.race([this.exited, sleep(5000)]);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    this.child = null;
  }

  async control(path, body) {
    const res = await fetch(`${this.url}/_control/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`fake Gemini /_control/${path}: HTTP ${res.status}`);
    return res.json();
  }

  failNext(scenario) {
    return this.control('fail-next', { scenario });
  }

  setScenario(scenario) {
    return this.control('scenario', { scenario });
  }

  state() {
    return this.control('state');
  }
}
