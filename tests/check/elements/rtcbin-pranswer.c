/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcbin's provisional answers (JSEP 4.1.10.1, W3C "set the
 * RTCSessionDescription"): the pranswer states, media flowing before the
 * final answer, the descriptions each state holds, and the transitions
 * and rollbacks W3C refuses. Two rtcbins in one process, candidates
 * trickled, Opus decoded both ways.
 */
#include "../common/rtcbinpeer.h"
#include "../common/rtccheckmain.h"

typedef RtcBinTestPeer Peer;

/* The o= version of the description property @prop of @bin. */
static gchar *
desc_version (GstElement *bin, const gchar *prop)
{
  GstRtcSessionDescription *desc = NULL;
  gchar *version;

  g_object_get (bin, prop, &desc, NULL);
  fail_unless (desc != NULL, "%s: no %s", GST_ELEMENT_NAME (bin), prop);
  version = g_strdup (gst_sdp_message_get_origin (desc->sdp)->sess_version);
  gst_rtc_session_description_free (desc);
  return version;
}

/* @desc with @type instead of its own. */
static GstRtcSessionDescription *
retyped (const GstRtcSessionDescription *desc, GstRtcSDPType type)
{
  GstRtcSessionDescription *copy = gst_rtc_session_description_copy (desc);

  copy->type = type;
  return copy;
}

/* a and b playing, a's offer set on both sides, b's answer made: returns
 * that answer as a pranswer (not set yet). */
static GstRtcSessionDescription *
start_to_pranswer (Peer *a, Peer *b, GstRtcSessionDescription **offer,
    GstRtcSessionDescription **answer)
{
  rtcbin_test_opus_peer_init (a, "a");
  rtcbin_test_opus_peer_init (b, "b");
  rtcbin_test_peers_start (a, b);
  fail_unless (rtcbin_test_wait_transceivers (a->bin, 1, 5000));
  fail_unless (rtcbin_test_wait_transceivers (b->bin, 1, 5000));
  *offer = rtcbin_test_create (a->bin, "create-offer", NULL, NULL);
  rtcbin_test_set_ok (a->bin, "set-local-description", *offer);
  rtcbin_test_set_ok (b->bin, "set-remote-description", *offer);
  *answer = rtcbin_test_create (b->bin, "create-answer", NULL, NULL);
  return retyped (*answer, GST_RTC_SDP_TYPE_PRANSWER);
}

/* The description property @prop of @bin is of @type, or unset for 0. */
static void
check_desc (GstElement *bin, const gchar *prop, GstRtcSDPType type)
{
  GstRtcSessionDescription *desc = NULL;

  g_object_get (bin, prop, &desc, NULL);
  if (!type) {
    fail_unless (desc == NULL, "%s: %s is set", GST_ELEMENT_NAME (bin), prop);
    return;
  }
  fail_unless (desc != NULL, "%s: no %s", GST_ELEMENT_NAME (bin), prop);
  fail_unless_equals_string (gst_rtc_sdp_type_to_string (desc->type),
      gst_rtc_sdp_type_to_string (type));
  gst_rtc_session_description_free (desc);
}

static gint
state_of (GstElement *bin)
{
  return rtcbin_test_enum (bin, "signaling-state");
}

/* a offers, b answers provisionally: both are in their pranswer states
 * with the offer and the pranswer pending and nothing current, yet ICE,
 * DTLS and media run both ways (current directions set); a second
 * pranswer replaces the first; the final answer makes both stable with
 * the offer and answer current, and the call goes on. */
GST_START_TEST (test_pranswer_then_answer)
{
  Peer a, b;
  GstRtcSessionDescription *offer, *answer, *pranswer;
  gchar *v1, *v2; /* o= versions of the first and second pranswer */
  gint needed = 0;

  pranswer = start_to_pranswer (&a, &b, &offer, &answer);

  rtcbin_test_set_ok (b.bin, "set-local-description", pranswer);
  fail_unless_equals_int (state_of (b.bin),
      GST_RTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER);
  check_desc (b.bin, "pending-local-description", GST_RTC_SDP_TYPE_PRANSWER);
  check_desc (b.bin, "local-description", GST_RTC_SDP_TYPE_PRANSWER);
  check_desc (b.bin, "pending-remote-description", GST_RTC_SDP_TYPE_OFFER);
  check_desc (b.bin, "current-local-description", 0);
  check_desc (b.bin, "current-remote-description", 0);

  rtcbin_test_set_ok (a.bin, "set-remote-description", pranswer);
  fail_unless_equals_int (state_of (a.bin),
      GST_RTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER);
  check_desc (a.bin, "pending-remote-description", GST_RTC_SDP_TYPE_PRANSWER);
  check_desc (a.bin, "remote-description", GST_RTC_SDP_TYPE_PRANSWER);
  check_desc (a.bin, "pending-local-description", GST_RTC_SDP_TYPE_OFFER);
  check_desc (a.bin, "current-local-description", 0);
  check_desc (a.bin, "current-remote-description", 0);

  /* Media before the final answer. */
  fail_unless (rtcbin_test_wait_enum (a.bin, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));
  fail_unless (rtcbin_test_wait_enum (b.bin, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));
  rtcbin_test_peers_wait_audio (&a, &b, 25);
  fail_unless_equals_int (rtcbin_test_current_direction (a.bin, 0),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  fail_unless_equals_int (rtcbin_test_current_direction (b.bin, 0),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  fail_unless_equals_int (state_of (a.bin),
      GST_RTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER);
  fail_unless_equals_int (state_of (b.bin),
      GST_RTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER);

  /* Another pranswer: create-answer works in have-local-pranswer, the
   * states stay, the new one (a new o= version) is pending. */
  gst_rtc_session_description_free (answer);
  gst_rtc_session_description_free (pranswer);
  v1 = desc_version (a.bin, "pending-remote-description");
  answer = rtcbin_test_create (b.bin, "create-answer", NULL, NULL);
  pranswer = retyped (answer, GST_RTC_SDP_TYPE_PRANSWER);
  rtcbin_test_set_ok (b.bin, "set-local-description", pranswer);
  rtcbin_test_set_ok (a.bin, "set-remote-description", pranswer);
  fail_unless_equals_int (state_of (b.bin),
      GST_RTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER);
  fail_unless_equals_int (state_of (a.bin),
      GST_RTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER);
  check_desc (a.bin, "current-remote-description", 0);
  v2 = desc_version (a.bin, "pending-remote-description");
  fail_if (g_str_equal (v1, v2));
  fail_unless_equals_string (v2,
      gst_sdp_message_get_origin (pranswer->sdp)->sess_version);
  g_free (v1);
  g_free (v2);

  /* The final answer ends the exchange; nothing was left to negotiate. */
  g_signal_connect (a.bin, "on-negotiation-needed",
      G_CALLBACK (rtcbin_test_count_signal), &needed);
  g_signal_connect (b.bin, "on-negotiation-needed",
      G_CALLBACK (rtcbin_test_count_signal), &needed);
  rtcbin_test_set_ok (b.bin, "set-local-description", answer);
  rtcbin_test_set_ok (a.bin, "set-remote-description", answer);
  fail_unless_equals_int (state_of (a.bin), GST_RTC_SIGNALING_STATE_STABLE);
  fail_unless_equals_int (state_of (b.bin), GST_RTC_SIGNALING_STATE_STABLE);
  check_desc (a.bin, "current-local-description", GST_RTC_SDP_TYPE_OFFER);
  check_desc (a.bin, "current-remote-description", GST_RTC_SDP_TYPE_ANSWER);
  check_desc (a.bin, "pending-local-description", 0);
  check_desc (a.bin, "pending-remote-description", 0);
  check_desc (b.bin, "current-local-description", GST_RTC_SDP_TYPE_ANSWER);
  check_desc (b.bin, "current-remote-description", GST_RTC_SDP_TYPE_OFFER);
  check_desc (b.bin, "pending-local-description", 0);
  check_desc (b.bin, "pending-remote-description", 0);
  rtcbin_test_peers_wait_audio (&a, &b, 25);
  rtcbin_test_flush (a.bin);
  rtcbin_test_flush (b.bin);
  fail_unless_equals_int (g_atomic_int_get (&needed), 0);
  fail_unless_equals_int (rtcbin_test_enum (a.bin, "connection-state"),
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED);

  /* A renegotiation with a plain answer still works from there. */
  rtcbin_test_negotiate (b.bin, a.bin);
  rtcbin_test_peers_wait_audio (&a, &b, 25);

  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (answer);
  gst_rtc_session_description_free (pranswer);
  rtcbin_test_peer_clear (&a);
  rtcbin_test_peer_clear (&b);
}

GST_END_TEST;

/* @desc with every a=sendrecv of its m-lines made @dir. */
static void
set_direction (GstRtcSessionDescription *desc, const gchar *dir)
{
  guint i, j;

  for (i = 0; i < gst_sdp_message_medias_len (desc->sdp); i++) {
    GstSDPMedia *m = (GstSDPMedia *)gst_sdp_message_get_media (desc->sdp, i);

    for (j = 0; j < gst_sdp_media_attributes_len (m); j++) {
      GstSDPAttribute attr;

      if (g_strcmp0 (gst_sdp_media_get_attribute (m, j)->key, "sendrecv"))
        continue;
      gst_sdp_attribute_set (&attr, dir, NULL);
      gst_sdp_media_replace_attribute (m, j, &attr);
    }
  }
}

/* Early media: the answerer's pranswer only sends (a=sendonly), so the
 * offerer decodes while the answerer receives nothing; the final answer
 * is sendrecv and media then flows both ways, on the same transport. */
GST_START_TEST (test_early_media_pranswer)
{
  Peer a, b;
  GstRtcSessionDescription *offer, *answer, *pranswer;
  gint bt;

  pranswer = start_to_pranswer (&a, &b, &offer, &answer);
  set_direction (pranswer, "sendonly");
  rtcbin_test_set_ok (b.bin, "set-local-description", pranswer);
  rtcbin_test_set_ok (a.bin, "set-remote-description", pranswer);
  fail_unless_equals_int (rtcbin_test_current_direction (a.bin, 0),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY);
  fail_unless_equals_int (rtcbin_test_current_direction (b.bin, 0),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY);

  /* a hears b; b, which only sends, decodes nothing meanwhile. */
  fail_unless (rtcbin_test_wait_int (&a.counts.audio, 25, 10000),
      "a decoded %d", a.counts.audio);
  g_usleep (RTC_TEST_MS (300) * 1000);
  fail_unless_equals_int (g_atomic_int_get (&b.counts.audio), 0);
  fail_unless_equals_int (g_atomic_int_get (&b.counts.pads), 0);
  fail_unless_equals_int (state_of (a.bin),
      GST_RTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER);

  bt = g_atomic_int_get (&b.counts.audio);
  rtcbin_test_set_ok (b.bin, "set-local-description", answer);
  rtcbin_test_set_ok (a.bin, "set-remote-description", answer);
  fail_unless_equals_int (state_of (a.bin), GST_RTC_SIGNALING_STATE_STABLE);
  fail_unless_equals_int (state_of (b.bin), GST_RTC_SIGNALING_STATE_STABLE);
  fail_unless_equals_int (rtcbin_test_current_direction (a.bin, 0),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  fail_unless_equals_int (rtcbin_test_current_direction (b.bin, 0),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  fail_unless (rtcbin_test_wait_int (&b.counts.audio, bt + 25, 10000),
      "b decoded %d", b.counts.audio);
  rtcbin_test_peers_wait_audio (&a, &b, 25);

  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (answer);
  gst_rtc_session_description_free (pranswer);
  rtcbin_test_peer_clear (&a);
  rtcbin_test_peer_clear (&b);
}

GST_END_TEST;

/* Where a pranswer may not go, and what may not follow one: each refusal
 * is GST_RTC_ERROR_INVALID_STATE naming the description and the state,
 * and leaves the state alone; W3C refuses a rollback from either
 * pranswer state. A pranswer without SDP is the answer with that type. */
GST_START_TEST (test_pranswer_wrong_state)
{
  GstElement *a = rtcbin_test_new ("a"), *b = rtcbin_test_new ("b");
  GstRtcSessionDescription *offer, *pr, *rb, *typed, *applied, *answer;
  GstRtcRtpTransceiver *t;
  GError *error = NULL;

  gst_object_ref_sink (a);
  gst_object_ref_sink (b);
  t = rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS);
  rb = gst_rtc_session_description_new (GST_RTC_SDP_TYPE_ROLLBACK, NULL);
  typed = gst_rtc_session_description_new (GST_RTC_SDP_TYPE_PRANSWER, NULL);
  offer = rtcbin_test_create (a, "create-offer", NULL, NULL);
  pr = retyped (offer, GST_RTC_SDP_TYPE_PRANSWER);

  /* In stable, either side. */
  rtcbin_test_check_error (rtcbin_test_set (a, "set-local-description", pr),
      GST_RTC_ERROR_INVALID_STATE, "pranswer", "stable");
  rtcbin_test_check_error (rtcbin_test_set (a, "set-remote-description", pr),
      GST_RTC_ERROR_INVALID_STATE, "pranswer", "stable");
  fail_unless (rtcbin_test_set_implicit (a, typed, &error) == NULL);
  rtcbin_test_check_error (error, GST_RTC_ERROR_INVALID_STATE, "pranswer",
      "stable");
  error = NULL;
  fail_unless_equals_int (state_of (a), GST_RTC_SIGNALING_STATE_STABLE);

  /* Our own offer cannot be answered by us, theirs not by them. */
  rtcbin_test_set_ok (a, "set-local-description", offer);
  rtcbin_test_check_error (rtcbin_test_set (a, "set-local-description", pr),
      GST_RTC_ERROR_INVALID_STATE, "pranswer", "have-local-offer");
  rtcbin_test_set_ok (b, "set-remote-description", offer);
  rtcbin_test_check_error (rtcbin_test_set (b, "set-remote-description", pr),
      GST_RTC_ERROR_INVALID_STATE, "pranswer", "have-remote-offer");
  fail_unless_equals_int (state_of (a),
      GST_RTC_SIGNALING_STATE_HAVE_LOCAL_OFFER);
  fail_unless_equals_int (state_of (b),
      GST_RTC_SIGNALING_STATE_HAVE_REMOTE_OFFER);

  /* A pranswer without SDP: made and applied. */
  applied = rtcbin_test_set_implicit (b, typed, NULL);
  fail_unless (applied != NULL);
  fail_unless_equals_int (applied->type, GST_RTC_SDP_TYPE_PRANSWER);
  fail_unless_equals_int (gst_sdp_message_medias_len (applied->sdp), 1);
  fail_unless_equals_int (state_of (b),
      GST_RTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER);
  check_desc (b, "pending-local-description", GST_RTC_SDP_TYPE_PRANSWER);

  /* No rollback from have-local-pranswer, on either side; no offer. */
  rtcbin_test_check_error (rtcbin_test_set (b, "set-remote-description", rb),
      GST_RTC_ERROR_INVALID_STATE, "roll back", "have-local-pranswer");
  rtcbin_test_check_error (rtcbin_test_set (b, "set-local-description", rb),
      GST_RTC_ERROR_INVALID_STATE, "roll back", "have-local-pranswer");
  rtcbin_test_check_error (rtcbin_test_set (b, "set-remote-description", offer),
      GST_RTC_ERROR_INVALID_STATE, "offer", "have-local-pranswer");
  fail_unless_equals_int (state_of (b),
      GST_RTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER);

  /* The offerer takes it; no rollback, no new offer, no pranswer of its
   * own from have-remote-pranswer. */
  rtcbin_test_set_ok (a, "set-remote-description", applied);
  fail_unless_equals_int (state_of (a),
      GST_RTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER);
  rtcbin_test_check_error (rtcbin_test_set (a, "set-local-description", rb),
      GST_RTC_ERROR_INVALID_STATE, "provisional", "have-remote-pranswer");
  rtcbin_test_check_error (rtcbin_test_set (a, "set-local-description", offer),
      GST_RTC_ERROR_INVALID_STATE, "offer", "have-remote-pranswer");
  rtcbin_test_check_error (rtcbin_test_set (a, "set-local-description", pr),
      GST_RTC_ERROR_INVALID_STATE, "pranswer", "have-remote-pranswer");
  fail_unless_equals_int (state_of (a),
      GST_RTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER);
  check_desc (a, "pending-local-description", GST_RTC_SDP_TYPE_OFFER);

  /* The implicit description in have-local-pranswer is the answer. */
  answer = rtcbin_test_set_implicit (b, NULL, NULL);
  fail_unless_equals_int (answer->type, GST_RTC_SDP_TYPE_ANSWER);
  fail_unless_equals_int (state_of (b), GST_RTC_SIGNALING_STATE_STABLE);
  rtcbin_test_set_ok (a, "set-remote-description", answer);
  fail_unless_equals_int (state_of (a), GST_RTC_SIGNALING_STATE_STABLE);
  check_desc (a, "current-remote-description", GST_RTC_SDP_TYPE_ANSWER);

  /* Stable again: a pranswer is refused as at first. */
  rtcbin_test_check_error (rtcbin_test_set (a, "set-remote-description",
                               applied),
      GST_RTC_ERROR_INVALID_STATE, "pranswer", "stable");

  gst_rtc_session_description_free (answer);
  gst_rtc_session_description_free (applied);
  gst_rtc_session_description_free (pr);
  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (typed);
  gst_rtc_session_description_free (rb);
  gst_object_unref (t);
  gst_object_unref (a);
  gst_object_unref (b);
}

GST_END_TEST;

static Suite *
rtcbin_pranswer_suite (void)
{
  Suite *s = suite_create ("rtcbin-pranswer");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_pranswer_then_answer);
  tcase_add_test (tc, test_early_media_pranswer);
  tcase_add_test (tc, test_pranswer_wrong_state);
  return s;
}

RTC_CHECK_MAIN (rtcbin_pranswer);
