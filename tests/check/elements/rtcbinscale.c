/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcbin at scale: many sessions in one process share their operation,
 * ICE and DTLS threads, and each session's operations stay in order.
 */
#include "../common/rtcbintest.h"
#include "../common/rtccheckmain.h"

/* Threads one connected pair (two sessions in PLAYING, no media) may add
 * to the process: each session's rtcicesrc streaming thread and its
 * rtpbin session's RTCP thread (webrtcbin: 14). */
#define THREADS_PER_PAIR 4

/* Counts the process's threads, and among them those all sessions
 * share (by name: the operation pool, ICE, DTLS timers). */
static guint
count_threads (guint *shared)
{
  GDir *dir = g_dir_open ("/proc/self/task", 0, NULL);
  const gchar *tid;
  guint n = 0;

  fail_unless (dir != NULL);
  *shared = 0;
  while ((tid = g_dir_read_name (dir))) {
    gchar *path = g_strdup_printf ("/proc/self/task/%s/comm", tid);
    gchar *comm = NULL;

    n++;
    if (g_file_get_contents (path, &comm, NULL, NULL)) {
      g_strchomp (comm);
      if (g_str_equal (comm, "rtcbin-session") || g_str_equal (comm, "rtc-ice")
          || g_str_equal (comm, "rtc-dtls-timer"))
        (*shared)++;
    }
    g_free (comm);
    g_free (path);
  }
  g_dir_close (dir);
  return n;
}

/* Two sessions in one pipeline, with an audio transceiver, connected. */
static GstElement *
make_connected_pair (void)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *a = rtcbin_test_new (NULL), *b = rtcbin_test_new (NULL);

  gst_bin_add_many (GST_BIN (pipeline), a, b, NULL);
  rtcbin_test_trickle (a, b);
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE);
  gst_object_unref (rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS));
  rtcbin_test_negotiate (a, b);
  fail_unless (rtcbin_test_wait_enum (a, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));
  fail_unless (rtcbin_test_wait_enum (b, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));
  return pipeline;
}

/* All sessions share at most two operation threads, one ICE thread and
 * one DTLS timer thread; each pair adds no more than its own streaming
 * threads. */
GST_START_TEST (test_threads_per_pair)
{
  GstElement *pairs[5];
  guint i, before, after, shared_before, shared_after;

  pairs[0] = make_connected_pair ();
  before = count_threads (&shared_before);
  for (i = 1; i < G_N_ELEMENTS (pairs); i++)
    pairs[i] = make_connected_pair ();
  after = count_threads (&shared_after);
  GST_INFO ("%u threads (%u shared) with 1 pair, %u (%u) with %u", before,
      shared_before, after, shared_after, (guint)G_N_ELEMENTS (pairs));
  fail_unless (shared_after >= 3 && shared_after <= 4, "%u shared threads",
      shared_after);
  /* The pool may have started its second thread meanwhile. */
  fail_unless (after - shared_after <= before - shared_before
              + THREADS_PER_PAIR * (G_N_ELEMENTS (pairs) - 1),
      "%u threads with 1 pair, %u with %u", before, after,
      (guint)G_N_ELEMENTS (pairs));

  for (i = 0; i < G_N_ELEMENTS (pairs); i++) {
    gst_element_set_state (pairs[i], GST_STATE_NULL);
    gst_object_unref (pairs[i]);
  }
}

GST_END_TEST;

#define N_SESSIONS 6
#define N_OPS 20

typedef struct {
  GMutex lock;
  guint next[N_SESSIONS]; /* next index each session must answer */
  guint answered;
  guint out_of_order;
  GThread *threads[8];
  guint n_threads;
} OrderLog;

typedef struct {
  OrderLog *log;
  guint session, index;
} OrderTicket;

static void
on_offer_answered (GstPromise *promise, gpointer user_data)
{
  OrderTicket *t = user_data;
  OrderLog *log = t->log;
  GThread *self = g_thread_self ();
  guint i;

  g_mutex_lock (&log->lock);
  if (log->next[t->session] != t->index)
    log->out_of_order++;
  log->next[t->session] = t->index + 1;
  log->answered++;
  for (i = 0; i < log->n_threads && log->threads[i] != self; i++)
    ;
  if (i == log->n_threads && i < G_N_ELEMENTS (log->threads))
    log->threads[log->n_threads++] = self;
  g_mutex_unlock (&log->lock);
}

/* Operations queued on several sessions at once, from two threads: each
 * session answers its own in the order they were queued, each once, on
 * threads of the shared pool (two), never the caller's. */
static gpointer
queue_offers (gpointer user_data)
{
  GstElement **bins = user_data;
  guint i;

  for (i = 0; i < N_OPS; i++) {
    guint s;

    for (s = 0; s < N_SESSIONS; s++) {
      OrderTicket *t;
      GstPromise *promise;

      if (!bins[s])
        continue;
      t = g_new (OrderTicket, 1);
      t->log = g_object_get_data (G_OBJECT (bins[s]), "log");
      t->session = s;
      t->index = i;
      promise = gst_promise_new_with_change_func (on_offer_answered, t, g_free);
      g_signal_emit_by_name (bins[s], "create-offer", NULL, promise);
      gst_promise_unref (promise);
    }
  }
  return NULL;
}

GST_START_TEST (test_per_session_order)
{
  GstElement *bins[N_SESSIONS], *even[N_SESSIONS] = { NULL },
                                *odd[N_SESSIONS] = { NULL };
  OrderLog log = { 0 };
  GThread *t1, *t2;
  gint64 end;
  guint s, i;

  g_mutex_init (&log.lock);
  for (s = 0; s < N_SESSIONS; s++) {
    bins[s] = rtcbin_test_new (NULL);
    g_object_set_data (G_OBJECT (bins[s]), "log", &log);
    gst_object_unref (rtcbin_test_add_transceiver (bins[s],
        GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS));
    /* Each session is fed by one thread only, so its order is known. */
    if (s % 2)
      odd[s] = bins[s];
    else
      even[s] = bins[s];
  }
  t1 = g_thread_new ("queue-even", queue_offers, even);
  t2 = g_thread_new ("queue-odd", queue_offers, odd);
  g_thread_join (t1);
  g_thread_join (t2);

  end = g_get_monotonic_time () + RTC_TEST_MS (10000) * 1000;
  while (g_get_monotonic_time () < end) {
    g_mutex_lock (&log.lock);
    if (log.answered == N_SESSIONS * N_OPS) {
      g_mutex_unlock (&log.lock);
      break;
    }
    g_mutex_unlock (&log.lock);
    g_usleep (2000);
  }
  g_mutex_lock (&log.lock);
  fail_unless_equals_int (log.answered, N_SESSIONS * N_OPS);
  fail_unless_equals_int (log.out_of_order, 0);
  for (s = 0; s < N_SESSIONS; s++)
    fail_unless_equals_int (log.next[s], N_OPS);
  fail_unless (log.n_threads >= 1 && log.n_threads <= 2, "%u threads",
      log.n_threads);
  for (i = 0; i < log.n_threads; i++)
    fail_unless (log.threads[i] != t1 && log.threads[i] != t2);
  g_mutex_unlock (&log.lock);

  for (s = 0; s < N_SESSIONS; s++)
    gst_object_unref (bins[s]);
  g_mutex_clear (&log.lock);
}

GST_END_TEST;

typedef struct {
  GstElement *victim;
  GstPromise *promises[8];
  GMutex lock;
  GCond cond;
  gboolean blocking, released, dropped;
} DropCtx;

/* Holds one thread of the pool until released. */
static void
block_worker (GstPromise *promise, gpointer user_data)
{
  DropCtx *ctx = user_data;

  g_mutex_lock (&ctx->lock);
  ctx->blocking = TRUE;
  g_cond_broadcast (&ctx->cond);
  while (!ctx->released)
    g_cond_wait (&ctx->cond, &ctx->lock);
  ctx->blocking = FALSE;
  g_cond_broadcast (&ctx->cond);
  g_mutex_unlock (&ctx->lock);
}

/* Runs on the pool: drops the last reference to another session whose
 * operations are still queued. */
static void
drop_victim (GstPromise *promise, gpointer user_data)
{
  DropCtx *ctx = user_data;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (ctx->promises); i++) {
    ctx->promises[i] = gst_promise_new ();
    g_signal_emit_by_name (ctx->victim, "create-offer", NULL, ctx->promises[i]);
  }
  gst_object_unref (g_steal_pointer (&ctx->victim));
  g_mutex_lock (&ctx->lock);
  ctx->dropped = TRUE;
  g_cond_broadcast (&ctx->cond);
  g_mutex_unlock (&ctx->lock);
}

/* A session disposed from another session's operation while its own
 * operations wait for a thread of the pool (both are busy): it cannot
 * wait for the pool, so they run right there, each answered "closed". */
GST_START_TEST (test_dispose_from_other_session)
{
  GstElement *a = rtcbin_test_new (NULL), *c = rtcbin_test_new (NULL);
  GstPromise *promise, *blocker;
  DropCtx ctx = { NULL };
  guint i, closed = 0;

  g_mutex_init (&ctx.lock);
  g_cond_init (&ctx.cond);
  ctx.victim = rtcbin_test_new (NULL);
  gst_object_unref (rtcbin_test_add_transceiver (ctx.victim,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS));

  blocker = gst_promise_new_with_change_func (block_worker, &ctx, NULL);
  g_signal_emit_by_name (c, "create-offer", NULL, blocker);
  g_mutex_lock (&ctx.lock);
  while (!ctx.blocking)
    g_cond_wait (&ctx.cond, &ctx.lock);
  g_mutex_unlock (&ctx.lock);

  promise = gst_promise_new_with_change_func (drop_victim, &ctx, NULL);
  g_signal_emit_by_name (a, "create-offer", NULL, promise);
  /* The change function runs after the reply wakes waiters. */
  g_mutex_lock (&ctx.lock);
  while (!ctx.dropped)
    g_cond_wait (&ctx.cond, &ctx.lock);
  g_mutex_unlock (&ctx.lock);
  fail_unless (ctx.victim == NULL);
  gst_promise_unref (promise);

  for (i = 0; i < G_N_ELEMENTS (ctx.promises); i++) {
    const GstStructure *reply = rtcbin_test_await (ctx.promises[i]);
    GError *error = NULL;

    fail_unless (reply != NULL);
    if (gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL)) {
      fail_unless (strstr (error->message, "closed") != NULL);
      g_error_free (error);
      closed++;
    } else {
      /* Once closed, never an offer again. */
      fail_unless_equals_int (closed, 0);
      fail_unless (gst_structure_has_field (reply, "offer"));
    }
    gst_promise_unref (ctx.promises[i]);
  }
  /* The victim was disposed before its chain had a turn. */
  fail_unless_equals_int (closed, G_N_ELEMENTS (ctx.promises));

  g_mutex_lock (&ctx.lock);
  ctx.released = TRUE;
  g_cond_broadcast (&ctx.cond);
  while (ctx.blocking)
    g_cond_wait (&ctx.cond, &ctx.lock);
  g_mutex_unlock (&ctx.lock);
  rtcbin_test_await (blocker);
  gst_promise_unref (blocker);
  gst_object_unref (a);
  gst_object_unref (c);
  g_mutex_clear (&ctx.lock);
  g_cond_clear (&ctx.cond);
}

GST_END_TEST;

static Suite *
rtcbinscale_suite (void)
{
  Suite *s = suite_create ("rtcbinscale");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_threads_per_pair);
  tcase_add_test (tc, test_per_session_order);
  tcase_add_test (tc, test_dispose_from_other_session);
  return s;
}

RTC_CHECK_MAIN (rtcbinscale);
