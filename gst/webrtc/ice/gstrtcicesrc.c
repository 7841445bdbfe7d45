/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-rtcicesrc
 * @title: rtcicesrc
 * @see_also: rtcicesink
 *
 * A live source of the packets received on an #RtcIceTransport (its
 * `transport` property), one buffer per packet, timestamped with the
 * pipeline's running time at arrival, like libnice's nicesrc.
 *
 * Packets arrive on the transports' shared ICE thread and are queued for
 * the streaming thread; if the pipeline stalls, at most
 * `max-queued-packets` wait and newer ones are dropped (and counted in
 * `dropped`), so that a stalled consumer cannot exhaust memory. A transport
 * delivers to one source at a time: the last one started.
 *
 * The transport is an object, so this element is set up from code:
 * ## Example: receive RTP over ICE
 * |[<!-- language="C" -->
 * RtcIceTransport *t = rtc_ice_transport_new ();
 * GstElement *pipe = gst_parse_launch ("rtcicesrc name=ice ! "
 *     "application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,"
 *     "payload=96 ! rtpjitterbuffer ! rtpopusdepay ! opusdec ! "
 *     "autoaudiosink", NULL);
 * GstElement *src = gst_bin_get_by_name (GST_BIN (pipe), "ice");
 *
 * g_object_set (src, "transport", t, NULL);
 * // signal candidates and credentials, then rtc_ice_transport_gather (t, NULL)
 * gst_element_set_state (pipe, GST_STATE_PLAYING);
 * ]|
 * There is no gst-launch-1.0 form: the transport is an object that the
 * application configures and signals for.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcicesrc.h"
#include "rtcicetransport.h"

GST_DEBUG_CATEGORY_STATIC (gst_rtc_ice_src_debug);
#define GST_CAT_DEFAULT gst_rtc_ice_src_debug

#define DEFAULT_MAX_QUEUED 1024
/* The streaming thread is woken at the end of what the ICE thread read at
 * once, or as soon as this many packets wait: once a burst rather than
 * once a packet, without holding a long burst back. */
#define WAKE_BATCH 64

struct _GstRtcIceSrc {
  GstPushSrc parent;

  GMutex lock;
  GCond cond;
  RtcIceTransport *transport;
  /* The transport the source receives from while started. */
  RtcIceTransport *active;
  GQueue queue; /* GstBuffer */
  gboolean flushing;
  /* The streaming thread sleeps on cond: only then is it signalled, which
   * saves a futex call per packet while it is busy pushing. */
  gboolean waiting;
  /* Lists only while PLAYING: GStreamer 1.22's base class unrefs a NULL
   * buffer (a critical) when a create() that submitted a list returns
   * into a pause or a pending EOS. list_out: one is on its way to the
   * pad, which the state change waits for. */
  gboolean lists_ok, list_out;
  guint max_queued;
  guint64 dropped;
};

enum { PROP_0, PROP_TRANSPORT, PROP_MAX_QUEUED, PROP_DROPPED };

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

G_DEFINE_TYPE (GstRtcIceSrc, gst_rtc_ice_src, GST_TYPE_PUSH_SRC);
GST_ELEMENT_REGISTER_DEFINE (rtcicesrc, "rtcicesrc", GST_RANK_NONE,
    GST_TYPE_RTC_ICE_SRC);

/* ICE thread. */
static void
on_packet (gpointer owner, const guint8 *data, gsize len)
{
  GstRtcIceSrc *self = owner;

  g_mutex_lock (&self->lock);
  if (self->queue.length < self->max_queued) {
    /* Data and GstMemory in one allocation. */
    GstBuffer *buf = gst_buffer_new_allocate (NULL, len, NULL);

    gst_buffer_fill (buf, 0, data, len);
    g_queue_push_tail (&self->queue, buf);
    if (self->waiting && self->queue.length >= WAKE_BATCH)
      g_cond_signal (&self->cond);
  } else {
    self->dropped++;
    GST_LOG_OBJECT (self, "queue full, packet dropped");
  }
  g_mutex_unlock (&self->lock);
}

/* ICE thread, after a burst. */
static void
on_burst_end (gpointer owner)
{
  GstRtcIceSrc *self = owner;

  g_mutex_lock (&self->lock);
  if (self->waiting && self->queue.length)
    g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* The base class timestamps a list's first buffer only: all get the
 * running time it would give them, that of their push. */
static void
timestamp_list (GstRtcIceSrc *self, GstBufferList *list)
{
  GstClock *clock = gst_element_get_clock (GST_ELEMENT (self));
  GstClockTime now, base, running = GST_CLOCK_TIME_NONE;
  guint i, n = gst_buffer_list_length (list);

  if (!clock)
    return;
  now = gst_clock_get_time (clock);
  base = gst_element_get_base_time (GST_ELEMENT (self));
  gst_object_unref (clock);
  if (now >= base)
    running = now - base;
  for (i = 0; i < n; i++) {
    GstBuffer *buf = gst_buffer_list_get (list, i);

    GST_BUFFER_PTS (buf) = running;
    GST_BUFFER_DTS (buf) = running;
  }
}

static GstFlowReturn
gst_rtc_ice_src_create (GstPushSrc *src, GstBuffer **buf)
{
  GstRtcIceSrc *self = GST_RTC_ICE_SRC (src);
  GstBufferList *list;

  g_mutex_lock (&self->lock);
  while (g_queue_is_empty (&self->queue) && !self->flushing) {
    self->waiting = TRUE;
    g_cond_wait (&self->cond, &self->lock);
    self->waiting = FALSE;
  }
  if (self->flushing) {
    g_mutex_unlock (&self->lock);
    return GST_FLOW_FLUSHING;
  }
  if (self->queue.length == 1 || !self->lists_ok) {
    *buf = g_queue_pop_head (&self->queue);
    g_mutex_unlock (&self->lock);
    return GST_FLOW_OK;
  }
  /* All that waits, in one push. */
  list = gst_buffer_list_new_sized (self->queue.length);
  while (self->queue.length)
    gst_buffer_list_add (list, g_queue_pop_head (&self->queue));
  self->list_out = TRUE;
  g_mutex_unlock (&self->lock);
  timestamp_list (self, list);
  gst_base_src_submit_buffer_list (GST_BASE_SRC (src), list);
  *buf = NULL;
  return GST_FLOW_OK;
}

/* The base class pushes the list: it got past its checks. */
static GstPadProbeReturn
on_list_pushed (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GstRtcIceSrc *self = user_data;

  g_mutex_lock (&self->lock);
  self->list_out = FALSE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return GST_PAD_PROBE_OK;
}

/* No more lists, and none still between create() and the pad (bounded:
 * a streaming thread stuck elsewhere does not hang the caller). */
static void
stop_lists (GstRtcIceSrc *self)
{
  gint64 end = g_get_monotonic_time () + G_TIME_SPAN_SECOND;

  g_mutex_lock (&self->lock);
  self->lists_ok = FALSE;
  while (self->list_out && g_cond_wait_until (&self->cond, &self->lock, end))
    ;
  g_mutex_unlock (&self->lock);
}

static GstStateChangeReturn
gst_rtc_ice_src_change_state (GstElement *element, GstStateChange transition)
{
  GstRtcIceSrc *self = GST_RTC_ICE_SRC (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_PLAYING_TO_PAUSED)
    stop_lists (self);
  ret = GST_ELEMENT_CLASS (gst_rtc_ice_src_parent_class)
            ->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_PLAYING
      && ret != GST_STATE_CHANGE_FAILURE) {
    g_mutex_lock (&self->lock);
    self->lists_ok = TRUE;
    g_mutex_unlock (&self->lock);
  }
  return ret;
}

static gboolean
gst_rtc_ice_src_send_event (GstElement *element, GstEvent *event)
{
  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS)
    stop_lists (GST_RTC_ICE_SRC (element));
  return GST_ELEMENT_CLASS (gst_rtc_ice_src_parent_class)
      ->send_event (element, event);
}

static gboolean
gst_rtc_ice_src_unlock (GstBaseSrc *src)
{
  GstRtcIceSrc *self = GST_RTC_ICE_SRC (src);

  g_mutex_lock (&self->lock);
  self->flushing = TRUE;
  /* A list that met the flush is dropped by the base class. */
  self->list_out = FALSE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
gst_rtc_ice_src_unlock_stop (GstBaseSrc *src)
{
  GstRtcIceSrc *self = GST_RTC_ICE_SRC (src);

  g_mutex_lock (&self->lock);
  self->flushing = FALSE;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
gst_rtc_ice_src_start (GstBaseSrc *src)
{
  GstRtcIceSrc *self = GST_RTC_ICE_SRC (src);
  RtcIceTransport *t;

  g_mutex_lock (&self->lock);
  t = self->transport ? g_object_ref (self->transport) : NULL;
  self->active = t ? g_object_ref (t) : NULL;
  self->flushing = FALSE;
  g_mutex_unlock (&self->lock);
  if (!t) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("No ICE transport set"),
        ("Set the transport property before starting"));
    return FALSE;
  }
  rtc_ice_transport_set_receiver_full (t, on_packet, on_burst_end,
      G_OBJECT (self));
  g_object_unref (t);
  return TRUE;
}

static gboolean
gst_rtc_ice_src_stop (GstBaseSrc *src)
{
  GstRtcIceSrc *self = GST_RTC_ICE_SRC (src);
  RtcIceTransport *t;

  g_mutex_lock (&self->lock);
  t = g_steal_pointer (&self->active);
  g_mutex_unlock (&self->lock);
  if (t) {
    rtc_ice_transport_set_receiver (t, NULL, NULL);
    g_object_unref (t);
  }
  /* A delivery that had already started may still queue one packet; it is
   * freed here or at finalize. */
  g_mutex_lock (&self->lock);
  g_queue_clear_full (&self->queue, (GDestroyNotify)gst_buffer_unref);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
gst_rtc_ice_src_set_property (GObject *object, guint prop_id,
    const GValue *value, GParamSpec *pspec)
{
  GstRtcIceSrc *self = GST_RTC_ICE_SRC (object);

  switch (prop_id) {
    case PROP_TRANSPORT:
      g_mutex_lock (&self->lock);
      g_clear_object (&self->transport);
      self->transport = g_value_dup_object (value);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_MAX_QUEUED:
      g_mutex_lock (&self->lock);
      self->max_queued = g_value_get_uint (value);
      g_mutex_unlock (&self->lock);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_rtc_ice_src_get_property (GObject *object, guint prop_id, GValue *value,
    GParamSpec *pspec)
{
  GstRtcIceSrc *self = GST_RTC_ICE_SRC (object);

  g_mutex_lock (&self->lock);
  switch (prop_id) {
    case PROP_TRANSPORT:
      g_value_set_object (value, self->transport);
      break;
    case PROP_MAX_QUEUED:
      g_value_set_uint (value, self->max_queued);
      break;
    case PROP_DROPPED:
      g_value_set_uint64 (value, self->dropped);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&self->lock);
}

static void
gst_rtc_ice_src_finalize (GObject *object)
{
  GstRtcIceSrc *self = GST_RTC_ICE_SRC (object);

  g_queue_clear_full (&self->queue, (GDestroyNotify)gst_buffer_unref);
  g_clear_object (&self->transport);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (gst_rtc_ice_src_parent_class)->finalize (object);
}

static void
gst_rtc_ice_src_init (GstRtcIceSrc *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->queue);
  self->max_queued = DEFAULT_MAX_QUEUED;
  gst_base_src_set_live (GST_BASE_SRC (self), TRUE);
  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_TIME);
  gst_base_src_set_do_timestamp (GST_BASE_SRC (self), TRUE);
  gst_pad_add_probe (GST_BASE_SRC_PAD (self), GST_PAD_PROBE_TYPE_BUFFER_LIST,
      on_list_pushed, self, NULL);
}

static void
gst_rtc_ice_src_class_init (GstRtcIceSrcClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *basesrc_class = GST_BASE_SRC_CLASS (klass);
  GstPushSrcClass *pushsrc_class = GST_PUSH_SRC_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_rtc_ice_src_debug, "rtcicesrc", 0, "ICE source");

  gobject_class->set_property = gst_rtc_ice_src_set_property;
  gobject_class->get_property = gst_rtc_ice_src_get_property;
  gobject_class->finalize = gst_rtc_ice_src_finalize;
  element_class->change_state = gst_rtc_ice_src_change_state;
  element_class->send_event = gst_rtc_ice_src_send_event;
  basesrc_class->start = gst_rtc_ice_src_start;
  basesrc_class->stop = gst_rtc_ice_src_stop;
  basesrc_class->unlock = gst_rtc_ice_src_unlock;
  basesrc_class->unlock_stop = gst_rtc_ice_src_unlock_stop;
  pushsrc_class->create = gst_rtc_ice_src_create;

  g_object_class_install_property (gobject_class, PROP_TRANSPORT,
      g_param_spec_object ("transport", "Transport",
          "The ICE transport to receive from (set before starting)",
          RTC_TYPE_ICE_TRANSPORT, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_MAX_QUEUED,
      g_param_spec_uint ("max-queued-packets", "Max queued packets",
          "Received packets waiting for the streaming thread before newer "
          "ones are dropped",
          1, G_MAXUINT, DEFAULT_MAX_QUEUED,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_DROPPED,
      g_param_spec_uint64 ("dropped", "Dropped",
          "Packets dropped because the queue was full", 0, G_MAXUINT64, 0,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "ICE source",
      "Source/Network", "Receives packets from an ICE transport (libnice)",
      "gst-rtc");
}
