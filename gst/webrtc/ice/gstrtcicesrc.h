/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/base/base.h>

G_BEGIN_DECLS

#define GST_TYPE_RTC_ICE_SRC (gst_rtc_ice_src_get_type ())
G_DECLARE_FINAL_TYPE (GstRtcIceSrc, gst_rtc_ice_src, GST, RTC_ICE_SRC,
    GstPushSrc)

GST_ELEMENT_REGISTER_DECLARE (rtcicesrc);

G_END_DECLS
