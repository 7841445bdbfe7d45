/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcbin: two sessions in one process, offer/answer through the action
 * signals and promises, trickle ICE over loopback.
 */
#include <gst/check/gstcheck.h>
#include <gst/rtc/rtc.h>

#include "../common/rtctestutil.h"

#define OPUS_CAPS \
  "application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000," \
  "payload=96"

static GstElement *
make_bin (const gchar *name)
{
  const gchar *loopback[] = { "127.0.0.1", NULL };
  GstElement *bin = gst_element_factory_make ("rtcbin", name);

  fail_unless (bin != NULL);
  g_object_set (bin, "local-addresses", loopback, NULL);
  return bin;
}

/* Waits for a promise and returns its reply (owned by the promise). */
static const GstStructure *
await (GstPromise *promise)
{
  fail_unless_equals_int (gst_promise_wait (promise),
      GST_PROMISE_RESULT_REPLIED);
  return gst_promise_get_reply (promise);
}

static GstRtcSessionDescription *
create_desc (GstElement *bin, const gchar *action, const gchar *field)
{
  GstPromise *promise = gst_promise_new ();
  const GstStructure *reply;
  GstRtcSessionDescription *desc = NULL;
  GError *error = NULL;

  g_signal_emit_by_name (bin, action, NULL, promise);
  reply = await (promise);
  fail_unless (reply != NULL);
  if (gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL))
    fail ("%s failed: %s", action, error->message);
  fail_unless (gst_structure_get (reply, field,
      GST_TYPE_RTC_SESSION_DESCRIPTION, &desc, NULL));
  gst_promise_unref (promise);
  return desc;
}

/* Sets a description; returns the error of the reply, if any. */
static GError *
set_desc (GstElement *bin, const gchar *action, GstRtcSessionDescription *desc)
{
  GstPromise *promise = gst_promise_new ();
  const GstStructure *reply;
  GError *error = NULL;

  g_signal_emit_by_name (bin, action, desc, promise);
  reply = await (promise);
  if (reply)
    gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL);
  gst_promise_unref (promise);
  return error;
}

static void
on_ice_candidate (GstElement *bin, guint mline, const gchar *candidate,
    GstElement *peer)
{
  g_signal_emit_by_name (peer, "add-ice-candidate", mline, candidate);
}

/* Polls a property until it has one of two values, within @ms. */
static gboolean
wait_state (GstElement *bin, const gchar *prop, gint want1, gint want2,
    guint64 ms)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;

  while (g_get_monotonic_time () < end) {
    gint v;

    g_object_get (bin, prop, &v, NULL);
    if (v == want1 || v == want2)
      return TRUE;
    g_usleep (5000);
  }
  return FALSE;
}

static gint
get_enum (GstElement *bin, const gchar *prop)
{
  gint v;

  g_object_get (bin, prop, &v, NULL);
  return v;
}

static void
count_signal (GstElement *bin, gint *count)
{
  g_atomic_int_inc (count);
}

static void
count_transceiver (GstElement *bin, GstRtcRtpTransceiver *trans, gint *count)
{
  fail_unless (GST_IS_RTC_RTP_TRANSCEIVER (trans));
  g_atomic_int_inc (count);
}

/* Runs the whole offer/answer exchange from @a to @b. */
static void
negotiate (GstElement *a, GstElement *b)
{
  GstRtcSessionDescription *offer, *answer;
  GError *error;

  offer = create_desc (a, "create-offer", "offer");
  fail_unless_equals_int (offer->type, GST_RTC_SDP_TYPE_OFFER);
  fail_unless ((error = set_desc (a, "set-local-description", offer)) == NULL);
  fail_unless_equals_int (get_enum (a, "signaling-state"),
      GST_RTC_SIGNALING_STATE_HAVE_LOCAL_OFFER);
  fail_unless ((error = set_desc (b, "set-remote-description", offer)) == NULL);
  fail_unless_equals_int (get_enum (b, "signaling-state"),
      GST_RTC_SIGNALING_STATE_HAVE_REMOTE_OFFER);
  answer = create_desc (b, "create-answer", "answer");
  fail_unless_equals_int (answer->type, GST_RTC_SDP_TYPE_ANSWER);
  fail_unless ((error = set_desc (b, "set-local-description", answer)) == NULL);
  fail_unless (
      (error = set_desc (a, "set-remote-description", answer)) == NULL);
  fail_unless_equals_int (get_enum (a, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);
  fail_unless_equals_int (get_enum (b, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);
  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (answer);
}

GST_START_TEST (test_offer_answer_ice)
{
  GstElement *a = make_bin ("a"), *b = make_bin ("b");
  GstCaps *caps = gst_caps_from_string (OPUS_CAPS);
  GstRtcRtpTransceiver *trans = NULL;
  GstRtcSessionDescription *desc = NULL;
  GArray *arr;
  gint needed = 0, new_a = 0, new_b = 0;
  gchar *mid = NULL;
  guint mline = G_MAXUINT;
  GstRtcKind kind;

  g_signal_connect (a, "on-ice-candidate", G_CALLBACK (on_ice_candidate), b);
  g_signal_connect (b, "on-ice-candidate", G_CALLBACK (on_ice_candidate), a);
  g_signal_connect (a, "on-negotiation-needed", G_CALLBACK (count_signal),
      &needed);
  g_signal_connect (a, "on-new-transceiver", G_CALLBACK (count_transceiver),
      &new_a);
  g_signal_connect (b, "on-new-transceiver", G_CALLBACK (count_transceiver),
      &new_b);

  g_signal_emit_by_name (a, "add-transceiver",
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, caps, &trans);
  fail_unless (trans != NULL);
  fail_unless_equals_int (g_atomic_int_get (&new_a), 1);
  gst_object_unref (trans);

  negotiate (a, b);
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
  fail_unless (wait_state (a, "ice-connection-state",
      GST_RTC_ICE_CONNECTION_STATE_CONNECTED,
      GST_RTC_ICE_CONNECTION_STATE_COMPLETED, 10000));
  fail_unless (wait_state (b, "ice-connection-state",
      GST_RTC_ICE_CONNECTION_STATE_CONNECTED,
      GST_RTC_ICE_CONNECTION_STATE_COMPLETED, 10000));
  fail_unless (wait_state (a, "ice-gathering-state",
      GST_RTC_ICE_GATHERING_STATE_COMPLETE,
      GST_RTC_ICE_GATHERING_STATE_COMPLETE, 10000));

  gst_caps_unref (caps);
  gst_object_unref (a);
  gst_object_unref (b);
}

GST_END_TEST;

GST_START_TEST (test_wrong_state)
{
  GstElement *a = make_bin ("a"), *b = make_bin ("b");
  GstCaps *caps = gst_caps_from_string (OPUS_CAPS);
  GstRtcRtpTransceiver *trans = NULL;
  GstRtcSessionDescription *offer, *answer;
  GstPromise *promise;
  const GstStructure *reply;
  GError *error = NULL;

  g_signal_emit_by_name (a, "add-transceiver",
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, caps, &trans);
  gst_object_unref (trans);

  /* No remote offer: nothing to answer. */
  promise = gst_promise_new ();
  g_signal_emit_by_name (a, "create-answer", NULL, promise);
  reply = await (promise);
  fail_unless (gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL));
  fail_unless (
      g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE));
  g_clear_error (&error);
  gst_promise_unref (promise);

  offer = create_desc (a, "create-offer", "offer");
  fail_unless (set_desc (b, "set-remote-description", offer) == NULL);
  answer = create_desc (b, "create-answer", "answer");

  /* An answer while a is stable: refused, state unchanged. */
  error = set_desc (a, "set-remote-description", answer);
  fail_unless (error != NULL);
  fail_unless (
      g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE));
  fail_unless (strstr (error->message, "answer") != NULL, "%s", error->message);
  fail_unless (strstr (error->message, "stable") != NULL, "%s", error->message);
  g_clear_error (&error);
  fail_unless_equals_int (get_enum (a, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);

  /* A local offer on b while it holds a remote one is refused too. */
  error = set_desc (b, "set-local-description", offer);
  fail_unless (
      g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE));
  g_clear_error (&error);

  /* The normal order still works afterwards. */
  fail_unless (set_desc (a, "set-local-description", offer) == NULL);
  fail_unless (set_desc (a, "set-remote-description", answer) == NULL);
  fail_unless_equals_int (get_enum (a, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);

  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (answer);
  gst_caps_unref (caps);
  gst_object_unref (a);
  gst_object_unref (b);
}

GST_END_TEST;

/* Operations queued behind a slow one run in order, and those queued
 * when the element goes away are still answered. */
GST_START_TEST (test_promises_answered_on_dispose)
{
  GstElement *a = make_bin ("a");
  GstCaps *caps = gst_caps_from_string (OPUS_CAPS);
  GstRtcRtpTransceiver *trans = NULL;
  GstPromise *promises[16];
  guint i, offers = 0, closed = 0;

  g_signal_emit_by_name (a, "add-transceiver",
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, caps, &trans);
  gst_object_unref (trans);
  for (i = 0; i < G_N_ELEMENTS (promises); i++) {
    promises[i] = gst_promise_new ();
    g_signal_emit_by_name (a, "create-offer", NULL, promises[i]);
  }
  gst_object_unref (a);

  /* Each is answered: with an offer if it ran before the element went,
   * else with a "closed" error; once answered "closed", all later ones
   * are too. */
  for (i = 0; i < G_N_ELEMENTS (promises); i++) {
    const GstStructure *reply = await (promises[i]);
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
  gst_caps_unref (caps);
}

GST_END_TEST;

GST_START_TEST (test_bad_input)
{
  GstElement *a = make_bin ("a");
  GstRtcRtpTransceiver *trans = NULL;
  GstCaps *caps = gst_caps_from_string ("application/x-rtp");
  GError *error;
  GstSDPMessage *sdp;
  GstRtcSessionDescription *desc;

  /* No media kind: refused. */
  g_signal_emit_by_name (a, "add-transceiver",
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, caps, &trans);
  fail_unless (trans == NULL);

  /* An SDP that is no valid offer: a clear error, state unchanged. */
  gst_sdp_message_new_from_text ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n"
                                 "t=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 96\r\n",
      &sdp);
  desc = gst_rtc_session_description_new (GST_RTC_SDP_TYPE_OFFER, sdp);
  error = set_desc (a, "set-remote-description", desc);
  fail_unless (error != NULL);
  g_clear_error (&error);
  fail_unless_equals_int (get_enum (a, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);

  /* Garbage candidates are dropped. */
  g_signal_emit_by_name (a, "add-ice-candidate", 0, "candidate:garbage");
  g_signal_emit_by_name (a, "add-ice-candidate", 7, "\x01\x02");

  gst_rtc_session_description_free (desc);
  gst_caps_unref (caps);
  gst_object_unref (a);
}

GST_END_TEST;

typedef struct {
  GstElement *pipeline;
  gint audio;
  gint video;
} MediaCounts;

static void
on_audio_handoff (GstElement *sink, GstBuffer *buf, GstPad *pad, MediaCounts *c)
{
  g_atomic_int_inc (&c->audio);
}

static void
on_video_handoff (GstElement *sink, GstBuffer *buf, GstPad *pad, MediaCounts *c)
{
  g_atomic_int_inc (&c->video);
}

/* Decodes whatever a src pad carries, by its negotiated caps. */
static void
on_any_src_pad (GstElement *bin, GstPad *pad, MediaCounts *c)
{
  GstElement *depay, *dec, *sink;
  GstCaps *caps;
  gboolean opus;
  GstPad *sinkpad;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  caps = gst_pad_get_current_caps (pad);
  if (!caps)
    caps = gst_pad_query_caps (pad, NULL);
  opus = g_strcmp0 (gst_structure_get_string (gst_caps_get_structure (caps, 0),
                        "encoding-name"),
             "OPUS")
      == 0;
  gst_caps_unref (caps);

  depay = gst_element_factory_make (opus ? "rtpopusdepay" : "rtpvp8depay",
      NULL);
  dec = gst_element_factory_make (opus ? "opusdec" : "vp8dec", NULL);
  sink = gst_element_factory_make ("fakesink", NULL);
  g_object_set (sink, "signal-handoffs", TRUE, "sync", FALSE, "async", FALSE,
      NULL);
  g_signal_connect (sink, "handoff",
      opus ? G_CALLBACK (on_audio_handoff) : G_CALLBACK (on_video_handoff), c);
  gst_bin_add_many (GST_BIN (c->pipeline), depay, dec, sink, NULL);
  fail_unless (gst_element_link_many (depay, dec, sink, NULL));
  gst_element_sync_state_with_parent (sink);
  gst_element_sync_state_with_parent (dec);
  gst_element_sync_state_with_parent (depay);
  sinkpad = gst_element_get_static_pad (depay, "sink");
  fail_unless_equals_int (gst_pad_link (pad, sinkpad), GST_PAD_LINK_OK);
  gst_object_unref (sinkpad);
}

static void
flag_signal (GstElement *bin, gint *flag)
{
  g_atomic_int_set (flag, 1);
}

static gboolean
wait_flag (gint *flag, guint64 ms)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;

  while (!g_atomic_int_get (flag) && g_get_monotonic_time () < end)
    g_usleep (5000);
  return g_atomic_int_get (flag);
}

/* A payloader linked to a's sink pad makes the transceiver: negotiation
 * is needed, offer/answer and trickle run, ICE and DTLS connect, and b
 * exposes a src pad whose decrypted Opus decodes. */
GST_START_TEST (test_audio_call)
{
  GstElement *pa, *pb, *a, *b;
  MediaCounts r = { 0 };
  gint needed = 0;
  gint64 end;
  GError *error = NULL;

  pa = gst_parse_launch ("audiotestsrc is-live=true ! opusenc ! "
                         "rtpopuspay ! rtcbin name=a",
      &error);
  fail_unless (pa != NULL, "%s", error ? error->message : "");
  pb = gst_pipeline_new ("pb");
  b = make_bin ("b");
  g_object_set (b, "latency", 100, NULL);
  gst_bin_add (GST_BIN (pb), b);
  a = gst_bin_get_by_name (GST_BIN (pa), "a");
  {
    const gchar *loopback[] = { "127.0.0.1", NULL };
    g_object_set (a, "local-addresses", loopback, NULL);
  }
  r.pipeline = pb;

  g_signal_connect (a, "on-ice-candidate", G_CALLBACK (on_ice_candidate), b);
  g_signal_connect (b, "on-ice-candidate", G_CALLBACK (on_ice_candidate), a);
  g_signal_connect (a, "on-negotiation-needed", G_CALLBACK (flag_signal),
      &needed);
  g_signal_connect (b, "pad-added", G_CALLBACK (on_any_src_pad), &r);

  fail_unless (gst_element_set_state (pb, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);
  fail_unless (gst_element_set_state (pa, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);

  fail_unless (wait_flag (&needed, 5000));
  negotiate (a, b);

  fail_unless (wait_state (a, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED,
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));
  fail_unless (wait_state (b, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED,
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));

  end = g_get_monotonic_time () + RTC_TEST_MS (10000) * 1000;
  while (g_atomic_int_get (&r.audio) < 25 && g_get_monotonic_time () < end)
    g_usleep (10000);
  /* Counted only behind an Opus decoder, which the pad's caps chose. */
  fail_unless (g_atomic_int_get (&r.audio) >= 25, "decoded %d",
      g_atomic_int_get (&r.audio));
  fail_unless_equals_int (g_atomic_int_get (&r.video), 0);

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
  const gchar *loopback[] = { "127.0.0.1", NULL };

  pa = gst_parse_launch ("audiotestsrc is-live=true ! opusenc ! "
                         "rtpopuspay ! rtcbin name=a",
      &error);
  fail_unless (pa != NULL);
  a = gst_bin_get_by_name (GST_BIN (pa), "a");
  g_object_set (a, "local-addresses", loopback, NULL);
  pb = gst_pipeline_new ("pb");
  b = make_bin ("b");
  gst_bin_add (GST_BIN (pb), b);
  g_signal_connect (a, "on-ice-candidate", G_CALLBACK (on_ice_candidate), b);
  g_signal_connect (b, "on-ice-candidate", G_CALLBACK (on_ice_candidate), a);
  g_signal_connect (a, "on-negotiation-needed", G_CALLBACK (flag_signal),
      &needed);
  gst_element_set_state (pb, GST_STATE_PLAYING);
  gst_element_set_state (pa, GST_STATE_PLAYING);
  fail_unless (wait_flag (&needed, 5000));

  offer = create_desc (a, "create-offer", "offer");
  fail_unless (set_desc (a, "set-local-description", offer) == NULL);
  fail_unless (set_desc (b, "set-remote-description", offer) == NULL);
  answer = create_desc (b, "create-answer", "answer");
  fail_unless (set_desc (b, "set-local-description", answer) == NULL);
  /* a's own fingerprint: valid syntax, wrong certificate. */
  fp = get_fingerprint (offer);
  fail_unless (fp != NULL);
  set_fingerprint (answer, fp);
  g_free (fp);
  fail_unless (set_desc (a, "set-remote-description", answer) == NULL);

  fail_unless (
      wait_state (a, "connection-state", GST_RTC_PEER_CONNECTION_STATE_FAILED,
          GST_RTC_PEER_CONNECTION_STATE_FAILED, 10000));
  bus = gst_element_get_bus (pa);
  msg = gst_bus_timed_pop_filtered (bus, RTC_TEST_MS (5000) * GST_MSECOND,
      GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  gst_object_unref (bus);
  fail_if (get_enum (a, "connection-state")
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

static guint
n_transceivers (GstElement *bin)
{
  GArray *arr;
  guint n;

  g_signal_emit_by_name (bin, "get-transceivers", &arr);
  n = arr->len;
  g_array_unref (arr);
  return n;
}

static gboolean
wait_transceivers (GstElement *bin, guint n, guint64 ms)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;

  while (n_transceivers (bin) < n && g_get_monotonic_time () < end)
    g_usleep (5000);
  return n_transceivers (bin) >= n;
}

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
  MediaCounts ca = { 0 }, cb = { 0 };
  GError *error = NULL;
  const gchar *loopback[] = { "127.0.0.1", NULL };
  gint64 end;

  pa = gst_parse_launch ("audiotestsrc is-live=true ! opusenc ! rtpopuspay ! "
                         "rtcbin name=a " VP8_SEND "a.",
      &error);
  fail_unless (pa != NULL, "%s", error ? error->message : "");
  pb = gst_parse_launch (VP8_SEND "rtcbin name=b", &error);
  fail_unless (pb != NULL, "%s", error ? error->message : "");
  a = gst_bin_get_by_name (GST_BIN (pa), "a");
  b = gst_bin_get_by_name (GST_BIN (pb), "b");
  g_object_set (a, "local-addresses", loopback, NULL);
  g_object_set (b, "local-addresses", loopback, NULL);
  ca.pipeline = pa;
  cb.pipeline = pb;
  g_signal_connect (a, "on-ice-candidate", G_CALLBACK (on_ice_candidate), b);
  g_signal_connect (b, "on-ice-candidate", G_CALLBACK (on_ice_candidate), a);
  g_signal_connect (a, "pad-added", G_CALLBACK (on_any_src_pad), &ca);
  g_signal_connect (b, "pad-added", G_CALLBACK (on_any_src_pad), &cb);

  gst_element_set_state (pa, GST_STATE_PLAYING);
  gst_element_set_state (pb, GST_STATE_PLAYING);
  fail_unless (wait_transceivers (a, 2, 5000));
  fail_unless (wait_transceivers (b, 1, 5000));
  negotiate (a, b);
  /* b's video transceiver was reused, not duplicated. */
  fail_unless_equals_int (n_transceivers (b), 2);

  fail_unless (wait_state (a, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED,
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));
  fail_unless (wait_state (b, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED,
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
  GstElement *a = make_bin ("a"), *b = make_bin ("b");
  GstCaps *caps = gst_caps_from_string ("application/x-rtp,media=video,"
                                        "encoding-name=VP8,clock-rate=90000,"
                                        "payload=96");
  GstRtcRtpTransceiver *trans = NULL;
  GstRtcSessionDescription *offer, *answer;
  GstSDPMedia *m;

  g_signal_emit_by_name (a, "add-transceiver",
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, caps, &trans);
  gst_object_unref (trans);
  offer = create_desc (a, "create-offer", "offer");
  fail_unless (has_attribute (offer, "rtcp-fb", " nack pli"));
  fail_if (has_attribute (offer, "rtcp-fb", " transport-cc"));
  fail_if (has_attribute (offer, "rtcp-fb", " goog-remb"));
  fail_if (has_attribute (offer, "extmap", TWCC_URI));

  /* A browser's offer has them all: the answer leaves them out. */
  m = (GstSDPMedia *)gst_sdp_message_get_media (offer->sdp, 0);
  gst_sdp_media_add_attribute (m, "extmap", "3 " TWCC_URI);
  gst_sdp_media_add_attribute (m, "rtcp-fb", "96 transport-cc");
  gst_sdp_media_add_attribute (m, "rtcp-fb", "96 goog-remb");
  fail_unless (set_desc (b, "set-remote-description", offer) == NULL);
  answer = create_desc (b, "create-answer", "answer");
  fail_unless (has_attribute (answer, "rtcp-fb", " nack pli"));
  fail_if (has_attribute (answer, "rtcp-fb", " transport-cc"));
  fail_if (has_attribute (answer, "rtcp-fb", " goog-remb"));
  fail_if (has_attribute (answer, "extmap", TWCC_URI));
  fail_unless (set_desc (b, "set-local-description", answer) == NULL);

  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (answer);
  gst_caps_unref (caps);
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

GST_CHECK_MAIN (rtcbin);
