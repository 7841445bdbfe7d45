/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcbin's media path between two rtcbins in one process over 127.0.0.1:
 * a sender changing SSRC mid-call (found by its mid extension, or by
 * payload type without one) keeps flowing out of the same src pad; a key
 * unit request on the receiver reaches the right encoder's payloader as
 * GstForceKeyUnit through PLI; lost video packets come back through
 * NACK and RTX; offers under each bundle policy mark bundle-only m-lines
 * as JSEP says and, BUNDLE accepted, carry everything on one transport.
 */
#include <gst/rtp/rtp.h>

#include "../common/rtcbintest.h"
#include "../common/rtccheckmain.h"

#define OPUS_SEND \
  "audiotestsrc is-live=true ! opusenc ! rtpopuspay name=apay pt=96 ! "
#define VP8_SEND_NAMED(name) \
  "videotestsrc is-live=true ! video/x-raw,width=160,height=120," \
  "framerate=30/1 ! vp8enc deadline=1 ! rtpvp8pay name=" name " pt=97 ! "
#define VP8_SEND VP8_SEND_NAMED ("vpay")

typedef struct {
  GstElement *pa, *pb, *a, *b;
  RtcBinTestCounts ca, cb;
  GstRtcBundlePolicy policy;
  GstSDPMessage *offer;
} Call;

/* a sends what @send describes to b, which only receives. */
static void
call_start (Call *call, const gchar *send, guint n_streams)
{
  GError *error = NULL;
  gchar *desc = g_strconcat (send, "rtcbin name=a", NULL);

  call->pa = gst_parse_launch (desc, &error);
  g_free (desc);
  fail_unless (call->pa != NULL, "%s", error ? error->message : "");
  call->pb = gst_pipeline_new ("pb");
  call->a = gst_bin_get_by_name (GST_BIN (call->pa), "a");
  call->b = rtcbin_test_new ("b");
  gst_bin_add (GST_BIN (call->pb), gst_object_ref (call->b));
  rtcbin_test_restrict (call->a);
  if (call->policy)
    g_object_set (call->a, "bundle-policy", call->policy, NULL);
  call->ca.pipeline = call->pa;
  call->cb.pipeline = call->pb;
  rtcbin_test_trickle (call->a, call->b);
  g_signal_connect (call->b, "pad-added", G_CALLBACK (rtcbin_test_decode_pad),
      &call->cb);
  gst_element_set_state (call->pb, GST_STATE_PLAYING);
  gst_element_set_state (call->pa, GST_STATE_PLAYING);
  rtcbin_test_wait_transceivers (call->a, n_streams, 5000);
  fail_unless_equals_int (rtcbin_test_n_transceivers (call->a), n_streams);
  rtcbin_test_negotiate_sdp (call->a, call->b, &call->offer);
}

static void
call_stop (Call *call)
{
  fail_unless_equals_int (g_atomic_int_get (&call->cb.link_failures), 0);
  gst_element_set_state (call->pa, GST_STATE_NULL);
  gst_element_set_state (call->pb, GST_STATE_NULL);
  gst_object_unref (call->a);
  gst_object_unref (call->b);
  gst_object_unref (call->pa);
  gst_object_unref (call->pb);
  gst_sdp_message_free (call->offer);
}

/* The pad of a's rtpbin where packets leave for SRTP. */
static GstPad *
sent_rtp_pad (GstElement *a)
{
  GstElement *rtpbin = gst_bin_get_by_name (GST_BIN (a), "rtpbin");
  GstPad *pad;

  fail_unless (rtpbin != NULL);
  pad = gst_element_get_static_pad (rtpbin, "send_rtp_src_0");
  fail_unless (pad != NULL);
  gst_object_unref (rtpbin);
  return pad;
}

#define NEW_SSRC 0x5eed1234u

/* Packets the probes below found without the mid extension they expect
 * (counted there, in a streaming thread; checked by the test). */
static gint missing_mid;

/* Rewrites the SSRC of every sent packet, and drops the header
 * extensions (the mid) when asked: a sender that changed SSRC without
 * telling. */
static GstPadProbeReturn
change_ssrc_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  gboolean strip = GPOINTER_TO_INT (user_data);
  GstBuffer *buf = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;

  GST_PAD_PROBE_INFO_DATA (info) = buf;
  if (!gst_rtp_buffer_map (buf, GST_MAP_READWRITE, &rtp))
    return GST_PAD_PROBE_DROP;
  if (!strip && !gst_rtp_buffer_get_extension (&rtp))
    g_atomic_int_inc (&missing_mid);
  gst_rtp_buffer_set_ssrc (&rtp, NEW_SSRC);
  if (strip)
    gst_rtp_buffer_remove_extension_data (&rtp);
  gst_rtp_buffer_unmap (&rtp);
  return GST_PAD_PROBE_OK;
}

static void
check_ssrc_change (gboolean strip_mid)
{
  Call call = { 0 };
  GstPad *pad, *src;
  GstCaps *caps;
  guint ssrc = 0;
  gint before;
  gint64 end;

  g_atomic_int_set (&missing_mid, 0);
  call_start (&call, OPUS_SEND "a. ", 1);
  fail_unless (rtcbin_test_wait_int (&call.cb.audio, 25, 10000), "decoded %d",
      call.cb.audio);
  pad = sent_rtp_pad (call.a);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, change_ssrc_probe,
      GINT_TO_POINTER (strip_mid), NULL);
  gst_object_unref (pad);

  /* The new SSRC flows out of the same src pad, which says so. */
  src = gst_element_get_static_pad (call.b, "src_0");
  fail_unless (src != NULL);
  end = g_get_monotonic_time () + RTC_TEST_MS (10000) * 1000;
  while (ssrc != NEW_SSRC && g_get_monotonic_time () < end) {
    g_usleep (10000);
    caps = gst_pad_get_current_caps (src);
    if (caps) {
      gst_structure_get_uint (gst_caps_get_structure (caps, 0), "ssrc", &ssrc);
      gst_caps_unref (caps);
    }
  }
  fail_unless_equals_int (ssrc, NEW_SSRC);
  caps = gst_pad_get_current_caps (src);
  {
    GstStructure *st = gst_caps_get_structure (caps, 0);
    gint rate = 0, pt = 0;

    fail_unless_equals_string (gst_structure_get_string (st, "media"), "audio");
    fail_unless_equals_string (gst_structure_get_string (st, "encoding-name"),
        "OPUS");
    fail_unless (gst_structure_get_int (st, "clock-rate", &rate));
    fail_unless_equals_int (rate, 48000);
    fail_unless (gst_structure_get_int (st, "payload", &pt));
    fail_unless_equals_int (pt, 96);
  }
  gst_caps_unref (caps);
  before = g_atomic_int_get (&call.cb.audio);
  fail_unless (rtcbin_test_wait_int (&call.cb.audio, before + 25, 10000));
  fail_unless_equals_int (g_atomic_int_get (&call.cb.pads), 1);
  /* The sender wrote the mid into every packet. */
  fail_unless_equals_int (g_atomic_int_get (&missing_mid), 0);
  gst_object_unref (src);
  call_stop (&call);
}

GST_START_TEST (test_ssrc_change_by_mid)
{
  check_ssrc_change (FALSE);
}

GST_END_TEST;

GST_START_TEST (test_ssrc_change_by_payload_type)
{
  check_ssrc_change (TRUE);
}

GST_END_TEST;

/* Rewrites to NEW_SSRC the packets whose mid extension (id 4, as the
 * JSEP core numbers it) is the one given. */
static GstPadProbeReturn
change_one_ssrc_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  const gchar *mid = user_data;
  GstBuffer *buf = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  gpointer data;
  guint size;

  GST_PAD_PROBE_INFO_DATA (info) = buf;
  if (!gst_rtp_buffer_map (buf, GST_MAP_READWRITE, &rtp))
    return GST_PAD_PROBE_DROP;
  if (!gst_rtp_buffer_get_extension_onebyte_header (&rtp, 4, 0, &data, &size))
    g_atomic_int_inc (&missing_mid);
  else if (size == strlen (mid) && memcmp (data, mid, size) == 0)
    gst_rtp_buffer_set_ssrc (&rtp, NEW_SSRC);
  gst_rtp_buffer_unmap (&rtp);
  return GST_PAD_PROBE_OK;
}

static guint
pad_ssrc (GstElement *bin, const gchar *name)
{
  GstPad *pad = gst_element_get_static_pad (bin, name);
  GstCaps *caps;
  guint ssrc = 0;

  fail_unless (pad != NULL, "no %s", name);
  caps = gst_pad_get_current_caps (pad);
  if (caps) {
    gst_structure_get_uint (gst_caps_get_structure (caps, 0), "ssrc", &ssrc);
    gst_caps_unref (caps);
  }
  gst_object_unref (pad);
  return ssrc;
}

/* Two Opus m-lines share one payload type (identical configurations do,
 * in one bundle): a new SSRC on the first is told apart by its mid alone,
 * and comes out of src_0. */
GST_START_TEST (test_mid_decides)
{
  Call call = { 0 };
  GstPad *pad;
  const gchar *mid0;
  gint64 end;

  g_atomic_int_set (&missing_mid, 0);
  call_start (&call,
      OPUS_SEND "a. audiotestsrc is-live=true freq=880 ! opusenc ! "
                "rtpopuspay pt=96 ! a. ",
      2);
  fail_unless_equals_string (gst_sdp_media_get_format (gst_sdp_message_get_media (call.offer,
                                                           0),
                                 0),
      gst_sdp_media_get_format (gst_sdp_message_get_media (call.offer, 1), 0));
  fail_unless (rtcbin_test_wait_int (&call.cb.pads, 2, 10000));
  fail_unless (rtcbin_test_wait_int (&call.cb.audio, 50, 10000));
  mid0 = gst_sdp_media_get_attribute_val (gst_sdp_message_get_media (call.offer,
                                              0),
      "mid");
  pad = sent_rtp_pad (call.a);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, change_one_ssrc_probe,
      (gpointer)mid0, NULL);
  gst_object_unref (pad);

  end = g_get_monotonic_time () + RTC_TEST_MS (10000) * 1000;
  while (
      pad_ssrc (call.b, "src_0") != NEW_SSRC && g_get_monotonic_time () < end)
    g_usleep (10000);
  fail_unless_equals_int (pad_ssrc (call.b, "src_0"), NEW_SSRC);
  fail_if (pad_ssrc (call.b, "src_1") == NEW_SSRC);
  fail_unless_equals_int (g_atomic_int_get (&call.cb.pads), 2);
  fail_unless_equals_int (g_atomic_int_get (&missing_mid), 0);
  call_stop (&call);
}

GST_END_TEST;

/* A new SSRC every three packets (rtpsession validates a source after
 * two in sequence), without mid. */
static GstPadProbeReturn
spray_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  gint *sent = user_data;
  GstBuffer *buf = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;

  GST_PAD_PROBE_INFO_DATA (info) = buf;
  if (!gst_rtp_buffer_map (buf, GST_MAP_READWRITE, &rtp))
    return GST_PAD_PROBE_DROP;
  gst_rtp_buffer_set_ssrc (&rtp, 0x10000 + g_atomic_int_add (sent, 1) / 3);
  gst_rtp_buffer_remove_extension_data (&rtp);
  gst_rtp_buffer_unmap (&rtp);
  return GST_PAD_PROBE_OK;
}

/* How many elements of @factory @rtcbin's rtpbin holds; @last, if not
 * NULL, gets a reference to the last one found, or NULL. */
static guint
rtpbin_find (GstElement *rtcbin, const gchar *factory, GstElement **last)
{
  GstElement *rtpbin = gst_bin_get_by_name (GST_BIN (rtcbin), "rtpbin");
  GstIterator *it = gst_bin_iterate_recurse (GST_BIN (rtpbin));
  GValue item = G_VALUE_INIT;
  guint n = 0;

  if (last)
    *last = NULL;
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&item);
    GstElementFactory *f = gst_element_get_factory (e);

    if (f && g_str_equal (GST_OBJECT_NAME (f), factory)) {
      n++;
      if (last)
        gst_object_replace ((GstObject **)last, GST_OBJECT (e));
    }
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  gst_object_unref (rtpbin);
  return n;
}

static guint
count_jitterbuffers (GstElement *rtcbin)
{
  return rtpbin_find (rtcbin, "rtpjitterbuffer", NULL);
}

/* A peer sending from ever new SSRCs gets a bounded number of streams
 * (each would cost a jitter buffer): 64 learned besides the announced
 * one, the rest dropped. */
GST_START_TEST (test_ssrc_spray_bounded)
{
  Call call = { 0 };
  GstPad *pad;
  gint sent = 0;
  gint64 end;
  guint n;

  call_start (&call, OPUS_SEND "a. ", 1);
  fail_unless (rtcbin_test_wait_int (&call.cb.audio, 10, 10000));
  pad = sent_rtp_pad (call.a);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, spray_probe, &sent, NULL);
  gst_object_unref (pad);
  /* The announced SSRC and 64 learned ones reach b (a learned one whose
   * packets rtpsession did not validate has none: some margin)... */
  end = g_get_monotonic_time () + RTC_TEST_MS (15000) * 1000;
  while (count_jitterbuffers (call.b) < 65 && g_get_monotonic_time () < end)
    g_usleep (20000);
  n = count_jitterbuffers (call.b);
  fail_unless (n >= 56 && n <= 65, "%u jitter buffers", n);
  /* ...and 40 more SSRCs later, no more. */
  fail_unless (
      rtcbin_test_wait_int (&sent, g_atomic_int_get (&sent) + 3 * 40, 15000));
  g_usleep (RTC_TEST_MS (200) * 1000);
  n = count_jitterbuffers (call.b);
  fail_unless (n <= 65, "%u jitter buffers", n);
  fail_unless_equals_int (g_atomic_int_get (&call.cb.pads), 1);
  call_stop (&call);
}

GST_END_TEST;

static GstPadProbeReturn
count_key_unit (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  const GstStructure *s = gst_event_get_structure (
      GST_PAD_PROBE_INFO_EVENT (info));

  if (s && gst_structure_has_name (s, "GstForceKeyUnit"))
    g_atomic_int_inc ((gint *)user_data);
  return GST_PAD_PROBE_OK;
}

static void
count_key_units (GstElement *pipeline, const gchar *payloader, gint *counter)
{
  GstElement *pay = gst_bin_get_by_name (GST_BIN (pipeline), payloader);
  GstPad *pad = gst_element_get_static_pad (pay, "src");

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, count_key_unit,
      counter, NULL);
  gst_object_unref (pad);
  gst_object_unref (pay);
}

/* A key unit request on b's video pad becomes a PLI, which a turns into
 * GstForceKeyUnit for its video payloader only. */
GST_START_TEST (test_key_unit_request)
{
  Call call = { 0 };
  gint video_requests = 0, audio_requests = 0;
  GstPad *src = NULL;
  GstIterator *it;
  GValue item = G_VALUE_INIT;

  call_start (&call, OPUS_SEND "a. " VP8_SEND "a. ", 2);
  fail_unless (rtcbin_test_wait_int (&call.cb.video, 10, 10000));
  fail_unless (rtcbin_test_wait_int (&call.cb.audio, 10, 10000));
  count_key_units (call.pa, "vpay", &video_requests);
  count_key_units (call.pa, "apay", &audio_requests);

  it = gst_element_iterate_src_pads (call.b);
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstPad *pad = g_value_get_object (&item);
    GstCaps *caps = gst_pad_get_current_caps (pad);

    if (caps
        && g_strcmp0 (gst_structure_get_string (gst_caps_get_structure (caps, 0),
                          "encoding-name"),
               "VP8")
            == 0)
      src = gst_object_ref (pad);
    if (caps)
      gst_caps_unref (caps);
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  fail_unless (src != NULL);

  fail_unless (gst_pad_send_event (src,
      gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM,
          gst_structure_new ("GstForceKeyUnit", "all-headers", G_TYPE_BOOLEAN,
              TRUE, NULL))));
  fail_unless (rtcbin_test_wait_int (&video_requests, 1, 5000));
  fail_unless_equals_int (g_atomic_int_get (&audio_requests), 0);
  gst_object_unref (src);
  call_stop (&call);
}

GST_END_TEST;

static guint
rtx_counter (GstElement *rtcbin, const gchar *factory, const gchar *prop)
{
  GstElement *e;
  guint n = 0;

  rtpbin_find (rtcbin, factory, &e);
  if (e) {
    g_object_get (e, prop, &n, NULL);
    gst_object_unref (e);
  }
  return n;
}

GST_START_TEST (test_nack_rtx)
{
  Call call = { 0 };
  GstPad *pad;
  gint dropped = 0, before;
  gint64 end;
  guint sent = 0, associated = 0;

  call_start (&call, VP8_SEND "a. ", 1);
  fail_unless (rtcbin_test_wait_int (&call.cb.video, 10, 10000));
  pad = sent_rtp_pad (call.a);
  gst_pad_add_probe (pad,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
      rtcbin_test_lose_probe, &dropped, NULL);
  gst_object_unref (pad);

  end = g_get_monotonic_time () + RTC_TEST_MS (10000) * 1000;
  while ((sent < 3 || associated < 3 || g_atomic_int_get (&dropped) < 3)
      && g_get_monotonic_time () < end) {
    g_usleep (50000);
    sent = rtx_counter (call.a, "rtprtxsend", "num-rtx-packets");
    associated = rtx_counter (call.b, "rtprtxreceive", "num-rtx-assoc-packets");
  }
  fail_unless (g_atomic_int_get (&dropped) >= 3);
  fail_unless (sent >= 3, "a resent %u", sent);
  fail_unless (associated >= 3, "b took back %u", associated);
  before = g_atomic_int_get (&call.cb.video);
  fail_unless (rtcbin_test_wait_int (&call.cb.video, before + 10, 10000));
  call_stop (&call);
}

GST_END_TEST;

/* Whether the offer's m-line @idx is bundle-only (port 0 and the
 * attribute), and that it is in the offered BUNDLE group. */
static gboolean
offered_bundle_only (const GstSDPMessage *offer, guint idx)
{
  const GstSDPMedia *m = gst_sdp_message_get_media (offer, idx);
  const gchar *group = gst_sdp_message_get_attribute_val (offer, "group");
  gchar *needle = g_strdup_printf (" %s",
      gst_sdp_media_get_attribute_val (m, "mid"));
  gboolean bundle_only = gst_sdp_media_get_port (m) == 0
      && gst_sdp_media_get_attribute_val (m, "bundle-only") != NULL;

  fail_unless (
      group && g_str_has_prefix (group, "BUNDLE ") && strstr (group, needle));
  g_free (needle);
  return bundle_only;
}

/* Opus and two VP8 streams under a bundle policy: the offer marks
 * bundle-only as the policy says (JSEP 5.2.1), b accepts BUNDLE and all
 * three streams arrive over the one transport. */
static void
check_bundle_policy (GstRtcBundlePolicy policy)
{
  Call call = { 0 };
  gboolean seen_audio = FALSE, seen_video = FALSE;
  guint i;

  call.policy = policy;
  call_start (&call,
      OPUS_SEND "a. " VP8_SEND_NAMED ("v1") "a. " VP8_SEND_NAMED ("v2") "a. ",
      3);
  fail_unless_equals_int (gst_sdp_message_medias_len (call.offer), 3);
  /* The m-lines come in the order the payloaders' caps did. */
  for (i = 0; i < 3; i++) {
    gboolean video
        = g_str_equal (gst_sdp_media_get_media (
                           gst_sdp_message_get_media (call.offer, i)),
            "video");
    gboolean *seen = video ? &seen_video : &seen_audio;

    fail_unless_equals_int (offered_bundle_only (call.offer, i),
        policy == GST_RTC_BUNDLE_POLICY_BALANCED && *seen);
    *seen = TRUE;
  }
  fail_unless (rtcbin_test_wait_int (&call.cb.audio, 25, 10000), "audio %d",
      call.cb.audio);
  fail_unless (rtcbin_test_wait_int (&call.cb.video, 40, 10000), "video %d",
      call.cb.video);
  fail_unless (rtcbin_test_wait_int (&call.cb.pads, 3, 5000), "%d src pads",
      call.cb.pads);
  call_stop (&call);
}

GST_START_TEST (test_bundle_balanced)
{
  check_bundle_policy (GST_RTC_BUNDLE_POLICY_BALANCED);
}

GST_END_TEST;

GST_START_TEST (test_bundle_max_compat)
{
  check_bundle_policy (GST_RTC_BUNDLE_POLICY_MAX_COMPAT);
}

GST_END_TEST;

GST_START_TEST (test_bundle_max_bundle)
{
  Call call = { 0 };

  call_start (&call, OPUS_SEND "a. " VP8_SEND "a. ", 2);
  fail_if (offered_bundle_only (call.offer, 0));
  fail_unless (offered_bundle_only (call.offer, 1));
  fail_unless (rtcbin_test_wait_int (&call.cb.audio, 25, 10000));
  fail_unless (rtcbin_test_wait_int (&call.cb.video, 10, 10000));
  call_stop (&call);
}

GST_END_TEST;

static Suite *
rtcbin_media_suite (void)
{
  Suite *s = suite_create ("rtcbin-media");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_ssrc_change_by_mid);
  tcase_add_test (tc, test_ssrc_change_by_payload_type);
  tcase_add_test (tc, test_mid_decides);
  tcase_add_test (tc, test_ssrc_spray_bounded);
  tcase_add_test (tc, test_key_unit_request);
  tcase_add_test (tc, test_nack_rtx);
  tcase_add_test (tc, test_bundle_balanced);
  tcase_add_test (tc, test_bundle_max_compat);
  tcase_add_test (tc, test_bundle_max_bundle);
  return s;
}

RTC_CHECK_MAIN (rtcbin_media);
