/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_RTC_BIN (gst_rtc_bin_get_type ())
G_DECLARE_FINAL_TYPE (GstRtcBin, gst_rtc_bin, GST, RTC_BIN, GstBin)

GST_ELEMENT_REGISTER_DECLARE (rtcbin);

G_END_DECLS
