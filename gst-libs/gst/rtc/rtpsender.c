/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:rtpsender
 * @title: GstRtcRtpSender
 * @short_description: the sending half of a transceiver
 * @see_also: #GstRtcRtpTransceiver, #GstRtcRtpReceiver
 *
 * A #GstRtcRtpSender carries what the W3C RTCRtpSender exposes: the
 * transport its packets leave through and their priority. The session
 * element creates one per transceiver and sets its transport once the
 * transceiver is bound to one.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/rtc/rtpsender.h>
#include <gst/rtc/rtc-enumtypes.h>

struct _GstRtcRtpSender {
  GstObject parent;

  /* Both guarded by the object lock. */
  GstRtcPriorityType priority;
  GstObject *transport;
};

enum { PROP_0, PROP_PRIORITY, PROP_TRANSPORT, N_PROPS };

static GParamSpec *properties[N_PROPS];

G_DEFINE_TYPE (GstRtcRtpSender, gst_rtc_rtp_sender, GST_TYPE_OBJECT);

/**
 * gst_rtc_rtp_sender_new:
 *
 * Returns: (transfer floating): a new #GstRtcRtpSender with no transport
 *   and priority %GST_RTC_PRIORITY_TYPE_LOW.
 */
GstRtcRtpSender *
gst_rtc_rtp_sender_new (void)
{
  return g_object_new (GST_TYPE_RTC_RTP_SENDER, NULL);
}

/**
 * gst_rtc_rtp_sender_get_priority:
 * @sender: a #GstRtcRtpSender
 *
 * Returns: the #GstRtcRtpSender:priority of @sender.
 */
GstRtcPriorityType
gst_rtc_rtp_sender_get_priority (GstRtcRtpSender *sender)
{
  GstRtcPriorityType priority;

  g_return_val_if_fail (GST_IS_RTC_RTP_SENDER (sender),
      GST_RTC_PRIORITY_TYPE_LOW);

  GST_OBJECT_LOCK (sender);
  priority = sender->priority;
  GST_OBJECT_UNLOCK (sender);
  return priority;
}

/**
 * gst_rtc_rtp_sender_set_priority:
 * @sender: a #GstRtcRtpSender
 * @priority: the new priority
 *
 * Sets the #GstRtcRtpSender:priority of @sender; notifies only when it
 * changes.
 */
void
gst_rtc_rtp_sender_set_priority (GstRtcRtpSender *sender,
    GstRtcPriorityType priority)
{
  gboolean changed;

  g_return_if_fail (GST_IS_RTC_RTP_SENDER (sender));
  g_return_if_fail (priority >= GST_RTC_PRIORITY_TYPE_VERY_LOW
      && priority <= GST_RTC_PRIORITY_TYPE_HIGH);

  GST_OBJECT_LOCK (sender);
  changed = sender->priority != priority;
  sender->priority = priority;
  GST_OBJECT_UNLOCK (sender);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (sender), properties[PROP_PRIORITY]);
}

/**
 * gst_rtc_rtp_sender_get_transport:
 * @sender: a #GstRtcRtpSender
 *
 * Returns: (transfer full) (nullable): the #GstRtcRtpSender:transport of
 *   @sender.
 */
GstObject *
gst_rtc_rtp_sender_get_transport (GstRtcRtpSender *sender)
{
  GstObject *transport;

  g_return_val_if_fail (GST_IS_RTC_RTP_SENDER (sender), NULL);

  GST_OBJECT_LOCK (sender);
  transport = sender->transport ? gst_object_ref (sender->transport) : NULL;
  GST_OBJECT_UNLOCK (sender);
  return transport;
}

/**
 * gst_rtc_rtp_sender_set_transport:
 * @sender: a #GstRtcRtpSender
 * @transport: (transfer none) (nullable): the transport
 *
 * Binds @sender to @transport. Called by the session element that owns
 * @sender, not by applications.
 */
void
gst_rtc_rtp_sender_set_transport (GstRtcRtpSender *sender, GstObject *transport)
{
  gboolean changed;

  g_return_if_fail (GST_IS_RTC_RTP_SENDER (sender));
  g_return_if_fail (transport == NULL || GST_IS_OBJECT (transport));

  GST_OBJECT_LOCK (sender);
  changed = gst_object_replace (&sender->transport, transport);
  GST_OBJECT_UNLOCK (sender);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (sender), properties[PROP_TRANSPORT]);
}

static void
gst_rtc_rtp_sender_set_property (GObject *object, guint prop_id,
    const GValue *value, GParamSpec *pspec)
{
  GstRtcRtpSender *sender = GST_RTC_RTP_SENDER (object);

  switch (prop_id) {
    case PROP_PRIORITY:
      gst_rtc_rtp_sender_set_priority (sender, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_rtc_rtp_sender_get_property (GObject *object, guint prop_id, GValue *value,
    GParamSpec *pspec)
{
  GstRtcRtpSender *sender = GST_RTC_RTP_SENDER (object);

  switch (prop_id) {
    case PROP_PRIORITY:
      g_value_set_enum (value, gst_rtc_rtp_sender_get_priority (sender));
      break;
    case PROP_TRANSPORT:
      g_value_take_object (value, gst_rtc_rtp_sender_get_transport (sender));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_rtc_rtp_sender_dispose (GObject *object)
{
  GstRtcRtpSender *sender = GST_RTC_RTP_SENDER (object);

  gst_clear_object (&sender->transport);

  G_OBJECT_CLASS (gst_rtc_rtp_sender_parent_class)->dispose (object);
}

static void
gst_rtc_rtp_sender_class_init (GstRtcRtpSenderClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->set_property = gst_rtc_rtp_sender_set_property;
  gobject_class->get_property = gst_rtc_rtp_sender_get_property;
  gobject_class->dispose = gst_rtc_rtp_sender_dispose;

  /**
   * GstRtcRtpSender:priority:
   *
   * Priority of the packets sent, from which their DSCP marking follows
   * (RFC 8837).
   */
  properties[PROP_PRIORITY] = g_param_spec_enum ("priority", "Priority",
      "Priority of the sent packets (sets their DSCP marking)",
      GST_TYPE_RTC_PRIORITY_TYPE, GST_RTC_PRIORITY_TYPE_LOW,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * GstRtcRtpSender:transport:
   *
   * The DTLS transport the packets leave through, %NULL until the
   * transceiver is bound to one.
   */
  properties[PROP_TRANSPORT] = g_param_spec_object ("transport", "Transport",
      "The DTLS transport the packets leave through", GST_TYPE_OBJECT,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (gobject_class, N_PROPS, properties);
}

static void
gst_rtc_rtp_sender_init (GstRtcRtpSender *sender)
{
  sender->priority = GST_RTC_PRIORITY_TYPE_LOW;
}
