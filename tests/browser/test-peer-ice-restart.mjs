// ICE restart between headless chromium and rtcbin while media flows,
// started by each side: the page's pc.restartIce(), then
// rtcbin's create-offer with ice-restart. Both sides take new
// credentials, media goes on, DTLS is not redone, and the longest gap
// between received packets is measured at both ends over each restart
// (and over as long a quiet stretch before, for comparison).
//
//   node test-peer-ice-restart.mjs RTCBIN-PEER
//
// Measuring: rtcbin stamps every packet leaving its src pads (after the
// jitter buffer); the page polls getStats every 20 ms and takes the
// longest time an inbound-rtp's lastPacketReceivedTimestamp was behind
// the report's timestamp (so its figure is an upper bound, up to a poll
// interval and chromium's stats caching above the true gap).
import { check, log, waitFor, SCALE } from './harness.mjs';
import { withCall, framesOver, sleep } from './rtcbin-peer.mjs';

const [binary] = process.argv.slice(2);
const t0 = performance.now();
// The bound a restart must stay under, both ends, audio and video
// (scaled like every timing bound: under ASan rtcbin's sources and
// encoders do not keep real time beside chromium, and gaps of 1.8 s
// show without any restart). Without a restart the longest gap is
// the pacing of the senders and of the jitter buffers (measured: see the
// log's "quiet" lines).
const GAP_BOUND_MS = 500 * SCALE;
const WINDOW_MS = 3000;

const ufrag = (sdp) => sdp.match(/^a=ice-ufrag:(\S+)/m)[1];
const fingerprint = (sdp) => sdp.match(/^a=fingerprint:(.+?)\r?$/m)[1];

await withCall(binary, async ({ page, peer, call }) => {
  await page.evaluate(() => {
    window.monitor = { gaps: {}, dtlsStates: [], pairs: new Set() };
    setInterval(async () => {
      const m = window.monitor;
      for (const s of (await window.pc.getStats()).values()) {
        if (s.type === 'inbound-rtp' && s.lastPacketReceivedTimestamp)
          m.gaps[s.kind] = Math.max(m.gaps[s.kind] || 0, s.timestamp - s.lastPacketReceivedTimestamp);
        if (s.type === 'transport') {
          if (m.dtlsStates[m.dtlsStates.length - 1] !== s.dtlsState)
            m.dtlsStates.push(s.dtlsState);
          m.pairs.add(s.selectedCandidatePairId);
          m.pairChanges = s.selectedCandidatePairChanges;
        }
      }
    }, 20);
  });
  const resetGaps = () => Promise.all([
    page.evaluate(() => { window.monitor.gaps = {}; }),
    peer.cmd('counts', { 'reset-gaps': true }),
  ]);
  const readGaps = async () => {
    const [pageGaps, counts] = await Promise.all([
      page.evaluate(() => window.monitor.gaps), peer.cmd('counts')]);
    const rtc = {};
    for (const r of Object.values(counts.recv))
      if (!r.removed)
        rtc[r.kind] = Math.max(rtc[r.kind] || 0, r['max-gap-ms'], r['since-last-ms']);
    return { page: pageGaps, rtcbin: rtc };
  };
  const fmt = (g) => `page audio ${g.page.audio?.toFixed(0)} ms, video ${g.page.video?.toFixed(0)} ms; ` +
    `rtcbin audio ${g.rtcbin.audio?.toFixed(0)} ms, video ${g.rtcbin.video?.toFixed(0)} ms`;
  const rtcTransport = async () => (await peer.stats()).find((s) => s.type === 'transport');

  await resetGaps();
  await sleep(WINDOW_MS);
  const quiet = await readGaps();
  log(`quiet ${WINDOW_MS / 1000} s, longest receive gaps: ${fmt(quiet)}`);

  const figures = {};
  for (const side of ['page', 'rtcbin']) {
    const before = {
      page: ufrag(await page.evaluate(() => window.pc.localDescription.sdp)),
      rtcbin: (await rtcTransport())['ice-local-username-fragment'],
      fpPage: fingerprint(await page.evaluate(() => window.pc.localDescription.sdp)),
      fpRtc: fingerprint(await page.evaluate(() => window.pc.remoteDescription.sdp)),
      sent: call.sent.page.length + call.sent.rtcbin.length,
    };
    await resetGaps();
    const start = performance.now();
    if (side === 'page')
      await page.evaluate(() => window.pc.restartIce());
    else
      await call.rtcOffer({ 'ice-restart': true });
    await waitFor(() => call.sent.page.length + call.sent.rtcbin.length >= before.sent + 2,
      5000, `${side}'s restart offer and its answer`);
    await call.settled();
    // Until the new pair is checked and in use on both sides.
    await waitFor(async () => {
      const t = await rtcTransport();
      return t['ice-state'] === 'connected' || t['ice-state'] === 'completed';
    }, 5000, 'rtcbin\'s ICE connected again');
    const settledMs = performance.now() - start;
    await sleep(Math.max(0, WINDOW_MS - settledMs));
    const gaps = await readGaps();
    figures[side] = gaps;
    log(`${side} restarts ICE: exchange done in ${settledMs.toFixed(0)} ms; longest receive gaps: ${fmt(gaps)}`);

    const after = {
      page: ufrag(await page.evaluate(() => window.pc.localDescription.sdp)),
      rtcbin: (await rtcTransport())['ice-local-username-fragment'],
      fpPage: fingerprint(await page.evaluate(() => window.pc.localDescription.sdp)),
      fpRtc: fingerprint(await page.evaluate(() => window.pc.remoteDescription.sdp)),
    };
    const remoteUfrag = ufrag(await page.evaluate(() => window.pc.remoteDescription.sdp));
    check(after.page !== before.page && after.rtcbin !== before.rtcbin && remoteUfrag === after.rtcbin,
      `${side}'s restart: new credentials on both sides (page ${before.page} -> ${after.page}, ` +
      `rtcbin ${before.rtcbin} -> ${after.rtcbin})`);
    check(after.fpPage === before.fpPage && after.fpRtc === before.fpRtc,
      `${side}'s restart: the same certificates`);
    const mon = await page.evaluate(() => ({ dtls: window.monitor.dtlsStates, changes: window.monitor.pairChanges }));
    const t = await rtcTransport();
    check(mon.dtls.every((s) => s === 'connected') && t['dtls-state'] === 'connected',
      `${side}'s restart: DTLS stays connected, not redone (page saw ${mon.dtls}, rtcbin ${t['dtls-state']})`);
    for (const who of ['page', 'rtcbin'])
      for (const kind of ['audio', 'video'])
        check(gaps[who][kind] !== undefined && gaps[who][kind] < GAP_BOUND_MS,
          `${side}'s restart: ${who}'s longest ${kind} gap ${gaps[who][kind]?.toFixed(0)} ms < ${GAP_BOUND_MS} ms`);
    const f = await framesOver({ page, peer }, 1000);
    const pageVideo = Object.values(f.page).reduce((a, b) => Math.max(a, b), 0);
    const rtcVideo = Math.max(...Object.entries(f.rtcbin).map(([, v]) => v));
    check(pageVideo >= 10 && rtcVideo >= 10,
      `${side}'s restart: media goes on (over 1 s: page ${JSON.stringify(f.page)}, rtcbin ${JSON.stringify(f.rtcbin)})`);
  }
  const pairs = await page.evaluate(() => ({ ids: [...window.monitor.pairs], changes: window.monitor.pairChanges }));
  log(`page's selected pairs: ${pairs.ids.join(', ')}; selectedCandidatePairChanges ${pairs.changes}`);
  log(`figures: ${JSON.stringify({ quiet, ...figures })}`);

  const errors = [...await call.pageErrors(), ...call.errors];
  check(errors.length === 0, `no signalling error (${errors})`);
  check(peer.stderr.filter((l) => /CRITICAL|WARN|ERROR/.test(l)).length === 0,
    'rtcbin logged no warning');
});
log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
