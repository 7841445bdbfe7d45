/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcbin's media path on one bundled transport, around one rtpbin
 * session (id 0):
 *
 *   sink_%u → SSRC/PT rewrite, mid extension → rtpfunnel → [rtprtxsend]
 *     → rtpsession → rtcdtlssrtpenc (RTP, and RTCP on the same transport)
 *   rtcdtlssrtpdec rtp_src → m-line classification → [rtprtxreceive]
 *     → rtpsession → SSRC demux → jitter buffer → PT demux → funnel of
 *     the m-line → src_<m-line>;  rtcdtlssrtpdec rtcp_src → rtpsession
 *
 * A received packet belongs to the m-line its `mid` header extension
 * names, else to the one its SSRC was announced (or first seen) on, else
 * to the one of its payload type (unique across a bundle); what matches
 * none is dropped and counted. A new SSRC is remembered with its m-line
 * and rtpbin gives it a jitter buffer of its own, which feeds the same
 * funnel, so a peer changing SSRC keeps flowing out of the same src pad
 * (its caps then carry the new `ssrc`).
 *
 * Renegotiation: each negotiation rebuilds the tables below. A src pad
 * belongs to the mid it was made for: when its m-line is rejected (a
 * stopped transceiver) or recycled with another mid, the pad, its funnel
 * and rtpbin's streams of its SSRCs go. A sink pad sends with the
 * negotiated payload type of the codec its caps name, so a payloader may
 * switch to another codec of the negotiated set without a new exchange.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "rtcbinmedia.h"

#include <gst/rtp/rtp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (rtc_bin_media_debug);
#define GST_CAT_DEFAULT rtc_bin_media_debug

#define MID_URI "urn:ietf:params:rtp-hdrext:sdes:mid"

/* Remote SSRCs learned from packets: each costs rtpbin a jitter buffer,
 * so a peer spraying new ones is cut off here. */
#define MAX_LEARNED_SSRCS 64

/* What the sending path of one transceiver writes into its packets. */
typedef struct {
  guint32 ssrc;
  gint pt;
  gchar *mid;
  guint mid_id;
  GstCaps *codecs; /* negotiated, one structure per payload type */
  struct _RtcBinSeq *seq; /* the sink pad's, in a lookup_send() copy */
} RtcBinSend;

/* One sink pad's sequence numbers and timestamps. A payloader taking over
 * the pad (a codec switch) starts its own: they are shifted to go on from
 * the previous ones, since SRTP and the peer's jitter buffer need one
 * continuous sequence per SSRC (RFC 3711 3.3.1). Streaming thread only. */
typedef struct _RtcBinSeq {
  gboolean started, rebase;
  guint16 seq_delta, last_seq;
  guint32 ts_delta, last_ts;
  GstClockTime last_pts;
  gint clock_rate;
} RtcBinSeq;

/* A src_<m-line> pad and the funnel behind it, made for one mid. */
typedef struct {
  GstElement *funnel;
  GstPad *ghost;
  gchar *mid;
} RtcBinOutput;

struct _RtcBinMedia {
  GstElement *bin; /* the rtcbin, which owns this */
  GstPadTemplate *src_template;
  GstElement *rtpbin;
  GstElement *funnel;
  gboolean sending;
  /* rtpbin's RTP and RTCP inputs, whose stream locks a negotiation holds
   * (session thread, between rtc_bin_media_begin() and
   * rtc_bin_media_end()). */
  GstPad *recv_held[2];

  GMutex lock;
  /* Everything below is under @lock. */
  GHashTable *pt_caps; /* payload type → GstCaps (ours and the peer's) */
  GHashTable *pt_mline; /* received payload type → m-line */
  GHashTable *ssrc_mline; /* remote SSRC → m-line */
  GHashTable *mid_mline; /* mid → m-line, for received m-lines */
  GHashTable *nack_mline; /* m-lines whose receiver asks for NACK */
  GHashTable *send; /* transceiver → RtcBinSend */
  GHashTable *outputs; /* m-line → RtcBinOutput */
  GHashTable *mline_mid; /* accepted m-line → mid, this negotiation */
  guint mid_id; /* negotiated id of the mid extension, 0: none */
  GstStructure *rtx_pt_map;
  GstStructure *rtx_ssrc_map;
  GstStructure *remote_rtx_ssrc_map;
  guint32 first_ssrc;
  GstElement *rtxsend;
  GstElement *rtxrecv;
  guint learned;
  guint64 dropped;
};

static void
rtc_bin_send_free (gpointer p)
{
  RtcBinSend *s = p;

  g_free (s->mid);
  gst_clear_caps (&s->codecs);
  g_free (s);
}

static void
rtc_bin_output_free (gpointer p)
{
  RtcBinOutput *o = p;

  gst_object_unref (o->funnel);
  gst_clear_object (&o->ghost);
  g_free (o->mid);
  g_free (o);
}

static void
set_rtx_maps (RtcBinMedia *media)
{
  /* rtprtxsend takes both maps; rtprtxreceive its own SSRC pairs. */
  if (media->rtxsend)
    g_object_set (media->rtxsend, "payload-type-map", media->rtx_pt_map,
        "ssrc-map", media->rtx_ssrc_map, NULL);
  if (media->rtxrecv)
    g_object_set (media->rtxrecv, "payload-type-map", media->rtx_pt_map,
        "ssrc-map", media->remote_rtx_ssrc_map, NULL);
}

/* ---- rtpbin callbacks (streaming threads) ---- */

static GstCaps *
on_request_pt_map (GstElement *rtpbin, guint session, guint pt,
    RtcBinMedia *media)
{
  GstCaps *caps;

  g_mutex_lock (&media->lock);
  caps = g_hash_table_lookup (media->pt_caps, GUINT_TO_POINTER (pt));
  if (caps)
    gst_caps_ref (caps);
  g_mutex_unlock (&media->lock);
  return caps;
}

/* rtpbin places an aux element between its pads and the session; ours
 * are bins so the pads carry the session id rtpbin looks for. */
static GstElement *
make_aux (const gchar *factory, guint session, GstElement **inner)
{
  GstElement *bin, *e = gst_element_factory_make (factory, NULL);
  GstPad *pad;
  gchar *name;

  if (!e)
    return NULL;
  bin = gst_bin_new (NULL);
  gst_bin_add (GST_BIN (bin), e);
  pad = gst_element_get_static_pad (e, "sink");
  name = g_strdup_printf ("sink_%u", session);
  gst_element_add_pad (bin, gst_ghost_pad_new (name, pad));
  g_free (name);
  gst_object_unref (pad);
  pad = gst_element_get_static_pad (e, "src");
  name = g_strdup_printf ("src_%u", session);
  gst_element_add_pad (bin, gst_ghost_pad_new (name, pad));
  g_free (name);
  gst_object_unref (pad);
  *inner = e;
  return bin;
}

static GstElement *
on_request_aux_sender (GstElement *rtpbin, guint session, RtcBinMedia *media)
{
  GstElement *aux;

  g_mutex_lock (&media->lock);
  aux = make_aux ("rtprtxsend", session, &media->rtxsend);
  set_rtx_maps (media);
  g_mutex_unlock (&media->lock);
  return aux;
}

static GstElement *
on_request_aux_receiver (GstElement *rtpbin, guint session, RtcBinMedia *media)
{
  GstElement *aux;

  g_mutex_lock (&media->lock);
  aux = make_aux ("rtprtxreceive", session, &media->rtxrecv);
  set_rtx_maps (media);
  g_mutex_unlock (&media->lock);
  return aux;
}

/* NACK is per m-line: the jitter buffer of a stream asks for
 * retransmissions only where the peer agreed to resend. */
static void
on_new_jitterbuffer (GstElement *rtpbin, GstElement *jb, guint session,
    guint ssrc, RtcBinMedia *media)
{
  gpointer mline;
  gboolean nack = FALSE;

  g_mutex_lock (&media->lock);
  if (g_hash_table_lookup_extended (media->ssrc_mline, GUINT_TO_POINTER (ssrc),
          NULL, &mline))
    nack = g_hash_table_contains (media->nack_mline, mline);
  g_mutex_unlock (&media->lock);
  GST_DEBUG ("SSRC %08x: retransmission %s", ssrc, nack ? "on" : "off");
  g_object_set (jb, "do-retransmission", nack, NULL);
}

/* The jitter buffer's caps are the payload type's; the stream's SSRC is
 * added so a consumer can tell a changed sender apart. */
static GstPadProbeReturn
output_caps_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  guint ssrc = GPOINTER_TO_UINT (user_data);
  GstCaps *caps;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;
  gst_event_parse_caps (event, &caps);
  if (gst_structure_has_field (gst_caps_get_structure (caps, 0), "ssrc"))
    return GST_PAD_PROBE_OK;
  caps = gst_caps_copy (caps);
  gst_caps_set_simple (caps, "ssrc", G_TYPE_UINT, ssrc, NULL);
  gst_event_unref (event);
  GST_PAD_PROBE_INFO_DATA (info) = gst_event_new_caps (caps);
  gst_caps_unref (caps);
  return GST_PAD_PROBE_OK;
}

/* Until data flows, the src pad answers caps queries with the caps of
 * the stream that made it, so an application can pick a depayloader in
 * pad-added. */
static GstPadProbeReturn
output_query_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GstQuery *query = GST_PAD_PROBE_INFO_QUERY (info);
  GstCaps *caps = user_data, *filter, *result;

  if (GST_QUERY_TYPE (query) != GST_QUERY_CAPS)
    return GST_PAD_PROBE_OK;
  gst_query_parse_caps (query, &filter);
  result = filter
      ? gst_caps_intersect_full (filter, caps, GST_CAPS_INTERSECT_FIRST)
      : gst_caps_ref (caps);
  gst_query_set_caps_result (query, result);
  gst_caps_unref (result);
  return GST_PAD_PROBE_HANDLED;
}

/* Streaming thread: the funnel feeding src_<mline>, made with the pad. */
static GstElement *
ensure_output (RtcBinMedia *media, guint mline, guint pt)
{
  GstCaps *caps;
  GstElement *funnel;
  GstPad *src, *ghost;
  RtcBinOutput *out;
  gchar *name;

  g_mutex_lock (&media->lock);
  out = g_hash_table_lookup (media->outputs, GUINT_TO_POINTER (mline));
  if (out) {
    funnel = gst_object_ref (out->funnel);
    g_mutex_unlock (&media->lock);
    return funnel;
  }
  funnel = gst_element_factory_make ("funnel", NULL);
  out = g_new0 (RtcBinOutput, 1);
  out->funnel = gst_object_ref_sink (funnel);
  out->mid = g_strdup (
      g_hash_table_lookup (media->mline_mid, GUINT_TO_POINTER (mline)));
  g_hash_table_insert (media->outputs, GUINT_TO_POINTER (mline), out);
  gst_object_ref (funnel);
  g_mutex_unlock (&media->lock);

  /* The ghost pad after the funnel is in the bin: linked across
   * hierarchies earlier, the link would be undone. */
  gst_bin_add (GST_BIN (media->bin), funnel);
  gst_element_sync_state_with_parent (funnel);
  src = gst_element_get_static_pad (funnel, "src");
  name = g_strdup_printf ("src_%u", mline);
  ghost = gst_ghost_pad_new_from_template (name, src, media->src_template);
  g_free (name);
  gst_object_unref (src);
  g_mutex_lock (&media->lock);
  out->ghost = gst_object_ref (ghost);
  caps = g_hash_table_lookup (media->pt_caps, GUINT_TO_POINTER (pt));
  caps = caps ? gst_caps_ref (caps)
              : gst_caps_new_empty_simple ("application/x-rtp");
  g_mutex_unlock (&media->lock);
  gst_pad_add_probe (ghost, GST_PAD_PROBE_TYPE_QUERY_UPSTREAM,
      output_query_probe, caps, (GDestroyNotify)gst_caps_unref);
  gst_pad_set_active (ghost, TRUE);
  gst_element_add_pad (media->bin, ghost);
  return funnel;
}

static void
on_rtpbin_pad_added (GstElement *rtpbin, GstPad *pad, RtcBinMedia *media)
{
  guint session, ssrc, pt;
  gpointer value;
  gint mline = -1;
  GstElement *funnel;
  GstPad *sink;
  GstPadLinkReturn ret;

  if (sscanf (GST_PAD_NAME (pad), "recv_rtp_src_%u_%u_%u", &session, &ssrc, &pt)
      != 3)
    return;
  g_mutex_lock (&media->lock);
  if (g_hash_table_lookup_extended (media->ssrc_mline, GUINT_TO_POINTER (ssrc),
          NULL, &value)
      || g_hash_table_lookup_extended (media->pt_mline, GUINT_TO_POINTER (pt),
          NULL, &value))
    mline = GPOINTER_TO_INT (value);
  g_mutex_unlock (&media->lock);
  if (mline < 0) {
    GST_WARNING_OBJECT (media->bin, "no m-line for SSRC %08x PT %u", ssrc, pt);
    return;
  }
  GST_DEBUG_OBJECT (media->bin, "SSRC %08x PT %u → src_%d", ssrc, pt, mline);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      output_caps_probe, GUINT_TO_POINTER (ssrc), NULL);
  funnel = ensure_output (media, mline, pt);
  sink = gst_element_request_pad_simple (funnel, "sink_%u");
  ret = gst_pad_link (pad, sink);
  if (ret != GST_PAD_LINK_OK)
    GST_WARNING_OBJECT (media->bin, "could not link %s: %s", GST_PAD_NAME (pad),
        gst_pad_link_get_name (ret));
  gst_object_unref (sink);
  gst_object_unref (funnel);
}

/* A stream rtpbin removed (BYE, timeout) gives its funnel pad back. */
static void
on_rtpbin_pad_removed (GstElement *rtpbin, GstPad *pad, RtcBinMedia *media)
{
  GstPad *peer;
  GstElement *funnel;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC
      || !g_str_has_prefix (GST_PAD_NAME (pad), "recv_rtp_src_"))
    return;
  peer = gst_pad_get_peer (pad);
  if (!peer)
    return;
  funnel = gst_pad_get_parent_element (peer);
  if (funnel) {
    gst_element_release_request_pad (funnel, peer);
    gst_object_unref (funnel);
  }
  gst_object_unref (peer);
}

/* ---- receive classification (streaming thread of the decoder) ---- */

/* Lock held: remembers @ssrc's m-line, within the limit. */
static gboolean
learn_ssrc (RtcBinMedia *media, guint32 ssrc, gpointer mline)
{
  if (media->learned >= MAX_LEARNED_SSRCS) {
    GST_LOG ("SSRC %08x beyond the limit, dropped", ssrc);
    return FALSE;
  }
  media->learned++;
  GST_DEBUG ("new SSRC %08x on m-line %d", ssrc, GPOINTER_TO_INT (mline));
  g_hash_table_insert (media->ssrc_mline, GUINT_TO_POINTER (ssrc), mline);
  return TRUE;
}

static gint
classify (RtcBinMedia *media, GstRTPBuffer *rtp)
{
  guint32 ssrc = gst_rtp_buffer_get_ssrc (rtp);
  guint pt = gst_rtp_buffer_get_payload_type (rtp);
  gpointer value;

  if (!g_hash_table_contains (media->pt_mline, GUINT_TO_POINTER (pt)))
    return -1;
  if (media->mid_id) {
    gpointer data;
    guint size;

    if ((gst_rtp_buffer_get_extension_onebyte_header (rtp, media->mid_id, 0,
             &data, &size)
            || gst_rtp_buffer_get_extension_twobytes_header (rtp, NULL,
                media->mid_id, 0, &data, &size))
        && size > 0 && size <= 32) {
      gchar mid[33];

      memcpy (mid, data, size);
      mid[size] = '\0';
      if (g_hash_table_lookup_extended (media->mid_mline, mid, NULL, &value)) {
        gpointer known;

        /* The mid wins over what the SSRC was known as. */
        if (g_hash_table_lookup_extended (media->ssrc_mline,
                GUINT_TO_POINTER (ssrc), NULL, &known)) {
          if (known != value)
            g_hash_table_insert (media->ssrc_mline, GUINT_TO_POINTER (ssrc),
                value);
        } else if (!learn_ssrc (media, ssrc, value)) {
          return -1;
        }
        return GPOINTER_TO_INT (value);
      }
      /* A mid no receiving m-line has (a stopped one, or one not yet
       * negotiated here): guessing by SSRC or type would feed its media
       * into another m-line's pad (RFC 8843 9.2). */
      return -1;
    }
  }
  if (g_hash_table_lookup_extended (media->ssrc_mline, GUINT_TO_POINTER (ssrc),
          NULL, &value))
    return GPOINTER_TO_INT (value);
  value = g_hash_table_lookup (media->pt_mline, GUINT_TO_POINTER (pt));
  return learn_ssrc (media, ssrc, value) ? GPOINTER_TO_INT (value) : -1;
}

static gboolean
accept_packet (RtcBinMedia *media, GstBuffer *buf)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  gint mline = -1;

  if (gst_rtp_buffer_map (buf, GST_MAP_READ, &rtp)) {
    g_mutex_lock (&media->lock);
    mline = classify (media, &rtp);
    /* Logged at powers of two: a flood does not flood the log. */
    if (mline < 0) {
      guint64 n = ++media->dropped;

      if ((n & (n - 1)) == 0)
        GST_INFO_OBJECT (media->bin,
            "%" G_GUINT64_FORMAT " packets of no negotiated stream dropped", n);
    }
    g_mutex_unlock (&media->lock);
    gst_rtp_buffer_unmap (&rtp);
  }
  return mline >= 0;
}

static gboolean
filter_list_item (GstBuffer **buf, guint idx, gpointer user_data)
{
  if (!accept_packet (user_data, *buf))
    gst_clear_buffer (buf);
  return TRUE;
}

static GstPadProbeReturn
recv_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  RtcBinMedia *media = user_data;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    return accept_packet (media, GST_PAD_PROBE_INFO_BUFFER (info))
        ? GST_PAD_PROBE_OK
        : GST_PAD_PROBE_DROP;
  GST_PAD_PROBE_INFO_DATA (info) = gst_buffer_list_make_writable (
      GST_PAD_PROBE_INFO_BUFFER_LIST (info));
  gst_buffer_list_foreach (GST_PAD_PROBE_INFO_BUFFER_LIST (info),
      filter_list_item, media);
  return GST_PAD_PROBE_OK;
}

/* ---- sending (streaming threads of the sink pads) ---- */

static void
continue_sequence (RtcBinSeq *q, GstRTPBuffer *rtp, GstClockTime pts)
{
  guint16 seq = gst_rtp_buffer_get_seq (rtp);
  guint32 ts = gst_rtp_buffer_get_timestamp (rtp);

  if (q->started && q->rebase) {
    guint64 elapsed = 0;

    if (GST_CLOCK_TIME_IS_VALID (pts) && GST_CLOCK_TIME_IS_VALID (q->last_pts)
        && pts > q->last_pts && q->clock_rate > 0)
      elapsed = gst_util_uint64_scale (pts - q->last_pts, q->clock_rate,
          GST_SECOND);
    q->seq_delta = (guint16)(q->last_seq + 1 - seq);
    q->ts_delta = q->last_ts + (guint32)MAX (elapsed, 1) - ts;
  }
  q->started = TRUE;
  q->rebase = FALSE;
  q->last_seq = seq + q->seq_delta;
  q->last_ts = ts + q->ts_delta;
  if (GST_CLOCK_TIME_IS_VALID (pts))
    q->last_pts = pts;
  gst_rtp_buffer_set_seq (rtp, q->last_seq);
  gst_rtp_buffer_set_timestamp (rtp, q->last_ts);
}

static gboolean
rewrite_rtp (GstBuffer **buf, const RtcBinSend *send)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;

  *buf = gst_buffer_make_writable (*buf);
  if (!gst_rtp_buffer_map (*buf, GST_MAP_READWRITE, &rtp))
    return FALSE;
  gst_rtp_buffer_set_ssrc (&rtp, send->ssrc);
  gst_rtp_buffer_set_payload_type (&rtp, send->pt);
  if (send->seq)
    continue_sequence (send->seq, &rtp, GST_BUFFER_PTS (*buf));
  /* The peer demuxes the bundle by mid first (RFC 8843 9.2). */
  if (send->mid_id && send->mid)
    gst_rtp_buffer_add_extension_onebyte_header (&rtp, send->mid_id, send->mid,
        strlen (send->mid));
  gst_rtp_buffer_unmap (&rtp);
  return TRUE;
}

static gboolean
rewrite_list_item (GstBuffer **buf, guint idx, gpointer user_data)
{
  if (!rewrite_rtp (buf, user_data))
    gst_clear_buffer (buf);
  return TRUE;
}

/* The negotiated payload type of the codec @codec ("NAME/clock-rate", from
 * the sink pad's caps) in @s, else -1. */
static gint
send_pt_for (const RtcBinSend *s, const gchar *codec)
{
  const gchar *slash = codec ? strchr (codec, '/') : NULL;
  gint codec_rate;
  guint i;

  if (!slash)
    return s->pt;
  /* Per packet: no allocation. */
  codec_rate = atoi (slash + 1);
  for (i = 0; i < gst_caps_get_size (s->codecs); i++) {
    const GstStructure *st = gst_caps_get_structure (s->codecs, i);
    const gchar *name = gst_structure_get_string (st, "encoding-name");
    gint rate = 0, pt;

    if (!name || !gst_structure_get_int (st, "payload", &pt))
      continue;
    gst_structure_get_int (st, "clock-rate", &rate);
    if (rate == codec_rate && strlen (name) == (gsize)(slash - codec)
        && g_ascii_strncasecmp (name, codec, slash - codec) == 0)
      return pt;
  }
  return -1;
}

/* "NAME/clock-rate" of RTP caps, what send_pt_for() matches. */
static gchar *
codec_key (const GstCaps *caps)
{
  const GstStructure *st;
  const gchar *name;
  gint rate = 0;

  if (!caps || gst_caps_get_size (caps) == 0)
    return NULL;
  st = gst_caps_get_structure (caps, 0);
  if (!(name = gst_structure_get_string (st, "encoding-name")))
    return NULL;
  gst_structure_get_int (st, "clock-rate", &rate);
  return g_strdup_printf ("%s/%d", name, rate);
}

/* The transceiver sink @pad is bound to (a new reference), if any; the
 * binding is the bin's, under its object lock. */
static GstRtcRtpTransceiver *
pad_transceiver (RtcBinMedia *media, GstPad *pad)
{
  GstRtcRtpTransceiver *trans;

  GST_OBJECT_LOCK (media->bin);
  trans = g_object_get_data (G_OBJECT (pad), "rtcbin-trans");
  if (trans)
    gst_object_ref (trans);
  GST_OBJECT_UNLOCK (media->bin);
  return trans;
}

/* The sink pad's transceiver's sending parameters, or FALSE (not
 * negotiated for sending, or its codec is not among the negotiated). */
static gboolean
lookup_send (RtcBinMedia *media, GstPad *pad, RtcBinSend *out)
{
  GstRtcRtpTransceiver *trans;
  RtcBinSend *s = NULL;
  gint pt = -1;

  trans = pad_transceiver (media, pad);
  if (!trans)
    return FALSE;
  g_mutex_lock (&media->lock);
  s = g_hash_table_lookup (media->send, trans);
  if (s)
    pt = send_pt_for (s, g_object_get_data (G_OBJECT (pad), "rtcbin-codec"));
  if (pt >= 0) {
    *out = *s;
    out->pt = pt;
    out->codecs = NULL;
    out->mid = g_strdup (s->mid);
  }
  g_mutex_unlock (&media->lock);
  gst_object_unref (trans);
  return pt >= 0;
}

/* A payloader switching to a codec the negotiation left out: its packets
 * are dropped (no payload type of this m-line means it). */
static void
warn_unnegotiated_codec (RtcBinMedia *media, GstPad *pad)
{
  GstRtcRtpTransceiver *trans;
  gboolean sends;

  trans = pad_transceiver (media, pad);
  if (!trans)
    return;
  g_mutex_lock (&media->lock);
  sends = g_hash_table_contains (media->send, trans);
  g_mutex_unlock (&media->lock);
  if (sends)
    GST_WARNING_OBJECT (media->bin,
        "%s: codec %s was not negotiated, its packets are dropped",
        GST_PAD_NAME (pad),
        (const gchar *)g_object_get_data (G_OBJECT (pad), "rtcbin-codec"));
  gst_object_unref (trans);
}

/* rtpfunnel routes upstream events (key unit requests, by SSRC) with the
 * SSRC of a pad's caps: once negotiated, those name ours. */
static GstCaps *
sending_caps (GstCaps *caps, const RtcBinSend *send)
{
  caps = gst_caps_copy (caps);
  gst_caps_set_simple (caps, "ssrc", G_TYPE_UINT, send->ssrc, "payload",
      G_TYPE_INT, send->pt, NULL);
  return caps;
}

static void
announce_ssrc (GstPad *pad, const RtcBinSend *send)
{
  guint announced = GPOINTER_TO_UINT (
      g_object_get_data (G_OBJECT (pad), "rtcbin-announced-ssrc"));
  GstCaps *caps, *fixed;
  GstPad *target;

  if (announced == send->ssrc)
    return;
  caps = gst_pad_get_current_caps (pad);
  target = gst_ghost_pad_get_target (GST_GHOST_PAD (pad));
  if (caps && target) {
    fixed = sending_caps (caps, send);
    gst_pad_send_event (target, gst_event_new_caps (fixed));
    gst_caps_unref (fixed);
    g_object_set_data (G_OBJECT (pad), "rtcbin-announced-ssrc",
        GUINT_TO_POINTER (send->ssrc));
  }
  if (caps)
    gst_caps_unref (caps);
  if (target)
    gst_object_unref (target);
}

static RtcBinSeq *
pad_seq (GstPad *pad)
{
  RtcBinSeq *q = g_object_get_data (G_OBJECT (pad), "rtcbin-seq");

  if (!q) {
    q = g_new0 (RtcBinSeq, 1);
    q->last_pts = GST_CLOCK_TIME_NONE;
    g_object_set_data_full (G_OBJECT (pad), "rtcbin-seq", q, g_free);
  }
  return q;
}

/* Remembers the codec of the sink pad's caps; another codec than before
 * continues the sequence of the previous one. */
static void
note_codec (GstPad *pad, GstCaps *caps)
{
  gchar *key = codec_key (caps);
  RtcBinSeq *q = pad_seq (pad);

  if (g_strcmp0 (key, g_object_get_data (G_OBJECT (pad), "rtcbin-codec")))
    q->rebase = TRUE;
  if (caps && gst_caps_get_size (caps) > 0)
    gst_structure_get_int (gst_caps_get_structure (caps, 0), "clock-rate",
        &q->clock_rate);
  g_object_set_data_full (G_OBJECT (pad), "rtcbin-codec", key, g_free);
}

/* Until the transceiver is negotiated for sending, packets go nowhere;
 * then they leave with the negotiated SSRC, payload type and mid. */
static GstPadProbeReturn
sink_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  RtcBinMedia *media = user_data;
  RtcBinSend send;

  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
    GstCaps *caps;

    if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
      return GST_PAD_PROBE_OK;
    gst_event_parse_caps (event, &caps);
    /* The codec picks the payload type, before and after negotiation. */
    note_codec (pad, caps);
    if (!lookup_send (media, pad, &send)) {
      warn_unnegotiated_codec (media, pad);
      return GST_PAD_PROBE_OK;
    }
    caps = sending_caps (caps, &send);
    gst_event_unref (event);
    GST_PAD_PROBE_INFO_DATA (info) = gst_event_new_caps (caps);
    gst_caps_unref (caps);
    g_object_set_data (G_OBJECT (pad), "rtcbin-announced-ssrc",
        GUINT_TO_POINTER (send.ssrc));
    g_free (send.mid);
    return GST_PAD_PROBE_OK;
  }

  if (!lookup_send (media, pad, &send))
    return GST_PAD_PROBE_DROP;
  send.seq = pad_seq (pad);
  announce_ssrc (pad, &send);
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
    gboolean ok = rewrite_rtp (&buf, &send);

    GST_PAD_PROBE_INFO_DATA (info) = buf;
    g_free (send.mid);
    return ok ? GST_PAD_PROBE_OK : GST_PAD_PROBE_DROP;
  } else {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);

    list = gst_buffer_list_make_writable (list);
    gst_buffer_list_foreach (list, rewrite_list_item, &send);
    GST_PAD_PROBE_INFO_DATA (info) = list;
  }
  g_free (send.mid);
  return GST_PAD_PROBE_OK;
}

/* rtpfunnel gives rtpbin's session one caps for all our streams, so the
 * session would meet each of our SSRCs in its first packet, without a
 * clock rate, and ask for it while writing that SSRC's first sender
 * report, its lock dropped in the middle of a walk over its SSRC table
 * (docs/architecture.md, SSRC table walks). Each SSRC's own caps (the
 * funnel sink pad's, with the clock rate) go to the session just before
 * its first packet. The funnel's source pad stream lock is held: one
 * stream at a time here. */
static void
announce_to_session (GstPad *pad, GstBuffer *buf)
{
  GHashTable *done = g_object_get_data (G_OBJECT (pad), "rtcbin-announced");
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  GstElement *funnel;
  GstIterator *it;
  GValue item = G_VALUE_INIT;
  GstCaps *caps = NULL;
  guint32 ssrc;

  if (!buf || !gst_rtp_buffer_map (buf, GST_MAP_READ, &rtp))
    return;
  ssrc = gst_rtp_buffer_get_ssrc (&rtp);
  gst_rtp_buffer_unmap (&rtp);
  if (!done) {
    done = g_hash_table_new (NULL, NULL);
    g_object_set_data_full (G_OBJECT (pad), "rtcbin-announced", done,
        (GDestroyNotify)g_hash_table_unref);
  }
  if (g_hash_table_contains (done, GUINT_TO_POINTER (ssrc)))
    return;
  funnel = gst_pad_get_parent_element (pad);
  if (!funnel)
    return;
  it = gst_element_iterate_sink_pads (funnel);
  while (!caps && gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstCaps *c = gst_pad_get_current_caps (g_value_get_object (&item));
    const GstStructure *st = c && !gst_caps_is_empty (c)
        ? gst_caps_get_structure (c, 0)
        : NULL;
    guint v;

    if (st && gst_structure_get_uint (st, "ssrc", &v) && v == ssrc
        && gst_structure_has_field (st, "clock-rate"))
      caps = gst_caps_ref (c);
    if (c)
      gst_caps_unref (c);
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  gst_object_unref (funnel);
  if (!caps)
    return;
  g_hash_table_add (done, GUINT_TO_POINTER (ssrc));
  gst_pad_push_event (pad, gst_event_new_caps (caps));
  gst_caps_unref (caps);
}

/* rtprtxsend names our RTX SSRC in those caps: the session would make
 * it a source of ours at once, which reports (RR) from then on and says
 * BYE when no retransmission came for a while. It is left to be made by
 * its first packet, as without these caps. */
static GstPadProbeReturn
session_caps_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstCaps *caps;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;
  gst_event_parse_caps (event, &caps);
  if (gst_caps_is_empty (caps)
      || !gst_structure_has_field (gst_caps_get_structure (caps, 0),
          "rtx-ssrc"))
    return GST_PAD_PROBE_OK;
  caps = gst_caps_copy (caps);
  gst_structure_remove_field (gst_caps_get_structure (caps, 0), "rtx-ssrc");
  gst_event_unref (event);
  GST_PAD_PROBE_INFO_DATA (info) = gst_event_new_caps (caps);
  gst_caps_unref (caps);
  return GST_PAD_PROBE_OK;
}

/* Until the transport is linked, sending goes nowhere rather than
 * failing with not-linked, which would stop the payloader's task. */
static GstPadProbeReturn
funnel_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  if (!gst_pad_is_linked (pad))
    return GST_PAD_PROBE_DROP;
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    announce_to_session (pad, GST_PAD_PROBE_INFO_BUFFER (info));
  else
    announce_to_session (pad,
        gst_buffer_list_get (GST_PAD_PROBE_INFO_BUFFER_LIST (info), 0));
  return GST_PAD_PROBE_OK;
}

GstPad *
rtc_bin_media_request_sink (RtcBinMedia *media, GstPad *ghost)
{
  gst_pad_add_probe (ghost,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST
          | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      sink_probe, media, NULL);
  return gst_element_request_pad_simple (media->funnel, "sink_%u");
}

void
rtc_bin_media_release_sink (RtcBinMedia *media, GstPad *target)
{
  gst_element_release_request_pad (media->funnel, target);
}

/* ---- negotiation (session thread) ---- */

/* A packet classified under the old tables must not reach rtpbin after
 * the streams of its SSRC were cleared (it would make them again, for an
 * m-line that no longer receives), nor may packets find the tables half
 * rebuilt (they would be dropped): the negotiation waits for the packet
 * on its way through rtpbin's input to its jitter buffer, and the next
 * waits for the new tables. RTCP is held too: rtpbin's SSRC demuxer
 * takes a stream out of its table before it removes its pads, and a
 * sender report of that SSRC coming in between would make pads of the
 * same name. */
void
rtc_bin_media_begin (RtcBinMedia *media)
{
  static const gchar *inputs[] = { "recv_rtp_sink_0", "recv_rtcp_sink_0" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (inputs); i++) {
    media->recv_held[i] = gst_element_get_static_pad (media->rtpbin, inputs[i]);
    if (media->recv_held[i])
      GST_PAD_STREAM_LOCK (media->recv_held[i]);
  }
  g_mutex_lock (&media->lock);
  g_hash_table_remove_all (media->pt_caps);
  g_hash_table_remove_all (media->pt_mline);
  g_hash_table_remove_all (media->ssrc_mline);
  media->learned = 0;
  g_hash_table_remove_all (media->mid_mline);
  g_hash_table_remove_all (media->nack_mline);
  g_hash_table_remove_all (media->send);
  g_hash_table_remove_all (media->mline_mid);
  gst_structure_free (media->rtx_pt_map);
  gst_structure_free (media->rtx_ssrc_map);
  gst_structure_free (media->remote_rtx_ssrc_map);
  media->rtx_pt_map = gst_structure_new_empty ("application/x-rtp-pt-map");
  media->rtx_ssrc_map = gst_structure_new_empty ("application/x-rtp-ssrc-map");
  media->remote_rtx_ssrc_map = gst_structure_new_empty (
      "application/x-rtp-ssrc-map");
  media->mid_id = 0;
  media->first_ssrc = 0;
  g_mutex_unlock (&media->lock);
}

static gboolean
direction_sends (GstRtcRtpTransceiverDirection dir)
{
  return dir == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY
      || dir == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;
}

static gboolean
direction_receives (GstRtcRtpTransceiverDirection dir)
{
  return dir == GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY
      || dir == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;
}

/* The id the negotiation gave the mid extension in @st, or 0. */
static guint
mid_extension_id (const GstStructure *st)
{
  guint i;

  for (i = 0; i < (guint)gst_structure_n_fields (st); i++) {
    const gchar *name = gst_structure_nth_field_name (st, i);
    guint id;

    if (sscanf (name, "extmap-%u", &id) == 1 && id >= 1 && id <= 14
        && g_strcmp0 (gst_structure_get_string (st, name), MID_URI) == 0)
      return id;
  }
  return 0;
}

static void
set_map_entry (GstStructure *map, guint key, guint value)
{
  gchar *k = g_strdup_printf ("%u", key);

  gst_structure_set (map, k, G_TYPE_UINT, value, NULL);
  g_free (k);
}

/* Payload types of @m: the codecs' caps for rtpbin, RTX's pairs. */
static void
apply_codecs (RtcBinMedia *media, const RtcJsepMedia *m, gboolean receives)
{
  guint i;

  for (i = 0; i < gst_caps_get_size (m->codecs); i++) {
    GstStructure *st = gst_caps_get_structure (m->codecs, i);
    gint pt, rtx_pt;
    gboolean nack = FALSE;

    if (!gst_structure_get_int (st, "payload", &pt))
      continue;
    g_hash_table_replace (media->pt_caps, GUINT_TO_POINTER (pt),
        gst_caps_new_full (gst_structure_copy (st), NULL));
    if (receives)
      g_hash_table_replace (media->pt_mline, GUINT_TO_POINTER (pt),
          GUINT_TO_POINTER (m->mline));
    if (!media->mid_id)
      media->mid_id = mid_extension_id (st);
    if (gst_structure_get_boolean (st, "rtcp-fb-nack", &nack) && nack
        && receives)
      g_hash_table_add (media->nack_mline, GUINT_TO_POINTER (m->mline));
    if (!gst_structure_get_int (st, "rtx-payload", &rtx_pt))
      continue;
    set_map_entry (media->rtx_pt_map, pt, rtx_pt);
    {
      gint rate = 90000;
      GstCaps *rtx;

      gst_structure_get_int (st, "clock-rate", &rate);
      rtx = gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING,
          gst_structure_get_string (st, "media"), "encoding-name",
          G_TYPE_STRING, "RTX", "clock-rate", G_TYPE_INT, rate, "payload",
          G_TYPE_INT, rtx_pt, "apt", G_TYPE_INT, pt, NULL);
      g_hash_table_replace (media->pt_caps, GUINT_TO_POINTER (rtx_pt), rtx);
    }
    if (receives)
      g_hash_table_replace (media->pt_mline, GUINT_TO_POINTER (rtx_pt),
          GUINT_TO_POINTER (m->mline));
  }
}

/* Session thread: ends rtpbin's streams feeding @out (their SSRCs' demux
 * pads, jitter buffers and payload demuxers; rtpbin's pad-removed gives
 * the funnel pads back), then the src pad and the funnel. */
static void
remove_output (RtcBinMedia *media, RtcBinOutput *out)
{
  g_autoptr (GArray) ssrcs = g_array_new (FALSE, FALSE, sizeof (guint));
  GstIterator *it = gst_element_iterate_sink_pads (out->funnel);
  GValue item = G_VALUE_INIT;
  guint i;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstPad *peer = gst_pad_get_peer (g_value_get_object (&item));
    guint session, ssrc, pt;

    if (peer
        && sscanf (GST_PAD_NAME (peer), "recv_rtp_src_%u_%u_%u", &session,
               &ssrc, &pt)
            == 3)
      g_array_append_val (ssrcs, ssrc);
    if (peer)
      gst_object_unref (peer);
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);

  GST_DEBUG_OBJECT (media->bin, "removing the src pad of mid %s (%u streams)",
      out->mid, ssrcs->len);
  for (i = 0; i < ssrcs->len; i++)
    g_signal_emit_by_name (media->rtpbin, "clear-ssrc", 0,
        g_array_index (ssrcs, guint, i));
  /* NULL only while its first stream is still being linked. */
  if (out->ghost) {
    gst_pad_set_active (out->ghost, FALSE);
    gst_element_remove_pad (media->bin, out->ghost);
  }
  gst_element_set_state (out->funnel, GST_STATE_NULL);
  gst_bin_remove (GST_BIN (media->bin), out->funnel);
  rtc_bin_output_free (out);
}

/* Session thread: the src pad of @mline goes unless it was made for
 * @mid (%NULL: it goes in any case). */
static void
remove_output_unless (RtcBinMedia *media, guint mline, const gchar *mid)
{
  RtcBinOutput *out;

  g_mutex_lock (&media->lock);
  out = g_hash_table_lookup (media->outputs, GUINT_TO_POINTER (mline));
  /* Made while the tables were being rebuilt: it is this mid's. */
  if (out && mid && !out->mid)
    out->mid = g_strdup (mid);
  if (out && mid && g_strcmp0 (out->mid, mid) == 0)
    out = NULL;
  if (out)
    g_hash_table_steal (media->outputs, GUINT_TO_POINTER (mline));
  g_mutex_unlock (&media->lock);
  if (out)
    remove_output (media, out);
}

void
rtc_bin_media_stop_sending (RtcBinMedia *media, GstRtcRtpTransceiver *trans)
{
  g_mutex_lock (&media->lock);
  g_hash_table_remove (media->send, trans);
  g_mutex_unlock (&media->lock);
}

void
rtc_bin_media_apply (RtcBinMedia *media, GstRtcRtpTransceiver *trans,
    RtcJsepTransceiver *jt, const RtcJsepMedia *m)
{
  gboolean receives = direction_receives (m->direction);
  guint i;
  gint pt;

  if (!m->codecs)
    return;
  /* A src pad of another mid on this m-line (recycled) goes first. */
  remove_output_unless (media, m->mline, m->mid);
  g_mutex_lock (&media->lock);
  if (m->mid)
    g_hash_table_replace (media->mline_mid, GUINT_TO_POINTER (m->mline),
        g_strdup (m->mid));
  apply_codecs (media, m, receives);
  if (direction_sends (m->direction) && !gst_caps_is_empty (m->codecs)
      && gst_structure_get_int (gst_caps_get_structure (m->codecs, 0),
          "payload", &pt)) {
    RtcBinSend *send = g_new0 (RtcBinSend, 1);
    gint rtx_pt;

    rtc_jsep_transceiver_ensure_ssrc (jt);
    send->ssrc = jt->ssrc;
    send->pt = pt;
    send->mid = g_strdup (m->mid);
    send->codecs = gst_caps_ref (m->codecs);
    send->mid_id = mid_extension_id (gst_caps_get_structure (m->codecs, 0));
    if (send->mid && strlen (send->mid) > 16)
      send->mid_id = 0; /* beyond a one-byte extension element */
    g_hash_table_replace (media->send, gst_object_ref (trans), send);
    if (!media->first_ssrc)
      media->first_ssrc = jt->ssrc;
    if (gst_structure_get_int (gst_caps_get_structure (m->codecs, 0),
            "rtx-payload", &rtx_pt)
        && jt->rtx_ssrc)
      set_map_entry (media->rtx_ssrc_map, jt->ssrc, jt->rtx_ssrc);
  }
  if (receives) {
    if (m->mid)
      g_hash_table_replace (media->mid_mline, g_strdup (m->mid),
          GUINT_TO_POINTER (m->mline));
    for (i = 0; m->remote_ssrcs && i < m->remote_ssrcs->len; i++) {
      guint32 ssrc = g_array_index (m->remote_ssrcs, guint32, i);

      g_hash_table_replace (media->ssrc_mline, GUINT_TO_POINTER (ssrc),
          GUINT_TO_POINTER (m->mline));
      if (m->remote_rtx_ssrcs && i < m->remote_rtx_ssrcs->len
          && g_array_index (m->remote_rtx_ssrcs, guint32, i)) {
        guint32 rtx = g_array_index (m->remote_rtx_ssrcs, guint32, i);

        g_hash_table_replace (media->ssrc_mline, GUINT_TO_POINTER (rtx),
            GUINT_TO_POINTER (m->mline));
        set_map_entry (media->remote_rtx_ssrc_map, ssrc, rtx);
      }
    }
  }
  g_mutex_unlock (&media->lock);
}

void
rtc_bin_media_end (RtcBinMedia *media)
{
  GObject *session = NULL;
  g_autoptr (GArray) gone = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer key;
  guint32 ssrc;
  guint i;

  g_mutex_lock (&media->lock);
  set_rtx_maps (media);
  ssrc = media->first_ssrc;
  /* m-lines this negotiation rejected (stopped transceivers) or left out
   * lose their src pads. */
  g_hash_table_iter_init (&iter, media->outputs);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (media->mline_mid, key)) {
      guint mline = GPOINTER_TO_UINT (key);

      g_array_append_val (gone, mline);
    }
  g_mutex_unlock (&media->lock);
  for (i = 0; i < gone->len; i++)
    remove_output_unless (media, g_array_index (gone, guint, i), NULL);
  for (i = G_N_ELEMENTS (media->recv_held); i-- > 0;) {
    if (media->recv_held[i]) {
      GST_PAD_STREAM_UNLOCK (media->recv_held[i]);
      gst_clear_object (&media->recv_held[i]);
    }
  }
  /* Our first SSRC is the session's own: its receiver reports come from
   * the SSRC the peer knows from our SDP. */
  if (!ssrc)
    return;
  g_signal_emit_by_name (media->rtpbin, "get-internal-session", 0, &session);
  if (session) {
    g_object_set (session, "internal-ssrc", ssrc, NULL);
    g_object_unref (session);
  }
}

/* ---- transport ---- */

gboolean
rtc_bin_media_link_transport (RtcBinMedia *media, GstElement *enc,
    GstElement *dec, GError **error)
{
  GstElement *session = NULL;
  GstPad *pad;

  gst_bin_add (GST_BIN (media->bin), media->rtpbin);
  if (!gst_element_link_pads (dec, "rtp_src", media->rtpbin, "recv_rtp_sink_0")
      || !gst_element_link_pads (dec, "rtcp_src", media->rtpbin,
          "recv_rtcp_sink_0")
      || !gst_element_link_pads (media->rtpbin, "send_rtcp_src_0", enc,
          "rtcp_sink_0")) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INTERNAL_FAILURE,
        "Could not link rtpbin to the transport");
    return FALSE;
  }
  /* send_rtp_src_0 only exists once its sink is requested. */
  pad = gst_element_request_pad_simple (media->rtpbin, "send_rtp_sink_0");
  gst_object_unref (pad);
  g_signal_emit_by_name (media->rtpbin, "get-session", 0, &session);
  pad = session ? gst_element_get_static_pad (session, "send_rtp_sink") : NULL;
  if (pad) {
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
        session_caps_probe, NULL, NULL);
    gst_object_unref (pad);
  }
  g_clear_object (&session);
  if (!gst_element_link_pads (media->rtpbin, "send_rtp_src_0", enc,
          "rtp_sink_0")) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INTERNAL_FAILURE,
        "Could not link rtpbin to the transport");
    return FALSE;
  }
  pad = gst_element_get_static_pad (dec, "rtp_src");
  gst_pad_add_probe (pad,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, recv_probe,
      media, NULL);
  gst_object_unref (pad);
  gst_element_sync_state_with_parent (media->rtpbin);
  return TRUE;
}

gboolean
rtc_bin_media_start_sending (RtcBinMedia *media, GError **error)
{
  if (media->sending)
    return TRUE;
  if (!gst_element_link_pads (media->funnel, "src", media->rtpbin,
          "send_rtp_sink_0")) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INTERNAL_FAILURE,
        "Could not link the sending funnel");
    return FALSE;
  }
  media->sending = TRUE;
  return TRUE;
}

void
rtc_bin_media_set_latency (RtcBinMedia *media, guint latency)
{
  g_object_set (media->rtpbin, "latency", latency, NULL);
}

RtcBinMedia *
rtc_bin_media_new (GstElement *bin, GstPadTemplate *src_template, guint latency)
{
  RtcBinMedia *media = g_new0 (RtcBinMedia, 1);
  GstPad *pad;

  if (g_once_init_enter (&rtc_bin_media_debug)) {
    GstDebugCategory *cat = NULL;

    GST_DEBUG_CATEGORY_INIT (cat, "rtcbinmedia", 0, "rtcbin media path");
    g_once_init_leave (&rtc_bin_media_debug, cat);
  }
  media->bin = bin;
  media->src_template = src_template;
  g_mutex_init (&media->lock);
  media->pt_caps = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify)gst_caps_unref);
  media->pt_mline = g_hash_table_new (NULL, NULL);
  media->ssrc_mline = g_hash_table_new (NULL, NULL);
  media->mid_mline = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  media->nack_mline = g_hash_table_new (NULL, NULL);
  media->send = g_hash_table_new_full (NULL, NULL, gst_object_unref,
      rtc_bin_send_free);
  media->outputs = g_hash_table_new_full (NULL, NULL, NULL,
      rtc_bin_output_free);
  media->mline_mid = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  media->rtx_pt_map = gst_structure_new_empty ("application/x-rtp-pt-map");
  media->rtx_ssrc_map = gst_structure_new_empty ("application/x-rtp-ssrc-map");
  media->remote_rtx_ssrc_map = gst_structure_new_empty (
      "application/x-rtp-ssrc-map");

  media->funnel = gst_element_factory_make ("rtpfunnel", NULL);
  gst_bin_add (GST_BIN (bin), media->funnel);
  pad = gst_element_get_static_pad (media->funnel, "src");
  gst_pad_add_probe (pad,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, funnel_probe,
      NULL, NULL);
  gst_object_unref (pad);

  /* Held until the transport links it into the bin. */
  media->rtpbin = gst_object_ref_sink (
      gst_element_factory_make ("rtpbin", "rtpbin"));
  /* SAVPF: feedback may be sent early (RFC 4585); rtcp-rsize as offered. */
  g_object_set (media->rtpbin, "rtp-profile", GST_RTP_PROFILE_SAVPF, "latency",
      latency, NULL);
  g_signal_connect (media->rtpbin, "request-pt-map",
      G_CALLBACK (on_request_pt_map), media);
  g_signal_connect (media->rtpbin, "request-aux-sender",
      G_CALLBACK (on_request_aux_sender), media);
  g_signal_connect (media->rtpbin, "request-aux-receiver",
      G_CALLBACK (on_request_aux_receiver), media);
  g_signal_connect (media->rtpbin, "new-jitterbuffer",
      G_CALLBACK (on_new_jitterbuffer), media);
  g_signal_connect (media->rtpbin, "pad-added",
      G_CALLBACK (on_rtpbin_pad_added), media);
  g_signal_connect (media->rtpbin, "pad-removed",
      G_CALLBACK (on_rtpbin_pad_removed), media);
  return media;
}

void
rtc_bin_media_free (RtcBinMedia *media)
{
  if (!media)
    return;
  g_signal_handlers_disconnect_by_data (media->rtpbin, media);
  gst_object_unref (media->rtpbin);
  g_hash_table_unref (media->pt_caps);
  g_hash_table_unref (media->pt_mline);
  g_hash_table_unref (media->ssrc_mline);
  g_hash_table_unref (media->mid_mline);
  g_hash_table_unref (media->nack_mline);
  g_hash_table_unref (media->send);
  g_hash_table_unref (media->outputs);
  g_hash_table_unref (media->mline_mid);
  gst_structure_free (media->rtx_pt_map);
  gst_structure_free (media->rtx_ssrc_map);
  gst_structure_free (media->remote_rtx_ssrc_map);
  g_mutex_clear (&media->lock);
  g_free (media);
}
