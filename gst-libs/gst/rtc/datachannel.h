/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/rtc/rtc_fwd.h>

G_BEGIN_DECLS

/**
 * GST_TYPE_RTC_DATA_CHANNEL:
 *
 * The #GType of #GstRtcDataChannel.
 */
#define GST_TYPE_RTC_DATA_CHANNEL (gst_rtc_data_channel_get_type ())

/**
 * GstRtcDataChannel:
 *
 * A bidirectional message channel over an SCTP association (W3C
 * RTCDataChannel).
 */
GST_RTC_API
G_DECLARE_DERIVABLE_TYPE (GstRtcDataChannel, gst_rtc_data_channel, GST,
    RTC_DATA_CHANNEL, GstObject)

/**
 * GstRtcDataChannelClass:
 * @parent_class: the parent class
 * @send: queues one message (@is_string tells the PPID); @data is never
 *   %NULL (an empty message is an empty #GBytes). Return %FALSE and set
 *   @error if the message cannot be sent; nothing may be sent then.
 * @close: starts the closing procedure
 *
 * The transport implements the virtual methods; the base class keeps the
 * properties and emits the signals.
 */
struct _GstRtcDataChannelClass {
  GstObjectClass parent_class;

  gboolean (*send) (GstRtcDataChannel *channel, GBytes *data,
      gboolean is_string, GError **error);
  void (*close) (GstRtcDataChannel *channel);

  /*< private >*/
  gpointer _gst_reserved[GST_PADDING];
};

GST_RTC_API
gboolean gst_rtc_data_channel_send_data_full (GstRtcDataChannel *channel,
    GBytes *data, GError **error);

GST_RTC_API
gboolean gst_rtc_data_channel_send_string_full (GstRtcDataChannel *channel,
    const gchar *str, GError **error);

GST_RTC_API
void gst_rtc_data_channel_close (GstRtcDataChannel *channel);

GST_RTC_API
GstRtcDataChannelState gst_rtc_data_channel_get_ready_state (
    GstRtcDataChannel *channel);

GST_RTC_API
guint64 gst_rtc_data_channel_get_buffered_amount (GstRtcDataChannel *channel);

GST_RTC_API
gint gst_rtc_data_channel_get_id (GstRtcDataChannel *channel);

/* For transport implementations. */

GST_RTC_API
void gst_rtc_data_channel_set_id (GstRtcDataChannel *channel, gint id);

GST_RTC_API
void gst_rtc_data_channel_set_ready_state (GstRtcDataChannel *channel,
    GstRtcDataChannelState state);

GST_RTC_API
void gst_rtc_data_channel_add_buffered_amount (GstRtcDataChannel *channel,
    guint64 amount);

GST_RTC_API
void gst_rtc_data_channel_remove_buffered_amount (GstRtcDataChannel *channel,
    guint64 amount);

GST_RTC_API
void gst_rtc_data_channel_deliver_message (GstRtcDataChannel *channel,
    GBytes *data, gboolean is_string);

GST_RTC_API
void gst_rtc_data_channel_emit_error (GstRtcDataChannel *channel,
    const GError *error);

G_END_DECLS
