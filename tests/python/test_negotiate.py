#!/usr/bin/env python3
# gst-rtc
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# rtcbin's signalling from Python: set-local-description with None (the
# W3C parameterless setLocalDescription()), a rollback description
# without SDP, and close. No media: transceivers come from
# add-transceiver.

import unittest

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtc", "1.0")
from gi.repository import Gst, GstRtc  # noqa: E402

OPUS = "application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000"


def run(element, action, *args):
    """Runs an action with a promise; returns the promise (which owns the
    reply) and the reply."""
    promise = Gst.Promise.new()
    element.emit(action, *args, promise)
    assert promise.wait() == Gst.PromiseResult.REPLIED
    return promise, promise.get_reply()


def new_bin(name):
    pc = Gst.ElementFactory.make("rtcbin", name)
    pc.set_property("local-addresses", ["127.0.0.1"])
    trans = pc.emit(
        "add-transceiver",
        GstRtc.RtpTransceiverDirection.SENDRECV,
        Gst.Caps.from_string(OPUS),
    )
    assert trans is not None
    return pc


class NegotiateTest(unittest.TestCase):
    def state(self, pc):
        return pc.get_property("signaling-state")

    def applied(self, pc, field):
        """set-local-description(None): the description it applied."""
        promise, reply = run(pc, "set-local-description", None)
        self.assertFalse(reply.has_field("error"), reply.to_string())
        desc = reply.get_value(field).copy()
        del promise
        return desc

    def set_ok(self, pc, action, desc):
        promise, reply = run(pc, action, desc)
        if reply is not None:
            self.assertFalse(reply.has_field("error"), reply.to_string())

    def test_implicit_rollback_close(self):
        a, b = new_bin("a"), new_bin("b")

        offer = self.applied(a, "offer")
        self.assertEqual(offer.type, GstRtc.SDPType.OFFER)
        self.assertEqual(self.state(a), GstRtc.SignalingState.HAVE_LOCAL_OFFER)

        # A rollback needs no SDP.
        rollback = GstRtc.SessionDescription.new(GstRtc.SDPType.ROLLBACK, None)
        self.set_ok(a, "set-local-description", rollback)
        self.assertEqual(self.state(a), GstRtc.SignalingState.STABLE)
        self.assertIsNone(a.get_property("pending-local-description"))
        self.assertIsNone(a.emit("get-transceiver", 0).get_property("mid"))

        # In stable there is nothing to roll back.
        promise, reply = run(a, "set-local-description", rollback)
        err = reply.get_value("error")
        self.assertTrue(err.matches(GstRtc.error_quark(), GstRtc.Error.INVALID_STATE))
        del promise

        offer = self.applied(a, "offer")
        self.set_ok(b, "set-remote-description", offer)
        answer = self.applied(b, "answer")
        self.assertEqual(answer.type, GstRtc.SDPType.ANSWER)
        self.set_ok(a, "set-remote-description", answer)
        for pc in (a, b):
            self.assertEqual(self.state(pc), GstRtc.SignalingState.STABLE)
            self.assertEqual(
                pc.emit("get-transceiver", 0).get_property("current-direction"),
                GstRtc.RtpTransceiverDirection.SENDRECV,
            )

        a.emit("close")
        self.assertEqual(self.state(a), GstRtc.SignalingState.CLOSED)
        self.assertEqual(
            a.get_property("connection-state"), GstRtc.PeerConnectionState.CLOSED
        )
        promise, reply = run(a, "create-offer", None)
        err = reply.get_value("error")
        self.assertTrue(err.matches(GstRtc.error_quark(), GstRtc.Error.INVALID_STATE))
        del promise
        a.emit("close")
        self.assertEqual(self.state(a), GstRtc.SignalingState.CLOSED)


if __name__ == "__main__":
    Gst.init(None)
    unittest.main(verbosity=2)
