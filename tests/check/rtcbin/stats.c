/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcbin's stats report without a pipeline: RTCP reports and feedback
 * counted per SSRC (round trips from LSR/DLSR, sender reports' clock),
 * the bound on reported SSRCs, malformed RTCP ignored, certificate
 * fingerprints, candidate ids usable as field names, the entries made
 * from collected inputs, and the NACKs rtcbin writes itself.
 */
#include <gst/check/gstcheck.h>
#include <gst/rtp/rtp.h>
#include <string.h>

#include "../../../gst/webrtc/rtcbin/rtcbinnack.h"
#include "../../../gst/webrtc/rtcbin/rtcbinstats.h"
#include "rtcdtlscertificate.h"
#include "../common/rtccheckmain.h"

#define OURS 0x11111111u
#define THEIRS 0x22222222u
#define NTP_UNIX_OFFSET G_GUINT64_CONSTANT (2208988800)

/* 12:00:00.5 on some day, in µs since the Unix epoch. */
#define NOW_US (G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC + 500000)

static guint32
middle32 (gint64 us)
{
  guint64 secs = us / G_USEC_PER_SEC + NTP_UNIX_OFFSET;
  guint64 frac = ((guint64)(us % G_USEC_PER_SEC) << 32) / G_USEC_PER_SEC;

  return (guint32)(((secs & 0xffff) << 16) | (frac >> 16));
}

/* An SR from THEIRS (sent at @ntp_us) with one report block about
 * OURS whose LSR/DLSR put the round trip at @rtt_ms as seen at NOW_US. */
static GstBuffer *
make_sr (gint64 ntp_us, guint rtt_ms, gint32 lost)
{
  GstBuffer *buf = gst_rtcp_buffer_new (1400);
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;
  guint64 ntp = ((guint64)(ntp_us / G_USEC_PER_SEC) + NTP_UNIX_OFFSET) << 32;
  guint32 dlsr = 65536 / 10; /* held 100 ms */
  guint32 lsr = middle32 (NOW_US) - dlsr - rtt_ms * 65536 / 1000;

  ntp |= ((guint64)(ntp_us % G_USEC_PER_SEC) << 32) / G_USEC_PER_SEC;
  gst_rtcp_buffer_map (buf, GST_MAP_READWRITE, &rtcp);
  fail_unless (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_SR, &packet));
  gst_rtcp_packet_sr_set_sender_info (&packet, THEIRS, ntp, 1234, 500, 60000);
  fail_unless (
      gst_rtcp_packet_add_rb (&packet, OURS, 64, lost, 1000, 900, lsr, dlsr));
  gst_rtcp_buffer_unmap (&rtcp);
  return buf;
}

static GstBuffer *
make_feedback (GstRTCPType type, GstRTCPFBType fb, guint32 media)
{
  GstBuffer *buf = gst_rtcp_buffer_new (1400);
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;

  gst_rtcp_buffer_map (buf, GST_MAP_READWRITE, &rtcp);
  /* A compound packet starts with a report. */
  fail_unless (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_RR, &packet));
  gst_rtcp_packet_rr_set_ssrc (&packet, THEIRS);
  fail_unless (gst_rtcp_buffer_add_packet (&rtcp, type, &packet));
  gst_rtcp_packet_fb_set_type (&packet, fb);
  gst_rtcp_packet_fb_set_sender_ssrc (&packet, THEIRS);
  if (fb == GST_RTCP_PSFB_TYPE_FIR) {
    guint8 *fci;

    gst_rtcp_packet_fb_set_media_ssrc (&packet, 0);
    fail_unless (gst_rtcp_packet_fb_set_fci_length (&packet, 2));
    fci = gst_rtcp_packet_fb_get_fci (&packet);
    GST_WRITE_UINT32_BE (fci, media);
    GST_WRITE_UINT32_BE (fci + 4, 1 << 24);
  } else {
    gst_rtcp_packet_fb_set_media_ssrc (&packet, media);
    if (fb == GST_RTCP_RTPFB_TYPE_NACK) {
      fail_unless (gst_rtcp_packet_fb_set_fci_length (&packet, 1));
      GST_WRITE_UINT32_BE (gst_rtcp_packet_fb_get_fci (&packet), 100 << 16);
    }
  }
  gst_rtcp_buffer_unmap (&rtcp);
  return buf;
}

static GstCaps *
opus_caps (void)
{
  return gst_caps_from_string ("application/x-rtp, media=audio, "
                               "encoding-name=OPUS, clock-rate=48000, "
                               "encoding-params=(string)2, payload=111, "
                               "minptime=(string)10, useinbandfec=(string)1");
}

/* A report with one outbound stream (OURS) and one inbound (THEIRS). */
static GstStructure *
build (RtcBinReports *reports, const GstCaps *codec)
{
  RtcBinStatsStream streams[2] = { { 0 } };
  RtcBinStatsInput in = { 0 };

  streams[0].ssrc = OURS;
  streams[0].outbound = TRUE;
  streams[0].pt = 111;
  streams[0].kind = "audio";
  streams[0].mid = "0";
  streams[0].codec = codec;
  streams[1] = streams[0];
  streams[1].ssrc = THEIRS;
  streams[1].outbound = FALSE;
  in.timestamp = NOW_US / 1000.0;
  in.has_transport = TRUE;
  in.streams = streams;
  in.n_streams = 2;
  in.reports = reports;
  return rtc_bin_stats_build (&in);
}

static const GstStructure *
entry (const GstStructure *report, const gchar *id)
{
  const GValue *v = gst_structure_get_value (report, id);

  fail_unless (v != NULL, "no %s", id);
  return gst_value_get_structure (v);
}

static gdouble
dbl (const GstStructure *s, const gchar *field)
{
  gdouble v = -1;

  fail_unless (gst_structure_get_double (s, field, &v), "no %s", field);
  return v;
}

static guint64
u64 (const GstStructure *s, const gchar *field)
{
  guint64 v = 0;

  fail_unless (gst_structure_get_uint64 (s, field, &v), "no %s", field);
  return v;
}

static guint
uint_of (const GstStructure *s, const gchar *field)
{
  guint v = 0;

  fail_unless (gst_structure_get_uint (s, field, &v), "no %s", field);
  return v;
}

GST_START_TEST (test_reports)
{
  RtcBinReports *reports = rtc_bin_reports_new ();
  GstCaps *codec = opus_caps ();
  GstStructure *report;
  const GstStructure *s;
  GstBuffer *buf;
  gint64 lost = 0;

  /* No report yet: no remote entries, no links to them. */
  report = build (reports, codec);
  fail_if (gst_structure_has_field (report, "remote-inbound-rtp_286331153"));
  fail_if (gst_structure_has_field (entry (report, "outbound-rtp_286331153"),
      "remote-id"));
  gst_structure_free (report);

  buf = make_sr (NOW_US - 2 * G_USEC_PER_SEC, 250, -3);
  rtc_bin_reports_process (reports, buf, NOW_US);
  gst_buffer_unref (buf);
  buf = make_sr (NOW_US - G_USEC_PER_SEC, 150, 7);
  rtc_bin_reports_process (reports, buf, NOW_US);
  gst_buffer_unref (buf);
  report = build (reports, codec);

  /* What the peer received of ours. */
  s = entry (report, "remote-inbound-rtp_286331153");
  fail_unless_equals_string (gst_structure_get_name (s), "remote-inbound-rtp");
  fail_unless_equals_string (gst_structure_get_string (s, "local-id"),
      "outbound-rtp_286331153");
  fail_unless_equals_string (gst_structure_get_string (s, "codec-id"),
      "codec_111");
  fail_unless (fabs (dbl (s, "round-trip-time") - 0.150) < 0.001);
  fail_unless (fabs (dbl (s, "total-round-trip-time") - 0.400) < 0.002);
  fail_unless_equals_int (u64 (s, "round-trip-time-measurements"), 2);
  fail_unless_equals_int (u64 (s, "reports-received"), 2);
  fail_unless (gst_structure_get_int64 (s, "packets-lost", &lost));
  fail_unless_equals_int (lost, 7);
  fail_unless (fabs (dbl (s, "fraction-lost") - 0.25) < 1e-9);
  /* 900 at 48 kHz */
  fail_unless (fabs (dbl (s, "jitter") - 900.0 / 48000) < 1e-9);
  fail_unless (fabs (dbl (s, "timestamp") - NOW_US / 1000.0) < 0.001);
  fail_unless_equals_string (gst_structure_get_string (entry (report,
                                                           "outbound-rtp_"
                                                           "286331153"),
                                 "remote-id"),
      "remote-inbound-rtp_286331153");

  /* What the peer sent, by its clock. */
  s = entry (report, "remote-outbound-rtp_572662306");
  fail_unless_equals_string (gst_structure_get_string (s, "local-id"),
      "inbound-rtp_572662306");
  fail_unless_equals_int (u64 (s, "packets-sent"), 500);
  fail_unless_equals_int (u64 (s, "bytes-sent"), 60000);
  fail_unless_equals_int (u64 (s, "reports-sent"), 2);
  fail_unless (
      fabs (dbl (s, "remote-timestamp") - (NOW_US - G_USEC_PER_SEC) / 1000.0)
      < 0.01);

  /* The codec, W3C style. */
  s = entry (report, "codec_111");
  fail_unless_equals_string (gst_structure_get_string (s, "mime-type"),
      "audio/OPUS");
  fail_unless_equals_int (uint_of (s, "clock-rate"), 48000);
  fail_unless_equals_int (uint_of (s, "channels"), 2);
  fail_unless_equals_int (uint_of (s, "payload-type"), 111);
  fail_unless (
      strstr (gst_structure_get_string (s, "sdp-fmtp-line"), "useinbandfec=1")
      != NULL);
  gst_structure_free (report);
  gst_caps_unref (codec);
  rtc_bin_reports_free (reports);
}

GST_END_TEST;

GST_START_TEST (test_feedback)
{
  RtcBinReports *reports = rtc_bin_reports_new ();
  GstStructure *report;
  const GstStructure *s;
  GstBuffer *buf;
  guint i;

  for (i = 0; i < 3; i++) {
    buf = make_feedback (GST_RTCP_TYPE_RTPFB, GST_RTCP_RTPFB_TYPE_NACK, OURS);
    rtc_bin_reports_process (reports, buf, NOW_US);
    gst_buffer_unref (buf);
  }
  buf = make_feedback (GST_RTCP_TYPE_PSFB, GST_RTCP_PSFB_TYPE_PLI, OURS);
  rtc_bin_reports_process (reports, buf, NOW_US);
  gst_buffer_unref (buf);
  buf = make_feedback (GST_RTCP_TYPE_PSFB, GST_RTCP_PSFB_TYPE_FIR, OURS);
  rtc_bin_reports_process (reports, buf, NOW_US);
  gst_buffer_unref (buf);
  /* About another SSRC: not ours to count. */
  buf = make_feedback (GST_RTCP_TYPE_PSFB, GST_RTCP_PSFB_TYPE_PLI, 0x333);
  rtc_bin_reports_process (reports, buf, NOW_US);
  gst_buffer_unref (buf);

  report = build (reports, NULL);
  s = entry (report, "outbound-rtp_286331153");
  fail_unless_equals_int (uint_of (s, "nack-count"), 3);
  fail_unless_equals_int (uint_of (s, "pli-count"), 1);
  fail_unless_equals_int (uint_of (s, "fir-count"), 1);
  /* Feedback alone is no receiver report. */
  fail_if (gst_structure_has_field (report, "remote-inbound-rtp_286331153"));
  fail_if (gst_structure_has_field (s, "remote-id"));
  /* Without codec caps: a codec entry with the payload type only. */
  s = entry (report, "codec_111");
  fail_unless_equals_int (uint_of (s, "payload-type"), 111);
  fail_if (gst_structure_has_field (s, "mime-type"));
  gst_structure_free (report);
  rtc_bin_reports_free (reports);
}

GST_END_TEST;

/* Garbage is ignored; a peer reporting on ever new SSRCs fills a
 * bounded table, and a round trip from the future is not one. */
GST_START_TEST (test_hostile_rtcp)
{
  RtcBinReports *reports = rtc_bin_reports_new ();
  guint8 junk[64];
  GstBuffer *buf;
  GstStructure *report;
  const GstStructure *s;
  guint i, j;

  for (i = 0; i < 200; i++) {
    for (j = 0; j < sizeof (junk); j++)
      junk[j] = g_random_int ();
    /* Some look like RTCP version 2. */
    if (i % 2)
      junk[0] = 0x80 | (junk[0] & 0x3f);
    buf = gst_buffer_new_memdup (junk, 1 + g_random_int_range (0, 64));
    rtc_bin_reports_process (reports, buf, NOW_US);
    gst_buffer_unref (buf);
  }
  report = build (reports, NULL);
  fail_if (gst_structure_has_field (report, "remote-inbound-rtp_286331153"));
  fail_if (gst_structure_has_field (report, "remote-outbound-rtp_572662306"));
  gst_structure_free (report);

  /* 100 foreign SSRCs first: ours no longer fits. */
  for (i = 0; i < 100; i++) {
    buf = make_feedback (GST_RTCP_TYPE_PSFB, GST_RTCP_PSFB_TYPE_PLI, 1000 + i);
    rtc_bin_reports_process (reports, buf, NOW_US);
    gst_buffer_unref (buf);
  }
  buf = make_feedback (GST_RTCP_TYPE_PSFB, GST_RTCP_PSFB_TYPE_PLI, OURS);
  rtc_bin_reports_process (reports, buf, NOW_US);
  gst_buffer_unref (buf);
  report = build (reports, NULL);
  fail_unless_equals_int (uint_of (entry (report, "outbound-rtp_286331153"),
                              "pli-count"),
      0);
  gst_structure_free (report);
  rtc_bin_reports_free (reports);

  /* LSR later than the arrival: no round trip measured. */
  reports = rtc_bin_reports_new ();
  buf = make_sr (NOW_US, 100, 0);
  rtc_bin_reports_process (reports, buf, NOW_US - G_USEC_PER_SEC);
  gst_buffer_unref (buf);
  report = build (reports, NULL);
  s = entry (report, "remote-inbound-rtp_286331153");
  fail_if (gst_structure_has_field (s, "round-trip-time"));
  fail_unless_equals_int (u64 (s, "round-trip-time-measurements"), 0);
  fail_unless_equals_int (u64 (s, "reports-received"), 1);
  gst_structure_free (report);
  rtc_bin_reports_free (reports);
}

GST_END_TEST;

/* The transport's entries: certificates by their fingerprint, candidates
 * with ids that make valid field names, the pair linking them. */
GST_START_TEST (test_transport_entries)
{
  RtcBinStatsInput in = { 0 };
  GError *error = NULL;
  RtcDtlsCertificate *cert = rtc_dtls_certificate_new_ecdsa (&error);
  RtcIceCandidate *local
      = rtc_ice_candidate_parse ("candidate:1 1 UDP 2130706431 fe80::1%eth0 "
                                 "5000 typ host",
          NULL);
  RtcIceCandidate *remote
      = rtc_ice_candidate_parse ("candidate:2 1 UDP 1694498815 203.0.113.7 "
                                 "6000 typ srflx raddr "
                                 "10.0.0.2 rport 6001",
          NULL);
  GstStructure *ice = gst_structure_new ("ice", "packets-sent", G_TYPE_UINT64,
      (guint64)10, "bytes-sent", G_TYPE_UINT64, (guint64)1000,
      "packets-received", G_TYPE_UINT64, (guint64)20, "bytes-received",
      G_TYPE_UINT64, (guint64)2000, NULL);
  GstStructure *report, *round_trip;
  const GstStructure *t, *pair, *c;
  gchar *s;

  fail_unless (cert != NULL);
  if (!local)
    local = rtc_ice_candidate_parse ("candidate:1 1 UDP 2130706431 fe80::1 "
                                     "5000 typ host",
        NULL);
  fail_unless (local != NULL && remote != NULL);
  in.timestamp = NOW_US / 1000.0;
  in.has_transport = TRUE;
  in.ice = ice;
  in.local_candidate = local;
  in.remote_candidate = remote;
  in.ice_controlling = TRUE;
  in.ice_state = GST_RTC_ICE_CONNECTION_STATE_COMPLETED;
  in.dtls_state = GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED;
  in.dtls_role = "server";
  in.local_pem = rtc_dtls_certificate_get_pem (cert);
  in.remote_pem = "not a certificate";
  in.srtp_cipher = "AEAD_AES_128_GCM";
  report = rtc_bin_stats_build (&in);

  /* It survives a round trip through its text form. */
  s = gst_structure_to_string (report);
  round_trip = gst_structure_from_string (s, NULL);
  fail_unless (round_trip != NULL, "%s", s);
  fail_unless_equals_int (gst_structure_n_fields (round_trip),
      gst_structure_n_fields (report));
  gst_structure_free (round_trip);
  g_free (s);

  t = entry (report, "transport");
  fail_unless_equals_string (gst_structure_get_string (t, "ice-state"),
      "completed");
  fail_unless_equals_string (gst_structure_get_string (t, "dtls-state"),
      "connected");
  fail_unless_equals_string (gst_structure_get_string (t, "ice-role"),
      "controlling");
  fail_unless_equals_string (gst_structure_get_string (t, "dtls-role"),
      "server");
  fail_unless_equals_int (u64 (t, "bytes-received"), 2000);
  /* Unparsable peer certificate: no entry, no link. */
  fail_if (gst_structure_has_field (t, "remote-certificate-id"));
  c = entry (report, gst_structure_get_string (t, "local-certificate-id"));
  fail_unless_equals_string (gst_structure_get_string (c, "fingerprint"),
      rtc_dtls_certificate_get_fingerprint (cert) + strlen ("sha-256 "));

  pair = entry (report,
      gst_structure_get_string (t, "selected-candidate-pair-id"));
  fail_unless_equals_int (u64 (pair, "packets-sent"), 10);
  /* No receiver report: no round trip. */
  fail_if (gst_structure_has_field (pair, "current-round-trip-time"));
  c = entry (report, gst_structure_get_string (pair, "local-candidate-id"));
  fail_unless (strchr (gst_structure_get_string (c, "id"), ':') == NULL);
  fail_unless_equals_string (gst_structure_get_string (c, "candidate-type"),
      "host");
  fail_unless_equals_int (uint_of (c, "port"), 5000);
  c = entry (report, gst_structure_get_string (pair, "remote-candidate-id"));
  fail_unless_equals_string (gst_structure_get_string (c, "address"),
      "203.0.113.7");
  fail_unless_equals_string (gst_structure_get_string (c, "related-address"),
      "10.0.0.2");
  fail_unless_equals_int (uint_of (c, "related-port"), 6001);
  fail_unless_equals_string (gst_structure_get_string (c, "candidate-type"),
      "srflx");

  gst_structure_free (report);
  gst_structure_free (ice);
  rtc_ice_candidate_free (local);
  rtc_ice_candidate_free (remote);
  rtc_dtls_certificate_unref (cert);
}

GST_END_TEST;

/* The FCI entries (PID << 16 | BLP) of the NACK about @media in @buf,
 * sent by @sender. */
static GArray *
nack_entries (GstBuffer *buf, guint32 sender, guint32 media)
{
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;
  GArray *arr = g_array_new (FALSE, FALSE, sizeof (guint32));
  gboolean more;

  fail_unless (gst_rtcp_buffer_validate_reduced (buf));
  gst_rtcp_buffer_map (buf, GST_MAP_READ, &rtcp);
  for (more = gst_rtcp_buffer_get_first_packet (&rtcp, &packet); more;
       more = gst_rtcp_packet_move_to_next (&packet)) {
    guint i;

    if (gst_rtcp_packet_get_type (&packet) != GST_RTCP_TYPE_RTPFB
        || gst_rtcp_packet_fb_get_media_ssrc (&packet) != media)
      continue;
    fail_unless_equals_int (gst_rtcp_packet_fb_get_type (&packet),
        GST_RTCP_RTPFB_TYPE_NACK);
    fail_unless_equals_int (gst_rtcp_packet_fb_get_sender_ssrc (&packet),
        sender);
    for (i = 0; i < gst_rtcp_packet_fb_get_fci_length (&packet); i++) {
      guint32 v = GST_READ_UINT32_BE (
          gst_rtcp_packet_fb_get_fci (&packet) + i * 4);

      g_array_append_val (arr, v);
    }
  }
  gst_rtcp_buffer_unmap (&rtcp);
  return arr;
}

static GstBuffer *
make_rr (guint32 ssrc)
{
  GstBuffer *buf = gst_rtcp_buffer_new (1400);
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;

  gst_rtcp_buffer_map (buf, GST_MAP_READWRITE, &rtcp);
  fail_unless (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_RR, &packet));
  gst_rtcp_packet_rr_set_ssrc (&packet, ssrc);
  gst_rtcp_buffer_unmap (&rtcp);
  return buf;
}

/* Requests become generic NACKs of the RR's sender, neighbours sharing
 * an entry (across the sequence number wrap too), each asked once;
 * expired ones are dropped, and each entry is counted. */
GST_START_TEST (test_nack_write)
{
  RtcBinNack *nack = rtc_bin_nack_new ();
  const gint64 now = 1000000;
  GstBuffer *buf;
  GArray *a;

  rtc_bin_nack_request (nack, THEIRS, 13, now + 100000);
  rtc_bin_nack_request (nack, THEIRS, 10, now + 100000);
  rtc_bin_nack_request (nack, THEIRS, 11, now + 100000);
  rtc_bin_nack_request (nack, THEIRS, 11, now + 100000);
  rtc_bin_nack_request (nack, THEIRS, 40, now + 100000);
  rtc_bin_nack_request (nack, THEIRS + 1, 7, now - 1);
  buf = make_rr (OURS);
  fail_unless (rtc_bin_nack_write (nack, buf, 0, now));
  a = nack_entries (buf, OURS, THEIRS);
  fail_unless_equals_int (a->len, 2);
  /* 10, with 11 (bit 0) and 13 (bit 2); then 40 alone */
  fail_unless_equals_int (g_array_index (a, guint32, 0), (10u << 16) | 0x5);
  fail_unless_equals_int (g_array_index (a, guint32, 1), 40u << 16);
  g_array_unref (a);
  a = nack_entries (buf, OURS, THEIRS + 1);
  fail_unless_equals_int (a->len, 0);
  g_array_unref (a);
  gst_buffer_unref (buf);
  fail_unless_equals_int (rtc_bin_nack_sent (nack, THEIRS), 2);
  fail_unless_equals_int (rtc_bin_nack_sent (nack, THEIRS + 1), 0);

  /* Nothing left: the next packet is left alone. */
  buf = make_rr (OURS);
  fail_if (rtc_bin_nack_write (nack, buf, 0, now));
  gst_buffer_unref (buf);

  /* 65535 and 0 share an entry; without an SR or RR the fallback SSRC
   * sends. */
  rtc_bin_nack_request (nack, THEIRS, 0, now + 100000);
  rtc_bin_nack_request (nack, THEIRS, 65535, now + 100000);
  buf = gst_rtcp_buffer_new (1400);
  fail_unless (rtc_bin_nack_write (nack, buf, OURS + 1, now));
  a = nack_entries (buf, OURS + 1, THEIRS);
  fail_unless_equals_int (a->len, 1);
  fail_unless_equals_int (g_array_index (a, guint32, 0), (65535u << 16) | 1);
  g_array_unref (a);
  gst_buffer_unref (buf);
  fail_unless_equals_int (rtc_bin_nack_sent (nack, THEIRS), 3);
  rtc_bin_nack_free (nack);
}

GST_END_TEST;

static Suite *
rtcbin_stats_core_suite (void)
{
  Suite *s = suite_create ("rtcbin-stats-core");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_reports);
  tcase_add_test (tc, test_feedback);
  tcase_add_test (tc, test_hostile_rtcp);
  tcase_add_test (tc, test_transport_entries);
  tcase_add_test (tc, test_nack_write);
  return s;
}

RTC_CHECK_MAIN (rtcbin_stats_core);
