// One side of a call: a RTCPeerConnection negotiated with the other peer of
// the room through the signalling server, with the "perfect negotiation"
// pattern of the WebRTC specification, so either side may (re)negotiate at
// any time and glare resolves itself. The server tells which peer is polite.
//
// For tests: window.pc is the connection, window.stats() its statistics as
// plain objects, window.call the state of the call.
'use strict';

const room = new URLSearchParams(location.search).get('room') || 'default';
const call = { room, ws: 'connecting', peer: false, polite: false, sending: false, errors: [] };
window.call = call;
window.pc = null;

let localStream = null;
let makingOffer = false;
let ignoreOffer = false;
// Messages are handled one after the other: an answer must not race the
// getUserMedia() of the call it belongs to.
let queue = Promise.resolve();

const ws = new WebSocket(`ws://${location.host}/ws?room=${encodeURIComponent(room)}`);

function status(text) {
  document.getElementById('status').textContent = text;
  console.log(`${room}: ${text}`);
}

function fail(e) {
  call.errors.push(String(e));
  status(`error: ${e}`);
}

function send(msg) {
  if (msg.type !== 'candidate')
    console.log(`${room}: sending ${msg.type}`);
  if (ws.readyState === WebSocket.OPEN)
    ws.send(JSON.stringify(msg));
}

async function startCall() {
  if (!localStream) {
    localStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    document.getElementById('local').srcObject = localStream;
  }
  const pc = new RTCPeerConnection();
  window.pc = pc;

  pc.onnegotiationneeded = async () => {
    try {
      makingOffer = true;
      await pc.setLocalDescription();
      send({ type: pc.localDescription.type, sdp: pc.localDescription.sdp });
    } catch (e) {
      fail(e);
    } finally {
      makingOffer = false;
    }
  };
  pc.oniceconnectionstatechange = () => console.log(`${room}: ice ${pc.iceConnectionState}`);
  pc.onicecandidate = ({ candidate: c }) => {
    send({
      type: 'candidate',
      candidate: c ? {
        candidate: c.candidate, sdpMid: c.sdpMid,
        sdpMLineIndex: c.sdpMLineIndex, usernameFragment: c.usernameFragment,
      } : null,
    });
  };
  // All the peer's tracks play in one element, whichever streams the peer
  // put them in: a GStreamer peer gives each transceiver its own (its
  // audio would otherwise never be played, nor decoded).
  const remoteStream = new MediaStream();
  pc.ontrack = ({ track }) => {
    remoteStream.addTrack(track);
    document.getElementById('remote').srcObject = remoteStream;
  };
  pc.onconnectionstatechange = () => status(`connection ${pc.connectionState}`);
  pc.onsignalingstatechange = () => console.log(`${room}: signaling ${pc.signalingState}`);

  // The impolite peer (the first in the room) makes the first offer; the
  // polite one adds its tracks to the transceivers that offer creates. Both
  // adding tracks at once is glare, which perfect negotiation resolves, but
  // chromium sometimes gathers no candidate after rolling back an offer
  // whose gathering had started, and the call never connects.
  if (!call.polite)
    addTracks(pc);
}

function addTracks(pc) {
  for (const track of localStream.getTracks())
    pc.addTrack(track, localStream);
  call.sending = true;
}

function hangUp() {
  call.sending = false;
  if (window.pc) {
    window.pc.close();
    window.pc = null;
  }
  document.getElementById('remote').srcObject = null;
  makingOffer = false;
  ignoreOffer = false;
}

async function onDescription(description) {
  const pc = window.pc;
  const collision = description.type === 'offer' &&
    (makingOffer || pc.signalingState !== 'stable');

  ignoreOffer = !call.polite && collision;
  if (ignoreOffer)
    return;
  // A polite peer in glare rolls its own offer back implicitly here.
  await pc.setRemoteDescription(description);
  if (description.type === 'offer') {
    if (!call.sending)
      addTracks(pc);
    await pc.setLocalDescription();
    send({ type: pc.localDescription.type, sdp: pc.localDescription.sdp });
  }
}

async function onCandidate(candidate) {
  try {
    if (candidate && candidate.candidate)
      await window.pc.addIceCandidate(candidate);
    else
      await window.pc.addIceCandidate();
  } catch (e) {
    // Candidates of an offer we ignored cannot apply.
    if (!ignoreOffer)
      throw e;
  }
}

async function handle(msg) {
  if (msg.type !== 'candidate')
    console.log(`${room}: received ${msg.type}`);
  switch (msg.type) {
    case 'peer':
      hangUp();
      call.peer = true;
      call.polite = msg.polite;
      status(`peer joined, ${msg.polite ? 'polite' : 'impolite'}`);
      await startCall();
      break;
    case 'peer-left':
      call.peer = false;
      hangUp();
      status('peer left, waiting');
      break;
    case 'offer':
    case 'answer':
      if (window.pc)
        await onDescription(msg);
      break;
    case 'candidate':
      if (window.pc)
        await onCandidate(msg.candidate);
      break;
  }
}

ws.onopen = () => {
  call.ws = 'open';
  status('waiting for a peer');
};
ws.onclose = (e) => {
  call.ws = 'closed';
  status(`signalling closed (${e.code} ${e.reason})`);
};
ws.onmessage = ({ data }) => {
  let msg;
  try {
    msg = JSON.parse(data);
  } catch (e) {
    return fail(e);
  }
  queue = queue.then(() => handle(msg)).catch(fail);
};

document.getElementById('room').textContent = room;

window.stats = async () => {
  if (!window.pc)
    return [];
  return [...(await window.pc.getStats()).values()];
};
