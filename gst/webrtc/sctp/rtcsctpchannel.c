/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "rtcsctpchannel.h"
#include "rtcsctpassociation.h"

G_DEFINE_TYPE (RtcSctpChannel, rtc_sctp_channel, GST_TYPE_RTC_DATA_CHANNEL);

void
rtc_sctp_pending_free (RtcSctpPending *pending)
{
  g_bytes_unref (pending->data);
  g_free (pending);
}

static gboolean
rtc_sctp_channel_send (GstRtcDataChannel *channel, GBytes *data,
    gboolean is_string, GError **error)
{
  RtcSctpChannel *self = RTC_SCTP_CHANNEL (channel);
  RtcSctpAssociation *assoc = g_weak_ref_get (&self->assoc);
  gboolean ret;

  if (!assoc) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE,
        "data channel is closed: its SCTP association is gone");
    return FALSE;
  }
  ret = rtc_sctp_association_channel_send (assoc, self, data, is_string, error);
  g_object_unref (assoc);
  return ret;
}

static void
rtc_sctp_channel_close (GstRtcDataChannel *channel)
{
  RtcSctpChannel *self = RTC_SCTP_CHANNEL (channel);
  RtcSctpAssociation *assoc = g_weak_ref_get (&self->assoc);

  if (assoc) {
    rtc_sctp_association_channel_close (assoc, self);
    g_object_unref (assoc);
  } else {
    gst_rtc_data_channel_set_ready_state (channel,
        GST_RTC_DATA_CHANNEL_STATE_CLOSED);
  }
}

static void
rtc_sctp_channel_finalize (GObject *object)
{
  RtcSctpChannel *self = RTC_SCTP_CHANNEL (object);

  g_weak_ref_clear (&self->assoc);
  g_queue_clear_full (&self->pending, (GDestroyNotify)rtc_sctp_pending_free);
  G_OBJECT_CLASS (rtc_sctp_channel_parent_class)->finalize (object);
}

static void
rtc_sctp_channel_class_init (RtcSctpChannelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rtc_sctp_channel_finalize;
  GST_RTC_DATA_CHANNEL_CLASS (klass)->send = rtc_sctp_channel_send;
  GST_RTC_DATA_CHANNEL_CLASS (klass)->close = rtc_sctp_channel_close;
}

static void
rtc_sctp_channel_init (RtcSctpChannel *self)
{
  g_weak_ref_init (&self->assoc, NULL);
  g_queue_init (&self->pending);
}

RtcSctpChannel *
rtc_sctp_channel_new (gpointer assoc, const gchar *label, const gchar *protocol,
    gboolean ordered, gint max_retransmits, gint max_packet_lifetime,
    gboolean negotiated, gint id, GstRtcPriorityType priority)
{
  RtcSctpChannel *self = g_object_new (RTC_TYPE_SCTP_CHANNEL, "label", label,
      "protocol", protocol, "ordered", ordered, "max-retransmits",
      max_retransmits, "max-packet-lifetime", max_packet_lifetime, "negotiated",
      negotiated, "id", id, "priority", priority, NULL);

  gst_object_ref_sink (self);
  g_weak_ref_set (&self->assoc, assoc);
  self->sid = id;
  self->ordered = ordered;
  self->negotiated = negotiated;
  self->max_retransmits = max_retransmits;
  self->max_packet_lifetime = max_packet_lifetime;
  return self;
}
