/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/base/base.h>

G_BEGIN_DECLS

#define GST_TYPE_RTC_ICE_SINK (gst_rtc_ice_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstRtcIceSink, gst_rtc_ice_sink, GST, RTC_ICE_SINK,
    GstBaseSink)

GST_ELEMENT_REGISTER_DECLARE (rtcicesink);

G_END_DECLS
