#!/usr/bin/env python3
# gst-rtc
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A data channel between two rtcbins driven from Python through
# introspection: create-data-channel with a Gst.Structure of options,
# on-data-channel on the other side, a string and a binary message echoed
# back, and the channel closed on both ends.

import os
import threading
import unittest

import gi

gi.require_version("GLib", "2.0")
gi.require_version("Gst", "1.0")
gi.require_version("GstRtc", "1.0")
from gi.repository import GLib, Gst, GstRtc  # noqa: E402

SCALE = max(1, int(os.environ.get("RTC_TEST_TIMEOUT_SCALE", "1") or 1))


def promise_reply(element, action, *args):
    promise = Gst.Promise.new()
    element.emit(action, *args, promise)
    assert promise.wait() == Gst.PromiseResult.REPLIED
    return promise, promise.get_reply()


class DataChannelTest(unittest.TestCase):
    def setUp(self):
        self.a = Gst.ElementFactory.make("rtcbin", "a")
        self.b = Gst.ElementFactory.make("rtcbin", "b")
        for peer, other in ((self.a, self.b), (self.b, self.a)):
            peer.set_property("local-addresses", ["127.0.0.1"])
            peer.connect(
                "on-ice-candidate",
                lambda element, mline, cand, o=other: o.emit(
                    "add-ice-candidate", mline, cand
                ),
            )

    def tearDown(self):
        for peer in (self.a, self.b):
            peer.set_state(Gst.State.NULL)

    def exchange(self, offerer, answerer):
        promise, reply = promise_reply(offerer, "create-offer", None)
        offer = reply.get_value("offer").copy()
        del promise
        for element, action in (
            (offerer, "set-local-description"),
            (answerer, "set-remote-description"),
        ):
            promise, reply = promise_reply(element, action, offer)
            self.assertTrue(reply is None or not reply.has_field("error"))
        promise, reply = promise_reply(answerer, "create-answer", None)
        answer = reply.get_value("answer").copy()
        del promise
        self.assertIn("webrtc-datachannel", answer.sdp.as_text())
        for element, action in (
            (answerer, "set-local-description"),
            (offerer, "set-remote-description"),
        ):
            promise, reply = promise_reply(element, action, answer)
            self.assertTrue(reply is None or not reply.has_field("error"))

    def test_round_trip(self):
        a, b = self.a, self.b
        lock = threading.Lock()
        got = []
        opened = threading.Event()
        closed_a = threading.Event()
        closed_b = threading.Event()
        remote = []

        def on_remote(element, channel):
            remote.append(channel)
            channel.connect(
                "on-message-string", lambda ch, s: ch.emit("send-string", s)
            )
            channel.connect(
                "on-message-data", lambda ch, d: ch.emit("send-data", d)
            )
            channel.connect("on-close", lambda ch: closed_b.set())

        b.connect("on-data-channel", on_remote)
        for peer in (a, b):
            self.assertNotEqual(
                peer.set_state(Gst.State.PLAYING), Gst.StateChangeReturn.FAILURE
            )
        options = Gst.Structure.new_from_string("options, protocol=(string)py")
        channel = a.emit("create-data-channel", "py-chan", options)
        self.assertIsInstance(channel, GstRtc.DataChannel)
        self.assertEqual(channel.get_property("label"), "py-chan")

        def record(ch, value):
            with lock:
                got.append(value)

        channel.connect("on-open", lambda ch: opened.set())
        channel.connect("on-message-string", record)
        channel.connect("on-message-data", lambda ch, d: record(ch, d.get_data()))
        channel.connect("on-close", lambda ch: closed_a.set())

        self.exchange(a, b)
        self.assertTrue(opened.wait(10 * SCALE))
        self.assertEqual(
            channel.get_property("ready-state"), GstRtc.DataChannelState.OPEN
        )
        channel.emit("send-string", "héllo")
        channel.emit("send-data", GLib.Bytes.new(bytes(range(256)) * 4))

        def both():
            with lock:
                return len(got) == 2

        deadline = GLib.get_monotonic_time() + 10 * SCALE * 1000000
        while not both() and GLib.get_monotonic_time() < deadline:
            GLib.usleep(10000)
        with lock:
            self.assertEqual(got, ["héllo", bytes(range(256)) * 4])
        self.assertEqual(len(remote), 1)
        self.assertEqual(remote[0].get_property("protocol"), "py")

        channel.emit("close")
        self.assertTrue(closed_a.wait(5 * SCALE))
        self.assertTrue(closed_b.wait(5 * SCALE))


if __name__ == "__main__":
    Gst.init(None)
    unittest.main(verbosity=2)
