/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The pure candidate-line and server-URI parsers: valid forms round-trip,
 * hostile ones are refused with a clear error and never crash or leak.
 */
#include <gst/check/gstcheck.h>
#include <string.h>

#include "rtcicecandidate.h"
#include "rtciceuri.h"
#include "../common/rtccheckmain.h"

static RtcIceCandidate *
parse_ok (const gchar *line)
{
  GError *error = NULL;
  RtcIceCandidate *c = rtc_ice_candidate_parse (line, &error);

  fail_unless (c != NULL, "%s: %s", line, error ? error->message : "");
  fail_unless (error == NULL);
  return c;
}

/* Printing and parsing again gives the same candidate. */
static void
check_round_trip (const RtcIceCandidate *c)
{
  gchar *line = rtc_ice_candidate_to_string (c);
  RtcIceCandidate *again = parse_ok (line);
  gchar *line2 = rtc_ice_candidate_to_string (again);

  fail_unless_equals_string (line, line2);
  g_free (line);
  g_free (line2);
  rtc_ice_candidate_free (again);
}

GST_START_TEST (test_candidate_valid)
{
  RtcIceCandidate *c;
  gchar *s;

  c = parse_ok ("candidate:842163049 1 udp 1677729535 203.0.113.7 61665 typ "
                "srflx raddr 10.0.0.5 rport 61665 generation 0 ufrag EsAw "
                "network-id 1 network-cost 10");
  fail_unless_equals_string (c->foundation, "842163049");
  fail_unless_equals_int (c->component, 1);
  fail_unless_equals_int (c->protocol, RTC_ICE_PROTOCOL_UDP);
  fail_unless_equals_int (c->priority, 1677729535);
  fail_unless_equals_string (c->address, "203.0.113.7");
  fail_unless (c->address_is_ip);
  fail_unless_equals_int (c->port, 61665);
  fail_unless_equals_int (c->type, RTC_ICE_CANDIDATE_TYPE_SRFLX);
  fail_unless_equals_string (c->related_address, "10.0.0.5");
  fail_unless_equals_int (c->related_port, 61665);
  fail_unless_equals_string (c->ufrag, "EsAw");
  s = rtc_ice_candidate_to_string (c);
  fail_unless_equals_string (s,
      "candidate:842163049 1 UDP 1677729535 203.0.113.7 61665 typ srflx "
      "raddr 10.0.0.5 rport 61665 ufrag EsAw");
  g_free (s);
  check_round_trip (c);
  rtc_ice_candidate_free (c);

  c = parse_ok ("a=candidate:1 1 UDP 2122260223 127.0.0.1 5000 typ host");
  fail_unless_equals_int (c->type, RTC_ICE_CANDIDATE_TYPE_HOST);
  fail_unless (c->related_address == NULL);
  check_round_trip (c);
  rtc_ice_candidate_free (c);

  c = parse_ok ("candidate:a+/Z 1 TCP 1518280447 ::1 9 typ host tcptype "
                "active");
  fail_unless_equals_int (c->protocol, RTC_ICE_PROTOCOL_TCP);
  fail_unless_equals_int (c->tcp_type, RTC_ICE_TCP_TYPE_ACTIVE);
  fail_unless_equals_string (c->address, "::1");
  check_round_trip (c);
  rtc_ice_candidate_free (c);

  c = parse_ok ("candidate:2 1 tcp 1 127.0.0.1 0 typ host tcptype active");
  rtc_ice_candidate_free (c);
  c = parse_ok ("candidate:3 1 TCP 1518280447 127.0.0.1 40000 typ prflx "
                "raddr 0.0.0.0 rport 0 tcptype so");
  fail_unless_equals_int (c->type, RTC_ICE_CANDIDATE_TYPE_PRFLX);
  check_round_trip (c);
  rtc_ice_candidate_free (c);

  c = parse_ok ("candidate:4 1 UDP 25108223 2001:db8::1 3478 typ relay "
                "raddr 2001:db8::2 rport 1234");
  fail_unless_equals_int (c->type, RTC_ICE_CANDIDATE_TYPE_RELAY);
  check_round_trip (c);
  rtc_ice_candidate_free (c);

  /* Browsers hide host addresses behind mDNS names. */
  c = parse_ok ("candidate:5 1 udp 2113937151 "
                "6c4b1f2e-8d8c-4d0c-9a5a-1b2c3d4e5f60.local 54321 typ host "
                "generation 0");
  fail_if (c->address_is_ip);
  check_round_trip (c);
  rtc_ice_candidate_free (c);

  /* Extremes that are still valid. */
  c = parse_ok ("candidate:12345678901234567890123456789012 256 UDP "
                "2147483647 255.255.255.255 65535 typ host");
  fail_unless_equals_int (c->component, 256);
  fail_unless_equals_int (c->priority, G_MAXINT32);
  rtc_ice_candidate_free (c);
}

GST_END_TEST;

static const gchar *bad_candidates[] = {
  "",
  "garbage",
  "candidate:",
  "candidate",
  "a=candidate",
  "candidate:1 1 UDP 2122260223 127.0.0.1 5000 typ",
  "candidate:1 1 UDP 2122260223 127.0.0.1 5000 type host",
  "candidate:1 1 UDP 2122260223 127.0.0.1 5000 typ bogus",
  "candidate:1 1 UDP 2122260223 127.0.0.1 5000 typ host\r\n",
  "candidate:1 1 UDP 2122260223 127.0.0.1 5000 typ host\n"
  "a=candidate:2 1 UDP 1 192.0.2.1 1 typ host",
  "candidate:1 1 UDP 2122260223 127.0.0.1 5000\r\ntyp host",
  "candidate:1 1 UDP 2122260223 127.0.0.1\t5000 typ host",
  "candidate:1  1 UDP 2122260223 127.0.0.1 5000 typ host",
  "candidate:1 1 UDP 2122260223 127.0.0.1 5000 typ host ",
  " candidate:1 1 UDP 2122260223 127.0.0.1 5000 typ host",
  "candidate:1 1 UDP 2122260223 127.0.0.\xc3\xa9 5000 typ host",
  "candidate:123456789012345678901234567890123 1 UDP 1 127.0.0.1 5 typ host",
  "candidate:f-o 1 UDP 1 127.0.0.1 5 typ host",
  "candidate:1 0 UDP 1 127.0.0.1 5 typ host",
  "candidate:1 257 UDP 1 127.0.0.1 5 typ host",
  "candidate:1 -1 UDP 1 127.0.0.1 5 typ host",
  "candidate:1 0x1 UDP 1 127.0.0.1 5 typ host",
  "candidate:1 1 SCTP 1 127.0.0.1 5 typ host",
  "candidate:1 1 UDP 0 127.0.0.1 5 typ host",
  "candidate:1 1 UDP 2147483648 127.0.0.1 5 typ host",
  "candidate:1 1 UDP 99999999999999999999 127.0.0.1 5 typ host",
  "candidate:1 1 UDP +1 127.0.0.1 5 typ host",
  "candidate:1 1 UDP 1 999.0.0.1 5 typ host",
  "candidate:1 1 UDP 1 1.2.3 5 typ host",
  "candidate:1 1 UDP 1 fe80::1%eth0 5 typ host",
  "candidate:1 1 UDP 1 ::g 5 typ host",
  "candidate:1 1 UDP 1 a..b 5 typ host",
  "candidate:1 1 UDP 1 -a.example 5 typ host",
  "candidate:1 1 UDP 1 a_b.example 5 typ host",
  "candidate:1 1 UDP 1 127.0.0.1 0 typ host",
  "candidate:1 1 UDP 1 127.0.0.1 65536 typ host",
  "candidate:1 1 UDP 1 127.0.0.1 -5 typ host",
  "candidate:1 1 UDP 1 127.0.0.1 0x10 typ host",
  "candidate:1 1 UDP 1 127.0.0.1 5 typ srflx raddr",
  "candidate:1 1 UDP 1 127.0.0.1 5 typ srflx raddr bad..addr rport 1",
  "candidate:1 1 UDP 1 127.0.0.1 5 typ srflx raddr 1.2.3.4 rport 70000",
  "candidate:1 1 UDP 1 127.0.0.1 5 typ srflx raddr 1.2.3.4 raddr 1.2.3.4",
  "candidate:1 1 TCP 1 127.0.0.1 5 typ host",
  "candidate:1 1 TCP 1 127.0.0.1 5 typ host tcptype sideways",
  "candidate:1 1 UDP 1 127.0.0.1 5 typ host tcptype passive",
  "candidate:1 1 TCP 1 127.0.0.1 0 typ host tcptype passive",
  "candidate:1 1 UDP 1 127.0.0.1 5 typ host ufrag bad-ufrag",
  "candidate:1 1 UDP 1 127.0.0.1 5 typ host generation",
};

GST_START_TEST (test_candidate_hostile)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad_candidates); i++) {
    GError *error = NULL;
    RtcIceCandidate *c = rtc_ice_candidate_parse (bad_candidates[i], &error);

    fail_unless (c == NULL, "accepted: %s", bad_candidates[i]);
    fail_unless (g_error_matches (error, RTC_ICE_ERROR,
                     RTC_ICE_ERROR_INVALID_CANDIDATE),
        "no error for: %s", bad_candidates[i]);
    fail_unless (g_str_has_prefix (error->message, "Invalid ICE candidate: "));
    GST_DEBUG ("%s -> %s", bad_candidates[i], error->message);
    g_error_free (error);
  }
  fail_if (rtc_ice_candidate_parse (NULL, NULL));
}

GST_END_TEST;

/* Browsers' mDNS host names are accepted and marked for resolution; no
 * other host name is (the peer must not pick what we look up in DNS), and
 * malformed `.local` names are refused with an error naming the field. */
GST_START_TEST (test_candidate_mdns)
{
  const gchar *valid[] = {
    "1f4712db-ea17-4bcf-a596-105139dfd8bf.local",
    "ABC-def.LOCAL",
    "a.local",
    "host-1.sub.local",
    "9.local",
    /* One label of 63 characters. */
    "012345678901234567890123456789012345678901234567890123456789012.local",
  };
  const gchar *invalid[] = {
    "host.example.com",
    "localhost",
    "local",
    ".local",
    "a..local",
    "-a.local",
    "a-.local",
    "a_b.local",
    "a b.local",
    "a.local.",
    "a.local.evil",
    "a.locals",
    "a.localx.com",
    "a%2e.local",
    "a\\.b.local",
    "*.local",
    "a.local:5000",
    "[a.local]",
    /* A label of 64 characters. */
    "0123456789012345678901234567890123456789012345678901234567890123.local",
  };
  GString *longname = g_string_new (NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (valid); i++) {
    gchar *line = g_strdup_printf ("candidate:1 1 udp 2122260223 %s 54400 "
                                   "typ host generation 0",
        valid[i]);
    RtcIceCandidate *c = parse_ok (line);

    fail_if (c->address_is_ip, "%s", valid[i]);
    fail_unless_equals_string (c->address, valid[i]);
    fail_unless (rtc_ice_is_mdns_name (valid[i]));
    check_round_trip (c);
    rtc_ice_candidate_free (c);
    g_free (line);
  }
  for (i = 0; i < G_N_ELEMENTS (invalid); i++) {
    gchar *line = g_strdup_printf ("candidate:1 1 udp 2122260223 %s 54400 "
                                   "typ host",
        invalid[i]);
    GError *error = NULL;

    fail_if (rtc_ice_is_mdns_name (invalid[i]), "%s", invalid[i]);
    fail_if (rtc_ice_candidate_parse (line, &error), "accepted %s", line);
    fail_unless (g_error_matches (error, RTC_ICE_ERROR,
                     RTC_ICE_ERROR_INVALID_CANDIDATE),
        "%s", line);
    fail_unless (strstr (error->message, "connection address")
            || strstr (error->message, "field"),
        "%s", error->message);
    g_error_free (error);
    g_free (line);
  }

  /* 253 characters is the longest name; 254 is refused. */
  while (longname->len < 253 - strlen (".local"))
    g_string_append (longname, longname->len % 60 == 59 ? "." : "a");
  g_string_append (longname, ".local");
  fail_unless_equals_int (longname->len, 253);
  fail_unless (rtc_ice_is_mdns_name (longname->str));
  g_string_prepend (longname, "b");
  fail_if (rtc_ice_is_mdns_name (longname->str));
  g_string_free (longname, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_candidate_overlong)
{
  GString *s = g_string_new ("candidate:1 1 UDP 1 127.0.0.1 5 typ host");
  GError *error = NULL;
  gchar *huge;

  while (s->len < RTC_ICE_CANDIDATE_MAX_LEN + 1)
    g_string_append (s, " generation 0");
  fail_if (rtc_ice_candidate_parse (s->str, &error));
  fail_unless (strstr (error->message, "longer than"), "%s", error->message);
  g_clear_error (&error);
  g_string_free (s, TRUE);

  /* Far longer than the limit: refused without reading it all. */
  huge = g_strnfill (1 << 20, '1');
  memcpy (huge, "candidate:", 10);
  fail_if (rtc_ice_candidate_parse (huge, &error));
  g_clear_error (&error);
  g_free (huge);
}

GST_END_TEST;

/* Random bytes and single-byte mutations of valid lines: the parser
 * accepts or refuses, never crashes; what it accepts round-trips. */
GST_START_TEST (test_candidate_fuzz)
{
  const gchar *seeds[] = {
    "candidate:842163049 1 udp 1677729535 203.0.113.7 61665 typ srflx raddr "
    "10.0.0.5 rport 61665 generation 0 ufrag EsAw",
    "candidate:a+/Z 1 TCP 1518280447 ::1 9 typ host tcptype active",
    "candidate:5 1 udp 2113937151 abc-def.local 54321 typ host",
  };
  GRand *rand = g_rand_new_with_seed (20261125);
  guint i, j;

  for (i = 0; i < 20000; i++) {
    gchar *line;
    RtcIceCandidate *c;

    if (i % 4 == 0) {
      guint len = g_rand_int_range (rand, 0, 200);

      line = g_malloc (len + 1);
      for (j = 0; j < len; j++)
        line[j] = (gchar)g_rand_int_range (rand, 1, 256);
      line[len] = '\0';
    } else {
      const gchar *seed = seeds[i % G_N_ELEMENTS (seeds)];
      guint n = g_rand_int_range (rand, 1, 4);

      line = g_strdup (seed);
      for (j = 0; j < n; j++)
        line[g_rand_int_range (rand, 0, strlen (seed))]
            = (gchar)g_rand_int_range (rand, 1, 256);
    }
    c = rtc_ice_candidate_parse (line, NULL);
    if (c) {
      check_round_trip (c);
      rtc_ice_candidate_free (c);
    }
    g_free (line);
  }
  g_rand_free (rand);
}

GST_END_TEST;

/* Printed without credentials, and parseable again. */
static void
check_uri_string (const RtcIceServerUri *u, const gchar *expected)
{
  gchar *s;

  fail_unless (u != NULL);
  s = rtc_ice_server_uri_to_string (u);
  fail_unless_equals_string (s, expected);
  g_free (s);
}

GST_START_TEST (test_uri_valid)
{
  RtcIceServerUri *u;
  GError *error = NULL;

  u = rtc_ice_server_uri_parse ("stun://127.0.0.1:3478", &error);
  fail_unless (u != NULL);
  fail_if (u->is_turn);
  fail_unless_equals_string (u->host, "127.0.0.1");
  fail_unless (u->host_is_ip);
  fail_unless_equals_int (u->port, 3478);
  rtc_ice_server_uri_free (u);

  u = rtc_ice_server_uri_parse ("stun:stun.example.org", &error);
  fail_unless (u != NULL);
  fail_if (u->host_is_ip);
  fail_unless_equals_int (u->port, 3478);
  rtc_ice_server_uri_free (u);

  u = rtc_ice_server_uri_parse ("turn://user:pass@127.0.0.1:3479", &error);
  fail_unless (u != NULL);
  fail_unless (u->is_turn);
  fail_if (u->tls);
  fail_unless_equals_int (u->protocol, RTC_ICE_PROTOCOL_UDP);
  fail_unless_equals_string (u->username, "user");
  fail_unless_equals_string (u->password, "pass");
  fail_unless_equals_int (u->port, 3479);
  rtc_ice_server_uri_free (u);

  u = rtc_ice_server_uri_parse ("TURN://u:p@127.0.0.1?transport=tcp", &error);
  fail_unless (u != NULL);
  fail_unless_equals_int (u->protocol, RTC_ICE_PROTOCOL_TCP);
  rtc_ice_server_uri_free (u);

  u = rtc_ice_server_uri_parse ("turns://u%40x:p%3Aw%40@[::1]:5350", &error);
  fail_unless (u != NULL, "%s", error ? error->message : "");
  fail_unless (u->tls);
  fail_unless_equals_int (u->protocol, RTC_ICE_PROTOCOL_TCP);
  fail_unless_equals_string (u->host, "::1");
  fail_unless_equals_string (u->username, "u@x");
  fail_unless_equals_string (u->password, "p:w@");
  fail_unless_equals_int (u->port, 5350);
  rtc_ice_server_uri_free (u);

  u = rtc_ice_server_uri_parse ("turn:u:p@localhost:3479", &error);
  fail_unless (u != NULL);
  fail_unless_equals_string (u->host, "localhost");
  fail_if (u->host_is_ip);
  check_uri_string (u, "turn:localhost:3479?transport=udp");
  rtc_ice_server_uri_free (u);

  u = rtc_ice_server_uri_parse ("stun:Stun-1.Example.ORG.:19302", &error);
  fail_unless (u != NULL);
  fail_unless_equals_string (u->host, "Stun-1.Example.ORG.");
  fail_if (u->host_is_ip);
  rtc_ice_server_uri_free (u);

  u = rtc_ice_server_uri_parse ("turns:u:p@turn.example.org", &error);
  fail_unless (u != NULL);
  fail_unless_equals_int (u->port, 5349);
  check_uri_string (u, "turns:turn.example.org:5349");
  rtc_ice_server_uri_free (u);

  u = rtc_ice_server_uri_parse ("turn://u:p@[::1]:3479?transport=tcp", &error);
  check_uri_string (u, "turn:[::1]:3479?transport=tcp");
  rtc_ice_server_uri_free (u);
  u = rtc_ice_server_uri_parse ("turn:u:p@127.0.0.1", &error);
  check_uri_string (u, "turn:127.0.0.1:3478?transport=udp");
  rtc_ice_server_uri_free (u);
  u = rtc_ice_server_uri_parse ("stun://127.0.0.1:1", &error);
  check_uri_string (u, "stun:127.0.0.1:1");
  rtc_ice_server_uri_free (u);
  fail_unless (error == NULL);
}

GST_END_TEST;

static const gchar *bad_uris[] = {
  "",
  "127.0.0.1:3478",
  "http://127.0.0.1",
  "stuns://127.0.0.1",
  "stun://",
  "stun://:3478",
  "stun://u:p@127.0.0.1",
  "stun://127.0.0.1?transport=udp",
  "stun://127.0.0.1:0",
  "stun://127.0.0.1:65536",
  "stun://127.0.0.1:abc",
  "stun://127.0.0.1:",
  "stun://127.0.0.1:3478/path",
  "stun://127.0.0.1:3478#frag",
  "stun://127.0.0.1:3478\r\nHost: evil",
  "stun://127.0.0.1 :3478",
  "stun://999.1.1.1",
  "stun://::1",
  "stun://[::1",
  "stun://[127.0.0.1]",
  "stun://[::1]x",
  "stun://h\xc3\xa9.example",
  "turn://127.0.0.1",
  "turn://user@127.0.0.1",
  "turn://:pass@127.0.0.1",
  "turn://user:@127.0.0.1",
  "turn://u:p%00@127.0.0.1",
  "turn://u:p%0a@127.0.0.1",
  "turn://u:p%zz@127.0.0.1",
  "turn://u:p@127.0.0.1?transport=sctp",
  "turn://u:p@127.0.0.1?transport=udp&x=y",
  "turns://u:p@127.0.0.1?transport=udp",
  /* Host names: RFC 1123 labels only, so that nothing odd reaches the
   * resolver. */
  "stun://-stun.example",
  "stun://stun-.example",
  "stun://stun..example",
  "stun://.example",
  "stun://stun_1.example",
  "stun://stun%2eexample",
  "turn://u:p@turn.exa%6dple",
  "stun://stun.example:3478:3478",
  "stun://1.2.3",
  "stun://stun.example.com@evil",
  "turns://u:p@turn.example..",
};

GST_START_TEST (test_uri_hostile)
{
  GString *longuri;
  GError *error = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad_uris); i++) {
    RtcIceServerUri *u = rtc_ice_server_uri_parse (bad_uris[i], &error);

    fail_unless (u == NULL, "accepted: %s", bad_uris[i]);
    fail_unless (g_error_matches (error, RTC_ICE_ERROR,
                     RTC_ICE_ERROR_INVALID_URI),
        "no error for: %s", bad_uris[i]);
    GST_DEBUG ("%s -> %s", bad_uris[i], error->message);
    g_clear_error (&error);
  }
  fail_if (rtc_ice_server_uri_parse (NULL, NULL));

  /* Labels of up to 63 characters, names of up to 253. */
  {
    gchar *label = g_strnfill (64, 'a');
    gchar *uri = g_strdup_printf ("stun:%s.example", label);
    RtcIceServerUri *u;

    fail_if (rtc_ice_server_uri_parse (uri, &error));
    fail_unless (strstr (error->message, "host name"), "%s", error->message);
    g_clear_error (&error);
    g_free (uri);
    label[63] = '\0';
    uri = g_strdup_printf ("stun:%s.%s.%s.%.61s", label, label, label, label);
    fail_unless_equals_int (strlen (uri + 5), 253);
    u = rtc_ice_server_uri_parse (uri, &error);
    fail_unless (u != NULL, "%s", error ? error->message : "");
    rtc_ice_server_uri_free (u);
    g_free (uri);
    uri = g_strdup_printf ("stun:%s.%s.%s.%.62s", label, label, label, label);
    fail_if (rtc_ice_server_uri_parse (uri, &error));
    g_clear_error (&error);
    g_free (uri);
    g_free (label);
  }

  longuri = g_string_new ("turn://user:");
  while (longuri->len <= RTC_ICE_SERVER_URI_MAX_LEN)
    g_string_append (longuri, "password");
  g_string_append (longuri, "@127.0.0.1");
  fail_if (rtc_ice_server_uri_parse (longuri->str, &error));
  fail_unless (strstr (error->message, "longer than"));
  g_clear_error (&error);
  g_string_free (longuri, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_credentials)
{
  GError *error = NULL;
  gchar *ufrag257 = g_strnfill (257, 'a');

  fail_unless (
      rtc_ice_check_credentials ("abcd", "0123456789abcdef+/ABCD", &error));
  fail_if (rtc_ice_check_credentials ("abc", "0123456789abcdef+/ABCD", &error));
  g_clear_error (&error);
  fail_if (
      rtc_ice_check_credentials (ufrag257, "0123456789abcdef+/ABCD", &error));
  g_clear_error (&error);
  fail_if (rtc_ice_check_credentials ("abcd", "0123456789abcdef+/ABC", &error));
  g_clear_error (&error);
  fail_if (
      rtc_ice_check_credentials ("ab d", "0123456789abcdef+/ABCD", &error));
  g_clear_error (&error);
  fail_if (rtc_ice_check_credentials (NULL, NULL, &error));
  g_clear_error (&error);
  g_free (ufrag257);
}

GST_END_TEST;

static Suite *
ice_parse_suite (void)
{
  Suite *s = suite_create ("ice-parse");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_candidate_valid);
  tcase_add_test (tc, test_candidate_hostile);
  tcase_add_test (tc, test_candidate_mdns);
  tcase_add_test (tc, test_candidate_overlong);
  tcase_add_test (tc, test_candidate_fuzz);
  tcase_add_test (tc, test_uri_valid);
  tcase_add_test (tc, test_uri_hostile);
  tcase_add_test (tc, test_credentials);
  return s;
}

RTC_CHECK_MAIN (ice_parse);
