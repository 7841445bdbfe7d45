/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <openssl/x509.h>

G_BEGIN_DECLS

/**
 * RtcDtlsCertificate:
 *
 * A refcounted X.509 certificate with its private key, used as the local
 * identity of a DTLS connection. Immutable once created.
 */
typedef struct _RtcDtlsCertificate RtcDtlsCertificate;

RtcDtlsCertificate *rtc_dtls_certificate_new_ecdsa (GError **error);
RtcDtlsCertificate *rtc_dtls_certificate_new_from_pem (const gchar *pem,
    GError **error);
RtcDtlsCertificate *rtc_dtls_certificate_ref (RtcDtlsCertificate *cert);
void rtc_dtls_certificate_unref (RtcDtlsCertificate *cert);

X509 *rtc_dtls_certificate_get_x509 (RtcDtlsCertificate *cert);
EVP_PKEY *rtc_dtls_certificate_get_key (RtcDtlsCertificate *cert);
const gchar *rtc_dtls_certificate_get_pem (RtcDtlsCertificate *cert);
const gchar *rtc_dtls_certificate_get_fingerprint (RtcDtlsCertificate *cert);

gchar *rtc_dtls_x509_to_pem (X509 *x509);
gchar *rtc_dtls_x509_fingerprint (X509 *x509, const gchar *hash_name);
gboolean rtc_dtls_fingerprint_matches (X509 *x509, const gchar *expected,
    GError **error);
gboolean rtc_dtls_fingerprint_validate (const gchar *fingerprint,
    GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RtcDtlsCertificate, rtc_dtls_certificate_unref)

G_END_DECLS
