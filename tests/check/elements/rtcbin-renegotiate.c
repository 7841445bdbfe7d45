/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Renegotiation between two rtcbins mid-call, pipelines never restarted:
 * a video track added by either side (a new m-line on the same transport,
 * a new src pad decoded on the other side); a transceiver stopped (port 0,
 * its src pad and rtpbin streams gone on the receiver, stopped on both
 * sides) and its m-line reused by the next one; every direction
 * transition with media following; the sending codec switched within the
 * negotiated set without an exchange; on-negotiation-needed counted
 * exactly throughout.
 */
#include <gst/rtp/rtp.h>
#include <stdio.h>

#include "../common/rtcbintest.h"
#include "../common/rtccheckmain.h"

#define OPUS_SEND "audiotestsrc is-live=true ! opusenc ! rtpopuspay ! "

#define VP8_BRANCH \
  "videotestsrc is-live=true ! video/x-raw,width=160,height=120," \
  "framerate=30/1 ! vp8enc deadline=1 keyframe-max-dist=10 ! rtpvp8pay"

typedef struct {
  GstElement *pipeline, *bin;
  RtcBinTestCounts counts;
  gint needed;
  gint new_transceivers;
  gint pads_removed;
} Side;

typedef struct {
  Side a, b;
} Call;

static void
on_pad_removed (GstElement *bin, GstPad *pad, Side *side)
{
  if (GST_PAD_DIRECTION (pad) == GST_PAD_SRC)
    g_atomic_int_inc (&side->pads_removed);
}

static void
on_new_transceiver (GstElement *bin, GstRtcRtpTransceiver *trans, Side *side)
{
  g_atomic_int_inc (&side->new_transceivers);
}

/* @name's rtcbin, at the end of @launch (may be only "rtcbin name=x"). */
static void
side_init (Side *side, const gchar *launch, const gchar *name)
{
  GError *error = NULL;

  side->pipeline = gst_parse_launch (launch, &error);
  fail_unless (side->pipeline != NULL, "%s", error ? error->message : "");
  if (!GST_IS_PIPELINE (side->pipeline)) {
    GstElement *p = gst_pipeline_new (NULL);

    gst_bin_add (GST_BIN (p), side->pipeline);
    side->pipeline = p;
  }
  side->bin = gst_bin_get_by_name (GST_BIN (side->pipeline), name);
  fail_unless (side->bin != NULL);
  rtcbin_test_restrict (side->bin);
  side->counts.pipeline = side->pipeline;
  g_signal_connect (side->bin, "pad-added", G_CALLBACK (rtcbin_test_decode_pad),
      &side->counts);
  g_signal_connect (side->bin, "pad-removed", G_CALLBACK (on_pad_removed),
      side);
  g_signal_connect (side->bin, "on-negotiation-needed",
      G_CALLBACK (rtcbin_test_count_signal), &side->needed);
  g_signal_connect (side->bin, "on-new-transceiver",
      G_CALLBACK (on_new_transceiver), side);
}

static void
call_init (Call *call, const gchar *a_launch, const gchar *b_launch)
{
  side_init (&call->a, a_launch, "a");
  side_init (&call->b, b_launch, "b");
  rtcbin_test_trickle (call->a.bin, call->b.bin);
  gst_element_set_state (call->a.pipeline, GST_STATE_PLAYING);
  gst_element_set_state (call->b.pipeline, GST_STATE_PLAYING);
}

static void
side_clear (Side *side)
{
  gst_element_set_state (side->pipeline, GST_STATE_NULL);
  fail_unless_equals_int (g_atomic_int_get (&side->counts.link_failures), 0);
  gst_object_unref (side->bin);
  gst_object_unref (side->pipeline);
}

static void
call_clear (Call *call)
{
  side_clear (&call->a);
  side_clear (&call->b);
}

/* Every operation queued on both sides (negotiation-needed checks
 * included) has run. */
static void
call_flush (Call *call)
{
  rtcbin_test_flush (call->a.bin);
  rtcbin_test_flush (call->b.bin);
  rtcbin_test_flush (call->a.bin);
  rtcbin_test_flush (call->b.bin);
}

/* on-negotiation-needed fired exactly @a times on a and @b on b. */
static void
check_needed (Call *call, gint a, gint b)
{
  call_flush (call);
  fail_unless_equals_int (g_atomic_int_get (&call->a.needed), a);
  fail_unless_equals_int (g_atomic_int_get (&call->b.needed), b);
}

/* A VP8 sender added to @side's running pipeline on a new sink pad. */
static GstPad *
add_video (Side *side)
{
  GError *error = NULL;
  GstElement *branch = gst_parse_bin_from_description (VP8_BRANCH, TRUE,
      &error);
  GstPad *sink, *src;

  fail_unless (branch != NULL, "%s", error ? error->message : "");
  gst_bin_add (GST_BIN (side->pipeline), branch);
  sink = gst_element_request_pad_simple (side->bin, "sink_%u");
  fail_unless (sink != NULL);
  src = gst_element_get_static_pad (branch, "src");
  fail_unless_equals_int (gst_pad_link (src, sink), GST_PAD_LINK_OK);
  gst_object_unref (src);
  fail_unless (gst_element_sync_state_with_parent (branch));
  return sink;
}

/* The src pad rtcbin made for @mline, if any. */
static gboolean
has_src_pad (GstElement *bin, guint mline)
{
  gchar *name = g_strdup_printf ("src_%u", mline);
  GstPad *pad = gst_element_get_static_pad (bin, name);

  g_free (name);
  if (pad)
    gst_object_unref (pad);
  return pad != NULL;
}

/* How many SSRC streams rtpbin of @bin hands out. */
static guint
rtpbin_streams (GstElement *bin)
{
  GstElement *rtpbin = gst_bin_get_by_name (GST_BIN (bin), "rtpbin");
  GstIterator *it;
  GValue item = G_VALUE_INIT;
  guint n = 0;

  fail_unless (rtpbin != NULL);
  it = gst_element_iterate_src_pads (rtpbin);
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    if (g_str_has_prefix (GST_PAD_NAME (g_value_get_object (&item)),
            "recv_rtp_src_"))
      n++;
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  gst_object_unref (rtpbin);
  return n;
}

static const gchar *
mid_of (const GstSDPMessage *sdp, guint idx)
{
  return gst_sdp_media_get_attribute_val (gst_sdp_message_get_media (sdp, idx),
      "mid");
}

/* Whether the BUNDLE group of @sdp names @mid. */
static gboolean
bundles (const GstSDPMessage *sdp, const gchar *mid)
{
  const gchar *group = gst_sdp_message_get_attribute_val (sdp, "group");
  gchar **tags;
  gboolean found;

  if (!group || !g_str_has_prefix (group, "BUNDLE "))
    return FALSE;
  tags = g_strsplit (group + 7, " ", -1);
  found = g_strv_contains ((const gchar *const *)tags, mid);
  g_strfreev (tags);
  return found;
}

/* RTP packets of one SSRC in a probed buffer or list. */
typedef struct {
  guint32 ssrc;
  gint n;
} SsrcPackets;

static gboolean
count_ssrc_packet (GstBuffer **buf, guint idx, gpointer user_data)
{
  SsrcPackets *p = user_data;
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;

  if (gst_rtp_buffer_map (*buf, GST_MAP_READ, &rtp)) {
    if (gst_rtp_buffer_get_ssrc (&rtp) == p->ssrc)
      p->n++;
    gst_rtp_buffer_unmap (&rtp);
  }
  return TRUE;
}

static gint
packets_of_ssrc (GstPadProbeInfo *info, guint32 ssrc)
{
  SsrcPackets p = { ssrc, 0 };
  GstBuffer *buf;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    buf = GST_PAD_PROBE_INFO_BUFFER (info);
    count_ssrc_packet (&buf, 0, &p);
  } else {
    gst_buffer_list_foreach (GST_PAD_PROBE_INFO_BUFFER_LIST (info),
        count_ssrc_packet, &p);
  }
  return p.n;
}

/* Packets a sends with one SSRC, counted where rtpbin hands them to
 * the transport. */
typedef struct {
  guint32 ssrc;
  gint sent;
} SentCount;

static GstPadProbeReturn
count_sent_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  SentCount *c = user_data;

  g_atomic_int_add (&c->sent, packets_of_ssrc (info, c->ssrc));
  return GST_PAD_PROBE_OK;
}

static void
watch_sent (GstElement *bin, SentCount *c)
{
  GstElement *rtpbin = gst_bin_get_by_name (GST_BIN (bin), "rtpbin");
  GstPad *pad;

  fail_unless (rtpbin != NULL);
  pad = gst_element_get_static_pad (rtpbin, "send_rtp_src_0");
  fail_unless (pad != NULL);
  gst_pad_add_probe (pad,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
      count_sent_probe, c, NULL);
  gst_object_unref (pad);
  gst_object_unref (rtpbin);
}

/* The first a=ssrc of m-line @idx. */
static guint32
ssrc_of (const GstSDPMessage *sdp, guint idx)
{
  const gchar *v
      = gst_sdp_media_get_attribute_val (gst_sdp_message_get_media (sdp, idx),
          "ssrc");

  fail_unless (v != NULL);
  return (guint32)g_ascii_strtoull (v, NULL, 10);
}

/* @value stood still for @quiet_ms (scaled), within @max_ms (scaled).
 * What was sent before a change may still be draining then: under
 * valgrind on a loaded machine a stream runs seconds behind. */
static gboolean
wait_quiet (gint *value, guint64 quiet_ms, guint64 max_ms)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (max_ms) * 1000;
  gint before;

  do {
    before = g_atomic_int_get (value);
    g_usleep (RTC_TEST_MS (quiet_ms) * 1000);
    if (g_atomic_int_get (value) == before)
      return TRUE;
  } while (g_get_monotonic_time () < end);
  return FALSE;
}

/* Nothing more comes out of @value once what was in flight drained. */
static void
check_silent (gint *value, const gchar *what)
{
  gint before;

  fail_unless (wait_quiet (value, 500, 10000), "%s still flowing: %d", what,
      g_atomic_int_get (value));
  before = g_atomic_int_get (value);
  g_usleep (RTC_TEST_MS (500) * 1000);
  fail_unless (g_atomic_int_get (value) == before,
      "%s still flowing: %d then %d", what, before, g_atomic_int_get (value));
}

/* Either side adds a video track mid-call: one negotiation-needed, a new
 * m-line in the offer bundled with the first, a new transceiver and src
 * pad on the other side, decoded there. */
GST_START_TEST (test_add_video_each_side)
{
  Call call = { { 0 } };
  GstSDPMessage *offer = NULL;
  GstPad *va, *vb;

  call_init (&call, OPUS_SEND "rtcbin name=a", "rtcbin name=b");
  fail_unless (rtcbin_test_wait_transceivers (call.a.bin, 1, 5000));
  rtcbin_test_negotiate (call.a.bin, call.b.bin);
  fail_unless (rtcbin_test_wait_int (&call.b.counts.audio, 10, 10000));
  check_needed (&call, 1, 0);
  fail_unless_equals_int (g_atomic_int_get (&call.b.new_transceivers), 1);

  /* a adds video. */
  va = add_video (&call.a);
  fail_unless (rtcbin_test_wait_int (&call.a.needed, 2, 5000));
  rtcbin_test_negotiate_sdp (call.a.bin, call.b.bin, &offer);
  fail_unless_equals_int (gst_sdp_message_medias_len (offer), 2);
  fail_unless_equals_string (gst_sdp_media_get_media (
                                 gst_sdp_message_get_media (offer, 1)),
      "video");
  fail_unless (bundles (offer, mid_of (offer, 0)));
  fail_unless (bundles (offer, mid_of (offer, 1)));
  gst_sdp_message_free (offer);
  fail_unless_equals_int (g_atomic_int_get (&call.b.new_transceivers), 2);
  fail_unless (rtcbin_test_wait_int (&call.b.counts.video, 10, 10000),
      "b decoded %d video frames", call.b.counts.video);
  fail_unless (has_src_pad (call.b.bin, 1));
  fail_unless_equals_int (g_atomic_int_get (&call.b.counts.pads), 2);
  check_needed (&call, 2, 0);

  /* b adds video: b offers a third m-line, a decodes it. */
  vb = add_video (&call.b);
  fail_unless (rtcbin_test_wait_int (&call.b.needed, 1, 5000));
  rtcbin_test_negotiate_sdp (call.b.bin, call.a.bin, &offer);
  fail_unless_equals_int (gst_sdp_message_medias_len (offer), 3);
  fail_unless (bundles (offer, mid_of (offer, 2)));
  gst_sdp_message_free (offer);
  fail_unless_equals_int (g_atomic_int_get (&call.a.new_transceivers), 3);
  fail_unless (rtcbin_test_wait_int (&call.a.counts.video, 10, 10000),
      "a decoded %d video frames", call.a.counts.video);
  fail_unless (has_src_pad (call.a.bin, 2));
  /* Media of the earlier m-lines kept flowing. */
  fail_unless (rtcbin_test_wait_int (&call.b.counts.video,
      g_atomic_int_get (&call.b.counts.video) + 10, 10000));
  check_needed (&call, 2, 1);
  fail_unless_equals_int (g_atomic_int_get (&call.a.pads_removed), 0);
  fail_unless_equals_int (g_atomic_int_get (&call.b.pads_removed), 0);

  gst_object_unref (va);
  gst_object_unref (vb);
  call_clear (&call);
}

GST_END_TEST;

/* a sends Opus and VP8 (its sink pad in @video), b receives, negotiated
 * by a; returns the SSRC a sends VP8 with. */
static guint32
call_start_audio_video (Call *call, GstPad **video)
{
  GstSDPMessage *offer = NULL;
  guint32 ssrc;

  call_init (call, OPUS_SEND "rtcbin name=a", "rtcbin name=b");
  fail_unless (rtcbin_test_wait_transceivers (call->a.bin, 1, 5000));
  *video = add_video (&call->a);
  fail_unless (rtcbin_test_wait_transceivers (call->a.bin, 2, 5000));
  rtcbin_test_negotiate_sdp (call->a.bin, call->b.bin, &offer);
  ssrc = ssrc_of (offer, 1);
  gst_sdp_message_free (offer);
  return ssrc;
}

/* A stopped transceiver: one negotiation-needed, port 0 in the offer, the
 * receiver's src pad and rtpbin streams gone, stopped on both sides, no
 * more media; the next transceiver reuses the m-line and is decoded. Then
 * the receiving side stops the new one. */
GST_START_TEST (test_stop_and_recycle)
{
  Call call = { { 0 } };
  GstSDPMessage *offer = NULL;
  GstRtcRtpTransceiver *ta, *ta2, *tb;
  SentCount sent = { 0 };
  GstPad *v1, *v2;
  gchar *old_mid, *mid = NULL;
  gboolean stopped = FALSE;
  gint video;

  sent.ssrc = call_start_audio_video (&call, &v1);
  watch_sent (call.a.bin, &sent);
  fail_unless (rtcbin_test_wait_int (&call.b.counts.video, 10, 10000));
  fail_unless (rtcbin_test_wait_int (&call.b.counts.audio, 10, 10000));
  fail_unless (rtcbin_test_wait_int (&sent.sent, 10, 5000));
  check_needed (&call, 1, 0);
  fail_unless_equals_int (rtpbin_streams (call.b.bin), 2);

  ta = rtcbin_test_get_transceiver (call.a.bin, 1);
  tb = rtcbin_test_get_transceiver (call.b.bin, 1);
  old_mid = gst_rtc_rtp_transceiver_get_mid (ta);
  g_signal_emit_by_name (ta, "stop");
  fail_unless (gst_rtc_rtp_transceiver_is_stopping (ta));
  fail_if (gst_rtc_rtp_transceiver_is_stopped (ta));
  check_needed (&call, 2, 0);
  rtcbin_test_negotiate_sdp (call.a.bin, call.b.bin, &offer);
  fail_unless_equals_int (gst_sdp_message_medias_len (offer), 2);
  fail_unless_equals_int (gst_sdp_media_get_port (
                              gst_sdp_message_get_media (offer, 1)),
      0);
  fail_unless_equals_string (mid_of (offer, 1), old_mid);
  fail_if (bundles (offer, old_mid));
  gst_sdp_message_free (offer);

  /* Both sides stopped, b's src pad and rtpbin stream gone. */
  fail_unless (gst_rtc_rtp_transceiver_is_stopped (ta));
  g_object_get (tb, "stopped", &stopped, "mid", &mid, NULL);
  fail_unless (stopped);
  fail_unless (mid == NULL);
  fail_unless_equals_int (g_atomic_int_get (&call.b.pads_removed), 1);
  fail_if (has_src_pad (call.b.bin, 1));
  fail_unless_equals_int (rtpbin_streams (call.b.bin), 1);
  check_silent (&call.b.counts.video, "stopped video");
  /* Its sink pad sends nothing (the payloader still runs). */
  check_silent (&sent.sent, "stopped sink pad");
  /* Audio goes on; a stopped transceiver asks for nothing more. */
  fail_unless (rtcbin_test_wait_int (&call.b.counts.audio,
      g_atomic_int_get (&call.b.counts.audio) + 10, 5000));
  check_needed (&call, 2, 0);
  fail_unless_equals_int (rtpbin_streams (call.b.bin), 1);

  /* A new video track reuses m-line 1 with a new mid. */
  v2 = add_video (&call.a);
  fail_unless (rtcbin_test_wait_int (&call.a.needed, 3, 5000));
  rtcbin_test_negotiate_sdp (call.a.bin, call.b.bin, &offer);
  fail_unless_equals_int (gst_sdp_message_medias_len (offer), 2);
  fail_unless (
      gst_sdp_media_get_port (gst_sdp_message_get_media (offer, 1)) != 0);
  fail_if (g_strcmp0 (mid_of (offer, 1), old_mid) == 0);
  fail_unless (bundles (offer, mid_of (offer, 1)));
  gst_sdp_message_free (offer);
  fail_unless_equals_int (rtcbin_test_n_transceivers (call.a.bin), 3);
  ta2 = rtcbin_test_get_transceiver (call.a.bin, 2);
  fail_unless_equals_int (gst_rtc_rtp_transceiver_get_mlineindex (ta2), 1);
  fail_unless_equals_int (gst_rtc_rtp_transceiver_get_mlineindex (ta),
      G_MAXUINT);
  video = g_atomic_int_get (&call.b.counts.video);
  fail_unless (rtcbin_test_wait_int (&call.b.counts.video, video + 10, 10000),
      "b decoded %d video frames after %d", call.b.counts.video, video);
  fail_unless (has_src_pad (call.b.bin, 1));
  fail_unless_equals_int (g_atomic_int_get (&call.b.counts.pads), 3);
  fail_unless_equals_int (rtpbin_streams (call.b.bin), 2);
  check_needed (&call, 3, 0);

  /* The receiver stops it now: b offers, both stop, b's pad goes. */
  g_free (mid);
  gst_object_unref (tb);
  fail_unless_equals_int (rtcbin_test_n_transceivers (call.b.bin), 3);
  tb = rtcbin_test_get_transceiver (call.b.bin, 2);
  fail_unless_equals_int (gst_rtc_rtp_transceiver_get_mlineindex (tb), 1);
  gst_rtc_rtp_transceiver_stop (tb);
  check_needed (&call, 3, 1);
  rtcbin_test_negotiate (call.b.bin, call.a.bin);
  fail_unless (gst_rtc_rtp_transceiver_is_stopped (tb));
  fail_unless (gst_rtc_rtp_transceiver_is_stopped (ta2));
  fail_unless_equals_int (g_atomic_int_get (&call.b.pads_removed), 2);
  fail_unless_equals_int (rtpbin_streams (call.b.bin), 1);
  check_silent (&call.b.counts.video, "video stopped by its receiver");
  check_needed (&call, 3, 1);

  g_free (old_mid);
  gst_object_unref (ta);
  gst_object_unref (ta2);
  gst_object_unref (tb);
  gst_object_unref (v1);
  gst_object_unref (v2);
  call_clear (&call);
}

GST_END_TEST;

/* Holds, once armed, the first RTP of one SSRC on its way into b's
 * rtpbin (the packet already classified under the tables of the moment)
 * for @hold_ms. */
typedef struct {
  guint32 ssrc;
  guint64 hold_ms;
  gint armed, held, released;
} HeldPacket;

static GstPadProbeReturn
hold_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  HeldPacket *h = user_data;

  if (g_atomic_int_get (&h->armed) && !g_atomic_int_get (&h->held)
      && packets_of_ssrc (info, h->ssrc) > 0) {
    g_atomic_int_set (&h->held, 1);
    g_usleep (h->hold_ms * 1000);
    g_atomic_int_set (&h->released, 1);
  }
  return GST_PAD_PROBE_OK;
}

/* A packet of a stream that a negotiation stops, accepted just before
 * and still on its way into rtpbin while the negotiation clears the
 * stream: it must not bring the stream back (an rtpbin stream and jitter
 * buffer for an m-line that no longer receives). */
GST_START_TEST (test_stop_with_packet_in_flight)
{
  Call call = { { 0 } };
  GstRtcRtpTransceiver *ta;
  HeldPacket held = { 0 };
  GstElement *rtpbin;
  GstPad *v, *recv;

  held.ssrc = call_start_audio_video (&call, &v);
  held.hold_ms = RTC_TEST_MS (1000);
  fail_unless (rtcbin_test_wait_int (&call.b.counts.video, 10, 10000));
  fail_unless_equals_int (rtpbin_streams (call.b.bin), 2);

  rtpbin = gst_bin_get_by_name (GST_BIN (call.b.bin), "rtpbin");
  recv = gst_element_get_static_pad (rtpbin, "recv_rtp_sink_0");
  fail_unless (recv != NULL);
  gst_pad_add_probe (recv,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, hold_probe,
      &held, NULL);
  g_atomic_int_set (&held.armed, 1);
  fail_unless (rtcbin_test_wait_int (&held.held, 1, 5000));

  ta = rtcbin_test_get_transceiver (call.a.bin, 1);
  gst_rtc_rtp_transceiver_stop (ta);
  rtcbin_test_negotiate (call.a.bin, call.b.bin);
  fail_unless (gst_rtc_rtp_transceiver_is_stopped (ta));
  fail_unless (rtcbin_test_wait_int (&held.released, 1, 5000));
  /* Whatever the held packet does, it has done it by now. */
  rtcbin_test_flush (call.b.bin);
  g_usleep (RTC_TEST_MS (200) * 1000);
  fail_unless_equals_int (rtpbin_streams (call.b.bin), 1);
  fail_unless_equals_int (g_atomic_int_get (&call.b.pads_removed), 1);
  fail_if (has_src_pad (call.b.bin, 1));
  check_silent (&call.b.counts.video, "stopped video");
  fail_unless (rtcbin_test_wait_int (&call.b.counts.audio,
      g_atomic_int_get (&call.b.counts.audio) + 10, 5000));

  gst_object_unref (recv);
  gst_object_unref (rtpbin);
  gst_object_unref (ta);
  gst_object_unref (v);
  call_clear (&call);
}

GST_END_TEST;

/* Every transition between the four directions (an Eulerian circuit of
 * the twelve), set on a's transceiver while both send Opus: one
 * negotiation-needed each, current-direction right on both sides, audio
 * flowing exactly the ways allowed. */
static const GstRtcRtpTransceiverDirection circuit[] = {
  GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV,
  GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY,
  GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY,
  GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE,
  GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV,
  GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY,
  GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY,
  GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE,
  GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY,
  GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV,
  GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE,
  GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY,
  GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV,
};

static GstRtcRtpTransceiverDirection
reversed (GstRtcRtpTransceiverDirection d)
{
  if (d == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY)
    return GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
  if (d == GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY)
    return GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY;
  return d;
}

GST_START_TEST (test_direction_transitions)
{
  Call call = { { 0 } };
  GstRtcRtpTransceiver *ta;
  guint i, j;
  gint needed_b;

  call_init (&call, OPUS_SEND "rtcbin name=a", OPUS_SEND "rtcbin name=b");
  /* b's sink pad made its transceiver: a's offer takes it. */
  fail_unless (rtcbin_test_wait_transceivers (call.a.bin, 1, 5000));
  fail_unless (rtcbin_test_wait_transceivers (call.b.bin, 1, 5000));
  rtcbin_test_negotiate (call.a.bin, call.b.bin);
  fail_unless_equals_int (rtcbin_test_n_transceivers (call.b.bin), 1);
  fail_unless (rtcbin_test_wait_int (&call.a.counts.audio, 10, 10000));
  fail_unless (rtcbin_test_wait_int (&call.b.counts.audio, 10, 10000));
  call_flush (&call);
  needed_b = g_atomic_int_get (&call.b.needed);
  check_needed (&call, 1, needed_b);
  ta = rtcbin_test_get_transceiver (call.a.bin, 0);

  for (i = 1; i < G_N_ELEMENTS (circuit); i++) {
    GstRtcRtpTransceiverDirection dir = circuit[i];
    gboolean a_sends = dir == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
        || dir == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY;
    gboolean a_receives = dir == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
        || dir == GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
    gint at_a, at_b;

    GST_INFO ("transition %u: %d → %d", i, circuit[i - 1], dir);
    g_object_set (ta, "direction", dir, NULL);
    check_needed (&call, 1 + i, needed_b);
    rtcbin_test_negotiate (call.a.bin, call.b.bin);
    fail_unless_equals_int (rtcbin_test_current_direction (call.a.bin, 0), dir);
    fail_unless_equals_int (rtcbin_test_current_direction (call.b.bin, 0),
        reversed (dir));
    /* What flows, then what does not: both checked in one window. */
    at_a = g_atomic_int_get (&call.a.counts.audio);
    at_b = g_atomic_int_get (&call.b.counts.audio);
    if (a_sends)
      fail_unless (rtcbin_test_wait_int (&call.b.counts.audio, at_b + 10, 5000),
          "transition %u: b decoded nothing", i);
    if (a_receives)
      fail_unless (rtcbin_test_wait_int (&call.a.counts.audio, at_a + 10, 5000),
          "transition %u: a decoded nothing", i);
    if (!a_sends || !a_receives) {
      gint before_a, before_b;

      fail_unless (a_sends || wait_quiet (&call.b.counts.audio, 500, 10000),
          "transition %u: a still sends", i);
      fail_unless (a_receives || wait_quiet (&call.a.counts.audio, 500, 10000),
          "transition %u: a still receives", i);
      before_a = g_atomic_int_get (&call.a.counts.audio);
      before_b = g_atomic_int_get (&call.b.counts.audio);
      g_usleep (RTC_TEST_MS (500) * 1000);
      if (!a_sends)
        fail_unless (g_atomic_int_get (&call.b.counts.audio) == before_b,
            "transition %u: a still sends", i);
      if (!a_receives)
        fail_unless (g_atomic_int_get (&call.a.counts.audio) == before_a,
            "transition %u: a still receives", i);
    }
    /* One src pad each way, ever. */
    fail_unless (g_atomic_int_get (&call.a.counts.pads) <= 1);
    fail_unless (g_atomic_int_get (&call.b.counts.pads) <= 1);
  }
  check_needed (&call, G_N_ELEMENTS (circuit), needed_b);
  for (j = 0; j < 2; j++)
    fail_unless_equals_int (g_atomic_int_get (j ? &call.b.pads_removed
                                                : &call.a.pads_removed),
        0);

  gst_object_unref (ta);
  call_clear (&call);
}

GST_END_TEST;

/* Codec switch: a's transceiver negotiated VP8 and VP9; its payloader
 * switches from VP8 to VP9 mid-call, no exchange; then VP9 alone is set
 * as codec preference, taken by the next exchange, after which VP8 is
 * refused. */
typedef struct {
  gint vp8, vp9;
  gint rtp; /* packets out of b's src pad */
  gint link_failures;
} Codecs;

static GstPadProbeReturn
count_rtp_probe (GstPad *pad, GstPadProbeInfo *info, gpointer count)
{
  g_atomic_int_inc ((gint *)count);
  return GST_PAD_PROBE_OK;
}

static void
on_codec_frame (GstElement *sink, GstBuffer *buf, GstPad *pad, gint *count)
{
  g_atomic_int_inc (count);
}

/* rtpptdemux new-payload-type: each payload type its own depayloader. */
static void
on_pt_pad (GstElement *demux, guint pt, GstPad *pad, Codecs *c)
{
  GstElement *pipeline = GST_ELEMENT (
      gst_object_get_parent (GST_OBJECT (demux)));
  GstCaps *caps = gst_pad_get_current_caps (pad);
  const gchar *name;
  gboolean vp9;
  GstElement *depay;

  if (!caps)
    caps = gst_pad_query_caps (pad, NULL);
  name = gst_structure_get_string (gst_caps_get_structure (caps, 0),
      "encoding-name");
  vp9 = g_strcmp0 (name, "VP9") == 0;
  gst_caps_unref (caps);
  depay = gst_element_factory_make (vp9 ? "rtpvp9depay" : "rtpvp8depay", NULL);
  g_object_set (depay, "wait-for-keyframe", TRUE, NULL);
  rtcbin_test_decode_chain (pipeline, pad, depay, vp9 ? "vp9dec" : "vp8dec",
      G_CALLBACK (on_codec_frame), vp9 ? &c->vp9 : &c->vp8, &c->link_failures);
  gst_object_unref (pipeline);
}

static void
on_video_pad (GstElement *bin, GstPad *pad, Codecs *c)
{
  GstElement *pipeline = GST_ELEMENT (gst_object_get_parent (GST_OBJECT (bin)));
  GstElement *demux = gst_element_factory_make ("rtpptdemux", NULL);
  GstPad *sinkpad = gst_element_get_static_pad (demux, "sink");

  g_signal_connect (demux, "new-payload-type", G_CALLBACK (on_pt_pad), c);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_rtp_probe, &c->rtp,
      NULL);
  gst_bin_add (GST_BIN (pipeline), demux);
  gst_element_sync_state_with_parent (demux);
  if (gst_pad_link (pad, sinkpad) != GST_PAD_LINK_OK)
    g_atomic_int_inc (&c->link_failures);
  gst_object_unref (sinkpad);
  gst_object_unref (pipeline);
}

/* The input-selector pad payloader @name feeds. */
static GstPad *
selector_pad (GstElement *pipeline, const gchar *name)
{
  GstElement *pay = gst_bin_get_by_name (GST_BIN (pipeline), name);
  GstPad *src = gst_element_get_static_pad (pay, "src");
  GstPad *peer = gst_pad_get_peer (src);

  fail_unless (peer != NULL);
  gst_object_unref (src);
  gst_object_unref (pay);
  return peer;
}

#define VIDEO_SRC \
  "videotestsrc is-live=true ! video/x-raw,width=160,height=120," \
  "framerate=30/1 ! "

GST_START_TEST (test_codec_switch)
{
  GstElement *pa, *pb, *a, *b, *sel;
  GstPad *vp8_pad, *vp9_pad;
  GstRtcRtpTransceiver *trans;
  Codecs c = { 0 };
  GError *error = NULL;
  GstSDPMessage *offer = NULL;
  const GstSDPMedia *m;
  GstCaps *caps;
  guint i;
  gint needed_a = 0, needed_b = 0, vp8, vp9, rtp;

  pa = gst_parse_launch ("input-selector name=sel sync-streams=false ! rtcbin "
                         "name=a " VIDEO_SRC
                         "vp8enc deadline=1 keyframe-max-dist=10 ! "
                         "rtpvp8pay name=vp8pay ! sel. " VIDEO_SRC
                         "vp9enc deadline=1 cpu-used=8 keyframe-max-dist=10 ! "
                         "rtpvp9pay name=vp9pay ! sel.",
      &error);
  fail_unless (pa != NULL, "%s", error ? error->message : "");
  pb = gst_pipeline_new (NULL);
  b = rtcbin_test_new ("b");
  gst_bin_add (GST_BIN (pb), b);
  a = gst_bin_get_by_name (GST_BIN (pa), "a");
  sel = gst_bin_get_by_name (GST_BIN (pa), "sel");
  /* VP8 first, not whichever branch pushes first. */
  vp8_pad = selector_pad (pa, "vp8pay");
  g_object_set (sel, "active-pad", vp8_pad, NULL);
  gst_object_unref (vp8_pad);
  rtcbin_test_restrict (a);
  rtcbin_test_trickle (a, b);
  g_signal_connect (b, "pad-added", G_CALLBACK (on_video_pad), &c);
  g_signal_connect (a, "on-negotiation-needed",
      G_CALLBACK (rtcbin_test_count_signal), &needed_a);
  g_signal_connect (b, "on-negotiation-needed",
      G_CALLBACK (rtcbin_test_count_signal), &needed_b);
  /* Both codecs negotiated; the sink pad takes this transceiver. */
  trans = rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY,
      "application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000;"
      "application/x-rtp,media=video,encoding-name=VP9,clock-rate=90000");
  gst_element_set_state (pb, GST_STATE_PLAYING);
  gst_element_set_state (pa, GST_STATE_PLAYING);
  rtcbin_test_negotiate_sdp (a, b, &offer);
  fail_unless_equals_int (gst_sdp_message_medias_len (offer), 1);
  gst_sdp_message_free (offer);
  fail_unless_equals_int (rtcbin_test_n_transceivers (a), 1);
  fail_unless (rtcbin_test_wait_int (&c.vp8, 10, 10000), "VP8: %d", c.vp8);
  fail_unless_equals_int (g_atomic_int_get (&c.vp9), 0);

  /* The VP9 payloader takes over: same SSRC and m-line, VP9's payload
   * type, no new exchange. */
  vp9_pad = selector_pad (pa, "vp9pay");
  g_object_set (sel, "active-pad", vp9_pad, NULL);
  gst_object_unref (vp9_pad);
  fail_unless (rtcbin_test_wait_int (&c.vp9, 10, 10000), "VP9: %d", c.vp9);
  vp8 = g_atomic_int_get (&c.vp8);
  g_usleep (RTC_TEST_MS (500) * 1000);
  fail_unless_equals_int (g_atomic_int_get (&c.vp8), vp8);
  rtcbin_test_flush (a);
  rtcbin_test_flush (b);
  fail_unless_equals_int (g_atomic_int_get (&needed_a), 1);
  fail_unless_equals_int (g_atomic_int_get (&needed_b), 0);
  fail_unless_equals_int (rtcbin_test_enum (a, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);
  fail_unless_equals_int (rtcbin_test_n_transceivers (a), 1);
  fail_unless_equals_int (g_atomic_int_get (&c.link_failures), 0);

  /* New codec preferences need no negotiation of their own; the next
   * offer has only VP9 (and its RTX), with the payload type it had. */
  caps = gst_caps_from_string (
      "application/x-rtp,media=video,encoding-name=VP9,clock-rate=90000");
  g_object_set (trans, "codec-preferences", caps, NULL);
  gst_caps_unref (caps);
  rtcbin_test_flush (a);
  fail_unless_equals_int (g_atomic_int_get (&needed_a), 1);
  rtcbin_test_negotiate_sdp (a, b, &offer);
  m = gst_sdp_message_get_media (offer, 0);
  for (i = 0; i < gst_sdp_media_attributes_len (m); i++) {
    const GstSDPAttribute *attr = gst_sdp_media_get_attribute (m, i);

    if (g_strcmp0 (attr->key, "rtpmap") == 0)
      fail_unless (strstr (attr->value, " VP9/")
              || strstr (attr->value, " rtx/"),
          "offered %s", attr->value);
  }
  fail_unless (strstr (gst_sdp_media_get_attribute_val (m, "rtpmap"), " VP9/"));
  gst_sdp_message_free (offer);
  vp9 = g_atomic_int_get (&c.vp9);
  fail_unless (rtcbin_test_wait_int (&c.vp9, vp9 + 10, 10000));

  /* Back to VP8, no longer negotiated: its packets are dropped, nothing
   * reaches b under any payload type. */
  vp8_pad = selector_pad (pa, "vp8pay");
  g_object_set (sel, "active-pad", vp8_pad, NULL);
  gst_object_unref (vp8_pad);
  fail_unless (wait_quiet (&c.rtp, 500, 10000), "RTP still reaching b: %d",
      g_atomic_int_get (&c.rtp));
  vp8 = g_atomic_int_get (&c.vp8);
  vp9 = g_atomic_int_get (&c.vp9);
  rtp = g_atomic_int_get (&c.rtp);
  g_usleep (RTC_TEST_MS (500) * 1000);
  fail_unless_equals_int (g_atomic_int_get (&c.rtp), rtp);
  fail_unless_equals_int (g_atomic_int_get (&c.vp8), vp8);
  fail_unless_equals_int (g_atomic_int_get (&c.vp9), vp9);

  gst_element_set_state (pa, GST_STATE_NULL);
  gst_element_set_state (pb, GST_STATE_NULL);
  gst_object_unref (trans);
  gst_object_unref (sel);
  gst_object_unref (a);
  gst_object_unref (pa);
  gst_object_unref (pb);
}

GST_END_TEST;

static Suite *
rtcbin_renegotiate_suite (void)
{
  Suite *s = suite_create ("rtcbin-renegotiate");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_add_video_each_side);
  tcase_add_test (tc, test_stop_and_recycle);
  tcase_add_test (tc, test_stop_with_packet_in_flight);
  tcase_add_test (tc, test_direction_transitions);
  tcase_add_test (tc, test_codec_switch);
  return s;
}

RTC_CHECK_MAIN (rtcbin_renegotiate);
