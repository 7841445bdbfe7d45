/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An rtcbin in a pipeline of its own that sends Opus and decodes what it
 * receives, and the signalling checks the tests of such peers share.
 */
#pragma once

#include "rtcbintest.h"

#include <string.h>

#define RTCBIN_TEST_OPUS_SEND \
  "audiotestsrc is-live=true ! opusenc ! rtpopuspay ! "

typedef struct {
  GstElement *pipe;
  GstElement *bin;
  RtcBinTestCounts counts;
} RtcBinTestPeer;

/* A pipeline sending Opus into rtcbin @name and decoding what it gets. */
static inline void
rtcbin_test_opus_peer_init (RtcBinTestPeer *p, const gchar *name)
{
  gchar *desc = g_strdup_printf (RTCBIN_TEST_OPUS_SEND "rtcbin name=%s", name);
  GError *error = NULL;

  p->pipe = gst_parse_launch (desc, &error);
  fail_unless (p->pipe != NULL, "%s", error ? error->message : "");
  g_free (desc);
  p->bin = gst_bin_get_by_name (GST_BIN (p->pipe), name);
  rtcbin_test_restrict (p->bin);
  memset (&p->counts, 0, sizeof (p->counts));
  p->counts.pipeline = p->pipe;
  g_signal_connect (p->bin, "pad-added", G_CALLBACK (rtcbin_test_decode_pad),
      &p->counts);
}

static inline void
rtcbin_test_peer_clear (RtcBinTestPeer *p)
{
  fail_unless_equals_int (g_atomic_int_get (&p->counts.link_failures), 0);
  gst_element_set_state (p->pipe, GST_STATE_NULL);
  gst_object_unref (p->bin);
  gst_object_unref (p->pipe);
}

/* Candidates trickled between @a and @b, both pipelines playing. */
static inline void
rtcbin_test_peers_start (RtcBinTestPeer *a, RtcBinTestPeer *b)
{
  rtcbin_test_trickle (a->bin, b->bin);
  fail_if (gst_element_set_state (a->pipe, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE);
  fail_if (gst_element_set_state (b->pipe, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE);
}

/* Both sides decode at least @n more Opus buffers than now. */
static inline void
rtcbin_test_peers_wait_audio (RtcBinTestPeer *a, RtcBinTestPeer *b, gint n)
{
  gint at = g_atomic_int_get (&a->counts.audio);
  gint bt = g_atomic_int_get (&b->counts.audio);

  fail_unless (rtcbin_test_wait_int (&a->counts.audio, at + n, 10000),
      "a decoded %d, had %d", a->counts.audio, at);
  fail_unless (rtcbin_test_wait_int (&b->counts.audio, bt + n, 10000),
      "b decoded %d, had %d", b->counts.audio, bt);
}

/* @error is a GstRtcError @code whose message names @word1 (and @word2,
 * unless %NULL); frees it. */
static inline void
rtcbin_test_check_error (GError *error, gint code, const gchar *word1,
    const gchar *word2)
{
  fail_unless (error != NULL, "no error");
  fail_unless (error->domain == GST_RTC_ERROR, "%s", error->message);
  fail_unless_equals_int (error->code, code);
  fail_unless (strstr (error->message, word1) != NULL, "%s", error->message);
  fail_unless (!word2 || strstr (error->message, word2) != NULL, "%s",
      error->message);
  g_error_free (error);
}

/* set-local-description with @desc (%NULL, or a type without SDP: the
 * implicit form). Returns the applied description (the reply's `offer`
 * or `answer`), or %NULL and @error. */
static inline GstRtcSessionDescription *
rtcbin_test_set_implicit (GstElement *bin, GstRtcSessionDescription *desc,
    GError **error)
{
  GstPromise *promise = gst_promise_new ();
  const GstStructure *reply;
  GstRtcSessionDescription *applied = NULL;
  GError *err = NULL;

  g_signal_emit_by_name (bin, "set-local-description", desc, promise);
  reply = rtcbin_test_await (promise);
  fail_unless (reply != NULL);
  if (gst_structure_get (reply, "error", G_TYPE_ERROR, &err, NULL)) {
    fail_unless (error != NULL, "set-local-description: %s", err->message);
    *error = err;
  } else if (!gst_structure_get (reply, "offer",
                 GST_TYPE_RTC_SESSION_DESCRIPTION, &applied, NULL)) {
    fail_unless (gst_structure_get (reply, "answer",
        GST_TYPE_RTC_SESSION_DESCRIPTION, &applied, NULL));
  }
  gst_promise_unref (promise);
  return applied;
}
