/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Data channel throughput: one reliable ordered channel between two
 * peers in one process, SCTP over our DTLS pair (rtcdtlssrtpenc/dec,
 * crossed through queues), the sender as fast as flow control allows.
 * Ours: rtcsctpenc/dec, paced by buffered-amount. Reference:
 * gst-plugins-bad's sctpenc/sctpdec on the same DTLS pair, paced by its
 * blocking sink pad (appsrc block=true).
 */
#include <gst/gst.h>
#include <gst/rtc/rtc.h>
#include <string.h>

#include "benchutil.h"

static gdouble seconds = 3.0;

typedef struct {
  GstElement *pipeline;
  GstElement *enc_a, *enc_b; /* the two SCTP encoders */
  GstElement *dtls[4];
  gint64 rx_bytes, rx_msgs; /* atomic */
} Pair;

static gboolean
wait_until (gboolean (*cond) (Pair *), Pair *p, guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (!cond (p)) {
    if (g_get_monotonic_time () > end)
      return FALSE;
    g_usleep (1000);
  }
  return TRUE;
}

static gboolean
dtls_connected (Pair *p)
{
  guint i;

  for (i = 0; i < 4; i++) {
    gint state;
    g_object_get (p->dtls[i], "connection-state", &state, NULL);
    if (state != GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED)
      return FALSE;
  }
  return TRUE;
}

/* @sctp: the description of the SCTP elements (encoders se_a, se_b; the
 * decoders linked from dd_a.data_src and dd_b.data_src). */
static void
pair_start (Pair *p, const gchar *sctp)
{
  static gint n;
  gchar *desc;
  GError *error = NULL;
  guint i;
  const gchar *names[] = { "de_a", "dd_a", "de_b", "dd_b" };

  n++;
  desc = g_strdup_printf ("rtcdtlssrtpenc name=de_a connection-id=ba%d "
                          "is-client=true "
                          "rtcdtlssrtpdec name=dd_a connection-id=ba%d "
                          "rtcdtlssrtpenc name=de_b connection-id=bb%d "
                          "is-client=false "
                          "rtcdtlssrtpdec name=dd_b connection-id=bb%d "
                          "de_a. ! queue max-size-buffers=0 max-size-time=0 "
                          "max-size-bytes=4194304 ! dd_b. "
                          "de_b. ! queue max-size-buffers=0 max-size-time=0 "
                          "max-size-bytes=4194304 ! dd_a. "
                          "dd_a.rtp_src ! fakesink async=false dd_a.rtcp_src ! "
                          "fakesink "
                          "async=false dd_b.rtp_src ! fakesink async=false "
                          "dd_b.rtcp_src ! "
                          "fakesink async=false %s",
      n, n, n, n, sctp);
  p->pipeline = gst_parse_launch (desc, &error);
  if (!p->pipeline)
    bench_fail ("pipeline: %s", error->message);
  g_free (desc);
  for (i = 0; i < 4; i++) {
    p->dtls[i] = gst_bin_get_by_name (GST_BIN (p->pipeline), names[i]);
    gst_object_unref (p->dtls[i]);
  }
  p->enc_a = gst_bin_get_by_name (GST_BIN (p->pipeline), "se_a");
  p->enc_b = gst_bin_get_by_name (GST_BIN (p->pipeline), "se_b");
  gst_object_unref (p->enc_a);
  gst_object_unref (p->enc_b);
  /* SCTP starts once DTLS is up, as rtcbin and webrtcbin do. */
  gst_element_set_locked_state (p->enc_a, TRUE);
  gst_element_set_locked_state (p->enc_b, TRUE);
  gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
  if (!wait_until (dtls_connected, p, 5000))
    bench_fail ("DTLS did not connect");
  gst_element_set_locked_state (p->enc_a, FALSE);
  gst_element_set_locked_state (p->enc_b, FALSE);
  gst_element_sync_state_with_parent (p->enc_a);
  gst_element_sync_state_with_parent (p->enc_b);
}

static void
pair_stop (Pair *p)
{
  gst_element_set_state (p->pipeline, GST_STATE_NULL);
  gst_object_unref (p->pipeline);
}

typedef struct {
  gdouble mb_per_s, msgs_per_s, cpu_s_per_mb;
} Result;

/* ---- ours ---- */

typedef struct {
  GMutex lock;
  GCond cond;
} Low;

static void
on_low (GstRtcDataChannel *ch, Low *low)
{
  g_mutex_lock (&low->lock);
  g_cond_signal (&low->cond);
  g_mutex_unlock (&low->lock);
}

static void
on_data (GstRtcDataChannel *ch, GBytes *data, Pair *p)
{
  g_atomic_pointer_add (&p->rx_bytes, g_bytes_get_size (data));
  g_atomic_pointer_add (&p->rx_msgs, 1);
}

static void
on_data_channel (GstElement *enc, GstRtcDataChannel *ch, Pair *p)
{
  g_signal_connect (ch, "on-message-data", G_CALLBACK (on_data), p);
}

static gboolean
ours_connected (Pair *p)
{
  GstRtcSctpTransportState a, b;

  g_object_get (p->enc_a, "state", &a, NULL);
  g_object_get (p->enc_b, "state", &b, NULL);
  return a == GST_RTC_SCTP_TRANSPORT_STATE_CONNECTED
      && b == GST_RTC_SCTP_TRANSPORT_STATE_CONNECTED;
}

static Result
run_ours (gsize msg_size)
{
  Pair p = { 0 };
  GstRtcDataChannel *ch;
  Low low;
  GBytes *msg = g_bytes_new_take (g_malloc0 (msg_size), msg_size);
  guint64 high = 1024 * 1024;
  gdouble t0, c0, t, c;
  gint64 rx0;
  Result r;

  g_mutex_init (&low.lock);
  g_cond_init (&low.cond);
  pair_start (&p,
      "rtcsctpenc name=se_a sctp-association-id=101 is-client=true "
      "remote-max-message-size=262144 ! de_a.data_sink "
      "rtcsctpenc name=se_b sctp-association-id=102 is-client=false "
      "remote-max-message-size=262144 ! de_b.data_sink "
      "dd_a.data_src ! rtcsctpdec sctp-association-id=101 "
      "dd_b.data_src ! rtcsctpdec sctp-association-id=102");
  g_signal_connect (p.enc_b, "on-data-channel", G_CALLBACK (on_data_channel),
      &p);
  if (!wait_until (ours_connected, &p, 5000))
    bench_fail ("our association did not connect");
  g_signal_emit_by_name (p.enc_a, "create-data-channel", "bench", NULL, &ch);
  g_object_set (ch, "buffered-amount-low-threshold", high / 2, NULL);
  g_signal_connect (ch, "on-buffered-amount-low", G_CALLBACK (on_low), &low);
  while (gst_rtc_data_channel_get_ready_state (ch)
      != GST_RTC_DATA_CHANNEL_STATE_OPEN)
    g_usleep (1000);

  rx0 = g_atomic_pointer_get (&p.rx_bytes);
  t0 = bench_clock_seconds (CLOCK_MONOTONIC);
  c0 = bench_clock_seconds (CLOCK_PROCESS_CPUTIME_ID);
  while (bench_clock_seconds (CLOCK_MONOTONIC) - t0 < seconds) {
    if (gst_rtc_data_channel_get_buffered_amount (ch) >= high) {
      gint64 until = g_get_monotonic_time () + 10 * G_TIME_SPAN_MILLISECOND;
      g_mutex_lock (&low.lock);
      if (gst_rtc_data_channel_get_buffered_amount (ch) >= high)
        g_cond_wait_until (&low.cond, &low.lock, until);
      g_mutex_unlock (&low.lock);
      continue;
    }
    if (!gst_rtc_data_channel_send_data_full (ch, msg, NULL))
      bench_fail ("send failed");
  }
  t = bench_clock_seconds (CLOCK_MONOTONIC) - t0;
  c = bench_clock_seconds (CLOCK_PROCESS_CPUTIME_ID) - c0;
  r.mb_per_s = (g_atomic_pointer_get (&p.rx_bytes) - rx0) / 1e6 / t;
  r.msgs_per_s = r.mb_per_s * 1e6 / msg_size;
  r.cpu_s_per_mb = c / (r.mb_per_s * t);
  if (r.mb_per_s <= 0)
    bench_fail ("nothing received");

  g_signal_handlers_disconnect_by_data (ch, &low);
  gst_object_unref (ch);
  pair_stop (&p);
  g_bytes_unref (msg);
  g_mutex_clear (&low.lock);
  g_cond_clear (&low.cond);
  return r;
}

/* ---- gst-plugins-bad ---- */

static gint established;

static void
on_established (GstElement *enc, gboolean up, gpointer data)
{
  if (up)
    g_atomic_int_inc (&established);
}

static gboolean
bad_connected (Pair *p)
{
  return g_atomic_int_get (&established) >= 2;
}

static void
on_handoff (GstElement *sink, GstBuffer *buf, GstPad *pad, Pair *p)
{
  g_atomic_pointer_add (&p->rx_bytes, gst_buffer_get_size (buf));
  g_atomic_pointer_add (&p->rx_msgs, 1);
}

static void
on_pad_added (GstElement *dec, GstPad *pad, Pair *p)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  GstPad *sinkpad;

  g_object_set (sink, "signal-handoffs", TRUE, "sync", FALSE, "async", FALSE,
      NULL);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), p);
  gst_bin_add (GST_BIN (p->pipeline), sink);
  gst_element_sync_state_with_parent (sink);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  gst_pad_link (pad, sinkpad);
  gst_object_unref (sinkpad);
}

static Result
run_bad (gsize msg_size)
{
  Pair p = { 0 };
  GstElement *src, *dec_b;
  GstPad *sinkpad, *srcpad;
  GstCaps *caps;
  GstPadTemplate *templ;
  gdouble t0, c0, t, c;
  gint64 rx0;
  Result r;
  guint8 *payload = g_malloc0 (msg_size);

  g_atomic_int_set (&established, 0);
  pair_start (&p,
      "sctpenc name=se_a sctp-association-id=201 remote-sctp-port=5000 ! "
      "de_a.data_sink "
      "sctpenc name=se_b sctp-association-id=202 remote-sctp-port=5000 ! "
      "de_b.data_sink "
      "dd_a.data_src ! sctpdec sctp-association-id=201 local-sctp-port=5000 "
      "dd_b.data_src ! sctpdec name=sd_b sctp-association-id=202 "
      "local-sctp-port=5000");
  /* pair_start set the encoders playing; connect before they are. */
  g_signal_connect (p.enc_a, "sctp-association-established",
      G_CALLBACK (on_established), NULL);
  g_signal_connect (p.enc_b, "sctp-association-established",
      G_CALLBACK (on_established), NULL);
  dec_b = gst_bin_get_by_name (GST_BIN (p.pipeline), "sd_b");
  g_signal_connect (dec_b, "pad-added", G_CALLBACK (on_pad_added), &p);
  gst_object_unref (dec_b);
  if (!wait_until (bad_connected, &p, 5000))
    bench_fail ("gst-plugins-bad's association did not connect");

  /* Stream 0, binary PPID 53, reliable and ordered (from the pad caps). */
  caps = gst_caps_from_string ("application/data, ppid=(uint)53, "
                               "ordered=(boolean)true");
  templ = gst_element_get_pad_template (p.enc_a, "sink_%u");
  sinkpad = gst_element_request_pad (p.enc_a, templ, "sink_0", caps);
  gst_caps_unref (caps);
  if (!sinkpad)
    bench_fail ("sctpenc gave no sink pad");
  src = gst_element_factory_make ("appsrc", NULL);
  g_object_set (src, "block", TRUE, "max-bytes", (guint64)1024 * 1024, "format",
      GST_FORMAT_BYTES, NULL);
  gst_bin_add (GST_BIN (p.pipeline), src);
  srcpad = gst_element_get_static_pad (src, "src");
  gst_pad_link (srcpad, sinkpad);
  gst_object_unref (srcpad);
  gst_element_sync_state_with_parent (src);

  rx0 = g_atomic_pointer_get (&p.rx_bytes);
  t0 = bench_clock_seconds (CLOCK_MONOTONIC);
  c0 = bench_clock_seconds (CLOCK_PROCESS_CPUTIME_ID);
  while (bench_clock_seconds (CLOCK_MONOTONIC) - t0 < seconds) {
    GstFlowReturn ret;
    g_signal_emit_by_name (src, "push-buffer",
        gst_buffer_new_wrapped_full (GST_MEMORY_FLAG_READONLY, payload,
            msg_size, 0, msg_size, NULL, NULL),
        &ret);
  }
  t = bench_clock_seconds (CLOCK_MONOTONIC) - t0;
  c = bench_clock_seconds (CLOCK_PROCESS_CPUTIME_ID) - c0;
  r.mb_per_s = (g_atomic_pointer_get (&p.rx_bytes) - rx0) / 1e6 / t;
  r.msgs_per_s = r.mb_per_s * 1e6 / msg_size;
  r.cpu_s_per_mb = r.mb_per_s > 0 ? c / (r.mb_per_s * t) : -1;

  gst_element_release_request_pad (p.enc_a, sinkpad);
  gst_object_unref (sinkpad);
  pair_stop (&p);
  g_free (payload);
  return r;
}

int
main (int argc, char **argv)
{
  GOptionEntry entries[] = { { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds,
                                 "seconds per measurement (3)", NULL },
    { NULL } };
  GOptionContext *ctx = g_option_context_new ("- data channel benchmark");
  GError *error = NULL;
  gboolean have_bad;
  Result ours_big, ours_small, bad_big = { -1, -1, -1 },
                               bad_small = { -1, -1, -1 };
  GstElementFactory *f;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    bench_fail ("%s", error->message);
  g_option_context_free (ctx);

  f = gst_element_factory_find ("sctpenc");
  have_bad = f != NULL;
  g_clear_object (&f);

  /* usrsctp is one stack per process: gst-plugins-bad's elements init
   * and finish it themselves, so they run first, each finishing before
   * the next user starts it again. */
  if (have_bad) {
    bad_big = run_bad (64 * 1024);
    bad_small = run_bad (100);
  }
  ours_big = run_ours (64 * 1024);
  ours_small = run_ours (100);

  g_print ("\none reliable ordered channel, %.0f s each, over our DTLS pair\n",
      seconds);
  bench_print_header ("bad");
  bench_print_row ("MB/s, 64 KiB messages", ours_big.mb_per_s, bad_big.mb_per_s,
      "%.1f", bench_met (ours_big.mb_per_s >= 100) /* goal: >= 100 MB/s */);
  bench_print_row ("CPU-s per MB, 64 KiB messages", ours_big.cpu_s_per_mb,
      bad_big.cpu_s_per_mb, "%.4f", "all threads");
  bench_print_row ("msgs/s, 100 B messages", ours_small.msgs_per_s,
      bad_small.msgs_per_s, "%.0f",
      bench_met (ours_small.msgs_per_s >= 100000) /* goal: >= 100k */);
  bench_print_row ("CPU-s per MB, 100 B messages", ours_small.cpu_s_per_mb,
      bad_small.cpu_s_per_mb, "%.3f", "all threads");
  if (!have_bad)
    g_print ("gst-plugins-bad's sctpenc/sctpdec not found: no reference\n");
  return 0;
}
