/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * The operations chain of a session (W3C "operations chain"): one thread
 * with its own GMainContext runs queued operations one after the other,
 * in the order they were queued. Events from other threads (ICE) are
 * queued the same way, so the session state is only touched there.
 */
typedef struct _RtcBinOps RtcBinOps;

/* Runs an operation; @closed is TRUE when the chain is being shut down
 * and the operation must only give up (e.g. reject its promise). */
typedef void (*RtcBinOpFunc) (gpointer data, gboolean closed);

RtcBinOps *rtc_bin_ops_new (const gchar *thread_name, GObject *owner);
void rtc_bin_ops_push (RtcBinOps *ops, RtcBinOpFunc func, gpointer data,
    GDestroyNotify destroy);
gboolean rtc_bin_ops_is_current (RtcBinOps *ops);
void rtc_bin_ops_free (RtcBinOps *ops);

G_END_DECLS
