/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "rtcdtlserror.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

GQuark
rtc_dtls_error_quark (void)
{
  return g_quark_from_static_string ("rtc-dtls-error-quark");
}

/* Drains OpenSSL's thread-local error queue into one readable line, so that
 * a failure reported to the application names its cause. */
gchar *
rtc_dtls_openssl_error_string (void)
{
  GString *s = g_string_new (NULL);
  unsigned long code;

  while ((code = ERR_get_error ()) != 0) {
    char buf[256];

    ERR_error_string_n (code, buf, sizeof (buf));
    if (s->len > 0)
      g_string_append (s, "; ");
    g_string_append (s, buf);
  }
  if (s->len == 0)
    g_string_append (s, "no detail from OpenSSL");
  return g_string_free (s, FALSE);
}

/**
 * rtc_dtls_openssl_init:
 *
 * Initialises OpenSSL for gst-rtc without its exit-time cleanup. That
 * cleanup frees OpenSSL's global locks while streaming threads that used
 * OpenSSL may still be ending and running OpenSSL's per-thread destructors,
 * which then crash on the freed locks. Must come before any other OpenSSL
 * call of the process to take effect, so every entry point calls it.
 */
void
rtc_dtls_openssl_init (void)
{
  static gsize done;

  if (g_once_init_enter (&done)) {
    OPENSSL_init_ssl (OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_LOAD_SSL_STRINGS
            | OPENSSL_INIT_LOAD_CRYPTO_STRINGS,
        NULL);
    g_once_init_leave (&done, 1);
  }
}
