/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:datachannel
 * @title: GstRtcDataChannel
 * @short_description: a WebRTC data channel
 *
 * A #GstRtcDataChannel carries string and binary messages between two
 * peers over an SCTP association (W3C RTCDataChannel, RFC 8831). Its
 * properties and signals mirror gst-plugins-bad's GstWebRTCDataChannel,
 * so code written for webrtcbin ports by renaming.
 *
 * The transport (`rtcsctpenc`, or `rtcbin` through it) creates channels
 * with #GstRtcDataChannel:label, #GstRtcDataChannel:ordered,
 * #GstRtcDataChannel:max-retransmits or
 * #GstRtcDataChannel:max-packet-lifetime, #GstRtcDataChannel:protocol,
 * #GstRtcDataChannel:negotiated, #GstRtcDataChannel:id and
 * #GstRtcDataChannel:priority set at construction; they never change after
 * that, except #GstRtcDataChannel:id, which an in-band channel gets once
 * the DTLS role is known.
 *
 * #GstRtcDataChannel:buffered-amount follows the W3C definition: the
 * bytes of messages accepted by a send but not yet handed to the SCTP
 * stack. #GstRtcDataChannel::on-buffered-amount-low is emitted when it
 * falls from above #GstRtcDataChannel:buffered-amount-low-threshold to
 * the threshold or below.
 *
 * Signals are emitted from the transport's threads (the thread that
 * received the packet, or the SCTP timer thread), never from a main loop:
 * handlers must not block.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/rtc/datachannel.h>
#include <gst/rtc/rtc-enumtypes.h>

#include <string.h>

GST_DEBUG_CATEGORY_STATIC (rtc_data_channel_debug);
#define GST_CAT_DEFAULT rtc_data_channel_debug

typedef struct {
  /* Construct-only. */
  gchar *label;
  gchar *protocol;
  gboolean ordered;
  gint max_packet_lifetime;
  gint max_retransmits;
  gboolean negotiated;
  GstRtcPriorityType priority;

  /* Object lock. */
  gint id;
  GstRtcDataChannelState ready_state;
  guint64 buffered_amount;
  guint64 buffered_amount_low_threshold;
} GstRtcDataChannelPrivate;

enum {
  PROP_0,
  PROP_LABEL,
  PROP_ORDERED,
  PROP_MAX_PACKET_LIFETIME,
  PROP_MAX_RETRANSMITS,
  PROP_PROTOCOL,
  PROP_NEGOTIATED,
  PROP_ID,
  PROP_PRIORITY,
  PROP_READY_STATE,
  PROP_BUFFERED_AMOUNT,
  PROP_BUFFERED_AMOUNT_LOW_THRESHOLD,
  N_PROPS
};

enum {
  SIGNAL_ON_OPEN,
  SIGNAL_ON_CLOSE,
  SIGNAL_ON_ERROR,
  SIGNAL_ON_MESSAGE_STRING,
  SIGNAL_ON_MESSAGE_DATA,
  SIGNAL_ON_BUFFERED_AMOUNT_LOW,
  SIGNAL_SEND_STRING,
  SIGNAL_SEND_DATA,
  SIGNAL_CLOSE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_TYPE_WITH_CODE (GstRtcDataChannel, gst_rtc_data_channel,
                         GST_TYPE_OBJECT, G_ADD_PRIVATE (GstRtcDataChannel);
                         GST_DEBUG_CATEGORY_INIT (rtc_data_channel_debug,
                             "rtcdatachannel", 0, "gst-rtc data channel"));

#define GET_PRIV(c) \
  ((GstRtcDataChannelPrivate *)gst_rtc_data_channel_get_instance_private (c))

/**
 * gst_rtc_data_channel_send_data_full:
 * @channel: a #GstRtcDataChannel
 * @data: (nullable): the message; %NULL is an empty message
 * @error: (out) (optional): where a failure is described
 *
 * Queues a binary message. It fails, with nothing sent, when the channel
 * is not open or the message is larger than the peer accepts.
 *
 * Returns: %TRUE if the message was queued
 */
gboolean
gst_rtc_data_channel_send_data_full (GstRtcDataChannel *channel, GBytes *data,
    GError **error)
{
  GstRtcDataChannelClass *klass;
  GBytes *empty = NULL;
  gboolean ret;

  g_return_val_if_fail (GST_IS_RTC_DATA_CHANNEL (channel), FALSE);
  klass = GST_RTC_DATA_CHANNEL_GET_CLASS (channel);
  g_return_val_if_fail (klass->send != NULL, FALSE);

  if (!data)
    data = empty = g_bytes_new (NULL, 0);
  ret = klass->send (channel, data, FALSE, error);
  if (empty)
    g_bytes_unref (empty);
  return ret;
}

/**
 * gst_rtc_data_channel_send_string_full:
 * @channel: a #GstRtcDataChannel
 * @str: (nullable): a UTF-8 string; %NULL is an empty message
 * @error: (out) (optional): where a failure is described
 *
 * Queues a string message (without its terminating NUL). It fails, with
 * nothing sent, when the channel is not open, @str is not valid UTF-8 or
 * it is larger than the peer accepts.
 *
 * Returns: %TRUE if the message was queued
 */
gboolean
gst_rtc_data_channel_send_string_full (GstRtcDataChannel *channel,
    const gchar *str, GError **error)
{
  GstRtcDataChannelClass *klass;
  GBytes *bytes;
  gboolean ret;

  g_return_val_if_fail (GST_IS_RTC_DATA_CHANNEL (channel), FALSE);
  klass = GST_RTC_DATA_CHANNEL_GET_CLASS (channel);
  g_return_val_if_fail (klass->send != NULL, FALSE);

  if (str && !g_utf8_validate (str, -1, NULL)) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR,
        "string message is not valid UTF-8");
    return FALSE;
  }
  bytes = g_bytes_new (str, str ? strlen (str) : 0);
  ret = klass->send (channel, bytes, TRUE, error);
  g_bytes_unref (bytes);
  return ret;
}

/**
 * gst_rtc_data_channel_close:
 * @channel: a #GstRtcDataChannel
 *
 * Starts closing the channel: messages already queued are still sent,
 * then the SCTP stream is reset (RFC 8831 6.7), and
 * #GstRtcDataChannel::on-close is emitted on both sides once the reset
 * completed. Closing a closing or closed channel does nothing.
 */
void
gst_rtc_data_channel_close (GstRtcDataChannel *channel)
{
  GstRtcDataChannelClass *klass;

  g_return_if_fail (GST_IS_RTC_DATA_CHANNEL (channel));
  klass = GST_RTC_DATA_CHANNEL_GET_CLASS (channel);
  if (klass->close)
    klass->close (channel);
}

static void
send_data_action (GstRtcDataChannel *channel, GBytes *data)
{
  GError *error = NULL;

  if (!gst_rtc_data_channel_send_data_full (channel, data, &error)) {
    GST_WARNING_OBJECT (channel, "send-data failed: %s", error->message);
    g_error_free (error);
  }
}

static void
send_string_action (GstRtcDataChannel *channel, const gchar *str)
{
  GError *error = NULL;

  if (!gst_rtc_data_channel_send_string_full (channel, str, &error)) {
    GST_WARNING_OBJECT (channel, "send-string failed: %s", error->message);
    g_error_free (error);
  }
}

/**
 * gst_rtc_data_channel_get_ready_state:
 * @channel: a #GstRtcDataChannel
 *
 * Returns: the #GstRtcDataChannel:ready-state
 */
GstRtcDataChannelState
gst_rtc_data_channel_get_ready_state (GstRtcDataChannel *channel)
{
  GstRtcDataChannelState state;

  g_return_val_if_fail (GST_IS_RTC_DATA_CHANNEL (channel), 0);
  GST_OBJECT_LOCK (channel);
  state = GET_PRIV (channel)->ready_state;
  GST_OBJECT_UNLOCK (channel);
  return state;
}

/**
 * gst_rtc_data_channel_get_buffered_amount:
 * @channel: a #GstRtcDataChannel
 *
 * Returns: the #GstRtcDataChannel:buffered-amount
 */
guint64
gst_rtc_data_channel_get_buffered_amount (GstRtcDataChannel *channel)
{
  guint64 amount;

  g_return_val_if_fail (GST_IS_RTC_DATA_CHANNEL (channel), 0);
  GST_OBJECT_LOCK (channel);
  amount = GET_PRIV (channel)->buffered_amount;
  GST_OBJECT_UNLOCK (channel);
  return amount;
}

/**
 * gst_rtc_data_channel_get_id:
 * @channel: a #GstRtcDataChannel
 *
 * Returns: the SCTP stream id, or -1 while none is assigned
 */
gint
gst_rtc_data_channel_get_id (GstRtcDataChannel *channel)
{
  gint id;

  g_return_val_if_fail (GST_IS_RTC_DATA_CHANNEL (channel), -1);
  GST_OBJECT_LOCK (channel);
  id = GET_PRIV (channel)->id;
  GST_OBJECT_UNLOCK (channel);
  return id;
}

/**
 * gst_rtc_data_channel_set_id:
 * @channel: a #GstRtcDataChannel
 * @id: the SCTP stream id, 0 to 65534
 *
 * For transport implementations: assigns the stream id.
 */
void
gst_rtc_data_channel_set_id (GstRtcDataChannel *channel, gint id)
{
  gboolean changed;

  g_return_if_fail (GST_IS_RTC_DATA_CHANNEL (channel));
  g_return_if_fail (id >= -1 && id <= 65534);
  GST_OBJECT_LOCK (channel);
  changed = GET_PRIV (channel)->id != id;
  GET_PRIV (channel)->id = id;
  GST_OBJECT_UNLOCK (channel);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (channel), properties[PROP_ID]);
}

/**
 * gst_rtc_data_channel_set_ready_state:
 * @channel: a #GstRtcDataChannel
 * @state: the new state
 *
 * For transport implementations: changes #GstRtcDataChannel:ready-state
 * and emits #GstRtcDataChannel::on-open or #GstRtcDataChannel::on-close
 * when it becomes open or closed. A closed channel stays closed.
 */
void
gst_rtc_data_channel_set_ready_state (GstRtcDataChannel *channel,
    GstRtcDataChannelState state)
{
  GstRtcDataChannelPrivate *priv;
  gboolean changed;

  g_return_if_fail (GST_IS_RTC_DATA_CHANNEL (channel));
  priv = GET_PRIV (channel);
  GST_OBJECT_LOCK (channel);
  changed = priv->ready_state != state
      && priv->ready_state != GST_RTC_DATA_CHANNEL_STATE_CLOSED;
  if (changed)
    priv->ready_state = state;
  GST_OBJECT_UNLOCK (channel);
  if (!changed)
    return;

  GST_DEBUG_OBJECT (channel, "ready-state %d", state);
  g_object_notify_by_pspec (G_OBJECT (channel), properties[PROP_READY_STATE]);
  if (state == GST_RTC_DATA_CHANNEL_STATE_OPEN)
    g_signal_emit (channel, signals[SIGNAL_ON_OPEN], 0);
  else if (state == GST_RTC_DATA_CHANNEL_STATE_CLOSED)
    g_signal_emit (channel, signals[SIGNAL_ON_CLOSE], 0);
}

/**
 * gst_rtc_data_channel_add_buffered_amount:
 * @channel: a #GstRtcDataChannel
 * @amount: bytes accepted by a send
 *
 * For transport implementations: a message was queued.
 */
void
gst_rtc_data_channel_add_buffered_amount (GstRtcDataChannel *channel,
    guint64 amount)
{
  g_return_if_fail (GST_IS_RTC_DATA_CHANNEL (channel));
  GST_OBJECT_LOCK (channel);
  GET_PRIV (channel)->buffered_amount += amount;
  GST_OBJECT_UNLOCK (channel);
  g_object_notify_by_pspec (G_OBJECT (channel),
      properties[PROP_BUFFERED_AMOUNT]);
}

/**
 * gst_rtc_data_channel_remove_buffered_amount:
 * @channel: a #GstRtcDataChannel
 * @amount: bytes handed to the SCTP stack
 *
 * For transport implementations: queued bytes left. Emits
 * #GstRtcDataChannel::on-buffered-amount-low when the amount crosses the
 * threshold downwards.
 */
void
gst_rtc_data_channel_remove_buffered_amount (GstRtcDataChannel *channel,
    guint64 amount)
{
  GstRtcDataChannelPrivate *priv;
  gboolean low;

  g_return_if_fail (GST_IS_RTC_DATA_CHANNEL (channel));
  priv = GET_PRIV (channel);
  GST_OBJECT_LOCK (channel);
  amount = MIN (amount, priv->buffered_amount);
  low = priv->buffered_amount > priv->buffered_amount_low_threshold
      && priv->buffered_amount - amount <= priv->buffered_amount_low_threshold;
  priv->buffered_amount -= amount;
  GST_OBJECT_UNLOCK (channel);
  g_object_notify_by_pspec (G_OBJECT (channel),
      properties[PROP_BUFFERED_AMOUNT]);
  if (low)
    g_signal_emit (channel, signals[SIGNAL_ON_BUFFERED_AMOUNT_LOW], 0);
}

/**
 * gst_rtc_data_channel_deliver_message:
 * @channel: a #GstRtcDataChannel
 * @data: the received message
 * @is_string: whether it came as a string (the transport checked UTF-8)
 *
 * For transport implementations: emits
 * #GstRtcDataChannel::on-message-string or
 * #GstRtcDataChannel::on-message-data.
 */
void
gst_rtc_data_channel_deliver_message (GstRtcDataChannel *channel, GBytes *data,
    gboolean is_string)
{
  g_return_if_fail (GST_IS_RTC_DATA_CHANNEL (channel));
  g_return_if_fail (data != NULL);

  if (is_string) {
    gsize len;
    const gchar *s = g_bytes_get_data (data, &len);
    gchar *str = g_strndup (s ? s : "", len);

    g_signal_emit (channel, signals[SIGNAL_ON_MESSAGE_STRING], 0, str);
    g_free (str);
  } else {
    g_signal_emit (channel, signals[SIGNAL_ON_MESSAGE_DATA], 0, data);
  }
}

/**
 * gst_rtc_data_channel_emit_error:
 * @channel: a #GstRtcDataChannel
 * @error: what failed
 *
 * For transport implementations: emits #GstRtcDataChannel::on-error.
 */
void
gst_rtc_data_channel_emit_error (GstRtcDataChannel *channel,
    const GError *error)
{
  g_return_if_fail (GST_IS_RTC_DATA_CHANNEL (channel));
  g_return_if_fail (error != NULL);
  GST_INFO_OBJECT (channel, "error: %s", error->message);
  g_signal_emit (channel, signals[SIGNAL_ON_ERROR], 0, error);
}

static void
gst_rtc_data_channel_set_property (GObject *object, guint prop_id,
    const GValue *value, GParamSpec *pspec)
{
  GstRtcDataChannel *channel = GST_RTC_DATA_CHANNEL (object);
  GstRtcDataChannelPrivate *priv = GET_PRIV (channel);

  switch (prop_id) {
    case PROP_LABEL:
      priv->label = g_value_dup_string (value);
      break;
    case PROP_PROTOCOL:
      priv->protocol = g_value_dup_string (value);
      break;
    case PROP_ORDERED:
      priv->ordered = g_value_get_boolean (value);
      break;
    case PROP_MAX_PACKET_LIFETIME:
      priv->max_packet_lifetime = g_value_get_int (value);
      break;
    case PROP_MAX_RETRANSMITS:
      priv->max_retransmits = g_value_get_int (value);
      break;
    case PROP_NEGOTIATED:
      priv->negotiated = g_value_get_boolean (value);
      break;
    case PROP_ID:
      priv->id = g_value_get_int (value);
      break;
    case PROP_PRIORITY:
      priv->priority = g_value_get_enum (value);
      break;
    case PROP_BUFFERED_AMOUNT_LOW_THRESHOLD:
      GST_OBJECT_LOCK (channel);
      priv->buffered_amount_low_threshold = g_value_get_uint64 (value);
      GST_OBJECT_UNLOCK (channel);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_rtc_data_channel_get_property (GObject *object, guint prop_id,
    GValue *value, GParamSpec *pspec)
{
  GstRtcDataChannel *channel = GST_RTC_DATA_CHANNEL (object);
  GstRtcDataChannelPrivate *priv = GET_PRIV (channel);

  GST_OBJECT_LOCK (channel);
  switch (prop_id) {
    case PROP_LABEL:
      g_value_set_string (value, priv->label);
      break;
    case PROP_PROTOCOL:
      g_value_set_string (value, priv->protocol);
      break;
    case PROP_ORDERED:
      g_value_set_boolean (value, priv->ordered);
      break;
    case PROP_MAX_PACKET_LIFETIME:
      g_value_set_int (value, priv->max_packet_lifetime);
      break;
    case PROP_MAX_RETRANSMITS:
      g_value_set_int (value, priv->max_retransmits);
      break;
    case PROP_NEGOTIATED:
      g_value_set_boolean (value, priv->negotiated);
      break;
    case PROP_ID:
      g_value_set_int (value, priv->id);
      break;
    case PROP_PRIORITY:
      g_value_set_enum (value, priv->priority);
      break;
    case PROP_READY_STATE:
      g_value_set_enum (value, priv->ready_state);
      break;
    case PROP_BUFFERED_AMOUNT:
      g_value_set_uint64 (value, priv->buffered_amount);
      break;
    case PROP_BUFFERED_AMOUNT_LOW_THRESHOLD:
      g_value_set_uint64 (value, priv->buffered_amount_low_threshold);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (channel);
}

static void
gst_rtc_data_channel_finalize (GObject *object)
{
  GstRtcDataChannelPrivate *priv = GET_PRIV (GST_RTC_DATA_CHANNEL (object));

  g_free (priv->label);
  g_free (priv->protocol);
  G_OBJECT_CLASS (gst_rtc_data_channel_parent_class)->finalize (object);
}

static void
gst_rtc_data_channel_class_init (GstRtcDataChannelClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
      | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  gobject_class->set_property = gst_rtc_data_channel_set_property;
  gobject_class->get_property = gst_rtc_data_channel_get_property;
  gobject_class->finalize = gst_rtc_data_channel_finalize;

  properties[PROP_LABEL] = g_param_spec_string ("label", "Label",
      "Name of the channel (DCEP label)", NULL, construct);
  properties[PROP_ORDERED] = g_param_spec_boolean ("ordered", "Ordered",
      "Whether messages are delivered in the order sent", TRUE, construct);
  properties[PROP_MAX_PACKET_LIFETIME]
      = g_param_spec_int ("max-packet-lifetime", "Maximum packet lifetime",
          "Milliseconds during which a message is retransmitted (-1: no limit)",
          -1, 65535, -1, construct);
  properties[PROP_MAX_RETRANSMITS] = g_param_spec_int ("max-retransmits",
      "Maximum retransmits",
      "Times a message is retransmitted at most (-1: no limit)", -1, 65535, -1,
      construct);
  properties[PROP_PROTOCOL] = g_param_spec_string ("protocol", "Protocol",
      "Sub-protocol of the channel (DCEP protocol)", NULL, construct);
  properties[PROP_NEGOTIATED] = g_param_spec_boolean ("negotiated",
      "Negotiated",
      "Whether the application negotiated the channel (no DCEP open)", FALSE,
      construct);
  properties[PROP_ID] = g_param_spec_int ("id", "ID",
      "SCTP stream id (-1 until assigned)", -1, 65534, -1, construct);
  properties[PROP_PRIORITY] = g_param_spec_enum ("priority", "Priority",
      "Priority of the channel", GST_TYPE_RTC_PRIORITY_TYPE,
      GST_RTC_PRIORITY_TYPE_LOW, construct);
  properties[PROP_READY_STATE] = g_param_spec_enum ("ready-state",
      "Ready state", "State of the channel", GST_TYPE_RTC_DATA_CHANNEL_STATE,
      GST_RTC_DATA_CHANNEL_STATE_CONNECTING, ro);
  properties[PROP_BUFFERED_AMOUNT] = g_param_spec_uint64 ("buffered-amount",
      "Buffered amount",
      "Bytes of messages sent but not yet handed to the SCTP stack", 0,
      G_MAXUINT64, 0, ro);
  properties[PROP_BUFFERED_AMOUNT_LOW_THRESHOLD]
      = g_param_spec_uint64 ("buffered-amount-low-threshold",
          "Buffered amount low threshold",
          "on-buffered-amount-low is emitted when buffered-amount falls to "
          "this",
          0, G_MAXUINT64, 0, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (gobject_class, N_PROPS, properties);

  /**
   * GstRtcDataChannel::on-open:
   * @channel: the channel
   *
   * The channel is open: messages may be sent.
   */
  signals[SIGNAL_ON_OPEN] = g_signal_new ("on-open", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * GstRtcDataChannel::on-close:
   * @channel: the channel
   *
   * The channel is closed (both directions of its stream reset, or the
   * association ended).
   */
  signals[SIGNAL_ON_CLOSE] = g_signal_new ("on-close",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);

  /**
   * GstRtcDataChannel::on-error:
   * @channel: the channel
   * @error: what failed
   *
   * The channel failed (the association was aborted, or a message could
   * not be sent).
   */
  signals[SIGNAL_ON_ERROR] = g_signal_new ("on-error",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * GstRtcDataChannel::on-message-string:
   * @channel: the channel
   * @str: (nullable): the message
   *
   * A string message arrived.
   */
  signals[SIGNAL_ON_MESSAGE_STRING] = g_signal_new ("on-message-string",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * GstRtcDataChannel::on-message-data:
   * @channel: the channel
   * @data: (nullable): the message
   *
   * A binary message arrived.
   */
  signals[SIGNAL_ON_MESSAGE_DATA] = g_signal_new ("on-message-data",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_BYTES);

  /**
   * GstRtcDataChannel::on-buffered-amount-low:
   * @channel: the channel
   *
   * #GstRtcDataChannel:buffered-amount fell to
   * #GstRtcDataChannel:buffered-amount-low-threshold or below.
   */
  signals[SIGNAL_ON_BUFFERED_AMOUNT_LOW]
      = g_signal_new ("on-buffered-amount-low", G_TYPE_FROM_CLASS (klass),
          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * GstRtcDataChannel::send-string:
   * @channel: the channel
   * @str: (nullable): the message
   *
   * Action signal: gst_rtc_data_channel_send_string_full() with failures
   * logged as warnings.
   */
  signals[SIGNAL_SEND_STRING] = g_signal_new_class_handler ("send-string",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (send_string_action), NULL, NULL, NULL, G_TYPE_NONE, 1,
      G_TYPE_STRING);

  /**
   * GstRtcDataChannel::send-data:
   * @channel: the channel
   * @data: (nullable): the message
   *
   * Action signal: gst_rtc_data_channel_send_data_full() with failures
   * logged as warnings.
   */
  signals[SIGNAL_SEND_DATA] = g_signal_new_class_handler ("send-data",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (send_data_action), NULL, NULL, NULL, G_TYPE_NONE, 1,
      G_TYPE_BYTES);

  /**
   * GstRtcDataChannel::close:
   * @channel: the channel
   *
   * Action signal: gst_rtc_data_channel_close().
   */
  signals[SIGNAL_CLOSE] = g_signal_new_class_handler ("close",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_data_channel_close), NULL, NULL, NULL, G_TYPE_NONE,
      0);
}

static void
gst_rtc_data_channel_init (GstRtcDataChannel *channel)
{
  GstRtcDataChannelPrivate *priv = GET_PRIV (channel);

  priv->ordered = TRUE;
  priv->max_packet_lifetime = -1;
  priv->max_retransmits = -1;
  priv->id = -1;
  priv->priority = GST_RTC_PRIORITY_TYPE_LOW;
  priv->ready_state = GST_RTC_DATA_CHANNEL_STATE_CONNECTING;
}
