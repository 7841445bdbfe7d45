/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-rtcicesink
 * @title: rtcicesink
 * @see_also: rtcicesrc
 *
 * Sends each buffer as one packet on the selected candidate pair of an
 * #RtcIceTransport (its `transport` property), like libnice's nicesink.
 * Until the transport has selected a pair, the last few buffers are held
 * and sent as soon as it does: a DTLS client's first flight, made while
 * ICE is still checking, then leaves at once instead of at its first
 * retransmission. Older buffers are dropped and counted in the
 * transport's `send-dropped` statistic.
 *
 * Nothing can flow before connectivity, so the sink does not wait for a
 * preroll buffer: `async` is %FALSE by default, as is `sync` (packets leave
 * as soon as they arrive, as with webrtcbin's network sinks).
 *
 * The transport is an object, so this element is set up from code:
 * ## Example: send RTP over ICE
 * |[<!-- language="C" -->
 * RtcIceTransport *t = rtc_ice_transport_new ();
 * GstElement *pipe = gst_parse_launch ("audiotestsrc is-live=true ! "
 *     "opusenc ! rtpopuspay ! rtcicesink name=ice", NULL);
 * GstElement *sink = gst_bin_get_by_name (GST_BIN (pipe), "ice");
 *
 * g_object_set (sink, "transport", t, NULL);
 * // signal candidates and credentials, then rtc_ice_transport_gather (t, NULL)
 * gst_element_set_state (pipe, GST_STATE_PLAYING);
 * ]|
 * There is no gst-launch-1.0 form: the transport is an object that the
 * application configures and signals for.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcicesink.h"
#include "rtcicetransport.h"

GST_DEBUG_CATEGORY_STATIC (gst_rtc_ice_sink_debug);
#define GST_CAT_DEFAULT gst_rtc_ice_sink_debug

/* Enough for a DTLS flight; a few packets more would only be stale. */
#define MAX_HELD 8

struct _GstRtcIceSink {
  GstBaseSink parent;

  GMutex lock;
  RtcIceTransport *transport;
  /* While started: the transport watched for its pair, and the buffers
   * held until then. */
  RtcIceTransport *watched;
  gulong pair_handler;
  GQueue held;
};

enum { PROP_0, PROP_TRANSPORT };

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

G_DEFINE_TYPE (GstRtcIceSink, gst_rtc_ice_sink, GST_TYPE_BASE_SINK);
GST_ELEMENT_REGISTER_DEFINE (rtcicesink, "rtcicesink", GST_RANK_NONE,
    GST_TYPE_RTC_ICE_SINK);

static RtcIceTransport *
dup_transport (GstRtcIceSink *self)
{
  RtcIceTransport *t;

  g_mutex_lock (&self->lock);
  t = self->transport ? g_object_ref (self->transport) : NULL;
  g_mutex_unlock (&self->lock);
  return t;
}

static void
send_buffer (GstRtcIceSink *self, RtcIceTransport *t, GstBuffer *buf)
{
  GstMapInfo map;

  if (!gst_buffer_map (buf, &map, GST_MAP_READ)) {
    GST_WARNING_OBJECT (self, "cannot map buffer, dropped");
    return;
  }
  if (!rtc_ice_transport_send (t, map.data, map.size))
    GST_LOG_OBJECT (self, "packet of %" G_GSIZE_FORMAT " bytes not sent",
        map.size);
  gst_buffer_unmap (buf, &map);
}

/* Holds @buf if the transport has no pair yet; checked under the lock
 * that flush_held() takes, so a pair selected meanwhile flushes it. */
static gboolean
hold_buffer (GstRtcIceSink *self, RtcIceTransport *t, GstBuffer *buf)
{
  GstBuffer *evicted = NULL;

  g_mutex_lock (&self->lock);
  if (t != self->watched || rtc_ice_transport_get_selected_pair (t, NULL, NULL)
      || rtc_ice_transport_get_state (t) == RTC_ICE_TRANSPORT_STATE_CLOSED) {
    g_mutex_unlock (&self->lock);
    return FALSE;
  }
  g_queue_push_tail (&self->held, gst_buffer_ref (buf));
  if (g_queue_get_length (&self->held) > MAX_HELD)
    evicted = g_queue_pop_head (&self->held);
  g_mutex_unlock (&self->lock);
  if (evicted) {
    /* Refused by the transport, hence counted in send-dropped. */
    send_buffer (self, t, evicted);
    gst_buffer_unref (evicted);
  }
  return TRUE;
}

/* On the ICE thread, once a pair is selected. */
static void
flush_held (RtcIceTransport *t, GParamSpec *pspec, GstRtcIceSink *self)
{
  GQueue held = G_QUEUE_INIT;
  GstBuffer *buf;

  if (!rtc_ice_transport_get_selected_pair (t, NULL, NULL))
    return;
  g_mutex_lock (&self->lock);
  held = self->held;
  g_queue_init (&self->held);
  g_mutex_unlock (&self->lock);
  if (!g_queue_is_empty (&held))
    GST_DEBUG_OBJECT (self, "pair selected: sending %u held packets",
        g_queue_get_length (&held));
  while ((buf = g_queue_pop_head (&held))) {
    send_buffer (self, t, buf);
    gst_buffer_unref (buf);
  }
}

static GstFlowReturn
gst_rtc_ice_sink_render (GstBaseSink *sink, GstBuffer *buf)
{
  GstRtcIceSink *self = GST_RTC_ICE_SINK (sink);
  RtcIceTransport *t = dup_transport (self);

  if (!t)
    return GST_FLOW_OK;
  if (!hold_buffer (self, t, buf))
    send_buffer (self, t, buf);
  g_object_unref (t);
  return GST_FLOW_OK;
}

/* Sends @n buffers of a list, mapped, in one call into the transport. */
static void
send_buffers (GstRtcIceSink *self, RtcIceTransport *t, GstBufferList *list,
    guint first, guint n)
{
  GOutputVector packets[RTC_ICE_TRANSPORT_SEND_MANY_MAX];
  GstMapInfo maps[RTC_ICE_TRANSPORT_SEND_MANY_MAX];
  guint i, mapped = 0, sent;

  for (i = 0; i < n; i++) {
    GstBuffer *buf = gst_buffer_list_get (list, first + i);

    if (!gst_buffer_map (buf, &maps[mapped], GST_MAP_READ)) {
      GST_WARNING_OBJECT (self, "cannot map buffer, dropped");
      continue;
    }
    packets[mapped].buffer = maps[mapped].data;
    packets[mapped].size = maps[mapped].size;
    mapped++;
  }
  sent = rtc_ice_transport_send_many (t, packets, mapped);
  if (sent < mapped)
    GST_LOG_OBJECT (self, "%u of %u packets not sent", mapped - sent, mapped);
  for (i = 0; i < mapped; i++)
    gst_buffer_unmap (gst_buffer_list_get (list, first + i), &maps[i]);
}

static GstFlowReturn
gst_rtc_ice_sink_render_list (GstBaseSink *sink, GstBufferList *list)
{
  GstRtcIceSink *self = GST_RTC_ICE_SINK (sink);
  RtcIceTransport *t = dup_transport (self);
  guint i, n = gst_buffer_list_length (list);

  if (!t)
    return GST_FLOW_OK;
  /* Before a pair is selected, buffers are held one by one. */
  if (rtc_ice_transport_get_selected_pair (t, NULL, NULL)) {
    for (i = 0; i < n; i += RTC_ICE_TRANSPORT_SEND_MANY_MAX)
      send_buffers (self, t, list, i,
          MIN (n - i, RTC_ICE_TRANSPORT_SEND_MANY_MAX));
  } else {
    for (i = 0; i < n; i++) {
      GstBuffer *buf = gst_buffer_list_get (list, i);

      if (!hold_buffer (self, t, buf))
        send_buffer (self, t, buf);
    }
  }
  g_object_unref (t);
  return GST_FLOW_OK;
}

static gboolean
gst_rtc_ice_sink_start (GstBaseSink *sink)
{
  GstRtcIceSink *self = GST_RTC_ICE_SINK (sink);
  RtcIceTransport *t = dup_transport (self);

  if (!t) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("No ICE transport set"),
        ("Set the transport property before starting"));
    return FALSE;
  }
  g_mutex_lock (&self->lock);
  self->watched = t;
  g_mutex_unlock (&self->lock);
  self->pair_handler = g_signal_connect (t, "notify::selected-local-candidate",
      G_CALLBACK (flush_held), self);
  return TRUE;
}

static gboolean
gst_rtc_ice_sink_stop (GstBaseSink *sink)
{
  GstRtcIceSink *self = GST_RTC_ICE_SINK (sink);
  RtcIceTransport *t;

  g_mutex_lock (&self->lock);
  t = g_steal_pointer (&self->watched);
  g_mutex_unlock (&self->lock);
  if (t) {
    g_signal_handler_disconnect (t, self->pair_handler);
    self->pair_handler = 0;
    g_object_unref (t);
  }
  g_mutex_lock (&self->lock);
  g_queue_clear_full (&self->held, (GDestroyNotify)gst_buffer_unref);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
gst_rtc_ice_sink_set_property (GObject *object, guint prop_id,
    const GValue *value, GParamSpec *pspec)
{
  GstRtcIceSink *self = GST_RTC_ICE_SINK (object);

  switch (prop_id) {
    case PROP_TRANSPORT:
      g_mutex_lock (&self->lock);
      g_clear_object (&self->transport);
      self->transport = g_value_dup_object (value);
      g_mutex_unlock (&self->lock);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_rtc_ice_sink_get_property (GObject *object, guint prop_id, GValue *value,
    GParamSpec *pspec)
{
  GstRtcIceSink *self = GST_RTC_ICE_SINK (object);

  switch (prop_id) {
    case PROP_TRANSPORT:
      g_value_take_object (value, dup_transport (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_rtc_ice_sink_finalize (GObject *object)
{
  GstRtcIceSink *self = GST_RTC_ICE_SINK (object);

  g_clear_object (&self->transport);
  g_queue_clear_full (&self->held, (GDestroyNotify)gst_buffer_unref);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (gst_rtc_ice_sink_parent_class)->finalize (object);
}

static void
gst_rtc_ice_sink_init (GstRtcIceSink *self)
{
  g_mutex_init (&self->lock);
  g_queue_init (&self->held);
  gst_base_sink_set_sync (GST_BASE_SINK (self), FALSE);
  gst_base_sink_set_async_enabled (GST_BASE_SINK (self), FALSE);
}

static void
gst_rtc_ice_sink_class_init (GstRtcIceSinkClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *sink_class = GST_BASE_SINK_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_rtc_ice_sink_debug, "rtcicesink", 0, "ICE sink");

  gobject_class->set_property = gst_rtc_ice_sink_set_property;
  gobject_class->get_property = gst_rtc_ice_sink_get_property;
  gobject_class->finalize = gst_rtc_ice_sink_finalize;
  sink_class->render = gst_rtc_ice_sink_render;
  sink_class->render_list = gst_rtc_ice_sink_render_list;
  sink_class->start = gst_rtc_ice_sink_start;
  sink_class->stop = gst_rtc_ice_sink_stop;

  g_object_class_install_property (gobject_class, PROP_TRANSPORT,
      g_param_spec_object ("transport", "Transport",
          "The ICE transport to send on", RTC_TYPE_ICE_TRANSPORT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class, "ICE sink",
      "Sink/Network", "Sends packets over an ICE transport (libnice)",
      "gst-rtc");
}
