/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcbin's get-stats between two rtcbins in one process over 127.0.0.1
 * (a sends Opus and VP8, b sends VP8 back): every W3C stats type with
 * ids that resolve within the report, counters that grow, one side's
 * packets sent against the other's received, reports from the peer's
 * RTCP, reports filtered by pad, rtpbin's session knowing our SSRCs'
 * clock rates; before negotiation only the peer-connection entry;
 * promises answered when the element goes.
 */
#include <gst/check/gstcheck.h>
#include <gst/rtc/rtc.h>
#include <gst/rtp/rtp.h>
#include <string.h>

#include "../common/rtcbintest.h"
#include "../common/rtccheckmain.h"

#define OPUS_SEND "audiotestsrc is-live=true ! opusenc ! rtpopuspay pt=96 ! "
#define VP8_SEND \
  "videotestsrc is-live=true ! video/x-raw,width=160,height=120," \
  "framerate=30/1 ! vp8enc deadline=1 ! rtpvp8pay pt=97 ! "

typedef struct {
  GstElement *pa, *pb, *a, *b;
  RtcBinTestCounts ca, cb;
  GMutex lock;
  GHashTable *sender_rates; /* our SSRC → clock rate its source had at
                             * its first packet (-1: none) */
} Call;

/* The first packet of each of our SSRCs on its way into rtpbin: the
 * clock rate the session's source for it has then (-1: none yet, or no
 * source: the packet itself would make it). */
static void
note_sender_rate (GstElement *rtpbin, GstBuffer *buf, Call *call)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  GObject *sess = NULL, *src = NULL;
  GstStructure *stats = NULL;
  gint rate = -1;
  guint32 ssrc;
  gboolean seen;

  if (!buf || !gst_rtp_buffer_map (buf, GST_MAP_READ, &rtp))
    return;
  ssrc = gst_rtp_buffer_get_ssrc (&rtp);
  gst_rtp_buffer_unmap (&rtp);
  g_mutex_lock (&call->lock);
  seen = g_hash_table_contains (call->sender_rates, GUINT_TO_POINTER (ssrc));
  g_mutex_unlock (&call->lock);
  if (seen)
    return;
  g_signal_emit_by_name (rtpbin, "get-internal-session", 0, &sess);
  if (sess)
    g_signal_emit_by_name (sess, "get-source-by-ssrc", ssrc, &src);
  if (src)
    g_object_get (src, "stats", &stats, NULL);
  if (stats)
    gst_structure_get_int (stats, "clock-rate", &rate);
  g_mutex_lock (&call->lock);
  g_hash_table_insert (call->sender_rates, GUINT_TO_POINTER (ssrc),
      GINT_TO_POINTER (rate));
  g_mutex_unlock (&call->lock);
  if (stats)
    gst_structure_free (stats);
  g_clear_object (&src);
  g_clear_object (&sess);
}

static GstPadProbeReturn
sender_probe (GstPad *pad, GstPadProbeInfo *info, Call *call)
{
  GstElement *rtpbin = gst_pad_get_parent_element (pad);

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    note_sender_rate (rtpbin, GST_PAD_PROBE_INFO_BUFFER (info), call);
  else
    note_sender_rate (rtpbin,
        gst_buffer_list_get (GST_PAD_PROBE_INFO_BUFFER_LIST (info), 0), call);
  gst_object_unref (rtpbin);
  return GST_PAD_PROBE_OK;
}

static void
on_rtpbin_pad (GstElement *rtpbin, GstPad *pad, Call *call)
{
  if (g_str_has_prefix (GST_PAD_NAME (pad), "send_rtp_sink_"))
    gst_pad_add_probe (pad,
        GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
        (GstPadProbeCallback)sender_probe, call, NULL);
}

static void
on_element_added (GstBin *pipeline, GstBin *bin, GstElement *element,
    Call *call)
{
  if (g_str_equal (GST_OBJECT_NAME (element), "rtpbin"))
    g_signal_connect (element, "pad-added", G_CALLBACK (on_rtpbin_pad), call);
}

/* a sends Opus and VP8, b VP8 back, all decoded. */
static void
call_start (Call *call)
{
  const gchar *loopback[] = { "127.0.0.1", NULL };
  GError *error = NULL;
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (5000) * 1000;

  call->pa = gst_parse_launch (OPUS_SEND "rtcbin name=a " VP8_SEND "a.",
      &error);
  fail_unless (call->pa != NULL, "%s", error ? error->message : "");
  call->pb = gst_parse_launch (VP8_SEND "rtcbin name=b", &error);
  fail_unless (call->pb != NULL, "%s", error ? error->message : "");
  call->a = gst_bin_get_by_name (GST_BIN (call->pa), "a");
  call->b = gst_bin_get_by_name (GST_BIN (call->pb), "b");
  g_object_set (call->a, "local-addresses", loopback, NULL);
  g_object_set (call->b, "local-addresses", loopback, NULL);
  call->ca.pipeline = call->pa;
  call->cb.pipeline = call->pb;
  g_mutex_init (&call->lock);
  call->sender_rates = g_hash_table_new (NULL, NULL);
  g_signal_connect (call->pa, "deep-element-added",
      G_CALLBACK (on_element_added), call);
  g_signal_connect (call->pb, "deep-element-added",
      G_CALLBACK (on_element_added), call);
  g_signal_connect (call->a, "on-ice-candidate",
      G_CALLBACK (rtcbin_test_forward_candidate), call->b);
  g_signal_connect (call->b, "on-ice-candidate",
      G_CALLBACK (rtcbin_test_forward_candidate), call->a);
  g_signal_connect (call->a, "pad-added", G_CALLBACK (rtcbin_test_decode_pad),
      &call->ca);
  g_signal_connect (call->b, "pad-added", G_CALLBACK (rtcbin_test_decode_pad),
      &call->cb);
  gst_element_set_state (call->pa, GST_STATE_PLAYING);
  gst_element_set_state (call->pb, GST_STATE_PLAYING);
  while ((rtcbin_test_n_transceivers (call->a) < 2
             || rtcbin_test_n_transceivers (call->b) < 1)
      && g_get_monotonic_time () < end)
    g_usleep (5000);
  fail_unless_equals_int (rtcbin_test_n_transceivers (call->a), 2);
  rtcbin_test_negotiate (call->a, call->b);
  fail_unless (rtcbin_test_wait_enum (call->a, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));
  fail_unless (rtcbin_test_wait_enum (call->b, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));

  end = g_get_monotonic_time () + RTC_TEST_MS (15000) * 1000;
  while ((g_atomic_int_get (&call->cb.audio) < 25
             || g_atomic_int_get (&call->cb.video) < 10
             || g_atomic_int_get (&call->ca.video) < 10)
      && g_get_monotonic_time () < end)
    g_usleep (10000);
  fail_unless (g_atomic_int_get (&call->cb.audio) >= 25);
  fail_unless (g_atomic_int_get (&call->cb.video) >= 10);
  fail_unless (g_atomic_int_get (&call->ca.video) >= 10);
}

static void
call_stop (Call *call)
{
  fail_unless_equals_int (g_atomic_int_get (&call->ca.link_failures), 0);
  fail_unless_equals_int (g_atomic_int_get (&call->cb.link_failures), 0);
  gst_element_set_state (call->pa, GST_STATE_NULL);
  gst_element_set_state (call->pb, GST_STATE_NULL);
  gst_object_unref (call->a);
  gst_object_unref (call->b);
  gst_object_unref (call->pa);
  gst_object_unref (call->pb);
  g_hash_table_unref (call->sender_rates);
  g_mutex_clear (&call->lock);
}

static const gchar *
type_nick (GstRtcStatsType type)
{
  GEnumClass *klass = g_type_class_ref (GST_TYPE_RTC_STATS_TYPE);
  GEnumValue *v = g_enum_get_value (klass, type);

  g_type_class_unref (klass);
  return v ? v->value_nick : NULL;
}

/* The entries of @report of @type, borrowed. */
static GPtrArray *
entries (const GstStructure *report, GstRtcStatsType type)
{
  GPtrArray *arr = g_ptr_array_new ();
  gint i;

  for (i = 0; i < gst_structure_n_fields (report); i++) {
    const GValue *v = gst_structure_get_value (report,
        gst_structure_nth_field_name (report, i));
    const GstStructure *s;
    GstRtcStatsType t;

    fail_unless (GST_VALUE_HOLDS_STRUCTURE (v));
    s = gst_value_get_structure (v);
    fail_unless (
        gst_structure_get (s, "type", GST_TYPE_RTC_STATS_TYPE, &t, NULL));
    if (t == type)
      g_ptr_array_add (arr, (gpointer)s);
  }
  return arr;
}

static guint
count (const GstStructure *report, GstRtcStatsType type)
{
  GPtrArray *arr = entries (report, type);
  guint n = arr->len;

  g_ptr_array_unref (arr);
  return n;
}

/* The entry that @s's @field names, checked to be of @type. */
static const GstStructure *
linked (const GstStructure *report, const GstStructure *s, const gchar *field,
    GstRtcStatsType type)
{
  const gchar *id = gst_structure_get_string (s, field);
  const GstStructure *target;
  GstRtcStatsType t;

  fail_unless (id != NULL, "%s has no %s", gst_structure_get_string (s, "id"),
      field);
  target = rtcbin_test_stats_entry (report, id);
  fail_unless (
      gst_structure_get (target, "type", GST_TYPE_RTC_STATS_TYPE, &t, NULL));
  fail_unless_equals_int (t, type);
  return target;
}

static const GstStructure *
stream_of (const GstStructure *report, GstRtcStatsType type, const gchar *kind)
{
  GPtrArray *arr = entries (report, type);
  const GstStructure *found = NULL;
  guint i;

  for (i = 0; i < arr->len; i++) {
    const GstStructure *s = g_ptr_array_index (arr, i);

    if (g_strcmp0 (gst_structure_get_string (s, "kind"), kind) == 0) {
      fail_unless (found == NULL, "two %s %s streams", type_nick (type), kind);
      found = s;
    }
  }
  g_ptr_array_unref (arr);
  return found;
}

static guint64
u64 (const GstStructure *s, const gchar *field)
{
  guint64 v = 0;

  fail_unless (gst_structure_get_uint64 (s, field, &v), "%s has no %s",
      gst_structure_get_string (s, "id"), field);
  return v;
}

static guint
ssrc_of (const GstStructure *s)
{
  guint v = 0;

  fail_unless (gst_structure_get_uint (s, "ssrc", &v));
  return v;
}

/* Every entry is named by its type, has its id as field name and a
 * timestamp near now; every *-id field names an entry of the report. */
static void
check_consistent (const GstStructure *report)
{
  gdouble now = g_get_real_time () / 1000.0;
  gint i, j;

  for (i = 0; i < gst_structure_n_fields (report); i++) {
    const gchar *name = gst_structure_nth_field_name (report, i);
    const GstStructure *s = rtcbin_test_stats_entry (report, name);
    GstRtcStatsType type;
    gdouble ts = 0;

    fail_unless (
        gst_structure_get (s, "type", GST_TYPE_RTC_STATS_TYPE, &type, NULL));
    fail_unless_equals_string (gst_structure_get_name (s), type_nick (type));
    fail_unless_equals_string (gst_structure_get_string (s, "id"), name);
    fail_unless (gst_structure_get_double (s, "timestamp", &ts));
    /* Remote entries carry the report's arrival; all within a minute. */
    fail_unless (ts > now - 60000 && ts <= now + 1, "%s timestamp %f (now %f)",
        name, ts, now);
    for (j = 0; j < gst_structure_n_fields (s); j++) {
      const gchar *field = gst_structure_nth_field_name (s, j);

      if (g_str_has_suffix (field, "-id")
          && G_VALUE_HOLDS_STRING (gst_structure_get_value (s, field))
          && strcmp (field, "id") != 0)
        rtcbin_test_stats_entry (report, gst_structure_get_string (s, field));
    }
  }
}

/* The codec of @s: Opus or VP8 as negotiated. */
static void
check_codec (const GstStructure *report, const GstStructure *s,
    const gchar *kind)
{
  const GstStructure *codec = linked (report, s, "codec-id",
      GST_RTC_STATS_CODEC);
  guint rate = 0, pt = 0, channels = 0;

  fail_unless (gst_structure_get_uint (codec, "clock-rate", &rate));
  fail_unless (gst_structure_get_uint (codec, "payload-type", &pt));
  linked (report, codec, "transport-id", GST_RTC_STATS_TRANSPORT);
  if (g_str_equal (kind, "audio")) {
    fail_unless_equals_string (gst_structure_get_string (codec, "mime-type"),
        "audio/OPUS");
    fail_unless_equals_int (rate, 48000);
    fail_unless_equals_int (pt, 96);
    fail_unless (gst_structure_get_uint (codec, "channels", &channels));
    fail_unless_equals_int (channels, 2);
  } else {
    fail_unless_equals_string (gst_structure_get_string (codec, "mime-type"),
        "video/VP8");
    fail_unless_equals_int (rate, 90000);
    fail_unless_equals_int (pt, 97);
  }
}

/* The transport and what hangs off it, once connected. */
static void
check_transport (const GstStructure *report, GstElement *bin)
{
  GPtrArray *arr = entries (report, GST_RTC_STATS_TRANSPORT);
  const GstStructure *t, *pair, *local, *remote, *cert;
  gchar *fingerprint = NULL;
  GstElement *dec = NULL;
  gboolean nominated = FALSE;
  guint port = 0;
  GstIterator *it;
  GValue item = G_VALUE_INIT;

  fail_unless_equals_int (arr->len, 1);
  t = g_ptr_array_index (arr, 0);
  g_ptr_array_unref (arr);
  fail_unless_equals_string (gst_structure_get_string (t, "dtls-state"),
      "connected");
  fail_unless (
      g_strcmp0 (gst_structure_get_string (t, "ice-state"), "connected") == 0
      || g_strcmp0 (gst_structure_get_string (t, "ice-state"), "completed")
          == 0);
  fail_unless_equals_string (gst_structure_get_string (t, "tls-version"),
      "FEFD");
  fail_unless (
      g_str_has_prefix (gst_structure_get_string (t, "dtls-cipher"), "TLS_"));
  fail_unless (gst_structure_get_string (t, "srtp-cipher") != NULL);
  fail_unless (u64 (t, "bytes-sent") > 0);
  fail_unless (u64 (t, "packets-received") > 0);

  pair = linked (report, t, "selected-candidate-pair-id",
      GST_RTC_STATS_CANDIDATE_PAIR);
  fail_unless_equals_string (gst_structure_get_string (pair, "state"),
      "succeeded");
  fail_unless (gst_structure_get_boolean (pair, "nominated", &nominated));
  fail_unless (nominated);
  fail_unless (u64 (pair, "bytes-sent") > 0);
  linked (report, pair, "transport-id", GST_RTC_STATS_TRANSPORT);
  local = linked (report, pair, "local-candidate-id",
      GST_RTC_STATS_LOCAL_CANDIDATE);
  remote = linked (report, pair, "remote-candidate-id",
      GST_RTC_STATS_REMOTE_CANDIDATE);
  fail_unless_equals_string (gst_structure_get_string (local, "address"),
      "127.0.0.1");
  fail_unless_equals_string (gst_structure_get_string (remote, "address"),
      "127.0.0.1");
  fail_unless (gst_structure_get_uint (local, "port", &port) && port > 0);
  fail_unless (gst_structure_get_string (local, "candidate-type") != NULL);
  fail_unless_equals_string (gst_structure_get_string (local, "protocol"),
      "udp");

  /* Our certificate is the one the decoder presents. */
  it = gst_bin_iterate_elements (GST_BIN (bin));
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&item);

    if (g_str_has_prefix (GST_OBJECT_NAME (gst_element_get_factory (e)),
            "rtcdtlssrtpdec"))
      dec = gst_object_ref (e);
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  fail_unless (dec != NULL);
  g_object_get (dec, "fingerprint", &fingerprint, NULL);
  cert = linked (report, t, "local-certificate-id", GST_RTC_STATS_CERTIFICATE);
  fail_unless_equals_string (gst_structure_get_string (cert,
                                 "fingerprint-algorithm"),
      "sha-256");
  fail_unless_equals_string (gst_structure_get_string (cert, "fingerprint"),
      fingerprint + strlen ("sha-256 "));
  fail_unless (
      strlen (gst_structure_get_string (cert, "base64-certificate")) > 100);
  linked (report, t, "remote-certificate-id", GST_RTC_STATS_CERTIFICATE);
  fail_unless_equals_int (count (report, GST_RTC_STATS_CERTIFICATE), 2);
  g_free (fingerprint);
  gst_object_unref (dec);
}

static void
check_stream (const GstStructure *report, const GstStructure *s,
    const gchar *kind)
{
  fail_unless (s != NULL, "no %s stream", kind);
  linked (report, s, "transport-id", GST_RTC_STATS_TRANSPORT);
  check_codec (report, s, kind);
  fail_unless (ssrc_of (s) != 0);
  fail_unless (gst_structure_get_string (s, "mid") != NULL);
}

/* Remote-inbound entries with a round trip: the peer had our SR. */
static guint
n_round_trips (const GstStructure *report)
{
  GPtrArray *arr = entries (report, GST_RTC_STATS_REMOTE_INBOUND_RTP);
  guint i, n = 0;

  for (i = 0; i < arr->len; i++)
    n += gst_structure_has_field (g_ptr_array_index (arr, i),
        "round-trip-time");
  g_ptr_array_unref (arr);
  return n;
}

/* Polls a's and b's reports until the peer's RTCP filled in the remote
 * entries of every stream; returns a's. */
static GstStructure *
wait_remote_entries (Call *call, GstStructure **b_report)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (20000) * 1000;
  GstStructure *ra = NULL, *rb = NULL;

  do {
    if (ra) {
      gst_structure_free (ra);
      gst_structure_free (rb);
      g_usleep (200000);
    }
    ra = rtcbin_test_get_stats (call->a, NULL);
    rb = rtcbin_test_get_stats (call->b, NULL);
  } while ((n_round_trips (ra) < 2
               || count (ra, GST_RTC_STATS_REMOTE_OUTBOUND_RTP) < 1
               || count (rb, GST_RTC_STATS_REMOTE_INBOUND_RTP) < 1
               || count (rb, GST_RTC_STATS_REMOTE_OUTBOUND_RTP) < 2)
      && g_get_monotonic_time () < end);
  *b_report = rb;
  return ra;
}

GST_START_TEST (test_before_negotiation)
{
  GstElement *bin = gst_element_factory_make ("rtcbin", NULL);
  GstStructure *report = rtcbin_test_get_stats (bin, NULL);
  const GstStructure *pc;
  guint opened = 1;

  /* The promise is answered, with the peer connection alone. */
  fail_unless_equals_int (gst_structure_n_fields (report), 1);
  fail_unless_equals_int (count (report, GST_RTC_STATS_PEER_CONNECTION), 1);
  pc = rtcbin_test_stats_entry (report, "peer-connection");
  fail_unless (gst_structure_get_uint (pc, "data-channels-opened", &opened));
  fail_unless_equals_int (opened, 0);
  check_consistent (report);
  gst_structure_free (report);
  gst_object_unref (bin);
}

GST_END_TEST;

GST_START_TEST (test_call_report)
{
  Call call = { 0 };
  GstStructure *ra, *rb, *ra2, *rb2, *ra3;
  const GstStructure *a_out_audio, *a_out_video, *a_in_video, *b_in_audio,
      *b_in_video, *b_out_video, *s, *r;
  const gchar *role_a, *role_b;
  gdouble rtt = -1, remote_ts = 0, now;
  guint64 measurements = 0;
  gint64 sent1, sent2, recv1, recv2;
  guint i;
  const GstRtcStatsType every[] = { GST_RTC_STATS_PEER_CONNECTION,
    GST_RTC_STATS_TRANSPORT, GST_RTC_STATS_CANDIDATE_PAIR,
    GST_RTC_STATS_LOCAL_CANDIDATE, GST_RTC_STATS_REMOTE_CANDIDATE,
    GST_RTC_STATS_CERTIFICATE, GST_RTC_STATS_CODEC, GST_RTC_STATS_INBOUND_RTP,
    GST_RTC_STATS_OUTBOUND_RTP, GST_RTC_STATS_REMOTE_INBOUND_RTP,
    GST_RTC_STATS_REMOTE_OUTBOUND_RTP };

  call_start (&call);
  ra = wait_remote_entries (&call, &rb);

  /* Every type, every link resolving, on both sides. */
  for (i = 0; i < G_N_ELEMENTS (every); i++) {
    fail_unless (count (ra, every[i]) > 0, "a: no %s", type_nick (every[i]));
    fail_unless (count (rb, every[i]) > 0, "b: no %s", type_nick (every[i]));
  }
  check_consistent (ra);
  check_consistent (rb);
  check_transport (ra, call.a);
  check_transport (rb, call.b);
  /* The two ends took opposite DTLS and ICE roles. */
  {
    GPtrArray *ta = entries (ra, GST_RTC_STATS_TRANSPORT);
    GPtrArray *tb = entries (rb, GST_RTC_STATS_TRANSPORT);
    const GstStructure *t_a = g_ptr_array_index (ta, 0);
    const GstStructure *t_b = g_ptr_array_index (tb, 0);
    const GstStructure *cert_a, *cert_b;

    role_a = gst_structure_get_string (t_a, "dtls-role");
    role_b = gst_structure_get_string (t_b, "dtls-role");
    fail_unless (
        g_strcmp0 (role_a, "client") == 0 || g_strcmp0 (role_a, "server") == 0);
    fail_unless (g_strcmp0 (role_a, role_b) != 0);
    fail_unless_equals_string (gst_structure_get_string (t_a, "ice-role"),
        "controlling");
    fail_unless_equals_string (gst_structure_get_string (t_b, "ice-role"),
        "controlled");
    /* a's remote certificate is b's own. */
    cert_a = linked (ra, t_a, "remote-certificate-id",
        GST_RTC_STATS_CERTIFICATE);
    cert_b = linked (rb, t_b, "local-certificate-id",
        GST_RTC_STATS_CERTIFICATE);
    fail_unless_equals_string (gst_structure_get_string (cert_a, "fingerprint"),
        gst_structure_get_string (cert_b, "fingerprint"));
    g_ptr_array_unref (ta);
    g_ptr_array_unref (tb);
  }

  a_out_audio = stream_of (ra, GST_RTC_STATS_OUTBOUND_RTP, "audio");
  a_out_video = stream_of (ra, GST_RTC_STATS_OUTBOUND_RTP, "video");
  a_in_video = stream_of (ra, GST_RTC_STATS_INBOUND_RTP, "video");
  b_in_audio = stream_of (rb, GST_RTC_STATS_INBOUND_RTP, "audio");
  b_in_video = stream_of (rb, GST_RTC_STATS_INBOUND_RTP, "video");
  b_out_video = stream_of (rb, GST_RTC_STATS_OUTBOUND_RTP, "video");
  check_stream (ra, a_out_audio, "audio");
  check_stream (ra, a_out_video, "video");
  check_stream (ra, a_in_video, "video");
  check_stream (rb, b_in_audio, "audio");
  check_stream (rb, b_in_video, "video");
  check_stream (rb, b_out_video, "video");
  fail_unless_equals_int (count (ra, GST_RTC_STATS_OUTBOUND_RTP), 2);
  fail_unless_equals_int (count (ra, GST_RTC_STATS_INBOUND_RTP), 1);
  fail_if (stream_of (ra, GST_RTC_STATS_INBOUND_RTP, "audio"));
  /* The same SSRCs seen from both ends, the same mids. */
  fail_unless_equals_int (ssrc_of (a_out_audio), ssrc_of (b_in_audio));
  fail_unless_equals_int (ssrc_of (a_out_video), ssrc_of (b_in_video));
  fail_unless_equals_int (ssrc_of (b_out_video), ssrc_of (a_in_video));
  fail_unless_equals_string (gst_structure_get_string (a_out_audio, "mid"),
      gst_structure_get_string (b_in_audio, "mid"));

  /* Receiver reports: about each of a's streams, with a round trip. */
  for (i = 0; i < 2; i++) {
    s = i ? a_out_video : a_out_audio;
    r = linked (ra, s, "remote-id", GST_RTC_STATS_REMOTE_INBOUND_RTP);
    fail_unless_equals_string (gst_structure_get_string (r, "local-id"),
        gst_structure_get_string (s, "id"));
    fail_unless_equals_int (ssrc_of (r), ssrc_of (s));
    fail_unless (gst_structure_get_double (r, "round-trip-time", &rtt),
        "no round trip for SSRC %u", ssrc_of (r));
    fail_unless (rtt >= 0 && rtt < 1.0 * rtc_test_timeout_scale (),
        "round trip %f s", rtt);
    fail_unless (gst_structure_get_uint64 (r, "round-trip-time-measurements",
        &measurements));
    fail_unless (measurements >= 1);
    fail_unless (u64 (r, "reports-received") >= measurements);
  }
  /* Sender reports: a's streams as b sees them. */
  now = g_get_real_time () / 1000.0;
  for (i = 0; i < 2; i++) {
    s = i ? b_in_video : b_in_audio;
    r = linked (rb, s, "remote-id", GST_RTC_STATS_REMOTE_OUTBOUND_RTP);
    fail_unless_equals_string (gst_structure_get_string (r, "local-id"),
        gst_structure_get_string (s, "id"));
    fail_unless (u64 (r, "packets-sent") > 0);
    fail_unless (u64 (r, "reports-sent") >= 1);
    /* The sender's wall clock, the same machine's. */
    fail_unless (gst_structure_get_double (r, "remote-timestamp", &remote_ts));
    fail_unless (remote_ts > now - 30000 && remote_ts <= now + 1000,
        "remote timestamp %f, now %f", remote_ts, now);
  }
  /* The candidate pair's round trip comes from the reports. */
  {
    GPtrArray *pairs = entries (ra, GST_RTC_STATS_CANDIDATE_PAIR);

    fail_unless (gst_structure_get_double (g_ptr_array_index (pairs, 0),
        "current-round-trip-time", &rtt));
    fail_unless (rtt >= 0 && rtt < 1.0 * rtc_test_timeout_scale ());
    g_ptr_array_unref (pairs);
  }

  /* A second apart, counters grow; what a sent in between, b received
   * (give or take what was in flight at either end of the interval). */
  ra2 = rtcbin_test_get_stats (call.a, NULL);
  rb2 = rtcbin_test_get_stats (call.b, NULL);
  g_usleep (RTC_TEST_MS (1000) * 1000);
  ra3 = rtcbin_test_get_stats (call.a, NULL);
  gst_structure_free (rb);
  rb = rtcbin_test_get_stats (call.b, NULL);
  for (i = 0; i < 2; i++) {
    const gchar *kind = i ? "video" : "audio";
    const GstStructure *o1 = stream_of (ra2, GST_RTC_STATS_OUTBOUND_RTP, kind);
    const GstStructure *o2 = stream_of (ra3, GST_RTC_STATS_OUTBOUND_RTP, kind);
    const GstStructure *i1 = stream_of (rb2, GST_RTC_STATS_INBOUND_RTP, kind);
    const GstStructure *i2 = stream_of (rb, GST_RTC_STATS_INBOUND_RTP, kind);
    gint64 dsent, drecv;

    sent1 = u64 (o1, "packets-sent");
    sent2 = u64 (o2, "packets-sent");
    recv1 = u64 (i1, "packets-received");
    recv2 = u64 (i2, "packets-received");
    fail_unless (u64 (o2, "bytes-sent") > u64 (o1, "bytes-sent"));
    fail_unless (u64 (i2, "bytes-received") > u64 (i1, "bytes-received"));
    dsent = sent2 - sent1;
    drecv = recv2 - recv1;
    GST_INFO ("%s: sent %" G_GINT64_FORMAT " → %" G_GINT64_FORMAT
              ", received %" G_GINT64_FORMAT " → %" G_GINT64_FORMAT,
        kind, sent1, sent2, recv1, recv2);
    /* Audio is 50 packets/s; video at least a packet a frame. */
    fail_unless (dsent >= (i ? 20 : 40), "%s: %" G_GINT64_FORMAT " sent", kind,
        dsent);
    fail_unless (ABS (dsent - drecv) <= 5 + dsent / 10,
        "%s: %" G_GINT64_FORMAT " sent, %" G_GINT64_FORMAT " received", kind,
        dsent, drecv);
    /* Never more received than sent. */
    fail_unless (
        recv2 <= u64 (stream_of (ra3, GST_RTC_STATS_OUTBOUND_RTP, kind),
                     "packets-sent")
            + 5);
  }
  {
    GPtrArray *t1 = entries (ra2, GST_RTC_STATS_TRANSPORT);
    GPtrArray *t2 = entries (ra3, GST_RTC_STATS_TRANSPORT);

    fail_unless (u64 (g_ptr_array_index (t2, 0), "bytes-sent")
        > u64 (g_ptr_array_index (t1, 0), "bytes-sent"));
    g_ptr_array_unref (t1);
    g_ptr_array_unref (t2);
  }

  gst_structure_free (ra);
  gst_structure_free (rb);
  gst_structure_free (ra2);
  gst_structure_free (rb2);
  gst_structure_free (ra3);
  call_stop (&call);
}

GST_END_TEST;

/* The kind a pad carries, from its caps. */
static const gchar *
pad_kind (GstPad *pad)
{
  GstCaps *caps = gst_pad_get_current_caps (pad);
  const gchar *kind = NULL;

  if (!caps)
    caps = gst_pad_query_caps (pad, NULL);

  if (!gst_caps_is_empty (caps) && !gst_caps_is_any (caps))
    kind
        = g_strcmp0 (gst_structure_get_string (gst_caps_get_structure (caps, 0),
                         "media"),
              "audio")
            == 0
        ? "audio"
        : "video";
  gst_caps_unref (caps);
  fail_unless (kind != NULL);
  return kind;
}

/* @bin's src pad of @kind. */
static GstPad *
src_pad_of_kind (GstElement *bin, const gchar *kind)
{
  GstIterator *it = gst_element_iterate_src_pads (bin);
  GValue item = G_VALUE_INIT;
  GstPad *found = NULL;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstPad *pad = g_value_get_object (&item);

    if (!found && g_str_equal (pad_kind (pad), kind))
      found = gst_object_ref (pad);
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  fail_unless (found != NULL, "no %s src pad", kind);
  return found;
}

/* Only the pad's own stream, and what it refers to. */
static void
check_filtered (GstElement *bin, GstPad *pad, GstRtcStatsType type,
    const gchar *kind)
{
  GstStructure *report = rtcbin_test_get_stats (bin, pad);
  GPtrArray *arr = entries (report, type);
  const GstStructure *s;

  check_consistent (report);
  fail_unless_equals_int (arr->len, 1);
  s = g_ptr_array_index (arr, 0);
  fail_unless_equals_string (gst_structure_get_string (s, "kind"), kind);
  fail_unless_equals_int (count (report, GST_RTC_STATS_CODEC), 1);
  linked (report, s, "codec-id", GST_RTC_STATS_CODEC);
  fail_unless_equals_int (count (report, GST_RTC_STATS_TRANSPORT), 1);
  fail_unless_equals_int (count (report,
                              type == GST_RTC_STATS_OUTBOUND_RTP
                                  ? GST_RTC_STATS_INBOUND_RTP
                                  : GST_RTC_STATS_OUTBOUND_RTP),
      0);
  fail_unless_equals_int (count (report,
                              type == GST_RTC_STATS_OUTBOUND_RTP
                                  ? GST_RTC_STATS_REMOTE_OUTBOUND_RTP
                                  : GST_RTC_STATS_REMOTE_INBOUND_RTP),
      0);
  g_ptr_array_unref (arr);
  gst_structure_free (report);
}

GST_START_TEST (test_call_filtered_by_pad)
{
  Call call = { 0 };
  GstPad *pad;
  GstIterator *it;
  GValue item = G_VALUE_INIT;
  guint sinks = 0, srcs = 0;
  GstPromise *promise;
  const GstStructure *reply;
  GError *error = NULL;
  GstElement *other;

  call_start (&call);
  /* a's two sink pads, each its own outbound stream. */
  it = gst_element_iterate_sink_pads (call.a);
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    pad = g_value_get_object (&item);
    check_filtered (call.a, pad, GST_RTC_STATS_OUTBOUND_RTP, pad_kind (pad));
    sinks++;
    g_value_reset (&item);
  }
  gst_iterator_free (it);
  fail_unless_equals_int (sinks, 2);
  /* b's src pads, each its inbound stream. */
  it = gst_element_iterate_src_pads (call.b);
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    pad = g_value_get_object (&item);
    check_filtered (call.b, pad, GST_RTC_STATS_INBOUND_RTP, pad_kind (pad));
    srcs++;
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  fail_unless_equals_int (srcs, 2);

  /* Another element's pad is refused, the promise still answered. */
  other = gst_element_factory_make ("identity", NULL);
  pad = gst_element_get_static_pad (other, "sink");
  promise = gst_promise_new ();
  g_signal_emit_by_name (call.a, "get-stats", pad, promise);
  reply = rtcbin_test_await (promise);
  fail_unless (reply != NULL);
  fail_unless (gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL));
  fail_unless (
      g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR));
  g_error_free (error);
  gst_promise_unref (promise);
  gst_object_unref (pad);
  gst_object_unref (other);
  call_stop (&call);
}

GST_END_TEST;

static guint
uint_of (const GstStructure *s, const gchar *field)
{
  guint v = 0;

  fail_unless (gst_structure_get_uint (s, field, &v), "%s has no %s",
      gst_structure_get_string (s, "id"), field);
  return v;
}

/* Lost video packets are NACKed and resent, a key unit request on the
 * receiver becomes a PLI: both ends count them. */
GST_START_TEST (test_feedback_counters)
{
  Call call = { 0 };
  GstElement *rtpbin;
  GstPad *pad, *src;
  gint dropped = 0;
  GstStructure *ra = NULL, *rb = NULL;
  const GstStructure *out = NULL, *in = NULL;
  guint step;

  call_start (&call);
  /* First key unit requests: without all-headers rtpbin asks with a PLI
   * (repeated, as rtpbin holds back requests close to an earlier one).
   * Then losses. */
  src = src_pad_of_kind (call.b, "video");
  for (step = 0; step < 2; step++) {
    gint64 end = g_get_monotonic_time () + RTC_TEST_MS (15000) * 1000;
    gboolean done = FALSE;

    if (step == 1) {
      rtpbin = gst_bin_get_by_name (GST_BIN (call.a), "rtpbin");
      pad = gst_element_get_static_pad (rtpbin, "send_rtp_src_0");
      gst_pad_add_probe (pad,
          GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
          rtcbin_test_lose_probe, &dropped, NULL);
      gst_object_unref (pad);
      gst_object_unref (rtpbin);
    }
    while (!done && g_get_monotonic_time () < end) {
      if (ra) {
        gst_structure_free (ra);
        gst_structure_free (rb);
        g_usleep (200000);
      }
      if (step == 0)
        gst_pad_send_event (src,
            gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM,
                gst_structure_new ("GstForceKeyUnit", "all-headers",
                    G_TYPE_BOOLEAN, FALSE, NULL)));
      ra = rtcbin_test_get_stats (call.a, NULL);
      rb = rtcbin_test_get_stats (call.b, NULL);
      out = stream_of (ra, GST_RTC_STATS_OUTBOUND_RTP, "video");
      in = stream_of (rb, GST_RTC_STATS_INBOUND_RTP, "video");
      if (step == 0)
        done = out && in && uint_of (out, "pli-count") >= 1
            && uint_of (in, "pli-count") >= 1;
      else
        done = out && in && g_atomic_int_get (&dropped) >= 3
            && uint_of (out, "nack-count") >= 3
            && uint_of (in, "nack-count") >= 3
            && gst_structure_has_field (out, "retransmitted-packets-sent")
            && u64 (out, "retransmitted-packets-sent") >= 3;
    }
    if (!done) {
      gchar *a = out ? gst_structure_to_string (out) : NULL;
      gchar *b = in ? gst_structure_to_string (in) : NULL;

      fail ("feedback not counted (step %u): a %s, b %s", step, a, b);
    }
  }
  gst_object_unref (src);
  fail_unless (g_atomic_int_get (&dropped) >= 3);
  /* The NACKs are rtcbin's own: rtpbin's session holds and sends none,
   * as it drops its lock while walking its SSRCs to schedule them
   * (rtcbinnack.h). */
  {
    GstStructure *rtpsource = NULL;

    fail_unless (gst_structure_get (in, "gst-rtpsource-stats",
        GST_TYPE_STRUCTURE, &rtpsource, NULL));
    fail_unless_equals_int (uint_of (rtpsource, "sent-nack-count"), 0);
    gst_structure_free (rtpsource);
  }
  /* The RTX SSRC is named; audio had no feedback. */
  fail_unless (uint_of (out, "rtx-ssrc") != 0);
  fail_unless (uint_of (out, "rtx-ssrc") != ssrc_of (out));
  out = stream_of (ra, GST_RTC_STATS_OUTBOUND_RTP, "audio");
  fail_unless_equals_int (uint_of (out, "nack-count"), 0);
  fail_unless_equals_int (uint_of (out, "pli-count"), 0);
  fail_unless_equals_int (uint_of (out, "fir-count"), 0);
  fail_if (gst_structure_has_field (out, "rtx-ssrc"));
  gst_structure_free (ra);
  gst_structure_free (rb);
  call_stop (&call);
}

GST_END_TEST;

/* The clock rates the session had for the SSRCs of @report's
 * outbound-rtp entries at their first packets: known (> 0). */
static void
check_sender_rates (Call *call, const GstStructure *report, guint n)
{
  GPtrArray *arr = entries (report, GST_RTC_STATS_OUTBOUND_RTP);
  guint i;

  fail_unless_equals_int (arr->len, n);
  for (i = 0; i < arr->len; i++) {
    guint ssrc = ssrc_of (g_ptr_array_index (arr, i));
    gpointer rate;

    g_mutex_lock (&call->lock);
    fail_unless (g_hash_table_lookup_extended (call->sender_rates,
                     GUINT_TO_POINTER (ssrc), NULL, &rate),
        "no source made for SSRC %08x", ssrc);
    g_mutex_unlock (&call->lock);
    fail_unless (GPOINTER_TO_INT (rate) > 0,
        "SSRC %08x: no clock rate at its first packet", ssrc);
  }
  g_ptr_array_unref (arr);
}

/* rtpbin's session knows each of our sending SSRCs with its clock rate
 * from the start, so it does not ask for it while writing the SSRC's
 * first sender report, its lock dropped inside a walk over its SSRCs
 * (docs/architecture.md, SSRC table walks). */
GST_START_TEST (test_sending_ssrcs_known)
{
  Call call = { 0 };
  GstStructure *ra, *rb;

  call_start (&call);
  ra = rtcbin_test_get_stats (call.a, NULL);
  rb = rtcbin_test_get_stats (call.b, NULL);
  check_sender_rates (&call, ra, 2);
  check_sender_rates (&call, rb, 1);
  gst_structure_free (ra);
  gst_structure_free (rb);
  call_stop (&call);
}

GST_END_TEST;

/* Reports queued when the element goes are each answered once: with a
 * report if they ran before, else with a "closed" error. */
GST_START_TEST (test_answered_on_dispose)
{
  GstElement *bin = gst_element_factory_make ("rtcbin", NULL);
  GstPromise *promises[16];
  guint i, reports = 0, closed = 0;

  for (i = 0; i < G_N_ELEMENTS (promises); i++) {
    promises[i] = gst_promise_new ();
    g_signal_emit_by_name (bin, "get-stats", NULL, promises[i]);
  }
  gst_object_unref (bin);
  for (i = 0; i < G_N_ELEMENTS (promises); i++) {
    const GstStructure *reply = rtcbin_test_await (promises[i]);
    GError *error = NULL;

    fail_unless (reply != NULL);
    if (gst_structure_has_field (reply, "peer-connection")) {
      fail_unless_equals_int (closed, 0);
      reports++;
    } else {
      fail_unless (
          gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL));
      fail_unless (
          g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE));
      g_error_free (error);
      closed++;
    }
    gst_promise_unref (promises[i]);
  }
  fail_unless_equals_int (reports + closed, G_N_ELEMENTS (promises));
}

GST_END_TEST;

static Suite *
rtcbin_stats_suite (void)
{
  Suite *s = suite_create ("rtcbin-stats");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_before_negotiation);
  tcase_add_test (tc, test_call_report);
  tcase_add_test (tc, test_call_filtered_by_pad);
  tcase_add_test (tc, test_feedback_counters);
  tcase_add_test (tc, test_sending_ssrcs_known);
  tcase_add_test (tc, test_answered_on_dispose);
  return s;
}

RTC_CHECK_MAIN (rtcbin_stats);
