/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Browser-shaped descriptions and helpers shared by the JSEP core tests.
 * The offers follow what Chrome and Firefox send: BUNDLE, RTX with
 * ssrc-group FID, extmap, msid, ice-options, mDNS host candidates and a
 * data channel section; Firefox keeps its fingerprint and ice-options at
 * session level.
 */
#pragma once

#include <gst/check/gstcheck.h>
#include <string.h>

#include "rtcjsep.h"

#define TEST_FP_REMOTE \
  "sha-256 3B:8C:1E:55:0A:9D:44:71:6F:02:B8:E3:19:C4:7A:50:D6:2E:93:81:" \
  "0F:6B:A7:35:C2:48:E9:1D:76:04:BF:5A"
#define TEST_FP_LOCAL \
  "sha-256 A1:B2:C3:D4:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:90:01:12:23:34:" \
  "45:56:67:78:89:9A:AB:BC:CD:DE:EF:F0"
#define TEST_UFRAG "lo7Q"
#define TEST_PWD "Hn2uT8xK4rVw6yZa1cE3gJ5m"

/* Chrome: audio + video (VP8, H.264 in three variants, VP9, each with
 * RTX) + data, one BUNDLE group, a trickled mDNS host candidate, a srflx
 * candidate and one malformed candidate line. */
static const gchar chrome_offer[]
    = "v=0\r\n"
      "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
      "s=-\r\n"
      "t=0 0\r\n"
      "a=group:BUNDLE 0 1 2\r\n"
      "a=extmap-allow-mixed\r\n"
      "a=msid-semantic: WMS st0\r\n"
      "m=audio 49203 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\n"
      "c=IN IP4 203.0.113.10\r\n"
      "a=rtcp:9 IN IP4 0.0.0.0\r\n"
      "a=candidate:1467250027 1 udp 2122260223 "
      "4e8f3b0c-3b1d-4c8e-9a4a-1c2f3e4d5a6b.local 49203 typ host generation 0 "
      "network-id 1\r\n"
      "a=candidate:3141592653 1 udp 1686052607 203.0.113.10 49203 typ srflx "
      "raddr 0.0.0.0 rport 0 generation 0 network-id 1\r\n"
      "a=candidate:garbage\r\n"
      "a=ice-ufrag:Xk3p\r\n"
      "a=ice-pwd:Q9sFv2kLm8NpR4tYw6zB1cD7\r\n"
      "a=ice-options:trickle\r\n"
      "a=fingerprint:" TEST_FP_REMOTE "\r\n"
      "a=setup:actpass\r\n"
      "a=mid:0\r\n"
      "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
      "a=extmap:2 "
      "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"
      "a=extmap:3 http://www.ietf.org/id/"
      "draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n"
      "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
      "a=sendrecv\r\n"
      "a=msid:st0 au0\r\n"
      "a=rtcp-mux\r\n"
      "a=rtpmap:111 opus/48000/2\r\n"
      "a=rtcp-fb:111 transport-cc\r\n"
      "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
      "a=rtpmap:63 red/48000/2\r\n"
      "a=fmtp:63 111/111\r\n"
      "a=rtpmap:9 G722/8000\r\n"
      "a=rtpmap:0 PCMU/8000\r\n"
      "a=rtpmap:8 PCMA/8000\r\n"
      "a=rtpmap:13 CN/8000\r\n"
      "a=rtpmap:110 telephone-event/48000\r\n"
      "a=rtpmap:126 telephone-event/8000\r\n"
      "a=ssrc:1001 cname:chromecname\r\n"
      "a=ssrc:1001 msid:st0 au0\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105 106 107 98 99\r\n"
      "c=IN IP4 0.0.0.0\r\n"
      "a=rtcp:9 IN IP4 0.0.0.0\r\n"
      "a=ice-ufrag:Xk3p\r\n"
      "a=ice-pwd:Q9sFv2kLm8NpR4tYw6zB1cD7\r\n"
      "a=ice-options:trickle\r\n"
      "a=fingerprint:" TEST_FP_REMOTE "\r\n"
      "a=setup:actpass\r\n"
      "a=mid:1\r\n"
      "a=extmap:14 urn:ietf:params:rtp-hdrext:toffset\r\n"
      "a=extmap:2 "
      "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"
      "a=extmap:13 urn:3gpp:video-orientation\r\n"
      "a=extmap:3 http://www.ietf.org/id/"
      "draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n"
      "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
      "a=sendrecv\r\n"
      "a=msid:st0 vi0\r\n"
      "a=rtcp-mux\r\n"
      "a=rtcp-rsize\r\n"
      "a=rtpmap:96 VP8/90000\r\n"
      "a=rtcp-fb:96 goog-remb\r\n"
      "a=rtcp-fb:96 transport-cc\r\n"
      "a=rtcp-fb:96 ccm fir\r\n"
      "a=rtcp-fb:96 nack\r\n"
      "a=rtcp-fb:96 nack pli\r\n"
      "a=rtpmap:97 rtx/90000\r\n"
      "a=fmtp:97 apt=96\r\n"
      "a=rtpmap:102 H264/90000\r\n"
      "a=rtcp-fb:102 nack\r\n"
      "a=rtcp-fb:102 nack pli\r\n"
      "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;"
      "profile-level-id=42001f\r\n"
      "a=rtpmap:103 rtx/90000\r\n"
      "a=fmtp:103 apt=102\r\n"
      "a=rtpmap:104 H264/90000\r\n"
      "a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=0;"
      "profile-level-id=42e01f\r\n"
      "a=rtpmap:105 rtx/90000\r\n"
      "a=fmtp:105 apt=104\r\n"
      "a=rtpmap:106 H264/90000\r\n"
      "a=rtcp-fb:106 goog-remb\r\n"
      "a=rtcp-fb:106 transport-cc\r\n"
      "a=rtcp-fb:106 ccm fir\r\n"
      "a=rtcp-fb:106 nack\r\n"
      "a=rtcp-fb:106 nack pli\r\n"
      "a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;"
      "profile-level-id=42e01f\r\n"
      "a=rtpmap:107 rtx/90000\r\n"
      "a=fmtp:107 apt=106\r\n"
      "a=rtpmap:98 VP9/90000\r\n"
      "a=rtcp-fb:98 nack\r\n"
      "a=fmtp:98 profile-id=0\r\n"
      "a=rtpmap:99 rtx/90000\r\n"
      "a=fmtp:99 apt=98\r\n"
      "a=ssrc-group:FID 2001 2002\r\n"
      "a=ssrc:2001 cname:chromecname\r\n"
      "a=ssrc:2001 msid:st0 vi0\r\n"
      "a=ssrc:2002 cname:chromecname\r\n"
      "a=ssrc:2002 msid:st0 vi0\r\n"
      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
      "c=IN IP4 0.0.0.0\r\n"
      "a=ice-ufrag:Xk3p\r\n"
      "a=ice-pwd:Q9sFv2kLm8NpR4tYw6zB1cD7\r\n"
      "a=ice-options:trickle\r\n"
      "a=fingerprint:" TEST_FP_REMOTE "\r\n"
      "a=setup:actpass\r\n"
      "a=mid:2\r\n"
      "a=sctp-port:5000\r\n"
      "a=max-message-size:262144\r\n";

/* Firefox: session-level fingerprint and ice-options, VP8/VP9 before
 * H.264 (packetization-mode 1 and 0), extmap with directions. */
static const gchar firefox_offer[]
    = "v=0\r\n"
      "o=mozilla...THIS_IS_SDPARTA-99.0 5173418498530291870 0 IN IP4 "
      "0.0.0.0\r\n"
      "s=-\r\n"
      "t=0 0\r\n"
      "a=fingerprint:" TEST_FP_REMOTE "\r\n"
      "a=group:BUNDLE 0 1 2\r\n"
      "a=ice-options:trickle\r\n"
      "a=msid-semantic:WMS *\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 109 9 0 8 101\r\n"
      "c=IN IP4 0.0.0.0\r\n"
      "a=candidate:0 1 UDP 2122252543 "
      "9a1c7e2b-1d2e-4f3a-8b4c-5d6e7f8a9b0c.local "
      "54872 typ host\r\n"
      "a=sendrecv\r\n"
      "a=end-of-candidates\r\n"
      "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
      "a=extmap:2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level\r\n"
      "a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
      "a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1\r\n"
      "a=fmtp:101 0-15\r\n"
      "a=ice-pwd:7a5b1f8e2c9d4a6b3e0f1d2c\r\n"
      "a=ice-ufrag:5e8b2a1f\r\n"
      "a=mid:0\r\n"
      "a=msid:{2b7c9f3e-aa10-4c6e-9d2b-8e1f0a3c5d7e} "
      "{c4d5e6f7-0a1b-4c2d-8e3f-9a0b1c2d3e4f}\r\n"
      "a=rtcp-mux\r\n"
      "a=rtpmap:109 opus/48000/2\r\n"
      "a=rtpmap:9 G722/8000/1\r\n"
      "a=rtpmap:0 PCMU/8000\r\n"
      "a=rtpmap:8 PCMA/8000\r\n"
      "a=rtpmap:101 telephone-event/8000/1\r\n"
      "a=setup:actpass\r\n"
      "a=ssrc:3001 cname:{0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6}\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 120 124 121 125 126 127 97 98\r\n"
      "c=IN IP4 0.0.0.0\r\n"
      "a=sendrecv\r\n"
      "a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
      "a=extmap:4 "
      "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"
      "a=extmap:5 urn:ietf:params:rtp-hdrext:toffset\r\n"
      "a=extmap:6/recvonly "
      "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay\r\n"
      "a=extmap:7 http://www.ietf.org/id/"
      "draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n"
      "a=fmtp:126 profile-level-id=42e01f;level-asymmetry-allowed=1;"
      "packetization-mode=1\r\n"
      "a=fmtp:97 profile-level-id=42e01f;level-asymmetry-allowed=1\r\n"
      "a=fmtp:120 max-fs=12288;max-fr=60\r\n"
      "a=fmtp:124 apt=120\r\n"
      "a=fmtp:121 max-fs=12288;max-fr=60\r\n"
      "a=fmtp:125 apt=121\r\n"
      "a=fmtp:127 apt=126\r\n"
      "a=fmtp:98 apt=97\r\n"
      "a=ice-pwd:7a5b1f8e2c9d4a6b3e0f1d2c\r\n"
      "a=ice-ufrag:5e8b2a1f\r\n"
      "a=mid:1\r\n"
      "a=msid:{2b7c9f3e-aa10-4c6e-9d2b-8e1f0a3c5d7e} "
      "{e5f6a7b8-1c2d-4e3f-9a4b-0c1d2e3f4a5b}\r\n"
      "a=rtcp-fb:120 nack\r\n"
      "a=rtcp-fb:120 nack pli\r\n"
      "a=rtcp-fb:120 ccm fir\r\n"
      "a=rtcp-fb:120 goog-remb\r\n"
      "a=rtcp-fb:120 transport-cc\r\n"
      "a=rtcp-fb:121 nack\r\n"
      "a=rtcp-fb:121 nack pli\r\n"
      "a=rtcp-fb:126 nack\r\n"
      "a=rtcp-fb:126 nack pli\r\n"
      "a=rtcp-fb:126 ccm fir\r\n"
      "a=rtcp-fb:126 transport-cc\r\n"
      "a=rtcp-fb:97 nack\r\n"
      "a=rtcp-mux\r\n"
      "a=rtcp-rsize\r\n"
      "a=rtpmap:120 VP8/90000\r\n"
      "a=rtpmap:124 rtx/90000\r\n"
      "a=rtpmap:121 VP9/90000\r\n"
      "a=rtpmap:125 rtx/90000\r\n"
      "a=rtpmap:126 H264/90000\r\n"
      "a=rtpmap:127 rtx/90000\r\n"
      "a=rtpmap:97 H264/90000\r\n"
      "a=rtpmap:98 rtx/90000\r\n"
      "a=setup:actpass\r\n"
      "a=ssrc:4001 cname:{0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6}\r\n"
      "a=ssrc:4002 cname:{0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6}\r\n"
      "a=ssrc-group:FID 4001 4002\r\n"
      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
      "c=IN IP4 0.0.0.0\r\n"
      "a=sendrecv\r\n"
      "a=ice-pwd:7a5b1f8e2c9d4a6b3e0f1d2c\r\n"
      "a=ice-ufrag:5e8b2a1f\r\n"
      "a=mid:2\r\n"
      "a=setup:actpass\r\n"
      "a=sctp-port:5000\r\n"
      "a=max-message-size:1073741823\r\n";

static inline GstSDPMessage *
test_parse (const gchar *text)
{
  GError *error = NULL;
  GstSDPMessage *msg = rtc_jsep_parse_sdp (text, -1, &error);

  fail_unless (msg != NULL, "%s", error ? error->message : "");
  return msg;
}

/* Replaces the first occurrence of @from in @text; fails if absent. */
static inline gchar *
test_replace (const gchar *text, const gchar *from, const gchar *to)
{
  const gchar *at = strstr (text, from);

  fail_unless (at != NULL, "'%s' not found", from);
  return g_strdup_printf ("%.*s%s%s", (int)(at - text), text, to,
      at + strlen (from));
}

static inline RtcJsepSession *
test_session (void)
{
  return rtc_jsep_session_new (TEST_UFRAG, TEST_PWD, TEST_FP_LOCAL);
}

/* The value of the @n-th attribute @key of m-line @idx, or NULL. */
static inline const gchar *
test_media_attr (const GstSDPMessage *msg, guint idx, const gchar *key, guint n)
{
  return gst_sdp_media_get_attribute_val_n (gst_sdp_message_get_media (msg,
                                                idx),
      key, n);
}

/* Whether m-line @idx has the attribute "key:value" exactly. */
static inline gboolean
test_media_has (const GstSDPMessage *msg, guint idx, const gchar *key,
    const gchar *value)
{
  const GstSDPMedia *m = gst_sdp_message_get_media (msg, idx);
  guint i;

  for (i = 0; i < gst_sdp_media_attributes_len (m); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, i);
    if (!g_strcmp0 (a->key, key) && !g_strcmp0 (a->value, value))
      return TRUE;
  }
  return FALSE;
}

/* The m= line formats of m-line @idx joined by spaces. */
static inline gchar *
test_formats (const GstSDPMessage *msg, guint idx)
{
  const GstSDPMedia *m = gst_sdp_message_get_media (msg, idx);
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < gst_sdp_media_formats_len (m); i++)
    g_string_append_printf (s, "%s%s", i ? " " : "",
        gst_sdp_media_get_format (m, i));
  return g_string_free (s, FALSE);
}
