/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of the SRTP core and the RFC 7983 packet classifier. The SRTP
 * core is checked against the RFC 3711 test vectors and, packet by packet,
 * against libsrtp2 as the reference implementation.
 */
#include <gst/check/gstcheck.h>
#include <string.h>
#include <srtp2/srtp.h>

#include "rtcpacketdemux.h"
#include "rtcsrtp.h"
#include "../common/rtccheckmain.h"

static const RtcSrtpProfile all_profiles[] = {
  RTC_SRTP_PROFILE_AES128_CM_SHA1_80,
  RTC_SRTP_PROFILE_AES128_CM_SHA1_32,
  RTC_SRTP_PROFILE_AEAD_AES_128_GCM,
  RTC_SRTP_PROFILE_AEAD_AES_256_GCM,
};

static const guint8 key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
  15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };
static const guint8 salt[14] = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
  0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad };

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
    buf[12 + i] = (guint8)(i * 7 + seq);
  return 12 + payload_len;
}

static gsize
make_rtcp_rr (guint8 *buf, guint32 ssrc)
{
  buf[0] = 0x80;
  buf[1] = 201; /* RR, no report blocks */
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
        fail_unless_equals_int (rtc_srtp_session_protect (tx, FALSE, pkt, &len),
            RTC_SRTP_OK);
        fail_unless (len > plen);
        fail_unless (len - plen <= rtc_srtp_profile_max_overhead (profile));
        /* Header stays clear, payload does not. */
        fail_unless (memcmp (pkt, plain, 12) == 0);
        fail_if (memcmp (pkt + 12, plain + 12, plen - 12) == 0);
        fail_unless_equals_int (rtc_srtp_session_unprotect (rx, FALSE, pkt,
                                    &len),
            RTC_SRTP_OK);
        fail_unless_equals_int (len, plen);
        fail_unless (memcmp (pkt, plain, plen) == 0);
      }
      plen = make_rtcp_rr (plain, ssrcs[s]);
      memcpy (pkt, plain, plen);
      len = plen;
      fail_unless_equals_int (rtc_srtp_session_protect (tx, TRUE, pkt, &len),
          RTC_SRTP_OK);
      fail_unless (len - plen <= rtc_srtp_profile_max_overhead (profile));
      fail_unless_equals_int (rtc_srtp_session_unprotect (rx, TRUE, pkt, &len),
          RTC_SRTP_OK);
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
    g_autoptr (RtcSrtpSession) tx = rtc_srtp_session_new (profile, TRUE, key,
        salt, NULL);
    g_autoptr (RtcSrtpSession) rx = rtc_srtp_session_new (profile, FALSE, key,
        salt, NULL);
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
                                tampered, &len),
        RTC_SRTP_ERROR_AUTH);

    /* One flipped payload bit: authentication fails. */
    memcpy (tampered, copy, copy_len);
    len = copy_len;
    tampered[40] ^= 0x01;
    fail_unless_equals_int (rtc_srtp_session_unprotect (rx, FALSE, tampered,
                                &len),
        RTC_SRTP_ERROR_AUTH);

    /* The original passes once, then is a replay. */
    len = copy_len;
    fail_unless_equals_int (rtc_srtp_session_unprotect (rx, FALSE, pkt, &len),
        RTC_SRTP_OK);
    len = copy_len;
    fail_unless_equals_int (rtc_srtp_session_unprotect (rx, FALSE, copy, &len),
        RTC_SRTP_ERROR_REPLAY);

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

  fail_unless_equals_int (rtc_srtp_profile_from_name (
                              "AES_CM_128_HMAC_SHA1_80"),
      RTC_SRTP_PROFILE_AES128_CM_SHA1_80);
  fail_unless_equals_int (rtc_srtp_profile_from_name ("SRTP_AEAD_AES_256_GCM"),
      RTC_SRTP_PROFILE_AEAD_AES_256_GCM);
  fail_unless_equals_int (rtc_srtp_profile_from_name ("bogus"),
      RTC_SRTP_PROFILE_NONE);

  s = rtc_srtp_profiles_to_openssl ("AEAD_AES_128_GCM:AES_CM_128_HMAC_SHA1_32",
      &error);
  fail_unless_equals_string (s, "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_32");
  g_free (s);
  fail_unless (
      rtc_srtp_profiles_to_openssl ("AES_CM_128_HMAC_SHA1_80:NULL", &error)
      == NULL);
  fail_unless (strstr (error->message, "'NULL'") != NULL);
  g_clear_error (&error);

  /* Manual keying never allows unencrypted or unauthenticated SRTP. */
  fail_unless_equals_int (rtc_srtp_profile_from_params ("aes-128-icm",
                              "hmac-sha1-32", NULL),
      RTC_SRTP_PROFILE_AES128_CM_SHA1_32);
  fail_unless_equals_int (rtc_srtp_profile_from_params ("aes-256-gcm", NULL,
                              NULL),
      RTC_SRTP_PROFILE_AEAD_AES_256_GCM);
  fail_unless_equals_int (rtc_srtp_profile_from_params ("null", "hmac-sha1-80",
                              &error),
      RTC_SRTP_PROFILE_NONE);
  fail_unless (strstr (error->message, "never allowed") != NULL);
  g_clear_error (&error);
  fail_unless_equals_int (rtc_srtp_profile_from_params ("aes-128-icm", "null",
                              NULL),
      RTC_SRTP_PROFILE_NONE);
}

GST_END_TEST;

/* Tags by profile: RFC 3711 5.2 and RFC 5764 4.1.2 (SRTCP keeps 80 bits
 * with the _32 profile), RFC 7714 (16 bytes). */
static gboolean
is_aead (RtcSrtpProfile profile)
{
  return profile == RTC_SRTP_PROFILE_AEAD_AES_128_GCM
      || profile == RTC_SRTP_PROFILE_AEAD_AES_256_GCM;
}

static guint
rtp_tag_len (RtcSrtpProfile profile)
{
  if (is_aead (profile))
    return 16;
  return profile == RTC_SRTP_PROFILE_AES128_CM_SHA1_32 ? 4 : 10;
}

static guint
rtcp_tag_len (RtcSrtpProfile profile)
{
  return is_aead (profile) ? 16 : 10;
}

static void
hex_decode (const gchar *hex, guint8 *out, gsize out_len)
{
  gsize i;

  fail_unless_equals_int (strlen (hex), 2 * out_len);
  for (i = 0; i < out_len; i++)
    out[i] = g_ascii_xdigit_value (hex[2 * i]) << 4
        | g_ascii_xdigit_value (hex[2 * i + 1]);
}

static void
assert_hex (const guint8 *data, const gchar *hex)
{
  gsize len = strlen (hex) / 2;
  guint8 *expected = g_malloc (len);

  hex_decode (hex, expected, len);
  fail_unless (memcmp (data, expected, len) == 0, "expected %s", hex);
  g_free (expected);
}

GST_START_TEST (test_key_derivation_vectors)
{
  const RtcSrtpProfile profile = RTC_SRTP_PROFILE_AES128_CM_SHA1_80;
  const gsize segment_len = 65282 * 16;
  guint8 master_key[16], master_salt[14], out[20], *segment;

  /* RFC 3711 B.3. */
  hex_decode ("E1F97A0D3E018BE0D64FA32C06DE4139", master_key, 16);
  hex_decode ("0EC675AD498AFEEBB6960B3AABE6", master_salt, 14);
  fail_unless (
      rtc_srtp_derive_key (profile, master_key, master_salt, 0, out, 16));
  assert_hex (out, "C61E7A93744F39EE10734AFE3FF7A087");
  fail_unless (
      rtc_srtp_derive_key (profile, master_key, master_salt, 1, out, 20));
  assert_hex (out, "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4");
  fail_unless (
      rtc_srtp_derive_key (profile, master_key, master_salt, 2, out, 14));
  assert_hex (out, "30CBBC08863D8C85D49DB34A9AE1");

  /* The SRTCP labels on the same master key: not in the RFC, but the
   * values SRTP implementations publish alike. */
  fail_unless (
      rtc_srtp_derive_key (profile, master_key, master_salt, 3, out, 16));
  assert_hex (out, "4C1AA45A81F73D61C800BBB00FBB1EAA");
  fail_unless (
      rtc_srtp_derive_key (profile, master_key, master_salt, 4, out, 20));
  assert_hex (out, "8D54534FEB49AE8E7993A6BD0B844FC323A93DFD");
  fail_unless (
      rtc_srtp_derive_key (profile, master_key, master_salt, 5, out, 14));
  assert_hex (out, "9581C7AD87B3E530BF3E4454A8B3");

  /* RFC 3711 B.2: with label 0 the PRF is the AES-CM keystream for the IV
   * salt * 2^16, which is B.2's with SSRC and index 0; check both ends of
   * its 65282-block segment. */
  hex_decode ("2B7E151628AED2A6ABF7158809CF4F3C", master_key, 16);
  hex_decode ("F0F1F2F3F4F5F6F7F8F9FAFBFCFD", master_salt, 14);
  segment = g_malloc (segment_len);
  fail_unless (rtc_srtp_derive_key (profile, master_key, master_salt, 0,
      segment, segment_len));
  assert_hex (segment,
      "E03EAD0935C95E80E166B16DD92B4EB4"
      "D23513162B02D0F72A43A2FE4A5F97AB"
      "41E95B3BB0A2E8DD477901E4FCA894C0");
  assert_hex (segment + 0xfeff * 16,
      "EC8CDF7398607CB0F2D21675EA9EA1E4"
      "362B7C3C6773516318A077D7FC5073AE"
      "6A2CC3787889374FBEB4C81B17BA6C44");
  g_free (segment);

  fail_if (rtc_srtp_derive_key (profile, master_key, master_salt, 6, out, 16));
  fail_if (rtc_srtp_derive_key (RTC_SRTP_PROFILE_NONE, master_key, master_salt,
      0, out, 16));
}

GST_END_TEST;

/* libsrtp2, the reference implementation. */

static gpointer
init_libsrtp (gpointer data)
{
  srtp_err_status_t err = srtp_init ();

  /* bad_param: already initialised in this process, and ready. */
  return GINT_TO_POINTER (
      err == srtp_err_status_ok || err == srtp_err_status_bad_param);
}

/* A libsrtp session on the same master key as ours; @rtcp_auth_only sends
 * SRTCP with the E flag clear, authenticated but not encrypted. */
static srtp_t
ref_session_new (RtcSrtpProfile profile, gboolean outbound,
    gboolean rtcp_auth_only)
{
  static GOnce once = G_ONCE_INIT;
  guint key_len = rtc_srtp_profile_key_length (profile);
  srtp_policy_t policy;
  guint8 master[32 + 14];
  srtp_t ctx = NULL;

  fail_unless (GPOINTER_TO_INT (g_once (&once, init_libsrtp, NULL)));
  memset (&policy, 0, sizeof (policy));
  switch (profile) {
    case RTC_SRTP_PROFILE_AES128_CM_SHA1_80:
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 (&policy.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 (&policy.rtcp);
      break;
    case RTC_SRTP_PROFILE_AES128_CM_SHA1_32:
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32 (&policy.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 (&policy.rtcp);
      break;
    case RTC_SRTP_PROFILE_AEAD_AES_128_GCM:
      srtp_crypto_policy_set_aes_gcm_128_16_auth (&policy.rtp);
      srtp_crypto_policy_set_aes_gcm_128_16_auth (&policy.rtcp);
      break;
    case RTC_SRTP_PROFILE_AEAD_AES_256_GCM:
      srtp_crypto_policy_set_aes_gcm_256_16_auth (&policy.rtp);
      srtp_crypto_policy_set_aes_gcm_256_16_auth (&policy.rtcp);
      break;
    default:
      g_assert_not_reached ();
  }
  if (rtcp_auth_only)
    policy.rtcp.sec_serv = sec_serv_auth;
  policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
  memcpy (master, key, key_len);
  memcpy (master + key_len, salt, rtc_srtp_profile_salt_length (profile));
  policy.key = master;
  policy.window_size = 1024;
  policy.allow_repeat_tx = 0;
  fail_unless_equals_int (srtp_create (&ctx, &policy), srtp_err_status_ok);
  return ctx;
}

/* An RTP packet with @csrc_count CSRCs, a header extension of @ext_words
 * 32-bit words unless negative, and @payload_len bytes of payload. */
static gsize
make_rtp_full (guint8 *buf, guint16 seq, guint32 ssrc, guint csrc_count,
    gint ext_words, gsize payload_len)
{
  gsize len = 12, i;

  buf[0] = 0x80 | (ext_words >= 0 ? 0x10 : 0) | csrc_count;
  buf[1] = 96;
  GST_WRITE_UINT16_BE (buf + 2, seq);
  GST_WRITE_UINT32_BE (buf + 4, seq * 3000u);
  GST_WRITE_UINT32_BE (buf + 8, ssrc);
  for (i = 0; i < csrc_count; i++, len += 4)
    GST_WRITE_UINT32_BE (buf + len, 0xc5c5c500 + i);
  if (ext_words >= 0) {
    GST_WRITE_UINT16_BE (buf + len, 0xbede);
    GST_WRITE_UINT16_BE (buf + len + 2, ext_words);
    len += 4;
    for (i = 0; i < 4 * (gsize)ext_words; i++)
      buf[len++] = (guint8)(0xe0 + i);
  }
  for (i = 0; i < payload_len; i++)
    buf[len++] = (guint8)(i * 13 + seq);
  return len;
}

/* A sender report of @len bytes (a multiple of 4, at least 8). */
static gsize
make_rtcp (guint8 *buf, guint32 ssrc, gsize len)
{
  gsize i;

  buf[0] = 0x80;
  buf[1] = 200;
  GST_WRITE_UINT16_BE (buf + 2, len / 4 - 1);
  GST_WRITE_UINT32_BE (buf + 4, ssrc);
  for (i = 8; i < len; i++)
    buf[i] = (guint8)(i * 7 + ssrc);
  return len;
}

/* A packet in a heap block of its exact size, where valgrind sees any read
 * past its end. */
typedef struct {
  guint8 *data;
  gsize len;
} Packet;

static void
packet_set (Packet *packet, const guint8 *data, gsize len)
{
  packet->data = g_memdup2 (data, len);
  packet->len = len;
}

static void
packets_free (Packet *packets, guint n)
{
  guint i;

  for (i = 0; i < n; i++)
    g_free (packets[i].data);
  g_free (packets);
}

/* Unprotects a copy of @in with ours; on success it must equal @expected
 * unless that is %NULL. */
static RtcSrtpResult
ours_unprotect (RtcSrtpSession *rx, gboolean rtcp, const Packet *in,
    const Packet *expected)
{
  guint8 *copy = g_memdup2 (in->data, in->len);
  gsize len = in->len;
  RtcSrtpResult result = rtc_srtp_session_unprotect (rx, rtcp, copy, &len);

  if (result == RTC_SRTP_OK && expected) {
    fail_unless_equals_int (len, expected->len);
    fail_unless (memcmp (copy, expected->data, len) == 0);
  }
  g_free (copy);
  return result;
}

static srtp_err_status_t
ref_unprotect (srtp_t rx, gboolean rtcp, const Packet *in,
    const Packet *expected)
{
  guint8 *copy = g_memdup2 (in->data, in->len);
  int len = in->len;
  srtp_err_status_t err = rtcp ? srtp_unprotect_rtcp (rx, copy, &len)
                               : srtp_unprotect (rx, copy, &len);

  if (err == srtp_err_status_ok && expected) {
    fail_unless_equals_int (len, expected->len);
    fail_unless (memcmp (copy, expected->data, len) == 0);
  }
  g_free (copy);
  return err;
}

/* A delivery order for @n packets as a jittery network gives it: each run
 * of @run packets reversed, and every @late_every-th packet @late_by
 * places late (none if 0). */
static guint *
jittery_order (guint n, guint run, guint late_every, guint late_by)
{
  guint n_slots = 2 * (n + run + late_by);
  gint *slots = g_new (gint, n_slots);
  guint *order = g_new (guint, n);
  guint i, k = 0;

  for (i = 0; i < n_slots; i++)
    slots[i] = -1;
  for (i = 0; i < n; i++) {
    if (late_every && i % late_every == late_every / 2)
      slots[2 * (i + late_by) + 1] = i;
    else
      slots[2 * (i ^ (run - 1))] = i;
  }
  for (i = 0; i < n_slots; i++)
    if (slots[i] >= 0)
      order[k++] = slots[i];
  fail_unless_equals_int (k, n);
  g_free (slots);
  return order;
}

#define N_SSRCS 3
#define N_RTP 1401 /* one packet per payload size, 0 to 1400 */

/* Each side unprotects the other's packets (@per_ssrc per SSRC, in @order,
 * late ones included) and gets @plain back; then every one again is a
 * replay to both. */
static void
cross_unprotect (RtcSrtpSession *rx, srtp_t ref_rx, gboolean rtcp,
    const Packet *ours, const Packet *theirs, const Packet *plain,
    const guint *order, guint per_ssrc)
{
  guint i, k, s;

  for (k = 0; k < per_ssrc; k++) {
    for (s = 0; s < N_SSRCS; s++) {
      guint n = s * per_ssrc + order[k];

      fail_unless_equals_int (ref_unprotect (ref_rx, rtcp, &ours[n], &plain[n]),
          srtp_err_status_ok);
      fail_unless_equals_int (ours_unprotect (rx, rtcp, &theirs[n], &plain[n]),
          RTC_SRTP_OK);
    }
  }
  for (i = 0; i < N_SSRCS * per_ssrc; i++) {
    srtp_err_status_t err = ref_unprotect (ref_rx, rtcp, &ours[i], NULL);

    fail_unless (err == srtp_err_status_replay_fail
        || err == srtp_err_status_replay_old);
    fail_unless_equals_int (ours_unprotect (rx, rtcp, &theirs[i], NULL),
        RTC_SRTP_ERROR_REPLAY);
  }
}

#define FIRST_SEQ (65536 - 700) /* so the sequence number wraps midway */
static const guint32 cross_ssrcs[N_SSRCS] = { 0x00000001, 0x8badf00d,
  0xfffffffe };

/* Ours and libsrtp protect the same RTP packets into the same bytes, read
 * each other's, late and out of order, and refuse them a second time. */
GST_START_TEST (test_rtp_against_libsrtp)
{
  RtcSrtpProfile profile = all_profiles[__i__];
  RtcSrtpSession *tx = rtc_srtp_session_new (profile, TRUE, key, salt, NULL);
  RtcSrtpSession *rx = rtc_srtp_session_new (profile, FALSE, key, salt, NULL);
  srtp_t ref_tx = ref_session_new (profile, TRUE, FALSE);
  srtp_t ref_rx = ref_session_new (profile, FALSE, FALSE);
  Packet *plain = g_new0 (Packet, N_SSRCS * N_RTP);
  Packet *ours = g_new0 (Packet, N_SSRCS * N_RTP);
  Packet *theirs = g_new0 (Packet, N_SSRCS * N_RTP);
  guint *order = jittery_order (N_RTP, 32, 97, 500);
  guint8 *buf = g_malloc (2048);
  guint i, s;

  for (i = 0; i < N_RTP; i++) {
    for (s = 0; s < N_SSRCS; s++) {
      guint n = s * N_RTP + i;
      gsize len = make_rtp_full (buf, FIRST_SEQ + i, cross_ssrcs[s], i % 5,
          i % 3 ? (gint)(i % 4) : -1, (i * 113) % N_RTP);
      gsize ours_len = len;
      int ref_len = len;

      packet_set (&plain[n], buf, len);
      fail_unless_equals_int (rtc_srtp_session_protect (tx, FALSE, buf,
                                  &ours_len),
          RTC_SRTP_OK);
      fail_unless_equals_int (ours_len, len + rtp_tag_len (profile));
      packet_set (&ours[n], buf, ours_len);
      memcpy (buf, plain[n].data, len);
      fail_unless_equals_int (srtp_protect (ref_tx, buf, &ref_len),
          srtp_err_status_ok);
      packet_set (&theirs[n], buf, ref_len);
      /* Same keys, IVs and ROC: the very same bytes. */
      fail_unless_equals_int (ref_len, ours_len);
      fail_unless (memcmp (ours[n].data, theirs[n].data, ours_len) == 0,
          "%s: packet %u of SSRC %08x differs from libsrtp's",
          rtc_srtp_profile_name (profile), i, cross_ssrcs[s]);
    }
  }

  cross_unprotect (rx, ref_rx, FALSE, ours, theirs, plain, order, N_RTP);

  g_free (buf);
  g_free (order);
  packets_free (plain, N_SSRCS * N_RTP);
  packets_free (ours, N_SSRCS * N_RTP);
  packets_free (theirs, N_SSRCS * N_RTP);
  srtp_dealloc (ref_tx);
  srtp_dealloc (ref_rx);
  rtc_srtp_session_unref (tx);
  rtc_srtp_session_unref (rx);
}

GST_END_TEST;

#define N_RTCP 300

/* The same for SRTCP, plus libsrtp's authenticated-only SRTCP (E flag
 * clear), which RFC 3711 3.4 lets a sender choose. */
GST_START_TEST (test_rtcp_against_libsrtp)
{
  RtcSrtpProfile profile = all_profiles[__i__];
  guint trailer_at = is_aead (profile) ? rtcp_tag_len (profile) : 0;
  RtcSrtpSession *tx = rtc_srtp_session_new (profile, TRUE, key, salt, NULL);
  RtcSrtpSession *rx = rtc_srtp_session_new (profile, FALSE, key, salt, NULL);
  srtp_t ref_tx = ref_session_new (profile, TRUE, FALSE);
  srtp_t ref_tx_clear = ref_session_new (profile, TRUE, TRUE);
  srtp_t ref_rx = ref_session_new (profile, FALSE, FALSE);
  Packet *plain = g_new0 (Packet, N_SSRCS * N_RTCP);
  Packet *ours = g_new0 (Packet, N_SSRCS * N_RTCP);
  Packet *theirs = g_new0 (Packet, N_SSRCS * N_RTCP);
  Packet *clear = g_new0 (Packet, N_SSRCS * N_RTCP);
  /* libsrtp's SRTCP replay window is 128 packets. */
  guint *order = jittery_order (N_RTCP, 16, 0, 0);
  guint8 *buf = g_malloc (2048);
  guint i, s;

  /* Ours numbers a stream's SRTCP packets from 0 (RFC 3711 3.4), libsrtp
   * from 1: spend index 0 so that the rest line up byte for byte. */
  for (s = 0; s < N_SSRCS; s++) {
    gsize len = make_rtcp (buf, cross_ssrcs[s], 8);

    fail_unless_equals_int (rtc_srtp_session_protect (tx, TRUE, buf, &len),
        RTC_SRTP_OK);
  }

  for (i = 0; i < N_RTCP; i++) {
    for (s = 0; s < N_SSRCS; s++) {
      guint n = s * N_RTCP + i;
      gsize len = make_rtcp (buf, cross_ssrcs[s], 8 + 4 * (i % 250));
      gsize ours_len = len;
      int ref_len = len;

      packet_set (&plain[n], buf, len);
      fail_unless_equals_int (rtc_srtp_session_protect (tx, TRUE, buf,
                                  &ours_len),
          RTC_SRTP_OK);
      fail_unless_equals_int (ours_len, len + 4 + rtcp_tag_len (profile));
      fail_unless_equals_int (GST_READ_UINT32_BE (buf + len + trailer_at),
          0x80000000u | (i + 1));
      packet_set (&ours[n], buf, ours_len);

      memcpy (buf, plain[n].data, len);
      fail_unless_equals_int (srtp_protect_rtcp (ref_tx, buf, &ref_len),
          srtp_err_status_ok);
      packet_set (&theirs[n], buf, ref_len);
      fail_unless_equals_int (ref_len, ours_len);
      fail_unless (memcmp (ours[n].data, theirs[n].data, ours_len) == 0,
          "%s: SRTCP packet %u of SSRC %08x differs from libsrtp's",
          rtc_srtp_profile_name (profile), i, cross_ssrcs[s]);

      memcpy (buf, plain[n].data, len);
      ref_len = len;
      fail_unless_equals_int (srtp_protect_rtcp (ref_tx_clear, buf, &ref_len),
          srtp_err_status_ok);
      fail_unless (memcmp (buf, plain[n].data, len) == 0);
      packet_set (&clear[n], buf, ref_len);
    }
  }

  cross_unprotect (rx, ref_rx, TRUE, ours, theirs, plain, order, N_RTCP);

  /* Authenticated-only SRTCP, on a fresh receiver: the tag covers the
   * clear payload. */
  rtc_srtp_session_unref (rx);
  rx = rtc_srtp_session_new (profile, FALSE, key, salt, NULL);
  for (i = 0; i < N_SSRCS * N_RTCP; i++) {
    Packet forged;

    packet_set (&forged, clear[i].data, clear[i].len);
    forged.data[plain[i].len > 8 ? plain[i].len - 1 : 1] ^= 0x40;
    fail_unless_equals_int (ours_unprotect (rx, TRUE, &forged, NULL),
        RTC_SRTP_ERROR_AUTH);
    g_free (forged.data);
    fail_unless_equals_int (ours_unprotect (rx, TRUE, &clear[i], &plain[i]),
        RTC_SRTP_OK);
  }

  g_free (buf);
  g_free (order);
  packets_free (plain, N_SSRCS * N_RTCP);
  packets_free (ours, N_SSRCS * N_RTCP);
  packets_free (theirs, N_SSRCS * N_RTCP);
  packets_free (clear, N_SSRCS * N_RTCP);
  srtp_dealloc (ref_tx);
  srtp_dealloc (ref_tx_clear);
  srtp_dealloc (ref_rx);
  rtc_srtp_session_unref (tx);
  rtc_srtp_session_unref (rx);
}

GST_END_TEST;

GST_START_TEST (test_tag_lengths)
{
  guint p;

  for (p = 0; p < G_N_ELEMENTS (all_profiles); p++) {
    RtcSrtpProfile profile = all_profiles[p];

    fail_unless_equals_int (rtc_srtp_profile_max_overhead (profile),
        MAX (rtp_tag_len (profile), rtcp_tag_len (profile) + 4));
  }
  fail_unless_equals_int (rtc_srtp_profile_max_overhead (RTC_SRTP_PROFILE_NONE),
      0);
}

GST_END_TEST;

static void
flip_every_bit (RtcSrtpSession *rx, gboolean rtcp, const Packet *packet,
    const Packet *plain)
{
  gsize pos;
  guint bit;

  for (pos = 0; pos < packet->len; pos++) {
    for (bit = 0; bit < 8; bit++) {
      Packet forged;

      packet_set (&forged, packet->data, packet->len);
      forged.data[pos] ^= 1 << bit;
      fail_if (ours_unprotect (rx, rtcp, &forged, NULL) == RTC_SRTP_OK,
          "flipping bit %u of byte %" G_GSIZE_FORMAT " went unnoticed", bit,
          pos);
      g_free (forged.data);
    }
  }
  /* None of that changed the receiver's state. */
  fail_unless_equals_int (ours_unprotect (rx, rtcp, packet, plain),
      RTC_SRTP_OK);
}

GST_START_TEST (test_every_bit_flip_rejected)
{
  RtcSrtpProfile profile = all_profiles[__i__];
  g_autoptr (RtcSrtpSession) tx = rtc_srtp_session_new (profile, TRUE, key,
      salt, NULL);
  g_autoptr (RtcSrtpSession) rx = rtc_srtp_session_new (profile, FALSE, key,
      salt, NULL);
  guint8 buf[256];
  Packet plain, packet;
  gsize len;

  len = make_rtp_full (buf, 500, 0x12345678, 2, 2, 40);
  packet_set (&plain, buf, len);
  fail_unless_equals_int (rtc_srtp_session_protect (tx, FALSE, buf, &len),
      RTC_SRTP_OK);
  packet_set (&packet, buf, len);
  flip_every_bit (rx, FALSE, &packet, &plain);
  g_free (plain.data);
  g_free (packet.data);

  len = make_rtcp (buf, 0x12345678, 40);
  packet_set (&plain, buf, len);
  fail_unless_equals_int (rtc_srtp_session_protect (tx, TRUE, buf, &len),
      RTC_SRTP_OK);
  packet_set (&packet, buf, len);
  flip_every_bit (rx, TRUE, &packet, &plain);
  g_free (plain.data);
  g_free (packet.data);
}

GST_END_TEST;

/* Every prefix of a valid packet is refused, and one too short to hold a
 * header and tag as invalid, without reading past its end (valgrind). */
static void
check_prefixes (RtcSrtpSession *rx, gboolean rtcp, const Packet *packet,
    gsize min_len)
{
  gsize len;

  for (len = 0; len < packet->len; len++) {
    Packet prefix;
    RtcSrtpResult result;

    packet_set (&prefix, packet->data, len);
    result = ours_unprotect (rx, rtcp, &prefix, NULL);
    fail_if (result == RTC_SRTP_OK);
    if (len < min_len)
      fail_unless_equals_int (result, RTC_SRTP_ERROR_INVALID);
    g_free (prefix.data);
  }
}

GST_START_TEST (test_truncated_packets_rejected)
{
  RtcSrtpProfile profile = all_profiles[__i__];
  g_autoptr (RtcSrtpSession) tx = rtc_srtp_session_new (profile, TRUE, key,
      salt, NULL);
  g_autoptr (RtcSrtpSession) rx = rtc_srtp_session_new (profile, FALSE, key,
      salt, NULL);
  guint8 *buf = g_malloc0 (0x10000 + 64);
  Packet packet;
  gsize len, header_len;

  /* 12 + 3 CSRCs + 4 + 2 extension words */
  header_len = 12 + 12 + 4 + 8;
  len = make_rtp_full (buf, 1, 0x0badcafe, 3, 2, 24);
  fail_unless_equals_int (rtc_srtp_session_protect (tx, FALSE, buf, &len),
      RTC_SRTP_OK);
  packet_set (&packet, buf, len);
  check_prefixes (rx, FALSE, &packet, header_len + rtp_tag_len (profile));
  fail_unless_equals_int (ours_unprotect (rx, FALSE, &packet, NULL),
      RTC_SRTP_OK);
  g_free (packet.data);

  len = make_rtcp (buf, 0x0badcafe, 28);
  fail_unless_equals_int (rtc_srtp_session_protect (tx, TRUE, buf, &len),
      RTC_SRTP_OK);
  packet_set (&packet, buf, len);
  check_prefixes (rx, TRUE, &packet, 8 + 4 + rtcp_tag_len (profile));
  fail_unless_equals_int (ours_unprotect (rx, TRUE, &packet, NULL),
      RTC_SRTP_OK);
  g_free (packet.data);

  /* Plain packets shorter than their headers are not protected. */
  for (len = 0; len < 12; len++) {
    gsize n = len;

    make_rtp_full (buf, 2, 0x0badcafe, 0, -1, 0);
    fail_unless_equals_int (rtc_srtp_session_protect (tx, FALSE, buf, &n),
        RTC_SRTP_ERROR_INVALID);
  }
  for (len = 0; len < 8; len++) {
    gsize n = len;

    fail_unless_equals_int (rtc_srtp_session_protect (tx, TRUE, buf, &n),
        RTC_SRTP_ERROR_INVALID);
  }
  make_rtp_full (buf, 3, 0x0badcafe, 15, -1, 0);
  for (len = 12; len < 12 + 60; len++) {
    gsize n = len;

    fail_unless_equals_int (rtc_srtp_session_protect (tx, FALSE, buf, &n),
        RTC_SRTP_ERROR_INVALID);
  }
  /* An extension that claims 0xffff words. */
  len = make_rtp_full (buf, 4, 0x0badcafe, 1, 0, 100);
  GST_WRITE_UINT16_BE (buf + 16 + 2, 0xffff);
  packet_set (&packet, buf, len);
  fail_unless_equals_int (rtc_srtp_session_protect (tx, FALSE, buf, &len),
      RTC_SRTP_ERROR_INVALID);
  fail_unless_equals_int (ours_unprotect (rx, FALSE, &packet, NULL),
      RTC_SRTP_ERROR_INVALID);
  g_free (packet.data);

  /* Nothing longer than 64 KiB travels in UDP. */
  len = 0x10000;
  make_rtp_full (buf, 5, 0x0badcafe, 0, -1, len - 12);
  fail_unless_equals_int (rtc_srtp_session_protect (tx, FALSE, buf, &len),
      RTC_SRTP_ERROR_INVALID);
  fail_unless_equals_int (rtc_srtp_session_unprotect (rx, FALSE, buf, &len),
      RTC_SRTP_ERROR_INVALID);
  len = 0x10000 - 1;
  fail_unless_equals_int (rtc_srtp_session_protect (tx, FALSE, buf, &len),
      RTC_SRTP_OK);
  g_free (buf);
}

GST_END_TEST;

static Packet
protect_rtp_packet (RtcSrtpSession *tx, guint16 seq, guint32 ssrc)
{
  guint8 buf[128];
  gsize len = make_rtp_full (buf, seq, ssrc, 0, -1, 20);
  Packet packet;

  fail_unless_equals_int (rtc_srtp_session_protect (tx, FALSE, buf, &len),
      RTC_SRTP_OK);
  packet_set (&packet, buf, len);
  return packet;
}

/* A copy of @packet with another sequence number, or SRTCP index: a
 * forgery, as the tag no longer matches. */
static RtcSrtpResult
unprotect_forged (RtcSrtpSession *rx, gboolean rtcp, const Packet *packet,
    guint32 number, guint trailer_at)
{
  Packet forged;
  RtcSrtpResult result;

  packet_set (&forged, packet->data, packet->len);
  if (rtcp)
    GST_WRITE_UINT32_BE (forged.data + trailer_at, 0x80000000u | number);
  else
    GST_WRITE_UINT16_BE (forged.data + 2, number);
  result = ours_unprotect (rx, rtcp, &forged, NULL);
  g_free (forged.data);
  return result;
}

/* Forgeries are refused without creating a stream or moving a window (or,
 * with it, the ROC a later genuine packet would be read with). */
GST_START_TEST (test_forgeries_change_no_state)
{
  RtcSrtpProfile profile = all_profiles[__i__];
  g_autoptr (RtcSrtpSession) tx = rtc_srtp_session_new (profile, TRUE, key,
      salt, NULL);
  g_autoptr (RtcSrtpSession) rx = rtc_srtp_session_new (profile, FALSE, key,
      salt, NULL);
  Packet a[3], b, rtcp[3];
  guint8 buf[128];
  guint trailer_at;
  guint i;

  for (i = 0; i < 3; i++)
    a[i] = protect_rtp_packet (tx, 10 + i, 0xaaaaaaaa);
  b = protect_rtp_packet (tx, 5, 0xbbbbbbbb);

  fail_unless_equals_int (ours_unprotect (rx, FALSE, &a[0], NULL), RTC_SRTP_OK);
  /* Had these moved the window, a[1] would now be too old, or be read
   * with another ROC. */
  fail_unless_equals_int (unprotect_forged (rx, FALSE, &a[2], 10 + 2000, 0),
      RTC_SRTP_ERROR_AUTH);
  fail_unless_equals_int (unprotect_forged (rx, FALSE, &a[2], 40000, 0),
      RTC_SRTP_ERROR_AUTH);
  fail_unless_equals_int (ours_unprotect (rx, FALSE, &a[1], NULL), RTC_SRTP_OK);
  fail_unless_equals_int (ours_unprotect (rx, FALSE, &a[2], NULL), RTC_SRTP_OK);
  /* Had this created SSRC b's stream at sequence 65000, b (ROC 0, sequence
   * 5) would be read as ROC 1 and fail. */
  fail_unless_equals_int (unprotect_forged (rx, FALSE, &b, 65000, 0),
      RTC_SRTP_ERROR_AUTH);
  fail_unless_equals_int (ours_unprotect (rx, FALSE, &b, NULL), RTC_SRTP_OK);

  trailer_at = 8 + 12 + (is_aead (profile) ? rtcp_tag_len (profile) : 0);
  for (i = 0; i < 3; i++) {
    gsize len = make_rtcp (buf, 0xaaaaaaaa, 20);

    fail_unless_equals_int (rtc_srtp_session_protect (tx, TRUE, buf, &len),
        RTC_SRTP_OK);
    packet_set (&rtcp[i], buf, len);
  }
  fail_unless_equals_int (ours_unprotect (rx, TRUE, &rtcp[0], NULL),
      RTC_SRTP_OK);
  fail_unless_equals_int (unprotect_forged (rx, TRUE, &rtcp[2], 0x7fff0000,
                              trailer_at),
      RTC_SRTP_ERROR_AUTH);
  fail_unless_equals_int (ours_unprotect (rx, TRUE, &rtcp[1], NULL),
      RTC_SRTP_OK);
  fail_unless_equals_int (ours_unprotect (rx, TRUE, &rtcp[2], NULL),
      RTC_SRTP_OK);

  for (i = 0; i < 3; i++) {
    g_free (a[i].data);
    g_free (rtcp[i].data);
  }
  g_free (b.data);
}

GST_END_TEST;

#define N_WINDOW_TEST 6001

GST_START_TEST (test_replay_window_edges)
{
  RtcSrtpProfile profile = all_profiles[__i__];
  g_autoptr (RtcSrtpSession) tx = rtc_srtp_session_new (profile, TRUE, key,
      salt, NULL);
  g_autoptr (RtcSrtpSession) rx = rtc_srtp_session_new (profile, FALSE, key,
      salt, NULL);
  Packet *packets = g_new0 (Packet, N_WINDOW_TEST);
  static const struct {
    guint seq;
    RtcSrtpResult result;
  } steps[] = {
    { 2100, RTC_SRTP_OK },
    { 2100 - 1023, RTC_SRTP_OK }, /* the window's oldest */
    { 2100 - 1024, RTC_SRTP_ERROR_REPLAY }, /* just out of it */
    { 2100 - 1023, RTC_SRTP_ERROR_REPLAY },
    { 2100, RTC_SRTP_ERROR_REPLAY },
    { 2099, RTC_SRTP_OK },
    { 2101, RTC_SRTP_OK },
    { 6000, RTC_SRTP_OK }, /* a jump past the whole window */
    { 6000 - 1023, RTC_SRTP_OK },
    { 6000 - 1024, RTC_SRTP_ERROR_REPLAY },
    { 5999, RTC_SRTP_OK },
    { 2101, RTC_SRTP_ERROR_REPLAY },
  };
  guint i;
  guint8 buf[128];
  gsize len;

  for (i = 0; i < N_WINDOW_TEST; i++)
    packets[i] = protect_rtp_packet (tx, i, 0x01020304);
  for (i = 0; i < G_N_ELEMENTS (steps); i++) {
    RtcSrtpResult result = ours_unprotect (rx, FALSE, &packets[steps[i].seq],
        NULL);

    fail_unless (result == steps[i].result, "step %u (seq %u): %d, not %d", i,
        steps[i].seq, result, steps[i].result);
  }

  /* The sender refuses a repeat, and an index older than its window. */
  len = make_rtp_full (buf, 6000, 0x01020304, 0, -1, 20);
  fail_unless_equals_int (rtc_srtp_session_protect (tx, FALSE, buf, &len),
      RTC_SRTP_ERROR_REPLAY);
  len = make_rtp_full (buf, 4000, 0x01020304, 0, -1, 20);
  fail_unless_equals_int (rtc_srtp_session_protect (tx, FALSE, buf, &len),
      RTC_SRTP_ERROR_REPLAY);
  len = make_rtp_full (buf, 6001, 0x01020304, 0, -1, 20);
  fail_unless_equals_int (rtc_srtp_session_protect (tx, FALSE, buf, &len),
      RTC_SRTP_OK);
  packets_free (packets, N_WINDOW_TEST);
}

GST_END_TEST;

#define N_THREADS 4
#define N_THREAD_PACKETS 500

typedef struct {
  RtcSrtpSession *session;
  guint32 ssrc;
  Packet *packets;
  guint failures;
} ThreadData;

static gpointer
protect_thread (gpointer user_data)
{
  ThreadData *data = user_data;
  guint8 buf[256];
  guint i;

  for (i = 0; i < N_THREAD_PACKETS; i++) {
    gsize len = make_rtp_full (buf, i, data->ssrc, 1, 1, 100);

    if (rtc_srtp_session_protect (data->session, FALSE, buf, &len)
        != RTC_SRTP_OK)
      data->failures++;
    packet_set (&data->packets[i], buf, len);
  }
  return NULL;
}

static gpointer
unprotect_thread (gpointer user_data)
{
  ThreadData *data = user_data;
  guint i;

  for (i = 0; i < N_THREAD_PACKETS; i++)
    if (ours_unprotect (data->session, FALSE, &data->packets[i], NULL)
        != RTC_SRTP_OK)
      data->failures++;
  return NULL;
}

static void
run_threads (GThreadFunc func, ThreadData *data)
{
  GThread *threads[N_THREADS];
  guint t;

  for (t = 0; t < N_THREADS; t++)
    threads[t] = g_thread_new ("srtp", func, &data[t]);
  for (t = 0; t < N_THREADS; t++) {
    g_thread_join (threads[t]);
    fail_unless_equals_int (data[t].failures, 0);
  }
}

/* Streams on one session, each protected and unprotected in its own
 * thread. */
GST_START_TEST (test_concurrent_streams)
{
  RtcSrtpProfile profile = all_profiles[__i__];
  g_autoptr (RtcSrtpSession) tx = rtc_srtp_session_new (profile, TRUE, key,
      salt, NULL);
  g_autoptr (RtcSrtpSession) rx = rtc_srtp_session_new (profile, FALSE, key,
      salt, NULL);
  ThreadData data[N_THREADS];
  guint t;

  for (t = 0; t < N_THREADS; t++) {
    data[t].session = tx;
    data[t].ssrc = 0x1000 + t;
    data[t].packets = g_new0 (Packet, N_THREAD_PACKETS);
    data[t].failures = 0;
  }
  run_threads (protect_thread, data);
  for (t = 0; t < N_THREADS; t++)
    data[t].session = rx;
  run_threads (unprotect_thread, data);
  for (t = 0; t < N_THREADS; t++)
    packets_free (data[t].packets, N_THREAD_PACKETS);
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
  pkt[0] = 22; /* handshake record */
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
  pkt[1] = 96 | 0x80; /* marker bit set: still RTP */
  fail_unless_equals_int (rtc_packet_classify (pkt, 40), RTC_PACKET_RTP);
  pkt[1] = 200; /* SR */
  fail_unless_equals_int (rtc_packet_classify (pkt, 8), RTC_PACKET_RTCP);
  pkt[1] = 223;
  fail_unless_equals_int (rtc_packet_classify (pkt, 8), RTC_PACKET_RTCP);
  pkt[1] = 224;
  fail_unless_equals_int (rtc_packet_classify (pkt, 12), RTC_PACKET_RTP);
  pkt[0] = 0xc0; /* 192..255: nothing on a WebRTC transport */
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
  const gint n_profiles = G_N_ELEMENTS (all_profiles);

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_round_trip_all_profiles);
  tcase_add_test (tc, test_replay_and_tamper_rejected);
  tcase_add_test (tc, test_profile_names);
  tcase_add_test (tc, test_key_derivation_vectors);
  tcase_add_test (tc, test_tag_lengths);
  tcase_add_loop_test (tc, test_rtp_against_libsrtp, 0, n_profiles);
  tcase_add_loop_test (tc, test_rtcp_against_libsrtp, 0, n_profiles);
  tcase_add_loop_test (tc, test_every_bit_flip_rejected, 0, n_profiles);
  tcase_add_loop_test (tc, test_truncated_packets_rejected, 0, n_profiles);
  tcase_add_loop_test (tc, test_forgeries_change_no_state, 0, n_profiles);
  tcase_add_loop_test (tc, test_replay_window_edges, 0, n_profiles);
  tcase_add_loop_test (tc, test_concurrent_streams, 0, n_profiles);
  tcase_add_test (tc, test_classify);
  return s;
}

RTC_CHECK_MAIN (srtp);
