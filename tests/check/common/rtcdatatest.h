/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Helpers for tests of data channels, at any level (association,
 * elements, rtcbin).
 */
#pragma once

#include <gst/rtc/rtc.h>

#include "rtctestutil.h"

/* For rtc_test_wait_until(): whether the GstRtcDataChannel @ch is open. */
static inline gboolean
rtc_data_test_is_open (gpointer ch)
{
  return gst_rtc_data_channel_get_ready_state (ch)
      == GST_RTC_DATA_CHANNEL_STATE_OPEN;
}

/* For rtc_test_wait_until(): whether the GstRtcDataChannel @ch is
 * closed. */
static inline gboolean
rtc_data_test_is_closed (gpointer ch)
{
  return gst_rtc_data_channel_get_ready_state (ch)
      == GST_RTC_DATA_CHANNEL_STATE_CLOSED;
}

/* Waits up to @ms (scaled) for @ch to be open, for a channel whose
 * on-open may have come before anything watched it. */
static inline gboolean
rtc_data_test_wait_open (GstRtcDataChannel *ch, guint ms)
{
  return rtc_test_wait_until (rtc_data_test_is_open, ch, ms);
}

/* Messages a channel received, in order: binary ones as they came,
 * strings with an added 'S' so that both kinds compare as bytes. */
typedef struct {
  GMutex lock;
  GQueue messages; /* GBytes */
} RtcDataTestInbox;

static inline void
rtc_data_test_inbox_init (RtcDataTestInbox *in)
{
  g_mutex_init (&in->lock);
  g_queue_init (&in->messages);
}

static inline void
rtc_data_test_inbox_clear (RtcDataTestInbox *in)
{
  g_queue_clear_full (&in->messages, (GDestroyNotify)g_bytes_unref);
  g_mutex_clear (&in->lock);
}

/* For rtc_test_wait_count(). */
static inline guint
rtc_data_test_inbox_count (gpointer data)
{
  RtcDataTestInbox *in = data;
  guint n;

  g_mutex_lock (&in->lock);
  n = in->messages.length;
  g_mutex_unlock (&in->lock);
  return n;
}

static inline void
rtc_data_test_inbox_on_string (GstRtcDataChannel *ch, const gchar *str,
    RtcDataTestInbox *in)
{
  GString *s = g_string_new (str);

  g_string_append_c (s, 'S');
  g_mutex_lock (&in->lock);
  g_queue_push_tail (&in->messages, g_string_free_to_bytes (s));
  g_mutex_unlock (&in->lock);
}

static inline void
rtc_data_test_inbox_on_data (GstRtcDataChannel *ch, GBytes *data,
    RtcDataTestInbox *in)
{
  g_mutex_lock (&in->lock);
  g_queue_push_tail (&in->messages, g_bytes_ref (data));
  g_mutex_unlock (&in->lock);
}

/* Sends every string message back on its channel. */
static inline void
rtc_data_test_echo_string (GstRtcDataChannel *ch, const gchar *str,
    gpointer unused)
{
  g_signal_emit_by_name (ch, "send-string", str);
}
