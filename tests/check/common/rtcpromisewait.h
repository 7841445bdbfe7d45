/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A bounded wait for a GstPromise: gst_promise_wait() has no timeout, so
 * an answer that never comes would hang a test until its harness kills
 * it, with nothing said about what it waited for.
 */
#pragma once

#include <gst/gst.h>

#include "rtctestutil.h"

typedef struct {
  GMutex lock;
  GCond cond;
  gboolean answered;
  gint64 end; /* monotonic */
  GstPromise *promise;
} RtcPromiseWatch;

/* Interrupts the promise at the deadline unless the waiter is answered
 * first; an answer after an interrupt is dropped by the promise. */
static inline gpointer
rtc_promise_watch (gpointer data)
{
  RtcPromiseWatch *w = data;

  g_mutex_lock (&w->lock);
  while (!w->answered && g_cond_wait_until (&w->cond, &w->lock, w->end))
    ;
  if (!w->answered)
    gst_promise_interrupt (w->promise);
  g_mutex_unlock (&w->lock);
  return NULL;
}

/* gst_promise_wait() for at most @ms (scaled): %GST_PROMISE_RESULT_INTERRUPTED
 * when no answer came by then. */
static inline GstPromiseResult
rtc_promise_wait (GstPromise *promise, guint ms)
{
  RtcPromiseWatch w = { 0 };
  GstPromiseResult result;
  GThread *watch;

  g_mutex_init (&w.lock);
  g_cond_init (&w.cond);
  w.promise = promise;
  w.end = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;
  watch = g_thread_new ("promise-watch", rtc_promise_watch, &w);
  result = gst_promise_wait (promise);
  g_mutex_lock (&w.lock);
  w.answered = TRUE;
  g_cond_signal (&w.cond);
  g_mutex_unlock (&w.lock);
  g_thread_join (watch);
  g_mutex_clear (&w.lock);
  g_cond_clear (&w.cond);
  return result;
}
