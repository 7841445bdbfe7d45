/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RtcSrtpProfile:
 *
 * DTLS-SRTP protection profiles, valued as their IANA identifiers
 * (RFC 5764 section 4.1.2, RFC 7714 section 14.2).
 */
typedef enum {
  RTC_SRTP_PROFILE_NONE = 0,
  RTC_SRTP_PROFILE_AES128_CM_SHA1_80 = 0x0001,
  RTC_SRTP_PROFILE_AES128_CM_SHA1_32 = 0x0002,
  RTC_SRTP_PROFILE_AEAD_AES_128_GCM = 0x0007,
  RTC_SRTP_PROFILE_AEAD_AES_256_GCM = 0x0008,
} RtcSrtpProfile;

/* Default DTLS-SRTP preference: AEAD first, as current browsers do. */
#define RTC_SRTP_DEFAULT_PROFILES \
  "AEAD_AES_128_GCM:AEAD_AES_256_GCM:AES_CM_128_HMAC_SHA1_80:AES_CM_128_HMAC_SHA1_32"

typedef enum {
  RTC_SRTP_OK,
  RTC_SRTP_ERROR_REPLAY,
  RTC_SRTP_ERROR_AUTH,
  RTC_SRTP_ERROR_INVALID,
} RtcSrtpResult;

/**
 * RtcSrtpSession:
 *
 * One direction (protect or unprotect) of SRTP and SRTCP keyed from one
 * master key (RFC 3711, RFC 7714), for any number of SSRCs, each with its
 * own rollover counter and a 1024-packet replay window. Thread-safe;
 * refcounted so a connection and its elements can share it.
 */
typedef struct _RtcSrtpSession RtcSrtpSession;

gboolean rtc_srtp_init (GError **error);
const gchar *rtc_srtp_profile_name (RtcSrtpProfile profile);
RtcSrtpProfile rtc_srtp_profile_from_name (const gchar *name);
gchar *rtc_srtp_profiles_to_openssl (const gchar *profiles, GError **error);
guint rtc_srtp_profile_key_length (RtcSrtpProfile profile);
guint rtc_srtp_profile_salt_length (RtcSrtpProfile profile);
guint rtc_srtp_profile_max_overhead (RtcSrtpProfile profile);
RtcSrtpProfile rtc_srtp_profile_from_params (const gchar *cipher,
    const gchar *auth, GError **error);
gboolean rtc_srtp_derive_key (RtcSrtpProfile profile,
    const guint8 *master_key, const guint8 *master_salt, guint label,
    guint8 *out, gsize out_len);

RtcSrtpSession *rtc_srtp_session_new (RtcSrtpProfile profile,
    gboolean outbound, const guint8 *key, const guint8 *salt, GError **error);
RtcSrtpSession *rtc_srtp_session_ref (RtcSrtpSession *session);
void rtc_srtp_session_unref (RtcSrtpSession *session);
RtcSrtpProfile rtc_srtp_session_get_profile (RtcSrtpSession *session);

RtcSrtpResult rtc_srtp_session_protect (RtcSrtpSession *session,
    gboolean rtcp, guint8 *packet, gsize *len);
RtcSrtpResult rtc_srtp_session_unprotect (RtcSrtpSession *session,
    gboolean rtcp, guint8 *packet, gsize *len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RtcSrtpSession, rtc_srtp_session_unref)

G_END_DECLS
