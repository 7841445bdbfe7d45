// Data channels between headless chromium and rtcbin, no signalling
// server: this script carries descriptions and candidates between the
// page's RTCPeerConnection and rtc-data-peer (tests/check/interop), an
// rtcbin driven by JSON lines.
//
//   node test-rtcbin-data.mjs RTC_DATA_PEER offer|answer [audio]
//
// offer: the browser offers; answer: rtcbin offers. With `audio`, the page
// sends its fake microphone and rtcbin Opus beside the channels.
//
// Channels: in-band ones opened by each side, a negotiated pair (id 10),
// rtcbin's unordered one with max-retransmits 0 and the browser's
// unordered one with maxPacketLifeTime 500. rtcbin sends strings and
// binaries of 0 B, 1 KiB, 16 KiB, 64 KiB and 256 KiB on each reliable
// channel; the page checks their SHA-1 and echoes them; rtcbin checks the
// echo. The page sends the same sizes itself, checked at rtcbin. Contents
// are datapeer.h's pattern, computed here too.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { withBrowser, withTimeout, check, log, SCALE } from './harness.mjs';

const [peerBinary, role, extra] = process.argv.slice(2);
if (!peerBinary || !['offer', 'answer'].includes(role)) {
  console.error('usage: test-rtcbin-data.mjs RTC_DATA_PEER offer|answer [audio]');
  process.exit(2);
}
const audio = extra === 'audio';
const SIZES = [0, 1024, 16 * 1024, 64 * 1024, 256 * 1024];

// datapeer.h's pattern.
function pattern(kind, size, seed) {
  if (kind === 'string') {
    let s = '';
    for (let j = 0; j < size; j++)
      s += String.fromCharCode(97 + (j * 7 + seed) % 26);
    return Buffer.from(s, 'latin1');
  }
  const b = Buffer.alloc(size);
  for (let j = 0; j < size; j++)
    b[j] = (j * 31 + seed * 7) & 0xff;
  return b;
}
const sha1 = (buf) => createHash('sha1').update(buf).digest('hex');

// Events from one side, waited for by predicate; the ones nobody took
// yet stay queued.
class Events {
  constructor(name) {
    this.name = name;
    this.queue = [];
    this.waiters = [];
  }

  push(ev) {
    this.queue.push(ev);
    for (const w of [...this.waiters])
      w();
  }

  wait(pred, ms, what) {
    return this.waitOnly(pred, ms, what).catch(async (e) => {
      // What both ends say of their channels, for the failure's log.
      const diagnose = Events.diagnose;
      Events.diagnose = null;
      if (diagnose)
        await diagnose().catch((d) => log(`diagnosis failed: ${d.message}`));
      throw e;
    });
  }

  waitOnly(pred, ms, what) {
    return withTimeout(new Promise((resolve) => {
      const tryTake = () => {
        const i = this.queue.findIndex(pred);
        if (i < 0)
          return false;
        const [ev] = this.queue.splice(i, 1);
        this.waiters = this.waiters.filter((w) => w !== tryTake);
        resolve(ev);
        return true;
      };
      if (!tryTake())
        this.waiters.push(tryTake);
    }), ms, `${this.name}: ${what}`);
  }
}

// ---- rtcbin, through rtc-data-peer ----

const peerEvents = new Events('rtcbin');
const peerArgs = ['--no-echo', ...(audio ? ['--audio'] : [])];
const peer = spawn(peerBinary, peerArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
const peerExit = new Promise((resolve) => peer.on('exit', (code, sig) => resolve({ code, sig })));
const peerStderr = [];
let onPeerCandidate = null;
{
  let rest = '';
  peer.stdout.setEncoding('utf8');
  peer.stdout.on('data', (d) => {
    const lines = (rest + d).split('\n');
    rest = lines.pop();
    for (const line of lines.filter((l) => l)) {
      const ev = JSON.parse(line);
      if (ev.event === 'candidate') {
        onPeerCandidate(ev);
        continue;
      }
      if (ev.event !== 'message' && ev.event !== 'done')
        log(`rtcbin: ${line.slice(0, 200)}`);
      peerEvents.push(ev);
    }
  });
  peer.stderr.setEncoding('utf8');
  peer.stderr.on('data', (d) => {
    for (const l of d.split('\n').filter((x) => x)) {
      peerStderr.push(l);
      log(`rtcbin stderr: ${l}`);
    }
  });
}
const send = (cmd) => peer.stdin.write(JSON.stringify(cmd) + '\n');

// ---- the page, served from 127.0.0.1 (a secure context) ----

const http = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<!doctype html><title>data channels</title>');
});
await new Promise((r) => http.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${http.address().port}/`;

// Runs in the page: a peer connection whose channels report every event
// and echo every message.
function pageSetup() {
  const pc = new RTCPeerConnection();
  window.pc = pc;
  window.chans = {};
  const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
  const watch = (ch) => {
    window.chans[ch.label] = ch;
    ch.binaryType = 'arraybuffer';
    ch.onopen = () => window.rtcEvent({ event: 'open', label: ch.label, id: ch.id });
    ch.onclose = () => window.rtcEvent({ event: 'close', label: ch.label });
    ch.onerror = (e) => window.rtcEvent({ event: 'error', label: ch.label, message: String(e.error) });
    ch.onmessage = async (e) => {
      const isString = typeof e.data === 'string';
      const bytes = isString ? new TextEncoder().encode(e.data) : e.data;
      try {
        const digest = hex(await crypto.subtle.digest('SHA-1', bytes));
        ch.send(e.data);
        window.rtcEvent({ event: 'message', label: ch.label, kind: isString ? 'string' : 'binary',
          size: bytes.byteLength, sha1: digest });
      } catch (err) {
        window.rtcEvent({ event: 'error', label: ch.label,
          message: `echo of ${bytes.byteLength} bytes: ${err.name}: ${err.message}` });
      }
    };
  };
  window.watch = watch;
  pc.ondatachannel = (e) => {
    window.rtcEvent({ event: 'data-channel', label: e.channel.label, id: e.channel.id,
      ordered: e.channel.ordered, maxRetransmits: e.channel.maxRetransmits,
      maxPacketLifeTime: e.channel.maxPacketLifeTime });
    watch(e.channel);
    if (e.channel.readyState === 'open')
      window.rtcEvent({ event: 'open', label: e.channel.label, id: e.channel.id });
  };
  pc.onicecandidate = (e) => {
    if (e.candidate && e.candidate.candidate)
      window.rtcEvent({ event: 'candidate', candidate: e.candidate.candidate,
        mline: e.candidate.sdpMLineIndex });
  };
}

const pageEvents = new Events('page');
let status = 'failed';
try {
  await withBrowser(async (browser) => {
    const page = await browser.context.newPage();
    page.on('console', (m) => log(`page: ${m.text()}`));
    page.on('pageerror', (e) => log(`page: page error: ${e.message}`));
    await page.exposeFunction('rtcEvent', (ev) => {
      if (ev.event === 'candidate') {
        // Only UDP on loopback goes to rtcbin.
        if (/ udp /i.test(ev.candidate) && / 127\.0\.0\.1 /.test(ev.candidate))
          send({ cmd: 'candidate', mline: ev.mline, candidate: ev.candidate });
        return;
      }
      if (ev.event !== 'message')
        log(`page: ${JSON.stringify(ev)}`);
      pageEvents.push(ev);
    });
    await withTimeout(page.goto(url), 10000, 'load the page');
    await page.evaluate(pageSetup);
    let remoteSet = false;
    const pending = [];
    const addToPage = (ev) => page.evaluate((c) => window.pc.addIceCandidate(
      { candidate: c.candidate, sdpMLineIndex: c.mline }), ev).catch((e) => log(`addIceCandidate: ${e.message}`));
    onPeerCandidate = (ev) => (remoteSet ? addToPage(ev) : pending.push(ev));
    const remoteIsSet = async () => {
      remoteSet = true;
      for (const ev of pending.splice(0))
        await addToPage(ev);
    };
    const peerCommand = async (cmd) => {
      send(cmd);
      const done = await peerEvents.wait((e) => (e.event === 'done' || e.event === 'failed') && e.cmd === cmd.cmd,
        10000, `${cmd.cmd} done`);
      check(done.event === 'done', `rtcbin: ${cmd.cmd} ${cmd.label || ''} (${done.message || 'ok'})`);
    };

    Events.diagnose = async () => {
      const labels = await page.evaluate(() => Object.keys(window.chans));
      for (const label of labels) {
        send({ cmd: 'query', label });
        const st = await peerEvents.waitOnly((e) => e.event === 'state' && e.label === label, 5000, `${label} state`);
        log(`diagnosis: rtcbin ${label}: ready-state ${st['ready-state']}, buffered-amount ${st['buffered-amount']}`);
      }
      const stats = await page.evaluate(async () => [...(await window.pc.getStats()).values()]
        .filter((s) => ['data-channel', 'transport', 'candidate-pair'].includes(s.type)));
      for (const s of stats)
        log(`diagnosis: chromium ${JSON.stringify(s)}`);
      const chans = await page.evaluate(() => Object.values(window.chans).map((c) =>
        ({ label: c.label, readyState: c.readyState, bufferedAmount: c.bufferedAmount })));
      log(`diagnosis: chromium channels ${JSON.stringify(chans)}`);
    };
    await peerEvents.wait((e) => e.event === 'ready', 20000, 'ready');
    if (audio) {
      await page.evaluate(async () => {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
        for (const t of stream.getTracks())
          window.pc.addTrack(t, stream);
      });
    }

    // Channels made before negotiation on both sides.
    await peerCommand({ cmd: 'create-channel', label: 'r-inband' });
    await peerCommand({ cmd: 'create-channel', label: 'neg', negotiated: true, id: 10 });
    await peerCommand({ cmd: 'create-channel', label: 'r-unordered', ordered: false, 'max-retransmits': 0 });
    await page.evaluate(() => {
      window.watch(window.pc.createDataChannel('b-inband'));
      window.watch(window.pc.createDataChannel('neg', { negotiated: true, id: 10 }));
      window.watch(window.pc.createDataChannel('b-lifetime', { ordered: false, maxPacketLifeTime: 500 }));
    });

    const t0 = performance.now();
    if (role === 'offer') {
      const offer = await page.evaluate(async () => {
        const o = await window.pc.createOffer();
        await window.pc.setLocalDescription(o);
        return o.sdp;
      });
      send({ cmd: 'set-remote', type: 'offer', sdp: offer });
      const answer = await peerEvents.wait((e) => e.event === 'answer', 10000, 'answer');
      check(/a=max-message-size:262144/.test(answer.sdp), 'rtcbin answers a=max-message-size:262144');
      await page.evaluate((sdp) => window.pc.setRemoteDescription({ type: 'answer', sdp }), answer.sdp);
    } else {
      send({ cmd: 'create-offer' });
      const offer = await peerEvents.wait((e) => e.event === 'offer', 10000, 'offer');
      check(/m=application \d+ UDP\/DTLS\/SCTP webrtc-datachannel/.test(offer.sdp) &&
            /a=max-message-size:262144/.test(offer.sdp), 'rtcbin offers a data section with its max-message-size');
      const answer = await page.evaluate(async (sdp) => {
        await window.pc.setRemoteDescription({ type: 'offer', sdp });
        const a = await window.pc.createAnswer();
        await window.pc.setLocalDescription(a);
        return a.sdp;
      }, offer.sdp);
      send({ cmd: 'set-remote', type: 'answer', sdp: answer });
    }
    await remoteIsSet();

    // Every channel opens at both ends.
    for (const label of ['r-inband', 'neg', 'r-unordered', 'b-inband', 'b-lifetime'])
      await pageEvents.wait((e) => e.event === 'open' && e.label === label, 20000, `${label} open`);
    const opened = performance.now();
    for (const label of ['r-inband', 'neg', 'r-unordered', 'b-inband', 'b-lifetime'])
      await peerEvents.wait((e) => e.event === 'open' && e.label === label, 10000, `${label} open`);
    log(`all channels open at the page ${(opened - t0).toFixed(0)} ms after the offer was made`);
    const announcedR = await pageEvents.wait((e) => e.event === 'data-channel' && e.label === 'r-unordered', 1000, 'r-unordered announced');
    check(announcedR.ordered === false && announcedR.maxRetransmits === 0,
      `chromium sees rtcbin's unordered max-retransmits 0 channel (${JSON.stringify(announcedR)})`);
    const announcedB = await peerEvents.wait((e) => e.event === 'data-channel' && e.label === 'b-lifetime', 1000, 'b-lifetime announced');
    check(announcedB.ordered === false && announcedB['max-packet-lifetime'] === 500,
      `rtcbin sees chromium's unordered lifetime 500 channel (${JSON.stringify(announcedB)})`);
    const rId = (await peerEvents.wait((e) => e.event === 'data-channel' && e.label === 'b-inband', 1000, 'b-inband announced')).id;
    const ids = await page.evaluate(() => [window.chans['r-inband'].id, window.chans['b-inband'].id]);
    check(ids[0] % 2 !== ids[1] % 2 && rId === ids[1], `ids follow the DTLS roles (rtcbin's ${ids[0]}, chromium's ${ids[1]})`);

    // rtcbin sends, the page checks and echoes, rtcbin checks the echo.
    let seed = 1;
    for (const label of ['r-inband', 'b-inband', 'neg']) {
      for (const size of SIZES) {
        for (const kind of ['string', 'binary']) {
          const want = sha1(pattern(kind, size, seed));
          send({ cmd: 'send', label, kind, size, seed });
          const atPage = await pageEvents.wait((e) => e.event === 'message' && e.label === label, 10000,
            `${label}: ${kind} of ${size} bytes`);
          check(atPage.kind === kind && atPage.size === size && atPage.sha1 === want,
            `${label}: chromium got rtcbin's ${kind} of ${size} bytes intact`);
          const echo = await peerEvents.wait((e) => e.event === 'message' && e.label === label, 10000,
            `${label}: echo of ${kind} of ${size} bytes`);
          check(echo.kind === kind && echo.size === size && echo.sha1 === want,
            `${label}: rtcbin got chromium's echo of ${size} bytes intact`);
          seed++;
        }
      }
    }

    // The page sends on its own channel; rtcbin checks.
    for (const size of SIZES) {
      for (const kind of ['string', 'binary']) {
        const buf = pattern(kind, size, seed);
        await page.evaluate(({ kind, data }) => {
          const bytes = new Uint8Array(data);
          window.chans['b-inband'].send(kind === 'string' ? new TextDecoder('latin1').decode(bytes) : bytes);
        }, { kind, data: [...buf] });
        const got = await peerEvents.wait((e) => e.event === 'message' && e.label === 'b-inband', 10000,
          `b-inband: chromium's ${kind} of ${size} bytes`);
        check(got.kind === kind && got.size === size && got.sha1 === sha1(buf),
          `b-inband: rtcbin got chromium's ${kind} of ${size} bytes intact`);
        seed++;
      }
    }
    // Over rtcbin's max-message-size: chromium refuses to send it.
    const refused = await page.evaluate(() => {
      try {
        window.chans['b-inband'].send(new Uint8Array(256 * 1024 + 1));
        return 'sent';
      } catch (e) {
        return e.name;
      }
    });
    check(refused === 'TypeError', `chromium refuses a message over rtcbin's 256 KiB (${refused})`);

    // Unordered, partially reliable: every message arrives on loopback.
    for (const label of ['r-unordered', 'b-lifetime']) {
      const want = new Set();
      for (let i = 0; i < 40; i++) {
        want.add(sha1(pattern('binary', 1000 + i, i)));
        send({ cmd: 'send', label, kind: 'binary', size: 1000 + i, seed: i });
      }
      const atPage = new Set(), back = new Set();
      for (let i = 0; i < 40; i++)
        atPage.add((await pageEvents.wait((e) => e.event === 'message' && e.label === label, 10000, `${label} message ${i}`)).sha1);
      for (let i = 0; i < 40; i++)
        back.add((await peerEvents.wait((e) => e.event === 'message' && e.label === label, 10000, `${label} echo ${i}`)).sha1);
      check([...want].every((h) => atPage.has(h) && back.has(h)), `${label}: all 40 messages arrived both ways, intact`);
    }

    if (audio) {
      const stats = await page.evaluate(async () => [...(await window.pc.getStats()).values()]);
      const inbound = stats.find((s) => s.type === 'inbound-rtp' && s.kind === 'audio');
      check(inbound && inbound.packetsReceived > 0, `chromium receives rtcbin's Opus (${inbound?.packetsReceived} packets)`);
      send({ cmd: 'media' });
      const media = await peerEvents.wait((e) => e.event === 'media', 5000, 'media count');
      check(media.buffers > 0, `rtcbin receives chromium's audio (${media.buffers} buffers)`);
    }

    // Closing from either side is seen at the other.
    await peerCommand({ cmd: 'close', label: 'r-inband' });
    await pageEvents.wait((e) => e.event === 'close' && e.label === 'r-inband', 10000, 'r-inband closed');
    await page.evaluate(() => window.chans['b-inband'].close());
    await peerEvents.wait((e) => e.event === 'close' && e.label === 'b-inband', 10000, 'b-inband closed');
    check(true, 'a channel closed by either side closes at the other');
    status = 'ok';
  });
} finally {
  send({ cmd: 'quit' });
  peer.stdin.end();
  const exit = await withTimeout(peerExit, 10000, 'rtcbin peer exit').catch(() => {
    peer.kill('SIGKILL');
    return { code: -1 };
  });
  http.close();
  log(`rtcbin peer exited: ${JSON.stringify(exit)}`);
  if (status === 'ok') {
    check(exit.code === 0, 'the rtcbin peer exited cleanly');
    check(!peerStderr.some((l) => /CRITICAL|WARN|ERROR/.test(l)), 'the rtcbin peer logged no warning');
  }
}
log(`done (${SCALE > 1 ? `scale ${SCALE}` : 'unscaled'})`);
