// Stopped transceivers and recycled m-lines between headless chromium and
// rtcbin: the page adds a video track and stops it
// (RTCRtpTransceiver.stop()), rtcbin's next track takes the freed m-line
// and is decoded by the page, rtcbin stops it (the transceiver's stop
// action), and the page's next track takes the m-line again and is
// decoded by rtcbin. Each stop puts port 0 in the next offer and removes
// the receiving side's src pad or track.
//
//   node test-peer-stop-reuse.mjs RTCBIN-PEER
import { check, grows, log, waitFor } from './harness.mjs';
import { withCall, pageInbound, pageTransceivers, mlineOf, portOf, sleep } from './rtcbin-peer.mjs';

const [binary] = process.argv.slice(2);
const t0 = performance.now();

await withCall(binary, async ({ page, peer, call }) => {
  const pageFrames = async (mid) => (await pageInbound(page))[mid]?.framesDecoded || 0;
  const rtcFrames = async (pad) => (await peer.cmd('counts')).recv[pad]?.frames || 0;
  const rtcTrans = async () => (await peer.cmd('transceivers')).transceivers;
  const lastOffer = (from) => [...call.sent[from]].reverse().find((d) => d.type === 'offer');
  const exchange = async (what, fn) => {
    const n = call.sent.page.length + call.sent.rtcbin.length;
    await fn();
    await waitFor(() => call.sent.page.length + call.sent.rtcbin.length >= n + 2, 5000, what);
    await call.settled();
  };
  const first = (await pageTransceivers(page)).length;

  // 1. The page adds a video track; rtcbin decodes it.
  await exchange('the page\'s offer with a new track', () => page.evaluate(() => {
    window.extra = window.pc.addTransceiver(window.cam.getVideoTracks()[0].clone());
  }));
  const mid1 = await page.evaluate(() => window.extra.mid);
  const index = mlineOf(lastOffer('page').sdp, mid1);
  check(index === first, `the page's track has m-line ${index} (mid ${mid1})`);
  const pad = `src_${index}`;
  await grows(() => rtcFrames(pad), 20, 5000, 'rtcbin decodes the page\'s track');

  // 2. The page stops it: port 0, rtcbin's src pad goes, its transceiver
  // is stopped.
  await exchange('the page\'s offer stopping its track', () => page.evaluate(() => window.extra.stop()));
  check(portOf(lastOffer('page').sdp, index) === 0, `the page's offer has port 0 on m-line ${index}`);
  await waitFor(() => peer.events.some((e) => e.event === 'pad-removed' && e.pad === pad), 3000,
    `rtcbin removes ${pad}`);
  const t1 = (await rtcTrans()).find((t) => t.mid === mid1);
  // W3C: a stopped transceiver leaves the list once the exchange is done.
  check(!t1 || t1.stopped === true,
    `rtcbin's transceiver of mid ${mid1} is stopped (${t1 ? 'stopped' : 'gone from the list'})`);
  check(peer.events.some((e) => e.event === 'pad-removed' && e.pad === pad), `rtcbin removed ${pad}`);

  // 3. rtcbin adds a track: its offer recycles the m-line, the page
  // decodes it.
  const added = await peer.cmd('add-media', { kind: 'video', width: 160, height: 120 });
  await waitFor(() => call.sent.rtcbin.length && lastOffer('rtcbin') &&
    mlineOf(lastOffer('rtcbin').sdp, mid1) < 0 && portOf(lastOffer('rtcbin').sdp, index) > 0,
  5000, 'rtcbin offers a track on the freed m-line');
  await call.settled();
  const offer2 = lastOffer('rtcbin').sdp;
  const mid2 = offer2.split(/\r?\n(?=m=)/).slice(1)[index].match(/^a=mid:(\S+)/m)[1];
  check(mid2 !== mid1 && mlineOf(offer2, mid2) === index && offer2.split(/\r?\nm=/).length - 1 === first + 1,
    `rtcbin's new track (${added.pad}) takes m-line ${index} with mid ${mid2}, no new m-line`);
  const n2 = await grows(() => pageFrames(mid2), 20, 5000, 'the page decodes rtcbin\'s track');
  check(n2 >= 20, `the page decodes rtcbin's track on the recycled m-line (${n2} frames)`);

  // 4. rtcbin stops it: port 0 in its offer, the page's transceiver stops.
  const idx2 = (await rtcTrans()).find((t) => t.mid === mid2).index;
  await exchange('rtcbin\'s offer stopping its track', () => peer.cmd('stop', { index: idx2 }));
  check(portOf(lastOffer('rtcbin').sdp, index) === 0, `rtcbin's offer has port 0 on m-line ${index}`);
  const pt2 = (await page.evaluate((m) => window.pc.getTransceivers()
    .filter((t) => t.mid === m).map((t) => t.currentDirection), mid2));
  check(pt2.length === 0 || pt2[0] === 'stopped', `the page's transceiver of mid ${mid2} is stopped (${pt2.length ? pt2[0] : 'gone from the list'})`);
  const t2 = (await rtcTrans()).find((t) => t.mid === mid2);
  check(!t2 || t2.stopped === true,
    `rtcbin's transceiver of mid ${mid2} is stopped (${t2 ? 'stopped' : 'gone from the list'})`);
  await sleep(500);
  const f0 = await pageFrames(mid2);
  await sleep(1000);
  check(await pageFrames(mid2) - f0 <= 1, 'nothing more arrives on it at the page');
  await peer.cmd('remove-media', { pad: added.pad });

  // 5. The page adds another track: it takes the m-line again; rtcbin
  // decodes it on a src pad of that m-line.
  const removedBefore = peer.events.filter((e) => e.event === 'pad-added' && e.pad === pad).length;
  await exchange('the page\'s offer with another track', () => page.evaluate(() => {
    window.extra2 = window.pc.addTransceiver(window.cam.getVideoTracks()[0].clone());
  }));
  const mid3 = await page.evaluate(() => window.extra2.mid);
  const offer3 = lastOffer('page').sdp;
  check(mlineOf(offer3, mid3) === index && offer3.split(/\r?\nm=/).length - 1 === first + 1,
    `the page's new track takes m-line ${index} with mid ${mid3}, no new m-line`);
  await waitFor(() => peer.events.filter((e) => e.event === 'pad-added' && e.pad === pad).length > removedBefore,
    3000, `rtcbin adds ${pad} again`);
  const n3 = await grows(() => rtcFrames(pad), 20, 5000, 'rtcbin decodes the page\'s new track');
  check(n3 >= 20, `rtcbin decodes the page's track on the recycled m-line (${n3} frames)`);

  const errors = [...await call.pageErrors(), ...call.errors];
  check(errors.length === 0, `no signalling error (${errors})`);
  check(peer.stderr.filter((l) => /CRITICAL|WARN|ERROR/.test(l)).length === 0,
    'rtcbin logged no warning');
});
log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
