/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Data channels through rtcbin against gst-plugins-bad's webrtcbin, both
 * set up the same way: two sessions in one pipeline on 127.0.0.1,
 * descriptions through the promises, candidates straight to the peer, a
 * data-channel-only call. gst-plugins-bad's SCTP elements and ours each
 * own usrsctp's one stack per process, so each implementation runs in a
 * child process of its own (this program with --impl), which prints its
 * figures on one line; the parent prints the table.
 *
 * - open: from create-offer until both ends of a channel made before the
 *   offer are open, median of --runs fresh pairs after the process's
 *   first pair, which is reported apart.
 * - throughput: one reliable ordered channel, the sender as fast as
 *   buffered-amount allows (kept under 1 MiB, on-buffered-amount-low at
 *   512 KiB) for --seconds: MB/s with 64 KiB messages, msgs/s with 100 B
 *   messages, and the process's CPU-seconds (all threads, both sessions)
 *   per MB received.
 */
#include <gst/gst.h>
#include <gio/gio.h>
#include <string.h>

#include "benchutil.h"

static gdouble seconds = 3.0;
static gint runs = 7;

#define HIGH_WATER (1024 * 1024)
#define OPEN 2 /* the ready-state of an open channel, in both libraries */

typedef struct {
  GstElement *pipeline, *a, *b;
  gboolean web;
  GMutex lock;
  GCond cond;
  GObject *ch_a, *ch_b;
  gint64 open_a, open_b;
  gint64 rx_bytes, rx_msgs; /* atomic */
  gboolean low;
} Pair;

static void
setup_session (Pair *p, GstElement *bin)
{
  if (!p->web) {
    const gchar *loopback[] = { "127.0.0.1", NULL };

    g_object_set (bin, "local-addresses", loopback, NULL);
  } else {
    GObject *ice = NULL;
    gboolean added = FALSE;

    g_object_set (bin, "bundle-policy", 3 /* max-bundle */, NULL);
    g_object_get (bin, "ice-agent", &ice, NULL);
    g_object_set (ice, "ice-tcp", FALSE, NULL);
    /* libnice leaves loopback out unless it is named. */
    g_signal_emit_by_name (ice, "add-local-ip-address", "127.0.0.1", &added);
    if (!added)
      bench_fail ("webrtcbin refused 127.0.0.1");
    g_object_unref (ice);
  }
}

static void
mark_open (Pair *p, gint64 *at)
{
  g_mutex_lock (&p->lock);
  if (!*at)
    *at = g_get_monotonic_time ();
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

static void
on_open_a (GObject *ch, Pair *p)
{
  mark_open (p, &p->open_a);
}

static void
on_open_b (GObject *ch, Pair *p)
{
  mark_open (p, &p->open_b);
}

static void
on_message_data (GObject *ch, GBytes *data, Pair *p)
{
  g_atomic_pointer_add (&p->rx_bytes, data ? g_bytes_get_size (data) : 0);
  g_atomic_pointer_add (&p->rx_msgs, 1);
}

static void
on_data_channel (GstElement *bin, GObject *ch, Pair *p)
{
  gint state = 0;

  g_mutex_lock (&p->lock);
  if (!p->ch_b)
    p->ch_b = g_object_ref (ch);
  g_mutex_unlock (&p->lock);
  g_signal_connect (ch, "on-open", G_CALLBACK (on_open_b), p);
  g_signal_connect (ch, "on-message-data", G_CALLBACK (on_message_data), p);
  g_object_get (ch, "ready-state", &state, NULL);
  if (state == OPEN)
    mark_open (p, &p->open_b);
}

static void
on_low (GObject *ch, Pair *p)
{
  g_mutex_lock (&p->lock);
  p->low = TRUE;
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

static Pair *
pair_new (const gchar *factory)
{
  Pair *p = g_new0 (Pair, 1);

  p->web = g_str_equal (factory, "webrtcbin");
  g_mutex_init (&p->lock);
  g_cond_init (&p->cond);
  p->pipeline = gst_pipeline_new (NULL);
  p->a = gst_element_factory_make (factory, NULL);
  p->b = gst_element_factory_make (factory, NULL);
  if (!p->a || !p->b)
    bench_fail ("cannot make %s", factory);
  gst_bin_add_many (GST_BIN (p->pipeline), p->a, p->b, NULL);
  setup_session (p, p->a);
  setup_session (p, p->b);
  g_signal_connect (p->a, "on-ice-candidate",
      G_CALLBACK (bench_on_ice_candidate), p->b);
  g_signal_connect (p->b, "on-ice-candidate",
      G_CALLBACK (bench_on_ice_candidate), p->a);
  g_signal_connect (p->b, "on-data-channel", G_CALLBACK (on_data_channel), p);
  if (gst_element_set_state (p->pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE)
    bench_fail ("%s pipeline does not start", factory);
  return p;
}

static void
pair_free (Pair *p)
{
  if (p->ch_a)
    g_signal_handlers_disconnect_by_data (p->ch_a, p);
  if (p->ch_b)
    g_signal_handlers_disconnect_by_data (p->ch_b, p);
  gst_element_set_state (p->pipeline, GST_STATE_NULL);
  g_clear_object (&p->ch_a);
  g_clear_object (&p->ch_b);
  gst_object_unref (p->pipeline);
  g_mutex_clear (&p->lock);
  g_cond_clear (&p->cond);
  g_free (p);
}

/* A connected pair with one reliable ordered channel open at both ends;
 * returns create-offer → both ends open, in ms. */
static gdouble
pair_open (Pair *p)
{
  gint64 start, end;
  gboolean ok;

  g_signal_emit_by_name (p->a, "create-data-channel", "bench", NULL, &p->ch_a);
  if (!p->ch_a)
    bench_fail ("create-data-channel refused");
  g_signal_connect (p->ch_a, "on-open", G_CALLBACK (on_open_a), p);
  g_signal_connect (p->ch_a, "on-buffered-amount-low", G_CALLBACK (on_low), p);
  g_object_set (p->ch_a, "buffered-amount-low-threshold",
      (guint64)HIGH_WATER / 2, NULL);
  start = g_get_monotonic_time ();
  bench_negotiate (p->a, p->b);
  end = start + 10 * G_TIME_SPAN_SECOND;
  g_mutex_lock (&p->lock);
  while (
      (!p->open_a || !p->open_b) && g_cond_wait_until (&p->cond, &p->lock, end))
    ;
  ok = p->open_a && p->open_b;
  g_mutex_unlock (&p->lock);
  if (!ok)
    bench_fail ("the channel did not open at both ends within 10 s");
  return (MAX (p->open_a, p->open_b) - start) / 1000.0;
}

static guint64
buffered (Pair *p)
{
  guint64 amount = 0;

  g_object_get (p->ch_a, "buffered-amount", &amount, NULL);
  return amount;
}

typedef struct {
  gdouble mb_per_s, msgs_per_s, cpu_s_per_mb;
} Rate;

static Rate
throughput (const gchar *factory, gsize size)
{
  Pair *p = pair_new (factory);
  GBytes *msg = g_bytes_new_take (g_malloc0 (size), size);
  gdouble t0, c0, t, c;
  gint64 rx0, n0, sent = 0;
  Rate r;

  pair_open (p);
  rx0 = g_atomic_pointer_get (&p->rx_bytes);
  n0 = g_atomic_pointer_get (&p->rx_msgs);
  t0 = bench_clock_seconds (CLOCK_MONOTONIC);
  c0 = bench_clock_seconds (CLOCK_PROCESS_CPUTIME_ID);
  while (bench_clock_seconds (CLOCK_MONOTONIC) - t0 < seconds) {
    gint state = 0;

    if (buffered (p) >= HIGH_WATER) {
      gint64 until = g_get_monotonic_time () + 10 * G_TIME_SPAN_MILLISECOND;

      g_mutex_lock (&p->lock);
      p->low = FALSE;
      if (buffered (p) >= HIGH_WATER)
        while (!p->low && g_cond_wait_until (&p->cond, &p->lock, until))
          ;
      g_mutex_unlock (&p->lock);
      continue;
    }
    g_signal_emit_by_name (p->ch_a, "send-data", msg);
    sent++;
    g_object_get (p->ch_a, "ready-state", &state, NULL);
    if (state != OPEN)
      bench_fail ("the %s channel closed while sending", factory);
  }
  t = bench_clock_seconds (CLOCK_MONOTONIC) - t0;
  c = bench_clock_seconds (CLOCK_PROCESS_CPUTIME_ID) - c0;
  r.mb_per_s = (g_atomic_pointer_get (&p->rx_bytes) - rx0) / 1e6 / t;
  r.msgs_per_s = (g_atomic_pointer_get (&p->rx_msgs) - n0) / t;
  if (r.mb_per_s <= 0)
    bench_fail ("%s: nothing received", factory);
  if ((g_atomic_pointer_get (&p->rx_bytes) - rx0)
      != (g_atomic_pointer_get (&p->rx_msgs) - n0) * (gint64)size)
    bench_fail ("%s: messages of the wrong size received", factory);
  r.cpu_s_per_mb = c / (r.mb_per_s * t);
  g_bytes_unref (msg);
  /* Everything sent arrives; webrtcbin 1.22 also deadlocks when it is
   * stopped while its sctpenc waits for room in usrsctp. */
  {
    gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

    while (g_atomic_pointer_get (&p->rx_msgs) - n0 < sent) {
      if (g_get_monotonic_time () > end)
        bench_fail ("%s: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                    " messages arrived",
            factory, g_atomic_pointer_get (&p->rx_msgs) - n0, sent);
      g_usleep (1000);
    }
  }
  g_printerr ("%s: %u B messages sent for %.1f s\n", factory, (guint)size, t);
  pair_free (p);
  return r;
}

/* The child: one implementation, its figures on one line. */
static int
run_impl (const gchar *factory)
{
  gdouble *open_ms = g_new0 (gdouble, runs), cold = 0;
  Rate big, small;
  gint i;

  bench_watchdog (60 + runs * 15 + (guint)(4 * seconds), factory);
  for (i = -1; i < runs; i++) {
    Pair *p = pair_new (factory);
    gdouble ms = pair_open (p);

    if (i >= 0)
      open_ms[i] = ms;
    else
      cold = ms;
    pair_free (p);
  }
  g_printerr ("%s: open %.1f ms (median)\n", factory,
      bench_median (open_ms, runs));
  big = throughput (factory, 64 * 1024);
  g_printerr ("%s: 64 KiB messages: %.1f MB/s\n", factory, big.mb_per_s);
  small = throughput (factory, 100);
  g_printerr ("%s: 100 B messages: %.0f msgs/s\n", factory, small.msgs_per_s);
  /* The first pair of the process (plugin loading, first certificate)
   * is reported apart. */
  g_print ("RESULT %f %f %f %f %f %f\n", bench_median (open_ms, runs),
      big.mb_per_s, big.cpu_s_per_mb, small.msgs_per_s, small.cpu_s_per_mb,
      cold);
  g_free (open_ms);
  return 0;
}

typedef struct {
  gdouble open_ms, mb_per_s, cpu_big, msgs_per_s, cpu_small, cold_ms;
} Figures;

/* Runs @factory's side in a child process; FALSE when it is not there. */
static gboolean
run_child (const gchar *self, const gchar *factory, Figures *f)
{
  gchar *secs = g_strdup_printf ("%g", seconds);
  gchar *nruns = g_strdup_printf ("%d", runs);
  GError *error = NULL;
  gchar *out = NULL;
  GSubprocess *proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
      self, "--impl", factory, "--seconds", secs, "--runs", nruns, NULL);
  const gchar *line;

  if (!proc)
    bench_fail ("%s", error->message);
  if (!g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error))
    bench_fail ("%s", error->message);
  if (g_subprocess_get_if_exited (proc)
      && g_subprocess_get_exit_status (proc) == 77) {
    g_object_unref (proc);
    g_free (out);
    g_free (secs);
    g_free (nruns);
    return FALSE;
  }
  if (!g_subprocess_get_successful (proc) || !(line = strstr (out, "RESULT "))
      || sscanf (line, "RESULT %lf %lf %lf %lf %lf %lf", &f->open_ms,
             &f->mb_per_s, &f->cpu_big, &f->msgs_per_s, &f->cpu_small,
             &f->cold_ms)
          != 6)
    bench_fail ("the %s run failed", factory);
  g_object_unref (proc);
  g_free (out);
  g_free (secs);
  g_free (nruns);
  return TRUE;
}

int
main (int argc, char **argv)
{
  gchar *impl = NULL;
  GOptionEntry entries[] = { { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds,
                                 "seconds per throughput figure (3)", NULL },
    { "runs", 'r', 0, G_OPTION_ARG_INT, &runs,
        "pairs opened for the open time (7)", NULL },
    { "impl", 0, 0, G_OPTION_ARG_STRING, &impl,
        "measure one implementation here (rtcbin or webrtcbin)", NULL },
    { NULL } };
  GOptionContext *ctx = g_option_context_new ("- data channel benchmark");
  GError *error = NULL;
  gchar *self;
  Figures ours, ref = { -1, -1, -1, -1, -1, -1 };
  gboolean have_ref;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    bench_fail ("%s", error->message);
  g_option_context_free (ctx);
  if (runs < 1 || seconds <= 0)
    bench_fail ("--runs and --seconds must be positive");

  if (impl) {
    GstElementFactory *f = gst_element_factory_find (impl);

    if (!f)
      return 77;
    gst_object_unref (f);
    return run_impl (impl);
  }

  /* The parent loads no SCTP stack itself. */
  self = g_file_read_link ("/proc/self/exe", NULL);
  have_ref = run_child (self, "webrtcbin", &ref);
  if (!run_child (self, "rtcbin", &ours))
    bench_fail ("no rtcbin");
  g_free (self);

  g_print ("\ndata-channel-only call on 127.0.0.1, one reliable ordered "
           "channel, %.0f s per rate, open: median of %d\n",
      seconds, runs);
  bench_print_header ("webrtcbin");
  bench_print_row ("ms, create-offer to both ends open", ours.open_ms,
      ref.open_ms, "%.1f", bench_met (ours.open_ms <= 40) /* goal */);
  bench_print_row ("ms, the same for the first pair", ours.cold_ms, ref.cold_ms,
      "%.1f", "plugins loading, first certificate");
  bench_print_row ("MB/s, 64 KiB messages", ours.mb_per_s, ref.mb_per_s, "%.1f",
      bench_met (ours.mb_per_s >= 100) /* goal: >= 100 MB/s */);
  bench_print_row ("CPU-s per MB, 64 KiB messages", ours.cpu_big, ref.cpu_big,
      "%.4f", "all threads, both sessions");
  bench_print_row ("msgs/s, 100 B messages", ours.msgs_per_s, ref.msgs_per_s,
      "%.0f", bench_met (ours.msgs_per_s >= 100000) /* goal: >= 100k */);
  bench_print_row ("CPU-s per MB, 100 B messages", ours.cpu_small,
      ref.cpu_small, "%.3f", "all threads, both sessions");
  if (!have_ref)
    g_print ("gst-plugins-bad's webrtcbin not found: no reference\n");
  return 0;
}
