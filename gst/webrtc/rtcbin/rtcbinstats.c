/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcbin's `get-stats` report. Entries and ids:
 *
 *   peer-connection      "peer-connection"
 *   transport            "transport"        (the one bundled transport)
 *   candidate-pair       "candidate-pair_<local>_<remote>"  (the selected
 *                        pair, named by its candidates' ids without prefix)
 *   local-candidate      "local-candidate_<type>_<address>_<port>_<ufrag>"
 *   remote-candidate     "remote-candidate_<type>_<address>_<port>_<ufrag>"
 *                        (the ufrag the pair was checked with, if known)
 *   certificate          "certificate_<sha-256 in hex>"  (ours, the peer's)
 *   codec                "codec_<payload type>"
 *   outbound-rtp         "outbound-rtp_<ssrc>"  → remote-inbound-rtp_<ssrc>
 *   inbound-rtp          "inbound-rtp_<ssrc>"   → remote-outbound-rtp_<ssrc>
 *
 * Field names are the W3C members in GStreamer's spelling, as webrtcbin
 * has them (`packetsSent` is `packets-sent`).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

/* rtpbin's session stats hold a GValueArray. */
#define GLIB_DISABLE_DEPRECATION_WARNINGS

#include "rtcbinstats.h"

#include <gst/rtp/rtp.h>
#include <gst/sdp/sdp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtcbinnack.h"
#include "rtcdtlsconnection.h"
#include "rtcjsep.h"

GST_DEBUG_CATEGORY_STATIC (rtc_bin_stats_debug);
#define GST_CAT_DEFAULT rtc_bin_stats_debug

/* The peer reports on SSRCs it chooses: at most this many are kept. */
#define MAX_REPORTED_SSRCS 64

/* Seconds from 1900 (NTP) to 1970 (Unix). */
#define NTP_UNIX_OFFSET G_GUINT64_CONSTANT (2208988800)

static void
init_debug (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (rtc_bin_stats_debug, "rtcbinstats", 0,
        "rtcbin get-stats");
    /* The enum classes set_base() and enum_nick() peek at. */
    g_type_class_ref (GST_TYPE_RTC_STATS_TYPE);
    g_type_class_ref (GST_TYPE_RTC_ICE_CONNECTION_STATE);
    g_type_class_ref (GST_TYPE_RTC_DTLS_TRANSPORT_STATE);
    g_once_init_leave (&done, 1);
  }
}

/* ---- RTCP reports received ---- */

/* What the peer's receiver reports and feedback said about one of our
 * SSRCs (rtpbin counts feedback on the peer's source that sent it,
 * which with BUNDLE does not tell our streams apart). */
typedef struct {
  gdouble received; /* ms since the Unix epoch */
  guint8 fraction_lost;
  gint32 packets_lost;
  guint32 jitter; /* clock-rate units */
  gdouble rtt; /* seconds, < 0: not measured yet */
  gdouble total_rtt;
  guint64 rtt_measurements;
  guint64 reports;
  guint nack, pli, fir; /* feedback messages */
} ReceiverReport;

/* What the peer's sender reports said about one of its SSRCs. */
typedef struct {
  gdouble received;
  gdouble remote_timestamp; /* ms since the Unix epoch, sender's clock */
  guint32 packets;
  guint32 octets;
  guint64 reports;
} SenderReport;

struct _RtcBinReports {
  GMutex lock;
  GHashTable *rr; /* our SSRC → ReceiverReport, made by reports or feedback */
  GHashTable *sr; /* peer's SSRC → SenderReport */
  guint64 dropped; /* reports about SSRCs beyond the bound */
  GObject *session;
  gulong handler;
  RtcBinNack *nack; /* the NACKs we send, counted */
};

RtcBinReports *
rtc_bin_reports_new (void)
{
  RtcBinReports *r = g_new0 (RtcBinReports, 1);

  init_debug ();
  g_mutex_init (&r->lock);
  r->rr = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  r->sr = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  r->nack = rtc_bin_nack_new ();
  return r;
}

void
rtc_bin_reports_free (RtcBinReports *r)
{
  if (!r)
    return;
  if (r->session) {
    g_signal_handler_disconnect (r->session, r->handler);
    g_object_unref (r->session);
  }
  rtc_bin_nack_free (r->nack);
  g_hash_table_unref (r->rr);
  g_hash_table_unref (r->sr);
  g_mutex_clear (&r->lock);
  g_free (r);
}

/* Lock held: the entry for @ssrc in @table, made if there is room. */
static gpointer
lookup_entry (RtcBinReports *r, GHashTable *table, guint32 ssrc, gsize size)
{
  gpointer e = g_hash_table_lookup (table, GUINT_TO_POINTER (ssrc));

  if (e)
    return e;
  if (g_hash_table_size (table) >= MAX_REPORTED_SSRCS) {
    guint64 n = ++r->dropped;

    /* Logged at powers of two: a flood does not flood the log. */
    if ((n & (n - 1)) == 0)
      GST_INFO ("%" G_GUINT64_FORMAT " reports about SSRCs beyond %u dropped",
          n, MAX_REPORTED_SSRCS);
    return NULL;
  }
  e = g_malloc0 (size);
  g_hash_table_insert (table, GUINT_TO_POINTER (ssrc), e);
  return e;
}

/* The middle 32 bits of the NTP time of @now_real_us (RFC 3550 6.4.1). */
static guint32
ntp_middle32 (gint64 now_real_us)
{
  guint64 secs = (guint64)(now_real_us / G_USEC_PER_SEC) + NTP_UNIX_OFFSET;
  guint64 frac = ((guint64)(now_real_us % G_USEC_PER_SEC) << 32)
      / G_USEC_PER_SEC;

  return (guint32)(((secs & 0xffff) << 16) | (frac >> 16));
}

static void
process_report_blocks (RtcBinReports *r, GstRTCPPacket *packet, gint64 now)
{
  guint i, n = gst_rtcp_packet_get_rb_count (packet);
  gdouble now_ms = now / 1000.0;

  for (i = 0; i < n; i++) {
    guint32 ssrc, ehsn, jitter, lsr, dlsr;
    guint8 fraction;
    gint32 lost;
    ReceiverReport *rr;

    gst_rtcp_packet_get_rb (packet, i, &ssrc, &fraction, &lost, &ehsn, &jitter,
        &lsr, &dlsr);
    rr = lookup_entry (r, r->rr, ssrc, sizeof (ReceiverReport));
    if (!rr)
      continue;
    if (!rr->reports)
      rr->rtt = -1;
    rr->received = now_ms;
    rr->fraction_lost = fraction;
    rr->packets_lost = lost;
    rr->jitter = jitter;
    rr->reports++;
    /* RTT = arrival - LSR - DLSR, in 1/65536 s; none before our first
     * SR reached the peer, and a negative one (clocks) is ignored. */
    if (lsr) {
      gint32 rtt = (gint32)(ntp_middle32 (now) - lsr - dlsr);

      if (rtt >= 0) {
        rr->rtt = rtt / 65536.0;
        rr->total_rtt += rr->rtt;
        rr->rtt_measurements++;
      }
    }
  }
}

typedef enum { FEEDBACK_NACK, FEEDBACK_PLI, FEEDBACK_FIR } Feedback;

/* Lock held: counts a NACK, PLI or FIR message about our @ssrc. */
static void
count_feedback (RtcBinReports *r, guint32 ssrc, Feedback what)
{
  ReceiverReport *rr = lookup_entry (r, r->rr, ssrc, sizeof (ReceiverReport));

  if (!rr)
    return;
  if (what == FEEDBACK_NACK)
    rr->nack++;
  else if (what == FEEDBACK_PLI)
    rr->pli++;
  else
    rr->fir++;
}

/* Lock held: a FIR names its targets in its FCI (RFC 5104 4.3.1). */
static void
process_fir (RtcBinReports *r, GstRTCPPacket *packet)
{
  guint words = gst_rtcp_packet_fb_get_fci_length (packet);
  const guint8 *fci = gst_rtcp_packet_fb_get_fci (packet);
  guint i;

  for (i = 0; fci && i + 2 <= words; i += 2)
    count_feedback (r, GST_READ_UINT32_BE (fci + i * 4), FEEDBACK_FIR);
}

/**
 * rtc_bin_reports_process:
 * @rtcp: one received (decrypted) RTCP compound packet
 * @now_real_us: its arrival, g_get_real_time()
 *
 * Any thread. A packet that does not parse is ignored.
 */
void
rtc_bin_reports_process (RtcBinReports *r, GstBuffer *rtcp, gint64 now_real_us)
{
  GstRTCPBuffer buf = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;
  gboolean more;

  if (!gst_rtcp_buffer_validate_reduced (rtcp)
      || !gst_rtcp_buffer_map (rtcp, GST_MAP_READ, &buf))
    return;
  g_mutex_lock (&r->lock);
  for (more = gst_rtcp_buffer_get_first_packet (&buf, &packet); more;
       more = gst_rtcp_packet_move_to_next (&packet)) {
    GstRTCPType type = gst_rtcp_packet_get_type (&packet);

    if (type == GST_RTCP_TYPE_SR) {
      guint32 ssrc, rtptime, packets, octets;
      guint64 ntp;
      SenderReport *sr;

      gst_rtcp_packet_sr_get_sender_info (&packet, &ssrc, &ntp, &rtptime,
          &packets, &octets);
      sr = lookup_entry (r, r->sr, ssrc, sizeof (SenderReport));
      if (sr) {
        sr->received = now_real_us / 1000.0;
        /* 32.32 fixed point seconds since 1900. */
        sr->remote_timestamp = ((gdouble)(ntp >> 32) - NTP_UNIX_OFFSET) * 1000.0
            + (ntp & 0xffffffff) * 1000.0 / 4294967296.0;
        sr->packets = packets;
        sr->octets = octets;
        sr->reports++;
      }
      process_report_blocks (r, &packet, now_real_us);
    } else if (type == GST_RTCP_TYPE_RR) {
      process_report_blocks (r, &packet, now_real_us);
    } else if (type == GST_RTCP_TYPE_RTPFB
        && gst_rtcp_packet_fb_get_type (&packet) == GST_RTCP_RTPFB_TYPE_NACK) {
      count_feedback (r, gst_rtcp_packet_fb_get_media_ssrc (&packet),
          FEEDBACK_NACK);
    } else if (type == GST_RTCP_TYPE_PSFB) {
      GstRTCPFBType fb = gst_rtcp_packet_fb_get_type (&packet);

      if (fb == GST_RTCP_PSFB_TYPE_PLI)
        count_feedback (r, gst_rtcp_packet_fb_get_media_ssrc (&packet),
            FEEDBACK_PLI);
      else if (fb == GST_RTCP_PSFB_TYPE_FIR)
        process_fir (r, &packet);
    }
  }
  g_mutex_unlock (&r->lock);
  gst_rtcp_buffer_unmap (&buf);
}

static void
on_receiving_rtcp (GObject *session, GstBuffer *buffer, RtcBinReports *r)
{
  rtc_bin_reports_process (r, buffer, g_get_real_time ());
}

/**
 * rtc_bin_reports_attach:
 * @rtpbin: rtpbin, its session 0 made
 *
 * Follows the RTCP that session 0 receives, from now on, and sends the
 * NACKs of its jitter buffers itself (rtcbinnack.h says why).
 */
void
rtc_bin_reports_attach (RtcBinReports *r, GstElement *rtpbin)
{
  GObject *session = NULL;

  if (r->session)
    return;
  g_signal_emit_by_name (rtpbin, "get-internal-session", 0, &session);
  if (!session)
    return;
  r->session = session;
  r->handler = g_signal_connect (session, "on-receiving-rtcp",
      G_CALLBACK (on_receiving_rtcp), r);
  rtc_bin_nack_attach (r->nack, rtpbin);
}

/* ---- the report, from collected inputs ---- */

static void
set_base (GstStructure *s, GstRtcStatsType type, gdouble ts, const gchar *id)
{
  GEnumValue *v = g_enum_get_value (g_type_class_peek (GST_TYPE_RTC_STATS_TYPE),
      type);

  gst_structure_set_name (s, v->value_nick);
  gst_structure_set (s, "type", GST_TYPE_RTC_STATS_TYPE, type, "timestamp",
      G_TYPE_DOUBLE, ts, "id", G_TYPE_STRING, id, NULL);
}

static void
take_entry (GstStructure *report, GstStructure *entry)
{
  GValue v = G_VALUE_INIT;
  const gchar *id = gst_structure_get_string (entry, "id");
  gchar *field = g_strdup (id);

  g_value_init (&v, GST_TYPE_STRUCTURE);
  g_value_take_boxed (&v, entry);
  gst_structure_take_value (report, field, &v);
  g_free (field);
}

static GstStructure *
new_entry (GstRtcStatsType type, gdouble ts, const gchar *id)
{
  GstStructure *s = gst_structure_new_empty ("stats");

  set_base (s, type, ts, id);
  return s;
}

static const gchar *
enum_nick (GType type, gint value)
{
  GEnumValue *v = g_enum_get_value (g_type_class_peek (type), value);

  return v ? v->value_nick : "unknown";
}

/* The DER of a PEM certificate, or NULL. */
static guchar *
pem_to_der (const gchar *pem, gsize *len)
{
  const gchar *begin = strstr (pem, "-----BEGIN CERTIFICATE-----");
  const gchar *end;
  gchar *body;
  guchar *der;

  if (!begin)
    return NULL;
  begin += strlen ("-----BEGIN CERTIFICATE-----");
  end = strstr (begin, "-----END CERTIFICATE-----");
  if (!end)
    return NULL;
  body = g_strndup (begin, end - begin);
  der = g_base64_decode (body, len);
  g_free (body);
  if (*len == 0) {
    g_free (der);
    return NULL;
  }
  return der;
}

/* A certificate entry from @pem; its id, or NULL. */
static gchar *
add_certificate (GstStructure *report, gdouble ts, const gchar *pem)
{
  GChecksum *sum;
  guint8 digest[32];
  gsize dlen = sizeof (digest), len = 0, i;
  guchar *der = pem ? pem_to_der (pem, &len) : NULL;
  GString *fp, *hex;
  GstStructure *s;
  gchar *id, *b64;

  if (!der)
    return NULL;
  sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, der, len);
  g_checksum_get_digest (sum, digest, &dlen);
  g_checksum_free (sum);
  fp = g_string_new (NULL);
  hex = g_string_new ("certificate_");
  for (i = 0; i < dlen; i++) {
    g_string_append_printf (fp, "%s%02X", i ? ":" : "", digest[i]);
    g_string_append_printf (hex, "%02X", digest[i]);
  }
  id = g_string_free (hex, FALSE);
  b64 = g_base64_encode (der, len);
  s = new_entry (GST_RTC_STATS_CERTIFICATE, ts, id);
  gst_structure_set (s, "fingerprint", G_TYPE_STRING, fp->str,
      "fingerprint-algorithm", G_TYPE_STRING, "sha-256", "base64-certificate",
      G_TYPE_STRING, b64, NULL);
  take_entry (report, s);
  g_string_free (fp, TRUE);
  g_free (b64);
  g_free (der);
  return id;
}

static gchar *
candidate_id (const gchar *side, const RtcIceCandidate *c)
{
  gchar *id, *p;

  /* The ufrag (the ICE generation) makes the same address a new entry
   * after a restart, as browsers give new candidates new ids. */
  if (c->ufrag)
    id = g_strdup_printf ("%s-candidate_%s_%s_%u_%s", side,
        rtc_ice_candidate_type_to_string (c->type), c->address, c->port,
        c->ufrag);
  else
    id = g_strdup_printf ("%s-candidate_%s_%s_%u", side,
        rtc_ice_candidate_type_to_string (c->type), c->address, c->port);
  /* Field names: no ':' or '%' from IPv6 literals, no '+' or '/' from
   * ufrags. */
  for (p = id + strlen (side) + 1; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      *p = '_';
  return id;
}

static gchar *
add_candidate (GstStructure *report, gdouble ts, gboolean local,
    const RtcIceCandidate *c)
{
  static const gchar *tcp_types[] = { NULL, "active", "passive", "so" };
  gchar *id = candidate_id (local ? "local" : "remote", c);
  GstStructure *s = new_entry (local ? GST_RTC_STATS_LOCAL_CANDIDATE
                                     : GST_RTC_STATS_REMOTE_CANDIDATE,
      ts, id);

  gst_structure_set (s, "transport-id", G_TYPE_STRING, "transport", "address",
      G_TYPE_STRING, c->address, "port", G_TYPE_UINT, (guint)c->port,
      "protocol", G_TYPE_STRING,
      c->protocol == RTC_ICE_PROTOCOL_TCP ? "tcp" : "udp", "candidate-type",
      G_TYPE_STRING, rtc_ice_candidate_type_to_string (c->type), "priority",
      G_TYPE_UINT, c->priority, "foundation", G_TYPE_STRING, c->foundation,
      NULL);
  if (c->related_address)
    gst_structure_set (s, "related-address", G_TYPE_STRING, c->related_address,
        "related-port", G_TYPE_UINT, (guint)c->related_port, NULL);
  if (c->protocol == RTC_ICE_PROTOCOL_TCP && tcp_types[c->tcp_type])
    gst_structure_set (s, "tcp-type", G_TYPE_STRING, tcp_types[c->tcp_type],
        NULL);
  if (c->ufrag)
    gst_structure_set (s, "username-fragment", G_TYPE_STRING, c->ufrag, NULL);
  take_entry (report, s);
  return id;
}

static void
copy_uint64 (GstStructure *to, const gchar *to_field, const GstStructure *from,
    const gchar *from_field)
{
  guint64 v;

  if (from && gst_structure_get_uint64 (from, from_field, &v))
    gst_structure_set (to, to_field, G_TYPE_UINT64, v, NULL);
}

static void
copy_uint (GstStructure *to, const gchar *to_field, const GstStructure *from,
    const gchar *from_field)
{
  guint v;

  if (from && gst_structure_get_uint (from, from_field, &v))
    gst_structure_set (to, to_field, G_TYPE_UINT, v, NULL);
}

/* The most recent round trip measured from any receiver report. */
static gdouble
latest_rtt (RtcBinReports *r)
{
  GHashTableIter iter;
  ReceiverReport *rr;
  gdouble rtt = -1, when = 0;

  g_hash_table_iter_init (&iter, r->rr);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&rr)) {
    if (rr->reports && rr->rtt >= 0 && rr->received > when) {
      rtt = rr->rtt;
      when = rr->received;
    }
  }
  return rtt;
}

static void
add_transport (GstStructure *report, const RtcBinStatsInput *in)
{
  GstStructure *s = new_entry (GST_RTC_STATS_TRANSPORT, in->timestamp,
      "transport");
  gchar *local_cert = add_certificate (report, in->timestamp, in->local_pem);
  gchar *remote_cert = add_certificate (report, in->timestamp, in->remote_pem);

  copy_uint64 (s, "packets-sent", in->ice, "packets-sent");
  copy_uint64 (s, "packets-received", in->ice, "packets-received");
  copy_uint64 (s, "bytes-sent", in->ice, "bytes-sent");
  copy_uint64 (s, "bytes-received", in->ice, "bytes-received");
  gst_structure_set (s, "ice-role", G_TYPE_STRING,
      in->ice_controlling ? "controlling" : "controlled", "ice-state",
      G_TYPE_STRING,
      enum_nick (GST_TYPE_RTC_ICE_CONNECTION_STATE, in->ice_state),
      "dtls-state", G_TYPE_STRING,
      enum_nick (GST_TYPE_RTC_DTLS_TRANSPORT_STATE, in->dtls_state),
      "dtls-role", G_TYPE_STRING, in->dtls_role ? in->dtls_role : "unknown",
      NULL);
  if (in->ice_local_ufrag)
    gst_structure_set (s, "ice-local-username-fragment", G_TYPE_STRING,
        in->ice_local_ufrag, NULL);
  if (local_cert)
    gst_structure_set (s, "local-certificate-id", G_TYPE_STRING, local_cert,
        NULL);
  if (remote_cert)
    gst_structure_set (s, "remote-certificate-id", G_TYPE_STRING, remote_cert,
        NULL);
  if (in->tls_version)
    gst_structure_set (s, "tls-version", G_TYPE_STRING, in->tls_version, NULL);
  if (in->dtls_cipher)
    gst_structure_set (s, "dtls-cipher", G_TYPE_STRING, in->dtls_cipher, NULL);
  if (in->srtp_cipher)
    gst_structure_set (s, "srtp-cipher", G_TYPE_STRING, in->srtp_cipher, NULL);

  if (in->local_candidate && in->remote_candidate) {
    gchar *lid = add_candidate (report, in->timestamp, TRUE,
        in->local_candidate);
    gchar *rid = add_candidate (report, in->timestamp, FALSE,
        in->remote_candidate);
    /* A new pair (ICE restart) is a new entry. */
    gchar *pid = g_strdup_printf ("candidate-pair_%s_%s",
        lid + strlen ("local-candidate_"), rid + strlen ("remote-candidate_"));
    GstStructure *pair = new_entry (GST_RTC_STATS_CANDIDATE_PAIR, in->timestamp,
        pid);
    gdouble rtt = in->reports ? latest_rtt (in->reports) : -1;

    /* libnice shows only the selected pair: it carries all the data, so
     * the transport's counters are its own; consent lost, it failed. */
    gst_structure_set (pair, "transport-id", G_TYPE_STRING, "transport",
        "local-candidate-id", G_TYPE_STRING, lid, "remote-candidate-id",
        G_TYPE_STRING, rid, "state", G_TYPE_STRING,
        in->ice_state == GST_RTC_ICE_CONNECTION_STATE_FAILED ? "failed"
                                                             : "succeeded",
        "nominated", G_TYPE_BOOLEAN, TRUE, NULL);
    copy_uint64 (pair, "packets-sent", in->ice, "packets-sent");
    copy_uint64 (pair, "packets-received", in->ice, "packets-received");
    copy_uint64 (pair, "bytes-sent", in->ice, "bytes-sent");
    copy_uint64 (pair, "bytes-received", in->ice, "bytes-received");
    if (rtt >= 0)
      gst_structure_set (pair, "current-round-trip-time", G_TYPE_DOUBLE, rtt,
          NULL);
    take_entry (report, pair);
    gst_structure_set (s, "selected-candidate-pair-id", G_TYPE_STRING, pid,
        NULL);
    g_free (pid);
    g_free (lid);
    g_free (rid);
  }
  if (in->ice)
    gst_structure_set (s, "gst-ice-transport-stats", GST_TYPE_STRUCTURE,
        in->ice, NULL);
  take_entry (report, s);
  g_free (local_cert);
  g_free (remote_cert);
}

static gint
codec_clock_rate (const GstCaps *codec)
{
  gint rate = 0;

  if (codec && !gst_caps_is_empty (codec))
    gst_structure_get_int (gst_caps_get_structure (codec, 0), "clock-rate",
        &rate);
  return rate;
}

static gchar *
add_codec (GstStructure *report, gdouble ts, const RtcBinStatsStream *st)
{
  gchar *id = g_strdup_printf ("codec_%u", st->pt);
  GstStructure *s, *cs;
  const gchar *media, *name, *params;
  GstSDPMedia sdp_media = { 0 };
  gint rate;

  if (gst_structure_has_field (report, id))
    return id;
  s = new_entry (GST_RTC_STATS_CODEC, ts, id);
  gst_structure_set (s, "transport-id", G_TYPE_STRING, "transport",
      "payload-type", G_TYPE_UINT, st->pt, NULL);
  if (st->codec && !gst_caps_is_empty (st->codec)) {
    cs = gst_caps_get_structure (st->codec, 0);
    media = gst_structure_get_string (cs, "media");
    name = gst_structure_get_string (cs, "encoding-name");
    params = gst_structure_get_string (cs, "encoding-params");
    if (media && name) {
      gchar *mime = g_strdup_printf ("%s/%s", media, name);

      gst_structure_set (s, "mime-type", G_TYPE_STRING, mime, NULL);
      g_free (mime);
    }
    if ((rate = codec_clock_rate (st->codec)) > 0)
      gst_structure_set (s, "clock-rate", G_TYPE_UINT, (guint)rate, NULL);
    if (params && atoi (params) > 0)
      gst_structure_set (s, "channels", G_TYPE_UINT, (guint)atoi (params),
          NULL);
    gst_sdp_media_init (&sdp_media);
    if (gst_sdp_media_set_media_from_caps (st->codec, &sdp_media)
        == GST_SDP_OK) {
      const gchar *fmtp = gst_sdp_media_get_attribute_val (&sdp_media, "fmtp");
      const gchar *sp = fmtp ? strchr (fmtp, ' ') : NULL;

      /* W3C: the a=fmtp value after the payload type. */
      if (sp && sp[1])
        gst_structure_set (s, "sdp-fmtp-line", G_TYPE_STRING, sp + 1, NULL);
    }
    gst_sdp_media_uninit (&sdp_media);
  }
  take_entry (report, s);
  return id;
}

static void
set_stream_base (GstStructure *s, const RtcBinStatsStream *st,
    const gchar *codec_id)
{
  gst_structure_set (s, "ssrc", G_TYPE_UINT, st->ssrc, "transport-id",
      G_TYPE_STRING, "transport", "codec-id", G_TYPE_STRING, codec_id, NULL);
  if (st->kind)
    gst_structure_set (s, "kind", G_TYPE_STRING, st->kind, NULL);
}

static gdouble
jitter_seconds (guint32 jitter, gint rate)
{
  return rate > 0 ? (gdouble)jitter / rate : 0.0;
}

static void
add_outbound (GstStructure *report, const RtcBinStatsInput *in,
    const RtcBinStatsStream *st, const gchar *codec_id)
{
  gchar *id = g_strdup_printf ("outbound-rtp_%u", st->ssrc);
  gchar *rid = g_strdup_printf ("remote-inbound-rtp_%u", st->ssrc);
  GstStructure *s = new_entry (GST_RTC_STATS_OUTBOUND_RTP, in->timestamp, id);
  ReceiverReport *rr = NULL;

  set_stream_base (s, st, codec_id);
  if (st->mid)
    gst_structure_set (s, "mid", G_TYPE_STRING, st->mid, NULL);
  copy_uint64 (s, "packets-sent", st->source, "packets-sent");
  copy_uint64 (s, "bytes-sent", st->source, "octets-sent");
  if (in->reports)
    rr = g_hash_table_lookup (in->reports->rr, GUINT_TO_POINTER (st->ssrc));
  gst_structure_set (s, "nack-count", G_TYPE_UINT, rr ? rr->nack : 0,
      "pli-count", G_TYPE_UINT, rr ? rr->pli : 0, "fir-count", G_TYPE_UINT,
      rr ? rr->fir : 0, NULL);
  if (st->rtx_ssrc)
    gst_structure_set (s, "rtx-ssrc", G_TYPE_UINT, st->rtx_ssrc, NULL);
  /* Resent packets leave on the RTX SSRC (RFC 4588); rtpbin knows that
   * source only once it sent something, before that none were resent. */
  if (st->rtx_ssrc)
    gst_structure_set (s, "retransmitted-packets-sent", G_TYPE_UINT64,
        G_GUINT64_CONSTANT (0), "retransmitted-bytes-sent", G_TYPE_UINT64,
        G_GUINT64_CONSTANT (0), NULL);
  copy_uint64 (s, "retransmitted-packets-sent", st->rtx_source, "packets-sent");
  copy_uint64 (s, "retransmitted-bytes-sent", st->rtx_source, "octets-sent");

  if (rr && rr->reports) {
    GstStructure *r = new_entry (GST_RTC_STATS_REMOTE_INBOUND_RTP, rr->received,
        rid);

    set_stream_base (r, st, codec_id);
    gst_structure_set (r, "local-id", G_TYPE_STRING, id, "packets-lost",
        G_TYPE_INT64, (gint64)rr->packets_lost, "fraction-lost", G_TYPE_DOUBLE,
        rr->fraction_lost / 256.0, "jitter", G_TYPE_DOUBLE,
        jitter_seconds (rr->jitter, codec_clock_rate (st->codec)),
        "reports-received", G_TYPE_UINT64, rr->reports,
        "round-trip-time-measurements", G_TYPE_UINT64, rr->rtt_measurements,
        "total-round-trip-time", G_TYPE_DOUBLE, rr->total_rtt, NULL);
    if (rr->rtt >= 0)
      gst_structure_set (r, "round-trip-time", G_TYPE_DOUBLE, rr->rtt, NULL);
    take_entry (report, r);
    gst_structure_set (s, "remote-id", G_TYPE_STRING, rid, NULL);
  }
  if (st->source)
    gst_structure_set (s, "gst-rtpsource-stats", GST_TYPE_STRUCTURE, st->source,
        NULL);
  take_entry (report, s);
  g_free (id);
  g_free (rid);
}

static void
add_inbound (GstStructure *report, const RtcBinStatsInput *in,
    const RtcBinStatsStream *st, const gchar *codec_id)
{
  gchar *id = g_strdup_printf ("inbound-rtp_%u", st->ssrc);
  gchar *rid = g_strdup_printf ("remote-outbound-rtp_%u", st->ssrc);
  GstStructure *s = new_entry (GST_RTC_STATS_INBOUND_RTP, in->timestamp, id);
  SenderReport *sr = NULL;
  gint lost, rate = 0;
  guint jitter, nack;

  set_stream_base (s, st, codec_id);
  if (st->mid)
    gst_structure_set (s, "mid", G_TYPE_STRING, st->mid, NULL);
  copy_uint64 (s, "packets-received", st->source, "packets-received");
  copy_uint64 (s, "bytes-received", st->source, "octets-received");
  /* RFC 3550 cumulative loss (expected - received), as W3C defines it. */
  if (st->source && gst_structure_get_int (st->source, "packets-lost", &lost))
    gst_structure_set (s, "packets-lost", G_TYPE_INT64, (gint64)lost, NULL);
  if (st->source && gst_structure_get_uint (st->source, "jitter", &jitter)) {
    if (!gst_structure_get_int (st->source, "clock-rate", &rate) || rate <= 0)
      rate = codec_clock_rate (st->codec);
    gst_structure_set (s, "jitter", G_TYPE_DOUBLE,
        jitter_seconds (jitter, rate), NULL);
  }
  /* rtpbin's count (none once rtcbin sends them) and rtcbin's. */
  if (st->source
      && gst_structure_get_uint (st->source, "sent-nack-count", &nack))
    gst_structure_set (s, "nack-count", G_TYPE_UINT,
        nack
            + (in->reports ? rtc_bin_nack_sent (in->reports->nack, st->ssrc)
                           : 0),
        NULL);
  copy_uint (s, "pli-count", st->source, "sent-pli-count");
  copy_uint (s, "fir-count", st->source, "sent-fir-count");
  copy_uint64 (s, "packets-discarded", st->jitterbuffer, "num-late");

  if (in->reports)
    sr = g_hash_table_lookup (in->reports->sr, GUINT_TO_POINTER (st->ssrc));
  if (sr) {
    GstStructure *r = new_entry (GST_RTC_STATS_REMOTE_OUTBOUND_RTP,
        sr->received, rid);

    set_stream_base (r, st, codec_id);
    gst_structure_set (r, "local-id", G_TYPE_STRING, id, "packets-sent",
        G_TYPE_UINT64, (guint64)sr->packets, "bytes-sent", G_TYPE_UINT64,
        (guint64)sr->octets, "remote-timestamp", G_TYPE_DOUBLE,
        sr->remote_timestamp, "reports-sent", G_TYPE_UINT64, sr->reports, NULL);
    take_entry (report, r);
    gst_structure_set (s, "remote-id", G_TYPE_STRING, rid, NULL);
  }
  if (st->source)
    gst_structure_set (s, "gst-rtpsource-stats", GST_TYPE_STRUCTURE, st->source,
        NULL);
  if (st->jitterbuffer)
    gst_structure_set (s, "gst-rtpjitterbuffer-stats", GST_TYPE_STRUCTURE,
        st->jitterbuffer, NULL);
  take_entry (report, s);
  g_free (id);
  g_free (rid);
}

/**
 * rtc_bin_stats_build:
 * @in: what was collected
 *
 * Returns: (transfer full): the `application/x-rtc-stats` report
 */
GstStructure *
rtc_bin_stats_build (const RtcBinStatsInput *in)
{
  GstStructure *report = gst_structure_new_empty ("application/x-rtc-stats");
  GstStructure *pc;
  guint i;

  init_debug ();

  /* No data channels yet. */
  pc = new_entry (GST_RTC_STATS_PEER_CONNECTION, in->timestamp,
      "peer-connection");
  gst_structure_set (pc, "data-channels-opened", G_TYPE_UINT, 0,
      "data-channels-closed", G_TYPE_UINT, 0, NULL);
  take_entry (report, pc);
  if (!in->has_transport)
    return report;

  if (in->reports)
    g_mutex_lock (&in->reports->lock);
  add_transport (report, in);
  for (i = 0; i < in->n_streams; i++) {
    const RtcBinStatsStream *st = &in->streams[i];
    gchar *codec_id = add_codec (report, in->timestamp, st);

    if (st->outbound)
      add_outbound (report, in, st, codec_id);
    else
      add_inbound (report, in, st, codec_id);
    g_free (codec_id);
  }
  if (in->reports)
    g_mutex_unlock (&in->reports->lock);
  return report;
}

/* ---- collecting from a running rtcbin (its session thread) ---- */

/* The streams, and what they point to until the report is built. */
typedef struct {
  GArray *streams; /* RtcBinStatsStream */
  GPtrArray *caps;
  GPtrArray *structures;
  GPtrArray *strings;
  GValueArray *sources;
} Collected;

static const GstStructure *
find_source (GValueArray *sources, guint32 ssrc, gboolean internal)
{
  guint i;

  for (i = 0; sources && i < sources->n_values; i++) {
    const GstStructure *s = gst_value_get_structure (
        g_value_array_get_nth (sources, i));
    guint v = 0;
    gboolean is_internal = FALSE;

    gst_structure_get (s, "ssrc", G_TYPE_UINT, &v, "internal", G_TYPE_BOOLEAN,
        &is_internal, NULL);
    if (v == ssrc && is_internal == internal)
      return s;
  }
  return NULL;
}

static const gchar *
kind_name (GstRtcKind kind)
{
  return kind == GST_RTC_KIND_AUDIO ? "audio"
      : kind == GST_RTC_KIND_VIDEO  ? "video"
                                    : NULL;
}

static GstCaps *
pt_caps (GstElement *rtpbin, guint pt)
{
  GstCaps *caps = NULL;

  g_signal_emit_by_name (rtpbin, "request-pt-map", 0, pt, &caps);
  return caps;
}

static void
add_stream (Collected *c, GstElement *rtpbin, GValueArray *sources,
    guint32 ssrc, gboolean outbound, guint pt, GstRtcRtpTransceiver *trans,
    GstStructure *jb, guint32 rtx_ssrc)
{
  RtcBinStatsStream st = { 0 };
  GstCaps *caps = pt_caps (rtpbin, pt);
  gchar *mid = trans ? gst_rtc_rtp_transceiver_get_mid (trans) : NULL;

  st.ssrc = ssrc;
  st.outbound = outbound;
  st.pt = pt;
  st.source = find_source (sources, ssrc, outbound);
  st.kind = trans ? kind_name (gst_rtc_rtp_transceiver_get_kind (trans)) : NULL;
  st.mid = mid;
  st.codec = caps;
  st.jitterbuffer = jb;
  /* Our RTX SSRC is used where the codec negotiated RTX. */
  if (rtx_ssrc && caps && !gst_caps_is_empty (caps)
      && gst_structure_has_field (gst_caps_get_structure (caps, 0),
          "rtx-payload")) {
    st.rtx_ssrc = rtx_ssrc;
    st.rtx_source = find_source (sources, rtx_ssrc, TRUE);
  }
  if (mid)
    g_ptr_array_add (c->strings, mid);
  if (caps)
    g_ptr_array_add (c->caps, caps);
  g_array_append_val (c->streams, st);
}

/* A sink pad's stream: its transceiver's SSRC once negotiated, with the
 * payload type the sending path writes (in the caps it announces). */
static void
collect_sink (Collected *c, GstElement *bin, GstElement *rtpbin,
    GValueArray *sources, GstPad *pad)
{
  GstRtcRtpTransceiver *trans;
  RtcJsepTransceiver *jt;
  GstPad *target;
  GstCaps *caps = NULL;
  guint ssrc = 0;
  gint pt = -1;

  GST_OBJECT_LOCK (bin);
  trans = g_object_get_data (G_OBJECT (pad), "rtcbin-trans");
  if (trans)
    gst_object_ref (trans);
  GST_OBJECT_UNLOCK (bin);
  if (!trans)
    return;
  jt = g_object_get_data (G_OBJECT (trans), "rtcbin-jsep");
  target = gst_ghost_pad_get_target (GST_GHOST_PAD (pad));
  if (target)
    caps = gst_pad_get_current_caps (target);
  if (jt && jt->ssrc && caps
      && gst_structure_get_uint (gst_caps_get_structure (caps, 0), "ssrc",
          &ssrc)
      && ssrc == jt->ssrc
      && gst_structure_get_int (gst_caps_get_structure (caps, 0), "payload",
          &pt)
      && find_source (sources, ssrc, TRUE))
    add_stream (c, rtpbin, sources, ssrc, TRUE, pt, trans, NULL, jt->rtx_ssrc);
  if (caps)
    gst_caps_unref (caps);
  if (target)
    gst_object_unref (target);
  gst_object_unref (trans);
}

static GstRtcRtpTransceiver *
transceiver_of_mline (GstElement *bin, guint mline)
{
  GArray *arr = NULL;
  GstRtcRtpTransceiver *found = NULL;
  guint i;

  g_signal_emit_by_name (bin, "get-transceivers", &arr);
  for (i = 0; arr && i < arr->len; i++) {
    GstRtcRtpTransceiver *t = g_array_index (arr, GstRtcRtpTransceiver *, i);

    if (gst_rtc_rtp_transceiver_get_mlineindex (t) == mline) {
      found = gst_object_ref (t);
      break;
    }
  }
  if (arr)
    g_array_unref (arr);
  return found;
}

/* The jitter buffer feeding rtpbin's recv_rtp_src pad @pad: its target
 * is the payload type demuxer's, which the jitter buffer feeds. */
static GstStructure *
jitterbuffer_stats (GstPad *pad)
{
  GstPad *target = gst_ghost_pad_get_target (GST_GHOST_PAD (pad));
  GstElement *demux = target ? gst_pad_get_parent_element (target) : NULL;
  GstPad *sink = demux ? gst_element_get_static_pad (demux, "sink") : NULL;
  GstPad *peer = sink ? gst_pad_get_peer (sink) : NULL;
  GstElement *jb = peer ? gst_pad_get_parent_element (peer) : NULL;
  GstStructure *stats = NULL;

  if (jb && g_object_class_find_property (G_OBJECT_GET_CLASS (jb), "stats"))
    g_object_get (jb, "stats", &stats, NULL);
  g_clear_object (&jb);
  g_clear_object (&peer);
  g_clear_object (&sink);
  g_clear_object (&demux);
  g_clear_object (&target);
  return stats;
}

/* A src pad's streams: each rtpbin output (one per SSRC and payload
 * type) feeding the funnel behind src_<m-line>. */
static void
collect_src (Collected *c, GstElement *bin, GstElement *rtpbin,
    GValueArray *sources, GstPad *pad)
{
  GstPad *target = gst_ghost_pad_get_target (GST_GHOST_PAD (pad));
  GstElement *funnel = target ? gst_pad_get_parent_element (target) : NULL;
  GstRtcRtpTransceiver *trans;
  GstIterator *it;
  GValue item = G_VALUE_INIT;
  guint mline;

  if (!funnel || sscanf (GST_PAD_NAME (pad), "src_%u", &mline) != 1)
    goto out;
  trans = transceiver_of_mline (bin, mline);
  it = gst_element_iterate_sink_pads (funnel);
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstPad *peer = gst_pad_get_peer (g_value_get_object (&item));
    guint session, ssrc, pt;

    if (peer && GST_IS_GHOST_PAD (peer)
        && sscanf (GST_PAD_NAME (peer), "recv_rtp_src_%u_%u_%u", &session,
               &ssrc, &pt)
            == 3
        && find_source (sources, ssrc, FALSE)) {
      GstStructure *jb = jitterbuffer_stats (peer);

      if (jb)
        g_ptr_array_add (c->structures, jb);
      add_stream (c, rtpbin, sources, ssrc, FALSE, pt, trans, jb, 0);
    }
    g_clear_object (&peer);
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  g_clear_object (&trans);
out:
  g_clear_object (&funnel);
  g_clear_object (&target);
}

static void
collect_streams (Collected *c, const RtcBinStatsSources *src,
    GstElement *rtpbin)
{
  GObject *session = NULL;
  GstStructure *session_stats = NULL;
  GList *pads = NULL, *l;

  g_signal_emit_by_name (rtpbin, "get-internal-session", 0, &session);
  if (!session)
    return;
  g_object_get (session, "stats", &session_stats, NULL);
  g_object_unref (session);
  /* A copy: the streams point into it. */
  if (session_stats) {
    gst_structure_get (session_stats, "source-stats", G_TYPE_VALUE_ARRAY,
        &c->sources, NULL);
    gst_structure_free (session_stats);
  }

  if (src->filter) {
    pads = g_list_append (pads, gst_object_ref (src->filter));
  } else {
    GST_OBJECT_LOCK (src->bin);
    for (l = src->bin->pads; l; l = l->next)
      pads = g_list_append (pads, gst_object_ref (l->data));
    GST_OBJECT_UNLOCK (src->bin);
  }
  for (l = pads; l; l = l->next) {
    if (GST_PAD_DIRECTION (l->data) == GST_PAD_SINK)
      collect_sink (c, src->bin, rtpbin, c->sources, l->data);
    else
      collect_src (c, src->bin, rtpbin, c->sources, l->data);
  }
  g_list_free_full (pads, gst_object_unref);
}

/* W3C's srtpCipher is the profile's name in the IANA DTLS-SRTP registry
 * ("SRTP_AEAD_AES_128_GCM", as browsers give it); the DTLS elements name
 * profiles as RFC 5764 and RFC 7714 do. */
static const gchar *
srtp_profile_iana_name (const gchar *profile)
{
  static const gchar *names[][2] = {
    { "AES_CM_128_HMAC_SHA1_80", "SRTP_AES128_CM_HMAC_SHA1_80" },
    { "AES_CM_128_HMAC_SHA1_32", "SRTP_AES128_CM_HMAC_SHA1_32" },
    { "AEAD_AES_128_GCM", "SRTP_AEAD_AES_128_GCM" },
    { "AEAD_AES_256_GCM", "SRTP_AEAD_AES_256_GCM" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (profile, names[i][0]))
      return names[i][1];
  return profile;
}

/**
 * rtc_bin_stats_collect:
 * @src: the element's parts
 *
 * Session thread of @src->bin.
 *
 * Returns: (transfer full): the report
 */
GstStructure *
rtc_bin_stats_collect (const RtcBinStatsSources *src)
{
  RtcBinStatsInput in = { 0 };
  Collected c = { 0 };
  GstStructure *ice = NULL, *srtp = NULL, *report;
  RtcIceCandidate *local = NULL, *remote = NULL;
  GstElement *rtpbin = NULL;
  gchar *ufrag = NULL, *pwd = NULL, *local_pem = NULL, *remote_pem = NULL;
  gchar *cipher = NULL, *version = NULL, *conn_id = NULL;
  gboolean client = FALSE;

  init_debug ();
  c.streams = g_array_new (FALSE, TRUE, sizeof (RtcBinStatsStream));
  c.caps = g_ptr_array_new_with_free_func ((GDestroyNotify)gst_caps_unref);
  c.structures = g_ptr_array_new_with_free_func (
      (GDestroyNotify)gst_structure_free);
  c.strings = g_ptr_array_new_with_free_func (g_free);
  in.timestamp = g_get_real_time () / 1000.0;
  in.reports = src->reports;

  if (src->ice && src->transport_linked) {
    const gchar *profile;

    in.has_transport = TRUE;
    ice = rtc_ice_transport_get_stats (src->ice);
    in.ice = ice;
    rtc_ice_transport_get_selected_pair (src->ice, &local, &remote);
    in.local_candidate = local;
    in.remote_candidate = remote;
    g_object_get (src->ice, "controlling", &in.ice_controlling, NULL);
    rtc_ice_transport_get_local_credentials (src->ice, &ufrag, &pwd);
    in.ice_local_ufrag = ufrag;
    in.ice_state = src->ice_state;
    in.dtls_state = src->dtls_state;

    g_object_get (src->dtls_enc, "is-client", &client, "stats", &srtp,
        "connection-id", &conn_id, NULL);
    in.dtls_role = client ? "client" : "server";
    g_object_get (src->dtls_dec, "pem", &local_pem, "peer-pem", &remote_pem,
        NULL);
    in.local_pem = local_pem;
    in.remote_pem = remote_pem;
    profile = srtp ? gst_structure_get_string (srtp, "srtp-profile") : NULL;
    if (profile && g_strcmp0 (profile, "none") != 0)
      in.srtp_cipher = srtp_profile_iana_name (profile);
    if (conn_id) {
      RtcDtlsConnection *conn = rtc_dtls_connection_acquire (conn_id);

      rtc_dtls_connection_dup_tls_info (conn, &cipher, &version);
      rtc_dtls_connection_release (conn);
    }
    in.dtls_cipher = cipher;
    in.tls_version = version;

    rtpbin = gst_bin_get_by_name (GST_BIN (src->bin), "rtpbin");
    if (rtpbin)
      collect_streams (&c, src, rtpbin);
  }
  in.streams = (const RtcBinStatsStream *)c.streams->data;
  in.n_streams = c.streams->len;
  report = rtc_bin_stats_build (&in);

  g_array_unref (c.streams);
  g_ptr_array_unref (c.caps);
  g_ptr_array_unref (c.structures);
  g_ptr_array_unref (c.strings);
  if (c.sources)
    g_value_array_free (c.sources);
  g_clear_object (&rtpbin);
  rtc_ice_candidate_free (local);
  rtc_ice_candidate_free (remote);
  if (ice)
    gst_structure_free (ice);
  if (srtp)
    gst_structure_free (srtp);
  g_free (ufrag);
  g_free (pwd);
  g_free (local_pem);
  g_free (remote_pem);
  g_free (cipher);
  g_free (version);
  g_free (conn_id);
  return report;
}
