// The node side of rtcbin-peer (README.md): the program driven by JSON
// lines, a page with an RTCPeerConnection served on 127.0.0.1, and the
// signalling between them, which the test controls (it can hold either
// direction, e.g. so that both sides offer at the same moment).
//
// Both sides follow the W3C perfect-negotiation pattern: the page in its
// own script, rtcbin through `Call` here. One is polite, the other
// impolite; `call.setRoles()` swaps them.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { log, withTimeout, waitFor, SCALE } from './harness.mjs';

function onLines(stream, fn) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (d) => {
    const lines = (rest + d).split('\n');
    rest = lines.pop();
    lines.filter((l) => l).forEach(fn);
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The program. `cmd()` sends a command and resolves to its reply (rejects
// with its error); `on()` hears events.
export class RtcbinPeer {
  static async start(binary, args = [], name = 'rtcbin') {
    const self = new RtcbinPeer();
    const wrapper = (process.env.RTC_PEER_WRAPPER || '').split(/\s+/).filter((w) => w);
    const argv = [...wrapper, binary, ...args];
    self.name = name;
    self.nextId = 1;
    self.pending = new Map();
    self.listeners = [];
    self.events = [];
    self.stderr = [];
    self.states = {};
    self.proc = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    self.exited = new Promise((resolve) => self.proc.on('exit', (code, sig) => {
      for (const { reject } of self.pending.values())
        reject(new Error(`${name} exited (${code ?? sig})`));
      self.pending.clear();
      resolve({ code, sig });
    }));
    onLines(self.proc.stderr, (line) => {
      self.stderr.push(line);
      log(`${name} stderr: ${line}`);
    });
    const ready = new Promise((resolve) => self.listeners.push((ev) => ev.event === 'ready' && resolve()));
    onLines(self.proc.stdout, (line) => self.#line(line));
    await withTimeout(Promise.race([ready, self.exited.then((s) => {
      throw new Error(`${name} exited before it was ready (${JSON.stringify(s)})`);
    })]), 20000, `${name} start`);
    return self;
  }

  #line(line) {
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      log(`${this.name}: not JSON: ${line}`);
      return;
    }
    if ('reply' in msg) {
      const p = this.pending.get(msg.reply);
      if (!p)
        return;
      this.pending.delete(msg.reply);
      if (msg.error)
        p.reject(new Error(`${this.name} ${p.name}: ${msg.error}`));
      else
        p.resolve(msg);
      return;
    }
    if (msg.event === 'state')
      this.states[msg.name] = msg.value;
    if (msg.event !== 'candidate')
      log(`${this.name}: ${msg.event}${msg.name ? ` ${msg.name}=${msg.value}` : ''}` +
        `${msg.pad ? ` ${msg.pad} ${msg.kind || ''} ${msg.encoding || ''}` : ''}` +
        `${msg.message ? `: ${msg.message}` : ''}${msg.error ? ` (${msg.error})` : ''}`);
    this.events.push(msg);
    for (const fn of [...this.listeners])
      fn(msg);
  }

  on(fn) {
    this.listeners.push(fn);
  }

  cmd(name, fields = {}, ms = 10000) {
    const id = this.nextId++;
    const p = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject, name }));
    this.proc.stdin.write(JSON.stringify({ cmd: name, id, ...fields }) + '\n');
    return withTimeout(p, ms, `${this.name} ${name}`);
  }

  // rtcbin's get-stats as an array of entries.
  async stats(pad) {
    const r = await this.cmd('get-stats', pad ? { pad } : {});
    return Object.values(r.stats).filter((v) => v && typeof v === 'object' && v.type);
  }

  async stop() {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null)
      return this.exited;
    try {
      await this.cmd('quit', {}, 5000);
      return await withTimeout(this.exited, 10000, `${this.name} exit`);
    } catch (e) {
      log(`${e.message}: killing ${this.name}`);
      this.proc.kill('SIGKILL');
      return this.exited;
    }
  }
}

// The page: one RTCPeerConnection (window.pc), the fake camera and
// microphone, the W3C perfect-negotiation pattern, and a <video> per
// received track so that chromium decodes it. Messages to node go through
// window.toNode (exposeFunction); node calls window.receive(msg).
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>rtcbin-peer</title></head>
<body><script>
window.errors = [];
window.stats = { ignoredOffers: 0, rollbacks: 0, offers: 0, answers: 0 };
let makingOffer = false, ignoreOffer = false, answerPending = false;
const heldCandidates = [];

window.setup = async ({ polite, video = true, audio = true }) => {
  window.polite = polite;
  window.cam = await navigator.mediaDevices.getUserMedia({
    video: video && { width: 640, height: 480, frameRate: 30 }, audio });
  const pc = window.pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  window.tracksAdded = false;
  // Also called by tests to offer at a moment of their choosing.
  window.offerNow = pc.onnegotiationneeded = async () => {
    try {
      makingOffer = true;
      await pc.setLocalDescription();
      window.stats.offers++;
      await window.toNode({ description: pc.localDescription.toJSON() });
    } catch (e) {
      window.errors.push('negotiationneeded: ' + e);
    } finally {
      makingOffer = false;
    }
  };
  pc.onicecandidate = ({ candidate }) => {
    window.toNode({ candidate: candidate ? candidate.toJSON() : null });
  };
  pc.ontrack = ({ track, transceiver }) => {
    const v = document.createElement(track.kind === 'video' ? 'video' : 'audio');
    v.autoplay = true;
    v.muted = true;
    v.srcObject = new MediaStream([track]);
    v.dataset.mid = transceiver.mid;
    document.body.appendChild(v);
  };
};

// The first offer (rtcbin's) gets the camera and microphone: addTrack
// takes the transceivers it made.
function addTracks() {
  if (window.tracksAdded)
    return;
  window.tracksAdded = true;
  for (const t of window.cam.getTracks())
    window.pc.addTrack(t, window.cam);
}

window.receive = async ({ description, candidate }) => {
  const pc = window.pc;
  try {
    if (description) {
      const readyForOffer = !makingOffer &&
        (pc.signalingState === 'stable' || answerPending);
      const collision = description.type === 'offer' && !readyForOffer;
      ignoreOffer = !window.polite && collision;
      if (ignoreOffer) {
        window.stats.ignoredOffers++;
        return;
      }
      if (collision)
        window.stats.rollbacks++;
      answerPending = description.type === 'answer';
      await pc.setRemoteDescription(description);
      answerPending = false;
      if (description.type === 'offer') {
        addTracks();
        await pc.setLocalDescription();
        window.stats.answers++;
        await window.toNode({ description: pc.localDescription.toJSON() });
      }
      while (heldCandidates.length)
        await window.receive({ candidate: heldCandidates.shift() });
    } else if (candidate) {
      if (!pc.remoteDescription) {
        heldCandidates.push(candidate);
        return;
      }
      try {
        await pc.addIceCandidate(candidate);
      } catch (e) {
        // An empty candidate (end of candidates) may be refused; one of
        // an ignored offer is expected to be.
        if (!ignoreOffer && candidate.candidate)
          throw e;
      }
    }
  } catch (e) {
    window.errors.push('receive: ' + e);
  }
};
</script></body></html>`;

// Serves PAGE on 127.0.0.1 (a secure context for getUserMedia).
export async function pageServer() {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(PAGE);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

// One call between the page and the program. Messages each way go through
// a queue of their own, in order; `holdPage()`/`holdPeer()` keep one
// direction's messages until `release()`.
export class Call {
  constructor(page, peer, { rtcPolite = false, implicit = false } = {}) {
    this.page = page;
    this.peer = peer;
    this.rtcPolite = rtcPolite;
    // rtcbin answers with set-local-description without a description.
    this.implicit = implicit;
    this.errors = [];
    this.stats = { ignoredOffers: 0, rollbacks: 0, offers: 0, answers: 0 };
    this.rtcChain = Promise.resolve();
    this.toPageChain = Promise.resolve();
    this.heldToPage = null;
    this.heldToPeer = null;
    this.candidatesHeld = null;
    this.offerOptions = null;
    this.ignoreOffer = false;
    // Every description each side sent, in order.
    this.sent = { page: [], rtcbin: [] };
    peer.on((ev) => {
      if (ev.event === 'candidate')
        this.#peerCandidate({ candidate: ev.candidate, sdpMLineIndex: ev.mline });
      else if (ev.event === 'negotiation-needed')
        this.#rtc(() => this.#rtcOffer());
    });
  }

  static async start(page, peer, opts = {}) {
    const call = new Call(page, peer, opts);
    await page.exposeFunction('toNode', (msg) => call.#fromPage(msg));
    await page.evaluate((polite) => window.setup({ polite }), !call.rtcPolite);
    return call;
  }

  setRoles(rtcPolite) {
    this.rtcPolite = rtcPolite;
    return this.page.evaluate((p) => { window.polite = p; }, !rtcPolite);
  }

  // Runs `fn` on rtcbin's side, one operation at a time, in order.
  #rtc(fn) {
    const p = this.rtcChain.then(fn);
    this.rtcChain = p.catch((e) => {
      log(`rtcbin side: ${e.message}`);
      this.errors.push(e.message);
    });
    return p;
  }

  #toPage(msg) {
    if (this.heldToPage) {
      this.heldToPage.push(msg);
      return;
    }
    if (msg.description) {
      this.sent.rtcbin.push(msg.description);
      if (process.env.RTC_PEER_VERBOSE)
        log(`rtcbin -> page ${msg.description.type}:\n${msg.description.sdp}`);
    }
    this.toPageChain = this.toPageChain
      .then(() => this.page.evaluate((m) => window.receive(m), msg))
      .catch((e) => this.errors.push(`to page: ${e.message}`));
  }

  #peerCandidate(candidate) {
    if (this.candidatesHeld)
      this.candidatesHeld.push(candidate);
    else
      this.#toPage({ candidate });
  }

  #fromPage(msg) {
    if (this.heldToPeer) {
      this.heldToPeer.push(msg);
      return;
    }
    if (msg.description) {
      this.sent.page.push(msg.description);
      if (process.env.RTC_PEER_VERBOSE)
        log(`page -> rtcbin ${msg.description.type}:\n${msg.description.sdp}`);
    }
    this.#rtc(() => this.#pageMessage(msg));
  }

  // The page's messages wait until release().
  holdPage() {
    this.heldToPeer = [];
  }

  // rtcbin's messages wait until release().
  holdPeer() {
    this.heldToPage = [];
  }

  release() {
    const [toPeer, toPage] = [this.heldToPeer || [], this.heldToPage || []];
    this.heldToPeer = this.heldToPage = null;
    toPage.forEach((m) => this.#toPage(m));
    toPeer.forEach((m) => this.#fromPage(m));
  }

  // Messages held so far, page's and rtcbin's.
  held() {
    return { page: this.heldToPeer || [], rtcbin: this.heldToPage || [] };
  }

  async #signalingState() {
    return (await this.peer.cmd('state'))['signaling-state'];
  }

  // rtcbin's local description is set, then sent: its candidates wait
  // for it so that they never reach the page before their credentials.
  async #rtcSetLocal(desc) {
    this.candidatesHeld = [];
    try {
      const r = await this.peer.cmd('set-local', desc || {});
      this.#toPage({ description: { type: r.type, sdp: r.sdp } });
      return r;
    } finally {
      const held = this.candidatesHeld;
      this.candidatesHeld = null;
      held.forEach((c) => this.#toPage({ candidate: c }));
    }
  }

  async #rtcOffer() {
    if (await this.#signalingState() !== 'stable')
      return; // rtcbin says it again once stable, if still needed
    const opts = this.offerOptions || {};
    this.offerOptions = null;
    const offer = await this.peer.cmd('create-offer', opts);
    this.stats.offers++;
    await this.#rtcSetLocal(offer);
  }

  async #rtcAnswer() {
    if (this.implicit) {
      await this.#rtcSetLocal(null);
    } else {
      const answer = await this.peer.cmd('create-answer');
      await this.#rtcSetLocal(answer);
    }
    this.stats.answers++;
  }

  async #pageMessage({ description, candidate }) {
    if (description) {
      const collision = description.type === 'offer' &&
        await this.#signalingState() !== 'stable';
      this.ignoreOffer = !this.rtcPolite && collision;
      if (this.ignoreOffer) {
        this.stats.ignoredOffers++;
        log('rtcbin (impolite) ignores the page\'s colliding offer');
        return;
      }
      if (collision) {
        this.stats.rollbacks++;
        log('rtcbin (polite) takes the page\'s colliding offer: implicit rollback');
      }
      await this.peer.cmd('set-remote', description);
      if (description.type === 'offer')
        await this.#rtcAnswer();
    } else {
      // null: the page's end of candidates.
      const c = candidate || { candidate: '', sdpMLineIndex: 0 };
      try {
        await this.peer.cmd('add-candidate', { candidate: c.candidate || '', mline: c.sdpMLineIndex ?? 0 });
      } catch (e) {
        if (!this.ignoreOffer)
          throw e;
      }
    }
  }

  // rtcbin offers now (not waiting for on-negotiation-needed), e.g. with
  // { 'ice-restart': true }.
  rtcOffer(opts = {}) {
    return this.#rtc(async () => {
      this.offerOptions = opts;
      await this.#rtcOffer();
    });
  }

  // Waits until both sides are stable, nothing is on its way and nothing
  // happened for `quiet` ms.
  async settled(ms = 10000, quiet = 300) {
    let last = '';
    let since = Date.now();
    const what = () => `both sides stable (page, rtcbin, descriptions sent: ${last}; ` +
      `errors: ${this.errors})`;
    await waitFor(async () => {
      await this.rtcChain;
      await this.toPageChain;
      const [pageState, rtcState] = await Promise.all([
        this.page.evaluate(() => window.pc.signalingState),
        this.#signalingState(),
      ]);
      const now = `${pageState} ${rtcState} ${this.sent.page.length} ${this.sent.rtcbin.length}`;
      if (now !== last) {
        last = now;
        since = Date.now();
      }
      const errors = await this.pageErrors();
      if (errors.length)
        throw new Error(`page errors: ${errors}`);
      return pageState === 'stable' && rtcState === 'stable' && Date.now() - since >= quiet;
    }, ms, { toString: what }, 50);
  }

  async pageErrors() {
    return this.page.evaluate(() => window.errors);
  }
}

// The page's inbound-rtp entries by mid.
export async function pageInbound(page) {
  return page.evaluate(async () => {
    const out = {};
    for (const s of (await window.pc.getStats()).values())
      if (s.type === 'inbound-rtp')
        out[s.mid] = s;
    return out;
  });
}

// The page's transceivers: mid, direction, currentDirection, kind.
export async function pageTransceivers(page) {
  return page.evaluate(() => window.pc.getTransceivers().map((t) => ({
    mid: t.mid, direction: t.direction, currentDirection: t.currentDirection,
    kind: t.receiver.track.kind, stopped: t.currentDirection === 'stopped',
  })));
}

// m-line index of `mid` in an SDP text, -1 if absent.
export function mlineOf(sdp, mid) {
  const sections = sdp.split(/\r?\n(?=m=)/).slice(1);
  return sections.findIndex((s) => new RegExp(`^a=mid:${mid}\\r?$`, 'm').test(s));
}

// Port of the m-line at `index` in an SDP text.
export function portOf(sdp, index) {
  const m = sdp.split(/\r?\n(?=m=)/).slice(1)[index];
  return m ? Number(m.split(' ')[1]) : -1;
}

export function scaled(ms) {
  return ms * SCALE;
}

// Runs `fn({ browser, page, peer, call })` in a call where rtcbin offered
// VP8 video and Opus audio and the page answered with its camera and
// microphone, once media is decoded both ways. Everything is stopped
// however fn ends; the peer's stderr and the page's errors are checked
// by the caller (call.errors, peer.stderr).
export async function withCall(binary, fn, opts = {}) {
  const { withBrowser } = await import('./harness.mjs');
  const { check } = await import('./harness.mjs');
  const server = await pageServer();
  const peer = await RtcbinPeer.start(binary, opts.peerArgs || []);
  let result, status;
  try {
    result = await withBrowser(async (browser) => {
      const page = await browser.open(server.url, 'page');
      const call = await Call.start(page, peer, opts);
      const t0 = performance.now();
      const video = await peer.cmd('add-media', { kind: 'video' });
      const audio = await peer.cmd('add-media', { kind: 'audio' });
      await waitFor(() => page.evaluate(() => window.pc.connectionState === 'connected'),
        20000, 'the page connected');
      await waitFor(() => peer.states['connection-state'] === 'connected', 10000,
        'rtcbin connected');
      log(`connected in ${(performance.now() - t0).toFixed(0)} ms`);
      await call.settled();
      const ctx = { browser, page, peer, call, server, sinks: { video: video.pad, audio: audio.pad } };
      // Media both ways before the test proper.
      await waitFor(async () => {
        const inb = await pageInbound(page);
        const c = await peer.cmd('counts');
        return Object.values(inb).some((s) => s.kind === 'video' && s.framesDecoded > 10) &&
          Object.values(c.recv).some((r) => r.kind === 'video' && r.frames > 10);
      }, 15000, 'video decoded both ways');
      return await fn(ctx);
    });
  } finally {
    status = await peer.stop();
    server.close();
  }
  // Under RTC_PEER_WRAPPER="valgrind --error-exitcode=1 ..." this is
  // memcheck's verdict.
  check(status.code === 0, `rtcbin-peer exited cleanly (${JSON.stringify(status)})`);
  return result;
}

// Frames decoded on each side for a while: { page: {mid: frames}, rtcbin:
// {pad: frames} } as differences over `ms`.
export async function framesOver(ctx, ms = 1000) {
  const snap = async () => {
    const [inb, c] = await Promise.all([pageInbound(ctx.page), ctx.peer.cmd('counts')]);
    const page = {}, rtcbin = {};
    for (const [mid, s] of Object.entries(inb))
      page[mid] = s.kind === 'video' ? s.framesDecoded : s.packetsReceived;
    for (const [pad, r] of Object.entries(c.recv))
      rtcbin[pad] = r.kind === 'video' ? r.frames : r.packets;
    return { page, rtcbin };
  };
  const a = await snap();
  await sleep(ms);
  const b = await snap();
  // A stream whose stats went away (not received any more) counts 0.
  const diff = (x, y) => Object.fromEntries([...new Set([...Object.keys(x), ...Object.keys(y)])]
    .map((k) => [k, k in y ? y[k] - (x[k] || 0) : 0]));
  return { page: diff(a.page, b.page), rtcbin: diff(a.rtcbin, b.rtcbin) };
}
