/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Helpers for tests driving rtcbin through its action signals.
 */
#pragma once

#include <gst/check/gstcheck.h>
#include <gst/rtc/rtc.h>
#include <string.h>

#include "rtctestutil.h"

#define RTCBIN_TEST_OPUS_CAPS \
  "application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000," \
  "payload=96"
#define RTCBIN_TEST_VP8_CAPS \
  "application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000," \
  "payload=97"

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

/* Waits for a promise; the reply belongs to the promise. */
static inline const GstStructure *
rtcbin_test_await (GstPromise *promise)
{
  fail_unless_equals_int (gst_promise_wait (promise),
      GST_PROMISE_RESULT_REPLIED);
  return gst_promise_get_reply (promise);
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

  g_signal_emit_by_name (bin, action, options, promise);
  reply = rtcbin_test_await (promise);
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

  g_signal_emit_by_name (bin, action, desc, promise);
  reply = rtcbin_test_await (promise);
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

/* The whole exchange from @a to @b; both end stable. */
static inline void
rtcbin_test_negotiate (GstElement *a, GstElement *b)
{
  GstRtcSessionDescription *offer, *answer;
  GError *error;

  offer = rtcbin_test_create (a, "create-offer", NULL, NULL);
  error = rtcbin_test_set (a, "set-local-description", offer);
  fail_unless (error == NULL, "%s", error ? error->message : "");
  error = rtcbin_test_set (b, "set-remote-description", offer);
  fail_unless (error == NULL, "%s", error ? error->message : "");
  answer = rtcbin_test_create (b, "create-answer", NULL, NULL);
  error = rtcbin_test_set (b, "set-local-description", answer);
  fail_unless (error == NULL, "%s", error ? error->message : "");
  error = rtcbin_test_set (a, "set-remote-description", answer);
  fail_unless (error == NULL, "%s", error ? error->message : "");
  fail_unless_equals_int (rtcbin_test_enum (a, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);
  fail_unless_equals_int (rtcbin_test_enum (b, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);
  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (answer);
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

static inline GstRtcRtpTransceiverDirection
rtcbin_test_current_direction (GstElement *bin, guint idx)
{
  GstRtcRtpTransceiver *trans = NULL;
  GstRtcRtpTransceiverDirection dir;

  g_signal_emit_by_name (bin, "get-transceiver", idx, &trans);
  fail_unless (trans != NULL);
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

typedef struct {
  GstElement *pipeline;
  gint audio;
  gint video;
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

/* pad-added: decodes a src pad by its negotiated caps and counts the
 * decoded frames. */
static inline void
rtcbin_test_decode_pad (GstElement *bin, GstPad *pad, RtcBinTestCounts *c)
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
      opus ? G_CALLBACK (rtcbin_test_on_audio)
           : G_CALLBACK (rtcbin_test_on_video),
      c);
  gst_bin_add_many (GST_BIN (c->pipeline), depay, dec, sink, NULL);
  fail_unless (gst_element_link_many (depay, dec, sink, NULL));
  gst_element_sync_state_with_parent (sink);
  gst_element_sync_state_with_parent (dec);
  gst_element_sync_state_with_parent (depay);
  sinkpad = gst_element_get_static_pad (depay, "sink");
  fail_unless_equals_int (gst_pad_link (pad, sinkpad), GST_PAD_LINK_OK);
  gst_object_unref (sinkpad);
}
