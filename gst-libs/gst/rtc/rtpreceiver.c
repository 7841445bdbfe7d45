/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:rtpreceiver
 * @title: GstRtcRtpReceiver
 * @short_description: the receiving half of a transceiver
 * @see_also: #GstRtcRtpTransceiver, #GstRtcRtpSender
 *
 * A #GstRtcRtpReceiver carries what the W3C RTCRtpReceiver exposes: the
 * transport its packets arrive on. The session element creates one per
 * transceiver and sets its transport once the transceiver is bound to one.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/rtc/rtpreceiver.h>

struct _GstRtcRtpReceiver {
  GstObject parent;

  /* Guarded by the object lock. */
  GstObject *transport;
};

enum { PROP_0, PROP_TRANSPORT, N_PROPS };

static GParamSpec *properties[N_PROPS];

G_DEFINE_TYPE (GstRtcRtpReceiver, gst_rtc_rtp_receiver, GST_TYPE_OBJECT);

/**
 * gst_rtc_rtp_receiver_new:
 *
 * Returns: (transfer floating): a new #GstRtcRtpReceiver with no transport.
 */
GstRtcRtpReceiver *
gst_rtc_rtp_receiver_new (void)
{
  return g_object_new (GST_TYPE_RTC_RTP_RECEIVER, NULL);
}

/**
 * gst_rtc_rtp_receiver_get_transport:
 * @receiver: a #GstRtcRtpReceiver
 *
 * Returns: (transfer full) (nullable): the #GstRtcRtpReceiver:transport of
 *   @receiver.
 */
GstObject *
gst_rtc_rtp_receiver_get_transport (GstRtcRtpReceiver *receiver)
{
  GstObject *transport;

  g_return_val_if_fail (GST_IS_RTC_RTP_RECEIVER (receiver), NULL);

  GST_OBJECT_LOCK (receiver);
  transport = receiver->transport ? gst_object_ref (receiver->transport) : NULL;
  GST_OBJECT_UNLOCK (receiver);
  return transport;
}

/**
 * gst_rtc_rtp_receiver_set_transport:
 * @receiver: a #GstRtcRtpReceiver
 * @transport: (transfer none) (nullable): the transport
 *
 * Binds @receiver to @transport. Called by the session element that owns
 * @receiver, not by applications.
 */
void
gst_rtc_rtp_receiver_set_transport (GstRtcRtpReceiver *receiver,
    GstObject *transport)
{
  gboolean changed;

  g_return_if_fail (GST_IS_RTC_RTP_RECEIVER (receiver));
  g_return_if_fail (transport == NULL || GST_IS_OBJECT (transport));

  GST_OBJECT_LOCK (receiver);
  changed = gst_object_replace (&receiver->transport, transport);
  GST_OBJECT_UNLOCK (receiver);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (receiver), properties[PROP_TRANSPORT]);
}

static void
gst_rtc_rtp_receiver_get_property (GObject *object, guint prop_id,
    GValue *value, GParamSpec *pspec)
{
  GstRtcRtpReceiver *receiver = GST_RTC_RTP_RECEIVER (object);

  switch (prop_id) {
    case PROP_TRANSPORT:
      g_value_take_object (value,
          gst_rtc_rtp_receiver_get_transport (receiver));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_rtc_rtp_receiver_dispose (GObject *object)
{
  GstRtcRtpReceiver *receiver = GST_RTC_RTP_RECEIVER (object);

  gst_clear_object (&receiver->transport);

  G_OBJECT_CLASS (gst_rtc_rtp_receiver_parent_class)->dispose (object);
}

static void
gst_rtc_rtp_receiver_class_init (GstRtcRtpReceiverClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->get_property = gst_rtc_rtp_receiver_get_property;
  gobject_class->dispose = gst_rtc_rtp_receiver_dispose;

  /**
   * GstRtcRtpReceiver:transport:
   *
   * The DTLS transport the packets arrive on, %NULL until the transceiver
   * is bound to one.
   */
  properties[PROP_TRANSPORT] = g_param_spec_object ("transport", "Transport",
      "The DTLS transport the packets arrive on", GST_TYPE_OBJECT,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (gobject_class, N_PROPS, properties);
}

static void
gst_rtc_rtp_receiver_init (GstRtcRtpReceiver *receiver)
{
}
