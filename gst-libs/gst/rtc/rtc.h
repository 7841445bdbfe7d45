/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/**
 * SECTION:gstrtc
 * @title: GstRtc
 * @short_description: public types of gst-rtc's WebRTC session element
 *
 * The types that `rtcbin` hands to applications: session descriptions,
 * W3C state and policy enumerations, transceivers with their senders and
 * receivers, data channels, and the #GST_RTC_ERROR domain. They mirror gst-plugins-bad's
 * GstWebRTC library type for type and value for value, so that an
 * application written for `webrtcbin` ports by renaming.
 *
 * Include this header only: `#include <gst/rtc/rtc.h>`, and link with
 * `pkg-config --libs gstreamer-rtc-1.0`.
 */

#include <gst/rtc/rtc-prelude.h>
#include <gst/rtc/rtc_fwd.h>
#include <gst/rtc/rtc-enumtypes.h>
#include <gst/rtc/sessiondescription.h>
#include <gst/rtc/rtpsender.h>
#include <gst/rtc/rtpreceiver.h>
#include <gst/rtc/rtptransceiver.h>
#include <gst/rtc/datachannel.h>
