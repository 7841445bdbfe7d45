/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-rtcdtlssrtpenc
 * @title: rtcdtlssrtpenc
 * @see_also: rtcdtlssrtpdec
 *
 * The sending half of a DTLS-SRTP transport (RFC 5764): it runs the DTLS
 * handshake with the peer, protects RTP and RTCP from its `rtp_sink_%d` and
 * `rtcp_sink_%d` pads with the exported SRTP keys, sends application data
 * from `data_sink` as DTLS records, and outputs all of it on `src`.
 *
 * It pairs with the rtcdtlssrtpdec that has the same `connection-id`; the
 * decoder feeds it the peer's handshake records and holds the certificate.
 * Either may be created first. Until the handshake has keyed SRTP, media
 * is dropped and counted in `stats`; nothing leaves unencrypted.
 *
 * Property, pad and signal names are those of gst-plugins-bad's
 * dtlssrtpenc, so a pipeline swaps by element name. The handshake starts
 * when the element goes to PLAYING. Nothing flows out before it, so the
 * sink after the encoder must not wait for a preroll buffer: give it
 * `async=false`, as webrtcbin does with its network sinks.
 *
 * ## Example: send encrypted audio to 127.0.0.1:5004, receive the peer's
 * handshake on 5005 (run the rtcdtlssrtpdec example beside it)
 * |[
 * gst-launch-1.0 audiotestsrc is-live=true ! opusenc ! rtpopuspay ! \
 *     rtcdtlssrtpenc connection-id=a is-client=true name=enc ! \
 *     udpsink host=127.0.0.1 port=5004 async=false \
 *   udpsrc address=127.0.0.1 port=5005 ! rtcdtlssrtpdec connection-id=a ! \
 *     fakesink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcdtlssrtpenc.h"
#include "gstrtcdtlssrtpcommon.h"
#include "rtcdtlserror.h"
#include "rtcpacketdemux.h"

#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_rtc_dtls_srtp_enc_debug);
#define GST_CAT_DEFAULT gst_rtc_dtls_srtp_enc_debug

struct _GstRtcDtlsSrtpEnc {
  GstElement parent;

  GstPad *srcpad;
  /* Serialises output from streaming threads and the DTLS timer thread;
   * recursive because a handshake flight may loop back through a peer
   * linked in the same thread. */
  GRecMutex push_lock;

  RtcDtlsSrtpCommon common;
  gboolean is_client;
  gchar *srtp_profiles;
  gboolean manual_keying;
  gboolean dtls_active;
};

enum {
  PROP_IS_CLIENT = RTC_DTLS_SRTP_PROP_LAST,
  PROP_SRTP_PROFILES,
};

enum { SIGNAL_ON_KEY_SET, LAST_SIGNAL };

static guint signals[LAST_SIGNAL];

#define MEDIA_CAPS "application/x-rtp; application/x-rtcp"

static GstStaticPadTemplate rtp_sink_template
    = GST_STATIC_PAD_TEMPLATE ("rtp_sink_%d", GST_PAD_SINK, GST_PAD_REQUEST,
        GST_STATIC_CAPS (MEDIA_CAPS));
static GstStaticPadTemplate rtcp_sink_template
    = GST_STATIC_PAD_TEMPLATE ("rtcp_sink_%d", GST_PAD_SINK, GST_PAD_REQUEST,
        GST_STATIC_CAPS (MEDIA_CAPS));
static GstStaticPadTemplate data_sink_template
    = GST_STATIC_PAD_TEMPLATE ("data_sink", GST_PAD_SINK, GST_PAD_REQUEST,
        GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

G_DEFINE_TYPE (GstRtcDtlsSrtpEnc, gst_rtc_dtls_srtp_enc, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (rtcdtlssrtpenc, "rtcdtlssrtpenc", GST_RANK_NONE,
    GST_TYPE_RTC_DTLS_SRTP_ENC);

static GstFlowReturn
push_output (GstRtcDtlsSrtpEnc *self, GstBuffer *buf)
{
  GstFlowReturn ret;

  g_rec_mutex_lock (&self->push_lock);
  ret = gst_pad_push (self->srcpad, buf);
  g_rec_mutex_unlock (&self->push_lock);
  return ret;
}

/* While a list of application data is encrypted (chain_data_list), its
 * records are collected on that thread and pushed as one list, which the
 * network sink can send in one go. */
typedef struct {
  GstRtcDtlsSrtpEnc *self;
  GstBufferList *out;
} Collector;

static GPrivate collecting;

static void
send_dtls_datagram (gpointer owner, const guint8 *data, gsize len)
{
  GstRtcDtlsSrtpEnc *self = owner;
  Collector *collector = g_private_get (&collecting);
  GstBuffer *buf = gst_buffer_new_memdup (data, len);

  RTC_DTLS_SRTP_STATS_INC (self->common.stats.dtls_packets);
  if (collector && collector->self == self) {
    gst_buffer_list_add (collector->out, buf);
  } else {
    push_output (self, buf);
  }
}

static GstFlowReturn
gst_rtc_dtls_srtp_enc_chain_media (GstPad *pad, GstObject *parent,
    GstBuffer *buf)
{
  GstRtcDtlsSrtpEnc *self = GST_RTC_DTLS_SRTP_ENC (parent);
  RtcSrtpSession *session = rtc_dtls_srtp_common_get_srtp (&self->common);
  RtcDtlsSrtpStats *stats = &self->common.stats;
  GstMapInfo in, out;
  GstBuffer *outbuf;
  RtcPacketKind kind;
  RtcSrtpResult result;
  gsize len;

  if (!session) {
    RTC_DTLS_SRTP_STATS_INC (stats->dropped_not_ready);
    gst_buffer_unref (buf);
    return GST_FLOW_OK;
  }
  if (!gst_buffer_map (buf, &in, GST_MAP_READ)) {
    gst_buffer_unref (buf);
    return GST_FLOW_ERROR;
  }
  kind = rtc_packet_classify (in.data, in.size);
  if (kind != RTC_PACKET_RTP && kind != RTC_PACKET_RTCP) {
    GST_LOG_OBJECT (pad,
        "dropping %" G_GSIZE_FORMAT "-byte packet that is "
        "neither RTP nor RTCP",
        in.size);
    RTC_DTLS_SRTP_STATS_INC (stats->dropped_invalid);
    gst_buffer_unmap (buf, &in);
    gst_buffer_unref (buf);
    return GST_FLOW_OK;
  }

  outbuf = gst_buffer_new_allocate (NULL,
      in.size
          + rtc_srtp_profile_max_overhead (
              rtc_srtp_session_get_profile (session)),
      NULL);
  gst_buffer_map (outbuf, &out, GST_MAP_WRITE);
  memcpy (out.data, in.data, in.size);
  len = in.size;
  result = rtc_srtp_session_protect (session, kind == RTC_PACKET_RTCP, out.data,
      &len);
  gst_buffer_unmap (outbuf, &out);
  gst_buffer_unmap (buf, &in);

  if (result != RTC_SRTP_OK) {
    GST_DEBUG_OBJECT (pad, "SRTP refused to protect a %s packet (%d)",
        rtc_packet_kind_name (kind), result);
    RTC_DTLS_SRTP_STATS_INC (stats->dropped_error);
    gst_buffer_unref (outbuf);
    gst_buffer_unref (buf);
    return GST_FLOW_OK;
  }
  gst_buffer_set_size (outbuf, len);
  gst_buffer_copy_into (outbuf, buf, GST_BUFFER_COPY_TIMESTAMPS, 0, -1);
  gst_buffer_unref (buf);
  if (kind == RTC_PACKET_RTCP)
    RTC_DTLS_SRTP_STATS_INC (stats->rtcp_packets);
  else
    RTC_DTLS_SRTP_STATS_INC (stats->rtp_packets);
  return push_output (self, outbuf);
}

static GstFlowReturn
gst_rtc_dtls_srtp_enc_chain_data (GstPad *pad, GstObject *parent,
    GstBuffer *buf)
{
  GstRtcDtlsSrtpEnc *self = GST_RTC_DTLS_SRTP_ENC (parent);
  RtcDtlsConnection *conn = rtc_dtls_srtp_common_ref_connection (&self->common);
  GError *error = NULL;
  GstMapInfo map;

  if (gst_buffer_map (buf, &map, GST_MAP_READ)) {
    if (conn
        && rtc_dtls_connection_send_data (conn, map.data, map.size, &error)) {
      RTC_DTLS_SRTP_STATS_INC (self->common.stats.data_packets);
      RTC_DTLS_SRTP_STATS_ADD (self->common.stats.data_bytes, map.size);
    } else {
      GST_DEBUG_OBJECT (pad, "dropping application data: %s",
          error ? error->message : "no DTLS connection");
      RTC_DTLS_SRTP_STATS_INC (self->common.stats.dropped_not_ready);
      g_clear_error (&error);
    }
    gst_buffer_unmap (buf, &map);
  }
  g_clear_object (&conn);
  gst_buffer_unref (buf);
  return GST_FLOW_OK;
}

static GstFlowReturn
gst_rtc_dtls_srtp_enc_chain_data_list (GstPad *pad, GstObject *parent,
    GstBufferList *list)
{
  GstRtcDtlsSrtpEnc *self = GST_RTC_DTLS_SRTP_ENC (parent);
  Collector collector = { self, gst_buffer_list_new () };
  Collector *outer = g_private_get (&collecting);
  guint i, n = gst_buffer_list_length (list);

  g_private_set (&collecting, &collector);
  for (i = 0; i < n; i++)
    gst_rtc_dtls_srtp_enc_chain_data (pad, parent,
        gst_buffer_ref (gst_buffer_list_get (list, i)));
  g_private_set (&collecting, outer);
  gst_buffer_list_unref (list);
  /* As for single buffers, what downstream says does not stop SCTP. */
  if (gst_buffer_list_length (collector.out)) {
    g_rec_mutex_lock (&self->push_lock);
    gst_pad_push_list (self->srcpad, collector.out);
    g_rec_mutex_unlock (&self->push_lock);
  } else {
    gst_buffer_list_unref (collector.out);
  }
  return GST_FLOW_OK;
}

static void
store_output_events (GstRtcDtlsSrtpEnc *self)
{
  /* Several sink pads: no single upstream stream to derive an id from. */
  gchar *stream_id = g_uuid_string_random ();

  rtc_dtls_srtp_store_output_events (self->srcpad, stream_id);
  g_free (stream_id);
}

static gboolean
all_sinks_eos (GstRtcDtlsSrtpEnc *self, GstPad *except)
{
  gboolean all = TRUE;
  GList *l;

  GST_OBJECT_LOCK (self);
  for (l = GST_ELEMENT (self)->sinkpads; l; l = l->next)
    if (l->data != except && !GST_PAD_IS_EOS (l->data))
      all = FALSE;
  GST_OBJECT_UNLOCK (self);
  return all;
}

static gboolean
gst_rtc_dtls_srtp_enc_sink_event (GstPad *pad, GstObject *parent,
    GstEvent *event)
{
  GstRtcDtlsSrtpEnc *self = GST_RTC_DTLS_SRTP_ENC (parent);
  RtcDtlsConnection *conn;
  gboolean ret = TRUE;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_FLUSH_START:
      return gst_pad_push_event (self->srcpad, event);
    case GST_EVENT_FLUSH_STOP:
      ret = gst_pad_push_event (self->srcpad, event);
      store_output_events (self);
      return ret;
    case GST_EVENT_EOS:
      /* The transport ends when its last input ends: say close_notify. */
      if (!all_sinks_eos (self, pad))
        break;
      conn = rtc_dtls_srtp_common_ref_connection (&self->common);
      if (conn && self->dtls_active)
        rtc_dtls_connection_close (conn);
      g_clear_object (&conn);
      g_rec_mutex_lock (&self->push_lock);
      ret = gst_pad_push_event (self->srcpad, event);
      g_rec_mutex_unlock (&self->push_lock);
      return ret;
    default:
      /* Stream-start, caps and segment of the inputs do not describe the
       * multiplexed output, which carries its own. */
      break;
  }
  gst_event_unref (event);
  return ret;
}

static GstPad *
gst_rtc_dtls_srtp_enc_request_new_pad (GstElement *element,
    GstPadTemplate *templ, const gchar *name, const GstCaps *caps)
{
  GstRtcDtlsSrtpEnc *self = GST_RTC_DTLS_SRTP_ENC (element);
  gboolean is_data = templ->direction == GST_PAD_SINK
      && g_str_equal (templ->name_template, "data_sink");
  GstPad *pad;

  pad = gst_pad_new_from_template (templ, name);
  gst_pad_set_chain_function (pad,
      is_data ? GST_DEBUG_FUNCPTR (gst_rtc_dtls_srtp_enc_chain_data)
              : GST_DEBUG_FUNCPTR (gst_rtc_dtls_srtp_enc_chain_media));
  if (is_data)
    gst_pad_set_chain_list_function (pad,
        GST_DEBUG_FUNCPTR (gst_rtc_dtls_srtp_enc_chain_data_list));
  gst_pad_set_event_function (pad,
      GST_DEBUG_FUNCPTR (gst_rtc_dtls_srtp_enc_sink_event));
  GST_PAD_SET_ACCEPT_TEMPLATE (pad);
  if (GST_STATE (element) > GST_STATE_READY)
    gst_pad_set_active (pad, TRUE);
  if (!gst_element_add_pad (element, pad)) {
    GST_WARNING_OBJECT (self, "could not add pad %s", GST_PAD_NAME (pad));
    return NULL;
  }
  return pad;
}

static void
gst_rtc_dtls_srtp_enc_release_pad (GstElement *element, GstPad *pad)
{
  gst_pad_set_active (pad, FALSE);
  gst_element_remove_pad (element, pad);
}

static void
keys_ready (GstElement *element)
{
  g_signal_emit (element, signals[SIGNAL_ON_KEY_SET], 0);
}

static gboolean
start_dtls (GstRtcDtlsSrtpEnc *self)
{
  RtcDtlsConnection *conn = rtc_dtls_srtp_common_ref_connection (&self->common);
  GError *error = NULL;
  gboolean ok, is_client;
  gchar *profiles;

  GST_OBJECT_LOCK (self);
  is_client = self->is_client;
  profiles = g_strdup (self->srtp_profiles);
  GST_OBJECT_UNLOCK (self);

  rtc_dtls_connection_set_sender (conn, send_dtls_datagram, self);
  ok = rtc_dtls_connection_start (conn, is_client, profiles, &error);
  g_free (profiles);
  if (!ok) {
    GST_ELEMENT_ERROR (self, LIBRARY, SETTINGS, ("%s", error->message), (NULL));
    g_error_free (error);
  }
  self->dtls_active = ok;
  g_object_unref (conn);
  return ok;
}

static void
stop_dtls (GstRtcDtlsSrtpEnc *self)
{
  RtcDtlsConnection *conn = rtc_dtls_srtp_common_ref_connection (&self->common);

  if (conn && self->dtls_active) {
    rtc_dtls_connection_set_sender (conn, NULL, NULL);
    rtc_dtls_connection_stop (conn);
  }
  self->dtls_active = FALSE;
  g_clear_object (&conn);
}

static GstStateChangeReturn
gst_rtc_dtls_srtp_enc_change_state (GstElement *element,
    GstStateChange transition)
{
  GstRtcDtlsSrtpEnc *self = GST_RTC_DTLS_SRTP_ENC (element);
  GstStateChangeReturn ret;
  RtcDtlsConnection *conn;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      if (!rtc_dtls_srtp_common_prepare (&self->common, &self->manual_keying))
        return GST_STATE_CHANGE_FAILURE;
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      /* Best effort: downstream may already refuse data. */
      conn = rtc_dtls_srtp_common_ref_connection (&self->common);
      if (conn && self->dtls_active)
        rtc_dtls_connection_close (conn);
      g_clear_object (&conn);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (gst_rtc_dtls_srtp_enc_parent_class)
            ->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      store_output_events (self);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_PLAYING:
      /* The handshake starts in PLAYING: a flight sent in PAUSED would
       * stall in a downstream sink's preroll. */
      if (!self->manual_keying && !self->dtls_active && !start_dtls (self))
        return GST_STATE_CHANGE_FAILURE;
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      stop_dtls (self);
      rtc_dtls_srtp_common_stop (&self->common);
      break;
    default:
      break;
  }
  return ret;
}

static void
gst_rtc_dtls_srtp_enc_set_property (GObject *object, guint prop_id,
    const GValue *value, GParamSpec *pspec)
{
  GstRtcDtlsSrtpEnc *self = GST_RTC_DTLS_SRTP_ENC (object);
  GError *error = NULL;
  gchar *checked;

  if (rtc_dtls_srtp_common_set_property (&self->common, prop_id, value))
    return;
  switch (prop_id) {
    case PROP_IS_CLIENT:
      GST_OBJECT_LOCK (self);
      self->is_client = g_value_get_boolean (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_SRTP_PROFILES:
      checked = rtc_srtp_profiles_to_openssl (g_value_get_string (value),
          &error);
      if (!checked) {
        g_warning ("%s: %s", GST_OBJECT_NAME (self), error->message);
        g_error_free (error);
        break;
      }
      g_free (checked);
      GST_OBJECT_LOCK (self);
      g_free (self->srtp_profiles);
      self->srtp_profiles = g_value_dup_string (value);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gst_rtc_dtls_srtp_enc_get_property (GObject *object, guint prop_id,
    GValue *value, GParamSpec *pspec)
{
  GstRtcDtlsSrtpEnc *self = GST_RTC_DTLS_SRTP_ENC (object);

  if (rtc_dtls_srtp_common_get_property (&self->common, prop_id, value))
    return;
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_IS_CLIENT:
      g_value_set_boolean (value, self->is_client);
      break;
    case PROP_SRTP_PROFILES:
      g_value_set_string (value, self->srtp_profiles);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_rtc_dtls_srtp_enc_finalize (GObject *object)
{
  GstRtcDtlsSrtpEnc *self = GST_RTC_DTLS_SRTP_ENC (object);

  rtc_dtls_srtp_common_finalize (&self->common);
  g_free (self->srtp_profiles);
  g_rec_mutex_clear (&self->push_lock);
  G_OBJECT_CLASS (gst_rtc_dtls_srtp_enc_parent_class)->finalize (object);
}

static void
gst_rtc_dtls_srtp_enc_init (GstRtcDtlsSrtpEnc *self)
{
  g_rec_mutex_init (&self->push_lock);
  rtc_dtls_srtp_common_init (&self->common, GST_ELEMENT (self), TRUE);
  self->common.keys_ready = keys_ready;
  self->srtp_profiles = g_strdup (RTC_SRTP_DEFAULT_PROFILES);
  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);
}

static void
gst_rtc_dtls_srtp_enc_class_init (GstRtcDtlsSrtpEncClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_rtc_dtls_srtp_enc_set_property;
  gobject_class->get_property = gst_rtc_dtls_srtp_enc_get_property;
  gobject_class->finalize = gst_rtc_dtls_srtp_enc_finalize;

  rtc_dtls_srtp_common_install_properties (gobject_class);
  g_object_class_install_property (gobject_class, PROP_IS_CLIENT,
      g_param_spec_boolean ("is-client", "Is client",
          "Act as DTLS client and send the ClientHello (SDP a=setup:active)",
          FALSE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_SRTP_PROFILES,
      g_param_spec_string ("srtp-profiles", "SRTP profiles",
          "DTLS-SRTP protection profiles to offer or accept, most preferred "
          "first, colon-separated (AEAD_AES_128_GCM, AEAD_AES_256_GCM, "
          "AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32)",
          RTC_SRTP_DEFAULT_PROFILES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));

  /**
   * GstRtcDtlsSrtpEnc::on-key-set:
   *
   * Emitted when the handshake has keyed SRTP and media starts to flow.
   */
  signals[SIGNAL_ON_KEY_SET] = g_signal_new ("on-key-set",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);

  element_class->change_state = gst_rtc_dtls_srtp_enc_change_state;
  element_class->request_new_pad = gst_rtc_dtls_srtp_enc_request_new_pad;
  element_class->release_pad = gst_rtc_dtls_srtp_enc_release_pad;

  gst_element_class_add_static_pad_template (element_class, &rtp_sink_template);
  gst_element_class_add_static_pad_template (element_class,
      &rtcp_sink_template);
  gst_element_class_add_static_pad_template (element_class,
      &data_sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "DTLS-SRTP encoder",
      "Encoder/Network/DTLS/SRTP",
      "Runs a DTLS handshake and sends SRTP, SRTCP and DTLS application data",
      "gst-rtc developers");

  GST_DEBUG_CATEGORY_INIT (gst_rtc_dtls_srtp_enc_debug, "rtcdtlssrtpenc", 0,
      "DTLS-SRTP encoder");
}
