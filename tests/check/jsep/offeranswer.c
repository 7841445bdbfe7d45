/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Offers, answers and negotiation results of the JSEP core, against
 * Chrome- and Firefox-shaped descriptions and against itself.
 */
#include "jseptestutil.h"
#include "../common/rtccheckmain.h"

static GstSDPMessage *
offer_ok (RtcJsepSession *s, const GstSDPMessage *prev_local,
    const GstSDPMessage *prev_remote)
{
  GError *error = NULL;
  GstSDPMessage *offer = rtc_jsep_create_offer (s, prev_local, prev_remote,
      &error);

  fail_unless (offer != NULL, "%s", error ? error->message : "");
  /* Everything we make must pass our own validation. */
  fail_unless (rtc_jsep_validate (offer, GST_RTC_SDP_TYPE_OFFER, NULL, &error),
      "%s", error ? error->message : "");
  return offer;
}

static GstSDPMessage *
answer_ok (RtcJsepSession *s, const GstSDPMessage *offer)
{
  GError *error = NULL;
  GstSDPMessage *answer = rtc_jsep_create_answer (s, offer, &error);

  fail_unless (answer != NULL, "%s", error ? error->message : "");
  fail_unless (rtc_jsep_validate (answer, GST_RTC_SDP_TYPE_ANSWER, offer,
                   &error),
      "%s", error ? error->message : "");
  return answer;
}

static RtcJsepNegotiation *
negotiate_ok (const GstSDPMessage *offer, const GstSDPMessage *answer,
    gboolean local_is_offerer)
{
  GError *error = NULL;
  RtcJsepNegotiation *neg = rtc_jsep_negotiate (offer, answer, local_is_offerer,
      &error);

  fail_unless (neg != NULL, "%s", error ? error->message : "");
  return neg;
}

static RtcJsepMedia *
neg_media (RtcJsepNegotiation *neg, guint i)
{
  fail_unless (i < neg->media->len);
  return g_ptr_array_index (neg->media, i);
}

static void
check_formats (const GstSDPMessage *msg, guint idx, const gchar *expected)
{
  gchar *f = test_formats (msg, idx);

  fail_unless_equals_string (f, expected);
  g_free (f);
}

static gchar *printf_attr (const gchar *format, ...) G_GNUC_PRINTF (1, 2);

static gchar *
printf_attr (const gchar *format, ...)
{
  va_list args;
  gchar *s;

  va_start (args, format);
  s = g_strdup_vprintf (format, args);
  va_end (args);
  return s;
}

static void
check_has (const GstSDPMessage *msg, guint idx, const gchar *key, gchar *value)
{
  fail_unless (test_media_has (msg, idx, key, value), "m-line %u lacks a=%s:%s",
      idx, key, value);
  g_free (value);
}

#define HAS(msg, idx, key, value) check_has (msg, idx, key, g_strdup (value))
#define HAS_F(msg, idx, key, ...) \
  check_has (msg, idx, key, printf_attr (__VA_ARGS__))

static void
check_rejected (const GstSDPMessage *msg, guint idx)
{
  const GstSDPMedia *m = gst_sdp_message_get_media (msg, idx);

  fail_unless_equals_int (gst_sdp_media_get_port (m), 0);
  fail_unless (test_media_attr (msg, idx, "ice-ufrag", 0) == NULL);
}

static GstCaps *
caps (const gchar *str)
{
  GstCaps *c = gst_caps_from_string (str);

  fail_unless (c != NULL, "%s", str);
  return c;
}

static RtcJsepTransceiver *
add_trans (RtcJsepSession *s, GstRtcKind kind,
    GstRtcRtpTransceiverDirection dir, const gchar *caps_str)
{
  GstCaps *c = caps_str ? caps (caps_str) : NULL;
  RtcJsepTransceiver *t = rtc_jsep_session_add_transceiver (s, kind, dir, c);

  if (c)
    gst_caps_unref (c);
  return t;
}

#define SENDRECV GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
#define SENDONLY GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY
#define RECVONLY GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY
#define INACTIVE GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE
#define AUDIO GST_RTC_KIND_AUDIO
#define VIDEO GST_RTC_KIND_VIDEO

GST_START_TEST (test_offer_basic)
{
  RtcJsepSession *s = test_session ();
  RtcJsepTransceiver *a = add_trans (s, AUDIO, SENDRECV, NULL);
  RtcJsepTransceiver *v = add_trans (s, VIDEO, SENDRECV, NULL);
  GstSDPMessage *offer;

  s->data_channel = TRUE;
  offer = offer_ok (s, NULL, NULL);
  fail_unless_equals_int (gst_sdp_message_medias_len (offer), 3);
  fail_unless_equals_string (a->mid, "0");
  fail_unless_equals_string (v->mid, "1");
  fail_unless_equals_string (s->data_mid, "2");
  fail_unless_equals_int (a->mline, 0);
  fail_unless_equals_int (v->mline, 1);
  fail_unless_equals_int (s->data_mline, 2);
  fail_unless_equals_string (gst_sdp_message_get_attribute_val (offer, "group"),
      "BUNDLE 0 1 2");

  /* Audio: Opus on the first dynamic type, PCMU/PCMA static. */
  fail_unless_equals_int (gst_sdp_media_get_port (
                              gst_sdp_message_get_media (offer, 0)),
      9);
  fail_unless_equals_string (gst_sdp_media_get_proto (
                                 gst_sdp_message_get_media (offer, 0)),
      "UDP/TLS/RTP/SAVPF");
  check_formats (offer, 0, "96 0 8");
  HAS (offer, 0, "ice-ufrag", TEST_UFRAG);
  HAS (offer, 0, "ice-pwd", TEST_PWD);
  HAS (offer, 0, "ice-options", "trickle");
  HAS (offer, 0, "fingerprint", TEST_FP_LOCAL);
  HAS (offer, 0, "setup", "actpass");
  HAS (offer, 0, "mid", "0");
  HAS (offer, 0, "extmap", "1 " RTC_JSEP_EXT_AUDIO_LEVEL);
  HAS (offer, 0, "extmap", "3 " RTC_JSEP_EXT_TWCC);
  HAS (offer, 0, "extmap", "4 " RTC_JSEP_EXT_MID);
  fail_if (
      test_media_has (offer, 0, "extmap", "2 " RTC_JSEP_EXT_ABS_SEND_TIME));
  HAS (offer, 0, "sendrecv", "");
  HAS (offer, 0, "rtcp-mux", "");
  HAS (offer, 0, "rtcp-rsize", "");
  HAS (offer, 0, "rtpmap", "96 OPUS/48000/2");
  HAS (offer, 0, "rtpmap", "0 PCMU/8000");
  HAS (offer, 0, "rtpmap", "8 PCMA/8000");
  HAS (offer, 0, "rtcp-fb", "96 transport-cc");
  HAS (offer, 0, "fmtp", "96 minptime=10;useinbandfec=1");
  HAS_F (offer, 0, "msid", "%s %s", a->msid_stream, a->msid_track);
  HAS_F (offer, 0, "ssrc", "%u cname:%s", a->ssrc, s->cname);
  HAS_F (offer, 0, "ssrc", "%u msid:%s %s", a->ssrc, a->msid_stream,
      a->msid_track);
  fail_if (test_media_attr (offer, 0, "ssrc-group", 0) != NULL);

  /* Video: primaries first, then their RTX types (RFC 4588). */
  check_formats (offer, 1, "97 100 98 101 99 102");
  HAS (offer, 1, "extmap", "2 " RTC_JSEP_EXT_ABS_SEND_TIME);
  HAS (offer, 1, "extmap", "3 " RTC_JSEP_EXT_TWCC);
  HAS (offer, 1, "extmap", "4 " RTC_JSEP_EXT_MID);
  HAS (offer, 1, "rtpmap", "97 VP8/90000");
  HAS (offer, 1, "rtcp-fb", "97 nack");
  HAS (offer, 1, "rtcp-fb", "97 nack pli");
  HAS (offer, 1, "rtcp-fb", "97 ccm fir");
  HAS (offer, 1, "rtcp-fb", "97 transport-cc");
  HAS (offer, 1, "rtcp-fb", "97 goog-remb");
  HAS (offer, 1, "rtpmap", "100 rtx/90000");
  HAS (offer, 1, "fmtp", "100 apt=97");
  HAS (offer, 1, "fmtp", "98 profile-id=0");
  HAS (offer, 1, "fmtp",
      "99 profile-level-id=42e01f;packetization-mode=1;"
      "level-asymmetry-allowed=1");
  HAS (offer, 1, "fmtp", "102 apt=99");
  HAS_F (offer, 1, "ssrc-group", "FID %u %u", v->ssrc, v->rtx_ssrc);
  HAS_F (offer, 1, "ssrc", "%u cname:%s", v->rtx_ssrc, s->cname);

  /* Data channels (RFC 8841). */
  fail_unless_equals_string (gst_sdp_media_get_proto (
                                 gst_sdp_message_get_media (offer, 2)),
      "UDP/DTLS/SCTP");
  check_formats (offer, 2, "webrtc-datachannel");
  HAS (offer, 2, "sctp-port", "5000");
  HAS (offer, 2, "max-message-size", "262144");
  HAS (offer, 2, "setup", "actpass");
  HAS (offer, 2, "mid", "2");

  gst_sdp_message_free (offer);
  rtc_jsep_session_free (s);
}

GST_END_TEST;

static GstSDPMessage *
policy_offer (GstRtcBundlePolicy policy, RtcJsepSession **out)
{
  RtcJsepSession *s = test_session ();

  s->bundle_policy = policy;
  add_trans (s, AUDIO, SENDRECV, NULL);
  add_trans (s, AUDIO, SENDRECV, NULL);
  add_trans (s, VIDEO, SENDRECV, NULL);
  add_trans (s, VIDEO, SENDRECV, NULL);
  s->data_channel = TRUE;
  *out = s;
  return offer_ok (s, NULL, NULL);
}

static void
check_ports (const GstSDPMessage *msg, const gchar *expected)
{
  GString *got = g_string_new (NULL);
  guint i;

  for (i = 0; i < gst_sdp_message_medias_len (msg); i++) {
    const GstSDPMedia *m = gst_sdp_message_get_media (msg, i);
    gboolean bo = test_media_attr (msg, i, "bundle-only", 0) != NULL;

    /* bundle-only goes with port 0 and only then. */
    fail_unless_equals_int (bo, gst_sdp_media_get_port (m) == 0);
    g_string_append_printf (got, "%s%u", i ? " " : "",
        gst_sdp_media_get_port (m));
  }
  fail_unless_equals_string (got->str, expected);
  g_string_free (got, TRUE);
}

GST_START_TEST (test_offer_bundle_policies)
{
  RtcJsepSession *s, *b;
  GstSDPMessage *offer, *answer;
  RtcJsepNegotiation *neg;
  guint i;

  offer = policy_offer (GST_RTC_BUNDLE_POLICY_MAX_BUNDLE, &s);
  check_ports (offer, "9 0 0 0 0");
  fail_unless_equals_string (gst_sdp_message_get_attribute_val (offer, "group"),
      "BUNDLE 0 1 2 3 4");
  /* The answerer accepts the bundle-only m-lines on the tag's
   * transport. */
  b = test_session ();
  answer = answer_ok (b, offer);
  check_ports (answer, "9 9 9 9 9");
  fail_unless_equals_string (gst_sdp_message_get_attribute_val (answer,
                                 "group"),
      "BUNDLE 0 1 2 3 4");
  neg = negotiate_ok (offer, answer, TRUE);
  for (i = 0; i < 5; i++) {
    fail_if (neg_media (neg, i)->rejected);
    fail_unless_equals_int (neg_media (neg, i)->transport_mline, 0);
  }
  rtc_jsep_negotiation_free (neg);
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  rtc_jsep_session_free (b);
  rtc_jsep_session_free (s);

  /* Balanced: the first m-line of each media type carries a transport. */
  offer = policy_offer (GST_RTC_BUNDLE_POLICY_BALANCED, &s);
  check_ports (offer, "9 0 9 0 9");
  gst_sdp_message_free (offer);
  rtc_jsep_session_free (s);

  offer = policy_offer (GST_RTC_BUNDLE_POLICY_MAX_COMPAT, &s);
  check_ports (offer, "9 9 9 9 9");
  fail_unless_equals_string (gst_sdp_message_get_attribute_val (offer, "group"),
      "BUNDLE 0 1 2 3 4");
  gst_sdp_message_free (offer);
  rtc_jsep_session_free (s);

  offer = policy_offer (GST_RTC_BUNDLE_POLICY_NONE, &s);
  check_ports (offer, "9 9 9 9 9");
  fail_unless (gst_sdp_message_get_attribute_val (offer, "group") == NULL);
  b = test_session ();
  answer = answer_ok (b, offer);
  fail_unless (gst_sdp_message_get_attribute_val (answer, "group") == NULL);
  neg = negotiate_ok (offer, answer, FALSE);
  for (i = 0; i < 5; i++)
    fail_unless_equals_int (neg_media (neg, i)->transport_mline, i);
  fail_unless_equals_int (neg->bundle_groups->len, 0);
  rtc_jsep_negotiation_free (neg);
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  rtc_jsep_session_free (b);
  rtc_jsep_session_free (s);
}

GST_END_TEST;

GST_START_TEST (test_offer_payload_types)
{
  RtcJsepSession *s = test_session ();
  GstSDPMessage *offer;
  GError *error = NULL;
  guint i;

  /* Both ask for 96: the first gets it, the other the next free. */
  add_trans (s, AUDIO, SENDRECV,
      "application/x-rtp, media=audio, "
      "encoding-name=OPUS, payload=96");
  add_trans (s, VIDEO, SENDRECV,
      "application/x-rtp, media=video, "
      "encoding-name=VP8, payload=96");
  /* The same configuration shares its type across the bundle... */
  add_trans (s, VIDEO, RECVONLY,
      "application/x-rtp, media=video, "
      "encoding-name=VP8, clock-rate=90000");
  /* ...a type in the RTCP range is never used... */
  add_trans (s, VIDEO, SENDRECV,
      "application/x-rtp, media=video, "
      "encoding-name=H264, payload=80, packetization-mode=(string)1, "
      "profile-level-id=(string)42e01f");
  /* ...and a free preferred type is kept. */
  add_trans (s, AUDIO, SENDONLY,
      "application/x-rtp, media=audio, "
      "encoding-name=PCMA, clock-rate=8000; application/x-rtp, media=audio, "
      "encoding-name=G722, clock-rate=8000, payload=9");
  offer = offer_ok (s, NULL, NULL);
  check_formats (offer, 0, "96");
  check_formats (offer, 1, "97 99");
  check_formats (offer, 2, "97 99");
  check_formats (offer, 3, "98 100");
  check_formats (offer, 4, "8 9");
  HAS (offer, 1, "fmtp", "99 apt=97");
  HAS (offer, 3, "fmtp", "100 apt=98");
  /* A recvonly transceiver announces no SSRC or msid. */
  fail_unless (test_media_attr (offer, 2, "ssrc", 0) == NULL);
  fail_unless (test_media_attr (offer, 2, "msid", 0) == NULL);
  HAS (offer, 2, "recvonly", "");
  HAS (offer, 4, "sendonly", "");
  gst_sdp_message_free (offer);
  rtc_jsep_session_free (s);

  /* 31 video codecs with RTX need 62 types; there are 61. */
  s = test_session ();
  for (i = 0; i < 31; i++) {
    gchar *c = g_strdup_printf ("application/x-rtp, media=video, "
                                "encoding-name=X%u, clock-rate=90000",
        i);
    add_trans (s, VIDEO, SENDRECV, c);
    g_free (c);
  }
  fail_unless (rtc_jsep_create_offer (s, NULL, NULL, &error) == NULL);
  fail_unless (
      g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_INTERNAL_FAILURE));
  fail_unless (strstr (error->message, "Out of payload types") != NULL);
  g_clear_error (&error);
  rtc_jsep_session_free (s);

  /* Invalid codec preferences name the transceiver. */
  s = test_session ();
  add_trans (s, VIDEO, SENDRECV, "application/x-rtp, media=video");
  fail_unless (rtc_jsep_create_offer (s, NULL, NULL, &error) == NULL);
  fail_unless_equals_string (error->message,
      "Transceiver 0: Codec 0 has no encoding-name");
  g_clear_error (&error);
  rtc_jsep_session_free (s);
}

GST_END_TEST;

static guint64
origin_version (const GstSDPMessage *msg)
{
  return g_ascii_strtoull (gst_sdp_message_get_origin (msg)->sess_version, NULL,
      10);
}

GST_START_TEST (test_offer_renegotiation)
{
  RtcJsepSession *s = test_session ();
  RtcJsepTransceiver *a = add_trans (s, AUDIO, SENDRECV, NULL);
  RtcJsepTransceiver *v = add_trans (s, VIDEO, SENDRECV, NULL);
  RtcJsepTransceiver *v2;
  GstSDPMessage *offer1, *offer2, *offer3;
  GstCaps *reordered;

  offer1 = offer_ok (s, NULL, NULL);
  check_formats (offer1, 1, "97 100 98 101 99 102");

  /* New preferences put H.264 first: every codec keeps its type. A new
   * transceiver is appended, and a re-offer uses no bundle-only. */
  reordered = caps (
      "application/x-rtp, media=video, encoding-name=H264, "
      "clock-rate=90000, profile-level-id=(string)42e01f, "
      "packetization-mode=(string)1, level-asymmetry-allowed=(string)1; "
      "application/x-rtp, media=video, encoding-name=VP8, clock-rate=90000; "
      "application/x-rtp, media=video, encoding-name=VP9, clock-rate=90000, "
      "profile-id=(string)0");
  gst_caps_replace (&v->codecs, reordered);
  gst_caps_unref (reordered);
  v2 = add_trans (s, VIDEO, SENDRECV,
      "application/x-rtp, media=video, "
      "encoding-name=VP8, clock-rate=90000, payload=110");
  offer2 = offer_ok (s, offer1, NULL);
  fail_unless_equals_int (gst_sdp_message_medias_len (offer2), 3);
  HAS (offer2, 0, "mid", "0");
  HAS (offer2, 1, "mid", "1");
  HAS (offer2, 2, "mid", "2");
  fail_unless_equals_string (v2->mid, "2");
  check_formats (offer2, 1, "99 102 97 100 98 101");
  check_formats (offer2, 2, "97 100");
  check_ports (offer2, "9 9 9");
  fail_unless (origin_version (offer2) > origin_version (offer1));
  /* The SSRCs stay those fixed at creation. */
  HAS_F (offer2, 1, "ssrc-group", "FID %u %u", v->ssrc, v->rtx_ssrc);

  /* A stopped transceiver's m-line stays, rejected, out of BUNDLE. */
  a->stopped = TRUE;
  offer3 = offer_ok (s, offer2, NULL);
  fail_unless_equals_int (gst_sdp_message_medias_len (offer3), 3);
  fail_unless_equals_int (gst_sdp_media_get_port (
                              gst_sdp_message_get_media (offer3, 0)),
      0);
  check_formats (offer3, 0, "96 0 8");
  HAS (offer3, 0, "mid", "0");
  fail_unless (test_media_attr (offer3, 0, "ice-ufrag", 0) == NULL);
  fail_unless_equals_string (gst_sdp_message_get_attribute_val (offer3,
                                 "group"),
      "BUNDLE 1 2");

  gst_sdp_message_free (offer1);
  gst_sdp_message_free (offer2);
  gst_sdp_message_free (offer3);
  rtc_jsep_session_free (s);
}

GST_END_TEST;

#define TOFFSET "urn:ietf:params:rtp-hdrext:toffset"
#define CSRC_LEVEL "urn:ietf:params:rtp-hdrext:csrc-audio-level"

/* Header extensions asked for in codec preferences (webrtcbin's
 * `extmap-N` caps fields) are offered and accepted, with one id per URI
 * across the bundle. */
GST_START_TEST (test_caps_extmaps)
{
  RtcJsepSession *s = test_session (), *b = test_session ();
  GstSDPMessage *offer, *answer;

  add_trans (s, VIDEO, SENDRECV,
      "application/x-rtp, media=video, "
      "encoding-name=VP8, clock-rate=90000, extmap-5=(string)" TOFFSET);
  add_trans (s, AUDIO, SENDRECV,
      "application/x-rtp, media=audio, "
      "encoding-name=OPUS, extmap-5=<(string)recvonly, (string)" CSRC_LEVEL
      ", (string)\"\">, extmap-9=(string)" TOFFSET);
  offer = offer_ok (s, NULL, NULL);
  HAS (offer, 0, "extmap", "5 " TOFFSET);
  HAS (offer, 0, "extmap", "4 " RTC_JSEP_EXT_MID);
  /* 5 is taken in the bundle: the next free id; toffset keeps 5. */
  HAS (offer, 1, "extmap", "6 " CSRC_LEVEL);
  HAS (offer, 1, "extmap", "5 " TOFFSET);
  gst_sdp_message_free (offer);

  /* Answering Chrome: toffset (id 14) accepted, video-orientation not. */
  add_trans (b, VIDEO, SENDRECV,
      "application/x-rtp, media=video, "
      "encoding-name=VP8, clock-rate=90000, extmap-2=(string)" TOFFSET);
  offer = test_parse (chrome_offer);
  answer = answer_ok (b, offer);
  HAS (answer, 1, "extmap", "14 " TOFFSET);
  HAS (answer, 1, "extmap", "2 " RTC_JSEP_EXT_ABS_SEND_TIME);
  fail_if (
      test_media_has (answer, 1, "extmap", "13 urn:3gpp:video-orientation"));
  fail_if (test_media_has (answer, 0, "extmap", "14 " TOFFSET));
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  rtc_jsep_session_free (s);
  rtc_jsep_session_free (b);
}

GST_END_TEST;

/* JSEP 5.2.2: a new transceiver takes the rejected m-line of a stopped
 * one, with a new mid, on both sides. */
GST_START_TEST (test_mline_recycling)
{
  RtcJsepSession *s = test_session (), *b = test_session ();
  RtcJsepTransceiver *a = add_trans (s, AUDIO, SENDRECV, NULL);
  RtcJsepTransceiver *v2, *ba;
  GstSDPMessage *offer1, *offer2, *offer3, *answer;
  RtcJsepNegotiation *neg;

  add_trans (s, VIDEO, SENDRECV, NULL);
  offer1 = offer_ok (s, NULL, NULL);
  answer = answer_ok (b, offer1);
  gst_sdp_message_free (answer);
  ba = rtc_jsep_session_find_mid (b, "0");

  a->stopped = TRUE;
  offer2 = offer_ok (s, offer1, NULL);
  answer = answer_ok (b, offer2);
  /* The peer's transceiver stops with the m-line. */
  fail_unless (ba->stopped);
  check_rejected (answer, 0);
  gst_sdp_message_free (answer);

  v2 = add_trans (s, VIDEO, SENDONLY, NULL);
  offer3 = offer_ok (s, offer2, NULL);
  fail_unless_equals_int (gst_sdp_message_medias_len (offer3), 2);
  fail_unless_equals_int (v2->mline, 0);
  fail_unless_equals_string (v2->mid, "2");
  fail_unless_equals_int (a->mline, -1);
  fail_unless_equals_string (gst_sdp_media_get_media (
                                 gst_sdp_message_get_media (offer3, 0)),
      "video");
  HAS (offer3, 0, "mid", "2");
  fail_unless_equals_string (gst_sdp_message_get_attribute_val (offer3,
                                 "group"),
      "BUNDLE 2 1");

  answer = answer_ok (b, offer3);
  fail_unless_equals_int (ba->mline, -1);
  fail_unless_equals_int (b->transceivers->len, 3);
  HAS (answer, 0, "mid", "2");
  HAS (answer, 0, "recvonly", "");
  neg = negotiate_ok (offer3, answer, TRUE);
  fail_unless_equals_int (neg_media (neg, 0)->direction, SENDONLY);
  fail_unless_equals_int (neg_media (neg, 0)->kind, VIDEO);
  rtc_jsep_negotiation_free (neg);

  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer1);
  gst_sdp_message_free (offer2);
  gst_sdp_message_free (offer3);
  rtc_jsep_session_free (s);
  rtc_jsep_session_free (b);
}

GST_END_TEST;

/* After answering Firefox, our own re-offer keeps its payload types and
 * header extension ids. */
GST_START_TEST (test_reoffer_after_answer)
{
  RtcJsepSession *s = test_session ();
  GstSDPMessage *remote = test_parse (firefox_offer);
  GstSDPMessage *answer = answer_ok (s, remote);
  GstSDPMessage *offer = offer_ok (s, answer, remote);

  fail_unless_equals_int (gst_sdp_message_medias_len (offer), 3);
  HAS (offer, 0, "mid", "0");
  HAS (offer, 1, "mid", "1");
  HAS (offer, 2, "mid", "2");
  HAS (offer, 0, "rtpmap", "109 OPUS/48000/2");
  HAS (offer, 1, "rtpmap", "120 VP8/90000");
  HAS (offer, 1, "fmtp", "124 apt=120");
  HAS (offer, 1, "rtpmap", "121 VP9/90000");
  HAS (offer, 1, "rtpmap", "126 H264/90000");
  HAS (offer, 1, "fmtp", "127 apt=126");
  HAS (offer, 0, "extmap", "3 " RTC_JSEP_EXT_MID);
  HAS (offer, 1, "extmap", "3 " RTC_JSEP_EXT_MID);
  HAS (offer, 1, "extmap", "4 " RTC_JSEP_EXT_ABS_SEND_TIME);
  HAS (offer, 1, "extmap", "7 " RTC_JSEP_EXT_TWCC);
  gst_sdp_message_free (offer);
  gst_sdp_message_free (answer);
  gst_sdp_message_free (remote);
  rtc_jsep_session_free (s);
}

GST_END_TEST;

static const GstStructure *
codec_at (RtcJsepMedia *m, guint i)
{
  fail_unless (m->codecs != NULL && i < gst_caps_get_size (m->codecs));
  return gst_caps_get_structure (m->codecs, i);
}

static void
check_int (const GstStructure *s, const gchar *field, gint expected)
{
  gint v = -1;

  fail_unless (gst_structure_get_int (s, field, &v), "%s missing", field);
  fail_unless_equals_int (v, expected);
}

static void
check_bool (const GstStructure *s, const gchar *field)
{
  gboolean v = FALSE;

  fail_unless (gst_structure_get_boolean (s, field, &v) && v, "%s", field);
}

GST_START_TEST (test_answer_chrome)
{
  RtcJsepSession *s = test_session ();
  GstSDPMessage *offer = test_parse (chrome_offer);
  GstSDPMessage *answer = answer_ok (s, offer);
  RtcJsepNegotiation *neg;
  RtcJsepTransceiver *t;
  RtcJsepMedia *m;
  const GstStructure *c;

  /* Two receive-only transceivers were made for the offer. */
  fail_unless_equals_int (s->transceivers->len, 2);
  t = g_ptr_array_index (s->transceivers, 1);
  fail_unless_equals_string (t->mid, "1");
  fail_unless_equals_int (t->kind, VIDEO);
  fail_unless_equals_int (t->direction, RECVONLY);
  fail_unless_equals_string (s->data_mid, "2");

  fail_unless_equals_int (gst_sdp_message_medias_len (answer), 3);
  fail_unless_equals_string (gst_sdp_message_get_attribute_val (answer,
                                 "group"),
      "BUNDLE 0 1 2");
  check_formats (answer, 0, "111 0 8");
  HAS (answer, 0, "recvonly", "");
  HAS (answer, 0, "setup", "active");
  HAS (answer, 0, "mid", "0");
  HAS (answer, 0, "rtpmap", "111 OPUS/48000/2");
  HAS (answer, 0, "rtcp-fb", "111 transport-cc");
  HAS (answer, 0, "fmtp", "111 minptime=10;useinbandfec=1");
  HAS (answer, 0, "extmap", "1 " RTC_JSEP_EXT_AUDIO_LEVEL);
  HAS (answer, 0, "extmap", "2 " RTC_JSEP_EXT_ABS_SEND_TIME);
  HAS (answer, 0, "extmap", "3 " RTC_JSEP_EXT_TWCC);
  HAS (answer, 0, "extmap", "4 " RTC_JSEP_EXT_MID);
  fail_unless (test_media_attr (answer, 0, "rtcp-rsize", 0) == NULL);
  fail_unless (test_media_attr (answer, 0, "ssrc", 0) == NULL);

  /* VP8, VP9, then the constrained-baseline H.264 in mode 1 (106), with
   * the offer's RTX types; only the feedback both have. */
  check_formats (answer, 1, "96 97 98 99 106 107");
  HAS (answer, 1, "rtcp-fb", "96 goog-remb");
  HAS (answer, 1, "rtcp-fb", "96 nack pli");
  HAS (answer, 1, "rtcp-fb", "98 nack");
  fail_if (test_media_has (answer, 1, "rtcp-fb", "98 nack pli"));
  HAS (answer, 1, "fmtp", "97 apt=96");
  HAS (answer, 1, "fmtp",
      "106 level-asymmetry-allowed=1;packetization-mode=1;"
      "profile-level-id=42e01f");
  HAS (answer, 1, "fmtp", "107 apt=106");
  HAS (answer, 1, "extmap", "2 " RTC_JSEP_EXT_ABS_SEND_TIME);
  fail_unless (test_media_attr (answer, 1, "extmap", 3) == NULL);
  HAS (answer, 1, "rtcp-rsize", "");

  HAS (answer, 2, "sctp-port", "5000");
  HAS (answer, 2, "setup", "active");

  neg = negotiate_ok (offer, answer, FALSE);
  fail_unless_equals_int (neg->media->len, 3);
  fail_unless_equals_int (neg->bundle_groups->len, 1);
  fail_unless_equals_int (g_strv_length (
                              g_ptr_array_index (neg->bundle_groups, 0)),
      3);

  m = neg_media (neg, 0);
  fail_unless_equals_string (m->mid, "0");
  fail_unless_equals_int (m->kind, AUDIO);
  fail_unless_equals_int (m->direction, RECVONLY);
  fail_unless_equals_int (gst_caps_get_size (m->codecs), 3);
  c = codec_at (m, 0);
  check_int (c, "payload", 111);
  check_int (c, "clock-rate", 48000);
  fail_unless_equals_string (gst_structure_get_string (c, "encoding-name"),
      "OPUS");
  fail_unless_equals_string (gst_structure_get_string (c, "encoding-params"),
      "2");
  fail_unless_equals_string (gst_structure_get_string (c, "useinbandfec"), "1");
  check_bool (c, "rtcp-fb-transport-cc");
  fail_unless_equals_string (gst_structure_get_string (c, "extmap-1"),
      RTC_JSEP_EXT_AUDIO_LEVEL);
  fail_unless_equals_string (gst_structure_get_string (c, "extmap-4"),
      RTC_JSEP_EXT_MID);
  check_int (codec_at (m, 1), "payload", 0);
  fail_unless_equals_int (m->remote_ssrcs->len, 1);
  fail_unless_equals_int (g_array_index (m->remote_ssrcs, guint32, 0), 1001);
  fail_unless_equals_string (m->remote_msid_stream, "st0");
  fail_unless_equals_string (m->remote_msid_track, "au0");
  fail_unless_equals_string (m->remote_ufrag, "Xk3p");
  fail_unless_equals_string (m->remote_pwd, "Q9sFv2kLm8NpR4tYw6zB1cD7");
  fail_unless_equals_string (m->remote_fingerprint, TEST_FP_REMOTE);
  fail_unless (m->dtls_client);
  /* The mDNS and srflx candidates; the garbage one dropped, counted. */
  fail_unless_equals_int (m->remote_candidates->len, 2);
  fail_unless (g_str_has_prefix (g_ptr_array_index (m->remote_candidates, 0),
      "candidate:1467250027 1 udp"));
  fail_unless_equals_int (m->dropped_candidates, 1);
  fail_if (m->remote_end_of_candidates);
  fail_unless (m->remote_trickle);
  fail_if (m->remote_ice_lite);

  m = neg_media (neg, 1);
  fail_unless_equals_int (m->transport_mline, 0);
  fail_unless_equals_int (m->remote_candidates->len, 2);
  fail_unless_equals_int (gst_caps_get_size (m->codecs), 3);
  c = codec_at (m, 0);
  fail_unless_equals_string (gst_structure_get_string (c, "encoding-name"),
      "VP8");
  check_int (c, "rtx-payload", 97);
  check_bool (c, "rtcp-fb-nack");
  check_bool (c, "rtcp-fb-nack-pli");
  check_bool (c, "rtcp-fb-ccm-fir");
  check_bool (c, "rtcp-fb-goog-remb");
  fail_unless_equals_string (gst_structure_get_string (c, "extmap-2"),
      RTC_JSEP_EXT_ABS_SEND_TIME);
  c = codec_at (m, 2);
  check_int (c, "payload", 106);
  fail_unless_equals_string (gst_structure_get_string (c, "profile-level-id"),
      "42e01f");
  fail_unless_equals_string (gst_structure_get_string (c, "packetization-mode"),
      "1");
  fail_unless_equals_int (m->remote_ssrcs->len, 1);
  fail_unless_equals_int (g_array_index (m->remote_ssrcs, guint32, 0), 2001);
  fail_unless_equals_int (m->remote_rtx_ssrcs->len, 1);
  fail_unless_equals_int (g_array_index (m->remote_rtx_ssrcs, guint32, 0),
      2002);
  fail_unless_equals_string (m->remote_msid_track, "vi0");

  m = neg_media (neg, 2);
  fail_unless (m->is_data);
  fail_unless_equals_int (m->transport_mline, 0);
  fail_unless_equals_int (m->sctp_port, 5000);
  fail_unless_equals_int (m->max_message_size, 262144);

  rtc_jsep_negotiation_free (neg);
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  rtc_jsep_session_free (s);
}

GST_END_TEST;

GST_START_TEST (test_answer_firefox)
{
  RtcJsepSession *s = test_session ();
  RtcJsepTransceiver *a = add_trans (s, AUDIO, SENDRECV,
      "application/x-rtp, media=audio, encoding-name=OPUS");
  RtcJsepTransceiver *v = add_trans (s, VIDEO, SENDRECV,
      "application/x-rtp, media=video, clock-rate=90000, "
      "encoding-name=H264, packetization-mode=(string)1, "
      "profile-level-id=(string)42e01f, payload=96");
  GstSDPMessage *offer = test_parse (firefox_offer);
  GstSDPMessage *answer = answer_ok (s, offer);
  RtcJsepNegotiation *neg;
  RtcJsepMedia *m;
  const GstStructure *c;

  /* The application's transceivers took the offer's m-lines. */
  fail_unless_equals_int (s->transceivers->len, 2);
  fail_unless_equals_string (a->mid, "0");
  fail_unless_equals_string (v->mid, "1");

  check_formats (answer, 0, "109");
  HAS (answer, 0, "sendrecv", "");
  HAS (answer, 0, "fmtp", "109 maxplaybackrate=48000;stereo=1;useinbandfec=1");
  fail_unless (test_media_attr (answer, 0, "rtcp-fb", 0) == NULL);
  HAS (answer, 0, "extmap", "1 " RTC_JSEP_EXT_AUDIO_LEVEL);
  HAS (answer, 0, "extmap", "3 " RTC_JSEP_EXT_MID);
  fail_unless (test_media_attr (answer, 0, "extmap", 2) == NULL);
  HAS_F (answer, 0, "msid", "%s %s", a->msid_stream, a->msid_track);
  HAS_F (answer, 0, "ssrc", "%u cname:%s", a->ssrc, s->cname);

  /* H.264 mode 1 (126), not mode 0 (97), with its RTX. */
  check_formats (answer, 1, "126 127");
  HAS (answer, 1, "fmtp",
      "126 profile-level-id=42e01f;"
      "level-asymmetry-allowed=1;packetization-mode=1");
  HAS (answer, 1, "rtcp-fb", "126 ccm fir");
  fail_if (test_media_has (answer, 1, "rtcp-fb", "126 goog-remb"));
  HAS_F (answer, 1, "ssrc-group", "FID %u %u", v->ssrc, v->rtx_ssrc);
  HAS (answer, 1, "extmap", "3 " RTC_JSEP_EXT_MID);
  HAS (answer, 1, "extmap", "4 " RTC_JSEP_EXT_ABS_SEND_TIME);
  HAS (answer, 1, "extmap", "7 " RTC_JSEP_EXT_TWCC);
  /* The data section is answered though we did not ask for one. */
  HAS (answer, 2, "max-message-size", "262144");

  neg = negotiate_ok (offer, answer, FALSE);
  m = neg_media (neg, 0);
  fail_unless_equals_int (m->direction, SENDRECV);
  fail_unless_equals_string (m->remote_fingerprint, TEST_FP_REMOTE);
  fail_unless_equals_string (m->remote_ufrag, "5e8b2a1f");
  fail_unless (m->remote_end_of_candidates);
  /* ice-options at session level. */
  fail_unless (m->remote_trickle);
  fail_unless_equals_int (m->remote_candidates->len, 1);
  fail_unless_equals_int (m->dropped_candidates, 0);
  fail_unless_equals_string (m->remote_msid_track,
      "{c4d5e6f7-0a1b-4c2d-8e3f-9a0b1c2d3e4f}");
  m = neg_media (neg, 1);
  c = codec_at (m, 0);
  check_int (c, "payload", 126);
  check_int (c, "rtx-payload", 127);
  fail_unless_equals_string (gst_structure_get_string (c, "extmap-3"),
      RTC_JSEP_EXT_MID);
  fail_unless_equals_string (gst_structure_get_string (c, "extmap-7"),
      RTC_JSEP_EXT_TWCC);
  fail_unless (gst_structure_get_string (c, "extmap-5") == NULL);
  fail_unless_equals_int (g_array_index (m->remote_ssrcs, guint32, 0), 4001);
  fail_unless_equals_int (g_array_index (m->remote_rtx_ssrcs, guint32, 0),
      4002);
  m = neg_media (neg, 2);
  fail_unless_equals_int (m->max_message_size, 1073741823);

  rtc_jsep_negotiation_free (neg);
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  rtc_jsep_session_free (s);
}

GST_END_TEST;

static GstRtcRtpTransceiverDirection
reverse_dir (GstRtcRtpTransceiverDirection d)
{
  return d == SENDONLY ? RECVONLY : d == RECVONLY ? SENDONLY : d;
}

GST_START_TEST (test_direction_matrix)
{
  /* expected[offerer][answerer], from the answerer's point of view. */
  static const GstRtcRtpTransceiverDirection expected[5][5] = {
    [SENDRECV] = { [SENDRECV] = SENDRECV,
        [SENDONLY] = SENDONLY,
        [RECVONLY] = RECVONLY,
        [INACTIVE] = INACTIVE },
    [SENDONLY] = { [SENDRECV] = RECVONLY,
        [SENDONLY] = INACTIVE,
        [RECVONLY] = RECVONLY,
        [INACTIVE] = INACTIVE },
    [RECVONLY] = { [SENDRECV] = SENDONLY,
        [SENDONLY] = SENDONLY,
        [RECVONLY] = INACTIVE,
        [INACTIVE] = INACTIVE },
    [INACTIVE] = { [SENDRECV] = INACTIVE,
        [SENDONLY] = INACTIVE,
        [RECVONLY] = INACTIVE,
        [INACTIVE] = INACTIVE },
  };
  guint x, y;

  for (x = INACTIVE; x <= SENDRECV; x++) {
    for (y = INACTIVE; y <= SENDRECV; y++) {
      RtcJsepSession *a = test_session (), *b = test_session ();
      RtcJsepTransceiver *tb;
      GstSDPMessage *offer, *answer;
      RtcJsepNegotiation *na, *nb;
      GstRtcRtpTransceiverDirection want = expected[x][y];

      add_trans (a, AUDIO, x, NULL);
      tb = add_trans (b, AUDIO, y, NULL);
      offer = offer_ok (a, NULL, NULL);
      answer = answer_ok (b, offer);
      fail_unless (test_media_attr (answer, 0,
                       want == SENDRECV       ? "sendrecv"
                           : want == SENDONLY ? "sendonly"
                           : want == RECVONLY ? "recvonly"
                                              : "inactive",
                       0)
              != NULL,
          "offer %u answerer %u", x, y);
      /* The answerer announces its SSRC exactly when it sends. */
      fail_unless_equals_int (test_media_attr (answer, 0, "ssrc", 0) != NULL,
          want == SENDRECV || want == SENDONLY);
      nb = negotiate_ok (offer, answer, FALSE);
      na = negotiate_ok (offer, answer, TRUE);
      fail_unless_equals_int (neg_media (nb, 0)->direction, want);
      fail_unless_equals_int (neg_media (na, 0)->direction, reverse_dir (want));
      if (want == SENDRECV || want == SENDONLY) {
        fail_unless_equals_int (neg_media (na, 0)->remote_ssrcs->len, 1);
        fail_unless_equals_int (g_array_index (neg_media (na, 0)->remote_ssrcs,
                                    guint32, 0),
            tb->ssrc);
      }
      rtc_jsep_negotiation_free (na);
      rtc_jsep_negotiation_free (nb);
      gst_sdp_message_free (offer);
      gst_sdp_message_free (answer);
      rtc_jsep_session_free (a);
      rtc_jsep_session_free (b);
    }
  }
}

GST_END_TEST;

static gchar *replace_all (const gchar *text, const gchar *from,
    const gchar *to);

/* A direction given only at session level applies to every m-line. */
GST_START_TEST (test_session_level_direction)
{
  RtcJsepSession *s = test_session ();
  gchar *t1 = replace_all (chrome_offer, "a=sendrecv\r\n", "");
  gchar *t2 = test_replace (t1, "t=0 0\r\n", "t=0 0\r\na=sendonly\r\n");
  GstSDPMessage *offer = test_parse (t2), *answer;
  RtcJsepNegotiation *neg;

  add_trans (s, AUDIO, SENDRECV, NULL);
  answer = answer_ok (s, offer);
  HAS (answer, 0, "recvonly", "");
  fail_unless (test_media_attr (answer, 0, "ssrc", 0) == NULL);
  neg = negotiate_ok (offer, answer, FALSE);
  fail_unless_equals_int (neg_media (neg, 0)->direction, RECVONLY);
  fail_unless_equals_int (neg_media (neg, 1)->direction, RECVONLY);
  rtc_jsep_negotiation_free (neg);
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  rtc_jsep_session_free (s);
  g_free (t1);
  g_free (t2);
}

GST_END_TEST;

static gchar *
replace_all (const gchar *text, const gchar *from, const gchar *to)
{
  gchar **parts = g_strsplit (text, from, -1);
  gchar *out = g_strjoinv (to, parts);

  g_strfreev (parts);
  return out;
}

GST_START_TEST (test_answer_rejections)
{
  RtcJsepSession *s;
  RtcJsepTransceiver *t;
  GstSDPMessage *offer, *answer;
  RtcJsepNegotiation *neg;
  gchar *text, *text2;

  /* Unknown media and legacy SCTP are rejected, the rest accepted. */
  text = g_strconcat (chrome_offer,
      "m=text 9 UDP/TLS/RTP/SAVPF 100\r\na=mid:3\r\n",
      "m=application 9 DTLS/SCTP 5000\r\na=mid:4\r\n", NULL);
  s = test_session ();
  offer = test_parse (text);
  answer = answer_ok (s, offer);
  check_rejected (answer, 3);
  check_formats (answer, 3, "100");
  HAS (answer, 3, "mid", "3");
  check_rejected (answer, 4);
  fail_unless_equals_string (gst_sdp_message_get_attribute_val (answer,
                                 "group"),
      "BUNDLE 0 1 2");
  neg = negotiate_ok (offer, answer, FALSE);
  fail_unless (neg_media (neg, 3)->rejected);
  fail_unless (neg_media (neg, 4)->rejected);
  fail_if (neg_media (neg, 2)->rejected);
  rtc_jsep_negotiation_free (neg);
  gst_sdp_message_free (answer);

  /* A stopped transceiver rejects its m-line; when that is the tagged
   * one, the next accepted mid becomes the tag. */
  t = rtc_jsep_session_find_mid (s, "0");
  t->stopped = TRUE;
  answer = answer_ok (s, offer);
  check_rejected (answer, 0);
  HAS (answer, 0, "mid", "0");
  fail_unless_equals_string (gst_sdp_message_get_attribute_val (answer,
                                 "group"),
      "BUNDLE 1 2");
  neg = negotiate_ok (offer, answer, FALSE);
  fail_unless (neg_media (neg, 0)->rejected);
  fail_unless_equals_int (neg_media (neg, 1)->transport_mline, 1);
  fail_unless_equals_int (neg_media (neg, 2)->transport_mline, 1);
  fail_unless_equals_string (neg_media (neg, 2)->remote_ufrag, "Xk3p");
  rtc_jsep_negotiation_free (neg);
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  rtc_jsep_session_free (s);
  g_free (text);

  /* The new tag's m-line was bundle-only without ICE attributes: the
   * offerer's transport is still found in its group. */
  text = test_replace (chrome_offer,
      "a=ice-ufrag:Xk3p\r\n"
      "a=ice-pwd:Q9sFv2kLm8NpR4tYw6zB1cD7\r\na=ice-options:trickle\r\n"
      "a=fingerprint:" TEST_FP_REMOTE "\r\na=setup:actpass\r\na=mid:1\r\n",
      "a=bundle-only\r\na=mid:1\r\n");
  text2 = test_replace (text, "m=video 9", "m=video 0");
  s = test_session ();
  offer = test_parse (text2);
  gst_sdp_message_free (answer_ok (s, offer));
  rtc_jsep_session_find_mid (s, "0")->stopped = TRUE;
  answer = answer_ok (s, offer);
  check_rejected (answer, 0);
  neg = negotiate_ok (offer, answer, FALSE);
  fail_unless_equals_int (neg_media (neg, 1)->transport_mline, 1);
  fail_unless_equals_string (neg_media (neg, 1)->remote_ufrag, "Xk3p");
  fail_unless_equals_string (neg_media (neg, 1)->remote_fingerprint,
      TEST_FP_REMOTE);
  fail_unless_equals_int (neg_media (neg, 1)->remote_candidates->len, 2);
  fail_unless_equals_int (neg_media (neg, 2)->transport_mline, 1);
  rtc_jsep_negotiation_free (neg);
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  rtc_jsep_session_free (s);
  g_free (text);
  g_free (text2);

  /* No codec in common. */
  s = test_session ();
  add_trans (s, VIDEO, SENDRECV,
      "application/x-rtp, media=video, "
      "encoding-name=H264, clock-rate=90000, profile-level-id=(string)640c1f");
  offer = test_parse (chrome_offer);
  answer = answer_ok (s, offer);
  check_rejected (answer, 1);
  fail_unless (test_media_attr (answer, 0, "ice-ufrag", 0) != NULL);
  fail_unless_equals_string (gst_sdp_message_get_attribute_val (answer,
                                 "group"),
      "BUNDLE 0 2");
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  rtc_jsep_session_free (s);

  /* An m-line the offer itself rejects. */
  text = test_replace (chrome_offer, "m=video 9", "m=video 0");
  text2 = test_replace (text, "BUNDLE 0 1 2", "BUNDLE 0 2");
  s = test_session ();
  offer = test_parse (text2);
  answer = answer_ok (s, offer);
  check_rejected (answer, 1);
  fail_unless_equals_int (s->transceivers->len, 1);
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  rtc_jsep_session_free (s);
  g_free (text);
  g_free (text2);
}

GST_END_TEST;

GST_START_TEST (test_offer_answer_roundtrip)
{
  RtcJsepSession *a = test_session (), *b = test_session ();
  RtcJsepTransceiver *ta, *tb;
  GstSDPMessage *offer, *answer;
  RtcJsepNegotiation *na, *nb;
  gchar *text;
  guint i;

  ta = add_trans (a, VIDEO, SENDRECV, NULL);
  add_trans (a, AUDIO, SENDRECV, NULL);
  a->data_channel = TRUE;
  a->max_message_size = 65536;
  tb = add_trans (b, VIDEO, SENDRECV, NULL);
  /* Keeping the DTLS server role of an earlier negotiation. */
  b->answer_setup = GST_RTC_DTLS_SETUP_PASSIVE;

  offer = offer_ok (a, NULL, NULL);
  answer = answer_ok (b, offer);
  HAS (answer, 0, "setup", "passive");
  na = negotiate_ok (offer, answer, TRUE);
  nb = negotiate_ok (offer, answer, FALSE);
  for (i = 0; i < 3; i++) {
    RtcJsepMedia *ma = neg_media (na, i), *mb = neg_media (nb, i);

    fail_unless_equals_int (ma->dtls_client, TRUE);
    fail_unless_equals_int (mb->dtls_client, FALSE);
    fail_unless_equals_string (ma->remote_fingerprint, TEST_FP_LOCAL);
    fail_unless_equals_string (ma->mid, mb->mid);
    if (i < 2)
      fail_unless (gst_caps_is_equal (ma->codecs, mb->codecs));
  }
  /* Each side sees the other's SSRC and track. */
  fail_unless_equals_int (g_array_index (neg_media (na, 0)->remote_ssrcs,
                              guint32, 0),
      tb->ssrc);
  fail_unless_equals_int (g_array_index (neg_media (na, 0)->remote_rtx_ssrcs,
                              guint32, 0),
      tb->rtx_ssrc);
  fail_unless_equals_string (neg_media (na, 0)->remote_msid_track,
      tb->msid_track);
  fail_unless_equals_int (g_array_index (neg_media (nb, 0)->remote_ssrcs,
                              guint32, 0),
      ta->ssrc);
  /* b made a receive-only audio transceiver: a's audio is sendonly. */
  fail_unless_equals_int (neg_media (na, 1)->direction, SENDONLY);
  fail_unless_equals_int (neg_media (nb, 2)->max_message_size, 65536);
  fail_unless_equals_int (neg_media (na, 2)->max_message_size, 262144);
  rtc_jsep_negotiation_free (na);
  rtc_jsep_negotiation_free (nb);
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);

  /* An offerer that insists on being the DTLS client. */
  rtc_jsep_session_free (b);
  b = test_session ();
  text = replace_all (chrome_offer, "a=setup:actpass", "a=setup:active");
  offer = test_parse (text);
  answer = answer_ok (b, offer);
  HAS (answer, 0, "setup", "passive");
  nb = negotiate_ok (offer, answer, FALSE);
  fail_if (neg_media (nb, 0)->dtls_client);
  rtc_jsep_negotiation_free (nb);
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  g_free (text);

  rtc_jsep_session_free (a);
  rtc_jsep_session_free (b);
}

GST_END_TEST;

/* An ICE lite peer that does not trickle. */
GST_START_TEST (test_remote_ice_lite)
{
  RtcJsepSession *s = test_session ();
  gchar *t1 = test_replace (chrome_offer, "t=0 0\r\n",
      "t=0 0\r\na=ice-lite\r\n");
  gchar *t2 = test_replace (t1, "a=ice-options:trickle",
      "a=ice-options:renomination");
  GstSDPMessage *offer = test_parse (t2);
  GstSDPMessage *answer = answer_ok (s, offer);
  RtcJsepNegotiation *neg = negotiate_ok (offer, answer, FALSE);

  fail_unless (neg_media (neg, 0)->remote_ice_lite);
  fail_if (neg_media (neg, 0)->remote_trickle);
  rtc_jsep_negotiation_free (neg);
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  rtc_jsep_session_free (s);
  g_free (t1);
  g_free (t2);
}

GST_END_TEST;

GST_START_TEST (test_remote_offer_modifications)
{
  RtcJsepSession *s = test_session ();
  GstSDPMessage *offer = test_parse (firefox_offer), *answer, *swapped;
  GError *error = NULL;
  gchar *t1, *t2, *t3;

  answer = answer_ok (s, offer);
  /* A re-offer with the same mids is fine and changes nothing. */
  fail_unless (rtc_jsep_session_apply_remote_offer (s, offer, NULL));
  fail_unless_equals_int (s->transceivers->len, 2);

  /* Audio and video swap mids. */
  t1 = test_replace (firefox_offer, "a=mid:0", "a=mid:X");
  t2 = test_replace (t1, "a=mid:1", "a=mid:0");
  t3 = test_replace (t2, "a=mid:X", "a=mid:1");
  swapped = test_parse (t3);
  fail_if (rtc_jsep_session_apply_remote_offer (s, swapped, &error));
  fail_unless (g_error_matches (error, GST_RTC_ERROR,
      GST_RTC_ERROR_INVALID_MODIFICATION));
  fail_unless_equals_string (error->message,
      "m-line 0 (mid 1) is audio but was video");
  g_clear_error (&error);
  gst_sdp_message_free (swapped);
  g_free (t1);
  g_free (t2);
  g_free (t3);

  /* The data section's mid reused for audio. */
  t1 = test_replace (firefox_offer, "a=mid:0", "a=mid:X");
  t2 = test_replace (t1, "a=mid:2", "a=mid:0");
  t3 = test_replace (t2, "a=mid:X", "a=mid:2");
  swapped = test_parse (t3);
  fail_if (rtc_jsep_create_answer (s, swapped, &error));
  fail_unless_equals_string (error->message,
      "m-line 0 (mid 2) is audio but was the data section");
  g_clear_error (&error);
  gst_sdp_message_free (swapped);
  g_free (t1);
  g_free (t2);
  g_free (t3);

  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  rtc_jsep_session_free (s);
}

GST_END_TEST;

static Suite *
jsep_offeranswer_suite (void)
{
  Suite *s = suite_create ("jsep-offeranswer");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_offer_basic);
  tcase_add_test (tc, test_offer_bundle_policies);
  tcase_add_test (tc, test_offer_payload_types);
  tcase_add_test (tc, test_offer_renegotiation);
  tcase_add_test (tc, test_caps_extmaps);
  tcase_add_test (tc, test_mline_recycling);
  tcase_add_test (tc, test_reoffer_after_answer);
  tcase_add_test (tc, test_answer_chrome);
  tcase_add_test (tc, test_answer_firefox);
  tcase_add_test (tc, test_direction_matrix);
  tcase_add_test (tc, test_session_level_direction);
  tcase_add_test (tc, test_answer_rejections);
  tcase_add_test (tc, test_offer_answer_roundtrip);
  tcase_add_test (tc, test_remote_ice_lite);
  tcase_add_test (tc, test_remote_offer_modifications);
  return s;
}

RTC_CHECK_MAIN (jsep_offeranswer);
