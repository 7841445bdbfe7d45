/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Helpers shared by the benchmarks: failing, clocks, medians, the
 * result table (ours against a reference implementation) and the
 * in-process offer/answer exchange of the webrtcbin-style pairs.
 */
#pragma once

#include <glib.h>
#include <gst/gst.h>

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static inline void bench_fail (const gchar *format, ...) G_GNUC_NORETURN
    G_GNUC_PRINTF (1, 2);

/* A pair that does not work or data lost or altered: never a goal
 * missed, which is only reported. */
static inline void
bench_fail (const gchar *format, ...)
{
  va_list args;

  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  g_printerr ("\nBENCHMARK FAILED\n");
  exit (1);
}

static const gchar *bench_watchdog_what;

static inline void
bench_watchdog_fire (int sig)
{
  static const char stalled[] = "\nstalled: ",
                    failed[] = "\nBENCHMARK FAILED\n";

  /* Only async-signal-safe calls here. */
  if (write (2, stalled, sizeof stalled - 1) < 0
      || write (2, bench_watchdog_what, strlen (bench_watchdog_what)) < 0
      || write (2, failed, sizeof failed - 1) < 0)
    _exit (1);
  _exit (1);
}

/* Fails the benchmark, naming @what, if the step does not end within
 * @seconds (a stalled peer would otherwise hang the run); 0 ends the
 * step. */
static inline void
bench_watchdog (guint seconds, const gchar *what)
{
  bench_watchdog_what = what;
  signal (SIGALRM, bench_watchdog_fire);
  alarm (seconds);
}

/* @clock: CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, ... */
static inline gdouble
bench_clock_seconds (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline int
bench_compare_doubles (const void *a, const void *b)
{
  gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;

  return x < y ? -1 : x > y;
}

/* Sorts @values in place. */
static inline gdouble
bench_median (gdouble *values, guint n)
{
  qsort (values, n, sizeof (gdouble), bench_compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

#define BENCH_ROW_FORMAT "%-42s %11s %11s %9s  %s\n"

static inline void
bench_print_header (const gchar *reference)
{
  gchar *ratio = g_strdup_printf ("ours/%s", reference);

  g_print (BENCH_ROW_FORMAT, "measurement (median)", "ours", reference, ratio,
      "notes");
  g_free (ratio);
}

/* @reference < 0: not measured for the reference. */
static inline void
bench_print_row (const gchar *what, gdouble ours, gdouble reference,
    const gchar *format, const gchar *note)
{
  gchar *o = g_strdup_printf (format, ours);
  gchar *r = reference >= 0 ? g_strdup_printf (format, reference)
                            : g_strdup ("-");
  gchar *q = reference > 0 ? g_strdup_printf ("%.2f", ours / reference)
                           : g_strdup ("-");

  g_print (BENCH_ROW_FORMAT, what, o, r, q, note ? note : "");
  g_free (o);
  g_free (r);
  g_free (q);
}

static inline const gchar *
bench_met (gboolean yes)
{
  return yes ? "MET" : "NOT MET";
}

/* ---- two webrtcbin-style sessions in one process ---- */

/* on-ice-candidate handler: trickles @candidate straight to @peer. */
static inline void
bench_on_ice_candidate (GstElement *bin, guint mline, const gchar *candidate,
    GstElement *peer)
{
  g_signal_emit_by_name (peer, "add-ice-candidate", mline, candidate);
}

/* Runs an action and waits for its promise; the reply stays with the
 * returned promise. */
static inline GstPromise *
bench_call (GstElement *bin, const gchar *action, gpointer arg)
{
  GstPromise *promise = gst_promise_new ();
  const GstStructure *reply;

  g_signal_emit_by_name (bin, action, arg, promise);
  if (gst_promise_wait (promise) != GST_PROMISE_RESULT_REPLIED)
    bench_fail ("%s not answered", action);
  reply = gst_promise_get_reply (promise);
  if (reply && gst_structure_has_field (reply, "error")) {
    GError *error = NULL;

    gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL);
    bench_fail ("%s: %s", action, error ? error->message : "error");
  }
  return promise;
}

static inline gpointer
bench_reply_desc (GstPromise *promise, const gchar *field)
{
  const GValue *v = gst_structure_get_value (gst_promise_get_reply (promise),
      field);

  if (!v)
    bench_fail ("no %s in the reply", field);
  return g_value_get_boxed (v);
}

/* The whole exchange from @a to @b; the descriptions are each
 * implementation's own boxed type and go to the peer as they are. */
static inline void
bench_negotiate (GstElement *a, GstElement *b)
{
  GstPromise *offer, *answer;

  offer = bench_call (a, "create-offer", NULL);
  gst_promise_unref (bench_call (a, "set-local-description",
      bench_reply_desc (offer, "offer")));
  gst_promise_unref (bench_call (b, "set-remote-description",
      bench_reply_desc (offer, "offer")));
  answer = bench_call (b, "create-answer", NULL);
  gst_promise_unref (bench_call (b, "set-local-description",
      bench_reply_desc (answer, "answer")));
  gst_promise_unref (bench_call (a, "set-remote-description",
      bench_reply_desc (answer, "answer")));
  gst_promise_unref (offer);
  gst_promise_unref (answer);
}
