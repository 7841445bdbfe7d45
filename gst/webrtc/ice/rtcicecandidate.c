/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * The SDP `candidate` attribute (RFC 8839 5.1, RFC 6544 4.5) parsed into a
 * plain struct and printed back. Pure: no agent, no I/O, so that hostile
 * lines can be unit-tested and fuzzed. Candidate lines come from the remote
 * peer through the application, so the parser is strict: anything it does
 * not fully understand is an error naming the field, never a crash.
 */
#include "rtcicecandidate.h"

#include <gio/gio.h>
#include <string.h>

GQuark
rtc_ice_error_quark (void)
{
  return g_quark_from_static_string ("rtc-ice-error-quark");
}

G_DEFINE_BOXED_TYPE (RtcIceCandidate, rtc_ice_candidate, rtc_ice_candidate_copy,
    rtc_ice_candidate_free);

static const gchar *const type_names[] = { "host", "srflx", "prflx", "relay" };
static const gchar *const tcp_type_names[] = { NULL, "active", "passive",
  "so" };

/**
 * rtc_ice_candidate_type_to_string:
 * @type: a candidate type
 *
 * Returns: the SDP name of @type (`host`, `srflx`, `prflx`, `relay`)
 */
const gchar *
rtc_ice_candidate_type_to_string (RtcIceCandidateType type)
{
  g_return_val_if_fail (type <= RTC_ICE_CANDIDATE_TYPE_RELAY, NULL);
  return type_names[type];
}

static gboolean
is_ice_char (gchar c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/';
}

static gboolean
is_ice_chars (const gchar *s, gsize min, gsize max)
{
  gsize n = 0;

  for (; *s; s++, n++) {
    if (!is_ice_char (*s) || n >= max)
      return FALSE;
  }
  return n >= min;
}

/* Decimal digits only: no sign, no space, no hex, at most max_digits long,
 * so that strtoul()'s leniency never decides what a hostile line means. */
static gboolean
parse_uint (const gchar *s, guint max_digits, guint64 max, guint64 *out)
{
  guint64 v = 0;
  guint n = 0;

  if (*s == '\0')
    return FALSE;
  for (; *s; s++, n++) {
    if (!g_ascii_isdigit (*s) || n >= max_digits)
      return FALSE;
    v = v * 10 + (guint64)(*s - '0');
  }
  if (v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
is_hostname (const gchar *host)
{
  gsize total = strlen (host), label = 0;
  const gchar *p;

  if (total == 0 || total > 253)
    return FALSE;
  for (p = host; *p; p++) {
    if (*p == '.') {
      if (label == 0 || p[-1] == '-')
        return FALSE;
      label = 0;
      continue;
    }
    if (!(g_ascii_isalnum (*p) || (*p == '-' && label > 0)) || ++label > 63)
      return FALSE;
  }
  /* A trailing dot is a valid FQDN; an all-numeric name is a mistyped IPv4
   * address, not a host name. */
  return strspn (host, "0123456789.") != total;
}

/**
 * rtc_ice_is_valid_host:
 * @host: an address as found in a candidate line or server URI
 * @is_ip: (out) (optional): set to whether @host is an IP literal
 *
 * Accepts an IPv4 or IPv6 literal (without zone index) or a DNS host name.
 *
 * Returns: %TRUE if @host is one of those
 */
gboolean
rtc_ice_is_valid_host (const gchar *host, gboolean *is_ip)
{
  GInetAddress *addr;

  if (strchr (host, ':')) {
    /* Zone indexes name an interface of the sender's host: meaningless
     * here, so refused. */
    if (strchr (host, '%'))
      return FALSE;
    addr = g_inet_address_new_from_string (host);
    if (!addr)
      return FALSE;
    g_object_unref (addr);
    if (is_ip)
      *is_ip = TRUE;
    return TRUE;
  }
  if (host[0] != '\0' && strspn (host, "0123456789.") == strlen (host)) {
    addr = g_inet_address_new_from_string (host);
    if (!addr)
      return FALSE;
    g_object_unref (addr);
    if (is_ip)
      *is_ip = TRUE;
    return TRUE;
  }
  if (!is_hostname (host))
    return FALSE;
  if (is_ip)
    *is_ip = FALSE;
  return TRUE;
}

/**
 * rtc_ice_is_mdns_name:
 * @name: a host name
 *
 * Accepts the names browsers use to hide host candidate addresses
 * (RFC 6762, draft-ietf-mmusic-mdns-ice-candidates): one or more labels of
 * 1 to 63 letters, digits and hyphens (no leading or trailing hyphen)
 * followed by `.local`, at most 253 characters, no trailing dot.
 *
 * Returns: %TRUE if @name is such a name
 */
gboolean
rtc_ice_is_mdns_name (const gchar *name)
{
  gsize len = strlen (name);

  if (len <= strlen (".local") || len > 253
      || g_ascii_strcasecmp (name + len - strlen (".local"), ".local") != 0)
    return FALSE;
  /* is_hostname() checks the labels; a trailing dot is excluded above. */
  return is_hostname (name);
}

/**
 * rtc_ice_check_credentials:
 * @ufrag: an ICE username fragment
 * @pwd: an ICE password
 * @error: return location for a #GError
 *
 * Checks ICE credentials against RFC 8839 5.4: the ufrag is 4 to 256
 * ice-chars, the password 22 to 256.
 *
 * Returns: %TRUE if both are valid
 */
gboolean
rtc_ice_check_credentials (const gchar *ufrag, const gchar *pwd, GError **error)
{
  if (!ufrag || !is_ice_chars (ufrag, 4, 256)) {
    g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_INVALID_ARGUMENT,
        "ICE ufrag must be 4 to 256 characters of [A-Za-z0-9+/]");
    return FALSE;
  }
  if (!pwd || !is_ice_chars (pwd, 22, 256)) {
    g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_INVALID_ARGUMENT,
        "ICE password must be 22 to 256 characters of [A-Za-z0-9+/]");
    return FALSE;
  }
  return TRUE;
}

static gboolean
parse_port (const gchar *s, guint16 *port)
{
  guint64 v;

  if (!parse_uint (s, 5, 65535, &v))
    return FALSE;
  *port = (guint16)v;
  return TRUE;
}

static gint
lookup (const gchar *const *names, guint n, const gchar *s)
{
  guint i;

  for (i = 0; i < n; i++) {
    if (names[i] && g_ascii_strcasecmp (names[i], s) == 0)
      return (gint)i;
  }
  return -1;
}

/**
 * rtc_ice_parse_error:
 * @prefix: what failed to parse, e.g. "Invalid ICE candidate"
 *
 * Sets @error to "@prefix: <message>" with @code.
 *
 * Returns: %NULL, for parsers to return.
 */
gpointer
rtc_ice_parse_error (GError **error, RtcIceError code, const gchar *prefix,
    const gchar *format, ...)
{
  va_list args;
  gchar *msg;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, RTC_ICE_ERROR, code, "%s: %s", prefix, msg);
  g_free (msg);
  return NULL;
}

#define fail(error, ...) \
  rtc_ice_parse_error (error, RTC_ICE_ERROR_INVALID_CANDIDATE, \
      "Invalid ICE candidate", __VA_ARGS__)

/**
 * rtc_ice_candidate_parse:
 * @line: a candidate attribute, `candidate:…` or `a=candidate:…`, without
 *   line terminator
 * @error: return location for a #GError
 *
 * Parses one candidate line. Control characters (CR and LF included),
 * non-ASCII bytes, lines longer than %RTC_ICE_CANDIDATE_MAX_LEN, empty
 * fields, out-of-range numbers, bad addresses, unknown transports or
 * candidate types are errors in the %RTC_ICE_ERROR domain. Unknown
 * extension attributes are skipped.
 *
 * Returns: (transfer full) (nullable): the candidate, or %NULL on error
 */
RtcIceCandidate *
rtc_ice_candidate_parse (const gchar *line, GError **error)
{
  g_autoptr (RtcIceCandidate) c = NULL;
  g_auto (GStrv) f = NULL;
  const gchar *p;
  guint n, i;
  guint64 v;
  gint idx;

  if (!line)
    return fail (error, "no candidate line");
  if (strnlen (line, RTC_ICE_CANDIDATE_MAX_LEN + 1) > RTC_ICE_CANDIDATE_MAX_LEN)
    return fail (error, "longer than %d bytes", RTC_ICE_CANDIDATE_MAX_LEN);
  for (p = line; *p; p++) {
    if ((guchar)*p < 0x20 || (guchar)*p >= 0x7f)
      return fail (error, "control or non-ASCII byte 0x%02x at offset %d",
          (guchar)*p, (gint)(p - line));
  }
  if (g_str_has_prefix (line, "a="))
    line += 2;
  if (!g_str_has_prefix (line, "candidate:"))
    return fail (error, "does not start with \"candidate:\"");
  line += strlen ("candidate:");

  f = g_strsplit (line, " ", -1);
  n = g_strv_length (f);
  for (i = 0; i < n; i++) {
    if (f[i][0] == '\0')
      return fail (error, "empty field %u (stray space)", i + 1);
  }
  if (n < 8)
    return fail (error, "%u fields, at least 8 are needed", n);

  c = g_new0 (RtcIceCandidate, 1);
  if (!is_ice_chars (f[0], 1, 32))
    return fail (error, "foundation must be 1 to 32 characters [A-Za-z0-9+/]");
  c->foundation = g_strdup (f[0]);
  if (!parse_uint (f[1], 3, 256, &v) || v == 0)
    return fail (error, "component id \"%s\" is not 1 to 256", f[1]);
  c->component = (guint)v;
  if (g_ascii_strcasecmp (f[2], "udp") == 0)
    c->protocol = RTC_ICE_PROTOCOL_UDP;
  else if (g_ascii_strcasecmp (f[2], "tcp") == 0)
    c->protocol = RTC_ICE_PROTOCOL_TCP;
  else
    return fail (error, "unsupported transport \"%s\"", f[2]);
  if (!parse_uint (f[3], 10, G_MAXINT32, &v) || v == 0)
    return fail (error, "priority \"%s\" is not 1 to 2^31-1", f[3]);
  c->priority = (guint32)v;
  /* Of host names, only mDNS ones: browsers use them to hide host
   * addresses, and they are resolved on the local link only, never
   * through DNS at the peer's choice. */
  if (!rtc_ice_is_valid_host (f[4], &c->address_is_ip)
      || (!c->address_is_ip && !rtc_ice_is_mdns_name (f[4])))
    return fail (error,
        "connection address \"%s\" is neither an IP address nor an mDNS "
        "name (<label>.local)",
        f[4]);
  c->address = g_strdup (f[4]);
  if (!parse_port (f[5], &c->port))
    return fail (error, "port \"%s\" is not 0 to 65535", f[5]);
  if (strcmp (f[6], "typ") != 0)
    return fail (error, "expected \"typ\", got \"%s\"", f[6]);
  idx = lookup (type_names, G_N_ELEMENTS (type_names), f[7]);
  if (idx < 0)
    return fail (error, "unknown candidate type \"%s\"", f[7]);
  c->type = (RtcIceCandidateType)idx;

  for (i = 8; i < n; i += 2) {
    const gchar *name = f[i], *value = f[i + 1];

    if (!value)
      return fail (error, "attribute \"%s\" has no value", name);
    if (strcmp (name, "raddr") == 0) {
      if (c->related_address)
        return fail (error, "raddr given twice");
      if (!rtc_ice_is_valid_host (value, NULL))
        return fail (error, "raddr \"%s\" is not an address", value);
      c->related_address = g_strdup (value);
    } else if (strcmp (name, "rport") == 0) {
      if (!parse_port (value, &c->related_port))
        return fail (error, "rport \"%s\" is not 0 to 65535", value);
    } else if (strcmp (name, "tcptype") == 0) {
      idx = lookup (tcp_type_names, G_N_ELEMENTS (tcp_type_names), value);
      if (idx < 0)
        return fail (error, "unknown tcptype \"%s\"", value);
      c->tcp_type = (RtcIceTcpType)idx;
    } else if (strcmp (name, "ufrag") == 0) {
      if (!is_ice_chars (value, 1, 256))
        return fail (error, "ufrag \"%s\" is not 1 to 256 ice-chars", value);
      g_free (c->ufrag);
      c->ufrag = g_strdup (value);
    }
    /* Other extensions (generation, network-id, network-cost, …) carry
     * nothing ICE needs from the peer; they were checked to be printable
     * above and are dropped. */
  }

  if (c->protocol == RTC_ICE_PROTOCOL_TCP
      && c->tcp_type == RTC_ICE_TCP_TYPE_NONE)
    return fail (error, "TCP candidate without tcptype");
  if (c->protocol == RTC_ICE_PROTOCOL_UDP
      && c->tcp_type != RTC_ICE_TCP_TYPE_NONE)
    return fail (error, "tcptype on a UDP candidate");
  /* RFC 6544: active TCP candidates do not listen, their port is 9 or 0. */
  if (c->port == 0
      && !(c->protocol == RTC_ICE_PROTOCOL_TCP
          && c->tcp_type == RTC_ICE_TCP_TYPE_ACTIVE))
    return fail (error, "port 0");

  return g_steal_pointer (&c);
}

/**
 * rtc_ice_candidate_to_string:
 * @cand: a candidate
 *
 * Prints @cand as an SDP candidate attribute value with its `candidate:`
 * prefix and no `a=` nor line terminator, as the W3C RTCIceCandidate's
 * `candidate` member.
 *
 * Returns: (transfer full): the line
 */
gchar *
rtc_ice_candidate_to_string (const RtcIceCandidate *cand)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "candidate:%s %u %s %u %s %u typ %s",
      cand->foundation, cand->component,
      cand->protocol == RTC_ICE_PROTOCOL_TCP ? "TCP" : "UDP", cand->priority,
      cand->address, cand->port, type_names[cand->type]);
  if (cand->related_address)
    g_string_append_printf (s, " raddr %s rport %u", cand->related_address,
        cand->related_port);
  if (cand->tcp_type != RTC_ICE_TCP_TYPE_NONE)
    g_string_append_printf (s, " tcptype %s", tcp_type_names[cand->tcp_type]);
  if (cand->ufrag)
    g_string_append_printf (s, " ufrag %s", cand->ufrag);
  return g_string_free (s, FALSE);
}

/**
 * rtc_ice_candidate_copy:
 * @cand: a candidate
 *
 * Returns: (transfer full): a deep copy of @cand
 */
RtcIceCandidate *
rtc_ice_candidate_copy (const RtcIceCandidate *cand)
{
  RtcIceCandidate *c = g_memdup2 (cand, sizeof (*cand));

  c->foundation = g_strdup (cand->foundation);
  c->address = g_strdup (cand->address);
  c->related_address = g_strdup (cand->related_address);
  c->ufrag = g_strdup (cand->ufrag);
  return c;
}

/**
 * rtc_ice_candidate_free:
 * @cand: (nullable): a candidate
 *
 * Frees @cand and its strings.
 */
void
rtc_ice_candidate_free (RtcIceCandidate *cand)
{
  if (!cand)
    return;
  g_free (cand->foundation);
  g_free (cand->address);
  g_free (cand->related_address);
  g_free (cand->ufrag);
  g_free (cand);
}
