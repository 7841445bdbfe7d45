/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RTC_DTLS_ERROR (rtc_dtls_error_quark ())
GQuark rtc_dtls_error_quark (void);

typedef enum {
  RTC_DTLS_ERROR_CERTIFICATE,
  RTC_DTLS_ERROR_FINGERPRINT,
  RTC_DTLS_ERROR_HANDSHAKE,
  RTC_DTLS_ERROR_SRTP,
  RTC_DTLS_ERROR_STATE,
  RTC_DTLS_ERROR_INVALID_ARGUMENT,
} RtcDtlsError;

gchar *rtc_dtls_openssl_error_string (void);
void rtc_dtls_openssl_init (void);

G_END_DECLS
