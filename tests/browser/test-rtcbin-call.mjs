// Headless chromium calls the GStreamer rtcbin peer of examples/rtcbin-call
// through its call page: each side must decode the other's video and audio.
//
//   node test-rtcbin-call.mjs PROGRAM offer|answer
//
// offer: the browser joins the room first and offers (the program's peer
// joins after it); answer: the rtcbin peer is waiting and offers. The
// program exits after a few seconds of call with its own counts, which are
// checked here beside the page's getStats.
//
// RTC_CALL_SERVER_WRAPPER runs the program under a tool, e.g. "valgrind -q".
import { CallServer } from './server.mjs';
import { withBrowser, run, waitFor, getStats, inbound, check, log, SCALE } from './harness.mjs';

const [binary, role] = process.argv.slice(2);
if (!binary || !['offer', 'answer'].includes(role)) {
  console.error('usage: test-rtcbin-call.mjs PROGRAM offer|answer');
  process.exit(2);
}
const wrapper = (process.env.RTC_CALL_SERVER_WRAPPER || '').split(/\s+/).filter((w) => w);
const room = `rtcbin-${role}`;
// The program ends the call this long after it connected.
const CALL_SECONDS = 9;
// How long chromium's bandwidth estimate is watched: it fell within 6 s
// when rtcbin negotiated congestion control feedback it does not send.
const ESTIMATE_MS = 7000;

function connected(page) {
  return run(page, () => window.pc && window.pc.connectionState === 'connected');
}

// The numbers of the program's "result: peer=gst k=v ..." line.
function programResult(server) {
  const line = server.stdout.find((l) => l.startsWith('result: peer=gst '));
  if (!line)
    return null;
  return Object.fromEntries(line.split(' ').slice(2).map((kv) => {
    const [k, v] = kv.split('=');
    return [k, Number(v)];
  }));
}

const t0 = performance.now();
// The program gathers on every address, loopback included: here that
// is all there is.
const args = ['--serve', '--headless', '--room', room, '--seconds', String(CALL_SECONDS),
  '--timeout', String(Math.round(40 * SCALE))];
if (role === 'offer')
  args.push('--browser-offers');
const server = await CallServer.start(binary, wrapper, args);
let status;
let sent;
try {
  await withBrowser(async (browser) => {
    let page = await browser.open(`${server.url}?room=${room}`, 'page');
    const loaded = performance.now();
    await waitFor(() => connected(page), 20000, 'page connected');
    const up = performance.now();
    log(`connected ${(up - loaded).toFixed(0)} ms after the page loaded`);

    const polite = await run(page, () => window.call.polite);
    check(polite === (role === 'answer'),
      `the browser ${role === 'offer' ? 'offered (impolite)' : 'answered (polite)'}`);

    // rtcbin's candidate on loopback is what the page connected to.
    const stats = await getStats(page);
    const remote = stats.filter((s) => s.type === 'remote-candidate');
    log(`remote candidates: ${JSON.stringify(remote.map((c) => `${c.candidateType} ${c.protocol} ${c.address}:${c.port}`))}`);
    check(remote.some((c) => c.candidateType === 'host' && c.address === '127.0.0.1'),
      'rtcbin signalled a host candidate on 127.0.0.1');
    const pair = stats.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
    check(pair && remote.some((c) => c.id === pair.remoteCandidateId && c.address === '127.0.0.1'),
      'the selected pair reaches rtcbin on 127.0.0.1');

    // Media flows for a while between two samples.
    const before = await getStats(page);
    await new Promise((r) => setTimeout(r, 2000));
    const after = await getStats(page);
    const [v0, v1] = [inbound(before, 'video'), inbound(after, 'video')];
    const [a0, a1] = [inbound(before, 'audio'), inbound(after, 'audio')];
    log(`page: video ${JSON.stringify(v1)}, audio ${JSON.stringify(a1)}`);
    check(v1.framesDecoded >= 20 && v1.framesDecoded - v0.framesDecoded >= 10,
      `the page decodes rtcbin's video (${v0.framesDecoded} -> ${v1.framesDecoded} frames)`);
    // What the page decoded is rtcbin's test pattern, 320x240.
    const vin = after.find((s) => s.type === 'inbound-rtp' && s.kind === 'video');
    log(`page inbound video: ${vin.frameWidth}x${vin.frameHeight}, ${vin.framesPerSecond} fps, ` +
      `dropped ${vin.framesDropped}, PLIs ${vin.pliCount}, NACKs ${vin.nackCount}, ` +
      `packets lost ${vin.packetsLost}`);
    check(vin.frameWidth === 320 && vin.frameHeight === 240,
      `the page decodes rtcbin's 320x240 pattern (${vin.frameWidth}x${vin.frameHeight})`);
    const vout = after.find((s) => s.type === 'outbound-rtp' && s.kind === 'video');
    sent = `${vout.frameWidth}x${vout.frameHeight}`;
    log(`page outbound video: ${sent}, ${vout.framesPerSecond} fps, ` +
      `${vout.framesEncoded} frames encoded, ${vout.packetsSent} packets`);
    check(a1.packetsReceived - a0.packetsReceived >= 25 &&
          a1.totalSamplesReceived - a0.totalSamplesReceived >= 48000,
      `the page receives rtcbin's audio (${a0.packetsReceived} -> ${a1.packetsReceived} packets, ` +
      `${a0.totalSamplesReceived} -> ${a1.totalSamplesReceived} samples)`);

    // Chromium's send-side estimate holds (it starts at 300 kbit/s on
    // loopback), and its video is not limited by it.
    let lowest = Infinity, limited = '';
    // A measuring period, not a bound: not scaled.
    while (performance.now() - up < ESTIMATE_MS) {
      const st = await getStats(page);
      const pair = st.find((s) => s.type === 'candidate-pair' && s.nominated);
      const out = st.find((s) => s.type === 'outbound-rtp' && s.kind === 'video');
      lowest = Math.min(lowest, pair?.availableOutgoingBitrate ?? Infinity);
      if (out?.qualityLimitationReason === 'bandwidth')
        limited = `${out.frameWidth}x${out.frameHeight} at ${out.framesPerSecond} fps`;
      await new Promise((r) => setTimeout(r, 500));
    }
    check(lowest >= 200000 && !limited,
      `chromium's bandwidth estimate held (lowest ${lowest} bit/s${limited ? `, video cut to ${limited}` : ''})`);

    if (role === 'answer') {
      // The page leaves and another opens: rtcbin calls it afresh (the
      // program's counts are then the second call's).
      const errors = await run(page, () => window.call.errors);
      check(errors.length === 0, `no error in the first page (${errors})`);
      await page.close();
      await waitFor(() => server.stdout.includes('gst: the other peer left'), 10000,
        'the peer sees the page leave');
      page = await browser.open(`${server.url}?room=${room}`, 'page2');
      const again = performance.now();
      await waitFor(() => connected(page), 20000, 'second page connected');
      log(`second call connected ${(performance.now() - again).toFixed(0)} ms after the page loaded`);
      const v = await waitFor(async () => {
        const s = inbound(await getStats(page), 'video');
        return s.framesDecoded >= 20 && s;
      }, 10000, 'the second page decodes rtcbin\'s video');
      check(v.framesDecoded >= 20, `the second page decodes rtcbin's video (${v.framesDecoded} frames)`);
    }

    // The program ends its call by itself and says what it decoded.
    status = await waitFor(() => server.proc.exitCode !== null && server.exited,
      (CALL_SECONDS + 20) * 1000, 'the program ends the call');
    const errors = await run(page, () => window.call.errors);
    check(errors.length === 0, `no error in the page (${errors})`);
  });
} finally {
  if (!status)
    await server.stop().catch((e) => log(e.message));
}
status = await server.exited;
const result = programResult(server);
log(`program: ${JSON.stringify(result)}`);
check(result !== null, 'the program printed its counts');
check(result['decoded-video-frames'] >= 100,
  `rtcbin decoded the browser's video (${result['decoded-video-frames']} frames)`);
check(result['decoded-audio-buffers'] >= 250,
  `rtcbin decoded the browser's audio (${result['decoded-audio-buffers']} buffers)`);
check(server.stdout.includes(`gst: decoding ${sent} video`),
  `rtcbin decodes the browser's video at the size it was sent (${sent})`);
check(server.stdout.includes('gst: decoding 48000 Hz 2-channel audio'),
  'rtcbin decodes the browser\'s Opus as 48 kHz stereo');
check(result['sent-video-packets'] > 0 && result['sent-audio-packets'] > 0,
  `rtcbin sent audio and video (${result['sent-audio-packets']}, ${result['sent-video-packets']} packets)`);
check(status.code === 0, `the program exited saying media flowed both ways (${JSON.stringify(status)})`);
check(server.count(/CRITICAL|WARN|ERROR|failed/) === 0, 'the program logged no warning or failure');
log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
