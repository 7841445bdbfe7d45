/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * RtcIceTurnTls:
 *
 * A loopback TCP listener that carries each accepted connection to a TURN
 * server over TLS, so that libnice (whose `turns` is plain TCP) can be
 * given TURN over TCP to it. Opaque; lives on one GMainContext.
 */
typedef struct _RtcIceTurnTls RtcIceTurnTls;

RtcIceTurnTls *rtc_ice_turn_tls_new (GMainContext *context,
    GInetSocketAddress *server, const gchar *host, const gchar *ca_file,
    GError **error);
gchar *rtc_ice_turn_tls_get_address (RtcIceTurnTls *bridge);
guint16 rtc_ice_turn_tls_get_port (RtcIceTurnTls *bridge);
const gchar *rtc_ice_turn_tls_get_error (RtcIceTurnTls *bridge);
void rtc_ice_turn_tls_free (RtcIceTurnTls *bridge);

G_END_DECLS
