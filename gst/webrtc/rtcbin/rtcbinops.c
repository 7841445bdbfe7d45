/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "rtcbinops.h"

struct _RtcBinOps {
  GObject *owner;
  gboolean orphan;
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  GMutex lock;
  gboolean closed;
};

typedef struct {
  RtcBinOps *ops;
  RtcBinOpFunc func;
  gpointer data;
  GDestroyNotify destroy;
  gboolean ran;
} RtcBinOp;

static void
ops_destroy (RtcBinOps *ops)
{
  g_main_loop_unref (ops->loop);
  g_main_context_unref (ops->context);
  g_mutex_clear (&ops->lock);
  g_free (ops);
}

static gpointer
ops_thread (gpointer user_data)
{
  RtcBinOps *ops = user_data;

  g_main_context_push_thread_default (ops->context);
  g_main_loop_run (ops->loop);
  g_main_context_pop_thread_default (ops->context);
  /* Freed from its own thread: nobody can join it. */
  if (ops->orphan) {
    g_thread_unref (ops->thread);
    ops_destroy (ops);
  }
  return NULL;
}

/* @owner is not referenced: it frees the chain from its dispose. */
RtcBinOps *
rtc_bin_ops_new (const gchar *thread_name, GObject *owner)
{
  RtcBinOps *ops = g_new0 (RtcBinOps, 1);

  ops->owner = owner;

  g_mutex_init (&ops->lock);
  ops->context = g_main_context_new ();
  ops->loop = g_main_loop_new (ops->context, FALSE);
  ops->thread = g_thread_new (thread_name, ops_thread, ops);
  return ops;
}

static gboolean
op_dispatch (gpointer user_data)
{
  RtcBinOp *op = user_data;
  GObject *owner = NULL;
  gboolean closed;

  /* The owner is kept alive while an operation runs; if the last
   * reference goes here, the owner's dispose frees the chain as an
   * orphan (see rtc_bin_ops_free()). */
  g_mutex_lock (&op->ops->lock);
  closed = op->ops->closed;
  if (!closed)
    owner = g_object_ref (op->ops->owner);
  g_mutex_unlock (&op->ops->lock);
  op->ran = TRUE;
  op->func (op->data, closed);
  if (owner)
    g_object_unref (owner);
  return G_SOURCE_REMOVE;
}

static void
op_free (gpointer user_data)
{
  RtcBinOp *op = user_data;

  /* An operation dropped with the context still gives its answer. */
  if (!op->ran)
    op->func (op->data, TRUE);
  if (op->destroy)
    op->destroy (op->data);
  g_free (op);
}

/* Sources of one priority are dispatched in the order they were attached,
 * which is what keeps the chain in order. */
void
rtc_bin_ops_push (RtcBinOps *ops, RtcBinOpFunc func, gpointer data,
    GDestroyNotify destroy)
{
  RtcBinOp *op = g_new0 (RtcBinOp, 1);
  GSource *source;

  op->ops = ops;
  op->func = func;
  op->data = data;
  op->destroy = destroy;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, op_dispatch, op, op_free);
  g_source_attach (source, ops->context);
  g_source_unref (source);
}

gboolean
rtc_bin_ops_is_current (RtcBinOps *ops)
{
  return g_thread_self () == ops->thread;
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* Operations still queued run with closed=TRUE, so each gives its answer
 * (and must not touch the owner any more); the loop quits after them
 * (same priority, queued last). Called from the chain's own thread, the
 * chain quits after the current operation and frees itself. */
void
rtc_bin_ops_free (RtcBinOps *ops)
{
  GSource *source;

  g_mutex_lock (&ops->lock);
  ops->closed = TRUE;
  g_mutex_unlock (&ops->lock);
  if (rtc_bin_ops_is_current (ops)) {
    ops->orphan = TRUE;
    g_main_loop_quit (ops->loop);
    return;
  }
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, quit_loop, ops->loop, NULL);
  g_source_attach (source, ops->context);
  g_source_unref (source);
  g_thread_join (ops->thread);
  ops_destroy (ops);
}
