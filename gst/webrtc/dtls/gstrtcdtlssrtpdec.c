/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-rtcdtlssrtpdec
 * @title: rtcdtlssrtpdec
 * @see_also: rtcdtlssrtpenc
 *
 * The receiving half of a DTLS-SRTP transport (RFC 5764). Everything that
 * arrives on `sink` is sorted by its first byte (RFC 7983): DTLS records go
 * to the handshake and, once connected, application data comes out of the
 * `data_src` request pad; SRTP and SRTCP (rtcp-mux, RFC 5761) are
 * authenticated, replay-checked, decrypted and pushed on `rtp_src` and
 * `rtcp_src`. Anything else, and every packet that fails a check, is
 * dropped and counted in `stats`.
 *
 * The decoder holds the local certificate (`pem`, a fresh ECDSA P-256 one
 * unless set, with its `fingerprint`) and checks the peer's against
 * `peer-fingerprint` when that is set: a peer that does not match fails the
 * handshake with an error message, and no SRTP key is ever exported.
 *
 * Property, pad and signal names are those of gst-plugins-bad's
 * dtlssrtpdec, so a pipeline swaps by element name.
 *
 * ## Example: the peer of the rtcdtlssrtpenc example, playing its audio
 * |[
 * gst-launch-1.0 udpsrc address=127.0.0.1 port=5004 \
 *     caps="application/x-rtp,media=audio,clock-rate=48000,encoding-name=OPUS,payload=96" ! \
 *     rtcdtlssrtpdec connection-id=b name=dec ! rtpopusdepay ! opusdec ! \
 *     autoaudiosink \
 *   rtcdtlssrtpenc connection-id=b is-client=false ! \
 *     udpsink host=127.0.0.1 port=5005 async=false
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcdtlssrtpdec.h"
#include "gstrtcdtlssrtpcommon.h"
#include "rtcdtlserror.h"
#include "rtcpacketdemux.h"

GST_DEBUG_CATEGORY_STATIC (gst_rtc_dtls_srtp_dec_debug);
#define GST_CAT_DEFAULT gst_rtc_dtls_srtp_dec_debug

struct _GstRtcDtlsSrtpDec {
  GstElement parent;

  GstPad *sinkpad, *rtp_srcpad, *rtcp_srcpad;
  GstPad *data_srcpad; /* object lock */

  RtcDtlsSrtpCommon common;
  /* Identity and expected peer kept here until a connection-id names the
   * connection they belong to (object lock). */
  RtcDtlsCertificate *cert;
  gchar *peer_fingerprint;
};

enum {
  PROP_PEM = RTC_DTLS_SRTP_PROP_LAST,
  PROP_PEER_PEM,
  PROP_FINGERPRINT,
  PROP_PEER_FINGERPRINT,
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate rtp_src_template
    = GST_STATIC_PAD_TEMPLATE ("rtp_src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("application/x-rtp"));
static GstStaticPadTemplate rtcp_src_template
    = GST_STATIC_PAD_TEMPLATE ("rtcp_src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("application/x-rtcp"));
static GstStaticPadTemplate data_src_template
    = GST_STATIC_PAD_TEMPLATE ("data_src", GST_PAD_SRC, GST_PAD_REQUEST,
        GST_STATIC_CAPS_ANY);

G_DEFINE_TYPE (GstRtcDtlsSrtpDec, gst_rtc_dtls_srtp_dec, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (rtcdtlssrtpdec, "rtcdtlssrtpdec", GST_RANK_NONE,
    GST_TYPE_RTC_DTLS_SRTP_DEC);

/* While a list is decrypted (chain_list), its application data is
 * collected on that thread and pushed as one list. */
typedef struct {
  GstRtcDtlsSrtpDec *self;
  GstBufferList *data;
  GstFlowReturn ret;
} Collector;

static GPrivate collecting;

static void
deliver_app_data (gpointer owner, const guint8 *data, gsize len)
{
  GstRtcDtlsSrtpDec *self = owner;
  Collector *collector = g_private_get (&collecting);
  GstPad *pad;

  RTC_DTLS_SRTP_STATS_INC (self->common.stats.data_packets);
  RTC_DTLS_SRTP_STATS_ADD (self->common.stats.data_bytes, len);
  if (collector && collector->self == self) {
    gst_buffer_list_add (collector->data, gst_buffer_new_memdup (data, len));
    return;
  }
  GST_OBJECT_LOCK (self);
  pad = self->data_srcpad ? gst_object_ref (self->data_srcpad) : NULL;
  GST_OBJECT_UNLOCK (self);
  if (!pad) {
    GST_DEBUG_OBJECT (self,
        "no data_src pad: dropping %" G_GSIZE_FORMAT
        " bytes of application data",
        len);
    return;
  }
  gst_pad_push (pad, gst_buffer_new_memdup (data, len));
  gst_object_unref (pad);
}

static void
count_srtp_failure (GstRtcDtlsSrtpDec *self, RtcSrtpResult result,
    RtcPacketKind kind)
{
  RtcDtlsSrtpStats *stats = &self->common.stats;

  GST_LOG_OBJECT (self, "dropping %s packet: unprotect failed (%d)",
      rtc_packet_kind_name (kind), result);
  switch (result) {
    case RTC_SRTP_ERROR_REPLAY:
      RTC_DTLS_SRTP_STATS_INC (stats->dropped_replay);
      break;
    case RTC_SRTP_ERROR_AUTH:
      RTC_DTLS_SRTP_STATS_INC (stats->dropped_auth);
      break;
    default:
      RTC_DTLS_SRTP_STATS_INC (stats->dropped_error);
  }
}

static GstFlowReturn
unprotect_and_push (GstRtcDtlsSrtpDec *self, GstBuffer *buf, RtcPacketKind kind)
{
  RtcSrtpSession *session = rtc_dtls_srtp_common_get_srtp (&self->common);
  gboolean rtcp = kind == RTC_PACKET_RTCP;
  RtcSrtpResult result;
  GstMapInfo map;
  GstFlowReturn ret;
  gsize len;

  if (!session) {
    RTC_DTLS_SRTP_STATS_INC (self->common.stats.dropped_not_ready);
    gst_buffer_unref (buf);
    return GST_FLOW_OK;
  }
  /* Decrypt in place: a buffer fresh from the network is ours alone. */
  buf = gst_buffer_make_writable (buf);
  if (!gst_buffer_map (buf, &map, GST_MAP_READWRITE)) {
    gst_buffer_unref (buf);
    return GST_FLOW_ERROR;
  }
  len = map.size;
  result = rtc_srtp_session_unprotect (session, rtcp, map.data, &len);
  gst_buffer_unmap (buf, &map);
  if (result != RTC_SRTP_OK) {
    count_srtp_failure (self, result, kind);
    gst_buffer_unref (buf);
    return GST_FLOW_OK;
  }
  gst_buffer_resize (buf, 0, len);
  if (rtcp)
    RTC_DTLS_SRTP_STATS_INC (self->common.stats.rtcp_packets);
  else
    RTC_DTLS_SRTP_STATS_INC (self->common.stats.rtp_packets);

  ret = gst_pad_push (rtcp ? self->rtcp_srcpad : self->rtp_srcpad, buf);
  /* An unlinked RTCP (or RTP) output must not stop the other one. */
  return ret == GST_FLOW_NOT_LINKED ? GST_FLOW_OK : ret;
}

static GstFlowReturn
gst_rtc_dtls_srtp_dec_chain (GstPad *pad, GstObject *parent, GstBuffer *buf)
{
  GstRtcDtlsSrtpDec *self = GST_RTC_DTLS_SRTP_DEC (parent);
  RtcDtlsSrtpStats *stats = &self->common.stats;
  RtcDtlsConnection *conn;
  RtcPacketKind kind;
  GstMapInfo map;

  if (!gst_buffer_map (buf, &map, GST_MAP_READ)) {
    gst_buffer_unref (buf);
    return GST_FLOW_ERROR;
  }
  kind = rtc_packet_classify (map.data, map.size);
  switch (kind) {
    case RTC_PACKET_RTP:
    case RTC_PACKET_RTCP:
      gst_buffer_unmap (buf, &map);
      return unprotect_and_push (self, buf, kind);
    case RTC_PACKET_DTLS:
      conn = rtc_dtls_srtp_common_ref_connection (&self->common);
      if (conn && rtc_dtls_connection_process (conn, map.data, map.size))
        RTC_DTLS_SRTP_STATS_INC (stats->dtls_packets);
      else
        RTC_DTLS_SRTP_STATS_INC (stats->dropped_not_ready);
      g_clear_object (&conn);
      break;
    default:
      GST_LOG_OBJECT (self, "dropping %" G_GSIZE_FORMAT "-byte %s packet",
          map.size, rtc_packet_kind_name (kind));
      RTC_DTLS_SRTP_STATS_INC (stats->dropped_invalid);
      break;
  }
  gst_buffer_unmap (buf, &map);
  gst_buffer_unref (buf);
  return GST_FLOW_OK;
}

static gboolean
chain_one (GstBuffer **buf, guint idx, gpointer user_data)
{
  Collector *collector = user_data;
  GstRtcDtlsSrtpDec *self = collector->self;
  GstBuffer *taken = *buf;

  /* Taken out of the (writable) list: decrypted in place, not copied. */
  *buf = NULL;
  collector->ret = gst_rtc_dtls_srtp_dec_chain (self->sinkpad,
      GST_OBJECT (self), taken);
  return collector->ret == GST_FLOW_OK;
}

/* A burst from the network: its data channel packets leave as one list,
 * so that the SCTP receiver handles them as one batch. */
static GstFlowReturn
gst_rtc_dtls_srtp_dec_chain_list (GstPad *pad, GstObject *parent,
    GstBufferList *list)
{
  GstRtcDtlsSrtpDec *self = GST_RTC_DTLS_SRTP_DEC (parent);
  Collector collector = { self, gst_buffer_list_new (), GST_FLOW_OK };
  Collector *outer = g_private_get (&collecting);
  GstPad *data_pad;

  g_private_set (&collecting, &collector);
  list = gst_buffer_list_make_writable (list);
  gst_buffer_list_foreach (list, chain_one, &collector);
  gst_buffer_list_unref (list);
  g_private_set (&collecting, outer);

  GST_OBJECT_LOCK (self);
  data_pad = self->data_srcpad ? gst_object_ref (self->data_srcpad) : NULL;
  GST_OBJECT_UNLOCK (self);
  if (data_pad && gst_buffer_list_length (collector.data))
    gst_pad_push_list (data_pad, collector.data);
  else
    gst_buffer_list_unref (collector.data);
  g_clear_object (&data_pad);
  return collector.ret;
}

/* The RTP output carries what upstream said of the media (clock-rate,
 * encoding…) under the plain RTP media type, minus SRTP parameters. */
static GstCaps *
rtp_caps_from_sink_caps (GstCaps *caps)
{
  static const gchar *srtp_fields[] = { "srtp-key", "srtp-cipher", "srtp-auth",
    "srtcp-cipher", "srtcp-auth", "roc", "mki", NULL };
  GstStructure *s;
  guint i;

  if (!caps || gst_caps_is_empty (caps) || gst_caps_is_any (caps))
    return gst_caps_new_empty_simple ("application/x-rtp");
  s = gst_structure_copy (gst_caps_get_structure (caps, 0));
  if (!gst_structure_has_name (s, "application/x-rtp")
      && !gst_structure_has_name (s, "application/x-srtp")) {
    gst_structure_free (s);
    return gst_caps_new_empty_simple ("application/x-rtp");
  }
  gst_structure_set_name (s, "application/x-rtp");
  for (i = 0; srtp_fields[i]; i++)
    gst_structure_remove_field (s, srtp_fields[i]);
  return gst_caps_new_full (s, NULL);
}

static void
push_stream_start (GstRtcDtlsSrtpDec *self, GstPad *pad, GstEvent *upstream)
{
  gchar *id = gst_pad_create_stream_id (pad, GST_ELEMENT (self),
      GST_PAD_NAME (pad));
  GstEvent *event = gst_event_new_stream_start (id);
  guint group_id;

  if (upstream && gst_event_parse_group_id (upstream, &group_id))
    gst_event_set_group_id (event, group_id);
  gst_pad_push_event (pad, event);
  g_free (id);
}

static gboolean
gst_rtc_dtls_srtp_dec_sink_event (GstPad *pad, GstObject *parent,
    GstEvent *event)
{
  GstRtcDtlsSrtpDec *self = GST_RTC_DTLS_SRTP_DEC (parent);
  GstCaps *caps;
  GstPad *data_pad;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_STREAM_START:
      push_stream_start (self, self->rtp_srcpad, event);
      push_stream_start (self, self->rtcp_srcpad, event);
      GST_OBJECT_LOCK (self);
      data_pad = self->data_srcpad ? gst_object_ref (self->data_srcpad) : NULL;
      GST_OBJECT_UNLOCK (self);
      if (data_pad) {
        push_stream_start (self, data_pad, event);
        gst_object_unref (data_pad);
      }
      /* Until upstream says more, RTP is plain application/x-rtp. */
      gst_pad_push_event (self->rtp_srcpad,
          gst_event_new_caps (
              gst_static_pad_template_get_caps (&rtp_src_template)));
      gst_pad_push_event (self->rtcp_srcpad,
          gst_event_new_caps (
              gst_static_pad_template_get_caps (&rtcp_src_template)));
      gst_event_unref (event);
      return TRUE;
    case GST_EVENT_CAPS:
      gst_event_parse_caps (event, &caps);
      caps = rtp_caps_from_sink_caps (caps);
      gst_pad_push_event (self->rtp_srcpad, gst_event_new_caps (caps));
      gst_caps_unref (caps);
      gst_event_unref (event);
      return TRUE;
    default:
      return gst_pad_event_default (pad, parent, event);
  }
}

static GstPad *
gst_rtc_dtls_srtp_dec_request_new_pad (GstElement *element,
    GstPadTemplate *templ, const gchar *name, const GstCaps *caps)
{
  GstRtcDtlsSrtpDec *self = GST_RTC_DTLS_SRTP_DEC (element);
  GstPad *pad;

  GST_OBJECT_LOCK (self);
  if (self->data_srcpad) {
    GST_OBJECT_UNLOCK (self);
    GST_WARNING_OBJECT (self, "data_src was already requested");
    return NULL;
  }
  GST_OBJECT_UNLOCK (self);

  pad = gst_pad_new_from_template (templ, "data_src");
  gst_pad_use_fixed_caps (pad);
  if (GST_STATE (element) > GST_STATE_READY) {
    gchar *id = gst_pad_create_stream_id (pad, element, "data");

    gst_pad_set_active (pad, TRUE);
    rtc_dtls_srtp_store_output_events (pad, id);
    g_free (id);
  }
  gst_element_add_pad (element, pad);
  GST_OBJECT_LOCK (self);
  self->data_srcpad = gst_object_ref (pad);
  GST_OBJECT_UNLOCK (self);
  return pad;
}

static void
gst_rtc_dtls_srtp_dec_release_pad (GstElement *element, GstPad *pad)
{
  GstRtcDtlsSrtpDec *self = GST_RTC_DTLS_SRTP_DEC (element);

  GST_OBJECT_LOCK (self);
  if (pad == self->data_srcpad)
    gst_clear_object (&self->data_srcpad);
  GST_OBJECT_UNLOCK (self);
  gst_pad_set_active (pad, FALSE);
  gst_element_remove_pad (element, pad);
}

/* Hands identity and expected peer to a newly named connection. */
static void
apply_identity (GstRtcDtlsSrtpDec *self)
{
  RtcDtlsConnection *conn = rtc_dtls_srtp_common_ref_connection (&self->common);
  RtcDtlsCertificate *cert;
  gchar *fingerprint;

  if (!conn)
    return;
  GST_OBJECT_LOCK (self);
  cert = self->cert ? rtc_dtls_certificate_ref (self->cert) : NULL;
  fingerprint = g_strdup (self->peer_fingerprint);
  GST_OBJECT_UNLOCK (self);
  if (cert)
    rtc_dtls_connection_set_certificate (conn, cert);
  if (fingerprint)
    rtc_dtls_connection_set_peer_fingerprint (conn, fingerprint, NULL);
  g_clear_pointer (&cert, rtc_dtls_certificate_unref);
  g_free (fingerprint);
  g_object_unref (conn);
}

/* The local certificate: the connection's, else one kept until there is a
 * connection (generated on first use). */
static RtcDtlsCertificate *
ref_certificate (GstRtcDtlsSrtpDec *self)
{
  RtcDtlsConnection *conn = rtc_dtls_srtp_common_ref_connection (&self->common);
  RtcDtlsCertificate *cert = NULL;
  GError *error = NULL;

  if (conn) {
    cert = rtc_dtls_connection_get_certificate (conn, &error);
    g_object_unref (conn);
  } else {
    GST_OBJECT_LOCK (self);
    if (!self->cert)
      self->cert = rtc_dtls_certificate_new_ecdsa (&error);
    cert = self->cert ? rtc_dtls_certificate_ref (self->cert) : NULL;
    GST_OBJECT_UNLOCK (self);
  }
  if (error) {
    GST_ERROR_OBJECT (self, "%s", error->message);
    g_error_free (error);
  }
  return cert;
}

static void
set_pem (GstRtcDtlsSrtpDec *self, const gchar *pem)
{
  GError *error = NULL;
  RtcDtlsCertificate *cert = NULL;

  if (pem && !(cert = rtc_dtls_certificate_new_from_pem (pem, &error))) {
    g_warning ("%s: pem: %s", GST_OBJECT_NAME (self), error->message);
    g_error_free (error);
    return;
  }
  GST_OBJECT_LOCK (self);
  g_clear_pointer (&self->cert, rtc_dtls_certificate_unref);
  self->cert = cert;
  GST_OBJECT_UNLOCK (self);
  apply_identity (self);
}

static void
set_peer_fingerprint (GstRtcDtlsSrtpDec *self, const gchar *fingerprint)
{
  GError *error = NULL;

  if (fingerprint && !rtc_dtls_fingerprint_validate (fingerprint, &error)) {
    g_warning ("%s: peer-fingerprint: %s", GST_OBJECT_NAME (self),
        error->message);
    g_error_free (error);
    return;
  }
  GST_OBJECT_LOCK (self);
  g_free (self->peer_fingerprint);
  self->peer_fingerprint = g_strdup (fingerprint);
  GST_OBJECT_UNLOCK (self);
  apply_identity (self);
}

static GstStateChangeReturn
gst_rtc_dtls_srtp_dec_change_state (GstElement *element,
    GstStateChange transition)
{
  GstRtcDtlsSrtpDec *self = GST_RTC_DTLS_SRTP_DEC (element);
  GstStateChangeReturn ret;
  RtcDtlsConnection *conn;
  gboolean manual = FALSE;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED
      && !rtc_dtls_srtp_common_prepare (&self->common, &manual))
    return GST_STATE_CHANGE_FAILURE;

  ret = GST_ELEMENT_CLASS (gst_rtc_dtls_srtp_dec_parent_class)
            ->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  conn = rtc_dtls_srtp_common_ref_connection (&self->common);
  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      if (conn && !manual)
        rtc_dtls_connection_set_receiver (conn, deliver_app_data, self);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      if (conn)
        rtc_dtls_connection_set_receiver (conn, NULL, NULL);
      rtc_dtls_srtp_common_stop (&self->common);
      break;
    default:
      break;
  }
  g_clear_object (&conn);
  return ret;
}

static void
gst_rtc_dtls_srtp_dec_set_property (GObject *object, guint prop_id,
    const GValue *value, GParamSpec *pspec)
{
  GstRtcDtlsSrtpDec *self = GST_RTC_DTLS_SRTP_DEC (object);

  if (rtc_dtls_srtp_common_set_property (&self->common, prop_id, value)) {
    if (prop_id == RTC_DTLS_SRTP_PROP_CONNECTION_ID)
      apply_identity (self);
    return;
  }
  switch (prop_id) {
    case PROP_PEM:
      set_pem (self, g_value_get_string (value));
      break;
    case PROP_PEER_FINGERPRINT:
      set_peer_fingerprint (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gst_rtc_dtls_srtp_dec_get_property (GObject *object, guint prop_id,
    GValue *value, GParamSpec *pspec)
{
  GstRtcDtlsSrtpDec *self = GST_RTC_DTLS_SRTP_DEC (object);
  RtcDtlsCertificate *cert;
  RtcDtlsConnection *conn;

  if (rtc_dtls_srtp_common_get_property (&self->common, prop_id, value))
    return;
  switch (prop_id) {
    case PROP_PEM:
    case PROP_FINGERPRINT:
      cert = ref_certificate (self);
      if (cert)
        g_value_set_string (value,
            prop_id == PROP_PEM ? rtc_dtls_certificate_get_pem (cert)
                                : rtc_dtls_certificate_get_fingerprint (cert));
      g_clear_pointer (&cert, rtc_dtls_certificate_unref);
      break;
    case PROP_PEER_PEM:
      conn = rtc_dtls_srtp_common_ref_connection (&self->common);
      g_value_take_string (value,
          conn ? rtc_dtls_connection_dup_peer_pem (conn) : NULL);
      g_clear_object (&conn);
      break;
    case PROP_PEER_FINGERPRINT:
      GST_OBJECT_LOCK (self);
      g_value_set_string (value, self->peer_fingerprint);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gst_rtc_dtls_srtp_dec_finalize (GObject *object)
{
  GstRtcDtlsSrtpDec *self = GST_RTC_DTLS_SRTP_DEC (object);

  rtc_dtls_srtp_common_finalize (&self->common);
  g_clear_pointer (&self->cert, rtc_dtls_certificate_unref);
  g_free (self->peer_fingerprint);
  gst_clear_object (&self->data_srcpad);
  G_OBJECT_CLASS (gst_rtc_dtls_srtp_dec_parent_class)->finalize (object);
}

static void
gst_rtc_dtls_srtp_dec_init (GstRtcDtlsSrtpDec *self)
{
  rtc_dtls_srtp_common_init (&self->common, GST_ELEMENT (self), FALSE);

  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_rtc_dtls_srtp_dec_chain));
  gst_pad_set_chain_list_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_rtc_dtls_srtp_dec_chain_list));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_rtc_dtls_srtp_dec_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->rtp_srcpad = gst_pad_new_from_static_template (&rtp_src_template,
      "rtp_src");
  gst_pad_use_fixed_caps (self->rtp_srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->rtp_srcpad);

  self->rtcp_srcpad = gst_pad_new_from_static_template (&rtcp_src_template,
      "rtcp_src");
  gst_pad_use_fixed_caps (self->rtcp_srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->rtcp_srcpad);
}

static void
gst_rtc_dtls_srtp_dec_class_init (GstRtcDtlsSrtpDecClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  const GParamFlags rw_ready = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
      | GST_PARAM_MUTABLE_READY;

  gobject_class->set_property = gst_rtc_dtls_srtp_dec_set_property;
  gobject_class->get_property = gst_rtc_dtls_srtp_dec_get_property;
  gobject_class->finalize = gst_rtc_dtls_srtp_dec_finalize;

  rtc_dtls_srtp_common_install_properties (gobject_class);
  g_object_class_install_property (gobject_class, PROP_PEM,
      g_param_spec_string ("pem", "PEM",
          "Local certificate in PEM form; set it with its private key to use "
          "your own identity (default: a fresh ECDSA P-256 certificate)",
          NULL, rw_ready));
  g_object_class_install_property (gobject_class, PROP_PEER_PEM,
      g_param_spec_string ("peer-pem", "Peer PEM",
          "The X509 certificate received in the DTLS handshake, in PEM format",
          NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_FINGERPRINT,
      g_param_spec_string ("fingerprint", "Fingerprint",
          "sha-256 fingerprint of the local certificate, in SDP form "
          "('sha-256 AB:CD:…')",
          NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_PEER_FINGERPRINT,
      g_param_spec_string ("peer-fingerprint", "Peer fingerprint",
          "Fingerprint the peer's certificate must have, in SDP form "
          "('sha-256 AB:CD:…'); a peer that differs is rejected. Unset, any "
          "certificate is accepted (peer-pem tells which)",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  element_class->change_state = gst_rtc_dtls_srtp_dec_change_state;
  element_class->request_new_pad = gst_rtc_dtls_srtp_dec_request_new_pad;
  element_class->release_pad = gst_rtc_dtls_srtp_dec_release_pad;

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &rtp_src_template);
  gst_element_class_add_static_pad_template (element_class, &rtcp_src_template);
  gst_element_class_add_static_pad_template (element_class, &data_src_template);
  gst_element_class_set_static_metadata (element_class, "DTLS-SRTP decoder",
      "Decoder/Network/DTLS/SRTP",
      "Demultiplexes DTLS, SRTP and SRTCP; runs the DTLS handshake and "
      "decrypts media and application data",
      "gst-rtc developers");

  GST_DEBUG_CATEGORY_INIT (gst_rtc_dtls_srtp_dec_debug, "rtcdtlssrtpdec", 0,
      "DTLS-SRTP decoder");
}
