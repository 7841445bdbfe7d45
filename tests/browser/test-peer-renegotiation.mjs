// Renegotiation mid-call between headless chromium and rtcbin:
// a video track added by the page and one added by rtcbin, each decoded
// on the other side; then the main video's direction flipped through
// sendrecv, sendonly, recvonly, inactive and back, from the page and from
// rtcbin, media following each time and the current directions agreeing.
//
//   node test-peer-renegotiation.mjs RTCBIN-PEER
import { check, grows, log, waitFor } from './harness.mjs';
import { withCall, pageInbound, pageTransceivers, mlineOf, framesOver, sleep } from './rtcbin-peer.mjs';

const [binary] = process.argv.slice(2);
const t0 = performance.now();

const REVERSE = { sendrecv: 'sendrecv', sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive' };

await withCall(binary, async ({ page, peer, call }) => {
  const pageFrames = async (mid) => (await pageInbound(page))[mid]?.framesDecoded || 0;
  const rtcFrames = async (pad) => (await peer.cmd('counts')).recv[pad]?.frames || 0;
  const rtcTrans = async () => (await peer.cmd('transceivers')).transceivers;
  const localSdp = async () => page.evaluate(() => window.pc.localDescription.sdp);

  const before = await pageTransceivers(page);
  log(`page transceivers: ${JSON.stringify(before)}`);
  const mainVideo = before.find((t) => t.kind === 'video').mid;
  const mainVideoIndex = mlineOf(await localSdp(), mainVideo);

  // 1. The page adds a video track: rtcbin decodes it on a new src pad.
  const pads = new Set((await peer.cmd('counts')) && Object.keys((await peer.cmd('counts')).recv));
  await page.evaluate(() => {
    window.extra = window.pc.addTransceiver(window.cam.getVideoTracks()[0].clone(),
      { direction: 'sendrecv' });
  });
  await call.settled();
  const pageMid = await page.evaluate(() => window.extra.mid);
  const pageIndex = mlineOf(await localSdp(), pageMid);
  check(pageMid !== null && pageIndex === before.length,
    `the page's new track has m-line ${pageIndex} (mid ${pageMid}) after the ${before.length} first`);
  const padAdded = await waitFor(() => peer.events.find((e) => e.event === 'pad-added' &&
    !pads.has(e.pad) && e.kind === 'video'), 5000, 'rtcbin adds a src pad for the page\'s track');
  check(padAdded.pad === `src_${pageIndex}`,
    `rtcbin shows it on ${padAdded.pad}`);
  const n1 = await grows(() => rtcFrames(padAdded.pad), 30, 5000, 'rtcbin decodes the page\'s new track');
  check(n1 >= 30, `rtcbin decodes the page's added video (${n1} frames)`);

  // 2. rtcbin adds a video track: the page decodes it on a new m-line.
  const pageMids = new Set((await pageTransceivers(page)).map((t) => t.mid));
  const added = await peer.cmd('add-media', { kind: 'video', width: 160, height: 120 });
  await waitFor(async () => (await pageTransceivers(page)).some((t) => !pageMids.has(t.mid)),
    5000, 'the page gets rtcbin\'s new m-line');
  await call.settled();
  const rtcMid = (await pageTransceivers(page)).find((t) => !pageMids.has(t.mid)).mid;
  const rtcIndex = mlineOf(await localSdp(), rtcMid);
  check(rtcIndex === pageIndex + 1, `rtcbin's new track (${added.pad}) has m-line ${rtcIndex} (mid ${rtcMid})`);
  const n2 = await grows(() => pageFrames(rtcMid), 30, 5000, 'the page decodes rtcbin\'s new track');
  const size = (await pageInbound(page))[rtcMid];
  check(n2 >= 30 && size.frameWidth === 160 && size.frameHeight === 120,
    `the page decodes rtcbin's added 160x120 video (${n2} frames, ${size.frameWidth}x${size.frameHeight})`);

  // 3. Directions of the main video, from each side.
  const rtcMainPad = `src_${mainVideoIndex}`;
  const rtcMainIndex = (await rtcTrans()).find((t) => t.mid === mainVideo).index;
  for (const side of ['page', 'rtcbin']) {
    for (const dir of ['sendonly', 'recvonly', 'inactive', 'sendrecv']) {
      const offersBefore = call.sent.page.length + call.sent.rtcbin.length;
      if (side === 'page')
        await page.evaluate(([mid, d]) => {
          window.pc.getTransceivers().find((t) => t.mid === mid).direction = d;
        }, [mainVideo, dir]);
      else
        await peer.cmd('set-direction', { index: rtcMainIndex, direction: dir });
      await waitFor(() => call.sent.page.length + call.sent.rtcbin.length >= offersBefore + 2,
        5000, `${side} ${dir}: an offer and its answer`);
      await call.settled();
      const pageCur = (await pageTransceivers(page)).find((t) => t.mid === mainVideo).currentDirection;
      const rtcCur = (await rtcTrans()).find((t) => t.mid === mainVideo)['current-direction'];
      const want = side === 'page' ? dir : REVERSE[dir];
      check(pageCur === want && rtcCur === REVERSE[want],
        `${side} sets ${dir}: current direction page ${pageCur}, rtcbin ${rtcCur}`);
      const pageRecv = want === 'sendrecv' || want === 'recvonly';
      const rtcRecv = want === 'sendrecv' || want === 'sendonly';
      // What flows must start within 4 s (a key frame); what stops must
      // stay stopped over a second once the jitter buffers are empty.
      if (pageRecv)
        await grows(() => pageFrames(mainVideo), 10, 4000, `the page decodes (${side} ${dir})`);
      if (rtcRecv)
        await grows(() => rtcFrames(rtcMainPad), 10, 4000, `rtcbin decodes (${side} ${dir})`);
      await sleep(400);
      const f = await framesOver({ page, peer }, 1000);
      const [fp, fr] = [f.page[mainVideo] ?? 0, f.rtcbin[rtcMainPad] ?? 0];
      log(`${side} ${dir}: over 1 s the page decoded ${fp}, rtcbin ${fr} frames`);
      check((fp >= 10) === pageRecv && (fr >= 10) === rtcRecv &&
        (pageRecv || fp <= 1) && (rtcRecv || fr <= 1),
        `${side} ${dir}: video flows ${pageRecv ? 'to' : 'not to'} the page, ${rtcRecv ? 'to' : 'not to'} rtcbin`);
    }
  }

  const errors = [...await call.pageErrors(), ...call.errors];
  check(errors.length === 0, `no signalling error (${errors})`);
  check(peer.stderr.filter((l) => /CRITICAL|WARN|ERROR/.test(l)).length === 0,
    'rtcbin logged no warning');
  log(`page offers ${JSON.stringify(await page.evaluate(() => window.stats))}, rtcbin ${JSON.stringify(call.stats)}`);
});
log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
