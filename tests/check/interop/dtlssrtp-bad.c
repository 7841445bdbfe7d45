/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Interoperability of rtcdtlssrtpenc/rtcdtlssrtpdec with gst-plugins-bad's
 * dtlssrtpenc/dtlssrtpdec, the reference peer, over real UDP sockets on
 * 127.0.0.1. Each test runs two endpoints, "ours" and "bad", each in its own
 * pipeline:
 *
 *   appsrc (RTP)  ! enc.rtp_sink_0
 *   appsrc (RTCP) ! enc.rtcp_sink_0     enc ! udpsink (to the other side)
 *   udpsrc ! dec    dec.rtp_src ! appsink    dec.rtcp_src ! appsink
 *
 * Once the DTLS handshake has keyed SRTP on both sides, both endpoints send
 * RTP and compound RTCP, and every packet must come out of the other side's
 * decoder byte for byte. The two tests swap the DTLS roles.
 */
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/rtp/gstrtpbuffer.h>
#include <gst/rtp/gstrtcpbuffer.h>
#include <string.h>

#include "../common/rtctestutil.h"
#include <unistd.h>
#include "../common/rtccheckmain.h"

#define N_RTP 50
#define N_RTCP 6
#define RTP_PT 96
#define HANDSHAKE_TIMEOUT_US ((gint64)RTC_TEST_MS (10000) * 1000)
#define RECEIVE_TIMEOUT_US ((gint64)RTC_TEST_MS (5000) * 1000)
/* How long to keep listening for duplicates once everything has arrived. */
#define EXTRA_WAIT (100 * GST_MSECOND)
/* gst-plugins-bad 1.22's DTLS offers this one profile only, so it is the
 * only one a correct negotiation can end on. */
#define BAD_ONLY_PROFILE "AES_CM_128_HMAC_SHA1_80"

typedef struct {
  const gchar *label;
  GstElement *pipeline;
  GstElement *enc, *dec;
  GstElement *rtp_in, *rtcp_in;
  GstElement *rtp_out, *rtcp_out;
  GstElement *udpsrc, *udpsink;
  GstBus *bus;
  gint connected_value;

  /* Written from DTLS / streaming threads, read by the test (lock). */
  GMutex lock;
  GCond cond;
  gboolean key_set;
  gboolean dec_connected;
} Endpoint;

/* The numeric value of "connected" in @element's connection-state enum:
 * ours and bad's are different GTypes, so ask each. */
static gint
connected_value_of (GstElement *element)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (
                                                        element),
      "connection-state");
  GEnumValue *v;

  fail_unless (pspec != NULL && G_IS_PARAM_SPEC_ENUM (pspec),
      "%s has no enum connection-state", GST_ELEMENT_NAME (element));
  v = g_enum_get_value_by_nick (G_PARAM_SPEC_ENUM (pspec)->enum_class,
      "connected");
  fail_unless (v != NULL, "no 'connected' state on %s",
      GST_ELEMENT_NAME (element));
  return v->value;
}

static gint
connection_state (GstElement *element)
{
  gint state;

  g_object_get (element, "connection-state", &state, NULL);
  return state;
}

static void
on_key_set (GstElement *enc, Endpoint *ep)
{
  g_mutex_lock (&ep->lock);
  ep->key_set = TRUE;
  g_cond_broadcast (&ep->cond);
  g_mutex_unlock (&ep->lock);
}

/* Our decoder notifies connection-state only after it has installed the
 * SRTP session, so "connected" seen here means it can decrypt; bad's
 * connection exports its keys before it enters "connected" as well. */
static void
on_dec_state (GstElement *dec, GParamSpec *pspec, Endpoint *ep)
{
  gboolean connected = connection_state (dec) == ep->connected_value;

  g_mutex_lock (&ep->lock);
  if (connected)
    ep->dec_connected = TRUE;
  g_cond_broadcast (&ep->cond);
  g_mutex_unlock (&ep->lock);
}

static GstElement *
make (const gchar *factory, const gchar *name)
{
  GstElement *e = gst_element_factory_make (factory, name);

  fail_unless (e != NULL, "could not create %s", factory);
  return e;
}

static void
link_request (GstElement *src, GstElement *enc, const gchar *pad_name)
{
  GstPad *srcpad = gst_element_get_static_pad (src, "src");
  /* By name: bad 1.22's dtlssrtpenc crashes on a request pad asked for
   * without one (it passes the NULL name on to srtpenc). */
  GstPad *sinkpad = gst_element_request_pad_simple (enc, pad_name);

  fail_unless (sinkpad != NULL, "no %s on %s", pad_name,
      GST_ELEMENT_NAME (enc));
  fail_unless_equals_int (gst_pad_link (srcpad, sinkpad), GST_PAD_LINK_OK);
  gst_object_unref (srcpad);
  gst_object_unref (sinkpad);
}

static void
link_static (GstElement *src, const gchar *src_pad, GstElement *sink,
    const gchar *sink_pad)
{
  fail_unless (gst_element_link_pads (src, src_pad, sink, sink_pad),
      "could not link %s:%s to %s:%s", GST_ELEMENT_NAME (src), src_pad,
      GST_ELEMENT_NAME (sink), sink_pad);
}

static GstElement *
make_appsink (const gchar *name)
{
  GstElement *sink = make ("appsink", name);

  /* Collect everything, as fast as it comes, whatever its caps. */
  g_object_set (sink, "sync", FALSE, "async", FALSE, "max-buffers", 0, "drop",
      FALSE, "enable-last-sample", FALSE, NULL);
  return sink;
}

static GstElement *
make_appsrc (const gchar *name, const gchar *caps_str)
{
  GstElement *src = make ("appsrc", name);
  GstCaps *caps = gst_caps_from_string (caps_str);

  g_object_set (src, "caps", caps, "format", GST_FORMAT_TIME, "is-live", TRUE,
      NULL);
  gst_caps_unref (caps);
  return src;
}

static void
endpoint_init (Endpoint *ep, const gchar *label, gboolean ours,
    const gchar *connection_id, gboolean is_client)
{
  gchar *name;

  memset (ep, 0, sizeof (*ep));
  g_mutex_init (&ep->lock);
  g_cond_init (&ep->cond);
  ep->label = label;
  ep->pipeline = gst_pipeline_new (label);
  ep->bus = gst_element_get_bus (ep->pipeline);

  /* bad 1.22's dtlssrtpenc looks up the DTLS connection its dtlssrtpdec
   * created for the connection-id, so the decoder must exist (with its id)
   * before the encoder is given the same id. Ours accepts either order;
   * the same order is used for both. */
  name = g_strdup_printf ("%s-dec", label);
  ep->dec = make (ours ? "rtcdtlssrtpdec" : "dtlssrtpdec", name);
  g_free (name);
  g_object_set (ep->dec, "connection-id", connection_id, NULL);
  name = g_strdup_printf ("%s-enc", label);
  ep->enc = make (ours ? "rtcdtlssrtpenc" : "dtlssrtpenc", name);
  g_free (name);
  g_object_set (ep->enc, "connection-id", connection_id, "is-client", is_client,
      NULL);
  ep->connected_value = connected_value_of (ep->dec);

  ep->rtp_in = make_appsrc (NULL,
      "application/x-rtp, media=(string)video, "
      "clock-rate=(int)90000, encoding-name=(string)VP8, payload=(int)96");
  ep->rtcp_in = make_appsrc (NULL, "application/x-rtcp");
  ep->rtp_out = make_appsink (NULL);
  ep->rtcp_out = make_appsink (NULL);

  /* Loopback only, on a port the kernel picks (read back in READY). */
  ep->udpsrc = make ("udpsrc", NULL);
  g_object_set (ep->udpsrc, "address", "127.0.0.1", "port", 0, "reuse", FALSE,
      NULL);
  ep->udpsink = make ("udpsink", NULL);
  g_object_set (ep->udpsink, "host", "127.0.0.1", "bind-address", "127.0.0.1",
      "sync", FALSE, "async", FALSE, NULL);

  gst_bin_add_many (GST_BIN (ep->pipeline), ep->dec, ep->enc, ep->rtp_in,
      ep->rtcp_in, ep->rtp_out, ep->rtcp_out, ep->udpsrc, ep->udpsink, NULL);
  link_request (ep->rtp_in, ep->enc, "rtp_sink_0");
  link_request (ep->rtcp_in, ep->enc, "rtcp_sink_0");
  link_static (ep->enc, "src", ep->udpsink, "sink");
  link_static (ep->udpsrc, "src", ep->dec, "sink");
  link_static (ep->dec, "rtp_src", ep->rtp_out, "sink");
  link_static (ep->dec, "rtcp_src", ep->rtcp_out, "sink");

  g_signal_connect (ep->enc, "on-key-set", G_CALLBACK (on_key_set), ep);
  g_signal_connect (ep->dec, "notify::connection-state",
      G_CALLBACK (on_dec_state), ep);
}

static void
endpoint_clear (Endpoint *ep)
{
  fail_unless (gst_element_set_state (ep->pipeline, GST_STATE_NULL)
      == GST_STATE_CHANGE_SUCCESS);
  /* Streaming and DTLS threads are gone: no callback can run any more. */
  g_signal_handlers_disconnect_by_data (ep->enc, ep);
  g_signal_handlers_disconnect_by_data (ep->dec, ep);
  gst_object_unref (ep->bus);
  gst_object_unref (ep->pipeline);
  g_mutex_clear (&ep->lock);
  g_cond_clear (&ep->cond);
}

/* Fails the test on the first error either pipeline has posted. */
static void
check_no_error (Endpoint *ep)
{
  GstMessage *msg = gst_bus_pop_filtered (ep->bus, GST_MESSAGE_ERROR);
  GError *err = NULL;
  gchar *debug = NULL;

  if (!msg)
    return;
  gst_message_parse_error (msg, &err, &debug);
  fail_unless (msg == NULL, "%s: error from %s: %s (%s)", ep->label,
      GST_MESSAGE_SRC_NAME (msg), err->message, debug ? debug : "");
  g_error_free (err);
  g_free (debug);
  gst_message_unref (msg);
}

/* Binds both udpsrcs (NULL -> READY), then points each udpsink at the
 * other side's port. Kernel-chosen ports never collide with parallel
 * tests. */
static void
wire_ports (Endpoint *a, Endpoint *b)
{
  gint port_a = 0, port_b = 0;

  fail_unless (gst_element_set_state (a->pipeline, GST_STATE_READY)
      == GST_STATE_CHANGE_SUCCESS);
  fail_unless (gst_element_set_state (b->pipeline, GST_STATE_READY)
      == GST_STATE_CHANGE_SUCCESS);
  g_object_get (a->udpsrc, "port", &port_a, NULL);
  g_object_get (b->udpsrc, "port", &port_b, NULL);
  fail_unless (port_a > 0 && port_b > 0 && port_a != port_b,
      "udpsrc did not report its bound port (%d, %d)", port_a, port_b);
  g_object_set (a->udpsink, "port", port_b, NULL);
  g_object_set (b->udpsink, "port", port_a, NULL);
}

static gboolean
endpoint_ready (Endpoint *ep)
{
  return ep->key_set && ep->dec_connected;
}

/* Starts the DTLS server first: the client's first flight then finds a
 * started connection on the other side instead of being dropped and
 * retransmitted a second later. Waits (bounded) until both encoders have
 * their SRTP key and both decoders are connected. */
static void
start_and_wait_for_keys (Endpoint *server, Endpoint *client)
{
  gint64 deadline = g_get_monotonic_time () + HANDSHAKE_TIMEOUT_US;
  gboolean done = FALSE;

  fail_if (gst_element_set_state (server->pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE);
  fail_if (gst_element_set_state (client->pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE);

  while (!done && g_get_monotonic_time () < deadline) {
    Endpoint *eps[2] = { server, client };
    guint i;

    check_no_error (server);
    check_no_error (client);
    done = TRUE;
    for (i = 0; i < 2; i++) {
      gint64 slice = MIN (deadline,
          g_get_monotonic_time () + 20 * G_TIME_SPAN_MILLISECOND);

      g_mutex_lock (&eps[i]->lock);
      if (!endpoint_ready (eps[i])) {
        g_cond_wait_until (&eps[i]->cond, &eps[i]->lock, slice);
        done = done && endpoint_ready (eps[i]);
      }
      g_mutex_unlock (&eps[i]->lock);
    }
  }
  check_no_error (server);
  check_no_error (client);
  if (!done) {
    gchar *report[2];
    Endpoint *eps[2] = { server, client };
    guint i;

    for (i = 0; i < 2; i++) {
      g_mutex_lock (&eps[i]->lock);
      report[i] = g_strdup_printf ("%s: enc keyed %d, dec connected %d "
                                   "(dec state %d)",
          eps[i]->label, eps[i]->key_set, eps[i]->dec_connected,
          connection_state (eps[i]->dec));
      g_mutex_unlock (&eps[i]->lock);
    }
    fail_unless (done, "DTLS handshake not complete after %d s; %s; %s",
        (gint)(HANDSHAKE_TIMEOUT_US / G_USEC_PER_SEC), report[0], report[1]);
  }
  /* The encoders of both sides share their decoder's connection. */
  fail_unless_equals_int (connection_state (server->enc),
      server->connected_value);
  fail_unless_equals_int (connection_state (client->enc),
      client->connected_value);
}

static GBytes *
buffer_bytes (GstBuffer *buf)
{
  GstMapInfo map;
  GBytes *bytes;

  fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
  bytes = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (buf, &map);
  return bytes;
}

/* @tag tells the two directions apart in every payload byte. The sequence
 * numbers start just below 65536 so the rollover counter advances
 * mid-stream: both ends' SRTP must agree on it or authentication fails.
 * Every third packet carries a one-byte header extension and every fifth a
 * CSRC, parts of the header SRTP authenticates but does not encrypt. */
static GstBuffer *
make_rtp (guint i, guint32 ssrc, guint8 tag)
{
  guint payload_len = 200 + (i * 37) % 400;
  guint csrcs = i % 5 == 0 ? 1 : 0;
  GstBuffer *buf = gst_rtp_buffer_new_allocate (payload_len, 0, csrcs);
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  guint8 *payload;
  gchar *text;
  guint j;

  fail_unless (gst_rtp_buffer_map (buf, GST_MAP_READWRITE, &rtp));
  gst_rtp_buffer_set_payload_type (&rtp, RTP_PT);
  gst_rtp_buffer_set_seq (&rtp, (guint16)(65536 - N_RTP / 2 + i));
  gst_rtp_buffer_set_timestamp (&rtp, 1000000u + i * 3000u);
  gst_rtp_buffer_set_ssrc (&rtp, ssrc);
  gst_rtp_buffer_set_marker (&rtp, i % 4 == 3);
  if (csrcs)
    gst_rtp_buffer_set_csrc (&rtp, 0, ssrc ^ 0xffff);
  if (i % 3 == 0) {
    guint8 ext[3] = { tag, (guint8)i, 0x5a };

    fail_unless (gst_rtp_buffer_add_extension_onebyte_header (&rtp, 1, ext,
        sizeof (ext)));
  }
  /* The extension grows the header, not at the payload's expense. */
  fail_unless_equals_int (gst_rtp_buffer_get_payload_len (&rtp), payload_len);
  payload = gst_rtp_buffer_get_payload (&rtp);
  for (j = 0; j < payload_len; j++)
    payload[j] = (guint8)(tag + i * 13 + j);
  text = g_strdup_printf ("rtp %c #%u", tag, i);
  memcpy (payload, text, strlen (text));
  g_free (text);
  gst_rtp_buffer_unmap (&rtp);
  return buf;
}

/* A compound RTCP packet as RFC 3550 requires: SR or RR (alternately),
 * with a report block, then SDES with a CNAME naming the sender. */
static GstBuffer *
make_rtcp (guint i, guint32 ssrc, guint8 tag)
{
  GstBuffer *buf = gst_rtcp_buffer_new (1400);
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;
  gchar *cname;

  fail_unless (gst_rtcp_buffer_map (buf, GST_MAP_READWRITE, &rtcp));
  if (i % 2 == 0) {
    fail_unless (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_SR, &packet));
    gst_rtcp_packet_sr_set_sender_info (&packet, ssrc,
        G_GUINT64_CONSTANT (0xe1234567) << 32 | (i * 0x1000),
        1000000u + i * 3000u, i * 10, i * 4000);
  } else {
    fail_unless (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_RR, &packet));
    gst_rtcp_packet_rr_set_ssrc (&packet, ssrc);
  }
  fail_unless (gst_rtcp_packet_add_rb (&packet, ssrc ^ 0x01010101, i, 17 + i,
      0x10000 + i, 5 * i, 0x11112222 + i, 77 + i));
  fail_unless (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_SDES, &packet));
  fail_unless (gst_rtcp_packet_sdes_add_item (&packet, ssrc));
  cname = g_strdup_printf ("%c-%u@interop.invalid", tag, i);
  fail_unless (gst_rtcp_packet_sdes_add_entry (&packet, GST_RTCP_SDES_CNAME,
      strlen (cname), (const guint8 *)cname));
  g_free (cname);
  gst_rtcp_buffer_unmap (&rtcp);
  fail_unless (gst_rtcp_buffer_validate (buf));
  return buf;
}

/* Pushes the RTP and RTCP of one direction, keeping in @rtp_sent and
 * @rtcp_sent a copy of the bytes the other side must see. */
static void
send_media (Endpoint *from, guint32 ssrc, guint8 tag, GPtrArray *rtp_sent,
    GPtrArray *rtcp_sent)
{
  guint i;

  for (i = 0; i < N_RTP; i++) {
    GstBuffer *buf = make_rtp (i, ssrc, tag);

    g_ptr_array_add (rtp_sent, buffer_bytes (buf));
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (from->rtp_in),
                                buf),
        GST_FLOW_OK);
  }
  for (i = 0; i < N_RTCP; i++) {
    GstBuffer *buf = make_rtcp (i, ssrc, tag);

    g_ptr_array_add (rtcp_sent, buffer_bytes (buf));
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (
                                                         from->rtcp_in),
                                buf),
        GST_FLOW_OK);
  }
}

/* Pulls packets from @sink until each of @sent has been seen exactly once
 * with identical bytes, within the deadline. UDP on loopback keeps order,
 * but matching by content keeps the check independent of it. */
static void
expect_packets (Endpoint *to, Endpoint *from, GstElement *sink, GPtrArray *sent,
    const gchar *what)
{
  gint64 deadline = g_get_monotonic_time () + RECEIVE_TIMEOUT_US;
  gboolean *seen = g_new0 (gboolean, sent->len);
  guint received = 0;
  GstSample *sample;

  while (received < sent->len) {
    gint64 left = deadline - g_get_monotonic_time ();
    GstBuffer *buf;
    GstMapInfo map;
    gboolean matched = FALSE;
    guint i;

    check_no_error (to);
    check_no_error (from);
    if (left <= 0)
      break;
    sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
        MIN (left, 50 * G_TIME_SPAN_MILLISECOND) * GST_USECOND);
    if (!sample)
      continue;
    buf = gst_sample_get_buffer (sample);
    fail_unless (buf != NULL);
    fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
    for (i = 0; i < sent->len && !matched; i++) {
      gsize len;
      const guint8 *data = g_bytes_get_data (sent->pdata[i], &len);

      if (!seen[i] && len == map.size && memcmp (data, map.data, len) == 0) {
        seen[i] = TRUE;
        matched = TRUE;
      }
    }
    fail_unless (matched,
        "%s: %s -> %s: received a %" G_GSIZE_FORMAT
        "-byte packet (first bytes %02x %02x) that matches nothing sent, or "
        "a duplicate",
        what, from->label, to->label, map.size, map.size > 0 ? map.data[0] : 0,
        map.size > 1 ? map.data[1] : 0);
    gst_buffer_unmap (buf, &map);
    gst_sample_unref (sample);
    received++;
  }
  g_free (seen);
  fail_unless (received == sent->len,
      "%s %s -> %s: only %u of %u packets arrived within %d s", what,
      from->label, to->label, received, sent->len,
      (gint)(RECEIVE_TIMEOUT_US / G_USEC_PER_SEC));

  /* Nothing more may follow: no duplicate, nothing out of thin air. */
  sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), EXTRA_WAIT);
  fail_unless (sample == NULL, "%s %s -> %s: a packet beyond the %u sent", what,
      from->label, to->label, sent->len);
}

static guint64
get_stat (GstElement *element, const gchar *field)
{
  GstStructure *s = NULL;
  guint64 v = 0;

  g_object_get (element, "stats", &s, NULL);
  fail_unless (s != NULL, "%s has no stats", GST_ELEMENT_NAME (element));
  fail_unless (gst_structure_get_uint64 (s, field, &v), "no stat %s on %s",
      field, GST_ELEMENT_NAME (element));
  gst_structure_free (s);
  return v;
}

static gchar *
stat_string (GstElement *element, const gchar *field)
{
  GstStructure *s = NULL;
  gchar *v;

  g_object_get (element, "stats", &s, NULL);
  fail_unless (s != NULL);
  v = g_strdup (gst_structure_get_string (s, field));
  gst_structure_free (s);
  fail_unless (v != NULL, "no stat %s on %s", field,
      GST_ELEMENT_NAME (element));
  return v;
}

/* sha-256 over the DER inside the first PEM certificate, in SDP form
 * ("sha-256 AB:CD:..."), computed here independently of both DTLS
 * implementations. */
static gchar *
pem_fingerprint (const gchar *pem)
{
  static const gchar begin[] = "-----BEGIN CERTIFICATE-----";
  const gchar *start, *end;
  gchar *body, *r, *w;
  guint8 *der;
  gsize der_len, digest_len = 32;
  guint8 digest[32];
  GChecksum *sha;
  GString *out;
  guint i;

  fail_unless (pem != NULL);
  start = strstr (pem, begin);
  fail_unless (start != NULL, "no certificate in PEM");
  start += strlen (begin);
  end = strstr (start, "-----END CERTIFICATE-----");
  fail_unless (end != NULL, "unterminated certificate in PEM");
  body = g_strndup (start, end - start);
  /* g_base64_decode () wants the base64 text without line breaks. */
  for (r = w = body; *r; r++)
    if (!g_ascii_isspace (*r))
      *w++ = *r;
  *w = '\0';
  der = g_base64_decode (body, &der_len);
  g_free (body);
  fail_unless (der_len > 0);

  sha = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sha, der, der_len);
  g_checksum_get_digest (sha, digest, &digest_len);
  g_checksum_free (sha);
  g_free (der);

  out = g_string_new ("sha-256 ");
  for (i = 0; i < digest_len; i++)
    g_string_append_printf (out, i ? ":%02X" : "%02X", digest[i]);
  return g_string_free (out, FALSE);
}

static gchar *
get_string (GstElement *element, const gchar *property)
{
  gchar *v = NULL;

  g_object_get (element, property, &v, NULL);
  return v;
}

/* Our decoder must check bad's certificate against the fingerprint that
 * signalling would carry, as in a real call: learn it from bad's pem. */
static void
pin_peer_certificate (Endpoint *ours, Endpoint *bad)
{
  gchar *bad_pem = get_string (bad->dec, "pem");
  gchar *fp = pem_fingerprint (bad_pem);

  g_object_set (ours->dec, "peer-fingerprint", fp, NULL);
  g_free (fp);
  g_free (bad_pem);
}

/* Each side saw the other's certificate, as its peer-pem tells. */
static void
check_certificates (Endpoint *ours, Endpoint *bad)
{
  gchar *pem, *fp, *expected;

  pem = get_string (bad->dec, "peer-pem");
  fail_unless (pem != NULL, "bad's dtlssrtpdec has no peer-pem");
  fp = pem_fingerprint (pem);
  expected = get_string (ours->dec, "fingerprint");
  fail_unless_equals_string (fp, expected);
  g_free (expected);
  g_free (fp);
  g_free (pem);

  pem = get_string (ours->dec, "peer-pem");
  fail_unless (pem != NULL, "our decoder has no peer-pem");
  fp = pem_fingerprint (pem);
  g_free (pem);
  pem = get_string (bad->dec, "pem");
  expected = pem_fingerprint (pem);
  fail_unless_equals_string (fp, expected);
  g_free (expected);
  g_free (fp);
  g_free (pem);
}

#define assert_stat(element, field, expected) \
  G_STMT_START \
  { \
    guint64 _v = get_stat ((element), (field)); \
    fail_unless (_v == (guint64)(expected), \
        "%s %s = %" G_GUINT64_FORMAT ", expected %" G_GUINT64_FORMAT, \
        GST_ELEMENT_NAME (element), (field), _v, (guint64)(expected)); \
  } \
  G_STMT_END

static void
check_our_stats (Endpoint *ours, guint rtp_sent, guint rtcp_sent,
    guint rtp_received, guint rtcp_received)
{
  static const gchar *dropped[] = { "dropped-not-ready", "dropped-invalid",
    "dropped-replay", "dropped-auth", "dropped-error", NULL };
  gchar *profile;
  guint i;

  /* The encoder protected exactly what the test pushed... */
  assert_stat (ours->enc, "rtp-packets", rtp_sent);
  assert_stat (ours->enc, "rtcp-packets", rtcp_sent);
  /* ...and the decoder decrypted exactly what bad sent. */
  assert_stat (ours->dec, "rtp-packets", rtp_received);
  assert_stat (ours->dec, "rtcp-packets", rtcp_received);
  /* Both took part in the handshake. */
  fail_unless (get_stat (ours->enc, "dtls-packets") > 0);
  fail_unless (get_stat (ours->dec, "dtls-packets") > 0);
  /* Media was only sent once keyed, the servers started first, and bad
   * sent nothing ours could not authenticate. */
  for (i = 0; dropped[i]; i++) {
    assert_stat (ours->enc, dropped[i], 0);
    assert_stat (ours->dec, dropped[i], 0);
  }

  profile = stat_string (ours->enc, "srtp-profile");
  fail_unless_equals_string (profile, BAD_ONLY_PROFILE);
  g_free (profile);
  profile = stat_string (ours->dec, "srtp-profile");
  fail_unless_equals_string (profile, BAD_ONLY_PROFILE);
  g_free (profile);
}

static gboolean
have_bad_elements (void)
{
  static const gchar *needed[] = { "dtlssrtpenc", "dtlssrtpdec", "udpsrc",
    "udpsink", "appsrc", "appsink", NULL };
  guint i;

  for (i = 0; needed[i]; i++) {
    GstElementFactory *f = gst_element_factory_find (needed[i]);

    if (!f)
      return FALSE;
    gst_object_unref (f);
  }
  return TRUE;
}

static void
run_interop (gboolean ours_is_client)
{
  static gint counter;
  gint n = g_atomic_int_add (&counter, 1);
  Endpoint ours, bad;
  GPtrArray *ours_rtp = g_ptr_array_new_with_free_func (
      (GDestroyNotify)g_bytes_unref);
  GPtrArray *ours_rtcp = g_ptr_array_new_with_free_func (
      (GDestroyNotify)g_bytes_unref);
  GPtrArray *bad_rtp = g_ptr_array_new_with_free_func (
      (GDestroyNotify)g_bytes_unref);
  GPtrArray *bad_rtcp = g_ptr_array_new_with_free_func (
      (GDestroyNotify)g_bytes_unref);
  gchar *ours_id, *bad_id;

  /* The reference peer is a requirement of this test, not an optional
   * extra: without gst-plugins-bad it fails loudly instead of skipping. */
  fail_unless (have_bad_elements (),
      "gst-plugins-bad's dtlssrtpenc/dec, "
      "or the udp/app elements, are not installed");
  /* Ids unique per test and process: neither side may find a connection
   * left from another test. */
  ours_id = g_strdup_printf ("interop-ours-%s-%d-%d",
      ours_is_client ? "client" : "server", (gint)getpid (), n);
  bad_id = g_strdup_printf ("interop-bad-%s-%d-%d",
      ours_is_client ? "server" : "client", (gint)getpid (), n);
  endpoint_init (&ours, "ours", TRUE, ours_id, ours_is_client);
  endpoint_init (&bad, "bad", FALSE, bad_id, !ours_is_client);
  g_free (ours_id);
  g_free (bad_id);

  pin_peer_certificate (&ours, &bad);
  wire_ports (&ours, &bad);
  if (ours_is_client)
    start_and_wait_for_keys (&bad, &ours);
  else
    start_and_wait_for_keys (&ours, &bad);
  check_certificates (&ours, &bad);

  send_media (&ours, 0x0a0b0c01, 'O', ours_rtp, ours_rtcp);
  send_media (&bad, 0x0b0c0d02, 'B', bad_rtp, bad_rtcp);

  expect_packets (&bad, &ours, bad.rtp_out, ours_rtp, "RTP");
  expect_packets (&bad, &ours, bad.rtcp_out, ours_rtcp, "RTCP");
  expect_packets (&ours, &bad, ours.rtp_out, bad_rtp, "RTP");
  expect_packets (&ours, &bad, ours.rtcp_out, bad_rtcp, "RTCP");

  check_our_stats (&ours, ours_rtp->len, ours_rtcp->len, bad_rtp->len,
      bad_rtcp->len);
  check_no_error (&ours);
  check_no_error (&bad);

  /* The client's side goes first, so its close_notify meets a peer that
   * is still running. */
  if (ours_is_client) {
    endpoint_clear (&ours);
    endpoint_clear (&bad);
  } else {
    endpoint_clear (&bad);
    endpoint_clear (&ours);
  }
  g_ptr_array_unref (ours_rtp);
  g_ptr_array_unref (ours_rtcp);
  g_ptr_array_unref (bad_rtp);
  g_ptr_array_unref (bad_rtcp);
}

GST_START_TEST (test_ours_client_bad_server)
{
  run_interop (TRUE);
}

GST_END_TEST;

GST_START_TEST (test_ours_server_bad_client)
{
  run_interop (FALSE);
}

GST_END_TEST;

static Suite *
dtlssrtp_bad_suite (void)
{
  Suite *s = suite_create ("interop-dtlssrtp-bad");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_ours_client_bad_server);
  tcase_add_test (tc, test_ours_server_bad_client);
  return s;
}

RTC_CHECK_MAIN (dtlssrtp_bad);
