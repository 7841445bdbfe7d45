/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "rtcicecandidate.h"

G_BEGIN_DECLS

/**
 * RtcIceServerUri:
 * @is_turn: a TURN server (relay), else a STUN server (server-reflexive)
 * @tls: `turns:`, TURN over TLS
 * @host: the server's IP literal or host name, IPv6 without brackets
 * @host_is_ip: whether @host is an IP literal
 * @port: the server port (3478, or 5349 for `turns:`, when not given)
 * @protocol: for TURN, UDP or TCP towards the server (TCP for `turns:`)
 * @username: (nullable): TURN long-term credential user, percent-decoded
 * @password: (nullable): TURN long-term credential password
 *
 * A STUN or TURN server as the `stun-server` / `turn-server` properties of
 * webrtcbin take it (`stun://host:port`,
 * `turn://user:pass@host:port?transport=udp|tcp`, `turns://…`); the
 * RFC 7064/7065 spellings without `//` are accepted too.
 */
typedef struct {
  gboolean is_turn;
  gboolean tls;
  gchar *host;
  gboolean host_is_ip;
  guint16 port;
  RtcIceProtocol protocol;
  gchar *username;
  gchar *password;
} RtcIceServerUri;

#define RTC_ICE_SERVER_URI_MAX_LEN 1024

RtcIceServerUri *rtc_ice_server_uri_parse (const gchar *uri, GError **error);
void rtc_ice_server_uri_free (RtcIceServerUri *uri);
gchar *rtc_ice_server_uri_to_string (const RtcIceServerUri *uri);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RtcIceServerUri, rtc_ice_server_uri_free)

G_END_DECLS
