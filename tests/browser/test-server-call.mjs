// Two chromium pages call each other through the signalling server of
// examples/webrtc-call: both must decode the other's audio and video. Before
// that, hostile messages are sent through the server, which must drop them,
// relay only the valid ones and keep serving.
//
//   node test-server-call.mjs SERVER_BINARY
//
// RTC_CALL_SERVER_WRAPPER runs the server under a tool, e.g. "valgrind -q".
import http from 'node:http';
import { CallServer } from './server.mjs';
import { withBrowser, run, waitFor, withTimeout, getStats, inbound, check, log } from './harness.mjs';

const binary = process.argv[2] || process.env.RTC_CALL_SERVER;
if (!binary) {
  console.error('usage: test-server-call.mjs SERVER_BINARY');
  process.exit(2);
}
const wrapper = (process.env.RTC_CALL_SERVER_WRAPPER || '').split(/\s+/).filter((w) => w);

// Page JS: two raw WebSockets in one room; the first sends `messages`, the
// second returns what it received once `last` arrived, and whether the
// sender was disconnected after `extra` more invalid messages.
async function hostile({ messages, last, extra }) {
  const url = `ws://${location.host}/ws?room=hostile`;
  const open = (ws) => new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error('websocket error'));
  });
  const a = new WebSocket(url);
  await open(a);
  const b = new WebSocket(url);
  const received = [];
  const done = new Promise((resolve) => {
    b.onmessage = ({ data }) => {
      received.push(data);
      if (data === last)
        resolve();
    };
  });
  await open(b);
  for (const m of messages)
    a.send(m);
  a.send(new Uint8Array([1, 2, 3]));
  a.send(last);
  await done;

  // A third peer is refused: the room is full.
  const c = new WebSocket(url);
  const third = await new Promise((resolve) => { c.onclose = (e) => resolve(e.code); });

  // Enough invalid messages get the sender disconnected.
  const closed = new Promise((resolve) => { a.onclose = (e) => resolve(e.code); });
  for (let i = 0; i < extra; i++)
    a.send('{');
  const code = await closed;
  b.close();
  return { received, code, third };
}

async function hostileMessages(server, browser) {
  const big = `{"type":"offer","sdp":"v=0${'a'.repeat(100 * 1024)}"}`;
  const messages = [
    'not json', '', '{', '[]', 'null', '{"type":"bye"}',
    '{"type":"offer","sdp":"v=0"}{"type":"offer","sdp":"v=0"}',
    '{"type":"offer","sdp":"hello"}', '{"type":"offer","sdp":"v=0","x":1}',
    '{"type":"candidate","candidate":"candidate:1"}',
    '{"type":"candidate","candidate":{"candidate":"candidate:1","sdpMLineIndex":-1}}',
    '['.repeat(60000), big,
  ];
  const last = '{"type":"candidate","candidate":null}';
  const page = await browser.open(`${server.url}?room=lobby`, 'hostile');
  const res = await run(page, hostile, { messages, last, extra: 16 }, 20000);
  log(`hostile: ${JSON.stringify(res).slice(0, 300)}`);
  await page.close();

  check(res.received.length === 2 && JSON.parse(res.received[0]).type === 'peer' &&
        res.received[1] === last,
        'of the hostile messages, only the valid one was relayed');
  // The binary one too.
  const dropped = server.count(/dropped a message/);
  check(dropped >= messages.length + 1, `the server logged ${dropped} dropped messages`);
  check(res.third === 1008, `a third peer was refused (close code ${res.third})`);
  check(res.code === 1008, `the sender of too many invalid messages was disconnected (close code ${res.code})`);
}

// A WebSocket handshake from node, with the headers we choose; resolves to
// the first frame the server sends: { opcode, text, code }.
function rawWebSocket(server, path, headers) {
  const url = new URL(path, server.url);
  return withTimeout(new Promise((resolve, reject) => {
    const req = http.request(url, {
      headers: {
        Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers,
      },
    });
    req.on('upgrade', (res, socket, head) => {
      const frame = (d) => {
        // A server frame is unmasked; ours are small (length < 126).
        const opcode = d[0] & 0x0f, payload = d.subarray(2, 2 + (d[1] & 0x7f));
        resolve({ opcode, text: payload.toString(), code: opcode === 8 ? payload.readUInt16BE(0) : 0 });
        socket.destroy();
      };
      // The frame may have come with the handshake's response.
      if (head.length)
        frame(head);
      else
        socket.once('data', frame);
    });
    req.on('response', (res) => reject(new Error(`no upgrade: HTTP ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  }), 10000, `websocket ${path}`);
}

// Programs (no Origin header) may join; pages of another origin, or a bad
// room name, may not.
async function handshakes(server) {
  const first = rawWebSocket(server, '/ws?room=programs', {});
  // The server greets both once the second one joined.
  await waitFor(() => server.joined('programs') === 1, 10000, 'first program joined');
  const second = await rawWebSocket(server, '/ws?room=programs', {});
  check(JSON.parse((await first).text).type === 'peer' && JSON.parse(second.text).polite === true,
    'two programs without Origin are put in touch');
  const foreign = await rawWebSocket(server, '/ws?room=x', { Origin: 'http://example.invalid' });
  check(foreign.opcode === 8 && foreign.code === 1008, `another origin is refused (${foreign.code})`);
  for (const room of ['', 'a%20b', 'x'.repeat(33), '..%2F'])
    check((await rawWebSocket(server, `/ws?room=${room}`, {})).code === 1008,
      `room name "${room}" is refused`);
}

async function expectMedia(pages, what) {
  const before = [];
  for (const page of pages)
    before.push(await getStats(page));
  // Media flows for a while between the two samples.
  await new Promise((r) => setTimeout(r, 2000));
  for (const [i, page] of pages.entries()) {
    const after = await getStats(page);
    const [v0, v1] = [inbound(before[i], 'video'), inbound(after, 'video')];
    const [a0, a1] = [inbound(before[i], 'audio'), inbound(after, 'audio')];
    log(`${page.name}: video ${JSON.stringify(v1)}, audio ${JSON.stringify(a1)}`);
    check(v1.framesDecoded > v0.framesDecoded && v1.packetsReceived > v0.packetsReceived,
      `${what}: ${page.name} decodes video (${v0.framesDecoded} -> ${v1.framesDecoded} frames)`);
    check(a1.packetsReceived > a0.packetsReceived && a1.totalSamplesReceived > a0.totalSamplesReceived,
      `${what}: ${page.name} receives audio (${a0.packetsReceived} -> ${a1.packetsReceived} packets)`);
  }
}

function connected(page) {
  return run(page, () => window.pc && window.pc.connectionState === 'connected');
}

async function call(server, browser) {
  const url = `${server.url}?room=call`;
  const a = await browser.open(url, 'a');
  const b = await browser.open(url, 'b');
  const t0 = performance.now();
  await waitFor(async () => await connected(a) && await connected(b), 20000, 'both connected');
  log(`connected in ${(performance.now() - t0).toFixed(0)} ms after the second page loaded`);
  await expectMedia([a, b], 'call');

  // The second peer hangs up and another one takes its place: the first
  // peer, still impolite, calls the newcomer.
  await b.close();
  await waitFor(() => run(a, () => !window.call.peer && !window.pc), 10000, 'a sees b leave');
  const c = await browser.open(url, 'c');
  await waitFor(async () => await connected(a) && await connected(c), 20000, 'a and c connected');
  await expectMedia([a, c], 'second call');

  for (const page of [a, c]) {
    const errors = await run(page, () => window.call.errors);
    check(errors.length === 0, `${page.name}: no error in the page (${errors})`);
  }
}

const t0 = performance.now();
const server = await CallServer.start(binary, wrapper);
let status;
try {
  await handshakes(server);
  await withBrowser(async (browser) => {
    await hostileMessages(server, browser);
    await call(server, browser);
  });
} finally {
  status = await server.stop();
}
check(status.code === 0, `the server exited cleanly (${JSON.stringify(status)})`);
check(server.count(/CRITICAL|WARNING/) === 0, 'the server logged no warning');
log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
