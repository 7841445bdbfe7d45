/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * STUN/TURN server URIs (RFC 7064, RFC 7065, and webrtcbin's
 * `scheme://user:pass@host:port` form). Pure and strict, like the candidate
 * parser: URIs come from configuration that may be hostile or mistyped, and
 * a clear error beats a gathering that silently never relays.
 */
#include "rtciceuri.h"

#include <string.h>

#define fail(error, ...) \
  rtc_ice_parse_error (error, RTC_ICE_ERROR_INVALID_URI, \
      "Invalid STUN/TURN server URI", __VA_ARGS__)

static gboolean
parse_port (const gchar *s, gsize len, guint16 *port)
{
  guint v = 0;
  gsize i;

  if (len == 0 || len > 5)
    return FALSE;
  for (i = 0; i < len; i++) {
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
    v = v * 10 + (guint)(s[i] - '0');
  }
  if (v == 0 || v > 65535)
    return FALSE;
  *port = (guint16)v;
  return TRUE;
}

/* Percent-decodes a credential; NULL if it hides a NUL or control byte. */
static gchar *
unescape_credential (const gchar *s, gsize len)
{
  gchar *raw = g_strndup (s, len);
  gchar *out = g_uri_unescape_string (raw, NULL);
  const gchar *p;

  g_free (raw);
  if (!out)
    return NULL;
  for (p = out; *p; p++) {
    if ((guchar)*p < 0x20 || *p == 0x7f) {
      g_free (out);
      return NULL;
    }
  }
  return out;
}

/**
 * rtc_ice_server_uri_parse:
 * @uri: a `stun:`, `turn:` or `turns:` URI
 * @error: return location for a #GError
 *
 * Parses a server URI. TURN URIs must carry a user name and a password
 * (long-term credentials); STUN URIs must not carry any. Query parameters
 * other than `transport=udp|tcp` (TURN only; `turns:` is TCP only), paths,
 * fragments, bad ports and hosts are errors in the %RTC_ICE_ERROR domain.
 * `stuns:` is refused: libnice has no STUN over TLS.
 *
 * Returns: (transfer full) (nullable): the parsed URI, or %NULL on error
 */
RtcIceServerUri *
rtc_ice_server_uri_parse (const gchar *uri, GError **error)
{
  g_autoptr (RtcIceServerUri) u = NULL;
  const gchar *p, *rest, *query, *at, *host, *host_end, *port = NULL;
  gsize authority_len;

  if (!uri)
    return fail (error, "no URI");
  if (strnlen (uri, RTC_ICE_SERVER_URI_MAX_LEN + 1)
      > RTC_ICE_SERVER_URI_MAX_LEN)
    return fail (error, "longer than %d bytes", RTC_ICE_SERVER_URI_MAX_LEN);
  for (p = uri; *p; p++) {
    if ((guchar)*p <= 0x20 || (guchar)*p >= 0x7f)
      return fail (error,
          "space, control or non-ASCII byte 0x%02x at "
          "offset %d",
          (guchar)*p, (gint)(p - uri));
  }

  u = g_new0 (RtcIceServerUri, 1);
  if (g_ascii_strncasecmp (uri, "stun:", 5) == 0) {
    rest = uri + 5;
  } else if (g_ascii_strncasecmp (uri, "turn:", 5) == 0) {
    u->is_turn = TRUE;
    rest = uri + 5;
  } else if (g_ascii_strncasecmp (uri, "turns:", 6) == 0) {
    u->is_turn = u->tls = TRUE;
    u->protocol = RTC_ICE_PROTOCOL_TCP;
    rest = uri + 6;
  } else if (g_ascii_strncasecmp (uri, "stuns:", 6) == 0) {
    return fail (error, "stuns: (STUN over TLS) is not supported");
  } else {
    return fail (error, "\"%s\" is not a stun:, turn: or turns: URI", uri);
  }
  if (g_str_has_prefix (rest, "//"))
    rest += 2;
  if (strpbrk (rest, "/#"))
    return fail (error, "paths and fragments are not allowed");

  query = strchr (rest, '?');
  authority_len = query ? (gsize)(query - rest) : strlen (rest);
  if (query) {
    query++;
    if (!u->is_turn)
      return fail (error, "STUN URIs take no query");
    if (g_ascii_strcasecmp (query, "transport=udp") == 0) {
      if (u->tls)
        return fail (error, "turns: runs over TCP, not transport=udp");
      u->protocol = RTC_ICE_PROTOCOL_UDP;
    } else if (g_ascii_strcasecmp (query, "transport=tcp") == 0) {
      u->protocol = RTC_ICE_PROTOCOL_TCP;
    } else {
      return fail (error,
          "unsupported query \"%s\" (only transport=udp or "
          "transport=tcp)",
          query);
    }
  }

  /* The user info ends at the last '@': passwords may contain '@' only
   * percent-encoded, but be tolerant of what is unambiguous. */
  at = g_strrstr_len (rest, authority_len, "@");
  host = at ? at + 1 : rest;
  if (at) {
    const gchar *colon = memchr (rest, ':', at - rest);

    if (!u->is_turn)
      return fail (error, "STUN URIs take no credentials");
    if (!colon)
      return fail (error, "TURN credentials must be user:password");
    u->username = unescape_credential (rest, colon - rest);
    u->password = unescape_credential (colon + 1, at - colon - 1);
    if (!u->username || !u->password || !*u->username || !*u->password)
      return fail (error,
          "TURN user name or password is empty or badly "
          "percent-encoded");
  } else if (u->is_turn) {
    return fail (error,
        "TURN URIs need user:password@ (long-term "
        "credentials)");
  }

  host_end = rest + authority_len;
  if (*host == '[') {
    const gchar *close = memchr (host, ']', host_end - host);

    if (!close)
      return fail (error, "unterminated IPv6 address");
    u->host = g_strndup (host + 1, close - host - 1);
    if (close + 1 < host_end) {
      if (close[1] != ':')
        return fail (error, "junk after IPv6 address");
      port = close + 2;
    }
    if (!strchr (u->host, ':'))
      return fail (error, "\"%s\" in brackets is not an IPv6 address", u->host);
  } else {
    const gchar *colon = memchr (host, ':', host_end - host);

    u->host = g_strndup (host, (colon ? colon : host_end) - host);
    if (colon)
      port = colon + 1;
    if (strchr (u->host, ':'))
      return fail (error, "IPv6 addresses must be in brackets");
  }
  if (!rtc_ice_is_valid_host (u->host, &u->host_is_ip))
    return fail (error, "\"%s\" is not an IP address or host name", u->host);
  if (port) {
    if (!parse_port (port, host_end - port, &u->port))
      return fail (error, "port \"%.*s\" is not 1 to 65535",
          (gint)(host_end - port), port);
  } else {
    u->port = u->tls ? 5349 : 3478;
  }
  return g_steal_pointer (&u);
}

/**
 * rtc_ice_server_uri_free:
 * @uri: (nullable): a parsed URI
 *
 * Frees @uri and its strings.
 */
void
rtc_ice_server_uri_free (RtcIceServerUri *uri)
{
  if (!uri)
    return;
  g_free (uri->host);
  g_free (uri->username);
  g_free (uri->password);
  g_free (uri);
}

/**
 * rtc_ice_server_uri_to_string:
 * @uri: a parsed URI
 *
 * Prints @uri in the RFC 7064/7065 form, as W3C RTCIceServer URLs and
 * icecandidateerror events carry it: without credentials, so that it can be
 * logged and reported.
 *
 * Returns: (transfer full): the URI, e.g. `turn:192.0.2.1:3478?transport=udp`
 */
gchar *
rtc_ice_server_uri_to_string (const RtcIceServerUri *uri)
{
  gboolean v6 = strchr (uri->host, ':') != NULL;

  return g_strdup_printf ("%s:%s%s%s:%u%s",
      uri->tls           ? "turns"
          : uri->is_turn ? "turn"
                         : "stun",
      v6 ? "[" : "", uri->host, v6 ? "]" : "", uri->port,
      !uri->is_turn || uri->tls                   ? ""
          : uri->protocol == RTC_ICE_PROTOCOL_TCP ? "?transport=tcp"
                                                  : "?transport=udp");
}
