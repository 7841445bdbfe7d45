// A small layer over playwright-core for the browser tests: one headless
// chromium with fake media devices, pages opened at URLs, RTCPeerConnection
// statistics, and time bounds on every wait. The browser is always closed,
// whatever the test does, so a failing test leaves no process behind.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.RTC_CHROMIUM || '/usr/bin/chromium';

// Flags for a browser that stays on loopback and needs no one at the screen.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Without it chromium gathers no candidate on 127.0.0.1, which is all a
  // loopback-only namespace has.
  '--allow-loopback-in-peer-connection',
  // getUserMedia answers at once, with a test pattern and a beep.
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];

// Scales every time bound, like the C tests' RTC_TEST_TIMEOUT_SCALE.
export const SCALE = Number(process.env.RTC_TEST_TIMEOUT_SCALE || '1') || 1;

export function log(...args) {
  console.log(`[${(performance.now() / 1000).toFixed(2)}s]`, ...args);
}

// Rejects with `what` when `promise` does not settle within `ms` (scaled).
export function withTimeout(promise, ms, what) {
  let timer;
  const bound = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms * SCALE} ms: ${what}`)),
      ms * SCALE);
  });
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}

// Polls `fn` (async, returns a truthy value when done) every `interval` ms
// until it succeeds or `ms` have passed; returns its last value.
export async function waitFor(fn, ms, what, interval = 100) {
  const deadline = Date.now() + ms * SCALE;
  let last;
  for (;;) {
    last = await fn();
    if (last)
      return last;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${ms * SCALE} ms: ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

// Waits until `get()` (a number) grows by `n` within `ms` (scaled);
// returns how much it grew.
export async function grows(get, n, ms, what) {
  const start = await get();
  const end = await waitFor(async () => {
    const v = await get();
    return v - start >= n && v;
  }, ms, what);
  return end - start;
}

export class Browser {
  static async launch(extraArgs = []) {
    const self = new Browser();
    self.browser = await withTimeout(chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS, ...extraArgs],
      timeout: 30000 * SCALE,
    }), 40000, 'chromium launch');
    self.context = await self.browser.newContext();
    log(`chromium ${self.browser.version()} started`);
    return self;
  }

  // Opens `url` in a new page; the page's console goes to our log with
  // `name` in front, so a failing test shows what the page saw.
  async open(url, name = 'page') {
    const page = await this.context.newPage();
    page.on('console', (m) => log(`${name}: ${m.text()}`));
    page.on('pageerror', (e) => log(`${name}: page error: ${e.message}`));
    page.name = name;
    await withTimeout(page.goto(url), 10000, `load ${url}`);
    return page;
  }

  async close() {
    if (!this.browser)
      return;
    const b = this.browser;
    this.browser = null;
    // close() can hang if the browser is wedged: kill it then.
    try {
      await withTimeout(b.close(), 5000, 'chromium close');
    } catch (e) {
      log(`${e.message}; killing chromium`);
      b.process?.()?.kill('SIGKILL');
    }
  }
}

// Runs `fn(browser)` with a fresh browser, and closes it however fn ends.
export async function withBrowser(fn, extraArgs = []) {
  const browser = await Browser.launch(extraArgs);
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

// Evaluates `fn(arg)` in the page, bounded in time.
export function run(page, fn, arg, ms = 10000) {
  return withTimeout(page.evaluate(fn, arg), ms, `${page.name}: evaluate`);
}

// The page's RTCPeerConnection statistics, as an array of plain objects.
// The page exposes its connection as window.pc (or passes another
// expression through `expr`).
export function getStats(page, expr = 'window.pc') {
  return run(page, async (e) => {
    // eslint-disable-next-line no-eval
    const pc = (0, eval)(e);
    if (!pc)
      return [];
    const report = await pc.getStats();
    return [...report.values()];
  }, expr);
}

// Sums the inbound-rtp counters of one kind ('audio' or 'video').
export function inbound(stats, kind) {
  const sum = { packetsReceived: 0, bytesReceived: 0, framesDecoded: 0, totalSamplesReceived: 0 };
  for (const s of stats) {
    if (s.type !== 'inbound-rtp' || s.kind !== kind)
      continue;
    for (const k of Object.keys(sum))
      sum[k] += s[k] || 0;
  }
  return sum;
}

// Fails the process if `ok` is false.
export function check(ok, what) {
  if (!ok)
    throw new Error(`check failed: ${what}`);
  log(`ok: ${what}`);
}
