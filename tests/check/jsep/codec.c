/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Codec configurations of the JSEP core: reading payloader caps and
 * codec preferences, reading m-lines, H.264 profile-level-id rules,
 * matching, and payload type allocation.
 */
#include "jseptestutil.h"
#include "rtcjsepcodec.h"
#include "../common/rtccheckmain.h"

static GstCaps *
caps_from (const gchar *str)
{
  GstCaps *caps = gst_caps_from_string (str);

  fail_unless (caps != NULL, "%s", str);
  return caps;
}

static RtcJsepCodec *
codec_from_string (const gchar *caps_str, GstRtcKind kind)
{
  GstCaps *caps = gst_caps_from_string (caps_str);
  GError *error = NULL;
  GPtrArray *codecs;
  RtcJsepCodec *c;

  fail_unless (caps != NULL, "%s", caps_str);
  codecs = rtc_jsep_codecs_from_caps (caps, kind, &error);
  fail_unless (codecs != NULL, "%s", error ? error->message : "");
  fail_unless_equals_int (codecs->len, 1);
  c = rtc_jsep_codec_copy (g_ptr_array_index (codecs, 0));
  g_ptr_array_unref (codecs);
  gst_caps_unref (caps);
  return c;
}

static void
caps_error (const gchar *caps_str, GstRtcKind kind, const gchar *message)
{
  GstCaps *caps = gst_caps_from_string (caps_str);
  GError *error = NULL;

  fail_unless (rtc_jsep_codecs_from_caps (caps, kind, &error) == NULL);
  fail_unless (
      g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR));
  fail_unless_equals_string (error->message, message);
  g_error_free (error);
  gst_caps_unref (caps);
}

GST_START_TEST (test_codecs_from_caps)
{
  RtcJsepCodec *c;
  GstCaps *caps;
  GPtrArray *codecs;

  /* rtpvp8pay's src caps. */
  c = codec_from_string ("application/x-rtp, media=(string)video, "
                         "clock-rate=(int)90000, encoding-name=(string)VP8, "
                         "payload=(int)96, "
                         "ssrc=(uint)3735928559, timestamp-offset=(uint)1, "
                         "seqnum-offset=(uint)2, a-framerate=(string)30",
      GST_RTC_KIND_VIDEO);
  fail_unless_equals_string (c->name, "VP8");
  fail_unless_equals_int (c->pt, 96);
  fail_unless_equals_int (c->clock_rate, 90000);
  fail_unless_equals_int (gst_structure_n_fields (c->fmtp), 0);
  /* No rtcp-fb field: the video defaults. */
  fail_unless_equals_int (c->feedback, RTC_JSEP_FB_ALL);
  rtc_jsep_codec_free (c);

  /* rtph264pay's caps keep their fmtp, except the in-band parameter
   * sets; a gst-launch int becomes the string SDP wants. */
  c = codec_from_string ("application/x-rtp, media=video, "
                         "encoding-name=H264, clock-rate=90000, "
                         "packetization-mode=1, "
                         "profile-level-id=(string)42e01f, "
                         "sprop-parameter-sets=(string)\"Z0I=\"",
      GST_RTC_KIND_VIDEO);
  fail_unless_equals_string (rtc_jsep_codec_get_fmtp (c, "packetization-mode"),
      "1");
  fail_unless_equals_string (rtc_jsep_codec_get_fmtp (c, "profile-level-id"),
      "42e01f");
  fail_unless (rtc_jsep_codec_get_fmtp (c, "sprop-parameter-sets") == NULL);
  fail_unless_equals_int (c->pt, -1);
  rtc_jsep_codec_free (c);

  /* webrtcbin-style preferences: feedback exactly as given, clock-rate
   * and channels filled in for Opus. */
  c = codec_from_string ("application/x-rtp, media=audio, "
                         "encoding-name=opus, payload=111, "
                         "rtcp-fb-transport-cc=false, "
                         "rtcp-fb-nack=true",
      GST_RTC_KIND_AUDIO);
  fail_unless_equals_string (c->name, "OPUS");
  fail_unless_equals_int (c->clock_rate, 48000);
  fail_unless_equals_int (c->channels, 2);
  fail_unless_equals_int (c->feedback, RTC_JSEP_FB_NACK);
  rtc_jsep_codec_free (c);

  /* RTX structures are skipped: RTX is the transceiver's switch. */
  caps = gst_caps_from_string (
      "application/x-rtp, media=video, "
      "encoding-name=VP8, clock-rate=90000; application/x-rtp, media=video, "
      "encoding-name=RTX, clock-rate=90000, apt=(string)96");
  codecs = rtc_jsep_codecs_from_caps (caps, GST_RTC_KIND_VIDEO, NULL);
  fail_unless_equals_int (codecs->len, 1);
  g_ptr_array_unref (codecs);
  gst_caps_unref (caps);

  caps_error ("application/x-rtp, media=video, clock-rate=90000",
      GST_RTC_KIND_VIDEO, "Codec 0 has no encoding-name");
  caps_error ("video/x-raw", GST_RTC_KIND_VIDEO,
      "Codec 0 is video/x-raw, not application/x-rtp");
  caps_error ("application/x-rtp, media=audio, encoding-name=OPUS",
      GST_RTC_KIND_VIDEO,
      "Codec 0 has media=audio in a transceiver of another kind");
  caps_error ("application/x-rtp, media=video, encoding-name=FOO",
      GST_RTC_KIND_VIDEO, "Codec 0 (FOO) has no clock-rate");
  caps_error ("application/x-rtp, encoding-name=RTX, clock-rate=90000",
      GST_RTC_KIND_VIDEO, "The codec caps hold no codec");
}

GST_END_TEST;

static GPtrArray *
media_codecs (const gchar *sdp, guint idx)
{
  GstSDPMessage *msg = test_parse (sdp);
  GPtrArray *codecs
      = rtc_jsep_codecs_from_media (gst_sdp_message_get_media (msg, idx), NULL);

  gst_sdp_message_free (msg);
  fail_unless (codecs != NULL);
  return codecs;
}

static RtcJsepCodec *
nth (GPtrArray *codecs, guint i)
{
  return g_ptr_array_index (codecs, i);
}

GST_START_TEST (test_codecs_from_media)
{
  GPtrArray *codecs = media_codecs (chrome_offer, 1);
  RtcJsepCodec *c;

  /* 10 payload types, 5 of them RTX folded into their primaries. */
  fail_unless_equals_int (codecs->len, 5);
  c = nth (codecs, 0);
  fail_unless_equals_string (c->name, "VP8");
  fail_unless_equals_int (c->pt, 96);
  fail_unless_equals_int (c->rtx_pt, 97);
  fail_unless_equals_int (c->feedback, RTC_JSEP_FB_ALL);
  c = nth (codecs, 1);
  fail_unless_equals_int (c->pt, 102);
  fail_unless_equals_int (c->rtx_pt, 103);
  fail_unless_equals_int (c->feedback, RTC_JSEP_FB_NACK | RTC_JSEP_FB_NACK_PLI);
  fail_unless_equals_string (rtc_jsep_codec_get_fmtp (c, "profile-level-id"),
      "42001f");
  c = nth (codecs, 4);
  fail_unless_equals_string (c->name, "VP9");
  fail_unless_equals_int (c->rtx_pt, 99);
  g_ptr_array_unref (codecs);

  /* Audio: static PCMU/PCMA, red with a valueless fmtp, and Firefox's
   * "0-15" telephone-event parameters are not turned into fields. */
  codecs = media_codecs (firefox_offer, 0);
  fail_unless_equals_int (codecs->len, 5);
  c = nth (codecs, 0);
  fail_unless_equals_string (c->name, "OPUS");
  fail_unless_equals_int (c->channels, 2);
  fail_unless_equals_string (rtc_jsep_codec_get_fmtp (c, "stereo"), "1");
  c = nth (codecs, 4);
  fail_unless_equals_string (c->name, "TELEPHONE-EVENT");
  fail_unless_equals_int (gst_structure_n_fields (c->fmtp), 0);
  g_ptr_array_unref (codecs);

  /* A wildcard rtcp-fb applies to every payload type, and static types
   * need no rtpmap. */
  codecs
      = media_codecs ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                      "m=audio 9 UDP/TLS/RTP/SAVPF 0 8\r\na=rtcp-fb:* nack\r\n",
          0);
  fail_unless_equals_int (codecs->len, 2);
  fail_unless_equals_string (nth (codecs, 0)->name, "PCMU");
  fail_unless_equals_int (nth (codecs, 1)->pt, 8);
  fail_unless_equals_int (nth (codecs, 1)->feedback, RTC_JSEP_FB_NACK);
  g_ptr_array_unref (codecs);
}

GST_END_TEST;

static void
check_plid (const gchar *plid, gboolean ok, RtcJsepH264Profile profile,
    guint level, gboolean level_1b)
{
  RtcJsepH264Profile p;
  guint l;
  gboolean b;

  fail_unless_equals_int (rtc_jsep_h264_parse_profile_level_id (plid, &p, &l,
                              &b),
      ok);
  if (!ok)
    return;
  fail_unless_equals_int (p, profile);
  fail_unless_equals_int (l, level);
  fail_unless_equals_int (b, level_1b);
}

GST_START_TEST (test_h264_profile_level_id)
{
  check_plid ("42e01f", TRUE, RTC_JSEP_H264_CONSTRAINED_BASELINE, 31, FALSE);
  check_plid ("42C02A", TRUE, RTC_JSEP_H264_CONSTRAINED_BASELINE, 42, FALSE);
  check_plid ("4d801f", TRUE, RTC_JSEP_H264_CONSTRAINED_BASELINE, 31, FALSE);
  check_plid ("58c01f", TRUE, RTC_JSEP_H264_CONSTRAINED_BASELINE, 31, FALSE);
  check_plid ("42001f", TRUE, RTC_JSEP_H264_BASELINE, 31, FALSE);
  check_plid ("58801f", TRUE, RTC_JSEP_H264_BASELINE, 31, FALSE);
  check_plid ("4d001f", TRUE, RTC_JSEP_H264_MAIN, 31, FALSE);
  check_plid ("64001f", TRUE, RTC_JSEP_H264_HIGH, 31, FALSE);
  check_plid ("640c1f", TRUE, RTC_JSEP_H264_CONSTRAINED_HIGH, 31, FALSE);
  check_plid ("f4001f", TRUE, RTC_JSEP_H264_PREDICTIVE_HIGH_444, 31, FALSE);
  /* Level 1b: 11 with constraint_set3 in Baseline, 9 in High. */
  check_plid ("42f00b", TRUE, RTC_JSEP_H264_CONSTRAINED_BASELINE, 11, TRUE);
  check_plid ("42e00b", TRUE, RTC_JSEP_H264_CONSTRAINED_BASELINE, 11, FALSE);
  check_plid ("640009", TRUE, RTC_JSEP_H264_HIGH, 11, TRUE);
  /* Unknown profiles, reserved bits, no level, not hex, wrong length. */
  check_plid ("6e001f", FALSE, 0, 0, FALSE);
  check_plid ("42e11f", FALSE, 0, 0, FALSE);
  check_plid ("42e000", FALSE, 0, 0, FALSE);
  check_plid ("42e0zz", FALSE, 0, 0, FALSE);
  check_plid ("-2e01f", FALSE, 0, 0, FALSE);
  check_plid ("42e01", FALSE, 0, 0, FALSE);
  check_plid ("42e01f0", FALSE, 0, 0, FALSE);
  check_plid (NULL, FALSE, 0, 0, FALSE);
}

GST_END_TEST;

static RtcJsepCodec *
h264 (const gchar *fmtp)
{
  gchar *s = g_strdup_printf ("application/x-rtp, media=video, "
                              "encoding-name=H264, clock-rate=90000%s%s",
      fmtp ? ", " : "", fmtp ? fmtp : "");
  RtcJsepCodec *c = codec_from_string (s, GST_RTC_KIND_VIDEO);

  g_free (s);
  return c;
}

/* Matches @local against @remote; returns the answered
 * profile-level-id, or NULL for no match. */
static gchar *
h264_answer (const gchar *local, const gchar *remote)
{
  RtcJsepCodec *l = h264 (local), *r = h264 (remote), *a;
  gchar *plid = NULL;

  a = rtc_jsep_codec_match (l, r);
  if (a) {
    plid = g_strdup (rtc_jsep_codec_get_fmtp (a, "profile-level-id"));
    fail_unless (plid != NULL);
    rtc_jsep_codec_free (a);
  }
  rtc_jsep_codec_free (l);
  rtc_jsep_codec_free (r);
  return plid;
}

#define CB31 "profile-level-id=(string)42e01f"
#define PM1 "packetization-mode=(string)1"
#define ASYM "level-asymmetry-allowed=(string)1"

static void
check_h264 (const gchar *local, const gchar *remote, const gchar *expected)
{
  gchar *got = h264_answer (local, remote);

  fail_unless (g_strcmp0 (got, expected) == 0, "%s vs %s: got %s, want %s",
      local, remote, got, expected);
  g_free (got);
}

GST_START_TEST (test_h264_match)
{
  /* Same profile and mode. */
  check_h264 (CB31 ", " PM1 ", " ASYM, CB31 ", " PM1 ", " ASYM, "42e01f");
  /* Constrained baseline is constrained baseline however signalled. */
  check_h264 (CB31 ", " PM1, "profile-level-id=(string)4d801f, " PM1, "4d801f");
  /* Baseline, Main, High are other profiles. */
  check_h264 (CB31 ", " PM1, "profile-level-id=(string)42001f, " PM1, NULL);
  check_h264 (CB31 ", " PM1, "profile-level-id=(string)4d001f, " PM1, NULL);
  check_h264 (CB31 ", " PM1, "profile-level-id=(string)64001f, " PM1, NULL);
  /* The packetization mode must agree; absent means 0. */
  check_h264 (CB31 ", " PM1, CB31 ", packetization-mode=(string)0", NULL);
  check_h264 (CB31 ", " PM1, CB31, NULL);
  check_h264 (CB31 ", packetization-mode=(string)0", CB31, "42e01f");
  /* Absent profile-level-id is 42000a (Baseline 1.0). */
  check_h264 ("profile-level-id=(string)42001f", NULL, "42000a");
  check_h264 (CB31, NULL, NULL);
  /* Our caps leaving the profile out accept the peer's. */
  check_h264 (PM1, "profile-level-id=(string)64001f, " PM1, "64001f");
  /* Levels: both allow asymmetry -> the level we receive (ours);
   * otherwise the lower of the two. */
  check_h264 (CB31 ", " ASYM, "profile-level-id=(string)42e034, " ASYM,
      "42e01f");
  check_h264 ("profile-level-id=(string)42e034, " ASYM, CB31 ", " ASYM,
      "42e034");
  check_h264 (CB31, "profile-level-id=(string)42e00a", "42e00a");
  check_h264 ("profile-level-id=(string)42e00a", CB31 ", " ASYM, "42e00a");
  check_h264 (CB31, "profile-level-id=(string)42e034", "42e01f");
  /* Level 1b is between 1.0 and 1.1, written per profile. */
  check_h264 (CB31, "profile-level-id=(string)42f00b", "42f00b");
  check_h264 ("profile-level-id=(string)42f00b", CB31, "42f00b");
  check_h264 ("profile-level-id=(string)42e00a",
      "profile-level-id=(string)"
      "42f00b",
      "42e00a");
  check_h264 ("profile-level-id=(string)64001f",
      "profile-level-id=(string)"
      "640009",
      "640009");
  /* A peer's level-1.1 Baseline keeps no stray constraint_set3. */
  check_h264 ("profile-level-id=(string)42e00b",
      "profile-level-id=(string)"
      "42f00c",
      "42e00b");
  /* Garbage from the peer never matches. */
  check_h264 (CB31, "profile-level-id=(string)zzzzzz", NULL);
}

GST_END_TEST;

static gboolean
matches (const gchar *local, GstRtcKind kind, const gchar *remote_sdp_media)
{
  gchar *sdp = g_strdup_printf ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n"
                                "t=0 0\r\n%s",
      remote_sdp_media);
  GPtrArray *remote = media_codecs (sdp, 0);
  RtcJsepCodec *l = codec_from_string (local, kind);
  RtcJsepCodec *a = rtc_jsep_codec_match (l, nth (remote, 0));
  gboolean ok = a != NULL;

  rtc_jsep_codec_free (a);
  rtc_jsep_codec_free (l);
  g_ptr_array_unref (remote);
  g_free (sdp);
  return ok;
}

GST_START_TEST (test_codec_match)
{
  GPtrArray *remote;
  RtcJsepCodec *l, *a;

  /* Opus is always opus/48000/2 (RFC 7587). */
  fail_unless (matches ("application/x-rtp, media=audio, encoding-name=OPUS",
      GST_RTC_KIND_AUDIO,
      "m=audio 9 RTP/SAVPF 111\r\n"
      "a=rtpmap:111 opus/48000/2\r\n"));
  fail_if (matches ("application/x-rtp, media=audio, encoding-name=OPUS",
      GST_RTC_KIND_AUDIO,
      "m=audio 9 RTP/SAVPF 111\r\n"
      "a=rtpmap:111 opus/48000\r\n"));
  fail_if (matches ("application/x-rtp, media=audio, encoding-name=OPUS",
      GST_RTC_KIND_AUDIO,
      "m=audio 9 RTP/SAVPF 111\r\n"
      "a=rtpmap:111 opus/16000/2\r\n"));
  /* Names are case-insensitive; PCMU static or mapped. */
  fail_unless (matches ("application/x-rtp, media=video, encoding-name=vp8, "
                        "clock-rate=90000",
      GST_RTC_KIND_VIDEO,
      "m=video 9 RTP/SAVPF 100\r\n"
      "a=rtpmap:100 VP8/90000\r\n"));
  fail_unless (matches ("application/x-rtp, media=audio, encoding-name=PCMU",
      GST_RTC_KIND_AUDIO, "m=audio 9 RTP/SAVPF 0\r\n"));
  fail_if (matches ("application/x-rtp, media=audio, encoding-name=PCMA",
      GST_RTC_KIND_AUDIO, "m=audio 9 RTP/SAVPF 0\r\n"));
  /* VP9 profile-id, absent meaning 0; our caps without it take any. */
  fail_unless (matches ("application/x-rtp, media=video, encoding-name=VP9, "
                        "profile-id=(string)0",
      GST_RTC_KIND_VIDEO,
      "m=video 9 RTP/SAVPF 98\r\na=rtpmap:98 VP9/90000\r\n"));
  fail_if (matches ("application/x-rtp, media=video, encoding-name=VP9, "
                    "profile-id=(string)0",
      GST_RTC_KIND_VIDEO,
      "m=video 9 RTP/SAVPF 98\r\na=rtpmap:98 VP9/90000\r\n"
      "a=fmtp:98 profile-id=2\r\n"));
  fail_unless (matches ("application/x-rtp, media=video, encoding-name=VP9",
      GST_RTC_KIND_VIDEO,
      "m=video 9 RTP/SAVPF 98\r\n"
      "a=rtpmap:98 VP9/90000\r\na=fmtp:98 profile-id=2\r\n"));

  /* The answer takes the offer's PT, our fmtp on top of the offer's,
   * and the feedback both sides have. */
  remote = media_codecs (firefox_offer, 0);
  l = codec_from_string ("application/x-rtp, media=audio, encoding-name=OPUS, "
                         "payload=96, useinbandfec=(string)0, "
                         "rtcp-fb-transport-cc=true, "
                         "rtcp-fb-nack=true",
      GST_RTC_KIND_AUDIO);
  nth (remote, 0)->feedback = RTC_JSEP_FB_TRANSPORT_CC | RTC_JSEP_FB_GOOG_REMB;
  a = rtc_jsep_codec_match (l, nth (remote, 0));
  fail_unless (a != NULL);
  fail_unless_equals_int (a->pt, 109);
  fail_unless_equals_int (a->rtx_pt, -1);
  fail_unless_equals_int (a->feedback, RTC_JSEP_FB_TRANSPORT_CC);
  fail_unless_equals_string (rtc_jsep_codec_get_fmtp (a, "useinbandfec"), "0");
  fail_unless_equals_string (rtc_jsep_codec_get_fmtp (a, "stereo"), "1");
  rtc_jsep_codec_free (a);
  rtc_jsep_codec_free (l);
  g_ptr_array_unref (remote);
}

GST_END_TEST;

GST_START_TEST (test_pt_allocation)
{
  RtcJsepPtAllocator alloc = { { NULL } };
  RtcJsepCodec *vp8, *vp8b, *pcmu, *pcma, *other;
  GPtrArray *many = g_ptr_array_new_with_free_func (
      (GDestroyNotify)rtc_jsep_codec_free);
  guint i;
  gint pt;

  vp8 = codec_from_string ("application/x-rtp, media=video, "
                           "encoding-name=VP8, clock-rate=90000",
      GST_RTC_KIND_VIDEO);
  vp8b = rtc_jsep_codec_copy (vp8);
  pcmu = codec_from_string ("application/x-rtp, media=audio, "
                            "encoding-name=PCMU, clock-rate=8000",
      GST_RTC_KIND_AUDIO);
  pcma = codec_from_string ("application/x-rtp, media=audio, "
                            "encoding-name=PCMA, clock-rate=8000",
      GST_RTC_KIND_AUDIO);
  other = h264 (CB31 ", " PM1);

  /* Static types for PCMU/PCMA, whatever was preferred. */
  fail_unless_equals_int (rtc_jsep_pt_allocate (&alloc, pcmu, 100), 0);
  fail_unless_equals_int (rtc_jsep_pt_allocate (&alloc, pcma, -1), 8);
  /* A preferred dynamic type is kept; an identical configuration
   * shares it, a different one never does. */
  fail_unless_equals_int (rtc_jsep_pt_allocate (&alloc, vp8, 120), 120);
  fail_unless_equals_int (rtc_jsep_pt_allocate (&alloc, vp8b, 96), 120);
  fail_unless_equals_int (rtc_jsep_pt_allocate (&alloc, other, 120), 96);
  /* 64-95 would collide with RTCP under rtcp-mux: never handed out. */
  for (i = 0; i < 80; i++) {
    gchar *s = g_strdup_printf ("application/x-rtp, media=video, "
                                "encoding-name=X%u, clock-rate=90000",
        i);
    RtcJsepCodec *c = codec_from_string (s, GST_RTC_KIND_VIDEO);
    g_free (s);
    g_ptr_array_add (many, c);
    pt = rtc_jsep_pt_allocate (&alloc, c, 70);
    if (i < 59) {
      /* 32 + 29 dynamic types minus the two already used. */
      fail_unless ((pt >= 96 && pt <= 127) || (pt >= 35 && pt <= 63),
          "codec %u got %d", i, pt);
    } else {
      fail_unless_equals_int (pt, -1);
    }
  }
  g_ptr_array_unref (many);
  rtc_jsep_codec_free (vp8);
  rtc_jsep_codec_free (vp8b);
  rtc_jsep_codec_free (pcmu);
  rtc_jsep_codec_free (pcma);
  rtc_jsep_codec_free (other);
}

GST_END_TEST;

GST_START_TEST (test_caps_extmaps)
{
  GstCaps *c = caps_from (
      "application/x-rtp, media=video, "
      "encoding-name=VP8, extmap-3=(string)urn:a, extmap-0=(string)urn:b, "
      "extmap-15=(string)urn:c, extmap-x=(string)urn:d, extmap-4=(int)1, "
      "extmap-5=(string)\"urn:e f\", extmap-300=(string)urn:g, "
      "extmap-200=(string)urn:h, extmap-7=(string)urn:a; "
      "application/x-rtp, media=video, encoding-name=VP9, "
      "extmap-3=(string)urn:i, "
      "extmap-6=<(string)sendonly, (string)urn:j, (string)\"\">");
  GPtrArray *exts = rtc_jsep_caps_extmaps (c);
  RtcJsepExtmap *e;

  /* Only well-formed ids and URIs, one id and one URI each. */
  fail_unless_equals_int (exts->len, 3);
  e = g_ptr_array_index (exts, 0);
  fail_unless_equals_int (e->id, 3);
  fail_unless_equals_string (e->uri, "urn:a");
  e = g_ptr_array_index (exts, 1);
  fail_unless_equals_int (e->id, 200);
  fail_unless_equals_string (e->uri, "urn:h");
  e = g_ptr_array_index (exts, 2);
  fail_unless_equals_int (e->id, 6);
  fail_unless_equals_string (e->uri, "urn:j");
  g_ptr_array_unref (exts);
  gst_caps_unref (c);
}

GST_END_TEST;

static Suite *
jsep_codec_suite (void)
{
  Suite *s = suite_create ("jsep-codec");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_codecs_from_caps);
  tcase_add_test (tc, test_codecs_from_media);
  tcase_add_test (tc, test_h264_profile_level_id);
  tcase_add_test (tc, test_h264_match);
  tcase_add_test (tc, test_codec_match);
  tcase_add_test (tc, test_pt_allocation);
  tcase_add_test (tc, test_caps_extmaps);
  return s;
}

RTC_CHECK_MAIN (jsep_codec);
