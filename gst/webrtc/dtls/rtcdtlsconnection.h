/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

#include "rtcdtlscertificate.h"
#include "rtcsrtp.h"

G_BEGIN_DECLS

/**
 * GstRtcDtlsConnectionState:
 *
 * The state of a DTLS connection; values and nicks as gst-plugins-bad's
 * GstDtlsConnectionState so applications read both alike.
 */
typedef enum {
  RTC_DTLS_CONNECTION_STATE_NEW,
  RTC_DTLS_CONNECTION_STATE_CLOSED,
  RTC_DTLS_CONNECTION_STATE_FAILED,
  RTC_DTLS_CONNECTION_STATE_CONNECTING,
  RTC_DTLS_CONNECTION_STATE_CONNECTED,
} RtcDtlsConnectionState;

GType rtc_dtls_connection_state_get_type (void);
#define RTC_TYPE_DTLS_CONNECTION_STATE (rtc_dtls_connection_state_get_type ())

#define RTC_TYPE_DTLS_CONNECTION (rtc_dtls_connection_get_type ())
G_DECLARE_FINAL_TYPE (RtcDtlsConnection, rtc_dtls_connection, RTC,
    DTLS_CONNECTION, GObject)

/* Called with one outgoing DTLS datagram, or one received application-data
 * message; never with the connection's lock held. */
typedef void (
    *RtcDtlsPacketFunc) (gpointer user_data, const guint8 *data, gsize len);

RtcDtlsConnection *rtc_dtls_connection_acquire (const gchar *id);
void rtc_dtls_connection_release (RtcDtlsConnection *conn);
const gchar *rtc_dtls_connection_get_id (RtcDtlsConnection *conn);

void rtc_dtls_connection_set_certificate (RtcDtlsConnection *conn,
    RtcDtlsCertificate *cert);
RtcDtlsCertificate *
rtc_dtls_connection_get_certificate (RtcDtlsConnection *conn, GError **error);
gboolean rtc_dtls_connection_set_peer_fingerprint (RtcDtlsConnection *conn,
    const gchar *fingerprint, GError **error);
gchar *rtc_dtls_connection_dup_peer_fingerprint (RtcDtlsConnection *conn);
gchar *rtc_dtls_connection_dup_peer_pem (RtcDtlsConnection *conn);

void rtc_dtls_connection_set_sender (RtcDtlsConnection *conn,
    RtcDtlsPacketFunc func, gpointer owner);
void rtc_dtls_connection_set_receiver (RtcDtlsConnection *conn,
    RtcDtlsPacketFunc func, gpointer owner);

gboolean rtc_dtls_connection_start (RtcDtlsConnection *conn, gboolean is_client,
    const gchar *srtp_profiles, GError **error);
void rtc_dtls_connection_close (RtcDtlsConnection *conn);
void rtc_dtls_connection_stop (RtcDtlsConnection *conn);

gboolean rtc_dtls_connection_process (RtcDtlsConnection *conn,
    const guint8 *data, gsize len);
gboolean rtc_dtls_connection_send_data (RtcDtlsConnection *conn,
    const guint8 *data, gsize len, GError **error);

RtcDtlsConnectionState rtc_dtls_connection_get_state (RtcDtlsConnection *conn);
gchar *rtc_dtls_connection_dup_error (RtcDtlsConnection *conn);
gboolean rtc_dtls_connection_claim_error_report (RtcDtlsConnection *conn);
RtcSrtpSession *rtc_dtls_connection_get_srtp (RtcDtlsConnection *conn,
    gboolean outbound);
gboolean rtc_dtls_connection_dup_tls_info (RtcDtlsConnection *conn,
    gchar **cipher, gchar **version);

G_END_DECLS
