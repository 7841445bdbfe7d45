/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcdtlssrtpenc / rtcdtlssrtpdec in pipelines: two endpoints, A and B,
 * each an encoder and a decoder sharing a connection-id, wired A.enc → B.dec
 * and B.enc → A.dec. Media, RTCP and application data go A → B.
 */
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/rtp/gstrtpbuffer.h>
#include <gst/rtp/gstrtcpbuffer.h>
#include <string.h>

#include "../common/rtctestutil.h"
#include "../common/rtccheckmain.h"

#define STATE_CONNECTED 4
#define STATE_FAILED 2
#define STATE_CLOSED 1
#define PULL_TIMEOUT (RTC_TEST_MS (2000) * GST_MSECOND)

typedef struct {
  GstElement *pipeline;
  GstElement *enc_a, *dec_a, *enc_b, *dec_b;
  GstElement *rtp_in, *rtcp_in, *data_in, *inject;
  GstElement *rtp_out, *rtcp_out, *data_out;
  GstBus *bus;
  guint16 seq;
} Call;

static GstElement *
by_name (GstElement *pipeline, const gchar *name)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), name);

  fail_unless (e != NULL, "no element %s", name);
  /* The pipeline keeps it alive; tests do not own these. */
  gst_object_unref (e);
  return e;
}

static void
call_init (Call *c, gboolean a_is_client, const gchar *profiles)
{
  static gint counter;
  gint n = g_atomic_int_add (&counter, 1);
  gchar *desc;
  GError *error = NULL;

  desc = g_strdup_printf ("rtcdtlssrtpenc name=enc_a connection-id=a%d "
                          "is-client=%d "
                          "  srtp-profiles=%s "
                          "rtcdtlssrtpdec name=dec_a connection-id=a%d "
                          "rtcdtlssrtpdec name=dec_b connection-id=b%d "
                          "rtcdtlssrtpenc name=enc_b connection-id=b%d "
                          "is-client=%d "
                          "  srtp-profiles=%s "
                          "appsrc name=rtp_in format=time "
                          "caps=application/x-rtp "
                          "  ! enc_a.rtp_sink_0 "
                          "appsrc name=rtcp_in format=time "
                          "caps=application/x-rtcp "
                          "  ! enc_a.rtcp_sink_0 "
                          "appsrc name=data_in format=time ! enc_a.data_sink "
                          "enc_a. ! queue ! funnel name=f_b ! dec_b. "
                          "appsrc name=inject format=time ! f_b. "
                          "enc_b. ! queue ! dec_a. "
                          "dec_b.rtp_src ! appsink name=rtp_out sync=false "
                          "async=false "
                          "dec_b.rtcp_src ! appsink name=rtcp_out sync=false "
                          "async=false "
                          "dec_b.data_src ! appsink name=data_out sync=false "
                          "async=false "
                          "dec_a.rtp_src ! fakesink async=false dec_a.rtcp_src "
                          "! fakesink async=false",
      n, a_is_client, profiles, n, n, n, !a_is_client, profiles);
  c->pipeline = gst_parse_launch (desc, &error);
  fail_unless (c->pipeline != NULL, "%s", error ? error->message : "");
  g_free (desc);

  c->enc_a = by_name (c->pipeline, "enc_a");
  c->dec_a = by_name (c->pipeline, "dec_a");
  c->enc_b = by_name (c->pipeline, "enc_b");
  c->dec_b = by_name (c->pipeline, "dec_b");
  c->rtp_in = by_name (c->pipeline, "rtp_in");
  c->rtcp_in = by_name (c->pipeline, "rtcp_in");
  c->data_in = by_name (c->pipeline, "data_in");
  c->inject = by_name (c->pipeline, "inject");
  c->rtp_out = by_name (c->pipeline, "rtp_out");
  c->rtcp_out = by_name (c->pipeline, "rtcp_out");
  c->data_out = by_name (c->pipeline, "data_out");
  c->bus = gst_element_get_bus (c->pipeline);
  c->seq = 1000;
}

static void
call_clear (Call *c)
{
  gst_element_set_state (c->pipeline, GST_STATE_NULL);
  gst_object_unref (c->bus);
  gst_object_unref (c->pipeline);
}

static gint
connection_state (GstElement *e)
{
  gint state;

  g_object_get (e, "connection-state", &state, NULL);
  return state;
}

static guint64
stat (GstElement *e, const gchar *field)
{
  GstStructure *s;
  guint64 v = 0;

  g_object_get (e, "stats", &s, NULL);
  fail_unless (gst_structure_get_uint64 (s, field, &v), "no stat %s", field);
  gst_structure_free (s);
  return v;
}

static void
wait_for_stat (GstElement *e, const gchar *field, guint64 want)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (2000) * 1000;

  while (stat (e, field) < want && g_get_monotonic_time () < end)
    g_usleep (1000);
}

/* Waits (bounded) for both endpoints to reach @want; returns the error
 * messages posted on the bus, if any, through @error_message. */
static gboolean
wait_for_state (Call *c, gint want, guint timeout_ms, gchar **error_message)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (timeout_ms) * 1000;

  while (g_get_monotonic_time () < end) {
    GstMessage *msg = gst_bus_timed_pop_filtered (c->bus, 5 * GST_MSECOND,
        GST_MESSAGE_ERROR);

    if (msg) {
      GError *err = NULL;
      gchar *all;

      gst_message_parse_error (msg, &err, NULL);
      if (error_message) {
        all = g_strconcat (*error_message ? *error_message : "",
            *error_message ? "\n" : "", err->message, NULL);
        g_free (*error_message);
        *error_message = all;
      }
      g_error_free (err);
      gst_message_unref (msg);
    }
    /* Each element reports connected once it holds its own keys. */
    if (connection_state (c->dec_a) == want
        && connection_state (c->dec_b) == want
        && (want == STATE_FAILED
            || (connection_state (c->enc_a) == want
                && connection_state (c->enc_b) == want)))
      return TRUE;
  }
  return FALSE;
}

static void
call_start_connected (Call *c)
{
  gchar *error = NULL;

  fail_unless (gst_element_set_state (c->pipeline, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);
  fail_unless (wait_for_state (c, STATE_CONNECTED, 5000, &error),
      "not connected: %s", error);
}

/* Pushes one RTP packet and returns a copy of its bytes. */
static GBytes *
push_rtp (Call *c, GstElement *appsrc, guint32 ssrc, guint payload_len)
{
  GstBuffer *buf = gst_rtp_buffer_new_allocate (payload_len, 0, 0);
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  GstMapInfo map;
  GBytes *bytes;
  guint8 *payload;
  guint i;

  gst_rtp_buffer_map (buf, GST_MAP_WRITE, &rtp);
  gst_rtp_buffer_set_payload_type (&rtp, 96);
  gst_rtp_buffer_set_seq (&rtp, c->seq);
  gst_rtp_buffer_set_timestamp (&rtp, c->seq * 3000u);
  gst_rtp_buffer_set_ssrc (&rtp, ssrc);
  payload = gst_rtp_buffer_get_payload (&rtp);
  for (i = 0; i < payload_len; i++)
    payload[i] = (guint8)(c->seq * 31 + i);
  gst_rtp_buffer_unmap (&rtp);
  c->seq++;

  gst_buffer_map (buf, &map, GST_MAP_READ);
  bytes = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (buf, &map);
  fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (appsrc), buf),
      GST_FLOW_OK);
  return bytes;
}

static GBytes *
push_rtcp_rr (GstElement *appsrc, guint32 ssrc)
{
  GstBuffer *buf = gst_rtcp_buffer_new (1400);
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;
  GstMapInfo map;
  GBytes *bytes;

  gst_rtcp_buffer_map (buf, GST_MAP_READWRITE, &rtcp);
  fail_unless (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_RR, &packet));
  gst_rtcp_packet_rr_set_ssrc (&packet, ssrc);
  fail_unless (gst_rtcp_packet_add_rb (&packet, 0x1234, 3, 17, 0xffff, 5,
      0x11112222, 77));
  gst_rtcp_buffer_unmap (&rtcp);

  gst_buffer_map (buf, &map, GST_MAP_READ);
  bytes = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (buf, &map);
  fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (appsrc), buf),
      GST_FLOW_OK);
  return bytes;
}

static void
expect_bytes (GstElement *appsink, GBytes *expected)
{
  GstSample *sample = gst_app_sink_try_pull_sample (GST_APP_SINK (appsink),
      PULL_TIMEOUT);
  GstMapInfo map;
  GBytes *got;

  fail_unless (sample != NULL, "nothing arrived at %s",
      GST_ELEMENT_NAME (appsink));
  gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ);
  got = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
  fail_unless (g_bytes_equal (got, expected),
      "%s: %" G_GSIZE_FORMAT " bytes differ from the %" G_GSIZE_FORMAT " sent",
      GST_ELEMENT_NAME (appsink), g_bytes_get_size (got),
      g_bytes_get_size (expected));
  g_bytes_unref (got);
  gst_sample_unref (sample);
}

static void
expect_nothing (GstElement *appsink)
{
  GstSample *sample = gst_app_sink_try_pull_sample (GST_APP_SINK (appsink),
      RTC_TEST_MS (300) * GST_MSECOND);

  fail_unless (sample == NULL, "unexpected output at %s",
      GST_ELEMENT_NAME (appsink));
}

/* Sends @n RTP packets on two SSRCs and one RTCP packet A → B; all must
 * arrive decrypted and byte-identical. */
static void
exchange_media (Call *c, guint n)
{
  guint i;
  GBytes *sent;

  for (i = 0; i < n; i++) {
    sent = push_rtp (c, c->rtp_in, i % 2 ? 0xaaaa0001 : 0xbbbb0002,
        100 + i * 37 % 1100);
    expect_bytes (c->rtp_out, sent);
    g_bytes_unref (sent);
  }
  sent = push_rtcp_rr (c->rtcp_in, 0xaaaa0001);
  expect_bytes (c->rtcp_out, sent);
  g_bytes_unref (sent);
}

GST_START_TEST (test_roles_and_profiles)
{
  const gchar *profiles[] = { "AES_CM_128_HMAC_SHA1_80",
    "AES_CM_128_HMAC_SHA1_32", "AEAD_AES_128_GCM", "AEAD_AES_256_GCM" };
  guint p, role;

  for (p = 0; p < G_N_ELEMENTS (profiles); p++) {
    for (role = 0; role < 2; role++) {
      Call c;
      gchar *profile;
      guint64 rtcp_before;

      call_init (&c, role == 0, profiles[p]);
      call_start_connected (&c);
      exchange_media (&c, 20);

      {
        GstStructure *s;

        g_object_get (c.dec_b, "stats", &s, NULL);
        profile = g_strdup (gst_structure_get_string (s, "srtp-profile"));
        gst_structure_free (s);
      }
      fail_unless_equals_string (profile, profiles[p]);
      g_free (profile);
      fail_unless_equals_int (stat (c.enc_a, "rtp-packets"), 20);
      fail_unless_equals_int (stat (c.enc_a, "rtcp-packets"), 1);
      fail_unless_equals_int (stat (c.dec_b, "rtp-packets"), 20);
      fail_unless_equals_int (stat (c.dec_b, "rtcp-packets"), 1);
      fail_unless_equals_int (stat (c.dec_b, "dropped-auth"), 0);
      fail_unless (stat (c.dec_b, "dtls-packets") > 0);

      /* RTCP on an RTP pad (rtcp-mux) is protected as SRTCP. */
      rtcp_before = stat (c.enc_a, "rtcp-packets");
      {
        GBytes *sent = push_rtcp_rr (c.rtp_in, 0xcccc0003);

        expect_bytes (c.rtcp_out, sent);
        g_bytes_unref (sent);
      }
      fail_unless_equals_int (stat (c.enc_a, "rtcp-packets"), rtcp_before + 1);
      call_clear (&c);
    }
  }
}

GST_END_TEST;

static void
on_key_set (GstElement *enc, gint *count)
{
  g_atomic_int_inc (count);
}

GST_START_TEST (test_fingerprint_mismatch_rejected)
{
  Call c;
  GstElement *stranger = gst_element_factory_make ("rtcdtlssrtpdec", NULL);
  gchar *wrong = NULL, *error = NULL;
  gint keys_a = 0, keys_b = 0;
  guint i;

  /* B expects a certificate that A does not have. */
  call_init (&c, TRUE, "AEAD_AES_128_GCM");
  g_object_get (stranger, "fingerprint", &wrong, NULL);
  fail_unless (g_str_has_prefix (wrong, "sha-256 "));
  g_object_set (c.dec_b, "peer-fingerprint", wrong, NULL);
  g_signal_connect (c.enc_a, "on-key-set", G_CALLBACK (on_key_set), &keys_a);
  g_signal_connect (c.enc_b, "on-key-set", G_CALLBACK (on_key_set), &keys_b);

  fail_unless (gst_element_set_state (c.pipeline, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);
  fail_unless (wait_for_state (&c, STATE_FAILED, 5000, &error));
  /* Both connections fail, each posting its own reason; B's names the
   * mismatch. */
  while (!strstr (error ? error : "", "does not match")) {
    GstMessage *msg = gst_bus_timed_pop_filtered (c.bus,
        RTC_TEST_MS (2000) * GST_MSECOND, GST_MESSAGE_ERROR);
    GError *err = NULL;
    gchar *all;

    fail_unless (msg != NULL, "no mismatch error; got: %s", error);
    gst_message_parse_error (msg, &err, NULL);
    all = g_strconcat (error ? error : "", "\n", err->message, NULL);
    g_free (error);
    error = all;
    g_error_free (err);
    gst_message_unref (msg);
  }
  fail_unless (strstr (error, wrong) != NULL, "error names the expected: %s",
      error);
  fail_unless_equals_int (g_atomic_int_get (&keys_a), 0);
  fail_unless_equals_int (g_atomic_int_get (&keys_b), 0);

  /* Nothing leaves A: no keys were ever exported. */
  for (i = 0; i < 5; i++)
    g_bytes_unref (push_rtp (&c, c.rtp_in, 0x1, 200));
  expect_nothing (c.rtp_out);
  fail_unless_equals_int (stat (c.enc_a, "rtp-packets"), 0);
  fail_unless_equals_int (stat (c.enc_a, "dropped-not-ready"), 5);

  g_free (wrong);
  g_free (error);
  gst_object_unref (stranger);
  call_clear (&c);
}

GST_END_TEST;

GST_START_TEST (test_fingerprint_match_accepted)
{
  Call c;
  gchar *fp_a, *fp_b, *peer_pem, *pem_a;
  gint keys_a = 0;

  call_init (&c, FALSE, "AES_CM_128_HMAC_SHA1_80");
  g_object_get (c.dec_a, "fingerprint", &fp_a, "pem", &pem_a, NULL);
  g_object_get (c.dec_b, "fingerprint", &fp_b, NULL);
  fail_if (g_strcmp0 (fp_a, fp_b) == 0);
  g_object_set (c.dec_b, "peer-fingerprint", fp_a, NULL);
  g_object_set (c.dec_a, "peer-fingerprint", fp_b, NULL);
  g_signal_connect (c.enc_a, "on-key-set", G_CALLBACK (on_key_set), &keys_a);

  call_start_connected (&c);
  fail_unless_equals_int (g_atomic_int_get (&keys_a), 1);
  g_object_get (c.dec_b, "peer-pem", &peer_pem, NULL);
  fail_unless_equals_string (peer_pem, pem_a);
  exchange_media (&c, 5);

  g_free (fp_a);
  g_free (fp_b);
  g_free (pem_a);
  g_free (peer_pem);
  call_clear (&c);
}

GST_END_TEST;

typedef struct {
  gint to_drop;
  gint dropped;
} DropFirst;

static GstPadProbeReturn
drop_first_dtls (GstPad *pad, GstPadProbeInfo *info, DropFirst *d)
{
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  guint8 first;

  if (gst_buffer_extract (buf, 0, &first, 1) == 1 && first >= 20 && first <= 63
      && d->dropped < d->to_drop) {
    d->dropped++;
    return GST_PAD_PROBE_DROP;
  }
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_lost_flights)
{
  Call c;
  DropFirst ab = { 2, 0 }, ba = { 1, 0 };
  GstPad *pad;

  call_init (&c, TRUE, "AEAD_AES_128_GCM");
  pad = gst_element_get_static_pad (c.enc_a, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER,
      (GstPadProbeCallback)drop_first_dtls, &ab, NULL);
  gst_object_unref (pad);
  pad = gst_element_get_static_pad (c.enc_b, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER,
      (GstPadProbeCallback)drop_first_dtls, &ba, NULL);
  gst_object_unref (pad);

  call_start_connected (&c);
  fail_unless_equals_int (ab.dropped, 2);
  fail_unless_equals_int (ba.dropped, 1);
  exchange_media (&c, 5);
  call_clear (&c);
}

GST_END_TEST;

typedef struct {
  GMutex lock;
  GPtrArray *srtp;
} Capture;

static GstPadProbeReturn
capture_srtp (GstPad *pad, GstPadProbeInfo *info, Capture *cap)
{
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  guint8 hdr[2];

  if (gst_buffer_extract (buf, 0, hdr, 2) == 2 && hdr[0] >= 128 && hdr[0] <= 191
      && !(hdr[1] >= 192 && hdr[1] <= 223)) {
    g_mutex_lock (&cap->lock);
    g_ptr_array_add (cap->srtp, gst_buffer_copy_deep (buf));
    g_mutex_unlock (&cap->lock);
  }
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_replayed_and_corrupted_dropped)
{
  Call c;
  Capture cap;
  GstPad *pad;
  guint i;

  g_mutex_init (&cap.lock);
  cap.srtp = g_ptr_array_new_with_free_func ((GDestroyNotify)gst_buffer_unref);
  call_init (&c, TRUE, "AES_CM_128_HMAC_SHA1_80");
  pad = gst_element_get_static_pad (c.enc_a, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER,
      (GstPadProbeCallback)capture_srtp, &cap, NULL);
  gst_object_unref (pad);

  call_start_connected (&c);
  exchange_media (&c, 10);
  fail_unless_equals_int (cap.srtp->len, 10);

  /* Replays: every captured packet again. */
  for (i = 0; i < cap.srtp->len; i++)
    gst_app_src_push_buffer (GST_APP_SRC (c.inject),
        gst_buffer_copy_deep (cap.srtp->pdata[i]));
  expect_nothing (c.rtp_out);
  fail_unless_equals_int (stat (c.dec_b, "dropped-replay"), 10);

  /* Corruption: a fresh packet with one bit flipped in its payload, and one
   * cut short inside its tag. */
  g_ptr_array_set_size (cap.srtp, 0);
  g_bytes_unref (push_rtp (&c, c.rtp_in, 0xdddd0004, 300));
  g_bytes_unref (push_rtp (&c, c.rtp_in, 0xdddd0004, 300));
  /* Drain the two originals: they are what B decrypts legitimately... */
  {
    GstSample *s1 = gst_app_sink_try_pull_sample (GST_APP_SINK (c.rtp_out),
        PULL_TIMEOUT);
    GstSample *s2 = gst_app_sink_try_pull_sample (GST_APP_SINK (c.rtp_out),
        PULL_TIMEOUT);

    fail_unless (s1 && s2);
    gst_sample_unref (s1);
    gst_sample_unref (s2);
  }
  fail_unless_equals_int (cap.srtp->len, 2);
  {
    GstBuffer *flipped = gst_buffer_copy_deep (cap.srtp->pdata[0]);
    GstBuffer *cut = gst_buffer_copy_deep (cap.srtp->pdata[1]);
    GstMapInfo map;

    /* ...while altered copies, replaying a newer index, must fail
     * authentication before any replay bookkeeping. */
    gst_buffer_map (flipped, &map, GST_MAP_WRITE);
    map.data[100] ^= 0x10;
    GST_WRITE_UINT16_BE (map.data + 2, c.seq + 50);
    gst_buffer_unmap (flipped, &map);
    gst_buffer_map (cut, &map, GST_MAP_WRITE);
    GST_WRITE_UINT16_BE (map.data + 2, c.seq + 51);
    gst_buffer_unmap (cut, &map);
    gst_buffer_resize (cut, 0, gst_buffer_get_size (cut) - 3);
    gst_app_src_push_buffer (GST_APP_SRC (c.inject), flipped);
    gst_app_src_push_buffer (GST_APP_SRC (c.inject), cut);
  }
  expect_nothing (c.rtp_out);
  fail_unless_equals_int (stat (c.dec_b, "dropped-auth"), 2);

  /* And the stream goes on. */
  exchange_media (&c, 3);
  g_ptr_array_unref (cap.srtp);
  g_mutex_clear (&cap.lock);
  call_clear (&c);
}

GST_END_TEST;

static guint64
total_accounted (GstElement *dec)
{
  return stat (dec, "rtp-packets") + stat (dec, "rtcp-packets")
      + stat (dec, "dtls-packets") + stat (dec, "dropped-not-ready")
      + stat (dec, "dropped-invalid") + stat (dec, "dropped-replay")
      + stat (dec, "dropped-auth") + stat (dec, "dropped-error");
}

GST_START_TEST (test_garbage_fuzz)
{
  Call c;
  GRand *rand = g_rand_new_with_seed (20261125);
  guint64 before;
  const guint iterations = 5000;
  guint i, j;

  call_init (&c, TRUE, "AEAD_AES_128_GCM");
  call_start_connected (&c);
  exchange_media (&c, 2);
  before = total_accounted (c.dec_b);

  /* Random datagrams of every first-byte class and size, including empty
   * ones and ones shorter than any header. */
  for (i = 0; i < iterations; i++) {
    gsize len = g_rand_int_range (rand, 0, 4) == 0
        ? g_rand_int_range (rand, 0, 16)
        : g_rand_int_range (rand, 0, 1500);
    GstBuffer *buf = gst_buffer_new_allocate (NULL, len, NULL);
    GstMapInfo map;

    gst_buffer_map (buf, &map, GST_MAP_WRITE);
    for (j = 0; j < len; j++)
      map.data[j] = g_rand_int (rand);
    gst_buffer_unmap (buf, &map);
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (c.inject),
                                buf),
        GST_FLOW_OK);
  }
  /* Every datagram is accounted for once the funnel has passed them on. */
  {
    gint64 end = g_get_monotonic_time () + RTC_TEST_MS (5000) * 1000;

    while (total_accounted (c.dec_b) < before + iterations
        && g_get_monotonic_time () < end)
      g_usleep (10000);
  }
  fail_unless_equals_int (total_accounted (c.dec_b), before + iterations);
  /* No random packet authenticated as media. */
  expect_nothing (c.rtp_out);
  expect_nothing (c.rtcp_out);
  fail_unless (stat (c.dec_b, "dropped-invalid") > 0);
  fail_unless (
      stat (c.dec_b, "dropped-auth") + stat (c.dec_b, "dropped-error") > 0);

  fail_unless_equals_int (connection_state (c.dec_b), STATE_CONNECTED);
  exchange_media (&c, 3);
  g_rand_free (rand);
  call_clear (&c);
}

GST_END_TEST;

GST_START_TEST (test_application_data_and_close_notify)
{
  Call c;
  guint i;

  call_init (&c, FALSE, "AEAD_AES_256_GCM");
  call_start_connected (&c);
  for (i = 1; i <= 3; i++) {
    gsize len = i * 400;
    guint8 *data = g_malloc (len);
    GBytes *sent;

    memset (data, 'a' + i, len);
    sent = g_bytes_new (data, len);
    gst_app_src_push_buffer (GST_APP_SRC (c.data_in),
        gst_buffer_new_wrapped (data, len));
    expect_bytes (c.data_out, sent);
    g_bytes_unref (sent);
  }
  /* The sender counts after its datagram is on its way: wait for it. */
  wait_for_stat (c.enc_a, "data-packets", 3);
  fail_unless_equals_int (stat (c.enc_a, "data-packets"), 3);
  fail_unless_equals_int (stat (c.dec_b, "data-bytes"), 400 + 800 + 1200);

  /* All of A's inputs end: A says close_notify and B sees it. */
  gst_app_src_end_of_stream (GST_APP_SRC (c.rtp_in));
  gst_app_src_end_of_stream (GST_APP_SRC (c.rtcp_in));
  gst_app_src_end_of_stream (GST_APP_SRC (c.data_in));
  {
    gint64 end = g_get_monotonic_time () + RTC_TEST_MS (3000) * 1000;

    while (connection_state (c.dec_b) != STATE_CLOSED
        && g_get_monotonic_time () < end)
      g_usleep (10000);
  }
  fail_unless_equals_int (connection_state (c.dec_b), STATE_CLOSED);
  fail_unless_equals_int (connection_state (c.dec_a), STATE_CLOSED);
  call_clear (&c);
}

GST_END_TEST;

/* Going to PLAYING must fail with an error message containing @reason;
 * takes @pipeline. */
static void
assert_start_fails (GstElement *pipeline, const gchar *reason)
{
  GstMessage *msg;
  GError *err = NULL;

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PLAYING),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (GST_ELEMENT_BUS (pipeline), GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (strstr (err->message, reason) != NULL, "%s", err->message);
  g_clear_error (&err);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

static GstElement *
manual_pipeline (const gchar *enc_cipher, const gchar *enc_auth,
    GstBuffer *enc_key, GstBuffer *dec_key)
{
  GstElement *pipeline
      = gst_parse_launch ("appsrc name=src format=time "
                          "caps=application/x-rtp ! rtcdtlssrtpenc name=enc ! "
                          "rtcdtlssrtpdec name=dec ! appsink name=sink "
                          "sync=false async=false",
          NULL);

  g_object_set (by_name (pipeline, "enc"), "key", enc_key, "srtp-cipher",
      enc_cipher, "srtp-auth", enc_auth, NULL);
  g_object_set (by_name (pipeline, "dec"), "key", dec_key, "srtp-cipher",
      enc_cipher, "srtp-auth", enc_auth, NULL);
  return pipeline;
}

static GstBuffer *
key_buffer (guint len, guint8 fill)
{
  guint8 *data = g_malloc (len);

  memset (data, fill, len);
  return gst_buffer_new_wrapped (data, len);
}

GST_START_TEST (test_manual_keying)
{
  GstBuffer *key = key_buffer (28, 0x3c), *other = key_buffer (28, 0x3d);
  GstBuffer *short_key = key_buffer (16, 0x3c);
  GstElement *pipeline;
  Call c = { 0 };
  GBytes *sent;

  /* Same key both ends: media flows without DTLS. */
  pipeline = manual_pipeline ("aes-128-gcm", "null", key, key);
  c.seq = 1;
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);
  sent = push_rtp (&c, by_name (pipeline, "src"), 0x5, 500);
  expect_bytes (by_name (pipeline, "sink"), sent);
  g_bytes_unref (sent);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);

  /* A decoder with another key authenticates nothing. */
  pipeline = manual_pipeline ("aes-128-gcm", "null", key, other);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);
  g_bytes_unref (push_rtp (&c, by_name (pipeline, "src"), 0x5, 500));
  expect_nothing (by_name (pipeline, "sink"));
  fail_unless_equals_int (stat (by_name (pipeline, "dec"), "dropped-auth"), 1);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);

  /* Unencrypted SRTP and wrongly sized keys are refused clearly. */
  pipeline = manual_pipeline ("null", "null", key, key);
  assert_start_fails (pipeline, "never allowed");

  pipeline = manual_pipeline ("aes-128-gcm", "null", short_key, short_key);
  assert_start_fails (pipeline, "needs 28");

  gst_buffer_unref (key);
  gst_buffer_unref (other);
  gst_buffer_unref (short_key);
}

GST_END_TEST;

GST_START_TEST (test_missing_connection_id)
{
  GstElement *pipeline = gst_parse_launch ("appsrc ! rtcdtlssrtpenc ! "
                                           "fakesink",
      NULL);

  assert_start_fails (pipeline, "connection-id");
}

GST_END_TEST;

static Suite *
rtcdtlssrtp_suite (void)
{
  Suite *s = suite_create ("rtcdtlssrtp");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_roles_and_profiles);
  tcase_add_test (tc, test_fingerprint_mismatch_rejected);
  tcase_add_test (tc, test_fingerprint_match_accepted);
  tcase_add_test (tc, test_lost_flights);
  tcase_add_test (tc, test_replayed_and_corrupted_dropped);
  tcase_add_test (tc, test_garbage_fuzz);
  tcase_add_test (tc, test_application_data_and_close_notify);
  tcase_add_test (tc, test_manual_keying);
  tcase_add_test (tc, test_missing_connection_id);
  return s;
}

RTC_CHECK_MAIN (rtcdtlssrtp);
