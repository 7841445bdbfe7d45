/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcbin's webrtcbin API: get-transceiver, add-turn-server, the end of
 * candidates, ice-gathering-state, when on-negotiation-needed fires,
 * offers made before caps, SSRC/msid in the first offer, what answers
 * keep of a browser's offer, offer options, and directions between two
 * rtcbins.
 */
#include "../common/rtcbintest.h"
#include "../common/rtccheckmain.h"

GST_START_TEST (test_get_transceiver)
{
  GstElement *a = rtcbin_test_new ("a");
  GstRtcRtpTransceiver *t0, *t1, *got = NULL;
  GArray *arr;

  t0 = rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS);
  t1 = rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, RTCBIN_TEST_VP8_CAPS);

  g_signal_emit_by_name (a, "get-transceiver", 0, &got);
  fail_unless (got == t0);
  gst_object_unref (got);
  g_signal_emit_by_name (a, "get-transceiver", 1, &got);
  fail_unless (got == t1);
  gst_object_unref (got);
  got = NULL;
  g_signal_emit_by_name (a, "get-transceiver", 2, &got);
  fail_unless (got == NULL);
  g_signal_emit_by_name (a, "get-transceiver", -1, &got);
  fail_unless (got == NULL);

  /* Same order as get-transceivers. */
  g_signal_emit_by_name (a, "get-transceivers", &arr);
  fail_unless_equals_int (arr->len, 2);
  fail_unless (g_array_index (arr, GstRtcRtpTransceiver *, 1) == t1);
  g_array_unref (arr);

  /* A transceiver may outlive its element; changing it then is only a
   * change of the object. */
  gst_object_unref (a);
  g_object_set (t0, "direction", GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE,
      NULL);
  fail_unless_equals_int (gst_rtc_rtp_transceiver_get_direction (t0),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE);
  gst_object_unref (t0);
  gst_object_unref (t1);
}

GST_END_TEST;

GST_START_TEST (test_add_turn_server)
{
  GstElement *a = rtcbin_test_new ("a");
  gboolean ok = FALSE;

  g_signal_emit_by_name (a, "add-turn-server",
      "turn://user:pass@127.0.0.1:3478", &ok);
  fail_unless (ok);
  g_signal_emit_by_name (a, "add-turn-server",
      "turns://user:pass@127.0.0.1:5349?transport=tcp", &ok);
  fail_unless (ok);
  /* A STUN server, garbage and nothing are refused. */
  g_signal_emit_by_name (a, "add-turn-server", "stun://127.0.0.1:3478", &ok);
  fail_if (ok);
  g_signal_emit_by_name (a, "add-turn-server", "turn://", &ok);
  fail_if (ok);
  g_signal_emit_by_name (a, "add-turn-server", "\x01\x02 not a uri", &ok);
  fail_if (ok);
  g_signal_emit_by_name (a, "add-turn-server", NULL, &ok);
  fail_if (ok);

  /* The servers go to the transport: gathering with them still works
   * (they are unreachable here; host candidates are gathered). */
  {
    GstRtcRtpTransceiver *t = rtcbin_test_add_transceiver (a,
        GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS);
    GstRtcSessionDescription *offer = rtcbin_test_create (a, "create-offer",
        NULL, NULL);
    GError *error = rtcbin_test_set (a, "set-local-description", offer);

    fail_unless (error == NULL);
    /* Too late once gathering started. */
    g_signal_emit_by_name (a, "add-turn-server",
        "turn://user:pass@127.0.0.1:3479", &ok);
    fail_if (ok);
    rtcbin_test_flush (a);
    gst_rtc_session_description_free (offer);
    gst_object_unref (t);
  }
  gst_object_unref (a);
}

GST_END_TEST;

typedef struct {
  GMutex lock;
  GPtrArray *candidates;
  gint empty;
  gint after_empty;
  GArray *gathering_states;
  GstElement *peer;
} CandidateLog;

static void
log_candidate (GstElement *bin, guint mline, const gchar *candidate,
    CandidateLog *log)
{
  g_mutex_lock (&log->lock);
  fail_unless (candidate != NULL);
  if (log->empty)
    log->after_empty++;
  if (*candidate == '\0')
    log->empty++;
  else
    g_ptr_array_add (log->candidates, g_strdup (candidate));
  g_mutex_unlock (&log->lock);
  g_signal_emit_by_name (log->peer, "add-ice-candidate", mline, candidate);
}

static void
log_gathering (GstElement *bin, GParamSpec *pspec, CandidateLog *log)
{
  gint state = rtcbin_test_enum (bin, "ice-gathering-state");

  g_mutex_lock (&log->lock);
  g_array_append_val (log->gathering_states, state);
  g_mutex_unlock (&log->lock);
}

/* Gathering ends with one empty candidate through on-ice-candidate, after
 * the real ones; ice-gathering-state notifies gathering then complete; the
 * local description lists the candidates and a=end-of-candidates; the
 * peer takes the empty candidate and still connects. */
GST_START_TEST (test_end_of_candidates)
{
  GstElement *a = rtcbin_test_new ("a"), *b = rtcbin_test_new ("b");
  CandidateLog log = { 0 };
  GstRtcRtpTransceiver *t;
  GstRtcSessionDescription *local = NULL;
  gint empty;
  guint i;

  g_mutex_init (&log.lock);
  log.candidates = g_ptr_array_new_with_free_func (g_free);
  log.gathering_states = g_array_new (FALSE, FALSE, sizeof (gint));
  log.peer = b;
  g_signal_connect (a, "on-ice-candidate", G_CALLBACK (log_candidate), &log);
  g_signal_connect (b, "on-ice-candidate",
      G_CALLBACK (rtcbin_test_forward_candidate), a);
  g_signal_connect (a, "notify::ice-gathering-state",
      G_CALLBACK (log_gathering), &log);

  t = rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS);
  fail_unless_equals_int (rtcbin_test_enum (a, "ice-gathering-state"),
      GST_RTC_ICE_GATHERING_STATE_NEW);
  rtcbin_test_negotiate (a, b);
  fail_unless (rtcbin_test_wait_int (&log.empty, 1, 10000));
  fail_unless (rtcbin_test_wait_enum (a, "ice-gathering-state",
      GST_RTC_ICE_GATHERING_STATE_COMPLETE, 5000));
  fail_unless (rtcbin_test_wait_ice (a, 10000));
  fail_unless (rtcbin_test_wait_ice (b, 10000));
  rtcbin_test_flush (a);

  g_mutex_lock (&log.lock);
  empty = log.empty;
  fail_unless_equals_int (empty, 1);
  fail_unless_equals_int (log.after_empty, 0);
  fail_unless (log.candidates->len >= 1);
  fail_unless_equals_int (log.gathering_states->len, 2);
  fail_unless_equals_int (g_array_index (log.gathering_states, gint, 0),
      GST_RTC_ICE_GATHERING_STATE_GATHERING);
  fail_unless_equals_int (g_array_index (log.gathering_states, gint, 1),
      GST_RTC_ICE_GATHERING_STATE_COMPLETE);
  g_mutex_unlock (&log.lock);

  g_object_get (a, "local-description", &local, NULL);
  fail_unless (local != NULL);
  fail_unless (rtcbin_test_has_attr (local, 0, "end-of-candidates", NULL));
  for (i = 0; i < log.candidates->len; i++) {
    const gchar *c = g_ptr_array_index (log.candidates, i);

    fail_unless (rtcbin_test_has_attr (local, 0, "candidate",
                     c + strlen ("candidate:")),
        "%s missing from the local description", c);
  }
  gst_rtc_session_description_free (local);

  /* A later offer of a session whose gathering ended says so too. */
  local = rtcbin_test_create (a, "create-offer", NULL, NULL);
  fail_unless (rtcbin_test_has_attr (local, 0, "end-of-candidates", NULL));
  fail_unless (rtcbin_test_has_attr (local, 0, "candidate", NULL));
  gst_rtc_session_description_free (local);

  gst_object_unref (t);
  gst_object_unref (a);
  gst_object_unref (b);
  g_ptr_array_unref (log.candidates);
  g_array_unref (log.gathering_states);
  g_mutex_clear (&log.lock);
}

GST_END_TEST;

/* on-negotiation-needed: never with nothing to negotiate, once per need,
 * not during an exchange but right after it if something changed
 * meanwhile, and for a direction changed after negotiation. */
GST_START_TEST (test_negotiation_needed)
{
  GstElement *a = rtcbin_test_new ("a"), *b = rtcbin_test_new ("b");
  GstRtcRtpTransceiver *t0, *t1, *t2;
  GstRtcSessionDescription *offer, *answer;
  gint needed_a = 0, needed_b = 0;

  g_signal_connect (a, "on-negotiation-needed",
      G_CALLBACK (rtcbin_test_count_signal), &needed_a);
  g_signal_connect (b, "on-negotiation-needed",
      G_CALLBACK (rtcbin_test_count_signal), &needed_b);

  /* Nothing to negotiate: nothing fires, even in PLAYING. */
  fail_unless (
      gst_element_set_state (a, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);
  g_usleep (200 * 1000);
  fail_unless_equals_int (g_atomic_int_get (&needed_a), 0);

  /* Two transceivers in a row: one need, one signal. */
  t0 = rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS);
  t1 = rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_VP8_CAPS);
  rtcbin_test_flush (a);
  fail_unless_equals_int (g_atomic_int_get (&needed_a), 1);

  /* Negotiated: nothing more is needed. */
  rtcbin_test_negotiate (a, b);
  rtcbin_test_flush (a);
  rtcbin_test_flush (b);
  fail_unless_equals_int (g_atomic_int_get (&needed_a), 1);
  fail_unless_equals_int (g_atomic_int_get (&needed_b), 0);

  /* A transceiver added during an exchange: silent until it completes,
   * then one signal. */
  offer = rtcbin_test_create (a, "create-offer", NULL, NULL);
  fail_unless (rtcbin_test_set (a, "set-local-description", offer) == NULL);
  t2 = rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS);
  rtcbin_test_flush (a);
  fail_unless_equals_int (g_atomic_int_get (&needed_a), 1);
  fail_unless (rtcbin_test_set (b, "set-remote-description", offer) == NULL);
  answer = rtcbin_test_create (b, "create-answer", NULL, NULL);
  fail_unless (rtcbin_test_set (b, "set-local-description", answer) == NULL);
  fail_unless (rtcbin_test_set (a, "set-remote-description", answer) == NULL);
  rtcbin_test_flush (a);
  fail_unless_equals_int (g_atomic_int_get (&needed_a), 2);
  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (answer);

  rtcbin_test_negotiate (a, b);
  rtcbin_test_flush (a);
  fail_unless_equals_int (g_atomic_int_get (&needed_a), 2);
  fail_unless_equals_int (rtcbin_test_n_transceivers (b), 3);

  /* A direction changed after negotiation asks for a new one; the new
   * exchange applies it on both sides. b's transceivers, made by the
   * offer, only receive: a sends only. */
  fail_unless_equals_int (rtcbin_test_current_direction (a, 1),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY);
  fail_unless_equals_int (rtcbin_test_current_direction (b, 1),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY);
  g_object_set (t1, "direction", GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY,
      NULL);
  rtcbin_test_flush (a);
  fail_unless_equals_int (g_atomic_int_get (&needed_a), 3);
  rtcbin_test_negotiate (a, b);
  rtcbin_test_flush (a);
  fail_unless_equals_int (g_atomic_int_get (&needed_a), 3);
  fail_unless_equals_int (rtcbin_test_current_direction (a, 1),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE);
  fail_unless_equals_int (rtcbin_test_current_direction (b, 1),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE);
  /* The other transceivers did not move. */
  fail_unless_equals_int (rtcbin_test_current_direction (a, 0),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY);

  /* Setting it back and forth before anything runs is one need. */
  g_object_set (t1, "direction", GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE,
      NULL);
  g_object_set (t1, "direction", GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV,
      NULL);
  rtcbin_test_flush (a);
  fail_unless_equals_int (g_atomic_int_get (&needed_a), 4);
  /* The answerer never needed anything. */
  rtcbin_test_flush (b);
  fail_unless_equals_int (g_atomic_int_get (&needed_b), 0);

  gst_element_set_state (a, GST_STATE_NULL);
  gst_object_unref (t0);
  gst_object_unref (t1);
  gst_object_unref (t2);
  gst_object_unref (a);
  gst_object_unref (b);
}

GST_END_TEST;

/* Whether m-line @idx of @desc offers @encoding (rtpmap prefix). */
static gboolean
offers_codec (const GstRtcSessionDescription *desc, guint idx,
    const gchar *encoding)
{
  const GstSDPMedia *m = gst_sdp_message_get_media (desc->sdp, idx);
  guint i;

  for (i = 0; i < gst_sdp_media_attributes_len (m); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, i);
    const gchar *sp;

    if (g_strcmp0 (a->key, "rtpmap") != 0 || !a->value)
      continue;
    sp = strchr (a->value, ' ');
    if (sp && g_ascii_strncasecmp (sp + 1, encoding, strlen (encoding)) == 0)
      return TRUE;
  }
  return FALSE;
}

/* An offer made before any caps reach the sink pads (pipeline not
 * running) still has their m-lines, with the codecs the payloaders can
 * produce, and our SSRC and msid fixed from the start. */
GST_START_TEST (test_offer_before_caps)
{
  GstElement *pipe, *a;
  GstRtcSessionDescription *offer;
  GError *error = NULL;
  guint i;

  pipe = gst_parse_launch ("audiotestsrc ! opusenc ! rtpopuspay ! rtcbin "
                           "name=a videotestsrc ! vp8enc ! rtpvp8pay ! a.",
      &error);
  fail_unless (pipe != NULL, "%s", error ? error->message : "");
  a = gst_bin_get_by_name (GST_BIN (pipe), "a");
  rtcbin_test_restrict (a);
  fail_unless_equals_int (rtcbin_test_n_transceivers (a), 0);

  offer = rtcbin_test_create (a, "create-offer", NULL, NULL);
  fail_unless_equals_int (gst_sdp_message_medias_len (offer->sdp), 2);
  fail_unless_equals_int (rtcbin_test_n_transceivers (a), 2);
  for (i = 0; i < 2; i++) {
    const GstSDPMedia *m = gst_sdp_message_get_media (offer->sdp, i);
    gboolean audio = g_str_equal (gst_sdp_media_get_media (m), "audio");

    fail_unless (offers_codec (offer, i, audio ? "OPUS" : "VP8"));
    fail_unless (rtcbin_test_has_attr (offer, i, "ssrc", NULL));
    fail_unless (rtcbin_test_has_attr (offer, i, "msid", NULL)
        || rtcbin_test_has_attr (offer, i, "ssrc", NULL));
    /* Not rejected: a port, or bundled (max-bundle: bundle-only). */
    fail_unless (gst_sdp_media_get_port (m) != 0
        || rtcbin_test_has_attr (offer, i, "bundle-only", NULL));
  }
  {
    /* The ssrc lines name the msid (a=ssrc:N msid:...) or a=msid is
     * there: either way the track id is in the first offer. */
    gchar *text = gst_sdp_message_as_text (offer->sdp);

    fail_unless (strstr (text, "msid:") != NULL, "%s", text);
    fail_unless (strstr (text, "cname:") != NULL, "%s", text);
    g_free (text);
  }

  /* Once caps flow, the transceivers stay the same two and keep the
   * SSRC of the first offer. */
  {
    GstRtcSessionDescription *again;
    const gchar *ssrc0;

    fail_unless (gst_element_set_state (pipe, GST_STATE_PLAYING)
        != GST_STATE_CHANGE_FAILURE);
    g_usleep (RTC_TEST_MS (300) * 1000);
    again = rtcbin_test_create (a, "create-offer", NULL, NULL);
    fail_unless_equals_int (rtcbin_test_n_transceivers (a), 2);
    fail_unless_equals_int (gst_sdp_message_medias_len (again->sdp), 2);
    ssrc0
        = gst_sdp_media_get_attribute_val (gst_sdp_message_get_media (offer->sdp,
                                               0),
            "ssrc");
    fail_unless (rtcbin_test_has_attr (again, 0, "ssrc", ssrc0));
    gst_rtc_session_description_free (again);
    gst_element_set_state (pipe, GST_STATE_NULL);
  }

  gst_rtc_session_description_free (offer);
  gst_object_unref (a);
  gst_object_unref (pipe);
}

GST_END_TEST;

/* A transceiver made with add-transceiver and nothing else: its SSRC and
 * msid are in the very first offer. */
GST_START_TEST (test_first_offer_ssrc_msid)
{
  GstElement *a = rtcbin_test_new ("a");
  GstRtcRtpTransceiver *t;
  GstRtcSessionDescription *offer, *again;
  const gchar *ssrc;

  t = rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY, RTCBIN_TEST_VP8_CAPS);
  offer = rtcbin_test_create (a, "create-offer", NULL, NULL);
  fail_unless (rtcbin_test_has_attr (offer, 0, "ssrc", NULL));
  ssrc = gst_sdp_media_get_attribute_val (gst_sdp_message_get_media (offer->sdp,
                                              0),
      "ssrc");
  {
    gchar *text = gst_sdp_message_as_text (offer->sdp);

    fail_unless (strstr (text, "msid:") != NULL, "%s", text);
    g_free (text);
  }
  again = rtcbin_test_create (a, "create-offer", NULL, NULL);
  fail_unless (rtcbin_test_has_attr (again, 0, "ssrc", ssrc));
  gst_rtc_session_description_free (again);
  gst_rtc_session_description_free (offer);
  gst_object_unref (t);
  gst_object_unref (a);
}

GST_END_TEST;

/* A sink pad nothing is linked to and that gets no caps: the offer waits
 * caps-timeout, then fails naming the pad; caps arriving within the wait
 * make the offer succeed with the pad's m-line. */
GST_START_TEST (test_offer_waits_for_caps)
{
  GstElement *a = rtcbin_test_new ("a");
  GstPad *pad;
  GError *error = NULL;
  GstRtcSessionDescription *offer;
  gint64 start;

  g_object_set (a, "caps-timeout", 300, NULL);
  pad = gst_element_request_pad_simple (a, "sink_%u");
  fail_unless (pad != NULL);

  start = g_get_monotonic_time ();
  offer = rtcbin_test_create (a, "create-offer", NULL, &error);
  fail_unless (offer == NULL);
  fail_unless (
      g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE));
  fail_unless (strstr (error->message, GST_PAD_NAME (pad)) != NULL, "%s",
      error->message);
  fail_unless (strstr (error->message, "caps") != NULL, "%s", error->message);
  fail_unless (g_get_monotonic_time () - start >= 300 * 1000);
  g_clear_error (&error);

  /* Caps come 100 ms into a 5 s wait. */
  g_object_set (a, "caps-timeout", RTC_TEST_MS (5000), NULL);
  {
    GstPromise *promise = gst_promise_new ();
    const GstStructure *reply;
    GstCaps *caps = gst_caps_from_string (RTCBIN_TEST_VP8_CAPS);

    g_signal_emit_by_name (a, "create-offer", NULL, promise);
    g_usleep (100 * 1000);
    gst_pad_send_event (pad, gst_event_new_stream_start ("s"));
    gst_pad_send_event (pad, gst_event_new_caps (caps));
    gst_caps_unref (caps);
    reply = rtcbin_test_await (promise);
    fail_unless (gst_structure_get (reply, "offer",
        GST_TYPE_RTC_SESSION_DESCRIPTION, &offer, NULL));
    fail_unless_equals_int (gst_sdp_message_medias_len (offer->sdp), 1);
    fail_unless (offers_codec (offer, 0, "VP8"));
    gst_rtc_session_description_free (offer);
    gst_promise_unref (promise);
  }

  gst_element_release_request_pad (a, pad);
  gst_object_unref (pad);
  gst_object_unref (a);
}

GST_END_TEST;

static void
count_reply (GstPromise *promise, gpointer counter)
{
  g_atomic_int_inc ((gint *)counter);
}

/* Offers waiting for caps hold no thread: with more sessions waiting
 * than the operation pool has threads, another session's offer is
 * answered at once, and the waiting ones complete when their caps come. */
GST_START_TEST (test_offer_wait_holds_no_thread)
{
  GstElement *waiting[3], *b = rtcbin_test_new ("b");
  GstPad *pads[3];
  GstPromise *promises[3];
  GstRtcRtpTransceiver *t;
  GstRtcSessionDescription *offer;
  GstCaps *caps = gst_caps_from_string (RTCBIN_TEST_VP8_CAPS);
  gint64 start;
  gint replied = 0;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (waiting); i++) {
    gchar *name = g_strdup_printf ("w%u", i);

    waiting[i] = rtcbin_test_new (name);
    g_free (name);
    g_object_set (waiting[i], "caps-timeout", RTC_TEST_MS (10000), NULL);
    pads[i] = gst_element_request_pad_simple (waiting[i], "sink_%u");
    promises[i] = gst_promise_new_with_change_func (count_reply, &replied,
        NULL);
    g_signal_emit_by_name (waiting[i], "create-offer", NULL, promises[i]);
  }
  g_usleep (50 * 1000);

  g_signal_emit_by_name (b, "add-transceiver",
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, caps, &t);
  gst_object_unref (t);
  start = g_get_monotonic_time ();
  offer = rtcbin_test_create (b, "create-offer", NULL, NULL);
  fail_unless (offer != NULL);
  fail_unless (g_get_monotonic_time () - start < RTC_TEST_MS (2000) * 1000,
      "offer took %" G_GINT64_FORMAT " us", g_get_monotonic_time () - start);
  gst_rtc_session_description_free (offer);
  fail_unless_equals_int (g_atomic_int_get (&replied), 0);

  for (i = 0; i < G_N_ELEMENTS (waiting); i++) {
    const GstStructure *reply;

    gst_pad_send_event (pads[i], gst_event_new_stream_start ("s"));
    gst_pad_send_event (pads[i], gst_event_new_caps (caps));
    reply = rtcbin_test_await (promises[i]);
    fail_unless (gst_structure_get (reply, "offer",
        GST_TYPE_RTC_SESSION_DESCRIPTION, &offer, NULL));
    fail_unless (offers_codec (offer, 0, "VP8"));
    gst_rtc_session_description_free (offer);
    gst_promise_unref (promises[i]);
    gst_element_release_request_pad (waiting[i], pads[i]);
    gst_object_unref (pads[i]);
    gst_object_unref (waiting[i]);
  }
  gst_caps_unref (caps);
  gst_object_unref (b);
}

GST_END_TEST;

/* A pad requested after add-transceiver with codec preferences takes
 * that transceiver when its peer does not tell its codec. */
GST_START_TEST (test_offer_pad_takes_codec_preferences)
{
  GstElement *a = rtcbin_test_new ("a");
  GstRtcRtpTransceiver *t;
  GstRtcSessionDescription *offer;
  GstPad *pad;

  g_object_set (a, "caps-timeout", 100, NULL);
  t = rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS);
  pad = gst_element_request_pad_simple (a, "sink_%u");
  offer = rtcbin_test_create (a, "create-offer", NULL, NULL);
  fail_unless_equals_int (gst_sdp_message_medias_len (offer->sdp), 1);
  fail_unless (offers_codec (offer, 0, "OPUS"));
  fail_unless_equals_int (rtcbin_test_n_transceivers (a), 1);
  gst_rtc_session_description_free (offer);
  gst_element_release_request_pad (a, pad);
  gst_object_unref (pad);
  gst_object_unref (t);
  gst_object_unref (a);
}

GST_END_TEST;

/* What Chromium puts before each m-line's media lines. */
#define CHROMIUM_TRANSPORT(mid) \
  "c=IN IP4 0.0.0.0\r\n" \
  "a=rtcp:9 IN IP4 0.0.0.0\r\n" RTCBIN_TEST_SDP_ICE \
  "a=ice-options:trickle\r\n" RTCBIN_TEST_SDP_DTLS "a=mid:" mid "\r\n"

/* An offer as Chromium makes it: Opus with audio level, VP8 with RTX,
 * NACK/PLI/TWCC feedback and four header extensions, one of which we do
 * not implement. */
#define CHROMIUM_OFFER \
  "v=0\r\n" \
  "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n" \
  "s=-\r\n" \
  "t=0 0\r\n" \
  "a=group:BUNDLE 0 1\r\n" \
  "a=extmap-allow-mixed\r\n" \
  "a=msid-semantic: WMS stream0\r\n" \
  "m=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\n" CHROMIUM_TRANSPORT ( \
      "0") "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n" \
           "a=extmap:2 " \
           "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n" \
           "a=extmap:3 " \
           "http://www.ietf.org/id/" \
           "draft-holmer-rmcat-transport-wide-cc-extensions-01" \
           "\r\n" \
           "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n" \
           "a=sendrecv\r\n" \
           "a=msid:stream0 audio0\r\n" \
           "a=rtcp-mux\r\n" \
           "a=rtpmap:111 opus/48000/2\r\n" \
           "a=rtcp-fb:111 transport-cc\r\n" \
           "a=fmtp:111 minptime=10;useinbandfec=1\r\n" \
           "a=rtpmap:0 PCMU/8000\r\n" \
           "a=ssrc:1001 cname:chromecname\r\n" \
           "a=ssrc:1001 msid:stream0 audio0\r\n" \
           "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n" CHROMIUM_TRANSPORT ( \
               "1") "a=extmap:14 urn:ietf:params:rtp-hdrext:toffset\r\n" \
                    "a=extmap:2 " \
                    "http://www.webrtc.org/experiments/rtp-hdrext/" \
                    "abs-send-time\r\n" \
                    "a=extmap:13 urn:3gpp:video-orientation\r\n" \
                    "a=extmap:3 " \
                    "http://www.ietf.org/id/" \
                    "draft-holmer-rmcat-transport-wide-cc-extensions-01" \
                    "\r\n" \
                    "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n" \
                    "a=sendrecv\r\n" \
                    "a=msid:stream0 video0\r\n" \
                    "a=rtcp-mux\r\n" \
                    "a=rtcp-rsize\r\n" \
                    "a=rtpmap:96 VP8/90000\r\n" \
                    "a=rtcp-fb:96 goog-remb\r\n" \
                    "a=rtcp-fb:96 transport-cc\r\n" \
                    "a=rtcp-fb:96 ccm fir\r\n" \
                    "a=rtcp-fb:96 nack\r\n" \
                    "a=rtcp-fb:96 nack pli\r\n" \
                    "a=rtpmap:97 rtx/90000\r\n" \
                    "a=fmtp:97 apt=96\r\n" \
                    "a=ssrc-group:FID 2001 2002\r\n" \
                    "a=ssrc:2001 cname:chromecname\r\n" \
                    "a=ssrc:2001 msid:stream0 video0\r\n" \
                    "a=ssrc:2002 cname:chromecname\r\n" \
                    "a=ssrc:2002 msid:stream0 video0\r\n"

/* The answer keeps, with the offer's ids and payload types, the RTX
 * stream and the header extensions we implement; it drops those we do
 * not. */
GST_START_TEST (test_answer_keeps_rtx_and_extensions)
{
  GstElement *b = rtcbin_test_new ("b");
  GstRtcSessionDescription *offer, *answer;
  GError *error;

  offer = rtcbin_test_desc (GST_RTC_SDP_TYPE_OFFER, CHROMIUM_OFFER);
  error = rtcbin_test_set (b, "set-remote-description", offer);
  fail_unless (error == NULL, "%s", error ? error->message : "");
  answer = rtcbin_test_create (b, "create-answer", NULL, NULL);
  fail_unless_equals_int (gst_sdp_message_medias_len (answer->sdp), 2);

  /* Audio: Opus at 111, audio level and mid; not transport-wide
   * congestion control, whose feedback the media path does not send. */
  fail_unless (rtcbin_test_has_attr (answer, 0, "rtpmap", "111 OPUS/48000")
      || rtcbin_test_has_attr (answer, 0, "rtpmap", "111 opus/48000"));
  fail_unless (rtcbin_test_has_attr (answer, 0, "extmap",
      "1 urn:ietf:params:rtp-hdrext:ssrc-audio-level"));
  fail_unless (rtcbin_test_has_attr (answer, 0, "extmap",
      "4 urn:ietf:params:rtp-hdrext:sdes:mid"));
  fail_if (rtcbin_test_has_attr (answer, 0, "extmap", "3 http"));
  fail_if (rtcbin_test_has_attr (answer, 0, "rtcp-fb", "111 transport-cc"));

  /* Video: VP8 at 96 with its RTX at 97, feedback kept. */
  fail_unless (rtcbin_test_has_attr (answer, 1, "rtpmap", "96 VP8/90000"));
  fail_unless (rtcbin_test_has_attr (answer, 1, "rtpmap", "97 rtx/90000")
      || rtcbin_test_has_attr (answer, 1, "rtpmap", "97 RTX/90000"));
  fail_unless (rtcbin_test_has_attr (answer, 1, "fmtp", "97 apt=96"));
  fail_unless (rtcbin_test_has_attr (answer, 1, "rtcp-fb", "96 nack"));
  fail_unless (rtcbin_test_has_attr (answer, 1, "rtcp-fb", "96 nack pli"));
  fail_unless (rtcbin_test_has_attr (answer, 1, "extmap",
      "2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"));
  fail_unless (rtcbin_test_has_attr (answer, 1, "extmap",
      "4 urn:ietf:params:rtp-hdrext:sdes:mid"));
  /* Extensions we do not implement are not answered. */
  fail_if (rtcbin_test_has_attr (answer, 1, "extmap", "13 "));
  fail_if (rtcbin_test_has_attr (answer, 1, "extmap", "14 "));

  /* And the answer is valid to set. */
  error = rtcbin_test_set (b, "set-local-description", answer);
  fail_unless (error == NULL, "%s", error ? error->message : "");

  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (answer);
  gst_object_unref (b);
}

GST_END_TEST;

/* The offer option ice-restart gives new ICE credentials; a wrongly typed
 * option is a clear error; unknown options are ignored. */
GST_START_TEST (test_offer_options)
{
  GstElement *a = rtcbin_test_new ("a"), *b = rtcbin_test_new ("b");
  GstRtcRtpTransceiver *t;
  GstRtcSessionDescription *o1, *o2, *o3;
  GstStructure *opts;
  GError *error = NULL;
  const gchar *u1, *u2, *u3;

  rtcbin_test_trickle (a, b);
  t = rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS);
  rtcbin_test_negotiate (a, b);
  fail_unless (rtcbin_test_wait_ice (a, 10000));

  opts = gst_structure_new ("application/x-gst-rtc-offer-options",
      "unknown-thing", G_TYPE_INT, 3, NULL);
  o1 = rtcbin_test_create (a, "create-offer", opts, NULL);
  gst_structure_free (opts);
  opts = gst_structure_new ("options", "ice-restart", G_TYPE_STRING, "yes",
      NULL);
  fail_unless (rtcbin_test_create (a, "create-offer", opts, &error) == NULL);
  gst_structure_free (opts);
  fail_unless (
      g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR));
  fail_unless (strstr (error->message, "ice-restart") != NULL);
  g_clear_error (&error);

  opts = gst_structure_new ("options", "ice-restart", G_TYPE_BOOLEAN, TRUE,
      NULL);
  o2 = rtcbin_test_create (a, "create-offer", opts, NULL);
  gst_structure_free (opts);
  u1 = gst_sdp_media_get_attribute_val (gst_sdp_message_get_media (o1->sdp, 0),
      "ice-ufrag");
  u2 = gst_sdp_media_get_attribute_val (gst_sdp_message_get_media (o2->sdp, 0),
      "ice-ufrag");
  fail_unless (u1 && u2);
  fail_if (g_str_equal (u1, u2));

  /* The restart goes through: b answers with new credentials too, and
   * the session is connected again. */
  fail_unless (rtcbin_test_set (a, "set-local-description", o2) == NULL);
  fail_unless (rtcbin_test_set (b, "set-remote-description", o2) == NULL);
  o3 = rtcbin_test_create (b, "create-answer", NULL, NULL);
  {
    GstRtcSessionDescription *prev = NULL;

    g_object_get (b, "current-local-description", &prev, NULL);
    u1 = gst_sdp_media_get_attribute_val (gst_sdp_message_get_media (prev->sdp,
                                              0),
        "ice-ufrag");
    u3 = gst_sdp_media_get_attribute_val (gst_sdp_message_get_media (o3->sdp,
                                              0),
        "ice-ufrag");
    fail_if (g_str_equal (u1, u3));
    gst_rtc_session_description_free (prev);
  }
  rtcbin_test_finish (a, b, o3);
  fail_unless (rtcbin_test_wait_enum (a, "ice-gathering-state",
      GST_RTC_ICE_GATHERING_STATE_COMPLETE, 10000));

  gst_rtc_session_description_free (o1);
  gst_rtc_session_description_free (o2);
  gst_rtc_session_description_free (o3);
  gst_object_unref (t);
  gst_object_unref (a);
  gst_object_unref (b);
}

GST_END_TEST;

#define OPUS_SEND "audiotestsrc is-live=true ! opusenc ! rtpopuspay ! "

/* One audio m-line between two rtcbins, a offering @dir: media flows
 * only the way the negotiated direction allows and current-direction is
 * right on both sides. */
static const struct {
  GstRtcRtpTransceiverDirection offered;
  gboolean a_sends;
  GstRtcRtpTransceiverDirection a_current, b_current;
} direction_cases[] = {
  { GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY, TRUE,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY },
  { GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, FALSE,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY },
  { GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE, TRUE,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE },
};

GST_START_TEST (test_directions)
{
  GstRtcRtpTransceiverDirection offered = direction_cases[__i__].offered;
  GstElement *pa, *pb, *a, *b;
  RtcBinTestCounts ca = { 0 }, cb = { 0 };
  GstRtcRtpTransceiver *t;
  GError *error = NULL;
  gboolean a_receives, b_receives;

  /* a has a payloader unless it only receives; b always has one. */
  if (direction_cases[__i__].a_sends) {
    pa = gst_parse_launch (OPUS_SEND "rtcbin name=a", &error);
    fail_unless (pa != NULL, "%s", error ? error->message : "");
  } else {
    pa = gst_pipeline_new ("pa");
    gst_bin_add (GST_BIN (pa), gst_element_factory_make ("rtcbin", "a"));
  }
  pb = gst_parse_launch (OPUS_SEND "rtcbin name=b", &error);
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

  /* Inactive is set on the payloader's transceiver once it has one. */
  t = rtcbin_test_add_transceiver (a,
      offered == GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE
          ? GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
          : offered,
      RTCBIN_TEST_OPUS_CAPS);
  gst_element_set_state (pa, GST_STATE_PLAYING);
  gst_element_set_state (pb, GST_STATE_PLAYING);
  /* An offer binds a's payloader to t; b's makes b's transceiver on its
   * first caps, which the offer must find. */
  rtcbin_test_flush (a);
  if (offered == GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE)
    g_object_set (t, "direction", offered, NULL);
  fail_unless (rtcbin_test_wait_transceivers (b, 1, 5000));
  fail_unless_equals_int (rtcbin_test_n_transceivers (a), 1);
  fail_unless_equals_int (rtcbin_test_n_transceivers (b), 1);

  rtcbin_test_negotiate (a, b);
  fail_unless_equals_int (rtcbin_test_n_transceivers (b), 1);
  fail_unless_equals_int (rtcbin_test_current_direction (a, 0),
      direction_cases[__i__].a_current);
  fail_unless_equals_int (rtcbin_test_current_direction (b, 0),
      direction_cases[__i__].b_current);

  fail_unless (rtcbin_test_wait_enum (a, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));
  fail_unless (rtcbin_test_wait_enum (b, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));

  a_receives = direction_cases[__i__].a_current
      == GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
  b_receives = direction_cases[__i__].b_current
      == GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
  if (a_receives)
    fail_unless (rtcbin_test_wait_int (&ca.audio, 25, 10000), "a decoded %d",
        ca.audio);
  if (b_receives)
    fail_unless (rtcbin_test_wait_int (&cb.audio, 25, 10000), "b decoded %d",
        cb.audio);
  /* Long enough for the other way to have shown up if it were sent. */
  g_usleep (RTC_TEST_MS (700) * 1000);
  if (!a_receives)
    fail_unless_equals_int (g_atomic_int_get (&ca.audio), 0);
  if (!b_receives)
    fail_unless_equals_int (g_atomic_int_get (&cb.audio), 0);
  fail_unless_equals_int (g_atomic_int_get (&ca.link_failures), 0);
  fail_unless_equals_int (g_atomic_int_get (&cb.link_failures), 0);

  gst_element_set_state (pa, GST_STATE_NULL);
  gst_element_set_state (pb, GST_STATE_NULL);
  gst_object_unref (t);
  gst_object_unref (a);
  gst_object_unref (b);
  gst_object_unref (pa);
  gst_object_unref (pb);
}

GST_END_TEST;

/* A direction changed mid-call: on-negotiation-needed fires, and once
 * renegotiated the media stops; changed back, it flows again over the
 * same transport. */
GST_START_TEST (test_direction_change_mid_call)
{
  GstElement *pa, *pb, *a, *b;
  RtcBinTestCounts cb = { 0 };
  GstRtcRtpTransceiver *t;
  GError *error = NULL;
  gint needed = 0, before, after;

  pa = gst_parse_launch (OPUS_SEND "rtcbin name=a", &error);
  fail_unless (pa != NULL, "%s", error ? error->message : "");
  pb = gst_pipeline_new ("pb");
  b = rtcbin_test_new ("b");
  gst_bin_add (GST_BIN (pb), b);
  a = gst_bin_get_by_name (GST_BIN (pa), "a");
  rtcbin_test_restrict (a);
  cb.pipeline = pb;
  rtcbin_test_trickle (a, b);
  g_signal_connect (b, "pad-added", G_CALLBACK (rtcbin_test_decode_pad), &cb);
  g_signal_connect (a, "on-negotiation-needed",
      G_CALLBACK (rtcbin_test_count_signal), &needed);

  t = rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY, RTCBIN_TEST_OPUS_CAPS);
  gst_element_set_state (pa, GST_STATE_PLAYING);
  gst_element_set_state (pb, GST_STATE_PLAYING);
  rtcbin_test_negotiate (a, b);
  fail_unless (rtcbin_test_wait_int (&cb.audio, 25, 10000), "b decoded %d",
      cb.audio);
  rtcbin_test_flush (a);
  fail_unless_equals_int (g_atomic_int_get (&needed), 1);

  g_object_set (t, "direction", GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE,
      NULL);
  fail_unless (rtcbin_test_wait_int (&needed, 2, 5000));
  rtcbin_test_negotiate (a, b);
  fail_unless_equals_int (rtcbin_test_current_direction (a, 0),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE);
  fail_unless_equals_int (rtcbin_test_current_direction (b, 0),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE);
  /* What the jitter buffer held drains, then nothing more comes. */
  g_usleep (RTC_TEST_MS (600) * 1000);
  before = g_atomic_int_get (&cb.audio);
  g_usleep (RTC_TEST_MS (700) * 1000);
  after = g_atomic_int_get (&cb.audio);
  fail_unless_equals_int (after, before);

  g_object_set (t, "direction", GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY,
      NULL);
  fail_unless (rtcbin_test_wait_int (&needed, 3, 5000));
  rtcbin_test_negotiate (a, b);
  fail_unless_equals_int (rtcbin_test_current_direction (b, 0),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY);
  fail_unless (rtcbin_test_wait_int (&cb.audio, after + 25, 10000),
      "b decoded %d after %d", cb.audio, after);
  fail_unless_equals_int (g_atomic_int_get (&cb.link_failures), 0);

  gst_element_set_state (pa, GST_STATE_NULL);
  gst_element_set_state (pb, GST_STATE_NULL);
  gst_object_unref (t);
  gst_object_unref (a);
  gst_object_unref (pa);
  gst_object_unref (pb);
}

GST_END_TEST;

static Suite *
rtcbin_api_suite (void)
{
  Suite *s = suite_create ("rtcbin-api");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_get_transceiver);
  tcase_add_test (tc, test_add_turn_server);
  tcase_add_test (tc, test_end_of_candidates);
  tcase_add_test (tc, test_negotiation_needed);
  tcase_add_test (tc, test_offer_before_caps);
  tcase_add_test (tc, test_first_offer_ssrc_msid);
  tcase_add_test (tc, test_offer_waits_for_caps);
  tcase_add_test (tc, test_offer_wait_holds_no_thread);
  tcase_add_test (tc, test_offer_pad_takes_codec_preferences);
  tcase_add_test (tc, test_answer_keeps_rtx_and_extensions);
  tcase_add_test (tc, test_offer_options);
  tcase_add_loop_test (tc, test_directions, 0, G_N_ELEMENTS (direction_cases));
  tcase_add_test (tc, test_direction_change_mid_call);
  return s;
}

RTC_CHECK_MAIN (rtcbin_api);
