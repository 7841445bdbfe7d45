// W3C perfect negotiation between headless chromium and rtcbin:
// 20 rounds in which both sides change their audio direction and
// offer at the same moment (the page through its negotiationneeded
// handler, rtcbin through create-offer). The signalling holds each side's offer until the other
// side has made its own, so every round is a real glare. The page runs
// the W3C pattern; rtcbin is driven by the same pattern in node
// (rtcbin-peer.mjs, Call), answering with set-local-description without
// a description, and when polite taking the page's offer with
// set-remote-description alone (rtcbin's implicit rollback). Roles swap
// every round. Each round must end stable on both sides with the two
// changes negotiated and video flowing both ways.
//
//   node test-peer-perfect-negotiation.mjs RTCBIN-PEER
import { check, log, waitFor } from './harness.mjs';
import { withCall, pageTransceivers, framesOver } from './rtcbin-peer.mjs';

const [binary] = process.argv.slice(2);
const t0 = performance.now();
const ROUNDS = 20;

// What `a` wants and `b` allows, seen from a.
const SENDS = (d) => d === 'sendrecv' || d === 'sendonly';
const RECVS = (d) => d === 'sendrecv' || d === 'recvonly';
function negotiated(mine, theirs) {
  const send = SENDS(mine) && RECVS(theirs), recv = RECVS(mine) && SENDS(theirs);
  return send && recv ? 'sendrecv' : send ? 'sendonly' : recv ? 'recvonly' : 'inactive';
}

await withCall(binary, async ({ page, peer, call }) => {
  const audioMid = (await pageTransceivers(page)).find((t) => t.kind === 'audio').mid;
  const videoMid = (await pageTransceivers(page)).find((t) => t.kind === 'video').mid;
  const rtcAudio = (await peer.cmd('transceivers')).transceivers.find((t) => t.mid === audioMid).index;
  const rounds = [];
  const pageStats0 = await page.evaluate(() => ({ ...window.stats }));
  const rtcStats0 = { ...call.stats };

  for (let r = 0; r < ROUNDS; r++) {
    const rtcPolite = r % 2 === 0;
    await call.setRoles(rtcPolite);
    // Each side changes its audio direction every round, the page in a
    // cycle of two, rtcbin in a cycle of four, so that several outcomes
    // come up (inactive, one way, both ways).
    const pageDir = r % 2 === 0 ? 'sendonly' : 'sendrecv';
    const rtcDir = ['sendonly', 'sendrecv', 'recvonly', 'sendrecv'][r % 4];
    const start = performance.now();
    const pageIgnored = (await page.evaluate(() => window.stats.ignoredOffers));
    const [rtcIgnored, rtcRollbacks] = [call.stats.ignoredOffers, call.stats.rollbacks];
    const pageRollbacks = await page.evaluate(() => window.stats.rollbacks);

    call.holdPage();
    call.holdPeer();
    // Each side changes its direction and offers at once; neither offer
    // reaches the other side before both are made.
    await Promise.all([
      page.evaluate(([mid, d]) => {
        window.pc.getTransceivers().find((t) => t.mid === mid).direction = d;
        window.offerNow();
      }, [audioMid, pageDir]),
      peer.cmd('set-direction', { index: rtcAudio, direction: rtcDir }).then(() => call.rtcOffer()),
    ]);
    await waitFor(() => {
      const h = call.held();
      return h.page.some((m) => m.description?.type === 'offer') &&
        h.rtcbin.some((m) => m.description?.type === 'offer');
    }, 5000, `round ${r}: both sides offered`);
    call.release();

    await call.settled(10000, 250);
    const want = negotiated(pageDir, rtcDir);
    await waitFor(async () => {
      const pt = (await pageTransceivers(page)).find((t) => t.mid === audioMid);
      const rt = (await peer.cmd('transceivers')).transceivers[rtcAudio];
      return pt.currentDirection === want && rt['current-direction'] === negotiated(rtcDir, pageDir);
    }, 5000, `round ${r}: audio negotiated ${want} on the page`);
    await call.settled(10000, 250);
    const ms = performance.now() - start;
    const f = await framesOver({ page, peer }, 600);
    const rtcVideoPad = Object.keys(f.rtcbin).find((p) => p === `src_${videoMid}`) ||
      Object.keys(f.rtcbin).find((p) => !p.includes('#'));
    const round = {
      r, rtcPolite, pageDir, rtcDir, ms: Math.round(ms),
      pageIgnored: await page.evaluate(() => window.stats.ignoredOffers) - pageIgnored,
      pageRollbacks: await page.evaluate(() => window.stats.rollbacks) - pageRollbacks,
      rtcIgnored: call.stats.ignoredOffers - rtcIgnored,
      rtcRollbacks: call.stats.rollbacks - rtcRollbacks,
      pageFrames: f.page[videoMid], rtcFrames: f.rtcbin[`src_${videoMid}`] ?? f.rtcbin[rtcVideoPad],
    };
    rounds.push(round);
    log(`round ${r}: ${JSON.stringify(round)}`);
    check(round.pageFrames >= 6 && round.rtcFrames >= 6,
      `round ${r} (rtcbin ${rtcPolite ? 'polite' : 'impolite'}): stable, audio ${want}, ` +
      `video flowing (${round.pageFrames} and ${round.rtcFrames} frames in 0.6 s), ${round.ms} ms`);
    check(rtcPolite ? round.rtcRollbacks === 1 && round.pageIgnored === 1
        : round.pageRollbacks === 1 && round.rtcIgnored === 1,
      `round ${r}: glare resolved by the ${rtcPolite ? 'polite rtcbin\'s implicit rollback' : 'polite page\'s rollback'}`);
  }
  const pageStats1 = await page.evaluate(() => ({ ...window.stats }));
  log(`page: ${JSON.stringify(pageStats0)} -> ${JSON.stringify(pageStats1)}; rtcbin: ${JSON.stringify(rtcStats0)} -> ${JSON.stringify(call.stats)}`);
  const times = rounds.map((x) => x.ms).sort((a, b) => a - b);
  log(`round times (stable, directions negotiated): median ${times[times.length >> 1]} ms, max ${times[times.length - 1]} ms`);

  const errors = [...await call.pageErrors(), ...call.errors];
  check(errors.length === 0, `no signalling error (${errors})`);
  check(peer.stderr.filter((l) => /CRITICAL|WARN|ERROR/.test(l)).length === 0,
    'rtcbin logged no warning');
}, { implicit: true });
log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
