#!/usr/bin/env python3
# gst-rtc
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A whole call between two rtcbins driven from Python, the way a
# webrtcbin application does it: create-offer / create-answer with
# Gst.Promise, GstRtc.SessionDescription, set-local/remote-description,
# candidates through on-ice-candidate and add-ice-candidate. Both sides
# send Opus and VP8 and count the frames their decoders put out.

import os
import threading
import time
import unittest

import gi

gi.require_version("GLib", "2.0")
gi.require_version("Gst", "1.0")
gi.require_version("GstSdp", "1.0")
gi.require_version("GstRtc", "1.0")
from gi.repository import GLib, Gst, GstRtc, GstSdp  # noqa: E402,F401

SCALE = max(1, int(os.environ.get("RTC_TEST_TIMEOUT_SCALE", "1") or 1))

SEND = (
    "audiotestsrc is-live=true ! opusenc ! rtpopuspay ! rtcbin name={n} "
    "videotestsrc is-live=true ! video/x-raw,width=160,height=120,"
    "framerate=30/1 ! vp8enc deadline=1 ! rtpvp8pay ! {n}."
)


def wait_for(predicate, seconds):
    end = time.monotonic() + seconds * SCALE
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


class Peer:
    """One side: a pipeline with a sending rtcbin and decoders for what it
    receives."""

    def __init__(self, name):
        self.pipeline = Gst.parse_launch(SEND.format(n=name))
        self.bin = self.pipeline.get_by_name(name)
        self.bin.set_property("local-addresses", ["127.0.0.1"])
        self.lock = threading.Lock()
        self.decoded = {"OPUS": 0, "VP8": 0}
        self.candidates = 0
        self.end_of_candidates = 0
        self.bin.connect("pad-added", self.on_pad_added)

    def on_pad_added(self, element, pad):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        caps = pad.get_current_caps() or pad.query_caps(None)
        encoding = caps.get_structure(0).get_string("encoding-name")
        if encoding == "OPUS":
            chain = "rtpopusdepay ! opusdec"
        elif encoding == "VP8":
            chain = "rtpvp8depay ! vp8dec"
        else:
            raise AssertionError("unexpected stream %s" % caps.to_string())
        decoder = Gst.parse_bin_from_description(
            chain + " ! fakesink name=sink sync=false async=false "
            "signal-handoffs=true",
            True,
        )
        decoder.get_by_name("sink").connect("handoff", self.on_frame, encoding)
        self.pipeline.add(decoder)
        decoder.sync_state_with_parent()
        assert pad.link(decoder.get_static_pad("sink")) == Gst.PadLinkReturn.OK

    def on_frame(self, sink, buf, pad, encoding):
        with self.lock:
            self.decoded[encoding] += 1

    def count(self, encoding):
        with self.lock:
            return self.decoded[encoding]

    def n_transceivers(self):
        n = 0
        while self.bin.emit("get-transceiver", n) is not None:
            n += 1
        return n


def promise_reply(element, action, *args):
    """Runs an action with a promise; returns the promise, which owns its
    reply (the reply must not outlive it), and the reply."""
    promise = Gst.Promise.new()
    element.emit(action, *args, promise)
    assert promise.wait() == Gst.PromiseResult.REPLIED
    return promise, promise.get_reply()


class CallTest(unittest.TestCase):
    def setUp(self):
        self.a = Peer("a")
        self.b = Peer("b")

    def tearDown(self):
        self.a.pipeline.set_state(Gst.State.NULL)
        self.b.pipeline.set_state(Gst.State.NULL)

    def trickle(self, src, dst):
        def on_candidate(element, mline, candidate):
            with src.lock:
                if candidate:
                    src.candidates += 1
                else:
                    src.end_of_candidates += 1
            dst.bin.emit("add-ice-candidate", mline, candidate)

        src.bin.connect("on-ice-candidate", on_candidate)

    def describe(self, element, action, field):
        promise, reply = promise_reply(element, action, None)
        self.assertFalse(reply.has_field("error"), reply.to_string())
        # get_value() wraps the reply's own description without copying
        # it, and the reply dies with the promise: copy it first.
        desc = reply.get_value(field).copy()
        del promise
        self.assertIsInstance(desc, GstRtc.SessionDescription)
        return desc

    def set_description(self, element, action, desc):
        promise, reply = promise_reply(element, action, desc)
        if reply is not None:
            self.assertFalse(reply.has_field("error"), reply.to_string())

    def test_call(self):
        a, b = self.a, self.b
        needed = threading.Event()
        a.bin.connect("on-negotiation-needed", lambda element: needed.set())
        self.trickle(a, b)
        self.trickle(b, a)

        for peer in (a, b):
            ret = peer.pipeline.set_state(Gst.State.PLAYING)
            self.assertNotEqual(ret, Gst.StateChangeReturn.FAILURE)
        self.assertTrue(needed.wait(5 * SCALE))
        # b's payloaders make its transceivers, which the offer reuses.
        self.assertTrue(wait_for(lambda: b.n_transceivers() == 2, 5))

        offer = self.describe(a.bin, "create-offer", "offer")
        self.assertEqual(offer.type, GstRtc.SDPType.OFFER)
        self.assertEqual(offer.sdp.medias_len(), 2)
        # Round trip through text, as signalling would carry it.
        ret, sdp = GstSdp.SDPMessage.new_from_text(offer.sdp.as_text())
        self.assertEqual(ret, GstSdp.SDPResult.OK)
        remote_offer = GstRtc.SessionDescription.new(GstRtc.SDPType.OFFER, sdp)
        self.set_description(a.bin, "set-local-description", offer)
        self.set_description(b.bin, "set-remote-description", remote_offer)
        self.assertEqual(
            b.bin.get_property("signaling-state"),
            GstRtc.SignalingState.HAVE_REMOTE_OFFER,
        )

        answer = self.describe(b.bin, "create-answer", "answer")
        self.assertEqual(answer.type, GstRtc.SDPType.ANSWER)
        self.set_description(b.bin, "set-local-description", answer)
        self.set_description(a.bin, "set-remote-description", answer)
        for peer in (a, b):
            self.assertEqual(
                peer.bin.get_property("signaling-state"), GstRtc.SignalingState.STABLE
            )
            self.assertEqual(peer.n_transceivers(), 2)
            trans = peer.bin.emit("get-transceiver", 0)
            self.assertIsInstance(trans, GstRtc.RtpTransceiver)
            self.assertEqual(
                trans.get_property("current-direction"),
                GstRtc.RtpTransceiverDirection.SENDRECV,
            )

        for peer in (a, b):
            self.assertTrue(
                wait_for(
                    lambda: peer.bin.get_property("connection-state")
                    == GstRtc.PeerConnectionState.CONNECTED,
                    10,
                ),
                peer.bin.get_property("connection-state"),
            )

        def enough():
            return all(
                p.count("OPUS") >= 25 and p.count("VP8") >= 10 for p in (a, b)
            )

        self.assertTrue(
            wait_for(enough, 20), "decoded a=%s b=%s" % (a.decoded, b.decoded)
        )
        # Gathering ended on both sides with one empty candidate.
        for peer in (a, b):
            self.assertTrue(wait_for(lambda: peer.end_of_candidates == 1, 5))
            self.assertGreater(peer.candidates, 0)
            self.assertEqual(
                peer.bin.get_property("ice-gathering-state"),
                GstRtc.IceGatheringState.COMPLETE,
            )
            local = peer.bin.get_property("local-description")
            self.assertIn("a=end-of-candidates", local.sdp.as_text())


if __name__ == "__main__":
    Gst.init(None)
    unittest.main(verbosity=2)
