/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "rtcsrtp.h"
#include "rtcdtlserror.h"

#include <string.h>
#include <srtp2/srtp.h>

/* Replay window in packets; libsrtp's default of 128 drops legitimate
 * reordering on bursty video links, so use the size browsers use. */
#define REPLAY_WINDOW 1024

struct _RtcSrtpSession {
  gint refcount;
  GMutex lock;                  /* libsrtp contexts are not thread-safe */
  RtcSrtpProfile profile;
  srtp_t ctx;
};

typedef struct {
  RtcSrtpProfile profile;
  const gchar *name;            /* RFC 5764 / RFC 7714 name */
  const gchar *openssl_name;
  guint key_len, salt_len;
  guint rtp_tag_len, rtcp_tag_len;
} ProfileInfo;

static const ProfileInfo profiles[] = {
  {RTC_SRTP_PROFILE_AES128_CM_SHA1_80, "AES_CM_128_HMAC_SHA1_80",
      "SRTP_AES128_CM_SHA1_80", 16, 14, 10, 10},
  /* RFC 5764 4.1.2: SRTCP keeps the 80-bit tag with this profile. */
  {RTC_SRTP_PROFILE_AES128_CM_SHA1_32, "AES_CM_128_HMAC_SHA1_32",
      "SRTP_AES128_CM_SHA1_32", 16, 14, 4, 10},
  {RTC_SRTP_PROFILE_AEAD_AES_128_GCM, "AEAD_AES_128_GCM",
      "SRTP_AEAD_AES_128_GCM", 16, 12, 16, 16},
  {RTC_SRTP_PROFILE_AEAD_AES_256_GCM, "AEAD_AES_256_GCM",
      "SRTP_AEAD_AES_256_GCM", 32, 12, 16, 16},
};

static const ProfileInfo *
profile_info (RtcSrtpProfile profile)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (profiles); i++)
    if (profiles[i].profile == profile)
      return &profiles[i];
  return NULL;
}

const gchar *
rtc_srtp_profile_name (RtcSrtpProfile profile)
{
  const ProfileInfo *info = profile_info (profile);

  return info ? info->name : "none";
}

/**
 * rtc_srtp_profile_from_name:
 * @name: an RFC name ("AES_CM_128_HMAC_SHA1_80") or OpenSSL's
 *   ("SRTP_AES128_CM_SHA1_80")
 */
RtcSrtpProfile
rtc_srtp_profile_from_name (const gchar *name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (profiles); i++)
    if (g_ascii_strcasecmp (name, profiles[i].name) == 0
        || g_ascii_strcasecmp (name, profiles[i].openssl_name) == 0)
      return profiles[i].profile;
  return RTC_SRTP_PROFILE_NONE;
}

/**
 * rtc_srtp_profiles_to_openssl:
 * @profiles: colon-separated profile names, most preferred first
 *
 * Returns: the same list in the form SSL_CTX_set_tlsext_use_srtp() takes, or
 * %NULL with @error naming the unknown entry.
 */
gchar *
rtc_srtp_profiles_to_openssl (const gchar *profiles_str, GError **error)
{
  gchar **names = g_strsplit (profiles_str ? profiles_str : "", ":", -1);
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; names[i]; i++) {
    RtcSrtpProfile p = rtc_srtp_profile_from_name (g_strstrip (names[i]));

    if (p == RTC_SRTP_PROFILE_NONE) {
      g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT,
          "Unknown SRTP profile '%s' (known: AEAD_AES_128_GCM, "
          "AEAD_AES_256_GCM, AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32)",
          names[i]);
      g_strfreev (names);
      g_string_free (out, TRUE);
      return NULL;
    }
    if (out->len)
      g_string_append_c (out, ':');
    g_string_append (out, profile_info (p)->openssl_name);
  }
  g_strfreev (names);
  if (out->len == 0) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT,
        "The SRTP profile list is empty");
    g_string_free (out, TRUE);
    return NULL;
  }
  return g_string_free (out, FALSE);
}

guint
rtc_srtp_profile_key_length (RtcSrtpProfile profile)
{
  const ProfileInfo *info = profile_info (profile);

  return info ? info->key_len : 0;
}

guint
rtc_srtp_profile_salt_length (RtcSrtpProfile profile)
{
  const ProfileInfo *info = profile_info (profile);

  return info ? info->salt_len : 0;
}

/**
 * rtc_srtp_profile_max_overhead:
 *
 * Returns: the most bytes protection adds to an RTP or RTCP packet (tag, plus
 * the 4-byte SRTCP index for RTCP).
 */
guint
rtc_srtp_profile_max_overhead (RtcSrtpProfile profile)
{
  const ProfileInfo *info = profile_info (profile);

  return info ? MAX (info->rtp_tag_len, info->rtcp_tag_len + 4) : 0;
}

/**
 * rtc_srtp_profile_from_params:
 * @cipher: "aes-128-icm", "aes-128-gcm" or "aes-256-gcm"
 * @auth: "hmac-sha1-80" or "hmac-sha1-32" with aes-128-icm; %NULL or "null"
 *   with the AEAD ciphers, which authenticate by themselves
 *
 * Maps manual-keying parameters (the names srtpenc uses) to a profile.
 * Unencrypted or unauthenticated SRTP is refused.
 */
RtcSrtpProfile
rtc_srtp_profile_from_params (const gchar *cipher, const gchar *auth,
    GError **error)
{
  gboolean no_auth = auth == NULL || g_strcmp0 (auth, "null") == 0;

  if (g_strcmp0 (cipher, "aes-128-icm") == 0) {
    if (g_strcmp0 (auth, "hmac-sha1-80") == 0)
      return RTC_SRTP_PROFILE_AES128_CM_SHA1_80;
    if (g_strcmp0 (auth, "hmac-sha1-32") == 0)
      return RTC_SRTP_PROFILE_AES128_CM_SHA1_32;
  } else if (g_strcmp0 (cipher, "aes-128-gcm") == 0 && no_auth) {
    return RTC_SRTP_PROFILE_AEAD_AES_128_GCM;
  } else if (g_strcmp0 (cipher, "aes-256-gcm") == 0 && no_auth) {
    return RTC_SRTP_PROFILE_AEAD_AES_256_GCM;
  }
  g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT,
      "Unsupported SRTP cipher/auth pair '%s'/'%s': use aes-128-icm with "
      "hmac-sha1-80 or hmac-sha1-32, or aes-128-gcm / aes-256-gcm "
      "(unencrypted or unauthenticated SRTP is never allowed)",
      cipher ? cipher : "(unset)", auth ? auth : "(unset)");
  return RTC_SRTP_PROFILE_NONE;
}

static gpointer
init_libsrtp (gpointer data)
{
  srtp_err_status_t err = srtp_init ();

  /* libsrtp2 cannot say whether it is initialised: a second srtp_init () in
   * the process (gst-plugins-bad's srtp plugin calls it when it loads)
   * returns bad_param for its already registered debug module, yet the
   * library is ready. */
  return GINT_TO_POINTER (err == srtp_err_status_ok
      || err == srtp_err_status_bad_param);
}

/**
 * rtc_srtp_init:
 *
 * Initialises libsrtp2 once per process. Its first initialisation can take
 * tens of milliseconds (crypto back-end start-up), so connections call this
 * before their handshake rather than when keys are ready.
 */
gboolean
rtc_srtp_init (GError **error)
{
  static GOnce once = G_ONCE_INIT;

  if (GPOINTER_TO_INT (g_once (&once, init_libsrtp, NULL)))
    return TRUE;
  g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_SRTP,
      "libsrtp2 failed to initialise");
  return FALSE;
}

static void
set_crypto_policy (RtcSrtpProfile profile, srtp_policy_t *policy)
{
  switch (profile) {
    case RTC_SRTP_PROFILE_AES128_CM_SHA1_80:
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 (&policy->rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 (&policy->rtcp);
      break;
    case RTC_SRTP_PROFILE_AES128_CM_SHA1_32:
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32 (&policy->rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 (&policy->rtcp);
      break;
    case RTC_SRTP_PROFILE_AEAD_AES_128_GCM:
      srtp_crypto_policy_set_aes_gcm_128_16_auth (&policy->rtp);
      srtp_crypto_policy_set_aes_gcm_128_16_auth (&policy->rtcp);
      break;
    case RTC_SRTP_PROFILE_AEAD_AES_256_GCM:
      srtp_crypto_policy_set_aes_gcm_256_16_auth (&policy->rtp);
      srtp_crypto_policy_set_aes_gcm_256_16_auth (&policy->rtcp);
      break;
    default:
      g_assert_not_reached ();
  }
}

/**
 * rtc_srtp_session_new:
 * @outbound: %TRUE to protect, %FALSE to unprotect
 * @key: master key of rtc_srtp_profile_key_length() bytes
 * @salt: master salt of rtc_srtp_profile_salt_length() bytes
 */
RtcSrtpSession *
rtc_srtp_session_new (RtcSrtpProfile profile, gboolean outbound,
    const guint8 *key, const guint8 *salt, GError **error)
{
  const ProfileInfo *info = profile_info (profile);
  RtcSrtpSession *session;
  srtp_policy_t policy;
  guint8 master[32 + 14];
  srtp_err_status_t err;

  if (!rtc_srtp_init (error))
    return NULL;
  if (!info) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_SRTP,
        "No SRTP profile %d", profile);
    return NULL;
  }

  memset (&policy, 0, sizeof (policy));
  set_crypto_policy (profile, &policy);
  policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
  memcpy (master, key, info->key_len);
  memcpy (master + info->key_len, salt, info->salt_len);
  policy.key = master;
  policy.window_size = REPLAY_WINDOW;
  policy.allow_repeat_tx = 0;

  session = g_new0 (RtcSrtpSession, 1);
  session->refcount = 1;
  session->profile = profile;
  g_mutex_init (&session->lock);
  err = srtp_create (&session->ctx, &policy);
  memset (master, 0, sizeof (master));
  if (err != srtp_err_status_ok) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_SRTP,
        "libsrtp2 could not create a %s session (error %d)", info->name, err);
    g_mutex_clear (&session->lock);
    g_free (session);
    return NULL;
  }
  return session;
}

RtcSrtpSession *
rtc_srtp_session_ref (RtcSrtpSession *session)
{
  g_atomic_int_inc (&session->refcount);
  return session;
}

void
rtc_srtp_session_unref (RtcSrtpSession *session)
{
  if (!g_atomic_int_dec_and_test (&session->refcount))
    return;
  srtp_dealloc (session->ctx);
  g_mutex_clear (&session->lock);
  g_free (session);
}

RtcSrtpProfile
rtc_srtp_session_get_profile (RtcSrtpSession *session)
{
  return session->profile;
}

static RtcSrtpResult
map_error (srtp_err_status_t err)
{
  switch (err) {
    case srtp_err_status_ok:
      return RTC_SRTP_OK;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
      return RTC_SRTP_ERROR_REPLAY;
    case srtp_err_status_auth_fail:
    case srtp_err_status_cipher_fail:
      return RTC_SRTP_ERROR_AUTH;
    default:
      return RTC_SRTP_ERROR_INVALID;
  }
}

/**
 * rtc_srtp_session_protect:
 * @packet: an RTP or RTCP packet, in a buffer with room for
 *   rtc_srtp_profile_max_overhead() more bytes
 * @len: (inout): the packet length, then the protected length
 */
RtcSrtpResult
rtc_srtp_session_protect (RtcSrtpSession *session, gboolean rtcp,
    guint8 *packet, gsize *len)
{
  int n = (int) *len;
  srtp_err_status_t err;

  g_mutex_lock (&session->lock);
  err = rtcp ? srtp_protect_rtcp (session->ctx, packet, &n)
      : srtp_protect (session->ctx, packet, &n);
  g_mutex_unlock (&session->lock);
  if (err == srtp_err_status_ok)
    *len = n;
  return map_error (err);
}

/**
 * rtc_srtp_session_unprotect:
 * @len: (inout): the SRTP/SRTCP length, then the plain packet's length
 *
 * Authenticates, checks for replay and decrypts in place.
 */
RtcSrtpResult
rtc_srtp_session_unprotect (RtcSrtpSession *session, gboolean rtcp,
    guint8 *packet, gsize *len)
{
  int n = (int) *len;
  srtp_err_status_t err;

  if (*len > G_MAXINT)
    return RTC_SRTP_ERROR_INVALID;
  g_mutex_lock (&session->lock);
  err = rtcp ? srtp_unprotect_rtcp (session->ctx, packet, &n)
      : srtp_unprotect (session->ctx, packet, &n);
  g_mutex_unlock (&session->lock);
  if (err == srtp_err_status_ok)
    *len = n;
  return map_error (err);
}
