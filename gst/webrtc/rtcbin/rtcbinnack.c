/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * NACK feedback written by rtcbin rather than by rtpbin's session: see
 * rtcbinnack.h for why.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "rtcbinnack.h"

#include <gst/rtp/rtp.h>

GST_DEBUG_CATEGORY_STATIC (rtc_bin_nack_debug);
#define GST_CAT_DEFAULT rtc_bin_nack_debug

/* Bounds: the jitter buffers ask for what a peer's loss makes them ask. */
#define MAX_SSRCS 64
#define MAX_PENDING 1024

typedef struct {
  guint16 seqnum;
  gint64 deadline; /* monotonic µs: not worth asking for after it */
} Pending;

typedef struct {
  GArray *pending; /* Pending, oldest sequence number first */
  guint sent; /* NACK FCI entries sent, as rtpbin counts them */
} Stream;

struct _RtcBinNack {
  GMutex lock;
  GHashTable *streams; /* media SSRC → Stream */
  guint64 dropped;
  GObject *session; /* rtpbin's RTPSession 0 */
  GstPad *pad; /* its GstRtpSession's recv_rtp_src */
  gulong probe, handler;
};

static void
stream_free (Stream *s)
{
  g_array_unref (s->pending);
  g_free (s);
}

RtcBinNack *
rtc_bin_nack_new (void)
{
  static gsize done = 0;
  RtcBinNack *n = g_new0 (RtcBinNack, 1);

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (rtc_bin_nack_debug, "rtcbinnack", 0,
        "rtcbin NACK feedback");
    g_once_init_leave (&done, 1);
  }
  g_mutex_init (&n->lock);
  n->streams = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify)stream_free);
  return n;
}

void
rtc_bin_nack_free (RtcBinNack *n)
{
  if (!n)
    return;
  if (n->pad) {
    gst_pad_remove_probe (n->pad, n->probe);
    gst_object_unref (n->pad);
  }
  if (n->session) {
    g_signal_handler_disconnect (n->session, n->handler);
    g_object_unref (n->session);
  }
  g_hash_table_unref (n->streams);
  g_mutex_clear (&n->lock);
  g_free (n);
}

/* Lock held: the stream of @ssrc, made if there is room (a stream with
 * nothing pending gives its place up). */
static Stream *
lookup_stream (RtcBinNack *n, guint32 ssrc)
{
  Stream *s = g_hash_table_lookup (n->streams, GUINT_TO_POINTER (ssrc));
  GHashTableIter iter;
  gpointer value;

  if (s)
    return s;
  if (g_hash_table_size (n->streams) >= MAX_SSRCS) {
    g_hash_table_iter_init (&iter, n->streams);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      if (((Stream *)value)->pending->len == 0) {
        g_hash_table_iter_remove (&iter);
        break;
      }
  }
  if (g_hash_table_size (n->streams) >= MAX_SSRCS)
    return NULL;
  s = g_new0 (Stream, 1);
  s->pending = g_array_new (FALSE, FALSE, sizeof (Pending));
  g_hash_table_insert (n->streams, GUINT_TO_POINTER (ssrc), s);
  return s;
}

/**
 * rtc_bin_nack_request:
 * @ssrc: the peer's media SSRC
 * @seqnum: the packet to ask for again
 * @deadline_us: g_get_monotonic_time() after which asking is useless
 *
 * Any thread. Kept until written or past its deadline.
 */
void
rtc_bin_nack_request (RtcBinNack *n, guint32 ssrc, guint16 seqnum,
    gint64 deadline_us)
{
  Pending p = { seqnum, deadline_us };
  Stream *s;
  guint pos;

  g_mutex_lock (&n->lock);
  s = lookup_stream (n, ssrc);
  if (!s) {
    guint64 d = ++n->dropped;

    if ((d & (d - 1)) == 0)
      GST_INFO ("%" G_GUINT64_FORMAT " NACKs beyond %u SSRCs dropped", d,
          MAX_SSRCS);
    g_mutex_unlock (&n->lock);
    return;
  }
  /* In sequence order, so that neighbours share an FCI entry. */
  pos = s->pending->len;
  while (pos > 0) {
    Pending *q = &g_array_index (s->pending, Pending, pos - 1);
    gint diff = gst_rtp_buffer_compare_seqnum (q->seqnum, seqnum);

    if (diff == 0) {
      q->deadline = MAX (q->deadline, deadline_us);
      g_mutex_unlock (&n->lock);
      return;
    }
    if (diff > 0)
      break;
    pos--;
  }
  g_array_insert_val (s->pending, pos, p);
  if (s->pending->len > MAX_PENDING)
    g_array_remove_index (s->pending, 0);
  g_mutex_unlock (&n->lock);
}

/* Lock held: forgets the NACKs of @s past their deadline. */
static void
expire (Stream *s, gint64 now)
{
  guint i, kept = 0;

  for (i = 0; i < s->pending->len; i++) {
    Pending p = g_array_index (s->pending, Pending, i);

    if (p.deadline >= now)
      g_array_index (s->pending, Pending, kept++) = p;
  }
  g_array_set_size (s->pending, kept);
}

/* Lock held: one NACK packet for @s into @buf, as many of its sequence
 * numbers as fit. Returns the entries written (0: the buffer is full). */
static guint
write_stream (GstRTCPBuffer *buf, guint32 sender, guint32 ssrc, Stream *s)
{
  GstRTCPPacket packet;
  guint i = 0, entries = 0;

  if (!gst_rtcp_buffer_add_packet (buf, GST_RTCP_TYPE_RTPFB, &packet))
    return 0;
  gst_rtcp_packet_fb_set_type (&packet, GST_RTCP_RTPFB_TYPE_NACK);
  gst_rtcp_packet_fb_set_sender_ssrc (&packet, sender);
  gst_rtcp_packet_fb_set_media_ssrc (&packet, ssrc);
  while (i < s->pending->len) {
    guint16 pid = g_array_index (s->pending, Pending, i).seqnum;
    guint16 blp = 0;
    guint j;

    /* The 16 packets after PID go in its bitmask. */
    for (j = i + 1; j < s->pending->len; j++) {
      gint diff = gst_rtp_buffer_compare_seqnum (pid,
          g_array_index (s->pending, Pending, j).seqnum);

      if (diff < 1 || diff > 16)
        break;
      blp |= 1 << (diff - 1);
    }
    if (!gst_rtcp_packet_fb_set_fci_length (&packet, entries + 1))
      break;
    GST_WRITE_UINT32_BE (gst_rtcp_packet_fb_get_fci (&packet) + entries * 4,
        ((guint32)pid << 16) | blp);
    entries++;
    i = j;
  }
  if (entries == 0) {
    gst_rtcp_packet_remove (&packet);
    return 0;
  }
  g_array_remove_range (s->pending, 0, i);
  return entries;
}

/**
 * rtc_bin_nack_write:
 * @rtcp: an RTCP compound packet being made
 * @fallback_sender: our SSRC, for a packet without SR or RR
 * @now_us: g_get_monotonic_time()
 *
 * Any thread. Adds a NACK for each SSRC with packets to ask for, sent
 * by the SR's or RR's SSRC, as far as room allows; what does not fit
 * waits for the next packet.
 *
 * Returns: whether NACKs were added
 */
gboolean
rtc_bin_nack_write (RtcBinNack *n, GstBuffer *rtcp, guint32 fallback_sender,
    gint64 now_us)
{
  GstRTCPBuffer buf = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket first;
  GHashTableIter iter;
  gpointer key, value;
  guint32 sender = fallback_sender;
  gboolean added = FALSE, any = FALSE;

  g_mutex_lock (&n->lock);
  g_hash_table_iter_init (&iter, n->streams);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    expire (value, now_us);
    any |= ((Stream *)value)->pending->len > 0;
  }
  if (!any || !gst_rtcp_buffer_map (rtcp, GST_MAP_READWRITE, &buf)) {
    g_mutex_unlock (&n->lock);
    return FALSE;
  }
  if (gst_rtcp_buffer_get_first_packet (&buf, &first)) {
    GstRTCPType type = gst_rtcp_packet_get_type (&first);

    if (type == GST_RTCP_TYPE_SR)
      gst_rtcp_packet_sr_get_sender_info (&first, &sender, NULL, NULL, NULL,
          NULL);
    else if (type == GST_RTCP_TYPE_RR)
      sender = gst_rtcp_packet_rr_get_ssrc (&first);
  }
  g_hash_table_iter_init (&iter, n->streams);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    Stream *s = value;
    guint entries;

    if (s->pending->len == 0)
      continue;
    entries = write_stream (&buf, sender, GPOINTER_TO_UINT (key), s);
    if (entries == 0)
      break;
    s->sent += entries;
    added = TRUE;
  }
  gst_rtcp_buffer_unmap (&buf);
  g_mutex_unlock (&n->lock);
  return added;
}

/**
 * rtc_bin_nack_sent:
 * @ssrc: a peer's media SSRC
 *
 * Returns: the NACK entries sent about @ssrc
 */
guint
rtc_bin_nack_sent (RtcBinNack *n, guint32 ssrc)
{
  Stream *s;
  guint sent;

  g_mutex_lock (&n->lock);
  s = g_hash_table_lookup (n->streams, GUINT_TO_POINTER (ssrc));
  sent = s ? s->sent : 0;
  g_mutex_unlock (&n->lock);
  return sent;
}

/* A jitter buffer's retransmission request, on its way to the session:
 * taken here, with the time left computed as GstRtpSession does. */
static GstPadProbeReturn
on_upstream_event (GstPad *pad, GstPadProbeInfo *info, RtcBinNack *n)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  const GstStructure *s;
  guint ssrc, seqnum, delay = 0, deadline = 100, rtt = 40, left;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CUSTOM_UPSTREAM)
    return GST_PAD_PROBE_OK;
  s = gst_event_get_structure (event);
  if (!gst_structure_has_name (s, "GstRTPRetransmissionRequest")
      || !gst_structure_get_uint (s, "ssrc", &ssrc)
      || !gst_structure_get_uint (s, "seqnum", &seqnum))
    return GST_PAD_PROBE_OK;
  gst_structure_get_uint (s, "delay", &delay);
  gst_structure_get_uint (s, "deadline", &deadline);
  gst_structure_get_uint (s, "avg-rtt", &rtt);
  /* ms left for the request to go and the packet to come back */
  left = deadline > delay ? deadline - delay : deadline;
  left = left > rtt ? left - rtt : 0;
  GST_LOG ("SSRC %08x #%u, %u ms left", ssrc, seqnum, left);
  rtc_bin_nack_request (n, ssrc, seqnum,
      g_get_monotonic_time () + (gint64)left * 1000);
  g_signal_emit_by_name (n->session, "send-rtcp", (guint64)left * GST_MSECOND);
  return GST_PAD_PROBE_DROP;
}

/* The session's RTCP thread, each packet about to leave. */
static gboolean
on_sending_rtcp (GObject *session, GstBuffer *buffer, gboolean early,
    RtcBinNack *n)
{
  guint ssrc = 0;

  g_object_get (session, "internal-ssrc", &ssrc, NULL);
  return rtc_bin_nack_write (n, buffer, ssrc, g_get_monotonic_time ());
}

/**
 * rtc_bin_nack_attach:
 * @rtpbin: rtpbin, its session 0 made and receiving
 *
 * From now on the retransmission requests of session 0's jitter buffers
 * are sent from here.
 */
void
rtc_bin_nack_attach (RtcBinNack *n, GstElement *rtpbin)
{
  GObject *session = NULL;
  GstElement *element = NULL;
  GstPad *pad;

  if (n->session)
    return;
  g_signal_emit_by_name (rtpbin, "get-session", 0, &element);
  if (!element)
    return;
  pad = gst_element_get_static_pad (element, "recv_rtp_src");
  gst_object_unref (element);
  g_signal_emit_by_name (rtpbin, "get-internal-session", 0, &session);
  if (!pad || !session) {
    g_clear_object (&pad);
    g_clear_object (&session);
    return;
  }
  n->session = session;
  n->handler = g_signal_connect (session, "on-sending-rtcp",
      G_CALLBACK (on_sending_rtcp), n);
  n->pad = pad;
  n->probe = gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM,
      (GstPadProbeCallback)on_upstream_event, n, NULL);
}
