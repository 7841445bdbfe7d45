/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Helpers for tests driving rtcbin through its action signals.
 */
#pragma once

#include <gst/check/gstcheck.h>
#include <gst/rtc/rtc.h>
#include <gst/rtp/rtp.h>
#include <string.h>

#include "rtcpromisewait.h"
#include "rtctestutil.h"

#define RTCBIN_TEST_OPUS_CAPS \
  "application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000," \
  "payload=96"
#define RTCBIN_TEST_VP8_CAPS \
  "application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000," \
  "payload=97"

/* ICE credentials and a DTLS fingerprint for hand-written m-lines. */
#define RTCBIN_TEST_SDP_ICE \
  "a=ice-ufrag:Xp4q\r\n" \
  "a=ice-pwd:cM1n4V8i2N1qF8iDd0c2vJ3e\r\n"
#define RTCBIN_TEST_SDP_DTLS \
  "a=fingerprint:sha-256 " \
  "19:E2:1C:3B:4B:9F:81:E6:B8:5C:F4:A5:A8:D8:73:04:BB:05:2F:70:9F:04:A9:" \
  "0E:05:E9:26:33:E8:70:88:A2\r\n" \
  "a=setup:actpass\r\n"

/* Gathering on loopback only. */
static inline void
rtcbin_test_restrict (GstElement *bin)
{
  const gchar *loopback[] = { "127.0.0.1", NULL };

  g_object_set (bin, "local-addresses", loopback, NULL);
}

static inline GstElement *
rtcbin_test_new (const gchar *name)
{
  GstElement *bin = gst_element_factory_make ("rtcbin", name);

  fail_unless (bin != NULL);
  rtcbin_test_restrict (bin);
  return bin;
}

static inline GstRtcRtpTransceiver *
rtcbin_test_add_transceiver (GstElement *bin, GstRtcRtpTransceiverDirection dir,
    const gchar *caps_str)
{
  GstCaps *caps = gst_caps_from_string (caps_str);
  GstRtcRtpTransceiver *trans = NULL;

  g_signal_emit_by_name (bin, "add-transceiver", dir, caps, &trans);
  gst_caps_unref (caps);
  fail_unless (trans != NULL);
  return trans;
}

static inline void
rtcbin_test_count_signal (GstElement *bin, gint *count)
{
  g_atomic_int_inc (count);
}

/* How long (scaled) an action may take to answer its promise. */
#define RTCBIN_TEST_REPLY_MS 20000

/* Waits for a promise, failing the test with @what when no answer came
 * in time; the reply belongs to the promise. */
static inline const GstStructure *
rtcbin_test_await_for (GstPromise *promise, const gchar *what)
{
  fail_unless (rtc_promise_wait (promise, RTCBIN_TEST_REPLY_MS)
          == GST_PROMISE_RESULT_REPLIED,
      "%s: no answer within %" G_GUINT64_FORMAT " ms", what,
      RTC_TEST_MS (RTCBIN_TEST_REPLY_MS));
  return gst_promise_get_reply (promise);
}

#define rtcbin_test_await(promise) rtcbin_test_await_for (promise, G_STRLOC)

/* "@action on @bin", for messages (free it). */
static inline gchar *
rtcbin_test_what (GstElement *bin, const gchar *action)
{
  return g_strdup_printf ("%s on %s", action, GST_ELEMENT_NAME (bin));
}

/* Runs create-offer / create-answer; returns the description or, with
 * @error non-NULL, NULL and the reply's error. */
static inline GstRtcSessionDescription *
rtcbin_test_create (GstElement *bin, const gchar *action,
    const GstStructure *options, GError **error)
{
  GstPromise *promise = gst_promise_new ();
  const GstStructure *reply;
  GstRtcSessionDescription *desc = NULL;
  GError *err = NULL;
  const gchar *field = g_str_equal (action, "create-offer") ? "offer"
                                                            : "answer";
  gchar *what = rtcbin_test_what (bin, action);

  g_signal_emit_by_name (bin, action, options, promise);
  reply = rtcbin_test_await_for (promise, what);
  g_free (what);
  fail_unless (reply != NULL);
  if (gst_structure_get (reply, "error", G_TYPE_ERROR, &err, NULL)) {
    if (!error)
      fail ("%s failed: %s", action, err->message);
    *error = err;
  } else {
    fail_unless (gst_structure_get (reply, field,
        GST_TYPE_RTC_SESSION_DESCRIPTION, &desc, NULL));
  }
  gst_promise_unref (promise);
  return desc;
}

/* Sets a description; returns the reply's error, if any. */
static inline GError *
rtcbin_test_set (GstElement *bin, const gchar *action,
    GstRtcSessionDescription *desc)
{
  GstPromise *promise = gst_promise_new ();
  const GstStructure *reply;
  GError *error = NULL;
  gchar *what = rtcbin_test_what (bin, action);

  g_signal_emit_by_name (bin, action, desc, promise);
  reply = rtcbin_test_await_for (promise, what);
  g_free (what);
  if (reply)
    gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL);
  gst_promise_unref (promise);
  return error;
}

/* A description from SDP text. */
static inline GstRtcSessionDescription *
rtcbin_test_desc (GstRtcSDPType type, const gchar *text)
{
  GstSDPMessage *sdp;

  fail_unless_equals_int (gst_sdp_message_new_from_text (text, &sdp),
      GST_SDP_OK);
  return gst_rtc_session_description_new (type, sdp);
}

static inline gint
rtcbin_test_enum (GstElement *bin, const gchar *prop)
{
  gint v;

  g_object_get (bin, prop, &v, NULL);
  return v;
}

static inline void
rtcbin_test_forward_candidate (GstElement *bin, guint mline,
    const gchar *candidate, GstElement *peer)
{
  g_signal_emit_by_name (peer, "add-ice-candidate", mline, candidate);
}

static inline void
rtcbin_test_trickle (GstElement *a, GstElement *b)
{
  g_signal_connect (a, "on-ice-candidate",
      G_CALLBACK (rtcbin_test_forward_candidate), b);
  g_signal_connect (b, "on-ice-candidate",
      G_CALLBACK (rtcbin_test_forward_candidate), a);
}

static inline void
rtcbin_test_set_ok (GstElement *bin, const gchar *action,
    GstRtcSessionDescription *desc)
{
  GError *error = rtcbin_test_set (bin, action, desc);

  fail_unless (error == NULL, "%s failed: %s", action,
      error ? error->message : "");
}

/* The whole exchange from @a to @b, each step in the state JSEP says;
 * both end stable. With @offer_sdp non-NULL, a copy of the offer's SDP. */
static inline void
rtcbin_test_negotiate_sdp (GstElement *a, GstElement *b,
    GstSDPMessage **offer_sdp)
{
  GstRtcSessionDescription *offer, *answer;

  offer = rtcbin_test_create (a, "create-offer", NULL, NULL);
  fail_unless_equals_int (offer->type, GST_RTC_SDP_TYPE_OFFER);
  if (offer_sdp)
    gst_sdp_message_copy (offer->sdp, offer_sdp);
  rtcbin_test_set_ok (a, "set-local-description", offer);
  fail_unless_equals_int (rtcbin_test_enum (a, "signaling-state"),
      GST_RTC_SIGNALING_STATE_HAVE_LOCAL_OFFER);
  rtcbin_test_set_ok (b, "set-remote-description", offer);
  fail_unless_equals_int (rtcbin_test_enum (b, "signaling-state"),
      GST_RTC_SIGNALING_STATE_HAVE_REMOTE_OFFER);
  answer = rtcbin_test_create (b, "create-answer", NULL, NULL);
  fail_unless_equals_int (answer->type, GST_RTC_SDP_TYPE_ANSWER);
  rtcbin_test_set_ok (b, "set-local-description", answer);
  rtcbin_test_set_ok (a, "set-remote-description", answer);
  fail_unless_equals_int (rtcbin_test_enum (a, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);
  fail_unless_equals_int (rtcbin_test_enum (b, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);
  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (answer);
}

static inline void
rtcbin_test_negotiate (GstElement *a, GstElement *b)
{
  rtcbin_test_negotiate_sdp (a, b, NULL);
}

/* Polls an enum property until it is @want, within @ms (scaled). */
static inline gboolean
rtcbin_test_wait_enum (GstElement *bin, const gchar *prop, gint want,
    guint64 ms)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;

  while (g_get_monotonic_time () < end) {
    if (rtcbin_test_enum (bin, prop) == want)
      return TRUE;
    g_usleep (5000);
  }
  return rtcbin_test_enum (bin, prop) == want;
}

/* ICE connected or completed on @bin within @ms (scaled). */
static inline gboolean
rtcbin_test_wait_ice (GstElement *bin, guint64 ms)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;

  do {
    gint v = rtcbin_test_enum (bin, "ice-connection-state");

    if (v == GST_RTC_ICE_CONNECTION_STATE_CONNECTED
        || v == GST_RTC_ICE_CONNECTION_STATE_COMPLETED)
      return TRUE;
    g_usleep (5000);
  } while (g_get_monotonic_time () < end);
  return FALSE;
}

/* Ends an exchange whose offer @a set as local and @b as remote
 * description: @b sets @answer, @a takes it, ICE connects both sides. */
static inline void
rtcbin_test_finish (GstElement *a, GstElement *b,
    GstRtcSessionDescription *answer)
{
  rtcbin_test_set_ok (b, "set-local-description", answer);
  rtcbin_test_set_ok (a, "set-remote-description", answer);
  fail_unless (rtcbin_test_wait_ice (a, 10000));
  fail_unless (rtcbin_test_wait_ice (b, 10000));
}

static inline gboolean
rtcbin_test_wait_int (gint *value, gint at_least, guint64 ms)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;

  while (g_atomic_int_get (value) < at_least && g_get_monotonic_time () < end)
    g_usleep (5000);
  return g_atomic_int_get (value) >= at_least;
}

/* Every operation queued before this one has run: the chain runs in
 * order, and a create-offer is answered in any state but closed. */
static inline void
rtcbin_test_flush (GstElement *bin)
{
  GstPromise *promise = gst_promise_new ();

  g_signal_emit_by_name (bin, "create-offer", NULL, promise);
  rtcbin_test_await (promise);
  gst_promise_unref (promise);
}

/* get-stats for @pad (all of @bin for %NULL): a copy of the report, or
 * fails with the error it gave. */
static inline GstStructure *
rtcbin_test_get_stats (GstElement *bin, GstPad *pad)
{
  GstPromise *promise = gst_promise_new ();
  const GstStructure *reply;
  GstStructure *copy;
  GError *error = NULL;

  g_signal_emit_by_name (bin, "get-stats", pad, promise);
  reply = rtcbin_test_await (promise);
  fail_unless (reply != NULL);
  if (gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL))
    fail ("get-stats failed: %s", error->message);
  copy = gst_structure_copy (reply);
  gst_promise_unref (promise);
  GST_INFO ("%s: %" GST_PTR_FORMAT, GST_ELEMENT_NAME (bin), copy);
  return copy;
}

/* The stats entry @id of @report, which must be there. */
static inline const GstStructure *
rtcbin_test_stats_entry (const GstStructure *report, const gchar *id)
{
  const GValue *v;

  fail_unless (id != NULL);
  v = gst_structure_get_value (report, id);
  fail_unless (v != NULL, "no entry %s", id);
  return gst_value_get_structure (v);
}

/* Whether m-line @idx of @desc has attribute @key with a value starting
 * with @prefix (any value for %NULL). */
static inline gboolean
rtcbin_test_has_attr (const GstRtcSessionDescription *desc, guint idx,
    const gchar *key, const gchar *prefix)
{
  const GstSDPMedia *m = gst_sdp_message_get_media (desc->sdp, idx);
  guint i;

  fail_unless (m != NULL);
  for (i = 0; i < gst_sdp_media_attributes_len (m); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, i);

    if (g_strcmp0 (a->key, key) == 0
        && (!prefix || (a->value && g_str_has_prefix (a->value, prefix))))
      return TRUE;
  }
  return FALSE;
}

/* Transceiver @idx of @bin, which must be there (unref when done). */
static inline GstRtcRtpTransceiver *
rtcbin_test_get_transceiver (GstElement *bin, guint idx)
{
  GstRtcRtpTransceiver *trans = NULL;

  g_signal_emit_by_name (bin, "get-transceiver", idx, &trans);
  fail_unless (trans != NULL, "no transceiver %u", idx);
  return trans;
}

static inline GstRtcRtpTransceiverDirection
rtcbin_test_current_direction (GstElement *bin, guint idx)
{
  GstRtcRtpTransceiver *trans = rtcbin_test_get_transceiver (bin, idx);
  GstRtcRtpTransceiverDirection dir;

  g_object_get (trans, "current-direction", &dir, NULL);
  gst_object_unref (trans);
  return dir;
}

static inline guint
rtcbin_test_n_transceivers (GstElement *bin)
{
  GArray *arr;
  guint n;

  g_signal_emit_by_name (bin, "get-transceivers", &arr);
  n = arr->len;
  g_array_unref (arr);
  return n;
}

static inline gboolean
rtcbin_test_wait_transceivers (GstElement *bin, guint n, guint64 ms)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;

  while (rtcbin_test_n_transceivers (bin) < n && g_get_monotonic_time () < end)
    g_usleep (5000);
  return rtcbin_test_n_transceivers (bin) >= n;
}

/* What a receiver decoded. The pad-added handler runs in a streaming
 * thread, where a check assertion would break libcheck's no-fork mode:
 * it counts what went wrong for the test thread to check. */
typedef struct {
  GstElement *pipeline;
  gint audio;
  gint video;
  gint pads;
  gint link_failures;
} RtcBinTestCounts;

static inline void
rtcbin_test_on_audio (GstElement *sink, GstBuffer *buf, GstPad *pad,
    RtcBinTestCounts *c)
{
  g_atomic_int_inc (&c->audio);
}

static inline void
rtcbin_test_on_video (GstElement *sink, GstBuffer *buf, GstPad *pad,
    RtcBinTestCounts *c)
{
  g_atomic_int_inc (&c->video);
}

/* Links @pad through @depay (a new element) and decoder @dec into a
 * fakesink in @pipeline whose handoff is @on_frame with @data. Runs in a
 * streaming thread, where a check assertion would break libcheck's
 * no-fork mode: failures are counted in @link_failures instead. */
static inline void
rtcbin_test_decode_chain (GstElement *pipeline, GstPad *pad, GstElement *depay,
    const gchar *dec_name, GCallback on_frame, gpointer data,
    gint *link_failures)
{
  GstElement *dec = gst_element_factory_make (dec_name, NULL);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  GstPad *sinkpad;
  GstPadLinkReturn ret;

  g_object_set (sink, "signal-handoffs", TRUE, "sync", FALSE, "async", FALSE,
      NULL);
  g_signal_connect (sink, "handoff", on_frame, data);
  gst_bin_add_many (GST_BIN (pipeline), depay, dec, sink, NULL);
  if (!gst_element_link_many (depay, dec, sink, NULL))
    g_atomic_int_inc (link_failures);
  gst_element_sync_state_with_parent (sink);
  gst_element_sync_state_with_parent (dec);
  gst_element_sync_state_with_parent (depay);
  sinkpad = gst_element_get_static_pad (depay, "sink");
  ret = gst_pad_link (pad, sinkpad);
  if (ret != GST_PAD_LINK_OK) {
    GST_ERROR ("could not link %s: %s", GST_PAD_NAME (pad),
        gst_pad_link_get_name (ret));
    g_atomic_int_inc (link_failures);
  }
  gst_object_unref (sinkpad);
}

/* pad-added: decodes a src pad by its negotiated caps into c->pipeline
 * and counts the decoded frames. */
static inline void
rtcbin_test_decode_pad (GstElement *bin, GstPad *pad, RtcBinTestCounts *c)
{
  GstCaps *caps;
  gboolean opus;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  g_atomic_int_inc (&c->pads);
  caps = gst_pad_get_current_caps (pad);
  if (!caps)
    caps = gst_pad_query_caps (pad, NULL);
  opus = g_strcmp0 (gst_structure_get_string (gst_caps_get_structure (caps, 0),
                        "encoding-name"),
             "OPUS")
      == 0;
  gst_caps_unref (caps);
  rtcbin_test_decode_chain (c->pipeline, pad,
      gst_element_factory_make (opus ? "rtpopusdepay" : "rtpvp8depay", NULL),
      opus ? "opusdec" : "vp8dec",
      opus ? G_CALLBACK (rtcbin_test_on_audio)
           : G_CALLBACK (rtcbin_test_on_video),
      c, &c->link_failures);
}

/* Drops every 20th VP8 packet (payload type 97, not its RTX), counting
 * them in @dropped. */
static inline gboolean
rtcbin_test_lose (GstBuffer *buf, gint *dropped)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  gboolean drop = FALSE;

  if (gst_rtp_buffer_map (buf, GST_MAP_READ, &rtp)) {
    drop = gst_rtp_buffer_get_payload_type (&rtp) == 97
        && gst_rtp_buffer_get_seq (&rtp) % 20 == 0;
    gst_rtp_buffer_unmap (&rtp);
  }
  if (drop)
    g_atomic_int_inc (dropped);
  return drop;
}

static inline gboolean
rtcbin_test_lose_list_item (GstBuffer **buf, guint idx, gpointer dropped)
{
  if (rtcbin_test_lose (*buf, dropped))
    gst_clear_buffer (buf);
  return TRUE;
}

/* A buffer and buffer-list probe on a sending pad; @dropped: a gint. */
static inline GstPadProbeReturn
rtcbin_test_lose_probe (GstPad *pad, GstPadProbeInfo *info, gpointer dropped)
{
  GstBufferList *list;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    return rtcbin_test_lose (GST_PAD_PROBE_INFO_BUFFER (info), dropped)
        ? GST_PAD_PROBE_DROP
        : GST_PAD_PROBE_OK;
  list = gst_buffer_list_make_writable (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
  gst_buffer_list_foreach (list, rtcbin_test_lose_list_item, dropped);
  GST_PAD_PROBE_INFO_DATA (info) = list;
  return GST_PAD_PROBE_OK;
}
