/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "rtcdtlscertificate.h"
#include "rtcdtlserror.h"

#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

/* Browsers accept short-lived self-signed certificates; the identity is the
 * fingerprint carried in SDP, not a chain. */
#define CERT_VALIDITY_SECONDS (30 * 24 * 3600)
#define CERT_BACKDATE_SECONDS (24 * 3600)

struct _RtcDtlsCertificate {
  gint refcount;
  X509 *x509;
  EVP_PKEY *key;
  gchar *pem;
  gchar *fingerprint;
};

static RtcDtlsCertificate *
certificate_wrap (X509 *x509, EVP_PKEY *key)
{
  RtcDtlsCertificate *cert = g_new0 (RtcDtlsCertificate, 1);

  cert->refcount = 1;
  cert->x509 = x509;
  cert->key = key;
  cert->pem = rtc_dtls_x509_to_pem (x509);
  cert->fingerprint = rtc_dtls_x509_fingerprint (x509, "sha-256");
  return cert;
}

static gboolean
set_random_serial (X509 *x509)
{
  guint8 bytes[8];
  BIGNUM *bn;
  gboolean ok;

  if (RAND_bytes (bytes, sizeof (bytes)) != 1)
    return FALSE;
  bytes[0] &= 0x7f; /* positive serial, as RFC 5280 asks */
  bn = BN_bin2bn (bytes, sizeof (bytes), NULL);
  ok = bn && BN_to_ASN1_INTEGER (bn, X509_get_serialNumber (x509)) != NULL;
  BN_free (bn);
  return ok;
}

/**
 * rtc_dtls_certificate_new_ecdsa:
 *
 * Generates a fresh ECDSA P-256 key and a self-signed certificate for it,
 * the WebRTC default (RFC 8827 section 6.5).
 */
RtcDtlsCertificate *
rtc_dtls_certificate_new_ecdsa (GError **error)
{
  EVP_PKEY *key;
  X509 *x509 = NULL;
  X509_NAME *name;

  rtc_dtls_openssl_init ();
  key = EVP_EC_gen ("P-256");
  if (!key)
    goto failed;

  x509 = X509_new ();
  if (!x509 || !X509_set_version (x509, 2) || !set_random_serial (x509))
    goto failed;
  if (!X509_gmtime_adj (X509_getm_notBefore (x509), -CERT_BACKDATE_SECONDS)
      || !X509_gmtime_adj (X509_getm_notAfter (x509), CERT_VALIDITY_SECONDS))
    goto failed;
  name = X509_get_subject_name (x509);
  if (!X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_ASC,
          (const unsigned char *)"gst-rtc", -1, -1, 0)
      || !X509_set_issuer_name (x509, name) || !X509_set_pubkey (x509, key)
      || !X509_sign (x509, key, EVP_sha256 ()))
    goto failed;

  return certificate_wrap (x509, key);

failed : {
  gchar *detail = rtc_dtls_openssl_error_string ();

  g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_CERTIFICATE,
      "Could not generate an ECDSA P-256 certificate: %s", detail);
  g_free (detail);
  X509_free (x509);
  EVP_PKEY_free (key);
  return NULL;
}
}

/**
 * rtc_dtls_certificate_new_from_pem:
 * @pem: a PEM text holding a certificate and its private key
 *
 * Loads a user-supplied identity; both parts must be present and match.
 */
RtcDtlsCertificate *
rtc_dtls_certificate_new_from_pem (const gchar *pem, GError **error)
{
  BIO *bio;
  X509 *x509;
  EVP_PKEY *key = NULL;

  g_return_val_if_fail (pem != NULL, NULL);

  rtc_dtls_openssl_init ();

  bio = BIO_new_mem_buf (pem, -1);
  x509 = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  (void)BIO_reset (bio);
  if (x509)
    key = PEM_read_bio_PrivateKey (bio, NULL, NULL, NULL);
  BIO_free (bio);

  if (!x509 || !key) {
    ERR_clear_error ();
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_CERTIFICATE,
        "PEM text must hold a certificate and its private key (found %s)",
        x509 ? "no private key" : "no certificate");
    X509_free (x509);
    return NULL;
  }
  if (X509_check_private_key (x509, key) != 1) {
    ERR_clear_error ();
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_CERTIFICATE,
        "The private key in the PEM text does not match its certificate");
    X509_free (x509);
    EVP_PKEY_free (key);
    return NULL;
  }
  return certificate_wrap (x509, key);
}

RtcDtlsCertificate *
rtc_dtls_certificate_ref (RtcDtlsCertificate *cert)
{
  g_atomic_int_inc (&cert->refcount);
  return cert;
}

void
rtc_dtls_certificate_unref (RtcDtlsCertificate *cert)
{
  if (!g_atomic_int_dec_and_test (&cert->refcount))
    return;
  X509_free (cert->x509);
  EVP_PKEY_free (cert->key);
  g_free (cert->pem);
  g_free (cert->fingerprint);
  g_free (cert);
}

X509 *
rtc_dtls_certificate_get_x509 (RtcDtlsCertificate *cert)
{
  return cert->x509;
}

EVP_PKEY *
rtc_dtls_certificate_get_key (RtcDtlsCertificate *cert)
{
  return cert->key;
}

/**
 * rtc_dtls_certificate_get_pem:
 *
 * Returns: the certificate (never the private key) in PEM form.
 */
const gchar *
rtc_dtls_certificate_get_pem (RtcDtlsCertificate *cert)
{
  return cert->pem;
}

/**
 * rtc_dtls_certificate_get_fingerprint:
 *
 * Returns: the sha-256 fingerprint in SDP form (RFC 8122), "sha-256 AB:CD:…".
 */
const gchar *
rtc_dtls_certificate_get_fingerprint (RtcDtlsCertificate *cert)
{
  return cert->fingerprint;
}

gchar *
rtc_dtls_x509_to_pem (X509 *x509)
{
  BIO *bio = BIO_new (BIO_s_mem ());
  BUF_MEM *mem;
  gchar *pem = NULL;

  if (PEM_write_bio_X509 (bio, x509) == 1) {
    BIO_get_mem_ptr (bio, &mem);
    pem = g_strndup (mem->data, mem->length);
  }
  BIO_free (bio);
  return pem;
}

/* RFC 8122 hash function names as SDP writes them. */
static const EVP_MD *
digest_for_name (const gchar *name)
{
  if (g_ascii_strcasecmp (name, "sha-1") == 0)
    return EVP_sha1 ();
  if (g_ascii_strcasecmp (name, "sha-224") == 0)
    return EVP_sha224 ();
  if (g_ascii_strcasecmp (name, "sha-256") == 0)
    return EVP_sha256 ();
  if (g_ascii_strcasecmp (name, "sha-384") == 0)
    return EVP_sha384 ();
  if (g_ascii_strcasecmp (name, "sha-512") == 0)
    return EVP_sha512 ();
  return NULL;
}

static gchar *
format_fingerprint (const gchar *hash_name, const guint8 *digest, guint len)
{
  GString *s = g_string_sized_new (strlen (hash_name) + 1 + len * 3);
  guint i;

  g_string_append_printf (s, "%s ", hash_name);
  for (i = 0; i < len; i++)
    g_string_append_printf (s, i ? ":%02X" : "%02X", digest[i]);
  return g_string_free (s, FALSE);
}

/**
 * rtc_dtls_x509_fingerprint:
 * @hash_name: an RFC 8122 hash name such as "sha-256"
 *
 * Returns: the fingerprint in SDP form, or %NULL for an unknown hash.
 */
gchar *
rtc_dtls_x509_fingerprint (X509 *x509, const gchar *hash_name)
{
  const EVP_MD *md = digest_for_name (hash_name);
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  gchar *lower;
  gchar *result;

  if (!md || X509_digest (x509, md, digest, &len) != 1)
    return NULL;
  lower = g_ascii_strdown (hash_name, -1);
  result = format_fingerprint (lower, digest, len);
  g_free (lower);
  return result;
}

/* Parses "hash AB:CD:…" into the hash name and digest bytes. */
static gboolean
parse_fingerprint (const gchar *fingerprint, gchar **hash_name, guint8 *digest,
    guint *digest_len, GError **error)
{
  gchar **parts = NULL;
  gchar **octets = NULL;
  const EVP_MD *md;
  guint n, i;
  gboolean ok = FALSE;

  parts = g_strsplit (fingerprint ? fingerprint : "", " ", 2);
  if (g_strv_length (parts) != 2 || !(md = digest_for_name (parts[0]))) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_FINGERPRINT,
        "Invalid fingerprint '%s': expected '<hash> XX:XX:…' with hash "
        "sha-1, sha-224, sha-256, sha-384 or sha-512",
        fingerprint);
    goto done;
  }
  octets = g_strsplit (g_strstrip (parts[1]), ":", -1);
  n = g_strv_length (octets);
  if (n != (guint)EVP_MD_get_size (md)) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_FINGERPRINT,
        "Invalid fingerprint '%s': %s needs %d octets, found %u", fingerprint,
        parts[0], EVP_MD_get_size (md), n);
    goto done;
  }
  for (i = 0; i < n; i++) {
    const gchar *o = octets[i];

    if (strlen (o) != 2 || !g_ascii_isxdigit (o[0])
        || !g_ascii_isxdigit (o[1])) {
      g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_FINGERPRINT,
          "Invalid fingerprint '%s': octet %u ('%s') is not two hex digits",
          fingerprint, i + 1, o);
      goto done;
    }
    if (digest)
      digest[i] = (g_ascii_xdigit_value (o[0]) << 4)
          | g_ascii_xdigit_value (o[1]);
  }
  if (digest_len)
    *digest_len = n;
  if (hash_name)
    *hash_name = g_ascii_strdown (parts[0], -1);
  ok = TRUE;

done:
  g_strfreev (parts);
  g_strfreev (octets);
  return ok;
}

/**
 * rtc_dtls_fingerprint_validate:
 *
 * Checks the syntax of an SDP fingerprint ("sha-256 AB:CD:…").
 */
gboolean
rtc_dtls_fingerprint_validate (const gchar *fingerprint, GError **error)
{
  return parse_fingerprint (fingerprint, NULL, NULL, NULL, error);
}

/**
 * rtc_dtls_fingerprint_matches:
 * @expected: the fingerprint the peer announced in SDP
 *
 * Returns: %TRUE if @x509's digest with @expected's hash equals @expected;
 * otherwise %FALSE with @error saying both values.
 */
gboolean
rtc_dtls_fingerprint_matches (X509 *x509, const gchar *expected, GError **error)
{
  guint8 want[EVP_MAX_MD_SIZE], got[EVP_MAX_MD_SIZE];
  guint want_len = 0;
  unsigned int got_len = 0;
  gchar *hash_name = NULL;
  gboolean match;

  if (!parse_fingerprint (expected, &hash_name, want, &want_len, error))
    return FALSE;
  match = X509_digest (x509, digest_for_name (hash_name), got, &got_len) == 1
      && got_len == want_len && CRYPTO_memcmp (got, want, got_len) == 0;
  if (!match) {
    gchar *actual = format_fingerprint (hash_name, got, got_len);

    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_FINGERPRINT,
        "DTLS peer certificate fingerprint %s does not match the expected %s",
        actual, expected);
    g_free (actual);
  }
  g_free (hash_name);
  return match;
}
