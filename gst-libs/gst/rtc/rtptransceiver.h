/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/rtc/rtc_fwd.h>
#include <gst/rtc/rtpsender.h>
#include <gst/rtc/rtpreceiver.h>

G_BEGIN_DECLS

/**
 * GST_TYPE_RTC_RTP_TRANSCEIVER:
 *
 * The #GType of #GstRtcRtpTransceiver.
 */
#define GST_TYPE_RTC_RTP_TRANSCEIVER (gst_rtc_rtp_transceiver_get_type ())

/**
 * GstRtcRtpTransceiver:
 *
 * One m-line's worth of media in a session (W3C RTCRtpTransceiver).
 */
GST_RTC_API
G_DECLARE_DERIVABLE_TYPE (GstRtcRtpTransceiver, gst_rtc_rtp_transceiver, GST,
    RTC_RTP_TRANSCEIVER, GstObject)

/**
 * GstRtcRtpTransceiverClass:
 * @parent_class: the parent class
 *
 * The class of #GstRtcRtpTransceiver; the session element subclasses it
 * to hang its per-m-line state on it.
 */
struct _GstRtcRtpTransceiverClass {
  GstObjectClass parent_class;

  /*< private >*/
  gpointer _gst_reserved[GST_PADDING];
};

GST_RTC_API
GstRtcRtpSender *gst_rtc_rtp_transceiver_get_sender (
    GstRtcRtpTransceiver *trans);

GST_RTC_API
GstRtcRtpReceiver *gst_rtc_rtp_transceiver_get_receiver (
    GstRtcRtpTransceiver *trans);

GST_RTC_API
guint gst_rtc_rtp_transceiver_get_mlineindex (GstRtcRtpTransceiver *trans);

GST_RTC_API
void gst_rtc_rtp_transceiver_set_mlineindex (GstRtcRtpTransceiver *trans,
    guint mlineindex);

GST_RTC_API
gchar *gst_rtc_rtp_transceiver_get_mid (GstRtcRtpTransceiver *trans);

GST_RTC_API
gboolean gst_rtc_rtp_transceiver_set_mid (GstRtcRtpTransceiver *trans,
    const gchar *mid);

GST_RTC_API
GstRtcRtpTransceiverDirection gst_rtc_rtp_transceiver_get_direction (
    GstRtcRtpTransceiver *trans);

GST_RTC_API
gboolean gst_rtc_rtp_transceiver_set_direction (GstRtcRtpTransceiver *trans,
    GstRtcRtpTransceiverDirection direction);

GST_RTC_API
GstRtcRtpTransceiverDirection gst_rtc_rtp_transceiver_get_current_direction (
    GstRtcRtpTransceiver *trans);

GST_RTC_API
void gst_rtc_rtp_transceiver_set_current_direction (GstRtcRtpTransceiver *trans,
    GstRtcRtpTransceiverDirection direction);

GST_RTC_API
GstRtcKind gst_rtc_rtp_transceiver_get_kind (GstRtcRtpTransceiver *trans);

GST_RTC_API
void gst_rtc_rtp_transceiver_set_kind (GstRtcRtpTransceiver *trans,
    GstRtcKind kind);

GST_RTC_API
GstCaps *gst_rtc_rtp_transceiver_get_codec_preferences (
    GstRtcRtpTransceiver *trans);

GST_RTC_API
gboolean
gst_rtc_rtp_transceiver_set_codec_preferences (GstRtcRtpTransceiver *trans,
    GstCaps *caps);

GST_RTC_API
void gst_rtc_rtp_transceiver_stop (GstRtcRtpTransceiver *trans);

GST_RTC_API
gboolean gst_rtc_rtp_transceiver_is_stopping (GstRtcRtpTransceiver *trans);

GST_RTC_API
gboolean gst_rtc_rtp_transceiver_is_stopped (GstRtcRtpTransceiver *trans);

GST_RTC_API
void gst_rtc_rtp_transceiver_set_stopped (GstRtcRtpTransceiver *trans);

G_END_DECLS
