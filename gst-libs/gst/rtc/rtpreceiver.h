/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/rtc/rtc_fwd.h>

G_BEGIN_DECLS

/**
 * GST_TYPE_RTC_RTP_RECEIVER:
 *
 * The #GType of #GstRtcRtpReceiver.
 */
#define GST_TYPE_RTC_RTP_RECEIVER (gst_rtc_rtp_receiver_get_type ())

/**
 * GstRtcRtpReceiver:
 *
 * The receiving half of a #GstRtcRtpTransceiver (W3C RTCRtpReceiver).
 */
GST_RTC_API
G_DECLARE_FINAL_TYPE (GstRtcRtpReceiver, gst_rtc_rtp_receiver, GST,
    RTC_RTP_RECEIVER, GstObject)

GST_RTC_API
GstRtcRtpReceiver *gst_rtc_rtp_receiver_new (void);

GST_RTC_API
GstObject *gst_rtc_rtp_receiver_get_transport (GstRtcRtpReceiver *receiver);

GST_RTC_API
void gst_rtc_rtp_receiver_set_transport (GstRtcRtpReceiver *receiver,
    GstObject *transport);

G_END_DECLS
