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
op_run (RtcBinOp *op, gboolean closed)
{
  op->func (op->data, closed);
  if (op->destroy)
    op->destroy (op->data);
  g_free (op);
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
    gboolean closed;

    pool.idle++;
    while (g_queue_is_empty (&pool.ready))
      g_cond_wait (&pool.work, &pool.lock);
    pool.idle--;
    ops = g_queue_pop_head (&pool.ready);
    ops->scheduled = FALSE;
    ops->running = TRUE;
    op = g_queue_pop_head (&ops->queue);
    /* The owner is kept alive while an operation runs; if the last
     * reference goes here, the owner's dispose frees the chain as an
     * orphan (see rtc_bin_ops_free()). */
    closed = ops->closed;
    if (!closed)
      owner = g_object_ref (ops->owner);
    g_mutex_unlock (&pool.lock);

    g_private_set (&current_ops, ops);
    op_run (op, closed);
    if (owner)
      g_object_unref (owner);
    g_private_set (&current_ops, NULL);

    g_mutex_lock (&pool.lock);
    ops->running = FALSE;
    /* One operation per turn: the chain goes to the back, so a busy
     * session does not starve the others. */
    if (!g_queue_is_empty (&ops->queue)) {
      ops->scheduled = TRUE;
      g_queue_push_tail (&pool.ready, ops);
    } else if (ops->orphan) {
      ops_destroy (ops);
      continue;
    }
    g_cond_broadcast (&pool.drain);
  }
  return NULL;
}

/* Called with the lock held. */
static void
schedule (RtcBinOps *ops)
{
  if (ops->scheduled || ops->running)
    return;
  ops->scheduled = TRUE;
  g_queue_push_tail (&pool.ready, ops);
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
