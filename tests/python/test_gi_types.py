#!/usr/bin/env python3
# gst-rtc
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# GstRtc-1.0 through GObject introspection, as a Python application sees
# it: session descriptions built from SDP text, enum nicks both ways
# through GStreamer's value (de)serialisation, transceivers and their
# properties, and the error domain.

import unittest

import gi

gi.require_version("GLib", "2.0")
gi.require_version("GObject", "2.0")
gi.require_version("Gst", "1.0")
gi.require_version("GstSdp", "1.0")
gi.require_version("GstRtc", "1.0")
from gi.repository import GLib, GObject, Gst, GstRtc, GstSdp  # noqa: E402

OFFER = (
    "v=0\r\n"
    "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=group:BUNDLE 0 1\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=mid:0\r\n"
    "a=sendrecv\r\n"
    "a=rtpmap:111 opus/48000/2\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=mid:1\r\n"
    "a=recvonly\r\n"
    "a=rtpmap:96 VP8/90000\r\n"
)

# Every enumeration with its nicks in value order and its first value;
# the same table as webrtcbin's GstWebRTC enumerations.
ENUMS = {
    "SDPType": (1, "offer pranswer answer rollback"),
    "SignalingState": (
        0,
        "stable closed have-local-offer have-remote-offer "
        "have-local-pranswer have-remote-pranswer",
    ),
    "IceConnectionState": (
        0,
        "new checking connected completed failed disconnected closed",
    ),
    "IceGatheringState": (0, "new gathering complete"),
    "PeerConnectionState": (
        0,
        "new connecting connected disconnected failed closed",
    ),
    "BundlePolicy": (0, "none balanced max-compat max-bundle"),
    "IceTransportPolicy": (0, "all relay"),
    "RtpTransceiverDirection": (0, "none inactive sendonly recvonly sendrecv"),
    "DataChannelState": (1, "connecting open closing closed"),
    "IceRole": (0, "controlled controlling"),
    "DtlsSetup": (0, "none actpass active passive"),
    "Kind": (0, "unknown audio video"),
    "PriorityType": (1, "very-low low medium high"),
    "IceComponent": (0, "rtp rtcp"),
    "DtlsTransportState": (0, "new closed failed connecting connected"),
    "SctpTransportState": (0, "new connecting connected closed"),
    "FecType": (0, "none ulp-red"),
    "Error": (
        0,
        "data-channel-failure dtls-failure fingerprint-failure sctp-failure "
        "sdp-syntax-error hardware-encoder-not-available encoder-error "
        "invalid-state internal-failure invalid-modification type-error",
    ),
}


def parse_sdp(text):
    res, msg = GstSdp.SDPMessage.new_from_text(text)
    assert res == GstSdp.SDPResult.OK, res
    return msg


class SessionDescriptionTest(unittest.TestCase):
    def test_from_sdp_text(self):
        desc = GstRtc.SessionDescription.new(GstRtc.SDPType.OFFER, parse_sdp(OFFER))
        self.assertEqual(desc.type, GstRtc.SDPType.OFFER)
        # Reading the field gives a copy of the message; keep it while its
        # media (plain structs pointing into it) are used.
        sdp = desc.sdp
        self.assertEqual(sdp.medias_len(), 2)
        self.assertEqual(sdp.get_media(0).get_media(), "audio")
        self.assertEqual(sdp.get_media(1).get_attribute_val("mid"), "1")
        self.assertEqual(sdp.as_text(), parse_sdp(OFFER).as_text())
        self.assertEqual(GstRtc.sdp_type_to_string(desc.type), "offer")

    def test_copy_is_deep(self):
        desc = GstRtc.SessionDescription.new(GstRtc.SDPType.ANSWER, parse_sdp(OFFER))
        copy = desc.copy()
        text = desc.sdp.as_text()
        del desc
        self.assertEqual(copy.type, GstRtc.SDPType.ANSWER)
        self.assertEqual(copy.sdp.as_text(), text)

    def test_sdp_type_strings(self):
        for value, name in [
            (GstRtc.SDPType.OFFER, "offer"),
            (GstRtc.SDPType.PRANSWER, "pranswer"),
            (GstRtc.SDPType.ANSWER, "answer"),
            (GstRtc.SDPType.ROLLBACK, "rollback"),
        ]:
            self.assertEqual(GstRtc.sdp_type_to_string(value), name)
            self.assertEqual(value.value_nick, name)


class EnumTest(unittest.TestCase):
    def test_nicks_and_values(self):
        for name, (first, nicks) in ENUMS.items():
            enum = getattr(GstRtc, name)
            values = sorted(enum.__enum_values__.items())
            self.assertEqual(
                [v.value_nick for _, v in values], nicks.split(), name
            )
            self.assertEqual(
                [i for i, _ in values],
                list(range(first, first + len(values))),
                name,
            )

    def test_nick_round_trip(self):
        # Through GStreamer's value serialisation, as gst-launch lines,
        # caps and stats structures spell enums.
        for name, (first, nicks) in ENUMS.items():
            enum = getattr(GstRtc, name)
            gtype = enum.__gtype__
            for i, nick in enumerate(nicks.split()):
                parsed = Gst.Structure.from_string(
                    "s, f=(%s)%s" % (gtype.name, nick)
                )[0]
                self.assertIsNotNone(parsed, (name, nick))
                ok, value = parsed.get_enum("f", gtype)
                self.assertTrue(ok, (name, nick))
                self.assertEqual(value, first + i, (name, nick))
                self.assertEqual(enum(value).value_nick, nick)

                s = Gst.Structure.new_empty("s")
                v = GObject.Value(gtype, enum(first + i))
                s.set_value("f", v)
                self.assertIn("(%s)%s" % (gtype.name, nick), s.to_string())

    def test_direction_names(self):
        d = GstRtc.RtpTransceiverDirection
        self.assertEqual(int(d.SENDRECV), 4)
        self.assertEqual(d.SENDRECV.value_name,
                         "GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV")


class TransceiverTest(unittest.TestCase):
    def test_properties(self):
        t = GstRtc.RtpTransceiver(
            mlineindex=1, direction=GstRtc.RtpTransceiverDirection.SENDRECV
        )
        self.assertEqual(t.props.mlineindex, 1)
        self.assertEqual(t.props.direction, GstRtc.RtpTransceiverDirection.SENDRECV)
        self.assertEqual(
            t.props.current_direction, GstRtc.RtpTransceiverDirection.NONE
        )
        self.assertEqual(t.props.kind, GstRtc.Kind.UNKNOWN)
        self.assertIsNone(t.props.mid)
        self.assertIsNone(t.props.codec_preferences)

        sender = t.props.sender
        self.assertIsInstance(sender, GstRtc.RtpSender)
        self.assertIsInstance(t.props.receiver, GstRtc.RtpReceiver)
        self.assertEqual(sender.get_parent(), t)
        self.assertEqual(sender.props.priority, GstRtc.PriorityType.LOW)
        self.assertIsNone(sender.props.transport)

    def test_notify_and_validation(self):
        t = GstRtc.RtpTransceiver()
        seen = []
        t.connect("notify", lambda obj, pspec: seen.append(pspec.name))

        t.props.direction = GstRtc.RtpTransceiverDirection.RECVONLY
        t.props.direction = GstRtc.RtpTransceiverDirection.RECVONLY
        self.assertEqual(seen, ["direction"])
        self.assertFalse(
            t.set_direction(GstRtc.RtpTransceiverDirection.NONE)
        )
        self.assertEqual(t.get_direction(), GstRtc.RtpTransceiverDirection.RECVONLY)

        self.assertTrue(t.set_mid("video"))
        self.assertFalse(t.set_mid("not a token"))
        self.assertEqual(t.props.mid, "video")
        self.assertEqual(seen, ["direction", "mid"])

        caps = Gst.Caps.from_string(
            "application/x-rtp, media=video, encoding-name=VP8, payload=96"
        )
        t.props.codec_preferences = caps
        self.assertTrue(t.props.codec_preferences.is_strictly_equal(caps))
        self.assertFalse(
            t.set_codec_preferences(Gst.Caps.from_string("video/x-raw"))
        )
        self.assertTrue(t.props.codec_preferences.is_strictly_equal(caps))
        self.assertEqual(seen, ["direction", "mid", "codec-preferences"])

        t.set_kind(GstRtc.Kind.VIDEO)
        self.assertEqual(t.props.kind, GstRtc.Kind.VIDEO)


class ErrorTest(unittest.TestCase):
    def test_domain(self):
        quark = GstRtc.error_quark()
        self.assertEqual(GLib.quark_to_string(quark), "gst-rtc-error-quark")
        err = GLib.Error.new_literal(
            quark, "bad state", int(GstRtc.Error.INVALID_STATE)
        )
        self.assertTrue(err.matches(quark, int(GstRtc.Error.INVALID_STATE)))
        self.assertEqual(err.domain, "gst-rtc-error-quark")
        self.assertEqual(err.code, 7)


class DataChannelTest(unittest.TestCase):
    def test_properties_and_signals(self):
        ch = GstRtc.DataChannel(
            label="chat", ordered=False, max_retransmits=3, protocol="p",
            priority=GstRtc.PriorityType.HIGH,
        )
        self.assertEqual(ch.props.label, "chat")
        self.assertFalse(ch.props.ordered)
        self.assertEqual(ch.props.max_retransmits, 3)
        self.assertEqual(ch.props.max_packet_lifetime, -1)
        self.assertEqual(ch.props.id, -1)
        self.assertFalse(ch.props.negotiated)
        self.assertEqual(ch.props.priority, GstRtc.PriorityType.HIGH)
        self.assertEqual(
            ch.props.ready_state, GstRtc.DataChannelState.CONNECTING
        )
        self.assertEqual(ch.get_buffered_amount(), 0)
        ch.props.buffered_amount_low_threshold = 1024
        self.assertEqual(ch.props.buffered_amount_low_threshold, 1024)
        for name in ("on-open", "on-close", "on-error", "on-message-string",
                     "on-message-data", "on-buffered-amount-low",
                     "send-string", "send-data", "close"):
            self.assertNotEqual(GObject.signal_lookup(name, ch), 0, name)

        # What a transport does, seen by the application's handlers.
        seen = []
        ch.connect("on-open", lambda c: seen.append("open"))
        ch.connect("on-message-string", lambda c, s: seen.append(s))
        ch.connect("on-buffered-amount-low", lambda c: seen.append("low"))
        ch.connect("on-close", lambda c: seen.append("close"))
        ch.set_ready_state(GstRtc.DataChannelState.OPEN)
        ch.deliver_message(GLib.Bytes.new(b"hi"), True)
        ch.add_buffered_amount(4096)
        ch.remove_buffered_amount(4096)
        ch.set_ready_state(GstRtc.DataChannelState.CLOSED)
        ch.set_ready_state(GstRtc.DataChannelState.OPEN)  # stays closed
        self.assertEqual(seen, ["open", "hi", "low", "close"])
        self.assertEqual(
            ch.props.ready_state, GstRtc.DataChannelState.CLOSED
        )


if __name__ == "__main__":
    Gst.init(None)
    unittest.main(verbosity=2)
