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
