/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of the SRTP core and the RFC 7983 packet classifier.
 */
#include <gst/check/gstcheck.h>
#include <string.h>

#include "rtcpacketdemux.h"
#include "rtcsrtp.h"

static const RtcSrtpProfile all_profiles[] = {
  RTC_SRTP_PROFILE_AES128_CM_SHA1_80, RTC_SRTP_PROFILE_AES128_CM_SHA1_32,
  RTC_SRTP_PROFILE_AEAD_AES_128_GCM, RTC_SRTP_PROFILE_AEAD_AES_256_GCM,
};

static const guint8 key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
  14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32
};
static const guint8 salt[14] = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6,
  0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad
};

static gsize
make_rtp (guint8 *buf, guint16 seq, guint32 ssrc, gsize payload_len)
{
  gsize i;

  buf[0] = 0x80;
  buf[1] = 96;
  GST_WRITE_UINT16_BE (buf + 2, seq);
  GST_WRITE_UINT32_BE (buf + 4, seq * 960u);
  GST_WRITE_UINT32_BE (buf + 8, ssrc);
  for (i = 0; i < payload_len; i++)
    buf[12 + i] = (guint8) (i * 7 + seq);
  return 12 + payload_len;
}

static gsize
make_rtcp_rr (guint8 *buf, guint32 ssrc)
{
  buf[0] = 0x80;
  buf[1] = 201;                 /* RR, no report blocks */
  GST_WRITE_UINT16_BE (buf + 2, 1);
  GST_WRITE_UINT32_BE (buf + 4, ssrc);
  return 8;
}

GST_START_TEST (test_round_trip_all_profiles)
{
  guint p;

  for (p = 0; p < G_N_ELEMENTS (all_profiles); p++) {
    RtcSrtpProfile profile = all_profiles[p];
    g_autoptr (RtcSrtpSession) tx = NULL;
    g_autoptr (RtcSrtpSession) rx = NULL;
    guint8 plain[1300], pkt[1300 + 64];
    guint32 ssrcs[] = { 0x11111111, 0x22222222, 0x33333333 };
    guint s, seq;
    gsize len, plen;

    tx = rtc_srtp_session_new (profile, TRUE, key, salt, NULL);
    rx = rtc_srtp_session_new (profile, FALSE, key, salt, NULL);
    fail_unless (tx && rx, "%s", rtc_srtp_profile_name (profile));

    /* Several SSRCs on one session, each with its own stream state. */
    for (s = 0; s < G_N_ELEMENTS (ssrcs); s++) {
      for (seq = 100; seq < 110; seq++) {
        plen = make_rtp (plain, seq, ssrcs[s], 1188);
        memcpy (pkt, plain, plen);
        len = plen;
        fail_unless_equals_int (rtc_srtp_session_protect (tx, FALSE, pkt,
                &len), RTC_SRTP_OK);
        fail_unless (len > plen);
        fail_unless (len - plen <= rtc_srtp_profile_max_overhead (profile));
        /* Header stays clear, payload does not. */
        fail_unless (memcmp (pkt, plain, 12) == 0);
        fail_if (memcmp (pkt + 12, plain + 12, plen - 12) == 0);
        fail_unless_equals_int (rtc_srtp_session_unprotect (rx, FALSE, pkt,
                &len), RTC_SRTP_OK);
        fail_unless_equals_int (len, plen);
        fail_unless (memcmp (pkt, plain, plen) == 0);
      }
      plen = make_rtcp_rr (plain, ssrcs[s]);
      memcpy (pkt, plain, plen);
      len = plen;
      fail_unless_equals_int (rtc_srtp_session_protect (tx, TRUE, pkt, &len),
          RTC_SRTP_OK);
      fail_unless (len - plen <= rtc_srtp_profile_max_overhead (profile));
      fail_unless_equals_int (rtc_srtp_session_unprotect (rx, TRUE, pkt,
              &len), RTC_SRTP_OK);
      fail_unless_equals_int (len, plen);
      fail_unless (memcmp (pkt, plain, plen) == 0);
    }
  }
}

GST_END_TEST;

GST_START_TEST (test_replay_and_tamper_rejected)
{
  guint p;

  for (p = 0; p < G_N_ELEMENTS (all_profiles); p++) {
    RtcSrtpProfile profile = all_profiles[p];
    g_autoptr (RtcSrtpSession) tx =
        rtc_srtp_session_new (profile, TRUE, key, salt, NULL);
    g_autoptr (RtcSrtpSession) rx =
        rtc_srtp_session_new (profile, FALSE, key, salt, NULL);
    guint8 other_key[32];
    g_autoptr (RtcSrtpSession) rx_wrong = NULL;
    guint8 pkt[256], copy[256], tampered[256];
    gsize len, copy_len;

    memset (other_key, 0x5a, sizeof (other_key));
    rx_wrong = rtc_srtp_session_new (profile, FALSE, other_key, salt, NULL);

    len = make_rtp (pkt, 7, 0xabcdef01, 100);
    fail_unless_equals_int (rtc_srtp_session_protect (tx, FALSE, pkt, &len),
        RTC_SRTP_OK);
    memcpy (copy, pkt, len);
    memcpy (tampered, pkt, len);
    copy_len = len;

    /* Wrong key: authentication fails. */
    fail_unless_equals_int (rtc_srtp_session_unprotect (rx_wrong, FALSE,
            tampered, &len), RTC_SRTP_ERROR_AUTH);

    /* One flipped payload bit: authentication fails. */
    memcpy (tampered, copy, copy_len);
    len = copy_len;
    tampered[40] ^= 0x01;
    fail_unless_equals_int (rtc_srtp_session_unprotect (rx, FALSE, tampered,
            &len), RTC_SRTP_ERROR_AUTH);

    /* The original passes once, then is a replay. */
    len = copy_len;
    fail_unless_equals_int (rtc_srtp_session_unprotect (rx, FALSE, pkt, &len),
        RTC_SRTP_OK);
    len = copy_len;
    fail_unless_equals_int (rtc_srtp_session_unprotect (rx, FALSE, copy,
            &len), RTC_SRTP_ERROR_REPLAY);

    /* Protecting the same sequence number twice is refused. */
    len = make_rtp (pkt, 7, 0xabcdef01, 100);
    fail_if (rtc_srtp_session_protect (tx, FALSE, pkt, &len) == RTC_SRTP_OK);
  }
}

GST_END_TEST;

GST_START_TEST (test_profile_names)
{
  GError *error = NULL;
  gchar *s;

  fail_unless_equals_int (rtc_srtp_profile_from_name
      ("AES_CM_128_HMAC_SHA1_80"), RTC_SRTP_PROFILE_AES128_CM_SHA1_80);
  fail_unless_equals_int (rtc_srtp_profile_from_name
      ("SRTP_AEAD_AES_256_GCM"), RTC_SRTP_PROFILE_AEAD_AES_256_GCM);
  fail_unless_equals_int (rtc_srtp_profile_from_name ("bogus"),
      RTC_SRTP_PROFILE_NONE);

  s = rtc_srtp_profiles_to_openssl ("AEAD_AES_128_GCM:AES_CM_128_HMAC_SHA1_32",
      &error);
  fail_unless_equals_string (s, "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_32");
  g_free (s);
  fail_unless (rtc_srtp_profiles_to_openssl ("AES_CM_128_HMAC_SHA1_80:NULL",
          &error) == NULL);
  fail_unless (strstr (error->message, "'NULL'") != NULL);
  g_clear_error (&error);

  /* Manual keying never allows unencrypted or unauthenticated SRTP. */
  fail_unless_equals_int (rtc_srtp_profile_from_params ("aes-128-icm",
          "hmac-sha1-32", NULL), RTC_SRTP_PROFILE_AES128_CM_SHA1_32);
  fail_unless_equals_int (rtc_srtp_profile_from_params ("aes-256-gcm", NULL,
          NULL), RTC_SRTP_PROFILE_AEAD_AES_256_GCM);
  fail_unless_equals_int (rtc_srtp_profile_from_params ("null",
          "hmac-sha1-80", &error), RTC_SRTP_PROFILE_NONE);
  fail_unless (strstr (error->message, "never allowed") != NULL);
  g_clear_error (&error);
  fail_unless_equals_int (rtc_srtp_profile_from_params ("aes-128-icm",
          "null", NULL), RTC_SRTP_PROFILE_NONE);
}

GST_END_TEST;

GST_START_TEST (test_classify)
{
  guint8 pkt[64];

  memset (pkt, 0, sizeof (pkt));
  fail_unless_equals_int (rtc_packet_classify (pkt, 0), RTC_PACKET_INVALID);
  pkt[0] = 0x00;
  fail_unless_equals_int (rtc_packet_classify (pkt, 20), RTC_PACKET_STUN);
  fail_unless_equals_int (rtc_packet_classify (pkt, 19), RTC_PACKET_INVALID);
  pkt[0] = 22;                  /* handshake record */
  fail_unless_equals_int (rtc_packet_classify (pkt, 13), RTC_PACKET_DTLS);
  fail_unless_equals_int (rtc_packet_classify (pkt, 12), RTC_PACKET_INVALID);
  pkt[0] = 63;
  fail_unless_equals_int (rtc_packet_classify (pkt, 40), RTC_PACKET_DTLS);
  pkt[0] = 64;
  fail_unless_equals_int (rtc_packet_classify (pkt, 40),
      RTC_PACKET_TURN_CHANNEL);
  pkt[0] = 17;
  fail_unless_equals_int (rtc_packet_classify (pkt, 40), RTC_PACKET_ZRTP);
  pkt[0] = 0x80;
  pkt[1] = 96;
  fail_unless_equals_int (rtc_packet_classify (pkt, 12), RTC_PACKET_RTP);
  fail_unless_equals_int (rtc_packet_classify (pkt, 11), RTC_PACKET_INVALID);
  pkt[1] = 96 | 0x80;           /* marker bit set: still RTP */
  fail_unless_equals_int (rtc_packet_classify (pkt, 40), RTC_PACKET_RTP);
  pkt[1] = 200;                 /* SR */
  fail_unless_equals_int (rtc_packet_classify (pkt, 8), RTC_PACKET_RTCP);
  pkt[1] = 223;
  fail_unless_equals_int (rtc_packet_classify (pkt, 8), RTC_PACKET_RTCP);
  pkt[1] = 224;
  fail_unless_equals_int (rtc_packet_classify (pkt, 12), RTC_PACKET_RTP);
  pkt[0] = 0xc0;                /* 192..255: nothing on a WebRTC transport */
  fail_unless_equals_int (rtc_packet_classify (pkt, 40), RTC_PACKET_INVALID);
  pkt[0] = 100;
  fail_unless_equals_int (rtc_packet_classify (pkt, 40), RTC_PACKET_INVALID);
}

GST_END_TEST;

static Suite *
srtp_suite (void)
{
  Suite *s = suite_create ("rtcsrtp");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_round_trip_all_profiles);
  tcase_add_test (tc, test_replay_and_tamper_rejected);
  tcase_add_test (tc, test_profile_names);
  tcase_add_test (tc, test_classify);
  return s;
}

GST_CHECK_MAIN (srtp);
