/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * SRTP and SRTCP (RFC 3711) with the AES-CM/HMAC-SHA1 transforms and the
 * AEAD AES-GCM ones (RFC 7714), on OpenSSL 3's EVP interface. Every cipher
 * and MAC context is keyed once per session; a packet only sets a new IV,
 * so the data path allocates nothing but a stream for a new SSRC.
 */
#include "rtcsrtp.h"
#include "rtcdtlserror.h"

#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

/* Replay window in packets; libsrtp's default of 128 drops legitimate
 * reordering on bursty video links, so use the size browsers use. */
#define REPLAY_WINDOW 1024
#define REPLAY_WORDS (REPLAY_WINDOW / 64)

#define RTP_HEADER_LEN 12
#define RTCP_HEADER_LEN 8
#define SRTCP_TRAILER_LEN 4 /* E flag and SRTCP index */
#define SRTCP_E_FLAG 0x80000000u

/* RFC 3711 9.2: a master key protects at most 2^48 SRTP packets and 2^31
 * SRTCP packets; past that the sender must rekey, so protect refuses. */
#define SRTP_INDEX_MAX ((G_GUINT64_CONSTANT (1) << 48) - 1)
#define SRTCP_INDEX_MAX 0x7fffffffu

/* Longer packets cannot travel in UDP or in RFC 4571 framing; the bound
 * also keeps every length below in int, which EVP takes. */
#define MAX_PACKET_LEN 65535

#define AES_BLOCK_LEN 16
#define AES_CM_SALT_LEN 14
#define GCM_IV_LEN 12
#define HMAC_SHA1_KEY_LEN 20
#define HMAC_SHA1_LEN 20
#define MAX_KEY_LEN 32

/* RFC 3711 4.3.2 key derivation labels; SRTCP's are SRTP's + 3. */
enum {
  LABEL_ENCRYPTION = 0x00,
  LABEL_AUTH = 0x01,
  LABEL_SALT = 0x02,
  LABEL_SRTCP_OFFSET = 0x03,
};

typedef struct {
  RtcSrtpProfile profile;
  const gchar *name; /* RFC 5764 / RFC 7714 name */
  const gchar *openssl_name;
  guint key_len, salt_len;
  guint rtp_tag_len, rtcp_tag_len;
  const gchar *cipher; /* OpenSSL name of the packet cipher */
  const gchar *prf; /* ... and of the key derivation PRF */
  gboolean aead;
} ProfileInfo;

static const ProfileInfo profiles[] = {
  { RTC_SRTP_PROFILE_AES128_CM_SHA1_80, "AES_CM_128_HMAC_SHA1_80",
      "SRTP_AES128_CM_SHA1_80", 16, 14, 10, 10, "AES-128-CTR", "AES-128-CTR",
      FALSE },
  /* RFC 5764 4.1.2: SRTCP keeps the 80-bit tag with this profile. */
  { RTC_SRTP_PROFILE_AES128_CM_SHA1_32, "AES_CM_128_HMAC_SHA1_32",
      "SRTP_AES128_CM_SHA1_32", 16, 14, 4, 10, "AES-128-CTR", "AES-128-CTR",
      FALSE },
  /* RFC 7714 11: the PRF is AES-CM with the master key's length. */
  { RTC_SRTP_PROFILE_AEAD_AES_128_GCM, "AEAD_AES_128_GCM",
      "SRTP_AEAD_AES_128_GCM", 16, 12, 16, 16, "AES-128-GCM", "AES-128-CTR",
      TRUE },
  { RTC_SRTP_PROFILE_AEAD_AES_256_GCM, "AEAD_AES_256_GCM",
      "SRTP_AEAD_AES_256_GCM", 32, 12, 16, 16, "AES-256-GCM", "AES-256-CTR",
      TRUE },
};

/* The replay list of RFC 3711 3.3.2 as a sliding window: bit
 * (index % REPLAY_WINDOW) of seen[] records that index, for the
 * REPLAY_WINDOW indices up to highest. Outbound streams keep one too: it
 * refuses to protect an index twice (two-time pad) and, for SRTP, carries
 * the ROC, which is highest >> 16. */
typedef struct {
  gboolean started;
  guint64 highest;
  guint64 seen[REPLAY_WORDS];
} ReplayWindow;

typedef struct {
  ReplayWindow rtp; /* 48-bit packet index, ROC || SEQ */
  ReplayWindow rtcp; /* 31-bit SRTCP index */
} Stream;

/* The session keys (RFC 3711 4.3.2) of SRTP or of SRTCP, held by keyed
 * EVP contexts; only the salt is kept in the clear. */
typedef struct {
  EVP_CIPHER_CTX *cipher;
  EVP_MAC_CTX *hmac; /* NULL with AEAD */
  guint8 salt[AES_CM_SALT_LEN]; /* 14 bytes, or 12 with AEAD */
  guint tag_len;
} Keys;

struct _RtcSrtpSession {
  gint refcount;
  GMutex lock; /* EVP contexts and streams */
  const ProfileInfo *info;
  gboolean outbound;
  Keys rtp, rtcp;
  GHashTable *streams; /* SSRC -> Stream */
};

static const ReplayWindow fresh_window;

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

  return info ? MAX (info->rtp_tag_len, info->rtcp_tag_len + SRTCP_TRAILER_LEN)
              : 0;
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
fetch_algorithms (gpointer data)
{
  static const gchar *const ciphers[] = { "AES-128-CTR", "AES-256-CTR",
    "AES-128-GCM", "AES-256-GCM" };
  gboolean ok = TRUE;
  EVP_MAC *mac;
  EVP_MD *md;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (ciphers); i++) {
    EVP_CIPHER *cipher = EVP_CIPHER_fetch (NULL, ciphers[i], NULL);

    ok = ok && cipher != NULL;
    EVP_CIPHER_free (cipher);
  }
  mac = EVP_MAC_fetch (NULL, "HMAC", NULL);
  md = EVP_MD_fetch (NULL, "SHA1", NULL);
  ok = ok && mac != NULL && md != NULL;
  EVP_MAC_free (mac);
  EVP_MD_free (md);
  /* A failed fetch leaves errors that a DTLS read on this thread would
   * take for its own. */
  ERR_clear_error ();
  return GINT_TO_POINTER (ok);
}

/**
 * rtc_srtp_init:
 *
 * Fetches the OpenSSL algorithms SRTP needs once per process. The first
 * fetch loads the provider and fills its method cache, which takes long
 * enough that connections call this before their handshake rather than
 * when keys are ready; it also reports a provider that lacks one of them.
 */
gboolean
rtc_srtp_init (GError **error)
{
  static GOnce once = G_ONCE_INIT;

  rtc_dtls_openssl_init ();
  if (GPOINTER_TO_INT (g_once (&once, fetch_algorithms, NULL)))
    return TRUE;
  g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_SRTP,
      "OpenSSL does not provide AES-CTR, AES-GCM and HMAC-SHA1, which SRTP "
      "needs");
  return FALSE;
}

static void
write_u32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

static guint32
read_u32 (const guint8 *p)
{
  return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

static guint16
read_u16 (const guint8 *p)
{
  return (guint16)(p[0] << 8 | p[1]);
}

static gboolean
fail_crypto (void)
{
  /* Keep the thread's error queue clean for DTLS, which reads it. */
  ERR_clear_error ();
  return FALSE;
}

/* XORs @len bytes of AES-CM keystream (RFC 3711 4.1.1) into @data. The
 * counter is the whole block, as OpenSSL's CTR mode counts; the two agree
 * because a packet is far shorter than 2^16 blocks. */
static gboolean
aes_cm_xor (EVP_CIPHER_CTX *ctx, const guint8 iv[AES_BLOCK_LEN], guint8 *data,
    gsize len)
{
  int out_len;

  if (EVP_EncryptInit_ex (ctx, NULL, NULL, NULL, iv) != 1)
    return fail_crypto ();
  if (len > 0 && EVP_EncryptUpdate (ctx, data, &out_len, data, len) != 1)
    return fail_crypto ();
  return TRUE;
}

/* RFC 3711 4.3.1 and 4.3.3 (key derivation rate 0): the AES-CM keystream
 * under the master key with IV = (master_salt XOR (label << 48)) * 2^16. A
 * 96-bit AEAD master salt is padded with zeros to 112 bits (RFC 7714 11,
 * as libsrtp does). */
static gboolean
derive (const ProfileInfo *info, const guint8 *master_key,
    const guint8 *master_salt, guint label, guint8 *out, gsize out_len)
{
  guint8 iv[AES_BLOCK_LEN] = { 0 };
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new ();
  EVP_CIPHER *prf = EVP_CIPHER_fetch (NULL, info->prf, NULL);
  gboolean ok;

  memcpy (iv, master_salt, info->salt_len);
  iv[7] ^= label;
  memset (out, 0, out_len);
  ok = ctx && prf && EVP_EncryptInit_ex (ctx, prf, NULL, master_key, NULL) == 1
      && aes_cm_xor (ctx, iv, out, out_len);
  EVP_CIPHER_free (prf);
  EVP_CIPHER_CTX_free (ctx);
  if (!ok)
    return fail_crypto ();
  return TRUE;
}

/**
 * rtc_srtp_derive_key:
 * @profile: the profile, which sets the master key and salt lengths and the
 *   PRF (AES-128-CM, or AES-256-CM for AEAD_AES_256_GCM)
 * @label: 0-2 for SRTP's encryption key, authentication key and salt, 3-5
 *   for SRTCP's
 * @out: (out caller-allocates): @out_len bytes of session key material
 *
 * The SRTP key derivation function (RFC 3711 4.3, key derivation rate 0),
 * exposed so that it can be checked against published test vectors.
 *
 * Returns: %FALSE for an unknown profile or label, or more than 2^31 - 1
 * bytes.
 */
gboolean
rtc_srtp_derive_key (RtcSrtpProfile profile, const guint8 *master_key,
    const guint8 *master_salt, guint label, guint8 *out, gsize out_len)
{
  const ProfileInfo *info = profile_info (profile);

  if (!info || label > LABEL_SALT + LABEL_SRTCP_OFFSET || out_len > G_MAXINT)
    return FALSE;
  return derive (info, master_key, master_salt, label, out, out_len);
}

static gboolean
keys_init_hmac (Keys *keys, const ProfileInfo *info, const guint8 *master_key,
    const guint8 *master_salt, guint label_offset)
{
  guint8 auth_key[HMAC_SHA1_KEY_LEN];
  OSSL_PARAM params[] = {
    OSSL_PARAM_construct_utf8_string (OSSL_MAC_PARAM_DIGEST, (char *)"SHA1", 0),
    OSSL_PARAM_construct_end ()
  };
  EVP_MAC *mac = EVP_MAC_fetch (NULL, "HMAC", NULL);
  gboolean ok;

  keys->hmac = mac ? EVP_MAC_CTX_new (mac) : NULL;
  EVP_MAC_free (mac);
  ok = keys->hmac
      && derive (info, master_key, master_salt, LABEL_AUTH + label_offset,
          auth_key, sizeof (auth_key))
      && EVP_MAC_init (keys->hmac, auth_key, sizeof (auth_key), params) == 1;
  OPENSSL_cleanse (auth_key, sizeof (auth_key));
  return ok;
}

/* Derives the SRTP (or SRTCP) session keys and keys the contexts with them
 * (RFC 3711 4.3.2; RFC 7714 11 for AEAD, which has no auth key). */
static gboolean
keys_init (Keys *keys, const ProfileInfo *info, gboolean outbound,
    gboolean rtcp, const guint8 *master_key, const guint8 *master_salt)
{
  guint label_offset = rtcp ? LABEL_SRTCP_OFFSET : 0;
  guint8 key[MAX_KEY_LEN];
  EVP_CIPHER *cipher = EVP_CIPHER_fetch (NULL, info->cipher, NULL);
  gboolean ok;

  keys->tag_len = rtcp ? info->rtcp_tag_len : info->rtp_tag_len;
  keys->cipher = EVP_CIPHER_CTX_new ();
  ok = cipher && keys->cipher
      && derive (info, master_key, master_salt, LABEL_ENCRYPTION + label_offset,
          key, info->key_len)
      && derive (info, master_key, master_salt, LABEL_SALT + label_offset,
          keys->salt, info->salt_len)
      /* AES-CM is its own inverse; only GCM has a direction. */
      && EVP_CipherInit_ex (keys->cipher, cipher, NULL, key, NULL,
             outbound || !info->aead)
          == 1
      && (info->aead
          || keys_init_hmac (keys, info, master_key, master_salt,
              label_offset));
  OPENSSL_cleanse (key, sizeof (key));
  EVP_CIPHER_free (cipher);
  if (!ok)
    return fail_crypto ();
  return TRUE;
}

static void
keys_clear (Keys *keys)
{
  /* Both free functions cleanse the key schedules they hold. */
  EVP_CIPHER_CTX_free (keys->cipher);
  EVP_MAC_CTX_free (keys->hmac);
  OPENSSL_cleanse (keys->salt, sizeof (keys->salt));
}

static void
session_free (RtcSrtpSession *session)
{
  keys_clear (&session->rtp);
  keys_clear (&session->rtcp);
  g_hash_table_unref (session->streams);
  g_mutex_clear (&session->lock);
  g_free (session);
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

  if (!rtc_srtp_init (error))
    return NULL;
  if (!info) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_SRTP,
        "No SRTP profile %d", profile);
    return NULL;
  }

  session = g_new0 (RtcSrtpSession, 1);
  session->refcount = 1;
  session->info = info;
  session->outbound = outbound;
  g_mutex_init (&session->lock);
  session->streams = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  if (!keys_init (&session->rtp, info, outbound, FALSE, key, salt)
      || !keys_init (&session->rtcp, info, outbound, TRUE, key, salt)) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_SRTP,
        "OpenSSL could not key a %s session", info->name);
    session_free (session);
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
  if (g_atomic_int_dec_and_test (&session->refcount))
    session_free (session);
}

RtcSrtpProfile
rtc_srtp_session_get_profile (RtcSrtpSession *session)
{
  return session->info->profile;
}

static Stream *
lookup_stream (RtcSrtpSession *session, guint32 ssrc)
{
  return g_hash_table_lookup (session->streams, GUINT_TO_POINTER (ssrc));
}

static Stream *
ensure_stream (RtcSrtpSession *session, guint32 ssrc)
{
  Stream *stream = lookup_stream (session, ssrc);

  if (!stream) {
    stream = g_new0 (Stream, 1);
    g_hash_table_insert (session->streams, GUINT_TO_POINTER (ssrc), stream);
  }
  return stream;
}

static gboolean
replay_seen (const ReplayWindow *window, guint64 index)
{
  guint pos = index % REPLAY_WINDOW;

  return (window->seen[pos / 64] >> (pos % 64)) & 1;
}

/* RFC 3711 3.3.2: an index is new when above the highest one, or inside
 * the window and not yet seen. */
static gboolean
replay_check (const ReplayWindow *window, guint64 index)
{
  if (!window->started || index > window->highest)
    return TRUE;
  return window->highest - index < REPLAY_WINDOW
      && !replay_seen (window, index);
}

/* Records @index, which replay_check() accepted, sliding the window. */
static void
replay_add (ReplayWindow *window, guint64 index)
{
  guint pos;

  if (!window->started) {
    window->started = TRUE;
    window->highest = index;
  } else if (index > window->highest) {
    if (index - window->highest >= REPLAY_WINDOW) {
      memset (window->seen, 0, sizeof (window->seen));
    } else {
      /* Free the slots of the indices that fall out of the window. */
      for (pos = (window->highest + 1) % REPLAY_WINDOW;
           pos != (index + 1) % REPLAY_WINDOW; pos = (pos + 1) % REPLAY_WINDOW)
        window->seen[pos / 64] &= ~(G_GUINT64_CONSTANT (1) << (pos % 64));
    }
    window->highest = index;
  }
  pos = index % REPLAY_WINDOW;
  window->seen[pos / 64] |= G_GUINT64_CONSTANT (1) << (pos % 64);
}

/* RFC 3711 3.3.1 and Appendix A: the packet index i = 2^16 * ROC + SEQ,
 * guessing the ROC from the highest index so far. A stream starts with ROC
 * 0, and a packet far behind while the ROC is 0 is taken for ROC 0, not
 * -1, as libsrtp does; a guess past ROC 2^32 - 1 exceeds SRTP_INDEX_MAX. */
static guint64
estimate_index (const ReplayWindow *window, guint16 seq)
{
  guint64 roc = window->highest >> 16;
  guint16 s_l = window->highest & 0xffff;

  if (!window->started)
    return seq;
  if (s_l < 0x8000) {
    if (seq > s_l + 0x8000 && roc > 0)
      roc--;
  } else if (seq < s_l - 0x8000) {
    roc++;
  }
  return roc << 16 | seq;
}

/* RFC 3550 5.1 and 5.3.1: the header runs to the end of the CSRC list
 * and of the header extension, if any. Returns 0 if that is beyond @len. */
static gsize
rtp_header_len (const guint8 *packet, gsize len)
{
  gsize header_len;

  if (len < RTP_HEADER_LEN)
    return 0;
  header_len = RTP_HEADER_LEN + 4 * (packet[0] & 0x0f);
  if (packet[0] & 0x10) {
    if (len < header_len + 4)
      return 0;
    header_len += 4 + 4 * (gsize)read_u16 (packet + header_len + 2);
  }
  return header_len <= len ? header_len : 0;
}

/* RFC 3711 4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), for
 * SRTP's 48-bit packet index and SRTCP's 31-bit one alike. */
static void
aes_cm_iv (const Keys *keys, guint32 ssrc, guint64 index,
    guint8 iv[AES_BLOCK_LEN])
{
  guint i;

  memcpy (iv, keys->salt, AES_CM_SALT_LEN);
  iv[14] = iv[15] = 0;
  for (i = 0; i < 4; i++)
    iv[4 + i] ^= ssrc >> (24 - 8 * i);
  for (i = 0; i < 6; i++)
    iv[8 + i] ^= index >> (40 - 8 * i);
}

/* RFC 7714 8.1 and 9.1: IV = (0x0000 || SSRC || ROC || SEQ) XOR salt for
 * SRTP, (0x0000 || SSRC || 0x0000 || 0 || SRTCP index) XOR salt for SRTCP:
 * both are the index in the last 48 bits. */
static void
gcm_iv (const Keys *keys, guint32 ssrc, guint64 index, guint8 iv[GCM_IV_LEN])
{
  guint i;

  memcpy (iv, keys->salt, GCM_IV_LEN);
  for (i = 0; i < 4; i++)
    iv[2 + i] ^= ssrc >> (24 - 8 * i);
  for (i = 0; i < 6; i++)
    iv[6 + i] ^= index >> (40 - 8 * i);
}

/* RFC 3711 4.2.1: HMAC-SHA1 over the authenticated portion, followed for
 * SRTP by the ROC (@roc NULL for SRTCP, whose index is in the portion). */
static gboolean
hmac_sha1 (const Keys *keys, const guint8 *data, gsize len, const guint8 *roc,
    guint8 mac[HMAC_SHA1_LEN])
{
  size_t mac_len;

  /* No key: OpenSSL 3 restarts with the one already set. */
  if (EVP_MAC_init (keys->hmac, NULL, 0, NULL) != 1
      || EVP_MAC_update (keys->hmac, data, len) != 1
      || (roc && EVP_MAC_update (keys->hmac, roc, 4) != 1)
      || EVP_MAC_final (keys->hmac, mac, &mac_len, HMAC_SHA1_LEN) != 1)
    return fail_crypto ();
  return TRUE;
}

static gboolean
hmac_verify (const Keys *keys, const guint8 *data, gsize len, const guint8 *roc,
    const guint8 *tag)
{
  guint8 mac[HMAC_SHA1_LEN];

  return hmac_sha1 (keys, data, len, roc, mac)
      && CRYPTO_memcmp (mac, tag, keys->tag_len) == 0;
}

typedef struct {
  const guint8 *data;
  gsize len;
} Span;

/* AES-GCM (RFC 7714 5.2) in place over @data with the two pieces of
 * associated data @aad (either may be empty). Seals into @tag when
 * outbound, else checks @tag and wipes @data if it does not match, so
 * that a forged packet's keystream never leaves. */
static gboolean
gcm_crypt (const Keys *keys, gboolean outbound, const guint8 iv[GCM_IV_LEN],
    const Span aad[2], guint8 *data, gsize len, guint8 *tag)
{
  EVP_CIPHER_CTX *ctx = keys->cipher;
  guint8 none[AES_BLOCK_LEN]; /* GCM's final step outputs nothing */
  int out_len;
  guint i;

  if (EVP_CipherInit_ex (ctx, NULL, NULL, NULL, iv, outbound) != 1)
    return fail_crypto ();
  for (i = 0; i < 2; i++)
    if (aad[i].len > 0
        && EVP_CipherUpdate (ctx, NULL, &out_len, aad[i].data, aad[i].len) != 1)
      return fail_crypto ();
  if (len > 0 && EVP_CipherUpdate (ctx, data, &out_len, data, len) != 1)
    return fail_crypto ();
  if (outbound) {
    if (EVP_CipherFinal_ex (ctx, none, &out_len) != 1
        || EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_AEAD_GET_TAG, keys->tag_len, tag)
            != 1)
      return fail_crypto ();
    return TRUE;
  }
  if (EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_AEAD_SET_TAG, keys->tag_len, tag) != 1
      || EVP_CipherFinal_ex (ctx, none, &out_len) != 1) {
    OPENSSL_cleanse (data, len);
    return fail_crypto ();
  }
  return TRUE;
}

static RtcSrtpResult
protect_rtp (RtcSrtpSession *session, guint8 *packet, gsize *len)
{
  const Keys *keys = &session->rtp;
  gsize header_len = rtp_header_len (packet, *len);
  guint32 ssrc;
  Stream *stream;
  const ReplayWindow *window;
  guint64 index;
  gboolean ok;

  if (header_len == 0)
    return RTC_SRTP_ERROR_INVALID;
  ssrc = read_u32 (packet + 8);
  stream = lookup_stream (session, ssrc);
  window = stream ? &stream->rtp : &fresh_window;
  index = estimate_index (window, read_u16 (packet + 2));
  if (index > SRTP_INDEX_MAX)
    return RTC_SRTP_ERROR_INVALID;
  /* Like libsrtp with allow_repeat_tx = 0: never reuse a keystream. */
  if (!replay_check (window, index))
    return RTC_SRTP_ERROR_REPLAY;

  if (session->info->aead) {
    guint8 iv[GCM_IV_LEN];
    const Span aad[2] = { { packet, header_len }, { NULL, 0 } };

    gcm_iv (keys, ssrc, index, iv);
    ok = gcm_crypt (keys, TRUE, iv, aad, packet + header_len, *len - header_len,
        packet + *len);
  } else {
    guint8 iv[AES_BLOCK_LEN], roc[4], mac[HMAC_SHA1_LEN];

    aes_cm_iv (keys, ssrc, index, iv);
    write_u32 (roc, index >> 16);
    ok = aes_cm_xor (keys->cipher, iv, packet + header_len, *len - header_len)
        && hmac_sha1 (keys, packet, *len, roc, mac);
    if (ok)
      memcpy (packet + *len, mac, keys->tag_len);
  }
  if (!ok)
    return RTC_SRTP_ERROR_INVALID;
  replay_add (&ensure_stream (session, ssrc)->rtp, index);
  *len += keys->tag_len;
  return RTC_SRTP_OK;
}

static RtcSrtpResult
unprotect_rtp (RtcSrtpSession *session, guint8 *packet, gsize *len)
{
  const Keys *keys = &session->rtp;
  gsize plain_len, header_len;
  guint32 ssrc;
  Stream *stream;
  const ReplayWindow *window;
  guint64 index;
  gboolean ok;

  if (*len < keys->tag_len)
    return RTC_SRTP_ERROR_INVALID;
  plain_len = *len - keys->tag_len;
  header_len = rtp_header_len (packet, plain_len);
  if (header_len == 0)
    return RTC_SRTP_ERROR_INVALID;
  ssrc = read_u32 (packet + 8);
  stream = lookup_stream (session, ssrc);
  window = stream ? &stream->rtp : &fresh_window;
  index = estimate_index (window, read_u16 (packet + 2));
  if (index > SRTP_INDEX_MAX || !replay_check (window, index))
    return RTC_SRTP_ERROR_REPLAY;

  if (session->info->aead) {
    guint8 iv[GCM_IV_LEN];
    const Span aad[2] = { { packet, header_len }, { NULL, 0 } };

    gcm_iv (keys, ssrc, index, iv);
    ok = gcm_crypt (keys, FALSE, iv, aad, packet + header_len,
        plain_len - header_len, packet + plain_len);
  } else {
    guint8 iv[AES_BLOCK_LEN], roc[4];

    aes_cm_iv (keys, ssrc, index, iv);
    write_u32 (roc, index >> 16);
    /* Authenticate before decrypting: RFC 3711 3.3 step 5. */
    ok = hmac_verify (keys, packet, plain_len, roc, packet + plain_len)
        && aes_cm_xor (keys->cipher, iv, packet + header_len,
            plain_len - header_len);
  }
  if (!ok)
    return RTC_SRTP_ERROR_AUTH;
  /* Only an authentic packet may create a stream or move its window
   * (and with it the ROC). */
  replay_add (&ensure_stream (session, ssrc)->rtp, index);
  *len = plain_len;
  return RTC_SRTP_OK;
}

/* RFC 3711 3.4: the SRTCP index counts this SSRC's packets from 0. */
static RtcSrtpResult
protect_rtcp (RtcSrtpSession *session, guint8 *packet, gsize *len)
{
  const Keys *keys = &session->rtcp;
  guint32 ssrc;
  Stream *stream;
  guint64 index;
  gboolean ok;

  if (*len < RTCP_HEADER_LEN)
    return RTC_SRTP_ERROR_INVALID;
  ssrc = read_u32 (packet + 4);
  stream = lookup_stream (session, ssrc);
  index = stream && stream->rtcp.started ? stream->rtcp.highest + 1 : 0;
  if (index > SRTCP_INDEX_MAX)
    return RTC_SRTP_ERROR_INVALID;

  if (session->info->aead) {
    /* RFC 7714 9: ciphertext, tag, then E flag and index; the header and
     * that last word are the associated data. */
    guint8 iv[GCM_IV_LEN];
    guint8 *tag = packet + *len, *trailer = tag + keys->tag_len;
    const Span aad[2] = { { packet, RTCP_HEADER_LEN },
      { trailer, SRTCP_TRAILER_LEN } };

    write_u32 (trailer, SRTCP_E_FLAG | index);
    gcm_iv (keys, ssrc, index, iv);
    ok = gcm_crypt (keys, TRUE, iv, aad, packet + RTCP_HEADER_LEN,
        *len - RTCP_HEADER_LEN, tag);
  } else {
    /* RFC 3711 3.4: ciphertext, E flag and index, then the tag over all
     * that comes before it. */
    guint8 iv[AES_BLOCK_LEN], mac[HMAC_SHA1_LEN];
    guint8 *trailer = packet + *len, *tag = trailer + SRTCP_TRAILER_LEN;

    write_u32 (trailer, SRTCP_E_FLAG | index);
    aes_cm_iv (keys, ssrc, index, iv);
    ok = aes_cm_xor (keys->cipher, iv, packet + RTCP_HEADER_LEN,
             *len - RTCP_HEADER_LEN)
        && hmac_sha1 (keys, packet, *len + SRTCP_TRAILER_LEN, NULL, mac);
    if (ok)
      memcpy (tag, mac, keys->tag_len);
  }
  if (!ok)
    return RTC_SRTP_ERROR_INVALID;
  replay_add (&ensure_stream (session, ssrc)->rtcp, index);
  *len += keys->tag_len + SRTCP_TRAILER_LEN;
  return RTC_SRTP_OK;
}

/* SRTCP packets with the E flag clear are authenticated only (RFC 3711
 * 3.4, RFC 7714 9.2: then the whole packet is associated data). */
static RtcSrtpResult
unprotect_rtcp (RtcSrtpSession *session, guint8 *packet, gsize *len)
{
  const Keys *keys = &session->rtcp;
  gsize plain_len;
  guint8 *trailer, *tag;
  guint32 ssrc, word;
  Stream *stream;
  guint64 index;
  gboolean encrypted, ok;

  if (*len < RTCP_HEADER_LEN + SRTCP_TRAILER_LEN + keys->tag_len)
    return RTC_SRTP_ERROR_INVALID;
  plain_len = *len - SRTCP_TRAILER_LEN - keys->tag_len;
  if (session->info->aead) {
    tag = packet + plain_len;
    trailer = tag + keys->tag_len;
  } else {
    trailer = packet + plain_len;
    tag = trailer + SRTCP_TRAILER_LEN;
  }
  word = read_u32 (trailer);
  encrypted = (word & SRTCP_E_FLAG) != 0;
  index = word & SRTCP_INDEX_MAX;
  ssrc = read_u32 (packet + 4);
  stream = lookup_stream (session, ssrc);
  if (!replay_check (stream ? &stream->rtcp : &fresh_window, index))
    return RTC_SRTP_ERROR_REPLAY;

  if (session->info->aead) {
    guint8 iv[GCM_IV_LEN];
    const Span aad[2] = { { packet, encrypted ? RTCP_HEADER_LEN : plain_len },
      { trailer, SRTCP_TRAILER_LEN } };

    gcm_iv (keys, ssrc, index, iv);
    ok = gcm_crypt (keys, FALSE, iv, aad, packet + RTCP_HEADER_LEN,
        encrypted ? plain_len - RTCP_HEADER_LEN : 0, tag);
  } else {
    guint8 iv[AES_BLOCK_LEN];

    aes_cm_iv (keys, ssrc, index, iv);
    ok = hmac_verify (keys, packet, plain_len + SRTCP_TRAILER_LEN, NULL, tag)
        && (!encrypted
            || aes_cm_xor (keys->cipher, iv, packet + RTCP_HEADER_LEN,
                plain_len - RTCP_HEADER_LEN));
  }
  if (!ok)
    return RTC_SRTP_ERROR_AUTH;
  replay_add (&ensure_stream (session, ssrc)->rtcp, index);
  *len = plain_len;
  return RTC_SRTP_OK;
}

/**
 * rtc_srtp_session_protect:
 * @packet: an RTP or RTCP packet, in a buffer with room for
 *   rtc_srtp_profile_max_overhead() more bytes
 * @len: (inout): the packet length, then the protected length
 *
 * Encrypts and authenticates in place. An SRTP packet index (SSRC,
 * ROC || SEQ) is protected once only: a repeat, or one older than the
 * replay window, gives %RTC_SRTP_ERROR_REPLAY.
 */
RtcSrtpResult
rtc_srtp_session_protect (RtcSrtpSession *session, gboolean rtcp,
    guint8 *packet, gsize *len)
{
  RtcSrtpResult result;

  g_return_val_if_fail (session->outbound, RTC_SRTP_ERROR_INVALID);
  if (*len > MAX_PACKET_LEN)
    return RTC_SRTP_ERROR_INVALID;
  g_mutex_lock (&session->lock);
  result = rtcp ? protect_rtcp (session, packet, len)
                : protect_rtp (session, packet, len);
  g_mutex_unlock (&session->lock);
  return result;
}

/**
 * rtc_srtp_session_unprotect:
 * @len: (inout): the SRTP/SRTCP length, then the plain packet's length
 *
 * Checks for replay, authenticates and decrypts in place. A packet that
 * fails changes no state; its content is then unspecified.
 */
RtcSrtpResult
rtc_srtp_session_unprotect (RtcSrtpSession *session, gboolean rtcp,
    guint8 *packet, gsize *len)
{
  RtcSrtpResult result;

  g_return_val_if_fail (!session->outbound, RTC_SRTP_ERROR_INVALID);
  if (*len > MAX_PACKET_LEN)
    return RTC_SRTP_ERROR_INVALID;
  g_mutex_lock (&session->lock);
  result = rtcp ? unprotect_rtcp (session, packet, len)
                : unprotect_rtp (session, packet, len);
  g_mutex_unlock (&session->lock);
  return result;
}
