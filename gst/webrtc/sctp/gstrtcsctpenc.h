/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_RTC_SCTP_ENC (gst_rtc_sctp_enc_get_type ())
G_DECLARE_FINAL_TYPE (GstRtcSctpEnc, gst_rtc_sctp_enc, GST, RTC_SCTP_ENC,
    GstElement)

GST_ELEMENT_REGISTER_DECLARE (rtcsctpenc);

G_END_DECLS
