/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:rtptransceiver
 * @title: GstRtcRtpTransceiver
 * @short_description: one m-line's worth of media
 * @see_also: #GstRtcRtpSender, #GstRtcRtpReceiver
 *
 * A #GstRtcRtpTransceiver pairs a #GstRtcRtpSender and a
 * #GstRtcRtpReceiver that share an m-line (W3C RTCRtpTransceiver). The
 * application sets #GstRtcRtpTransceiver:direction and
 * #GstRtcRtpTransceiver:codec-preferences; the session element fills in
 * #GstRtcRtpTransceiver:mid, #GstRtcRtpTransceiver:mlineindex,
 * #GstRtcRtpTransceiver:current-direction and #GstRtcRtpTransceiver:kind
 * as descriptions are applied, through the setters documented as being
 * for it. Every property notifies only when its value changes.
 *
 * gst_rtc_rtp_transceiver_stop() (or the #GstRtcRtpTransceiver::stop
 * action signal) stops it for good, as W3C RTCRtpTransceiver.stop():
 * #GstRtcRtpTransceiver:stopping turns %TRUE at once, the session element
 * stops its media and asks for a negotiation, and once an exchange has
 * rejected its m-line #GstRtcRtpTransceiver:stopped turns %TRUE too. A
 * transceiver whose m-line the peer rejects becomes stopped the same way.
 *
 * Unlike GstWebRTCRTPTransceiver, the instance structure has no public
 * fields: read them with g_object_get() (which webrtcbin code usually
 * does already) or the getters here.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/rtc/rtptransceiver.h>
#include <gst/rtc/rtc-enumtypes.h>

GST_DEBUG_CATEGORY_STATIC (rtc_transceiver_debug);
#define GST_CAT_DEFAULT rtc_transceiver_debug

typedef struct {
  /* Set at construction, never changed. */
  GstRtcRtpSender *sender;
  GstRtcRtpReceiver *receiver;

  /* The rest is guarded by the object lock. */
  guint mlineindex;
  gchar *mid;
  GstRtcRtpTransceiverDirection direction;
  GstRtcRtpTransceiverDirection current_direction;
  GstRtcKind kind;
  GstCaps *codec_preferences;
  gboolean stopping;
  gboolean stopped;
} GstRtcRtpTransceiverPrivate;

enum {
  PROP_0,
  PROP_SENDER,
  PROP_RECEIVER,
  PROP_MLINEINDEX,
  PROP_MID,
  PROP_DIRECTION,
  PROP_CURRENT_DIRECTION,
  PROP_KIND,
  PROP_CODEC_PREFERENCES,
  PROP_STOPPING,
  PROP_STOPPED,
  N_PROPS
};

enum { SIGNAL_STOP, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_TYPE_WITH_CODE (GstRtcRtpTransceiver, gst_rtc_rtp_transceiver,
                         GST_TYPE_OBJECT, G_ADD_PRIVATE (GstRtcRtpTransceiver);
                         GST_DEBUG_CATEGORY_INIT (rtc_transceiver_debug,
                             "rtctransceiver", 0, "gst-rtc RTP transceiver"));

#define GET_PRIV(t) \
  ((GstRtcRtpTransceiverPrivate *) \
          gst_rtc_rtp_transceiver_get_instance_private (t))

/* RFC 4566 token-char, the grammar of an RFC 5888 identification-tag. */
static gboolean
is_token_char (guchar c)
{
  return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2a || c == 0x2b
      || c == 0x2d || c == 0x2e || g_ascii_isalnum (c)
      || (c >= 0x5e && c <= 0x7e);
}

static gboolean
is_valid_mid (const gchar *mid)
{
  const gchar *p;

  if (*mid == '\0')
    return FALSE;
  for (p = mid; *p != '\0'; p++) {
    if (!is_token_char ((guchar)*p))
      return FALSE;
  }
  return TRUE;
}

static gboolean
is_valid_codec_preferences (const GstCaps *caps)
{
  guint i, n;

  if (gst_caps_is_any (caps) || gst_caps_is_empty (caps))
    return FALSE;
  n = gst_caps_get_size (caps);
  for (i = 0; i < n; i++) {
    if (!gst_structure_has_name (gst_caps_get_structure (caps, i),
            "application/x-rtp"))
      return FALSE;
  }
  return TRUE;
}

static gboolean
is_enum_value (GType type, gint value)
{
  GEnumClass *klass = g_type_class_ref (type);
  gboolean ok = g_enum_get_value (klass, value) != NULL;

  g_type_class_unref (klass);
  return ok;
}

/* Sets one of @trans's directions, notifying @prop_id when it changed. */
static void
store_direction (GstRtcRtpTransceiver *trans,
    GstRtcRtpTransceiverDirection *field,
    GstRtcRtpTransceiverDirection direction, guint prop_id)
{
  gboolean changed;

  GST_OBJECT_LOCK (trans);
  changed = *field != direction;
  *field = direction;
  GST_OBJECT_UNLOCK (trans);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (trans), properties[prop_id]);
}

/**
 * gst_rtc_rtp_transceiver_get_sender:
 * @trans: a #GstRtcRtpTransceiver
 *
 * Returns: (transfer none): the sender of @trans, which lives as long as
 *   @trans.
 */
GstRtcRtpSender *
gst_rtc_rtp_transceiver_get_sender (GstRtcRtpTransceiver *trans)
{
  g_return_val_if_fail (GST_IS_RTC_RTP_TRANSCEIVER (trans), NULL);

  return GET_PRIV (trans)->sender;
}

/**
 * gst_rtc_rtp_transceiver_get_receiver:
 * @trans: a #GstRtcRtpTransceiver
 *
 * Returns: (transfer none): the receiver of @trans, which lives as long as
 *   @trans.
 */
GstRtcRtpReceiver *
gst_rtc_rtp_transceiver_get_receiver (GstRtcRtpTransceiver *trans)
{
  g_return_val_if_fail (GST_IS_RTC_RTP_TRANSCEIVER (trans), NULL);

  return GET_PRIV (trans)->receiver;
}

/**
 * gst_rtc_rtp_transceiver_get_mlineindex:
 * @trans: a #GstRtcRtpTransceiver
 *
 * Returns: the #GstRtcRtpTransceiver:mlineindex of @trans, %G_MAXUINT when
 *   it has no m-line yet.
 */
guint
gst_rtc_rtp_transceiver_get_mlineindex (GstRtcRtpTransceiver *trans)
{
  guint mlineindex;

  g_return_val_if_fail (GST_IS_RTC_RTP_TRANSCEIVER (trans), G_MAXUINT);

  GST_OBJECT_LOCK (trans);
  mlineindex = GET_PRIV (trans)->mlineindex;
  GST_OBJECT_UNLOCK (trans);
  return mlineindex;
}

/**
 * gst_rtc_rtp_transceiver_set_mlineindex:
 * @trans: a #GstRtcRtpTransceiver
 * @mlineindex: index of the m-line, %G_MAXUINT for none
 *
 * Associates @trans with an m-line. For the session element that owns
 * @trans; applications only read the index.
 */
void
gst_rtc_rtp_transceiver_set_mlineindex (GstRtcRtpTransceiver *trans,
    guint mlineindex)
{
  GstRtcRtpTransceiverPrivate *priv;
  gboolean changed;

  g_return_if_fail (GST_IS_RTC_RTP_TRANSCEIVER (trans));
  priv = GET_PRIV (trans);

  GST_OBJECT_LOCK (trans);
  changed = priv->mlineindex != mlineindex;
  priv->mlineindex = mlineindex;
  GST_OBJECT_UNLOCK (trans);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (trans), properties[PROP_MLINEINDEX]);
}

/**
 * gst_rtc_rtp_transceiver_get_mid:
 * @trans: a #GstRtcRtpTransceiver
 *
 * Returns: (transfer full) (nullable): a copy of the
 *   #GstRtcRtpTransceiver:mid of @trans.
 */
gchar *
gst_rtc_rtp_transceiver_get_mid (GstRtcRtpTransceiver *trans)
{
  gchar *mid;

  g_return_val_if_fail (GST_IS_RTC_RTP_TRANSCEIVER (trans), NULL);

  GST_OBJECT_LOCK (trans);
  mid = g_strdup (GET_PRIV (trans)->mid);
  GST_OBJECT_UNLOCK (trans);
  return mid;
}

/**
 * gst_rtc_rtp_transceiver_set_mid:
 * @trans: a #GstRtcRtpTransceiver
 * @mid: (nullable): the media identification, %NULL to dissociate
 *
 * Sets the #GstRtcRtpTransceiver:mid of @trans. For the session element
 * that owns @trans. A mid is an RFC 5888 identification-tag: one or more
 * RFC 4566 token characters; anything else (it may come from a remote
 * description) is refused.
 *
 * Returns: %TRUE if @mid was valid and is now the mid of @trans.
 */
gboolean
gst_rtc_rtp_transceiver_set_mid (GstRtcRtpTransceiver *trans, const gchar *mid)
{
  GstRtcRtpTransceiverPrivate *priv;
  gboolean changed = FALSE;

  g_return_val_if_fail (GST_IS_RTC_RTP_TRANSCEIVER (trans), FALSE);
  priv = GET_PRIV (trans);

  if (mid != NULL && !is_valid_mid (mid)) {
    GST_WARNING_OBJECT (trans, "refusing mid that is not an SDP token");
    return FALSE;
  }

  GST_OBJECT_LOCK (trans);
  if (g_strcmp0 (priv->mid, mid) != 0) {
    g_free (priv->mid);
    priv->mid = g_strdup (mid);
    changed = TRUE;
  }
  GST_OBJECT_UNLOCK (trans);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (trans), properties[PROP_MID]);
  return TRUE;
}

/**
 * gst_rtc_rtp_transceiver_get_direction:
 * @trans: a #GstRtcRtpTransceiver
 *
 * Returns: the #GstRtcRtpTransceiver:direction of @trans.
 */
GstRtcRtpTransceiverDirection
gst_rtc_rtp_transceiver_get_direction (GstRtcRtpTransceiver *trans)
{
  GstRtcRtpTransceiverDirection direction;

  g_return_val_if_fail (GST_IS_RTC_RTP_TRANSCEIVER (trans),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE);

  GST_OBJECT_LOCK (trans);
  direction = GET_PRIV (trans)->direction;
  GST_OBJECT_UNLOCK (trans);
  return direction;
}

/**
 * gst_rtc_rtp_transceiver_set_direction:
 * @trans: a #GstRtcRtpTransceiver
 * @direction: the preferred direction
 *
 * Sets the #GstRtcRtpTransceiver:direction of @trans. %NONE is refused:
 * it only describes a transceiver that was never negotiated, it is not a
 * direction one can ask for. A stopping transceiver refuses any.
 *
 * Returns: %TRUE if @direction was accepted.
 */
gboolean
gst_rtc_rtp_transceiver_set_direction (GstRtcRtpTransceiver *trans,
    GstRtcRtpTransceiverDirection direction)
{
  GstRtcRtpTransceiverPrivate *priv;

  g_return_val_if_fail (GST_IS_RTC_RTP_TRANSCEIVER (trans), FALSE);
  priv = GET_PRIV (trans);

  if (direction == GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE
      || !is_enum_value (GST_TYPE_RTC_RTP_TRANSCEIVER_DIRECTION, direction)) {
    GST_WARNING_OBJECT (trans, "refusing direction %d", direction);
    return FALSE;
  }
  /* W3C: a stopping transceiver's direction is final. */
  GST_OBJECT_LOCK (trans);
  if (priv->stopping) {
    GST_OBJECT_UNLOCK (trans);
    GST_WARNING_OBJECT (trans, "refusing a direction: stopped");
    return FALSE;
  }
  GST_OBJECT_UNLOCK (trans);

  store_direction (trans, &priv->direction, direction, PROP_DIRECTION);
  return TRUE;
}

/**
 * gst_rtc_rtp_transceiver_get_current_direction:
 * @trans: a #GstRtcRtpTransceiver
 *
 * Returns: the #GstRtcRtpTransceiver:current-direction of @trans.
 */
GstRtcRtpTransceiverDirection
gst_rtc_rtp_transceiver_get_current_direction (GstRtcRtpTransceiver *trans)
{
  GstRtcRtpTransceiverDirection direction;

  g_return_val_if_fail (GST_IS_RTC_RTP_TRANSCEIVER (trans),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE);

  GST_OBJECT_LOCK (trans);
  direction = GET_PRIV (trans)->current_direction;
  GST_OBJECT_UNLOCK (trans);
  return direction;
}

/**
 * gst_rtc_rtp_transceiver_set_current_direction:
 * @trans: a #GstRtcRtpTransceiver
 * @direction: the negotiated direction
 *
 * Records the direction the last applied answer settled on. For the
 * session element that owns @trans.
 */
void
gst_rtc_rtp_transceiver_set_current_direction (GstRtcRtpTransceiver *trans,
    GstRtcRtpTransceiverDirection direction)
{
  GstRtcRtpTransceiverPrivate *priv;

  g_return_if_fail (GST_IS_RTC_RTP_TRANSCEIVER (trans));
  g_return_if_fail (
      is_enum_value (GST_TYPE_RTC_RTP_TRANSCEIVER_DIRECTION, direction));
  priv = GET_PRIV (trans);

  store_direction (trans, &priv->current_direction, direction,
      PROP_CURRENT_DIRECTION);
}

/**
 * gst_rtc_rtp_transceiver_get_kind:
 * @trans: a #GstRtcRtpTransceiver
 *
 * Returns: the #GstRtcRtpTransceiver:kind of @trans.
 */
GstRtcKind
gst_rtc_rtp_transceiver_get_kind (GstRtcRtpTransceiver *trans)
{
  GstRtcKind kind;

  g_return_val_if_fail (GST_IS_RTC_RTP_TRANSCEIVER (trans),
      GST_RTC_KIND_UNKNOWN);

  GST_OBJECT_LOCK (trans);
  kind = GET_PRIV (trans)->kind;
  GST_OBJECT_UNLOCK (trans);
  return kind;
}

/**
 * gst_rtc_rtp_transceiver_set_kind:
 * @trans: a #GstRtcRtpTransceiver
 * @kind: the media kind
 *
 * Sets the #GstRtcRtpTransceiver:kind of @trans once the session element
 * that owns it learns it (from caps or from an m-line).
 */
void
gst_rtc_rtp_transceiver_set_kind (GstRtcRtpTransceiver *trans, GstRtcKind kind)
{
  GstRtcRtpTransceiverPrivate *priv;
  gboolean changed;

  g_return_if_fail (GST_IS_RTC_RTP_TRANSCEIVER (trans));
  g_return_if_fail (is_enum_value (GST_TYPE_RTC_KIND, kind));
  priv = GET_PRIV (trans);

  GST_OBJECT_LOCK (trans);
  changed = priv->kind != kind;
  priv->kind = kind;
  GST_OBJECT_UNLOCK (trans);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (trans), properties[PROP_KIND]);
}

/**
 * gst_rtc_rtp_transceiver_get_codec_preferences:
 * @trans: a #GstRtcRtpTransceiver
 *
 * Returns: (transfer full) (nullable): a reference to the
 *   #GstRtcRtpTransceiver:codec-preferences of @trans.
 */
GstCaps *
gst_rtc_rtp_transceiver_get_codec_preferences (GstRtcRtpTransceiver *trans)
{
  GstRtcRtpTransceiverPrivate *priv;
  GstCaps *caps;

  g_return_val_if_fail (GST_IS_RTC_RTP_TRANSCEIVER (trans), NULL);
  priv = GET_PRIV (trans);

  GST_OBJECT_LOCK (trans);
  caps = priv->codec_preferences ? gst_caps_ref (priv->codec_preferences)
                                 : NULL;
  GST_OBJECT_UNLOCK (trans);
  return caps;
}

/**
 * gst_rtc_rtp_transceiver_set_codec_preferences:
 * @trans: a #GstRtcRtpTransceiver
 * @caps: (transfer none) (nullable): `application/x-rtp` caps, one
 *   structure per codec in order of preference; %NULL for no preference
 *
 * Sets the #GstRtcRtpTransceiver:codec-preferences of @trans. @trans keeps
 * a reference to @caps, not a copy: caps in more than one hand are not
 * writable, so later changes go to a copy and never reach @trans. ANY,
 * empty and non-RTP caps are refused.
 *
 * Returns: %TRUE if @caps was accepted.
 */
gboolean
gst_rtc_rtp_transceiver_set_codec_preferences (GstRtcRtpTransceiver *trans,
    GstCaps *caps)
{
  GstRtcRtpTransceiverPrivate *priv;
  gboolean changed;

  g_return_val_if_fail (GST_IS_RTC_RTP_TRANSCEIVER (trans), FALSE);
  g_return_val_if_fail (caps == NULL || GST_IS_CAPS (caps), FALSE);
  priv = GET_PRIV (trans);

  if (caps != NULL && !is_valid_codec_preferences (caps)) {
    GST_WARNING_OBJECT (trans, "refusing codec preferences %" GST_PTR_FORMAT,
        caps);
    return FALSE;
  }

  GST_OBJECT_LOCK (trans);
  if (priv->codec_preferences == NULL || caps == NULL)
    changed = priv->codec_preferences != caps;
  else
    changed = !gst_caps_is_strictly_equal (priv->codec_preferences, caps);
  gst_caps_replace (&priv->codec_preferences, caps);
  GST_OBJECT_UNLOCK (trans);

  if (changed) {
    g_object_notify_by_pspec (G_OBJECT (trans),
        properties[PROP_CODEC_PREFERENCES]);
  }
  return TRUE;
}

/* Takes a reference to @half and makes @trans its parent, so that
 * GST_OBJECT_PARENT() of a sender or receiver leads to its transceiver. */
/**
 * gst_rtc_rtp_transceiver_stop:
 * @trans: a #GstRtcRtpTransceiver
 *
 * Stops @trans for good (W3C RTCRtpTransceiver.stop()): it neither sends
 * nor receives from now on, and the next offer rejects its m-line (port
 * 0), which a later transceiver may then reuse. Sets
 * #GstRtcRtpTransceiver:stopping; the session element sets
 * #GstRtcRtpTransceiver:stopped once an exchange rejected the m-line.
 * Stopping a stopping transceiver does nothing. Same as the
 * #GstRtcRtpTransceiver::stop action signal.
 */
void
gst_rtc_rtp_transceiver_stop (GstRtcRtpTransceiver *trans)
{
  GstRtcRtpTransceiverPrivate *priv;
  gboolean changed;

  g_return_if_fail (GST_IS_RTC_RTP_TRANSCEIVER (trans));
  priv = GET_PRIV (trans);

  GST_OBJECT_LOCK (trans);
  changed = !priv->stopping;
  priv->stopping = TRUE;
  GST_OBJECT_UNLOCK (trans);

  if (changed) {
    GST_DEBUG_OBJECT (trans, "stopping");
    g_object_notify_by_pspec (G_OBJECT (trans), properties[PROP_STOPPING]);
  }
}

/**
 * gst_rtc_rtp_transceiver_is_stopping:
 * @trans: a #GstRtcRtpTransceiver
 *
 * Returns: the #GstRtcRtpTransceiver:stopping of @trans.
 */
gboolean
gst_rtc_rtp_transceiver_is_stopping (GstRtcRtpTransceiver *trans)
{
  gboolean stopping;

  g_return_val_if_fail (GST_IS_RTC_RTP_TRANSCEIVER (trans), FALSE);

  GST_OBJECT_LOCK (trans);
  stopping = GET_PRIV (trans)->stopping;
  GST_OBJECT_UNLOCK (trans);
  return stopping;
}

/**
 * gst_rtc_rtp_transceiver_is_stopped:
 * @trans: a #GstRtcRtpTransceiver
 *
 * Returns: the #GstRtcRtpTransceiver:stopped of @trans.
 */
gboolean
gst_rtc_rtp_transceiver_is_stopped (GstRtcRtpTransceiver *trans)
{
  gboolean stopped;

  g_return_val_if_fail (GST_IS_RTC_RTP_TRANSCEIVER (trans), FALSE);

  GST_OBJECT_LOCK (trans);
  stopped = GET_PRIV (trans)->stopped;
  GST_OBJECT_UNLOCK (trans);
  return stopped;
}

/**
 * gst_rtc_rtp_transceiver_set_stopped:
 * @trans: a #GstRtcRtpTransceiver
 *
 * Marks @trans stopped (and stopping) because an applied description
 * rejected its m-line, whichever side stopped it; its
 * #GstRtcRtpTransceiver:current-direction becomes
 * %GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE (the enumeration has no
 * W3C `stopped`) and its #GstRtcRtpTransceiver:mid %NULL. For the session
 * element that owns @trans.
 */
void
gst_rtc_rtp_transceiver_set_stopped (GstRtcRtpTransceiver *trans)
{
  GstRtcRtpTransceiverPrivate *priv;
  gboolean was_stopping, was_stopped;

  g_return_if_fail (GST_IS_RTC_RTP_TRANSCEIVER (trans));
  priv = GET_PRIV (trans);

  GST_OBJECT_LOCK (trans);
  was_stopping = priv->stopping;
  was_stopped = priv->stopped;
  priv->stopping = priv->stopped = TRUE;
  GST_OBJECT_UNLOCK (trans);

  if (was_stopped)
    return;
  GST_DEBUG_OBJECT (trans, "stopped");
  gst_rtc_rtp_transceiver_set_current_direction (trans,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE);
  gst_rtc_rtp_transceiver_set_mid (trans, NULL);
  if (!was_stopping)
    g_object_notify_by_pspec (G_OBJECT (trans), properties[PROP_STOPPING]);
  g_object_notify_by_pspec (G_OBJECT (trans), properties[PROP_STOPPED]);
}

static void
adopt (GstRtcRtpTransceiver *trans, GstObject *half)
{
  if (!gst_object_set_parent (half, GST_OBJECT (trans))) {
    g_warning ("%s %s already belongs to another transceiver",
        G_OBJECT_TYPE_NAME (half), GST_OBJECT_NAME (half));
  }
}

static void
gst_rtc_rtp_transceiver_constructed (GObject *object)
{
  GstRtcRtpTransceiver *trans = GST_RTC_RTP_TRANSCEIVER (object);
  GstRtcRtpTransceiverPrivate *priv = GET_PRIV (trans);

  G_OBJECT_CLASS (gst_rtc_rtp_transceiver_parent_class)->constructed (object);

  if (priv->sender == NULL)
    priv->sender = gst_object_ref_sink (gst_rtc_rtp_sender_new ());
  if (priv->receiver == NULL)
    priv->receiver = gst_object_ref_sink (gst_rtc_rtp_receiver_new ());
  adopt (trans, GST_OBJECT (priv->sender));
  adopt (trans, GST_OBJECT (priv->receiver));
}

static void
gst_rtc_rtp_transceiver_set_property (GObject *object, guint prop_id,
    const GValue *value, GParamSpec *pspec)
{
  GstRtcRtpTransceiver *trans = GST_RTC_RTP_TRANSCEIVER (object);
  GstRtcRtpTransceiverPrivate *priv = GET_PRIV (trans);

  switch (prop_id) {
    case PROP_SENDER:
      /* Construct-only: nothing else can see the object yet. */
      priv->sender = g_value_dup_object (value);
      break;
    case PROP_RECEIVER:
      priv->receiver = g_value_dup_object (value);
      break;
    case PROP_MLINEINDEX:
      gst_rtc_rtp_transceiver_set_mlineindex (trans, g_value_get_uint (value));
      break;
    case PROP_DIRECTION:
      /* g_object_set() cannot fail, so a refusal is a warning. */
      if (!gst_rtc_rtp_transceiver_set_direction (trans,
              g_value_get_enum (value))) {
        g_warning ("%s: direction \"none\" cannot be set, keeping the "
                   "current one",
            GST_OBJECT_NAME (trans));
      }
      break;
    case PROP_CODEC_PREFERENCES:
      if (!gst_rtc_rtp_transceiver_set_codec_preferences (trans,
              g_value_get_boxed (value))) {
        g_warning ("%s: codec-preferences must be application/x-rtp caps, "
                   "keeping the current ones",
            GST_OBJECT_NAME (trans));
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_rtc_rtp_transceiver_get_property (GObject *object, guint prop_id,
    GValue *value, GParamSpec *pspec)
{
  GstRtcRtpTransceiver *trans = GST_RTC_RTP_TRANSCEIVER (object);
  GstRtcRtpTransceiverPrivate *priv = GET_PRIV (trans);

  switch (prop_id) {
    case PROP_SENDER:
      g_value_set_object (value, priv->sender);
      break;
    case PROP_RECEIVER:
      g_value_set_object (value, priv->receiver);
      break;
    case PROP_MLINEINDEX:
      g_value_set_uint (value, gst_rtc_rtp_transceiver_get_mlineindex (trans));
      break;
    case PROP_MID:
      g_value_take_string (value, gst_rtc_rtp_transceiver_get_mid (trans));
      break;
    case PROP_DIRECTION:
      g_value_set_enum (value, gst_rtc_rtp_transceiver_get_direction (trans));
      break;
    case PROP_CURRENT_DIRECTION:
      g_value_set_enum (value,
          gst_rtc_rtp_transceiver_get_current_direction (trans));
      break;
    case PROP_KIND:
      g_value_set_enum (value, gst_rtc_rtp_transceiver_get_kind (trans));
      break;
    case PROP_STOPPING:
      g_value_set_boolean (value, gst_rtc_rtp_transceiver_is_stopping (trans));
      break;
    case PROP_STOPPED:
      g_value_set_boolean (value, gst_rtc_rtp_transceiver_is_stopped (trans));
      break;
    case PROP_CODEC_PREFERENCES:
      g_value_take_boxed (value,
          gst_rtc_rtp_transceiver_get_codec_preferences (trans));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
release (GstRtcRtpTransceiver *trans, GstObject **half)
{
  if (*half == NULL)
    return;
  if (GST_OBJECT_PARENT (*half) == GST_OBJECT (trans))
    gst_object_unparent (*half);
  gst_clear_object (half);
}

static void
gst_rtc_rtp_transceiver_dispose (GObject *object)
{
  GstRtcRtpTransceiver *trans = GST_RTC_RTP_TRANSCEIVER (object);
  GstRtcRtpTransceiverPrivate *priv = GET_PRIV (trans);

  release (trans, (GstObject **)&priv->sender);
  release (trans, (GstObject **)&priv->receiver);

  G_OBJECT_CLASS (gst_rtc_rtp_transceiver_parent_class)->dispose (object);
}

static void
gst_rtc_rtp_transceiver_finalize (GObject *object)
{
  GstRtcRtpTransceiverPrivate *priv = GET_PRIV (
      GST_RTC_RTP_TRANSCEIVER (object));

  g_free (priv->mid);
  gst_clear_caps (&priv->codec_preferences);

  G_OBJECT_CLASS (gst_rtc_rtp_transceiver_parent_class)->finalize (object);
}

static void
gst_rtc_rtp_transceiver_class_init (GstRtcRtpTransceiverClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->constructed = gst_rtc_rtp_transceiver_constructed;
  gobject_class->set_property = gst_rtc_rtp_transceiver_set_property;
  gobject_class->get_property = gst_rtc_rtp_transceiver_get_property;
  gobject_class->dispose = gst_rtc_rtp_transceiver_dispose;
  gobject_class->finalize = gst_rtc_rtp_transceiver_finalize;

  /**
   * GstRtcRtpTransceiver:sender:
   *
   * The sending half; one is made when none is given at construction.
   */
  properties[PROP_SENDER] = g_param_spec_object ("sender", "Sender",
      "The RTP sender of this transceiver", GST_TYPE_RTC_RTP_SENDER,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * GstRtcRtpTransceiver:receiver:
   *
   * The receiving half; one is made when none is given at construction.
   */
  properties[PROP_RECEIVER] = g_param_spec_object ("receiver", "Receiver",
      "The RTP receiver of this transceiver", GST_TYPE_RTC_RTP_RECEIVER,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * GstRtcRtpTransceiver:mlineindex:
   *
   * Index of the transceiver's m-line in the SDP; %G_MAXUINT until
   * the transceiver is associated with one.
   */
  properties[PROP_MLINEINDEX] = g_param_spec_uint ("mlineindex",
      "Media line index",
      "Index of the m-line in the SDP (G_MAXUINT: not associated yet)", 0,
      G_MAXUINT, G_MAXUINT,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY
          | G_PARAM_STATIC_STRINGS);

  /**
   * GstRtcRtpTransceiver:mid:
   *
   * The media identification (RFC 8843 `a=mid`) of the m-line the
   * transceiver is associated with; %NULL while it has none or when its
   * m-line was rejected.
   */
  properties[PROP_MID] = g_param_spec_string ("mid", "Media ID",
      "Media identification of the associated m-line (NULL: none)", NULL,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * GstRtcRtpTransceiver:direction:
   *
   * The direction the application wants; offers and answers are built
   * from it. Setting %GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE is refused
   * with a warning.
   */
  properties[PROP_DIRECTION] = g_param_spec_enum ("direction", "Direction",
      "Preferred direction of the transceiver",
      GST_TYPE_RTC_RTP_TRANSCEIVER_DIRECTION,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * GstRtcRtpTransceiver:current-direction:
   *
   * The direction negotiated by the last applied answer;
   * %GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE before any.
   */
  properties[PROP_CURRENT_DIRECTION] = g_param_spec_enum ("current-direction",
      "Current direction", "Direction negotiated by the last answer",
      GST_TYPE_RTC_RTP_TRANSCEIVER_DIRECTION,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * GstRtcRtpTransceiver:kind:
   *
   * The kind of media the transceiver carries, once known.
   */
  properties[PROP_KIND] = g_param_spec_enum ("kind", "Media kind",
      "Kind of media the transceiver carries", GST_TYPE_RTC_KIND,
      GST_RTC_KIND_UNKNOWN, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * GstRtcRtpTransceiver:codec-preferences:
   *
   * `application/x-rtp` caps, one structure per acceptable codec, most
   * preferred first; %NULL for no preference. The transceiver holds a
   * reference to the caps it is given; see
   * gst_rtc_rtp_transceiver_set_codec_preferences() for what is refused.
   */
  properties[PROP_CODEC_PREFERENCES] = g_param_spec_boxed ("codec-preferences",
      "Codec preferences", "RTP caps of the acceptable codecs, in order",
      /* Not GST_TYPE_CAPS: that is only set by gst_init(), and the type
       * may be used before it (the introspection dump does). */
      gst_caps_get_type (),
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * GstRtcRtpTransceiver:stopping:
   *
   * Whether gst_rtc_rtp_transceiver_stop() was called (or the m-line was
   * rejected): no media goes either way any more.
   */
  properties[PROP_STOPPING] = g_param_spec_boolean ("stopping", "Stopping",
      "Whether the transceiver was stopped, maybe not negotiated yet", FALSE,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * GstRtcRtpTransceiver:stopped:
   *
   * Whether an applied description rejected the transceiver's m-line
   * after it was stopped, here or by the peer.
   */
  properties[PROP_STOPPED] = g_param_spec_boolean ("stopped", "Stopped",
      "Whether a negotiation rejected the transceiver's m-line", FALSE,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (gobject_class, N_PROPS, properties);

  /**
   * GstRtcRtpTransceiver::stop:
   * @object: the #GstRtcRtpTransceiver
   *
   * Action signal: gst_rtc_rtp_transceiver_stop().
   */
  signals[SIGNAL_STOP] = g_signal_new_class_handler ("stop",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_rtp_transceiver_stop), NULL, NULL, NULL, G_TYPE_NONE,
      0);
}

static void
gst_rtc_rtp_transceiver_init (GstRtcRtpTransceiver *trans)
{
  GstRtcRtpTransceiverPrivate *priv = GET_PRIV (trans);

  priv->mlineindex = G_MAXUINT;
  priv->direction = GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE;
  priv->current_direction = GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE;
  priv->kind = GST_RTC_KIND_UNKNOWN;
}
