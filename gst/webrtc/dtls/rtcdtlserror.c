/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "rtcdtlserror.h"

#include <openssl/err.h>

G_DEFINE_QUARK (rtc - dtls - error - quark, rtc_dtls_error);

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
