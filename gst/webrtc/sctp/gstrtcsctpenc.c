/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-rtcsctpenc
 * @title: rtcsctpenc
 * @see_also: rtcsctpdec, rtcdtlssrtpenc, #GstRtcDataChannel
 *
 * The sending half of a WebRTC data channel transport: it owns an SCTP
 * association (RFC 8831, on usrsctp, never the kernel's SCTP) and outputs
 * its packets on `src`, to be linked to the `data_sink` pad of
 * rtcdtlssrtpenc, which sends them as DTLS application data. The peer's
 * packets come in through the rtcsctpdec with the same
 * `sctp-association-id`, linked from rtcdtlssrtpdec's `data_src`.
 *
 * Data channels are objects, not pads: `create-data-channel` opens one
 * (in-band with DCEP, RFC 8832, or pre-negotiated with `negotiated` and
 * `id`) and returns a #GstRtcDataChannel; `on-data-channel` announces the
 * ones the peer opens. Stream ids follow `is-client`, the DTLS role (the
 * client uses even ids).
 *
 * The association connects when the element goes to PLAYING; SCTP
 * packets sent before DTLS is connected are lost and the INIT is only
 * retransmitted after a second, so set it to PLAYING once DTLS is up (as
 * rtcbin does).
 *
 * `is-client` and `remote-sctp-port` may still change in READY, until
 * the association starts: channels made before then move to stream ids
 * of the new role (rtcbin makes channels before the DTLS role is
 * negotiated).
 *
 * `max-message-size` is what we accept (and advertise in SDP);
 * `remote-max-message-size` the peer's `a=max-message-size`: a larger
 * send fails and nothing is sent.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcsctpenc.h"
#include "rtcsctpassociation.h"

GST_DEBUG_CATEGORY_STATIC (gst_rtc_sctp_enc_debug);
#define GST_CAT_DEFAULT gst_rtc_sctp_enc_debug

/* Packets waiting for the src task; beyond this they are dropped (SCTP
 * retransmits) rather than held without bound. */
#define MAX_QUEUED_PACKETS 8192
/* A batch of output (see rtc_sctp_association_begin_output_batch()) wakes
 * the task at its end, or once this many packets wait: one wake-up for a
 * burst, and the task still starts on a long one early. */
#define WAKE_BATCH 64

struct _GstRtcSctpEnc {
  GstElement parent;

  GstPad *srcpad;

  /* Object lock. */
  guint association_id;
  gboolean is_client;
  guint local_port, remote_port;
  guint max_message_size, remote_max_message_size;
  RtcSctpAssociation *assoc;

  /* Output queue between usrsctp and the src task. */
  GMutex queue_lock;
  GCond queue_cond;
  GQueue queue;
  gboolean flushing;
  gboolean pushing; /* the task pushes what it took */
  /* Only a sleeping task is signalled (a futex call saved per packet
   * otherwise), and the end of a push only when someone waits for it. */
  gboolean task_waiting, push_waited;
  guint64 dropped;
};

enum {
  PROP_0,
  PROP_SCTP_ASSOCIATION_ID,
  PROP_IS_CLIENT,
  PROP_LOCAL_SCTP_PORT,
  PROP_REMOTE_SCTP_PORT,
  PROP_MAX_MESSAGE_SIZE,
  PROP_REMOTE_MAX_MESSAGE_SIZE,
  PROP_STATE,
  PROP_STATS,
};

enum { SIGNAL_CREATE_DATA_CHANNEL, SIGNAL_ON_DATA_CHANNEL, N_SIGNALS };
static guint signals[N_SIGNALS];

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS ("application/x-sctp"));

G_DEFINE_TYPE_WITH_CODE (GstRtcSctpEnc, gst_rtc_sctp_enc, GST_TYPE_ELEMENT,
    GST_DEBUG_CATEGORY_INIT (gst_rtc_sctp_enc_debug, "rtcsctpenc", 0,
        "SCTP association sender"));
GST_ELEMENT_REGISTER_DEFINE (rtcsctpenc, "rtcsctpenc", GST_RANK_NONE,
    GST_TYPE_RTC_SCTP_ENC);

/* From usrsctp, locks held: only queue. */
static void
on_output (const guint8 *packet, gsize len, gpointer user_data)
{
  GstRtcSctpEnc *self = user_data;
  GstBuffer *buf = gst_buffer_new_memdup (packet, len);
  gboolean deferred = rtc_sctp_association_output_is_deferred ();

  g_mutex_lock (&self->queue_lock);
  if (self->queue.length < MAX_QUEUED_PACKETS) {
    g_queue_push_tail (&self->queue, buf);
    buf = NULL;
    /* The task takes all that waits. */
    if (self->task_waiting && (!deferred || self->queue.length >= WAKE_BATCH))
      g_cond_broadcast (&self->queue_cond);
  } else {
    self->dropped++;
  }
  g_mutex_unlock (&self->queue_lock);
  if (buf)
    gst_buffer_unref (buf);
}

/* After a batch of deferred output, on the thread that made it. */
static void
on_output_flush (gpointer user_data)
{
  GstRtcSctpEnc *self = user_data;

  g_mutex_lock (&self->queue_lock);
  if (self->task_waiting && self->queue.length)
    g_cond_broadcast (&self->queue_cond);
  g_mutex_unlock (&self->queue_lock);
}

static void
src_loop (gpointer user_data)
{
  GstRtcSctpEnc *self = user_data;
  GstBufferList *list;
  GstFlowReturn ret;

  g_mutex_lock (&self->queue_lock);
  while (!self->queue.length && !self->flushing) {
    self->task_waiting = TRUE;
    g_cond_wait (&self->queue_cond, &self->queue_lock);
    self->task_waiting = FALSE;
  }
  if (self->flushing) {
    g_mutex_unlock (&self->queue_lock);
    gst_pad_pause_task (self->srcpad);
    return;
  }
  /* All that is waiting, in one push. */
  list = gst_buffer_list_new_sized (self->queue.length);
  while (self->queue.length)
    gst_buffer_list_add (list, g_queue_pop_head (&self->queue));
  self->pushing = TRUE;
  g_mutex_unlock (&self->queue_lock);

  ret = gst_pad_push_list (self->srcpad, list);
  g_mutex_lock (&self->queue_lock);
  self->pushing = FALSE;
  if (self->push_waited)
    g_cond_broadcast (&self->queue_cond);
  g_mutex_unlock (&self->queue_lock);
  if (ret != GST_FLOW_OK && ret != GST_FLOW_NOT_LINKED)
    GST_DEBUG_OBJECT (self, "push: %s", gst_flow_get_name (ret));
}

static void
on_data_channel (RtcSctpAssociation *assoc, GstRtcDataChannel *channel,
    GstRtcSctpEnc *self)
{
  g_signal_emit (self, signals[SIGNAL_ON_DATA_CHANNEL], 0, channel);
}

static void
on_state_changed (RtcSctpAssociation *assoc, GstRtcSctpTransportState state,
    GstRtcSctpEnc *self)
{
  g_object_notify (G_OBJECT (self), "state");
}

static GstRtcDataChannel *
create_data_channel (GstRtcSctpEnc *self, const gchar *label,
    GstStructure *options)
{
  RtcSctpAssociation *assoc;
  GstRtcDataChannel *channel;
  GError *error = NULL;

  GST_OBJECT_LOCK (self);
  assoc = self->assoc ? g_object_ref (self->assoc) : NULL;
  GST_OBJECT_UNLOCK (self);
  if (!assoc) {
    GST_WARNING_OBJECT (self,
        "create-data-channel needs the element in READY "
        "or above");
    return NULL;
  }
  channel = rtc_sctp_association_create_channel (assoc, label, options, &error);
  if (!channel) {
    GST_WARNING_OBJECT (self, "create-data-channel: %s", error->message);
    g_error_free (error);
  }
  g_object_unref (assoc);
  return channel;
}

static gboolean
make_association (GstRtcSctpEnc *self)
{
  RtcSctpAssociation *assoc, *existing;
  guint id;

  GST_OBJECT_LOCK (self);
  id = self->association_id;
  GST_OBJECT_UNLOCK (self);
  existing = rtc_sctp_association_lookup (id);
  if (existing) {
    g_object_unref (existing);
    GST_ELEMENT_ERROR (self, RESOURCE, BUSY, (NULL),
        ("sctp-association-id %u is used by another rtcsctpenc", id));
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  assoc = rtc_sctp_association_new (self->is_client, self->local_port,
      self->remote_port);
  rtc_sctp_association_set_max_message_size (assoc, self->max_message_size,
      self->remote_max_message_size);
  self->assoc = assoc;
  GST_OBJECT_UNLOCK (self);
  rtc_sctp_association_set_output (assoc, on_output, self, NULL);
  rtc_sctp_association_set_output_flush (assoc, on_output_flush);
  g_signal_connect (assoc, "on-data-channel", G_CALLBACK (on_data_channel),
      self);
  g_signal_connect (assoc, "state-changed", G_CALLBACK (on_state_changed),
      self);
  rtc_sctp_association_register (assoc, id);
  return TRUE;
}

static void
drop_association (GstRtcSctpEnc *self)
{
  RtcSctpAssociation *assoc;

  GST_OBJECT_LOCK (self);
  assoc = self->assoc;
  self->assoc = NULL;
  GST_OBJECT_UNLOCK (self);
  if (!assoc)
    return;
  g_signal_handlers_disconnect_by_data (assoc, self);
  rtc_sctp_association_unregister (assoc);
  /* Aborts: the peer's channels close at once. */
  rtc_sctp_association_abort (assoc);
  rtc_sctp_association_set_output (assoc, NULL, NULL, NULL);
  g_object_unref (assoc);
}

static void
start_task (GstRtcSctpEnc *self)
{
  gchar *stream_id = g_uuid_string_random ();
  GstSegment segment;
  GstEvent *event;

  event = gst_event_new_stream_start (stream_id);
  gst_pad_store_sticky_event (self->srcpad, event);
  gst_event_unref (event);
  g_free (stream_id);
  event = gst_event_new_caps (gst_static_pad_template_get_caps (&src_template));
  gst_pad_store_sticky_event (self->srcpad, event);
  gst_event_unref (event);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  event = gst_event_new_segment (&segment);
  gst_pad_store_sticky_event (self->srcpad, event);
  gst_event_unref (event);

  g_mutex_lock (&self->queue_lock);
  self->flushing = FALSE;
  g_mutex_unlock (&self->queue_lock);
  gst_pad_start_task (self->srcpad, src_loop, self, NULL);
}

static void
stop_task (GstRtcSctpEnc *self)
{
  g_mutex_lock (&self->queue_lock);
  self->flushing = TRUE;
  g_cond_broadcast (&self->queue_cond);
  g_mutex_unlock (&self->queue_lock);
  gst_pad_stop_task (self->srcpad);
  g_mutex_lock (&self->queue_lock);
  g_queue_clear_full (&self->queue, (GDestroyNotify)gst_buffer_unref);
  g_mutex_unlock (&self->queue_lock);
}

static GstStateChangeReturn
gst_rtc_sctp_enc_change_state (GstElement *element, GstStateChange transition)
{
  GstRtcSctpEnc *self = GST_RTC_SCTP_ENC (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_NULL_TO_READY:
      if (!make_association (self))
        return GST_STATE_CHANGE_FAILURE;
      break;
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      /* A new one after PAUSED to READY aborted the last. */
      if (!self->assoc && !make_association (self))
        return GST_STATE_CHANGE_FAILURE;
      break;
    case GST_STATE_CHANGE_PAUSED_TO_PLAYING: {
      GError *error = NULL;

      if (!rtc_sctp_association_start (self->assoc, &error)) {
        GST_ELEMENT_ERROR (self, RESOURCE, FAILED, (NULL),
            ("%s", error->message));
        g_error_free (error);
        return GST_STATE_CHANGE_FAILURE;
      }
      break;
    }
    case GST_STATE_CHANGE_PAUSED_TO_READY: {
      gint64 end = g_get_monotonic_time () + G_TIME_SPAN_SECOND;

      /* Abort, so the peer's channels close at once, and let the task
       * send the ABORT (until pushed: deactivating the pad before would
       * drop it); then wake it, or deactivating the pad would wait for
       * it forever. */
      drop_association (self);
      g_mutex_lock (&self->queue_lock);
      self->push_waited = TRUE;
      if (self->task_waiting && self->queue.length)
        g_cond_broadcast (&self->queue_cond);
      while ((self->queue.length || self->pushing) && !self->flushing
          && g_cond_wait_until (&self->queue_cond, &self->queue_lock, end))
        ;
      self->push_waited = FALSE;
      self->flushing = TRUE;
      g_cond_broadcast (&self->queue_cond);
      g_mutex_unlock (&self->queue_lock);
      break;
    }
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (gst_rtc_sctp_enc_parent_class)
            ->change_state (element, transition);

  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;
  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      /* The pad is active now: sticky events stick. */
      start_task (self);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      stop_task (self);
      break;
    case GST_STATE_CHANGE_READY_TO_NULL:
      drop_association (self);
      break;
    default:
      break;
  }
  /* Nothing to preroll: packets exist only once the association runs. */
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED
      && ret == GST_STATE_CHANGE_SUCCESS)
    ret = GST_STATE_CHANGE_NO_PREROLL;
  return ret;
}

static GstStructure *
get_stats (GstRtcSctpEnc *self)
{
  RtcSctpAssociation *assoc;
  GstStructure *s;
  guint64 dropped;

  GST_OBJECT_LOCK (self);
  assoc = self->assoc ? g_object_ref (self->assoc) : NULL;
  GST_OBJECT_UNLOCK (self);
  s = assoc ? rtc_sctp_association_get_stats (assoc)
            : gst_structure_new_empty ("application/x-rtc-sctp-stats");
  g_clear_object (&assoc);
  g_mutex_lock (&self->queue_lock);
  dropped = self->dropped;
  g_mutex_unlock (&self->queue_lock);
  gst_structure_set (s, "dropped-output-packets", G_TYPE_UINT64, dropped, NULL);
  return s;
}

static void
gst_rtc_sctp_enc_set_property (GObject *object, guint prop_id,
    const GValue *value, GParamSpec *pspec)
{
  GstRtcSctpEnc *self = GST_RTC_SCTP_ENC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_SCTP_ASSOCIATION_ID:
      self->association_id = g_value_get_uint (value);
      break;
    case PROP_IS_CLIENT:
      self->is_client = g_value_get_boolean (value);
      break;
    case PROP_LOCAL_SCTP_PORT:
      self->local_port = g_value_get_uint (value);
      break;
    case PROP_REMOTE_SCTP_PORT:
      self->remote_port = g_value_get_uint (value);
      break;
    case PROP_MAX_MESSAGE_SIZE:
      self->max_message_size = g_value_get_uint (value);
      break;
    case PROP_REMOTE_MAX_MESSAGE_SIZE:
      self->remote_max_message_size = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  if (self->assoc
      && (prop_id == PROP_MAX_MESSAGE_SIZE
          || prop_id == PROP_REMOTE_MAX_MESSAGE_SIZE))
    rtc_sctp_association_set_max_message_size (self->assoc,
        self->max_message_size, self->remote_max_message_size);
  if (self->assoc
      && (prop_id == PROP_IS_CLIENT || prop_id == PROP_REMOTE_SCTP_PORT)) {
    RtcSctpAssociation *assoc = g_object_ref (self->assoc);
    gboolean is_client = self->is_client;
    guint port = self->remote_port;

    /* Until it starts, an association takes the role negotiated after
     * its channels were made; outside the lock: channel ids notify. */
    GST_OBJECT_UNLOCK (self);
    rtc_sctp_association_set_role (assoc, is_client, port);
    g_object_unref (assoc);
    return;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_rtc_sctp_enc_get_property (GObject *object, guint prop_id, GValue *value,
    GParamSpec *pspec)
{
  GstRtcSctpEnc *self = GST_RTC_SCTP_ENC (object);

  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, get_stats (self));
    return;
  }
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_SCTP_ASSOCIATION_ID:
      g_value_set_uint (value, self->association_id);
      break;
    case PROP_IS_CLIENT:
      g_value_set_boolean (value, self->is_client);
      break;
    case PROP_LOCAL_SCTP_PORT:
      g_value_set_uint (value, self->local_port);
      break;
    case PROP_REMOTE_SCTP_PORT:
      g_value_set_uint (value, self->remote_port);
      break;
    case PROP_MAX_MESSAGE_SIZE:
      g_value_set_uint (value, self->max_message_size);
      break;
    case PROP_REMOTE_MAX_MESSAGE_SIZE:
      g_value_set_uint (value, self->remote_max_message_size);
      break;
    case PROP_STATE:
      g_value_set_enum (value,
          self->assoc ? rtc_sctp_association_get_state (self->assoc)
                      : GST_RTC_SCTP_TRANSPORT_STATE_NEW);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_rtc_sctp_enc_finalize (GObject *object)
{
  GstRtcSctpEnc *self = GST_RTC_SCTP_ENC (object);

  drop_association (self);
  g_queue_clear_full (&self->queue, (GDestroyNotify)gst_buffer_unref);
  g_mutex_clear (&self->queue_lock);
  g_cond_clear (&self->queue_cond);
  G_OBJECT_CLASS (gst_rtc_sctp_enc_parent_class)->finalize (object);
}

static void
gst_rtc_sctp_enc_class_init (GstRtcSctpEncClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
  GParamFlags rw_ready = rw | GST_PARAM_MUTABLE_READY;

  gobject_class->set_property = gst_rtc_sctp_enc_set_property;
  gobject_class->get_property = gst_rtc_sctp_enc_get_property;
  gobject_class->finalize = gst_rtc_sctp_enc_finalize;
  element_class->change_state = gst_rtc_sctp_enc_change_state;

  g_object_class_install_property (gobject_class, PROP_SCTP_ASSOCIATION_ID,
      g_param_spec_uint ("sctp-association-id", "SCTP association id",
          "Pairs this encoder with the rtcsctpdec of the same id", 0,
          G_MAXUINT16, 1, rw_ready));
  g_object_class_install_property (gobject_class, PROP_IS_CLIENT,
      g_param_spec_boolean ("is-client", "Is client",
          "DTLS role: the client opens channels on even stream ids, the "
          "server on odd ones",
          FALSE, rw_ready));
  g_object_class_install_property (gobject_class, PROP_LOCAL_SCTP_PORT,
      g_param_spec_uint ("local-sctp-port", "Local SCTP port",
          "Our SCTP port (SDP a=sctp-port)", 1, G_MAXUINT16,
          RTC_SCTP_DEFAULT_PORT, rw_ready));
  g_object_class_install_property (gobject_class, PROP_REMOTE_SCTP_PORT,
      g_param_spec_uint ("remote-sctp-port", "Remote SCTP port",
          "The peer's SCTP port (its a=sctp-port)", 1, G_MAXUINT16,
          RTC_SCTP_DEFAULT_PORT, rw_ready));
  g_object_class_install_property (gobject_class, PROP_MAX_MESSAGE_SIZE,
      g_param_spec_uint ("max-message-size", "Max message size",
          "Largest message we accept (our a=max-message-size)", 1024,
          G_MAXINT32, RTC_SCTP_DEFAULT_MAX_MESSAGE_SIZE, rw));
  g_object_class_install_property (gobject_class, PROP_REMOTE_MAX_MESSAGE_SIZE,
      g_param_spec_uint ("remote-max-message-size", "Remote max message size",
          "Largest message the peer accepts (its a=max-message-size; 0: no "
          "limit, 65536 when its SDP has none)",
          0, G_MAXINT32, RTC_SCTP_DEFAULT_REMOTE_MAX_MESSAGE_SIZE, rw));
  g_object_class_install_property (gobject_class, PROP_STATE,
      g_param_spec_enum ("state", "State", "State of the association",
          GST_TYPE_RTC_SCTP_TRANSPORT_STATE, GST_RTC_SCTP_TRANSPORT_STATE_NEW,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Messages and bytes each way, and what was dropped and why",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GstRtcSctpEnc::create-data-channel:
   * @enc: the encoder
   * @label: the channel's label
   * @options: (nullable): `ordered`, `max-packet-lifetime`,
   *   `max-retransmits`, `protocol`, `negotiated`, `id`, `priority`, as for
   *   webrtcbin's create-data-channel
   *
   * Opens a data channel (needs READY or above; it opens once the
   * association is up).
   *
   * Returns: (transfer full) (nullable): the channel, or %NULL if the
   *   options are invalid (logged)
   */
  signals[SIGNAL_CREATE_DATA_CHANNEL]
      = g_signal_new_class_handler ("create-data-channel",
          G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
          G_CALLBACK (create_data_channel), NULL, NULL, NULL,
          GST_TYPE_RTC_DATA_CHANNEL, 2, G_TYPE_STRING, GST_TYPE_STRUCTURE);

  /**
   * GstRtcSctpEnc::on-data-channel:
   * @enc: the encoder
   * @channel: a channel the peer opened
   *
   * Emitted from the receiving thread before the channel's on-open.
   */
  signals[SIGNAL_ON_DATA_CHANNEL] = g_signal_new ("on-data-channel",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, GST_TYPE_RTC_DATA_CHANNEL);

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "SCTP encoder",
      "Encoder/Network/WebRTC",
      "Sends WebRTC data channels over an SCTP association", "gst-rtc");
  gst_type_mark_as_plugin_api (GST_TYPE_RTC_DATA_CHANNEL, 0);
}

static void
gst_rtc_sctp_enc_init (GstRtcSctpEnc *self)
{
  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_use_fixed_caps (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);

  self->association_id = 1;
  self->local_port = RTC_SCTP_DEFAULT_PORT;
  self->remote_port = RTC_SCTP_DEFAULT_PORT;
  self->max_message_size = RTC_SCTP_DEFAULT_MAX_MESSAGE_SIZE;
  self->remote_max_message_size = RTC_SCTP_DEFAULT_REMOTE_MAX_MESSAGE_SIZE;
  g_mutex_init (&self->queue_lock);
  g_cond_init (&self->queue_cond);
  g_queue_init (&self->queue);
  self->flushing = TRUE;
}
