/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-rtcsctpdec
 * @title: rtcsctpdec
 * @see_also: rtcsctpenc, rtcdtlssrtpdec
 *
 * The receiving half of a WebRTC data channel transport: SCTP packets
 * from rtcdtlssrtpdec's `data_src` go to the association of the
 * rtcsctpenc with the same `sctp-association-id`, whose data channels
 * deliver the messages. Packets that arrive while no such encoder exists
 * are dropped and counted in `dropped-packets`.
 *
 * ## Example: data channels over one DTLS transport (see rtcsctpenc)
 * |[
 * ... rtcdtlssrtpdec connection-id=a name=d d.data_src ! \
 *     rtcsctpdec sctp-association-id=1
 * rtcsctpenc sctp-association-id=1 is-client=true ! e.data_sink \
 *     rtcdtlssrtpenc connection-id=a is-client=true name=e ! ...
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcsctpdec.h"
#include "rtcsctpassociation.h"

GST_DEBUG_CATEGORY_STATIC (gst_rtc_sctp_dec_debug);
#define GST_CAT_DEFAULT gst_rtc_sctp_dec_debug

struct _GstRtcSctpDec {
  GstElement parent;

  GstPad *sinkpad;

  /* Object lock. */
  guint association_id;
  guint64 packets, dropped;
};

enum {
  PROP_0,
  PROP_SCTP_ASSOCIATION_ID,
  PROP_PACKETS,
  PROP_DROPPED_PACKETS,
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

G_DEFINE_TYPE_WITH_CODE (GstRtcSctpDec, gst_rtc_sctp_dec, GST_TYPE_ELEMENT,
    GST_DEBUG_CATEGORY_INIT (gst_rtc_sctp_dec_debug, "rtcsctpdec", 0,
        "SCTP association receiver"));
GST_ELEMENT_REGISTER_DEFINE (rtcsctpdec, "rtcsctpdec", GST_RANK_NONE,
    GST_TYPE_RTC_SCTP_DEC);

/* Looked up per packet (a hash lookup): the encoder may be replaced,
 * and its association with it. */
static RtcSctpAssociation *
get_association (GstRtcSctpDec *self)
{
  guint id;

  GST_OBJECT_LOCK (self);
  id = self->association_id;
  GST_OBJECT_UNLOCK (self);
  return rtc_sctp_association_lookup (id);
}

static GstFlowReturn
gst_rtc_sctp_dec_chain (GstPad *pad, GstObject *parent, GstBuffer *buf)
{
  GstRtcSctpDec *self = GST_RTC_SCTP_DEC (parent);
  RtcSctpAssociation *assoc = get_association (self);
  GstMapInfo map;

  if (assoc && gst_buffer_map (buf, &map, GST_MAP_READ)) {
    GST_OBJECT_LOCK (self);
    self->packets++;
    GST_OBJECT_UNLOCK (self);
    rtc_sctp_association_input (assoc, map.data, map.size);
    gst_buffer_unmap (buf, &map);
  } else {
    GST_DEBUG_OBJECT (self,
        "no rtcsctpenc with this sctp-association-id: "
        "dropping a packet");
    GST_OBJECT_LOCK (self);
    self->dropped++;
    GST_OBJECT_UNLOCK (self);
  }
  g_clear_object (&assoc);
  gst_buffer_unref (buf);
  return GST_FLOW_OK;
}

/* A list (a burst from the network) is one output batch: the encoder is
 * woken once for the answers (SACKs, and data the SACKs let go) to all. */
static GstFlowReturn
gst_rtc_sctp_dec_chain_list (GstPad *pad, GstObject *parent,
    GstBufferList *list)
{
  GstRtcSctpDec *self = GST_RTC_SCTP_DEC (parent);
  RtcSctpAssociation *assoc = get_association (self);
  guint i, n = gst_buffer_list_length (list), fed = 0;

  if (assoc) {
    rtc_sctp_association_begin_output_batch (assoc);
    for (i = 0; i < n; i++) {
      GstBuffer *buf = gst_buffer_list_get (list, i);
      GstMapInfo map;

      if (gst_buffer_map (buf, &map, GST_MAP_READ)) {
        rtc_sctp_association_input (assoc, map.data, map.size);
        gst_buffer_unmap (buf, &map);
        fed++;
      }
    }
    rtc_sctp_association_end_output_batch (assoc);
  } else {
    GST_DEBUG_OBJECT (self,
        "no rtcsctpenc with this sctp-association-id: "
        "dropping %u packets",
        n);
  }
  GST_OBJECT_LOCK (self);
  self->packets += fed;
  self->dropped += n - fed;
  GST_OBJECT_UNLOCK (self);
  g_clear_object (&assoc);
  gst_buffer_list_unref (list);
  return GST_FLOW_OK;
}

static gboolean
gst_rtc_sctp_dec_sink_event (GstPad *pad, GstObject *parent, GstEvent *event)
{
  /* Nothing downstream: stream events end here. */
  gst_event_unref (event);
  return TRUE;
}

static void
gst_rtc_sctp_dec_set_property (GObject *object, guint prop_id,
    const GValue *value, GParamSpec *pspec)
{
  GstRtcSctpDec *self = GST_RTC_SCTP_DEC (object);

  switch (prop_id) {
    case PROP_SCTP_ASSOCIATION_ID:
      GST_OBJECT_LOCK (self);
      self->association_id = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_rtc_sctp_dec_get_property (GObject *object, guint prop_id, GValue *value,
    GParamSpec *pspec)
{
  GstRtcSctpDec *self = GST_RTC_SCTP_DEC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_SCTP_ASSOCIATION_ID:
      g_value_set_uint (value, self->association_id);
      break;
    case PROP_PACKETS:
      g_value_set_uint64 (value, self->packets);
      break;
    case PROP_DROPPED_PACKETS:
      g_value_set_uint64 (value, self->dropped);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_rtc_sctp_dec_class_init (GstRtcSctpDecClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_rtc_sctp_dec_set_property;
  gobject_class->get_property = gst_rtc_sctp_dec_get_property;

  g_object_class_install_property (gobject_class, PROP_SCTP_ASSOCIATION_ID,
      g_param_spec_uint ("sctp-association-id", "SCTP association id",
          "The rtcsctpenc whose association receives the packets", 0,
          G_MAXUINT16, 1,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_PACKETS,
      g_param_spec_uint64 ("packets", "Packets",
          "SCTP packets handed to the association", 0, G_MAXUINT64, 0,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_DROPPED_PACKETS,
      g_param_spec_uint64 ("dropped-packets", "Dropped packets",
          "SCTP packets dropped for want of an association", 0, G_MAXUINT64, 0,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class, "SCTP decoder",
      "Decoder/Network/WebRTC",
      "Receives the SCTP packets of WebRTC data channels", "gst-rtc");
}

static void
gst_rtc_sctp_dec_init (GstRtcSctpDec *self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_rtc_sctp_dec_chain));
  gst_pad_set_chain_list_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_rtc_sctp_dec_chain_list));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_rtc_sctp_dec_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);
  self->association_id = 1;
}
