/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "rtcbinops.h"

/* Threads of the process-wide pool: enough that one slow operation (an
 * application's handler taking its time) does not hold up every session,
 * few enough that many sessions do not cost a thread each. They are
 * started when work finds none idle, and live as long as the process. */
#define MAX_WORKERS 2

struct _RtcBinOps {
  GObject *owner;
  GQueue queue; /* RtcBinOp, in order */
  gboolean scheduled; /* in pool.ready */
  gboolean running; /* a worker runs one of its operations */
  gboolean closed;
  gboolean orphan; /* freed while running: the worker frees it */
  gboolean retry; /* the running operation asked to run again later */
  gboolean parked; /* in pool.parked until woken or wake_time */
  gboolean woken; /* woken while running: a retry runs again at once */
  gint64 wake_time; /* monotonic */
};

typedef struct {
  RtcBinOpFunc func;
  gpointer data;
  GDestroyNotify destroy;
} RtcBinOp;

/* One lock for the pool and every chain: operations are few and short
 * to queue, so it is never contended for long. */
static struct {
  GMutex lock;
  GCond work; /* pool.ready got a chain */
  GCond drain; /* a chain stopped running */
  GQueue ready; /* RtcBinOps with operations, not running */
  GQueue parked; /* RtcBinOps whose first operation waits to run again */
  guint workers, idle;
} pool;

/* The chain whose operation the current thread runs, if any. */
static GPrivate current_ops;
/* Set on the pool's threads. */
static GPrivate in_pool;

static void
ops_destroy (RtcBinOps *ops)
{
  g_free (ops);
}

static void
op_free (RtcBinOp *op)
{
  if (op->destroy)
    op->destroy (op->data);
  g_free (op);
}

static void
op_run (RtcBinOp *op, gboolean closed)
{
  op->func (op->data, closed);
  op_free (op);
}

/* Called with the lock held. */
static void
schedule_locked (RtcBinOps *ops)
{
  ops->scheduled = TRUE;
  g_queue_push_tail (&pool.ready, ops);
}

static void
unpark (RtcBinOps *ops)
{
  g_queue_remove (&pool.parked, ops);
  ops->parked = FALSE;
}

/* Called with the lock held by an idle worker: waits for work, waking
 * parked chains whose time has come. */
static void
wait_for_work (void)
{
  while (g_queue_is_empty (&pool.ready)) {
    gint64 now = g_get_monotonic_time (), earliest = G_MAXINT64;
    GList *l, *next;

    for (l = pool.parked.head; l; l = next) {
      RtcBinOps *ops = l->data;

      next = l->next;
      if (ops->wake_time <= now) {
        unpark (ops);
        schedule_locked (ops);
      } else {
        earliest = MIN (earliest, ops->wake_time);
      }
    }
    if (!g_queue_is_empty (&pool.ready))
      break;
    if (earliest == G_MAXINT64)
      g_cond_wait (&pool.work, &pool.lock);
    else
      g_cond_wait_until (&pool.work, &pool.lock, earliest);
  }
}

static gpointer
worker_main (gpointer unused)
{
  g_private_set (&in_pool, GINT_TO_POINTER (1));
  g_mutex_lock (&pool.lock);
  for (;;) {
    RtcBinOps *ops;
    RtcBinOp *op;
    GObject *owner = NULL;
    gboolean closed, retry;

    pool.idle++;
    wait_for_work ();
    pool.idle--;
    ops = g_queue_pop_head (&pool.ready);
    ops->scheduled = FALSE;
    ops->running = TRUE;
    ops->woken = FALSE;
    op = g_queue_pop_head (&ops->queue);
    /* The owner is kept alive while an operation runs; if the last
     * reference goes here, the owner's dispose frees the chain as an
     * orphan (see rtc_bin_ops_free()). */
    closed = ops->closed;
    if (!closed)
      owner = g_object_ref (ops->owner);
    g_mutex_unlock (&pool.lock);

    g_private_set (&current_ops, ops);
    op->func (op->data, closed);
    /* Only this thread sets it, from within the operation. */
    retry = ops->retry;
    ops->retry = FALSE;
    if (!retry)
      op_free (op);
    if (owner)
      g_object_unref (owner);
    g_private_set (&current_ops, NULL);

    g_mutex_lock (&pool.lock);
    ops->running = FALSE;
    if (retry) {
      /* Back at the head of its chain, which waits without holding a
       * thread; a chain closed meanwhile runs it again at once. */
      g_queue_push_head (&ops->queue, op);
      if (!ops->closed && !ops->woken) {
        ops->parked = TRUE;
        g_queue_push_tail (&pool.parked, ops);
        g_cond_broadcast (&pool.drain);
        continue;
      }
    }
    /* One operation per turn: the chain goes to the back, so a busy
     * session does not starve the others. */
    if (!g_queue_is_empty (&ops->queue)) {
      schedule_locked (ops);
    } else if (ops->orphan) {
      ops_destroy (ops);
      continue;
    }
    g_cond_broadcast (&pool.drain);
  }
  return NULL;
}

/* Called with the lock held. A parked chain is not scheduled: its
 * first operation waits, and the later ones behind it; scheduling it
 * would also leave it in pool.parked, to be scheduled a second time. */
static void
schedule (RtcBinOps *ops)
{
  if (ops->scheduled || ops->running || ops->parked)
    return;
  schedule_locked (ops);
  if (pool.idle == 0 && pool.workers < MAX_WORKERS) {
    pool.workers++;
    g_thread_unref (g_thread_new ("rtcbin-session", worker_main, NULL));
  } else {
    g_cond_signal (&pool.work);
  }
}

/* @owner is not referenced: it frees the chain from its dispose. */
RtcBinOps *
rtc_bin_ops_new (GObject *owner)
{
  RtcBinOps *ops = g_new0 (RtcBinOps, 1);

  ops->owner = owner;
  g_queue_init (&ops->queue);
  return ops;
}

void
rtc_bin_ops_push (RtcBinOps *ops, RtcBinOpFunc func, gpointer data,
    GDestroyNotify destroy)
{
  RtcBinOp *op = g_new0 (RtcBinOp, 1);

  op->func = func;
  op->data = data;
  op->destroy = destroy;
  g_mutex_lock (&pool.lock);
  g_queue_push_tail (&ops->queue, op);
  schedule (ops);
  g_mutex_unlock (&pool.lock);
}

gboolean
rtc_bin_ops_is_current (RtcBinOps *ops)
{
  return g_private_get (&current_ops) == ops;
}

/* From the running operation of @ops: once it returns, it stays at the
 * head of its chain and runs again when rtc_bin_ops_wake() is called or
 * at @wake_time (monotonic), whichever is first (a wake during the
 * operation counts); until then the chain waits without a thread. A
 * closed chain runs it again at once with closed=TRUE. */
void
rtc_bin_ops_retry (RtcBinOps *ops, gint64 wake_time)
{
  g_return_if_fail (rtc_bin_ops_is_current (ops));
  ops->retry = TRUE;
  ops->wake_time = wake_time;
}

/* Any thread: a chain waiting in rtc_bin_ops_retry() runs again now. */
void
rtc_bin_ops_wake (RtcBinOps *ops)
{
  g_mutex_lock (&pool.lock);
  if (ops->parked) {
    unpark (ops);
    schedule (ops);
  } else if (ops->running) {
    /* What it waits for came while it was deciding to wait. */
    ops->woken = TRUE;
  }
  g_mutex_unlock (&pool.lock);
}

/* Operations still queued run with closed=TRUE, so each gives its answer
 * (and must not touch the owner any more). Called from an operation of
 * the chain itself, the chain frees itself after the current operation
 * and those still queued. */
void
rtc_bin_ops_free (RtcBinOps *ops)
{
  GQueue left = G_QUEUE_INIT;
  RtcBinOp *op;

  g_mutex_lock (&pool.lock);
  ops->closed = TRUE;
  if (rtc_bin_ops_is_current (ops)) {
    ops->orphan = TRUE;
    g_mutex_unlock (&pool.lock);
    return;
  }
  if (ops->parked) {
    unpark (ops);
    if (!g_private_get (&in_pool))
      schedule (ops);
  }
  if (!g_private_get (&in_pool)) {
    /* The pool answers them, in order, on its threads as usual. */
    while (ops->running || ops->scheduled)
      g_cond_wait (&pool.drain, &pool.lock);
    g_mutex_unlock (&pool.lock);
    ops_destroy (ops);
    return;
  }
  /* From another chain's operation: waiting for the pool could wait for
   * this very thread, so the rest of the chain runs here, in order. */
  while (ops->running)
    g_cond_wait (&pool.drain, &pool.lock);
  if (ops->scheduled) {
    g_queue_remove (&pool.ready, ops);
    ops->scheduled = FALSE;
  }
  left = ops->queue;
  g_queue_init (&ops->queue);
  g_mutex_unlock (&pool.lock);
  while ((op = g_queue_pop_head (&left)))
    op_run (op, TRUE);
  ops_destroy (ops);
}
