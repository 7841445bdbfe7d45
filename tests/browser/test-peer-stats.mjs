// rtcbin's get-stats beside chromium's getStats for the same call:
// packet counts over one interval agree across the two ends (rtcbin's
// outbound-rtp packets-sent against the page's inbound-rtp
// packetsReceived for the same SSRC, and the page's outbound-rtp against
// rtcbin's inbound-rtp), the W3C members chromium reports for each type
// that rtcbin implements are in rtcbin's report too, and the values that
// describe the same thing from both ends (SSRCs, mids, codecs, candidates,
// certificates, ICE and DTLS roles) match.
//
//   node test-peer-stats.mjs RTCBIN-PEER
import { check, log, waitFor } from './harness.mjs';
import { withCall, sleep } from './rtcbin-peer.mjs';

const [binary] = process.argv.slice(2);
const t0 = performance.now();
const INTERVAL_MS = 3000;

// The W3C members compared, per type: each one chromium reports must be
// in rtcbin's entries of that type (docs/architecture.md, get-stats).
const COMPARED = {
  'peer-connection': ['dataChannelsOpened', 'dataChannelsClosed'],
  transport: ['packetsSent', 'packetsReceived', 'bytesSent', 'bytesReceived', 'iceRole',
    'iceLocalUsernameFragment', 'iceState', 'dtlsState', 'dtlsRole', 'selectedCandidatePairId',
    'localCertificateId', 'remoteCertificateId', 'tlsVersion', 'dtlsCipher', 'srtpCipher'],
  'candidate-pair': ['transportId', 'localCandidateId', 'remoteCandidateId', 'state', 'nominated',
    'packetsSent', 'packetsReceived', 'bytesSent', 'bytesReceived', 'currentRoundTripTime'],
  'local-candidate': ['transportId', 'address', 'port', 'protocol', 'candidateType', 'priority',
    'foundation', 'relatedAddress', 'relatedPort', 'tcpType', 'usernameFragment'],
  'remote-candidate': ['transportId', 'address', 'port', 'protocol', 'candidateType', 'priority',
    'foundation', 'relatedAddress', 'relatedPort', 'tcpType', 'usernameFragment'],
  certificate: ['fingerprint', 'fingerprintAlgorithm', 'base64Certificate'],
  codec: ['transportId', 'payloadType', 'mimeType', 'clockRate', 'channels', 'sdpFmtpLine'],
  'outbound-rtp': ['ssrc', 'kind', 'mid', 'transportId', 'codecId', 'packetsSent', 'bytesSent',
    'nackCount', 'pliCount', 'firCount', 'rtxSsrc', 'retransmittedPacketsSent',
    'retransmittedBytesSent', 'remoteId'],
  'inbound-rtp': ['ssrc', 'kind', 'mid', 'transportId', 'codecId', 'packetsReceived',
    'bytesReceived', 'packetsLost', 'jitter', 'nackCount', 'pliCount', 'firCount',
    'packetsDiscarded', 'remoteId'],
  'remote-inbound-rtp': ['ssrc', 'kind', 'transportId', 'codecId', 'localId', 'packetsLost',
    'fractionLost', 'jitter', 'roundTripTime', 'totalRoundTripTime', 'roundTripTimeMeasurements'],
  'remote-outbound-rtp': ['ssrc', 'kind', 'transportId', 'codecId', 'localId', 'packetsSent',
    'bytesSent', 'remoteTimestamp', 'reportsSent'],
};

// rtcbin's `packets-sent` is W3C's `packetsSent`.
const camel = (k) => k.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
function normalise(entries) {
  return entries.map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [camel(k), v])));
}

async function pageStats(page) {
  return page.evaluate(async () => [...(await window.pc.getStats()).values()]);
}

await withCall(binary, async ({ page, peer, call }) => {
  // Until RTCP has gone both ways (reports every ~1-5 s) and each side
  // measured a round trip on every stream it sends (a receiver report
  // answering one of its sender reports).
  const [pg, rt] = await waitFor(async () => {
    const [p, r] = await Promise.all([pageStats(page), peer.stats().then(normalise)]);
    const all = (list, type, ok) => list.filter((s) => s.type === type).length >= 2 &&
      list.filter((s) => s.type === type).every(ok);
    return all(p, 'remote-inbound-rtp', (s) => s.roundTripTime !== undefined) &&
      all(p, 'remote-outbound-rtp', () => true) &&
      all(r, 'remote-inbound-rtp', (s) => s.roundTripTime !== undefined) &&
      all(r, 'remote-outbound-rtp', () => true) && [p, r];
  }, 20000, 'remote-inbound-rtp with round trips and remote-outbound-rtp on both sides');

  if (process.env.RTC_PEER_VERBOSE)
    for (const e of [...pg, ...rt])
      log(`${pg.includes(e) ? 'page' : 'rtcbin'} ${JSON.stringify(e)}`);
  // 1. Members: each W3C member chromium has, rtcbin has.
  // rtcbin lists the selected pair's candidates only (libnice shows no
  // other): chromium's are compared with the ones of its selected pair.
  const pTransport = pg.find((s) => s.type === 'transport');
  const pPair = pg.find((s) => s.id === pTransport.selectedCandidatePairId);
  const onPair = (s) => !s.type.endsWith('candidate') ||
    [pPair.localCandidateId, pPair.remoteCandidateId].includes(s.id);
  const keys = (list, type) => new Set(list.filter((s) => s.type === type && (list !== pg || onPair(s)))
    .flatMap((s) => Object.keys(s)));
  const missing = [], compared = {}, notCompared = {};
  for (const [type, fields] of Object.entries(COMPARED)) {
    const [ck, rk] = [keys(pg, type), keys(rt, type)];
    check(rk.size > 0, `rtcbin reports ${type}`);
    compared[type] = fields.filter((f) => ck.has(f));
    for (const f of compared[type])
      if (!rk.has(f))
        missing.push(`${type}.${f}`);
    notCompared[type] = [...ck].filter((f) => !fields.includes(f) && !rk.has(f) &&
      !['id', 'type', 'timestamp'].includes(f));
  }
  for (const [type, fields] of Object.entries(compared))
    log(`compared ${type}: ${fields.join(', ')}`);
  for (const [type, fields] of Object.entries(notCompared))
    if (fields.length)
      log(`chromium only (not implemented by rtcbin) ${type}: ${fields.join(', ')}`);
  check(missing.length === 0, `rtcbin has every compared member chromium has (missing: ${missing})`);
  // Every id rtcbin's entries refer to is in its report.
  const ids = new Set(rt.map((s) => s.id));
  const dangling = rt.flatMap((s) => Object.entries(s)
    .filter(([k, v]) => k.endsWith('Id') && k !== 'id' && typeof v === 'string' && v && !ids.has(v))
    .map(([k, v]) => `${s.id}.${k}=${v}`));
  check(dangling.length === 0, `every id in rtcbin's report resolves (${dangling})`);

  // 2. Values that describe one thing from both ends.
  const byId = (list) => Object.fromEntries(list.map((s) => [s.id, s]));
  const [P, R] = [byId(pg), byId(rt)];
  const pt = pg.find((s) => s.type === 'transport');
  const rtr = rt.find((s) => s.type === 'transport');
  check(pt.iceRole !== rtr.iceRole && ['controlling', 'controlled'].includes(rtr.iceRole),
    `opposite ICE roles (page ${pt.iceRole}, rtcbin ${rtr.iceRole})`);
  check(pt.dtlsRole !== rtr.dtlsRole && ['client', 'server'].includes(rtr.dtlsRole),
    `opposite DTLS roles (page ${pt.dtlsRole}, rtcbin ${rtr.dtlsRole})`);
  check(pt.srtpCipher === rtr.srtpCipher && pt.dtlsCipher === rtr.dtlsCipher && pt.tlsVersion === rtr.tlsVersion,
    `same ciphers and version (${rtr.srtpCipher}, ${rtr.dtlsCipher}, ${rtr.tlsVersion}; ` +
    `page ${pt.srtpCipher}, ${pt.dtlsCipher}, ${pt.tlsVersion})`);
  const fp = (s) => s && s.fingerprint.toUpperCase();
  check(fp(P[pt.remoteCertificateId]) === fp(R[rtr.localCertificateId]) &&
    fp(P[pt.localCertificateId]) === fp(R[rtr.remoteCertificateId]),
  'each side\'s remote certificate is the other\'s local one');
  check(pt.iceLocalUsernameFragment !== rtr.iceLocalUsernameFragment &&
    R[rtr.selectedCandidatePairId] && P[pt.selectedCandidatePairId], 'both have a selected pair');
  const [ppair, rpair] = [P[pt.selectedCandidatePairId], R[rtr.selectedCandidatePairId]];
  const addr = (c) => c && `${c.address}:${c.port}`;
  check(addr(P[ppair.remoteCandidateId]) === addr(R[rpair.localCandidateId]) &&
    addr(P[ppair.localCandidateId]) === addr(R[rpair.remoteCandidateId]),
  `the selected pairs are the same path (page ${addr(P[ppair.localCandidateId])} -> ` +
    `${addr(P[ppair.remoteCandidateId])}, rtcbin ${addr(R[rpair.localCandidateId])} -> ${addr(R[rpair.remoteCandidateId])})`);

  // rtcbin's outbound streams are the page's inbound ones, and back.
  const pairsOf = (out, inn, outStats, inStats) => out.map((o) => {
    const i = inn.find((s) => s.ssrc === o.ssrc);
    return { o, i, oc: outStats[o.codecId], ic: i && inStats[i.codecId] };
  });
  const rOut = rt.filter((s) => s.type === 'outbound-rtp');
  const pIn = pg.filter((s) => s.type === 'inbound-rtp');
  const pOut = pg.filter((s) => s.type === 'outbound-rtp');
  const rIn = rt.filter((s) => s.type === 'inbound-rtp');
  for (const { o, i, oc, ic } of [...pairsOf(rOut, pIn, R, P), ...pairsOf(pOut, rIn, P, R)]) {
    const from = rOut.includes(o) ? 'rtcbin' : 'page';
    check(i && i.kind === o.kind && i.mid === o.mid,
      `${from}'s ${o.kind} SSRC ${o.ssrc} (mid ${o.mid}) is received by the other (mid ${i?.mid})`);
    check(oc && ic && oc.mimeType.toLowerCase() === ic.mimeType.toLowerCase() &&
      oc.payloadType === ic.payloadType && oc.clockRate === ic.clockRate,
    `${from}'s ${o.kind} codec matches: ${oc?.mimeType}/${oc?.clockRate} PT ${oc?.payloadType} ` +
      `vs ${ic?.mimeType}/${ic?.clockRate} PT ${ic?.payloadType}`);
  }
  // remote-* entries: each side's report about the other's SSRCs.
  for (const r of rt.filter((s) => s.type === 'remote-inbound-rtp'))
    check(R[r.localId] && R[r.localId].ssrc === r.ssrc && r.roundTripTime < 0.5 && r.packetsLost <= 5,
      `rtcbin's remote-inbound-rtp for ${r.kind} SSRC ${r.ssrc}: rtt ${(r.roundTripTime * 1000).toFixed(1)} ms, lost ${r.packetsLost}`);

  // 3. Packet counts over one interval, sampled at once on both sides.
  const sample = () => Promise.all([pageStats(page), peer.stats().then(normalise)]);
  const [a, b] = [await sample(), await sleep(INTERVAL_MS).then(sample)];
  const find = (list, type, ssrc) => list.find((s) => s.type === type && s.ssrc === ssrc);
  const figures = [];
  for (const [dir, outSide, inSide] of [['rtcbin -> page', 1, 0], ['page -> rtcbin', 0, 1]]) {
    for (const o of b[outSide].filter((s) => s.type === 'outbound-rtp')) {
      const o0 = find(a[outSide], 'outbound-rtp', o.ssrc);
      const [i0, i1] = [find(a[inSide], 'inbound-rtp', o.ssrc), find(b[inSide], 'inbound-rtp', o.ssrc)];
      const sent = o.packetsSent - o0.packetsSent;
      const received = i1.packetsReceived - i0.packetsReceived;
      const tolerance = Math.max(4, Math.ceil(sent * 0.03));
      figures.push({ dir, kind: o.kind, ssrc: o.ssrc, sent, received, totalSent: o.packetsSent, totalReceived: i1.packetsReceived });
      check(sent > 0 && Math.abs(sent - received) <= tolerance,
        `${dir} ${o.kind}: ${sent} packets sent, ${received} received in ${INTERVAL_MS / 1000} s ` +
        `(tolerance ${tolerance}; totals ${o.packetsSent} sent, ${i1.packetsReceived} received)`);
    }
  }
  log(`figures: ${JSON.stringify(figures)}`);
  const errors = [...await call.pageErrors(), ...call.errors];
  check(errors.length === 0, `no signalling error (${errors})`);
  check(peer.stderr.filter((l) => /CRITICAL|WARN|ERROR/.test(l)).length === 0,
    'rtcbin logged no warning');
});
log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
