/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/rtc/rtc_fwd.h>

G_BEGIN_DECLS

/**
 * GST_TYPE_RTC_RTP_SENDER:
 *
 * The #GType of #GstRtcRtpSender.
 */
#define GST_TYPE_RTC_RTP_SENDER (gst_rtc_rtp_sender_get_type ())

/**
 * GstRtcRtpSender:
 *
 * The sending half of a #GstRtcRtpTransceiver (W3C RTCRtpSender).
 */
GST_RTC_API
G_DECLARE_FINAL_TYPE (GstRtcRtpSender, gst_rtc_rtp_sender, GST, RTC_RTP_SENDER,
    GstObject)

GST_RTC_API
GstRtcRtpSender *gst_rtc_rtp_sender_new (void);

GST_RTC_API
GstRtcPriorityType gst_rtc_rtp_sender_get_priority (GstRtcRtpSender *sender);

GST_RTC_API
void gst_rtc_rtp_sender_set_priority (GstRtcRtpSender *sender,
    GstRtcPriorityType priority);

GST_RTC_API
GstObject *gst_rtc_rtp_sender_get_transport (GstRtcRtpSender *sender);

GST_RTC_API
void gst_rtc_rtp_sender_set_transport (GstRtcRtpSender *sender,
    GstObject *transport);

G_END_DECLS
