/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcbin: two sessions in one process, offer/answer through the action
 * signals and promises, trickle ICE over loopback.
 */
#include "../common/rtcbintest.h"
#include "../common/rtccheckmain.h"

static void
count_transceiver (GstElement *bin, GstRtcRtpTransceiver *trans, gint *count)
{
  fail_unless (GST_IS_RTC_RTP_TRANSCEIVER (trans));
  g_atomic_int_inc (count);
}

GST_START_TEST (test_offer_answer_ice)
{
  GstElement *a = rtcbin_test_new ("a"), *b = rtcbin_test_new ("b");
  GstRtcRtpTransceiver *trans;
  GstRtcSessionDescription *desc = NULL;
  GArray *arr;
  gint needed = 0, new_a = 0, new_b = 0;
  gchar *mid = NULL;
  guint mline = G_MAXUINT;
  GstRtcKind kind;

  rtcbin_test_trickle (a, b);
  g_signal_connect (a, "on-negotiation-needed",
      G_CALLBACK (rtcbin_test_count_signal), &needed);
  g_signal_connect (a, "on-new-transceiver", G_CALLBACK (count_transceiver),
      &new_a);
  g_signal_connect (b, "on-new-transceiver", G_CALLBACK (count_transceiver),
      &new_b);

  trans = rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS);
  fail_unless_equals_int (g_atomic_int_get (&new_a), 1);
  gst_object_unref (trans);

  rtcbin_test_negotiate (a, b);
  fail_unless_equals_int (g_atomic_int_get (&needed), 1);

  /* The answerer learnt its transceiver from the offer. */
  fail_unless_equals_int (g_atomic_int_get (&new_b), 1);
  g_signal_emit_by_name (b, "get-transceivers", &arr);
  fail_unless_equals_int (arr->len, 1);
  trans = g_array_index (arr, GstRtcRtpTransceiver *, 0);
  g_object_get (trans, "mid", &mid, "mlineindex", &mline, "kind", &kind, NULL);
  fail_unless (mid != NULL);
  fail_unless_equals_int (mline, 0);
  fail_unless_equals_int (kind, GST_RTC_KIND_AUDIO);
  g_free (mid);
  g_array_unref (arr);

  g_object_get (a, "current-remote-description", &desc, NULL);
  fail_unless (desc != NULL);
  fail_unless_equals_int (desc->type, GST_RTC_SDP_TYPE_ANSWER);
  gst_rtc_session_description_free (desc);
  g_object_get (a, "pending-local-description", &desc, NULL);
  fail_unless (desc == NULL);

  /* Trickled candidates connect both sides. */
  fail_unless (rtcbin_test_wait_ice (a, 10000));
  fail_unless (rtcbin_test_wait_ice (b, 10000));
  fail_unless (rtcbin_test_wait_enum (a, "ice-gathering-state",
      GST_RTC_ICE_GATHERING_STATE_COMPLETE, 10000));

  gst_object_unref (a);
  gst_object_unref (b);
}

GST_END_TEST;

GST_START_TEST (test_wrong_state)
{
  GstElement *a = rtcbin_test_new ("a"), *b = rtcbin_test_new ("b");
  GstRtcSessionDescription *offer, *answer;
  GError *error = NULL;

  gst_object_unref (rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS));

  /* No remote offer: nothing to answer. */
  fail_unless (rtcbin_test_create (a, "create-answer", NULL, &error) == NULL);
  fail_unless (
      g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE));
  g_clear_error (&error);

  offer = rtcbin_test_create (a, "create-offer", NULL, NULL);
  fail_unless (rtcbin_test_set (b, "set-remote-description", offer) == NULL);
  answer = rtcbin_test_create (b, "create-answer", NULL, NULL);

  /* An answer while a is stable: refused, state unchanged. */
  error = rtcbin_test_set (a, "set-remote-description", answer);
  fail_unless (error != NULL);
  fail_unless (
      g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE));
  fail_unless (strstr (error->message, "answer") != NULL, "%s", error->message);
  fail_unless (strstr (error->message, "stable") != NULL, "%s", error->message);
  g_clear_error (&error);
  fail_unless_equals_int (rtcbin_test_enum (a, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);

  /* A local offer on b while it holds a remote one is refused too. */
  error = rtcbin_test_set (b, "set-local-description", offer);
  fail_unless (
      g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE));
  g_clear_error (&error);

  /* The normal order still works afterwards. */
  fail_unless (rtcbin_test_set (a, "set-local-description", offer) == NULL);
  fail_unless (rtcbin_test_set (a, "set-remote-description", answer) == NULL);
  fail_unless_equals_int (rtcbin_test_enum (a, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);

  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (answer);
  gst_object_unref (a);
  gst_object_unref (b);
}

GST_END_TEST;

/* Operations queued behind a slow one run in order, and those queued
 * when the element goes away are still answered. */
GST_START_TEST (test_promises_answered_on_dispose)
{
  GstElement *a = rtcbin_test_new ("a");
  GstPromise *promises[16];
  guint i, offers = 0, closed = 0;

  gst_object_unref (rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS));
  for (i = 0; i < G_N_ELEMENTS (promises); i++) {
    promises[i] = gst_promise_new ();
    g_signal_emit_by_name (a, "create-offer", NULL, promises[i]);
  }
  gst_object_unref (a);

  /* Each is answered: with an offer if it ran before the element went,
   * else with a "closed" error; once answered "closed", all later ones
   * are too. */
  for (i = 0; i < G_N_ELEMENTS (promises); i++) {
    const GstStructure *reply = rtcbin_test_await (promises[i]);
    GError *error = NULL;

    fail_unless (reply != NULL);
    if (gst_structure_has_field (reply, "offer")) {
      fail_unless_equals_int (closed, 0);
      offers++;
    } else {
      fail_unless (
          gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL));
      fail_unless (
          g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE));
      fail_unless (strstr (error->message, "closed") != NULL);
      g_error_free (error);
      closed++;
    }
    gst_promise_unref (promises[i]);
  }
  fail_unless_equals_int (offers + closed, G_N_ELEMENTS (promises));
}

GST_END_TEST;

GST_START_TEST (test_bad_input)
{
  GstElement *a = rtcbin_test_new ("a");
  GstRtcRtpTransceiver *trans = NULL;
  GstCaps *caps = gst_caps_from_string ("application/x-rtp");
  GError *error;
  GstRtcSessionDescription *desc;

  /* No media kind: refused. */
  g_signal_emit_by_name (a, "add-transceiver",
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, caps, &trans);
  fail_unless (trans == NULL);

  /* An SDP that is no valid offer: a clear error, state unchanged. */
  desc = rtcbin_test_desc (GST_RTC_SDP_TYPE_OFFER,
      "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n"
      "t=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 96\r\n");
  error = rtcbin_test_set (a, "set-remote-description", desc);
  fail_unless (error != NULL);
  g_clear_error (&error);
  fail_unless_equals_int (rtcbin_test_enum (a, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);

  /* Garbage candidates are dropped. */
  g_signal_emit_by_name (a, "add-ice-candidate", 0, "candidate:garbage");
  g_signal_emit_by_name (a, "add-ice-candidate", 7, "\x01\x02");

  gst_rtc_session_description_free (desc);
  gst_caps_unref (caps);
  gst_object_unref (a);
}

GST_END_TEST;

/* A payloader linked to a's sink pad makes the transceiver: negotiation
 * is needed, offer/answer and trickle run, ICE and DTLS connect, and b
 * exposes a src pad whose decrypted Opus decodes. */
GST_START_TEST (test_audio_call)
{
  GstElement *pa, *pb, *a, *b;
  RtcBinTestCounts r = { 0 };
  gint needed = 0;
  gint64 end;
  GError *error = NULL;

  pa = gst_parse_launch ("audiotestsrc is-live=true ! opusenc ! "
                         "rtpopuspay ! rtcbin name=a",
      &error);
  fail_unless (pa != NULL, "%s", error ? error->message : "");
  pb = gst_pipeline_new ("pb");
  b = rtcbin_test_new ("b");
  g_object_set (b, "latency", 100, NULL);
  gst_bin_add (GST_BIN (pb), b);
  a = gst_bin_get_by_name (GST_BIN (pa), "a");
  rtcbin_test_restrict (a);
  r.pipeline = pb;

  rtcbin_test_trickle (a, b);
  g_signal_connect (a, "on-negotiation-needed",
      G_CALLBACK (rtcbin_test_count_signal), &needed);
  g_signal_connect (b, "pad-added", G_CALLBACK (rtcbin_test_decode_pad), &r);

  fail_unless (gst_element_set_state (pb, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);
  fail_unless (gst_element_set_state (pa, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);

  fail_unless (rtcbin_test_wait_int (&needed, 1, 5000));
  rtcbin_test_negotiate (a, b);

  fail_unless (rtcbin_test_wait_enum (a, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));
  fail_unless (rtcbin_test_wait_enum (b, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));

  end = g_get_monotonic_time () + RTC_TEST_MS (10000) * 1000;
  while (g_atomic_int_get (&r.audio) < 25 && g_get_monotonic_time () < end)
    g_usleep (10000);
  /* Counted only behind an Opus decoder, which the pad's caps chose. */
  fail_unless (g_atomic_int_get (&r.audio) >= 25, "decoded %d",
      g_atomic_int_get (&r.audio));
  fail_unless_equals_int (g_atomic_int_get (&r.video), 0);
  fail_unless_equals_int (g_atomic_int_get (&r.link_failures), 0);

  /* The received stream goes through a jitter buffer of b's latency. */
  {
    GstPad *src = gst_element_get_static_pad (b, "src_0");
    GstQuery *q = gst_query_new_latency ();
    GstClockTime min = 0;
    gboolean live = FALSE;

    fail_unless (src != NULL);
    fail_unless (gst_pad_query (src, q));
    gst_query_parse_latency (q, &live, &min, NULL);
    fail_unless (live);
    fail_unless (min >= 100 * GST_MSECOND && min < 200 * GST_MSECOND,
        "latency %" GST_TIME_FORMAT, GST_TIME_ARGS (min));
    gst_query_unref (q);
    gst_object_unref (src);
  }

  gst_element_set_state (pa, GST_STATE_NULL);
  gst_element_set_state (pb, GST_STATE_NULL);
  gst_object_unref (a);
  gst_object_unref (pa);
  gst_object_unref (pb);
}

GST_END_TEST;

/* Replaces every a=fingerprint of @desc with @fingerprint. */
static void
set_fingerprint (GstRtcSessionDescription *desc, const gchar *fingerprint)
{
  guint i, j;

  for (j = 0; j < gst_sdp_message_attributes_len (desc->sdp); j++) {
    const GstSDPAttribute *attr = gst_sdp_message_get_attribute (desc->sdp, j);

    if (g_strcmp0 (attr->key, "fingerprint") == 0) {
      GstSDPAttribute repl;

      gst_sdp_attribute_set (&repl, "fingerprint", fingerprint);
      gst_sdp_message_replace_attribute (desc->sdp, j, &repl);
    }
  }
  for (i = 0; i < gst_sdp_message_medias_len (desc->sdp); i++) {
    GstSDPMedia *media = (GstSDPMedia *)gst_sdp_message_get_media (desc->sdp,
        i);

    for (j = 0; j < gst_sdp_media_attributes_len (media); j++) {
      const GstSDPAttribute *attr = gst_sdp_media_get_attribute (media, j);

      if (g_strcmp0 (attr->key, "fingerprint") == 0) {
        GstSDPAttribute repl;

        gst_sdp_attribute_set (&repl, "fingerprint", fingerprint);
        gst_sdp_media_replace_attribute (media, j, &repl);
      }
    }
  }
}

static gchar *
get_fingerprint (GstRtcSessionDescription *desc)
{
  const GstSDPMedia *media = gst_sdp_message_get_media (desc->sdp, 0);
  const gchar *fp = gst_sdp_media_get_attribute_val (media, "fingerprint");

  if (!fp)
    fp = gst_sdp_message_get_attribute_val (desc->sdp, "fingerprint");
  return g_strdup (fp);
}

/* The answer names a certificate b does not have: a rejects the DTLS
 * handshake and its connection fails; no media is decrypted. */
GST_START_TEST (test_fingerprint_mismatch)
{
  GstElement *pa, *pb, *a, *b;
  GstRtcSessionDescription *offer, *answer;
  GstBus *bus;
  GstMessage *msg;
  gchar *fp;
  gint needed = 0;
  GError *error = NULL;

  pa = gst_parse_launch ("audiotestsrc is-live=true ! opusenc ! "
                         "rtpopuspay ! rtcbin name=a",
      &error);
  fail_unless (pa != NULL);
  a = gst_bin_get_by_name (GST_BIN (pa), "a");
  rtcbin_test_restrict (a);
  pb = gst_pipeline_new ("pb");
  b = rtcbin_test_new ("b");
  gst_bin_add (GST_BIN (pb), b);
  rtcbin_test_trickle (a, b);
  g_signal_connect (a, "on-negotiation-needed",
      G_CALLBACK (rtcbin_test_count_signal), &needed);
  gst_element_set_state (pb, GST_STATE_PLAYING);
  gst_element_set_state (pa, GST_STATE_PLAYING);
  fail_unless (rtcbin_test_wait_int (&needed, 1, 5000));

  offer = rtcbin_test_create (a, "create-offer", NULL, NULL);
  fail_unless (rtcbin_test_set (a, "set-local-description", offer) == NULL);
  fail_unless (rtcbin_test_set (b, "set-remote-description", offer) == NULL);
  answer = rtcbin_test_create (b, "create-answer", NULL, NULL);
  fail_unless (rtcbin_test_set (b, "set-local-description", answer) == NULL);
  /* a's own fingerprint: valid syntax, wrong certificate. */
  fp = get_fingerprint (offer);
  fail_unless (fp != NULL);
  set_fingerprint (answer, fp);
  g_free (fp);
  fail_unless (rtcbin_test_set (a, "set-remote-description", answer) == NULL);

  fail_unless (rtcbin_test_wait_enum (a, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_FAILED, 10000));
  bus = gst_element_get_bus (pa);
  msg = gst_bus_timed_pop_filtered (bus, RTC_TEST_MS (5000) * GST_MSECOND,
      GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  gst_object_unref (bus);
  fail_if (rtcbin_test_enum (a, "connection-state")
      == GST_RTC_PEER_CONNECTION_STATE_CONNECTED);

  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (answer);
  gst_element_set_state (pa, GST_STATE_NULL);
  gst_element_set_state (pb, GST_STATE_NULL);
  gst_object_unref (a);
  gst_object_unref (pa);
  gst_object_unref (pb);
}

GST_END_TEST;

#define VP8_SEND \
  "videotestsrc is-live=true ! video/x-raw,width=160,height=120," \
  "framerate=30/1 ! vp8enc deadline=1 ! rtpvp8pay ! "

/* a sends Opus and VP8, b sends VP8 back; b's video payloader is linked
 * before the offer arrives, so the offer's video m-line takes b's
 * transceiver and one exchange sets up all three streams on one
 * bundled transport. */
GST_START_TEST (test_audio_video_both_ways)
{
  GstElement *pa, *pb, *a, *b;
  RtcBinTestCounts ca = { 0 }, cb = { 0 };
  GError *error = NULL;
  gint64 end;

  pa = gst_parse_launch ("audiotestsrc is-live=true ! opusenc ! rtpopuspay ! "
                         "rtcbin name=a " VP8_SEND "a.",
      &error);
  fail_unless (pa != NULL, "%s", error ? error->message : "");
  pb = gst_parse_launch (VP8_SEND "rtcbin name=b", &error);
  fail_unless (pb != NULL, "%s", error ? error->message : "");
  a = gst_bin_get_by_name (GST_BIN (pa), "a");
  b = gst_bin_get_by_name (GST_BIN (pb), "b");
  rtcbin_test_restrict (a);
  rtcbin_test_restrict (b);
  ca.pipeline = pa;
  cb.pipeline = pb;
  rtcbin_test_trickle (a, b);
  g_signal_connect (a, "pad-added", G_CALLBACK (rtcbin_test_decode_pad), &ca);
  g_signal_connect (b, "pad-added", G_CALLBACK (rtcbin_test_decode_pad), &cb);

  gst_element_set_state (pa, GST_STATE_PLAYING);
  gst_element_set_state (pb, GST_STATE_PLAYING);
  fail_unless (rtcbin_test_wait_transceivers (a, 2, 5000));
  fail_unless (rtcbin_test_wait_transceivers (b, 1, 5000));
  rtcbin_test_negotiate (a, b);
  /* b's video transceiver was reused, not duplicated. */
  fail_unless_equals_int (rtcbin_test_n_transceivers (b), 2);

  fail_unless (rtcbin_test_wait_enum (a, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));
  fail_unless (rtcbin_test_wait_enum (b, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));

  end = g_get_monotonic_time () + RTC_TEST_MS (15000) * 1000;
  while ((g_atomic_int_get (&cb.audio) < 25 || g_atomic_int_get (&cb.video) < 10
             || g_atomic_int_get (&ca.video) < 10)
      && g_get_monotonic_time () < end)
    g_usleep (10000);
  fail_unless (g_atomic_int_get (&cb.audio) >= 25, "b audio %d", cb.audio);
  fail_unless (g_atomic_int_get (&cb.video) >= 10, "b video %d", cb.video);
  fail_unless (g_atomic_int_get (&ca.video) >= 10, "a video %d", ca.video);
  fail_unless_equals_int (g_atomic_int_get (&ca.audio), 0);
  fail_unless_equals_int (g_atomic_int_get (&ca.link_failures), 0);
  fail_unless_equals_int (g_atomic_int_get (&cb.link_failures), 0);

  gst_element_set_state (pa, GST_STATE_NULL);
  gst_element_set_state (pb, GST_STATE_NULL);
  gst_object_unref (a);
  gst_object_unref (b);
  gst_object_unref (pa);
  gst_object_unref (pb);
}

GST_END_TEST;

/* Whether any m-line of @desc has an attribute @key whose value ends with
 * @suffix. */
static gboolean
has_attribute (GstRtcSessionDescription *desc, const gchar *key,
    const gchar *suffix)
{
  guint i, j;

  for (i = 0; i < gst_sdp_message_medias_len (desc->sdp); i++) {
    const GstSDPMedia *m = gst_sdp_message_get_media (desc->sdp, i);

    for (j = 0; j < gst_sdp_media_attributes_len (m); j++) {
      const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, j);

      if (!g_strcmp0 (a->key, key) && a->value
          && g_str_has_suffix (a->value, suffix))
        return TRUE;
    }
  }
  return FALSE;
}

#define TWCC_URI \
  "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"

/* rtcbin sends no transport-wide or REMB feedback, so it neither offers
 * them nor accepts them in an answer (a browser that negotiated them
 * waits for the feedback and cuts its bitrate); NACK and PLI stay. */
GST_START_TEST (test_no_unimplemented_feedback)
{
  GstElement *a = rtcbin_test_new ("a"), *b = rtcbin_test_new ("b");
  GstRtcSessionDescription *offer, *answer;
  GstSDPMedia *m;

  gst_object_unref (rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV,
      "application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,"
      "payload=96"));
  offer = rtcbin_test_create (a, "create-offer", NULL, NULL);
  fail_unless (has_attribute (offer, "rtcp-fb", " nack pli"));
  fail_if (has_attribute (offer, "rtcp-fb", " transport-cc"));
  fail_if (has_attribute (offer, "rtcp-fb", " goog-remb"));
  fail_if (has_attribute (offer, "extmap", TWCC_URI));

  /* A browser's offer has them all: the answer leaves them out. */
  m = (GstSDPMedia *)gst_sdp_message_get_media (offer->sdp, 0);
  gst_sdp_media_add_attribute (m, "extmap", "3 " TWCC_URI);
  gst_sdp_media_add_attribute (m, "rtcp-fb", "96 transport-cc");
  gst_sdp_media_add_attribute (m, "rtcp-fb", "96 goog-remb");
  fail_unless (rtcbin_test_set (b, "set-remote-description", offer) == NULL);
  answer = rtcbin_test_create (b, "create-answer", NULL, NULL);
  fail_unless (has_attribute (answer, "rtcp-fb", " nack pli"));
  fail_if (has_attribute (answer, "rtcp-fb", " transport-cc"));
  fail_if (has_attribute (answer, "rtcp-fb", " goog-remb"));
  fail_if (has_attribute (answer, "extmap", TWCC_URI));
  fail_unless (rtcbin_test_set (b, "set-local-description", answer) == NULL);

  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (answer);
  gst_object_unref (a);
  gst_object_unref (b);
}

GST_END_TEST;

static Suite *
rtcbin_suite (void)
{
  Suite *s = suite_create ("rtcbin");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_offer_answer_ice);
  tcase_add_test (tc, test_wrong_state);
  tcase_add_test (tc, test_promises_answered_on_dispose);
  tcase_add_test (tc, test_bad_input);
  tcase_add_test (tc, test_audio_call);
  tcase_add_test (tc, test_fingerprint_mismatch);
  tcase_add_test (tc, test_audio_video_both_ways);
  tcase_add_test (tc, test_no_unimplemented_feedback);
  return s;
}

RTC_CHECK_MAIN (rtcbin);
