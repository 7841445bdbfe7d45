/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcbin's signalling beyond one offer and answer: rollback of a local
 * and of a remote offer, the implicit set-local-description, close, and
 * the W3C perfect negotiation pattern with offers colliding every round.
 * Two rtcbins in one process, candidates trickled, Opus decoded.
 */
#include "../common/rtcbinpeer.h"
#include "../common/rtccheckmain.h"

typedef RtcBinTestPeer Peer;

static GstRtcSessionDescription *
rollback_desc (void)
{
  return gst_rtc_session_description_new (GST_RTC_SDP_TYPE_ROLLBACK, NULL);
}

static void
set_rollback (GstElement *bin, const gchar *action)
{
  GstRtcSessionDescription *rb = rollback_desc ();

  rtcbin_test_set_ok (bin, action, rb);
  gst_rtc_session_description_free (rb);
}

static gchar *
trans_mid (GstElement *bin, guint idx)
{
  GstRtcRtpTransceiver *t = rtcbin_test_get_transceiver (bin, idx);
  gchar *mid = gst_rtc_rtp_transceiver_get_mid (t);

  gst_object_unref (t);
  return mid;
}

static guint
trans_mline (GstElement *bin, guint idx)
{
  GstRtcRtpTransceiver *t = rtcbin_test_get_transceiver (bin, idx);
  guint mline = gst_rtc_rtp_transceiver_get_mlineindex (t);

  gst_object_unref (t);
  return mline;
}

static GstRtcKind
trans_kind (GstElement *bin, guint idx)
{
  GstRtcRtpTransceiver *t = rtcbin_test_get_transceiver (bin, idx);
  GstRtcKind kind = gst_rtc_rtp_transceiver_get_kind (t);

  gst_object_unref (t);
  return kind;
}

static GstRtcSessionDescription *
get_desc (GstElement *bin, const gchar *prop)
{
  GstRtcSessionDescription *desc = NULL;

  g_object_get (bin, prop, &desc, NULL);
  return desc;
}

/* A local offer rolled back: stable again with nothing pending, the
 * transceiver loses the mid the offer gave it, negotiation-needed fires
 * again; then the peer's offer meets the transceiver as if the rolled
 * back offer never was, and media flows. */
GST_START_TEST (test_rollback_local_offer)
{
  Peer a, b;
  gint needed = 0;
  GstRtcSessionDescription *offer, *desc;
  gchar *mid;

  rtcbin_test_opus_peer_init (&a, "a");
  rtcbin_test_opus_peer_init (&b, "b");
  g_signal_connect (a.bin, "on-negotiation-needed",
      G_CALLBACK (rtcbin_test_count_signal), &needed);
  rtcbin_test_peers_start (&a, &b);
  fail_unless (rtcbin_test_wait_int (&needed, 1, 5000));
  fail_unless (rtcbin_test_wait_transceivers (b.bin, 1, 5000));

  offer = rtcbin_test_create (a.bin, "create-offer", NULL, NULL);
  rtcbin_test_set_ok (a.bin, "set-local-description", offer);
  fail_unless_equals_int (rtcbin_test_enum (a.bin, "signaling-state"),
      GST_RTC_SIGNALING_STATE_HAVE_LOCAL_OFFER);
  mid = trans_mid (a.bin, 0);
  fail_unless_equals_string (mid, "0");
  g_free (mid);
  fail_unless_equals_int (trans_mline (a.bin, 0), 0);

  set_rollback (a.bin, "set-local-description");
  fail_unless_equals_int (rtcbin_test_enum (a.bin, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);
  fail_unless (get_desc (a.bin, "pending-local-description") == NULL);
  fail_unless (get_desc (a.bin, "local-description") == NULL);
  mid = trans_mid (a.bin, 0);
  fail_unless (mid == NULL, "mid %s after rollback", mid);
  fail_unless_equals_int (trans_mline (a.bin, 0), G_MAXUINT);
  /* The need the offer was for is still there. */
  fail_unless (rtcbin_test_wait_int (&needed, 2, 5000));
  fail_unless_equals_int (rtcbin_test_n_transceivers (a.bin), 1);

  /* b offers: a's transceiver takes b's m-line, no second one is made. */
  rtcbin_test_negotiate (b.bin, a.bin);
  fail_unless_equals_int (rtcbin_test_n_transceivers (a.bin), 1);
  fail_unless_equals_int (rtcbin_test_current_direction (a.bin, 0),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  desc = get_desc (a.bin, "current-local-description");
  fail_unless (desc != NULL && desc->type == GST_RTC_SDP_TYPE_ANSWER);
  gst_rtc_session_description_free (desc);
  rtcbin_test_peers_wait_audio (&a, &b, 25);

  gst_rtc_session_description_free (offer);
  rtcbin_test_peer_clear (&a);
  rtcbin_test_peer_clear (&b);
}

GST_END_TEST;

static void
on_new_transceiver (GstElement *bin, GstRtcRtpTransceiver *trans,
    GPtrArray *made)
{
  g_ptr_array_add (made, gst_object_ref (trans));
}

/* A remote offer that brought a transceiver rolled back: the transceiver
 * goes (on-new-transceiver had announced it), the one it reused loses its
 * mid, nothing is pending; then an exchange the other way succeeds with
 * media. */
GST_START_TEST (test_rollback_remote_offer)
{
  Peer a, b;
  GstRtcRtpTransceiver *video;
  GstRtcSessionDescription *offer;
  GPtrArray *made = g_ptr_array_new_with_free_func (gst_object_unref);
  gchar *mid;

  rtcbin_test_opus_peer_init (&a, "a");
  rtcbin_test_opus_peer_init (&b, "b");
  rtcbin_test_peers_start (&a, &b);
  fail_unless (rtcbin_test_wait_transceivers (a.bin, 1, 5000));
  fail_unless (rtcbin_test_wait_transceivers (b.bin, 1, 5000));
  /* b offers audio (its payloader) and a video m-line a has nothing for. */
  video = rtcbin_test_add_transceiver (b.bin,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_VP8_CAPS);
  g_signal_connect (a.bin, "on-new-transceiver",
      G_CALLBACK (on_new_transceiver), made);

  offer = rtcbin_test_create (b.bin, "create-offer", NULL, NULL);
  fail_unless_equals_int (gst_sdp_message_medias_len (offer->sdp), 2);
  rtcbin_test_set_ok (b.bin, "set-local-description", offer);
  rtcbin_test_set_ok (a.bin, "set-remote-description", offer);
  fail_unless_equals_int (rtcbin_test_enum (a.bin, "signaling-state"),
      GST_RTC_SIGNALING_STATE_HAVE_REMOTE_OFFER);
  fail_unless_equals_int (rtcbin_test_n_transceivers (a.bin), 2);
  fail_unless_equals_int (made->len, 1);
  fail_unless_equals_int (gst_rtc_rtp_transceiver_get_kind (
                              g_ptr_array_index (made, 0)),
      GST_RTC_KIND_VIDEO);
  mid = trans_mid (a.bin, 0);
  fail_unless_equals_string (mid, "0");
  g_free (mid);

  set_rollback (a.bin, "set-remote-description");
  fail_unless_equals_int (rtcbin_test_enum (a.bin, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);
  fail_unless (get_desc (a.bin, "remote-description") == NULL);
  fail_unless (get_desc (a.bin, "pending-remote-description") == NULL);
  fail_unless_equals_int (rtcbin_test_n_transceivers (a.bin), 1);
  fail_unless_equals_int (trans_kind (a.bin, 0), GST_RTC_KIND_AUDIO);
  mid = trans_mid (a.bin, 0);
  fail_unless (mid == NULL, "mid %s after rollback", mid);
  fail_unless_equals_int (trans_mline (a.bin, 0), G_MAXUINT);
  /* b gives up its offer too. */
  set_rollback (b.bin, "set-local-description");
  fail_unless_equals_int (rtcbin_test_enum (b.bin, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);

  /* Now a offers: one audio m-line, b's audio transceiver takes it. */
  rtcbin_test_negotiate (a.bin, b.bin);
  fail_unless_equals_int (rtcbin_test_n_transceivers (a.bin), 1);
  fail_unless_equals_int (rtcbin_test_current_direction (a.bin, 0),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  rtcbin_test_peers_wait_audio (&a, &b, 25);
  /* And b's video, never negotiated, now is: a makes a transceiver for
   * it again. */
  rtcbin_test_negotiate (b.bin, a.bin);
  fail_unless_equals_int (rtcbin_test_n_transceivers (a.bin), 2);
  fail_unless_equals_int (made->len, 2);
  rtcbin_test_peers_wait_audio (&a, &b, 10);

  g_ptr_array_unref (made);
  gst_object_unref (video);
  gst_rtc_session_description_free (offer);
  rtcbin_test_peer_clear (&a);
  rtcbin_test_peer_clear (&b);
}

GST_END_TEST;

/* An offer made with ice-restart rolled back: the agent keeps its new
 * credentials, so negotiation is needed again, and the next offer
 * carries the restart; the call goes on. */
GST_START_TEST (test_rollback_ice_restart)
{
  Peer a, b;
  gint needed = 0;
  GstStructure *restart = gst_structure_new ("application/x-rtc-offer-options",
      "ice-restart", G_TYPE_BOOLEAN, TRUE, NULL);
  GstRtcSessionDescription *offer, *again, *before;
  gchar *old_ufrag, *new_ufrag;

  rtcbin_test_opus_peer_init (&a, "a");
  rtcbin_test_opus_peer_init (&b, "b");
  g_signal_connect (a.bin, "on-negotiation-needed",
      G_CALLBACK (rtcbin_test_count_signal), &needed);
  rtcbin_test_peers_start (&a, &b);
  fail_unless (rtcbin_test_wait_transceivers (b.bin, 1, 5000));
  rtcbin_test_negotiate (a.bin, b.bin);
  fail_unless (rtcbin_test_wait_ice (a.bin, 10000));
  rtcbin_test_peers_wait_audio (&a, &b, 10);
  rtcbin_test_flush (a.bin);
  fail_unless_equals_int (g_atomic_int_get (&needed), 1);
  before = get_desc (a.bin, "current-local-description");
  old_ufrag = g_strdup (
      gst_sdp_media_get_attribute_val (gst_sdp_message_get_media (before->sdp,
                                           0),
          "ice-ufrag"));

  offer = rtcbin_test_create (a.bin, "create-offer", restart, NULL);
  new_ufrag = g_strdup (
      gst_sdp_media_get_attribute_val (gst_sdp_message_get_media (offer->sdp,
                                           0),
          "ice-ufrag"));
  fail_if (g_strcmp0 (old_ufrag, new_ufrag) == 0);
  rtcbin_test_set_ok (a.bin, "set-local-description", offer);
  set_rollback (a.bin, "set-local-description");
  fail_unless (rtcbin_test_wait_int (&needed, 2, 5000));

  rtcbin_test_negotiate_sdp (a.bin, b.bin, NULL);
  again = get_desc (a.bin, "current-local-description");
  fail_unless_equals_string (gst_sdp_media_get_attribute_val (gst_sdp_message_get_media (again
                                                                                             ->sdp,
                                                                  0),
                                 "ice-ufrag"),
      new_ufrag);
  fail_unless (rtcbin_test_wait_ice (a.bin, 10000));
  fail_unless (rtcbin_test_wait_ice (b.bin, 10000));
  rtcbin_test_peers_wait_audio (&a, &b, 25);
  rtcbin_test_flush (a.bin);
  fail_unless_equals_int (g_atomic_int_get (&needed), 2);

  g_free (old_ufrag);
  g_free (new_ufrag);
  gst_structure_free (restart);
  gst_rtc_session_description_free (before);
  gst_rtc_session_description_free (again);
  gst_rtc_session_description_free (offer);
  rtcbin_test_peer_clear (&a);
  rtcbin_test_peer_clear (&b);
}

GST_END_TEST;

/* Rollback where nothing is pending on that side is refused, and leaves
 * the state alone; so is a description without SDP for the remote side. */
GST_START_TEST (test_rollback_wrong_state)
{
  GstElement *a = rtcbin_test_new ("a"), *b = rtcbin_test_new ("b");
  GstRtcSessionDescription *rb = rollback_desc (), *offer, *pending;
  GstRtcRtpTransceiver *t;

  gst_object_ref_sink (a);
  gst_object_ref_sink (b);
  t = rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS);

  rtcbin_test_check_error (rtcbin_test_set (a, "set-local-description", rb),
      GST_RTC_ERROR_INVALID_STATE, "roll back", "stable");
  rtcbin_test_check_error (rtcbin_test_set (a, "set-remote-description", rb),
      GST_RTC_ERROR_INVALID_STATE, "roll back", "stable");
  rtcbin_test_check_error (rtcbin_test_set (a, "set-remote-description", NULL),
      GST_RTC_ERROR_TYPE_ERROR, "SDP", NULL);

  offer = rtcbin_test_create (a, "create-offer", NULL, NULL);
  rtcbin_test_set_ok (a, "set-local-description", offer);
  rtcbin_test_check_error (rtcbin_test_set (a, "set-remote-description", rb),
      GST_RTC_ERROR_INVALID_STATE, "roll back", "have-local-offer");
  fail_unless_equals_int (rtcbin_test_enum (a, "signaling-state"),
      GST_RTC_SIGNALING_STATE_HAVE_LOCAL_OFFER);

  rtcbin_test_set_ok (b, "set-remote-description", offer);
  rtcbin_test_check_error (rtcbin_test_set (b, "set-local-description", rb),
      GST_RTC_ERROR_INVALID_STATE, "roll back", "have-remote-offer");
  fail_unless_equals_int (rtcbin_test_enum (b, "signaling-state"),
      GST_RTC_SIGNALING_STATE_HAVE_REMOTE_OFFER);
  /* The pending offer still answers. */
  pending = get_desc (b, "pending-remote-description");
  fail_unless (pending != NULL);
  gst_rtc_session_description_free (pending);
  rtcbin_test_set_ok (b, "set-remote-description", rb);
  fail_unless_equals_int (rtcbin_test_enum (b, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);
  fail_unless_equals_int (rtcbin_test_n_transceivers (b), 0);

  gst_rtc_session_description_free (rb);
  gst_rtc_session_description_free (offer);
  gst_object_unref (t);
  gst_object_unref (a);
  gst_object_unref (b);
}

GST_END_TEST;

/* set-local-description without a description: the offer or answer the
 * state calls for, applied, and returned in the reply; a whole call made
 * that way, then a renegotiation where the offer is made twice. */
GST_START_TEST (test_implicit_descriptions)
{
  Peer a, b;
  GstRtcSessionDescription *offer, *answer, *typed, *local;
  GError *error = NULL;

  rtcbin_test_opus_peer_init (&a, "a");
  rtcbin_test_opus_peer_init (&b, "b");
  rtcbin_test_peers_start (&a, &b);
  fail_unless (rtcbin_test_wait_transceivers (a.bin, 1, 5000));
  fail_unless (rtcbin_test_wait_transceivers (b.bin, 1, 5000));

  /* An answer without SDP needs a remote offer. */
  typed = gst_rtc_session_description_new (GST_RTC_SDP_TYPE_ANSWER, NULL);
  fail_unless (rtcbin_test_set_implicit (a.bin, typed, &error) == NULL);
  rtcbin_test_check_error (error, GST_RTC_ERROR_INVALID_STATE, "answer",
      "stable");
  error = NULL;
  gst_rtc_session_description_free (typed);

  offer = rtcbin_test_set_implicit (a.bin, NULL, NULL);
  fail_unless (offer != NULL);
  fail_unless_equals_int (offer->type, GST_RTC_SDP_TYPE_OFFER);
  fail_unless_equals_int (gst_sdp_message_medias_len (offer->sdp), 1);
  fail_unless_equals_int (rtcbin_test_enum (a.bin, "signaling-state"),
      GST_RTC_SIGNALING_STATE_HAVE_LOCAL_OFFER);
  local = get_desc (a.bin, "pending-local-description");
  fail_unless (local != NULL);
  fail_unless_equals_int (local->type, GST_RTC_SDP_TYPE_OFFER);
  fail_unless_equals_string (gst_sdp_message_get_origin (local->sdp)->sess_id,
      gst_sdp_message_get_origin (offer->sdp)->sess_id);
  gst_rtc_session_description_free (local);

  rtcbin_test_set_ok (b.bin, "set-remote-description", offer);
  /* An offer without SDP cannot be made with a remote offer pending. */
  typed = gst_rtc_session_description_new (GST_RTC_SDP_TYPE_OFFER, NULL);
  fail_unless (rtcbin_test_set_implicit (b.bin, typed, &error) == NULL);
  rtcbin_test_check_error (error, GST_RTC_ERROR_INVALID_STATE, "offer",
      "have-remote-offer");
  error = NULL;
  answer = rtcbin_test_set_implicit (b.bin, NULL, NULL);
  fail_unless (answer != NULL);
  fail_unless_equals_int (answer->type, GST_RTC_SDP_TYPE_ANSWER);
  fail_unless_equals_int (rtcbin_test_enum (b.bin, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);
  rtcbin_test_set_ok (a.bin, "set-remote-description", answer);
  fail_unless_equals_int (rtcbin_test_enum (a.bin, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);
  rtcbin_test_peers_wait_audio (&a, &b, 25);
  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (answer);

  /* Renegotiation from b: a typed offer without SDP, then a second one
   * in have-local-offer replacing it. */
  offer = rtcbin_test_set_implicit (b.bin, typed, NULL);
  gst_rtc_session_description_free (offer);
  fail_unless_equals_int (rtcbin_test_enum (b.bin, "signaling-state"),
      GST_RTC_SIGNALING_STATE_HAVE_LOCAL_OFFER);
  offer = rtcbin_test_set_implicit (b.bin, NULL, NULL);
  fail_unless_equals_int (offer->type, GST_RTC_SDP_TYPE_OFFER);
  rtcbin_test_set_ok (a.bin, "set-remote-description", offer);
  answer = rtcbin_test_set_implicit (a.bin, NULL, NULL);
  fail_unless_equals_int (answer->type, GST_RTC_SDP_TYPE_ANSWER);
  rtcbin_test_set_ok (b.bin, "set-remote-description", answer);
  fail_unless_equals_int (rtcbin_test_enum (a.bin, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);
  fail_unless_equals_int (rtcbin_test_enum (b.bin, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);
  fail_unless_equals_int (rtcbin_test_current_direction (b.bin, 0),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  rtcbin_test_peers_wait_audio (&a, &b, 25);

  gst_rtc_session_description_free (typed);
  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (answer);
  rtcbin_test_peer_clear (&a);
  rtcbin_test_peer_clear (&b);
}

GST_END_TEST;

static void
count_notify (GObject *obj, GParamSpec *pspec, gint *count)
{
  g_atomic_int_inc (count);
}

/* get-stats' transport entry of @bin: a copy. */
static GstStructure *
transport_stats (GstElement *bin)
{
  GstStructure *report = rtcbin_test_get_stats (bin, NULL);
  GstStructure *t;

  t = gst_structure_copy (rtcbin_test_stats_entry (report, "transport"));
  gst_structure_free (report);
  return t;
}

static guint64
stats_u64 (const GstStructure *s, const gchar *field)
{
  guint64 v = 0;

  fail_unless (gst_structure_get_uint64 (s, field, &v), "no %s in %s", field,
      gst_structure_get_string (s, "id"));
  return v;
}

/* Polls @bin's get-stats until its transport's dtls-state is @want,
 * within @ms (scaled). */
static gboolean
wait_dtls_state (GstElement *bin, const gchar *want, guint64 ms)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;
  gboolean ok;

  do {
    GstStructure *t = transport_stats (bin);

    ok = !g_strcmp0 (gst_structure_get_string (t, "dtls-state"), want);
    gst_structure_free (t);
    if (!ok)
      g_usleep (2000);
  } while (!ok && g_get_monotonic_time () < end);
  return ok;
}

/* The outbound audio stream's entry of @report. */
static const GstStructure *
outbound_audio (const GstStructure *report)
{
  gint i;

  for (i = 0; i < gst_structure_n_fields (report); i++) {
    const GstStructure *s = rtcbin_test_stats_entry (report,
        gst_structure_nth_field_name (report, i));

    if (gst_structure_has_name (s, "outbound-rtp")
        && !g_strcmp0 (gst_structure_get_string (s, "kind"), "audio"))
      return s;
  }
  fail ("no outbound audio stream");
  return NULL;
}

/* close mid-call: the states are closed when it returns, operations are
 * refused (get-stats still answers, with the states closed and the
 * counters frozen), transceivers stopped, media stops both ways while the
 * pads stay and the pipeline runs on without error; the peer's DTLS
 * transport is closed by close_notify at once, and the peer, its ICE
 * still up, stays connected (W3C); a second close changes nothing; the
 * element is then disposed. */
GST_START_TEST (test_close)
{
  Peer a, b;
  GError *error = NULL;
  GstRtcSessionDescription *offer;
  GstRtcRtpTransceiver *t = NULL;
  GstMessage *msg;
  GstStructure *report, *ta, *tb;
  gint notified = 0, src_pads, sink_pads, at, bt, conn, ice;
  guint64 sent;
  gint64 start;

  rtcbin_test_opus_peer_init (&a, "a");
  rtcbin_test_opus_peer_init (&b, "b");
  rtcbin_test_peers_start (&a, &b);
  fail_unless (rtcbin_test_wait_transceivers (b.bin, 1, 5000));
  rtcbin_test_negotiate_sdp (a.bin, b.bin, NULL);
  fail_unless (rtcbin_test_wait_enum (a.bin, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));
  rtcbin_test_peers_wait_audio (&a, &b, 25);
  offer = rtcbin_test_create (b.bin, "create-offer", NULL, NULL);
  src_pads = GST_ELEMENT (a.bin)->numsrcpads;
  sink_pads = GST_ELEMENT (a.bin)->numsinkpads;
  fail_unless (src_pads >= 1);
  g_signal_connect (a.bin, "notify::signaling-state", G_CALLBACK (count_notify),
      &notified);

  tb = transport_stats (b.bin);
  fail_unless_equals_string (gst_structure_get_string (tb, "dtls-state"),
      "connected");
  gst_structure_free (tb);

  start = g_get_monotonic_time ();
  g_signal_emit_by_name (a.bin, "close");
  fail_unless_equals_int (rtcbin_test_enum (a.bin, "signaling-state"),
      GST_RTC_SIGNALING_STATE_CLOSED);
  fail_unless_equals_int (rtcbin_test_enum (a.bin, "connection-state"),
      GST_RTC_PEER_CONNECTION_STATE_CLOSED);
  fail_unless_equals_int (rtcbin_test_enum (a.bin, "ice-connection-state"),
      GST_RTC_ICE_CONNECTION_STATE_CLOSED);
  fail_unless_equals_int (notified, 1);

  /* The peer's DTLS transport closes on close_notify, seconds before its
   * ICE could notice a is gone; W3C counts DTLS closed with ICE up as
   * connected (read in that order: ICE up when read second was up when
   * the connection state was read). */
  fail_unless (wait_dtls_state (b.bin, "closed", 2000));
  GST_INFO ("b's DTLS transport closed %" G_GINT64_FORMAT " ms after close",
      (g_get_monotonic_time () - start) / 1000);
  conn = rtcbin_test_enum (b.bin, "connection-state");
  ice = rtcbin_test_enum (b.bin, "ice-connection-state");
  if (ice == GST_RTC_ICE_CONNECTION_STATE_CONNECTED
      || ice == GST_RTC_ICE_CONNECTION_STATE_COMPLETED)
    fail_unless_equals_int (conn, GST_RTC_PEER_CONNECTION_STATE_CONNECTED);

  /* get-stats answers after close (W3C): states closed, last counters. */
  report = rtcbin_test_get_stats (a.bin, NULL);
  fail_unless (gst_structure_has_field (report, "peer-connection"));
  ta = gst_structure_copy (rtcbin_test_stats_entry (report, "transport"));
  fail_unless_equals_string (gst_structure_get_string (ta, "ice-state"),
      "closed");
  fail_unless_equals_string (gst_structure_get_string (ta, "dtls-state"),
      "closed");
  sent = stats_u64 (ta, "packets-sent");
  fail_unless (sent > 0);
  fail_unless (stats_u64 (outbound_audio (report), "packets-sent") > 0);
  gst_structure_free (ta);
  gst_structure_free (report);

  fail_unless (
      rtcbin_test_create (a.bin, "create-offer", NULL, &error) == NULL);
  rtcbin_test_check_error (error, GST_RTC_ERROR_INVALID_STATE, "closed", NULL);
  rtcbin_test_check_error (rtcbin_test_set (a.bin, "set-remote-description",
                               offer),
      GST_RTC_ERROR_INVALID_STATE, "closed", NULL);
  error = NULL;
  fail_unless (rtcbin_test_set_implicit (a.bin, NULL, &error) == NULL);
  rtcbin_test_check_error (error, GST_RTC_ERROR_INVALID_STATE, "closed", NULL);
  {
    GstCaps *caps = gst_caps_from_string (RTCBIN_TEST_OPUS_CAPS);

    g_signal_emit_by_name (a.bin, "add-transceiver",
        GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, caps, &t);
    gst_caps_unref (caps);
    fail_unless (t == NULL);
  }
  fail_unless_equals_int (rtcbin_test_current_direction (a.bin, 0),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE);

  /* Idempotent. */
  g_signal_emit_by_name (a.bin, "close");
  fail_unless_equals_int (notified, 1);
  fail_unless_equals_int (rtcbin_test_enum (a.bin, "signaling-state"),
      GST_RTC_SIGNALING_STATE_CLOSED);

  /* What the jitter buffers held drains, then nothing more comes. */
  g_usleep (RTC_TEST_MS (600) * 1000);
  at = g_atomic_int_get (&a.counts.audio);
  bt = g_atomic_int_get (&b.counts.audio);
  g_usleep (RTC_TEST_MS (700) * 1000);
  fail_unless_equals_int (g_atomic_int_get (&a.counts.audio), at);
  fail_unless_equals_int (g_atomic_int_get (&b.counts.audio), bt);
  fail_unless_equals_int (GST_ELEMENT (a.bin)->numsrcpads, src_pads);
  fail_unless_equals_int (GST_ELEMENT (a.bin)->numsinkpads, sink_pads);
  fail_unless_equals_int (rtcbin_test_enum (a.bin, "connection-state"),
      GST_RTC_PEER_CONNECTION_STATE_CLOSED);
  /* Nothing was sent since. */
  report = rtcbin_test_get_stats (a.bin, NULL);
  fail_unless_equals_uint64 (stats_u64 (rtcbin_test_stats_entry (report,
                                            "transport"),
                                 "packets-sent"),
      sent);
  gst_structure_free (report);
  msg = gst_bus_pop_filtered (GST_ELEMENT_BUS (a.pipe), GST_MESSAGE_ERROR);
  fail_unless (msg == NULL, "error on a's bus: %" GST_PTR_FORMAT, msg);

  gst_rtc_session_description_free (offer);
  rtcbin_test_peer_clear (&a);
  rtcbin_test_peer_clear (&b);
}

GST_END_TEST;

/* close while create-offer waits for a sink pad's caps: the offer is
 * refused at once, not at caps-timeout. */
GST_START_TEST (test_close_while_offer_waits)
{
  GstElement *a = rtcbin_test_new ("a");
  GstPromise *promise = gst_promise_new ();
  const GstStructure *reply;
  GError *error = NULL;
  GstPad *pad;
  gint64 start;

  gst_object_ref_sink (a);
  g_object_set (a, "caps-timeout", 60000, NULL);
  pad = gst_element_request_pad_simple (a, "sink_%u");
  fail_unless (pad != NULL);
  g_signal_emit_by_name (a, "create-offer", NULL, promise);
  /* Long enough for the offer to be waiting. */
  g_usleep (100 * 1000);
  start = g_get_monotonic_time ();
  g_signal_emit_by_name (a, "close");
  reply = rtcbin_test_await (promise);
  fail_unless (g_get_monotonic_time () - start < RTC_TEST_MS (2000) * 1000);
  fail_unless (reply != NULL
      && gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL));
  rtcbin_test_check_error (error, GST_RTC_ERROR_INVALID_STATE, "closed", NULL);

  gst_promise_unref (promise);
  gst_element_release_request_pad (a, pad);
  gst_object_unref (pad);
  gst_object_unref (a);
}

GST_END_TEST;

/* The order promises were answered in (their change functions run on
 * the session thread, after waiters are woken). */
typedef struct {
  GMutex lock;
  GstPromise *seen[3];
  gint n;
} ReplyOrder;

static void
note_reply (GstPromise *promise, gpointer data)
{
  ReplyOrder *order = data;

  g_mutex_lock (&order->lock);
  if (order->n < 3)
    order->seen[order->n] = promise;
  order->n++;
  g_mutex_unlock (&order->lock);
}

static gboolean
all_replied (gpointer data)
{
  ReplyOrder *order = data;
  gint n;

  g_mutex_lock (&order->lock);
  n = order->n;
  g_mutex_unlock (&order->lock);
  return n >= 3;
}

/* Operations queued behind an offer waiting for caps (explicit or
 * implicit) wait their turn: they are answered after it, in order, once
 * it gives up at caps-timeout. */
GST_START_TEST (test_queued_behind_waiting_offer)
{
  GstElement *a = rtcbin_test_new ("a");
  ReplyOrder order = { 0 };
  GstPromise *offer, *stats, *implicit;
  GstPad *pad;
  GError *error = NULL;

  gst_object_ref_sink (a);
  g_object_set (a, "caps-timeout", 300, NULL);
  pad = gst_element_request_pad_simple (a, "sink_%u");
  g_mutex_init (&order.lock);
  offer = gst_promise_new_with_change_func (note_reply, &order, NULL);
  implicit = gst_promise_new_with_change_func (note_reply, &order, NULL);
  stats = gst_promise_new_with_change_func (note_reply, &order, NULL);
  g_signal_emit_by_name (a, "set-local-description", NULL, implicit);
  g_signal_emit_by_name (a, "create-offer", NULL, offer);
  g_usleep (50 * 1000);
  g_signal_emit_by_name (a, "get-stats", NULL, stats);

  rtcbin_test_await (stats);
  fail_unless (rtc_test_wait_until (all_replied, &order, 1000));
  fail_unless_equals_int (order.n, 3);
  fail_unless (order.seen[0] == implicit);
  fail_unless (order.seen[1] == offer);
  fail_unless (order.seen[2] == stats);
  fail_unless (gst_structure_get (gst_promise_get_reply (implicit), "error",
      G_TYPE_ERROR, &error, NULL));
  rtcbin_test_check_error (error, GST_RTC_ERROR_INVALID_STATE, "caps", NULL);
  error = NULL;
  fail_unless (gst_structure_get (gst_promise_get_reply (offer), "error",
      G_TYPE_ERROR, &error, NULL));
  rtcbin_test_check_error (error, GST_RTC_ERROR_INVALID_STATE, "caps", NULL);
  fail_if (gst_structure_has_field (gst_promise_get_reply (stats), "error"));
  fail_unless_equals_int (rtcbin_test_enum (a, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);

  gst_promise_unref (offer);
  gst_promise_unref (implicit);
  gst_promise_unref (stats);
  g_mutex_clear (&order.lock);
  gst_element_release_request_pad (a, pad);
  gst_object_unref (pad);
  gst_object_unref (a);
}

GST_END_TEST;

/* ---- perfect negotiation ---- */

/* What one side's signalling thread handles, in order. */
typedef enum {
  PN_NEGOTIATE,
  PN_DESCRIPTION,
  PN_QUIT,
} PnType;

typedef struct {
  PnType type;
  GstRtcSessionDescription *desc;
} PnMsg;

/* Both sides' first offers of a round are sent only once both exist:
 * each offer is made before the other's arrives. */
typedef struct {
  GMutex lock;
  GCond cond;
  gint round;
  gint first_offers;
} PnBarrier;

typedef struct _PnPeer PnPeer;
struct _PnPeer {
  Peer p;
  gboolean polite;
  PnPeer *other;
  PnBarrier *barrier;
  GAsyncQueue *inbox;
  GThread *thread;
  gint outstanding; /* messages queued or being handled */
  gint offered_round;
  gint ignored; /* colliding offers ignored (impolite side) */
  gint rolled_back; /* offers taken over a pending one of ours */
  gint errors;
  gchar *error; /* the first, under barrier->lock */
};

static void
pn_send (PnPeer *to, PnType type, GstRtcSessionDescription *desc)
{
  PnMsg *m = g_new0 (PnMsg, 1);

  m->type = type;
  m->desc = desc;
  g_atomic_int_inc (&to->outstanding);
  g_async_queue_push (to->inbox, m);
}

static void
pn_fail (PnPeer *peer, const gchar *what, GError *error)
{
  g_mutex_lock (&peer->barrier->lock);
  if (!peer->error)
    peer->error = g_strdup_printf ("%s: %s", what, error->message);
  g_mutex_unlock (&peer->barrier->lock);
  g_atomic_int_inc (&peer->errors);
  g_error_free (error);
}

/* on-negotiation-needed runs on the session thread, which must not wait
 * for its own operations: the signalling thread does. */
static void
pn_on_negotiation_needed (GstElement *bin, PnPeer *peer)
{
  pn_send (peer, PN_NEGOTIATE, NULL);
}

static GstRtcSessionDescription *
pn_set_local (PnPeer *peer)
{
  GError *error = NULL;
  GstRtcSessionDescription *desc = rtcbin_test_set_implicit (peer->p.bin, NULL,
      &error);

  if (!desc)
    pn_fail (peer, "set-local-description", error);
  return desc;
}

static void
pn_wait_for_other_offer (PnPeer *peer)
{
  PnBarrier *b = peer->barrier;
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (2000) * 1000;

  g_mutex_lock (&b->lock);
  if (peer->offered_round != b->round) {
    peer->offered_round = b->round;
    b->first_offers++;
    g_cond_broadcast (&b->cond);
    while (b->first_offers < 2 && g_cond_wait_until (&b->cond, &b->lock, end))
      ;
  }
  g_mutex_unlock (&b->lock);
}

/* The W3C perfect negotiation pattern, with the implicit
 * set-local-description: an offer colliding with ours is ignored by the
 * impolite side and taken (rolling ours back) by the polite one. */
static gpointer
pn_thread (gpointer data)
{
  PnPeer *peer = data;
  PnMsg *m;

  while ((m = g_async_queue_pop (peer->inbox))->type != PN_QUIT) {
    GstElement *bin = peer->p.bin;

    if (m->type == PN_NEGOTIATE) {
      /* Fired in stable; an exchange since then fires it again when it
       * ends if still needed. */
      if (rtcbin_test_enum (bin, "signaling-state")
          == GST_RTC_SIGNALING_STATE_STABLE) {
        GstRtcSessionDescription *offer = pn_set_local (peer);

        if (offer) {
          pn_wait_for_other_offer (peer);
          pn_send (peer->other, PN_DESCRIPTION, offer);
        }
      }
    } else {
      gboolean collision = m->desc->type == GST_RTC_SDP_TYPE_OFFER
          && rtcbin_test_enum (bin, "signaling-state")
              != GST_RTC_SIGNALING_STATE_STABLE;
      GError *error;

      if (collision && !peer->polite) {
        g_atomic_int_inc (&peer->ignored);
      } else {
        if (collision)
          g_atomic_int_inc (&peer->rolled_back);
        error = rtcbin_test_set (bin, "set-remote-description", m->desc);
        if (error) {
          pn_fail (peer, "set-remote-description", error);
        } else if (m->desc->type == GST_RTC_SDP_TYPE_OFFER) {
          GstRtcSessionDescription *answer = pn_set_local (peer);

          if (answer)
            pn_send (peer->other, PN_DESCRIPTION, answer);
        }
      }
      gst_rtc_session_description_free (m->desc);
    }
    g_free (m);
    g_atomic_int_add (&peer->outstanding, -1);
  }
  g_free (m);
  return NULL;
}

static void
pn_init (PnPeer *peer, const gchar *name, gboolean polite, PnBarrier *barrier)
{
  rtcbin_test_opus_peer_init (&peer->p, name);
  peer->polite = polite;
  peer->barrier = barrier;
  peer->inbox = g_async_queue_new ();
  peer->offered_round = -1;
  g_signal_connect (peer->p.bin, "on-negotiation-needed",
      G_CALLBACK (pn_on_negotiation_needed), peer);
  peer->thread = g_thread_new (name, pn_thread, peer);
}

static void
pn_clear (PnPeer *peer)
{
  PnMsg *m = g_new0 (PnMsg, 1);

  m->type = PN_QUIT;
  g_async_queue_push (peer->inbox, m);
  g_thread_join (peer->thread);
  rtcbin_test_peer_clear (&peer->p);
  while ((m = g_async_queue_try_pop (peer->inbox))) {
    gst_rtc_session_description_free (m->desc);
    g_free (m);
  }
  g_async_queue_unref (peer->inbox);
  g_free (peer->error);
}

typedef struct {
  PnPeer *a, *b;
  /* Flipped each round: ta (a's) on the m-line where b's kb stays
   * sendrecv, tb (b's) on the one where a's ka does. */
  GstRtcRtpTransceiver *ta, *tb, *ka, *kb;
  GstRtcRtpTransceiverDirection want;
  /* Added by each side in the last adding round, sendrecv. */
  GstRtcRtpTransceiver *na, *nb;
} PnRound;

static gboolean
pn_current_is (GstRtcRtpTransceiver *t, GstRtcRtpTransceiverDirection want)
{
  GstRtcRtpTransceiverDirection dir;

  if (!t)
    return TRUE;
  g_object_get (t, "current-direction", &dir, NULL);
  return dir == want;
}

static gboolean
pn_round_done (gpointer data)
{
  PnRound *r = data;
  const GstRtcRtpTransceiverDirection sendrecv
      = GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;

  if (g_atomic_int_get (&r->a->errors) || g_atomic_int_get (&r->b->errors))
    return TRUE;
  return pn_current_is (r->ta, r->want) && pn_current_is (r->tb, r->want)
      && pn_current_is (r->ka, r->want) && pn_current_is (r->kb, r->want)
      && pn_current_is (r->na, sendrecv) && pn_current_is (r->nb, sendrecv)
      && g_atomic_int_get (&r->a->outstanding) == 0
      && g_atomic_int_get (&r->b->outstanding) == 0
      && rtcbin_test_enum (r->a->p.bin, "signaling-state")
      == GST_RTC_SIGNALING_STATE_STABLE
      && rtcbin_test_enum (r->b->p.bin, "signaling-state")
      == GST_RTC_SIGNALING_STATE_STABLE;
}

#define PN_ROUNDS 20

/* Perfect negotiation between a polite a and an impolite b: in each
 * round both flip the direction of a video transceiver at once (each on
 * an m-line the other keeps sendrecv, so that each side needs an offer
 * whether it offered or answered last), or, every fifth round, both add
 * a video transceiver; both offer before either offer arrives; b ignores
 * a's, a rolls its own back and answers b's. Every round ends stable on
 * both sides with the new directions current and Opus decoded on both
 * sides; an added transceiver of a, whose mid the rolled-back offer had
 * set, takes the m-line b's offer made for b's. */
GST_START_TEST (test_perfect_negotiation)
{
  PnBarrier barrier = { 0 };
  PnPeer a = { 0 }, b = { 0 };
  PnRound round = { &a, &b };
  GPtrArray *added = g_ptr_array_new_with_free_func (gst_object_unref);
  gint i;

  g_mutex_init (&barrier.lock);
  g_cond_init (&barrier.cond);
  pn_init (&a, "a", TRUE, &barrier);
  pn_init (&b, "b", FALSE, &barrier);
  a.other = &b;
  b.other = &a;
  round.ka = rtcbin_test_add_transceiver (a.p.bin,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_VP8_CAPS);
  round.ta = rtcbin_test_add_transceiver (a.p.bin,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_VP8_CAPS);
  round.tb = rtcbin_test_add_transceiver (b.p.bin,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_VP8_CAPS);
  round.kb = rtcbin_test_add_transceiver (b.p.bin,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_VP8_CAPS);

  /* Round 0 is the first negotiation, colliding too: b's offer wins (tb,
   * kb, audio), a's first unplaced video transceiver ka takes tb's m-line,
   * ta kb's, a's audio transceiver the audio one. */
  rtcbin_test_peers_start (&a.p, &b.p);
  round.want = GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;
  fail_unless (rtc_test_wait_until (pn_round_done, &round, 10000));
  fail_unless (a.errors == 0 && b.errors == 0, "a: %s, b: %s", a.error,
      b.error);
  fail_unless_equals_int (g_atomic_int_get (&a.rolled_back), 1);
  fail_unless_equals_int (g_atomic_int_get (&b.ignored), 1);
  fail_unless_equals_int (rtcbin_test_n_transceivers (a.p.bin), 3);
  fail_unless_equals_int (rtcbin_test_n_transceivers (b.p.bin), 3);
  fail_unless (rtcbin_test_wait_enum (a.p.bin, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));
  rtcbin_test_peers_wait_audio (&a.p, &b.p, 10);

  for (i = 1; i <= PN_ROUNDS; i++) {
    g_mutex_lock (&barrier.lock);
    barrier.round = i;
    barrier.first_offers = 0;
    g_mutex_unlock (&barrier.lock);
    if (i % 5 == 0) {
      round.na = rtcbin_test_add_transceiver (a.p.bin,
          GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_VP8_CAPS);
      round.nb = rtcbin_test_add_transceiver (b.p.bin,
          GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_VP8_CAPS);
      g_ptr_array_add (added, round.na);
      g_ptr_array_add (added, round.nb);
    } else {
      round.want = round.want == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
          ? GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE
          : GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;
      g_object_set (round.ta, "direction", round.want, NULL);
      g_object_set (round.tb, "direction", round.want, NULL);
    }
    fail_unless (rtc_test_wait_until (pn_round_done, &round, 10000),
        "round %d: a %d b %d, outstanding %d/%d", i,
        rtcbin_test_enum (a.p.bin, "signaling-state"),
        rtcbin_test_enum (b.p.bin, "signaling-state"), a.outstanding,
        b.outstanding);
    fail_unless (a.errors == 0 && b.errors == 0, "round %d: a: %s, b: %s", i,
        a.error, b.error);
    fail_unless_equals_int (g_atomic_int_get (&a.rolled_back), i + 1);
    fail_unless_equals_int (g_atomic_int_get (&b.ignored), i + 1);
    if (i % 5 == 0) {
      gchar *mid_a = gst_rtc_rtp_transceiver_get_mid (round.na);
      gchar *mid_b = gst_rtc_rtp_transceiver_get_mid (round.nb);

      fail_unless (mid_a != NULL);
      fail_unless_equals_string (mid_a, mid_b);
      g_free (mid_a);
      g_free (mid_b);
      fail_unless_equals_int (rtcbin_test_n_transceivers (a.p.bin), 3 + i / 5);
      fail_unless_equals_int (rtcbin_test_n_transceivers (b.p.bin), 3 + i / 5);
    }
    rtcbin_test_peers_wait_audio (&a.p, &b.p, 5);
  }

  gst_object_unref (round.ta);
  gst_object_unref (round.tb);
  gst_object_unref (round.ka);
  gst_object_unref (round.kb);
  g_ptr_array_unref (added);
  pn_clear (&a);
  pn_clear (&b);
  g_mutex_clear (&barrier.lock);
  g_cond_clear (&barrier.cond);
}

GST_END_TEST;

static Suite *
rtcbin_negotiate_suite (void)
{
  Suite *s = suite_create ("rtcbin-negotiate");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_rollback_local_offer);
  tcase_add_test (tc, test_rollback_remote_offer);
  tcase_add_test (tc, test_rollback_wrong_state);
  tcase_add_test (tc, test_rollback_ice_restart);
  tcase_add_test (tc, test_implicit_descriptions);
  tcase_add_test (tc, test_close);
  tcase_add_test (tc, test_close_while_offer_waits);
  tcase_add_test (tc, test_queued_behind_waiting_offer);
  tcase_add_test (tc, test_perfect_negotiation);
  return s;
}

RTC_CHECK_MAIN (rtcbin_negotiate);
