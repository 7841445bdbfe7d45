/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * The operations chain of a session (W3C "operations chain"): queued
 * operations run one after the other, in the order they were queued,
 * never two of one chain at once. Events from other threads (ICE) are
 * queued the same way, so the session state has one writer at a time.
 * The chains of all sessions share a small pool of threads
 * ("rtcbin-session"), so a process with many sessions does not pay a
 * thread for each; an operation should not block for long.
 */
typedef struct _RtcBinOps RtcBinOps;

/* Runs an operation; @closed is TRUE when the chain is being shut down
 * and the operation must only give up (e.g. reject its promise). */
typedef void (*RtcBinOpFunc) (gpointer data, gboolean closed);

RtcBinOps *rtc_bin_ops_new (GObject *owner);
void rtc_bin_ops_push (RtcBinOps *ops, RtcBinOpFunc func, gpointer data,
    GDestroyNotify destroy);
gboolean rtc_bin_ops_is_current (RtcBinOps *ops);
void rtc_bin_ops_retry (RtcBinOps *ops, gint64 wake_time);
void rtc_bin_ops_wake (RtcBinOps *ops);
void rtc_bin_ops_free (RtcBinOps *ops);

G_END_DECLS
