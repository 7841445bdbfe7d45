/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Relays through a real TURN server: coturn (Debian's `turnserver`),
 * started by each test on 127.0.0.1 with a free port and the configuration
 * in tests/check/ice/turnserver.conf, and stopped at its end. Both sides
 * use the relay-only policy, so the selected pair can only be relay to
 * relay.
 */
/* unshare() */
#define _GNU_SOURCE

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "icetestutil.h"

#define TURN_USER "rtc"
#define TURN_PASSWORD "rtc-secret"

/* The suite's own network namespace (see main()): a host address that is
 * not loopback, and the address its UDP to 127.0.0.1 is rewritten to, so
 * that a STUN server sees a mapped address differing from the host's. */
#define HOST_ADDRESS "198.18.0.1"
#define MAPPED_ADDRESS "198.18.0.2"

typedef struct {
  GPid pid;
  guint16 port; /* TURN over UDP and TCP, and STUN */
  guint16 tls_port; /* TURN over TLS, or 0 */
  gchar *dir;
  gchar *cert; /* the server's self-signed certificate, PEM, with TLS */
  gchar *log;
} TurnServer;

/* A port free for both UDP and TCP on 127.0.0.1 (coturn listens on both). */
static guint16
free_port (void)
{
  guint attempt;

  for (attempt = 0; attempt < 50; attempt++) {
    GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    GSocketAddress *any = g_inet_socket_address_new (lo, 0), *bound;
    GSocket *udp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
        G_SOCKET_PROTOCOL_UDP, NULL);
    GSocket *tcp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
        G_SOCKET_PROTOCOL_TCP, NULL);
    guint16 port = 0;

    fail_unless (udp && tcp);
    if (g_socket_bind (udp, any, FALSE, NULL)) {
      GSocketAddress *same;

      bound = g_socket_get_local_address (udp, NULL);
      port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
      same = g_inet_socket_address_new (lo, port);
      if (!g_socket_bind (tcp, same, FALSE, NULL))
        port = 0;
      g_object_unref (same);
      g_object_unref (bound);
    }
    g_object_unref (udp);
    g_object_unref (tcp);
    g_object_unref (any);
    g_object_unref (lo);
    if (port)
      return port;
  }
  fail ("no free port on 127.0.0.1");
  return 0;
}

/* A plain socket, not GSocketClient: that one asks the system proxy
 * resolver (libproxy), which has no business here. */
static gboolean
turn_listening (guint16 port)
{
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *addr = g_inet_socket_address_new (lo, port);
  GSocket *sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
      G_SOCKET_PROTOCOL_TCP, NULL);
  gboolean ok;

  fail_unless (sock != NULL);
  ok = g_socket_connect (sock, addr, NULL, NULL);
  g_object_unref (sock);
  g_object_unref (addr);
  g_object_unref (lo);
  return ok;
}

/* Whether coturn answers a STUN Binding request on UDP 127.0.0.1:@port:
 * it opens its UDP listener apart from the TCP one, and a request sent
 * before that meets an ICMP port-unreachable, which ends libnice's
 * discovery at once. */
static gboolean
turn_answers_udp (guint16 port)
{
  static const guint8 request[20] = { 0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4,
    0x42, 'r', 't', 'c', '-', 'r', 'e', 'a', 'd', 'y', '-', '-', '-' };
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *addr = g_inet_socket_address_new (lo, port);
  GSocket *sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, NULL);
  guint8 answer[512];
  gboolean ok = FALSE;

  fail_unless (sock != NULL);
  if (g_socket_send_to (sock, addr, (const gchar *)request, sizeof (request),
          NULL, NULL)
          == sizeof (request)
      && g_socket_condition_timed_wait (sock, G_IO_IN, 100 * 1000, NULL, NULL))
    /* A Binding success response (0x0101) to our request. */
    ok = g_socket_receive (sock, (gchar *)answer, sizeof (answer), NULL, NULL)
            >= 20
        && answer[0] == 0x01 && answer[1] == 0x01
        && memcmp (answer + 8, request + 8, 12) == 0;
  g_object_unref (sock);
  g_object_unref (addr);
  g_object_unref (lo);
  return ok;
}

/* In the server: a test that crashes must not leave it running. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
run_command (gchar **argv)
{
  gchar *err = NULL;
  gint status;
  GError *error = NULL;

  fail_unless (g_spawn_sync (NULL, argv, NULL,
                   G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                   NULL, &err, &status, &error),
      "cannot run %s: %s", argv[0], error ? error->message : "");
  fail_unless (g_spawn_check_wait_status (status, NULL), "%s failed: %s",
      argv[0], err);
  g_free (err);
}

/* The names a test server's certificate normally carries. */
#define SERVER_NAMES "IP:127.0.0.1,DNS:localhost"

/* A fresh self-signed certificate for @san (subjectAltName). */
static void
make_certificate (TurnServer *ts, const gchar *san, gchar **key)
{
  gchar *ext = g_strdup_printf ("subjectAltName=%s", san);

  *key = g_build_filename (ts->dir, "key.pem", NULL);
  ts->cert = g_build_filename (ts->dir, "cert.pem", NULL);
  {
    gchar *argv[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
      "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
      "/CN=gst-rtc test TURN", "-addext", ext, "-keyout", *key, "-out",
      ts->cert, NULL };

    run_command (argv);
  }
  g_free (ext);
}

static void
wait_listening (TurnServer *ts, guint16 port, gboolean udp)
{
  gint64 deadline = g_get_monotonic_time () + RTC_TEST_MS (5000) * 1000;

  while (!turn_listening (port) || (udp && !turn_answers_udp (port))) {
    fail_unless (waitpid (ts->pid, NULL, WNOHANG) == 0,
        "turnserver exited at start");
    fail_unless (g_get_monotonic_time () < deadline,
        "turnserver not listening on 127.0.0.1:%u", port);
    g_usleep (10000);
  }
}

/* Starts coturn; with @san, also listening for TURN over TLS with a
 * certificate made for this run, for those names. */
static void
turn_start (TurnServer *ts, const gchar *san)
{
  const gchar *dir = g_getenv ("RTC_ICE_TEST_DIR");
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  gchar *key = NULL;
  GError *error = NULL;

  fail_unless (dir != NULL, "RTC_ICE_TEST_DIR is not set");
  memset (ts, 0, sizeof (*ts));
  ts->dir = g_dir_make_tmp ("rtc-turn-XXXXXX", &error);
  fail_unless (ts->dir != NULL, "%s", error ? error->message : "");
  ts->port = free_port ();
  ts->log = g_build_filename (ts->dir, "turnserver.log", NULL);
  g_ptr_array_add (argv, g_strdup ("turnserver"));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_build_filename (dir, "turnserver.conf", NULL));
  g_ptr_array_add (argv, g_strdup_printf ("--listening-port=%u", ts->port));
  g_ptr_array_add (argv,
      g_strdup_printf ("--pidfile=%s/turnserver.pid", ts->dir));
  g_ptr_array_add (argv, g_strdup_printf ("--log-file=%s", ts->log));
  g_ptr_array_add (argv, g_strdup ("--user=" TURN_USER ":" TURN_PASSWORD));
  if (san) {
    make_certificate (ts, san, &key);
    do
      ts->tls_port = free_port ();
    while (ts->tls_port == ts->port);
    g_ptr_array_add (argv,
        g_strdup_printf ("--tls-listening-port=%u", ts->tls_port));
    g_ptr_array_add (argv, g_strdup_printf ("--cert=%s", ts->cert));
    g_ptr_array_add (argv, g_strdup_printf ("--pkey=%s", key));
    g_free (key);
  } else {
    g_ptr_array_add (argv, g_strdup ("--no-tls"));
  }
  g_ptr_array_add (argv, NULL);

  fail_unless (g_spawn_async (NULL, (gchar **)argv->pdata, NULL,
                   G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD
                       | G_SPAWN_STDOUT_TO_DEV_NULL
                       | G_SPAWN_STDERR_TO_DEV_NULL,
                   die_with_parent, NULL, &ts->pid, &error),
      "cannot start turnserver (Debian package coturn): %s",
      error ? error->message : "");
  g_ptr_array_unref (argv);
  wait_listening (ts, ts->port, TRUE);
  if (san)
    wait_listening (ts, ts->tls_port, FALSE);
}

static void
turn_stop (TurnServer *ts)
{
  gint64 deadline = g_get_monotonic_time () + RTC_TEST_MS (5000) * 1000;
  GDir *dir;
  const gchar *name;

  kill (ts->pid, SIGTERM);
  while (waitpid (ts->pid, NULL, WNOHANG) == 0) {
    if (g_get_monotonic_time () > deadline) {
      kill (ts->pid, SIGKILL);
      waitpid (ts->pid, NULL, 0);
      break;
    }
    g_usleep (10000);
  }
  g_spawn_close_pid (ts->pid);
  dir = g_dir_open (ts->dir, 0, NULL);
  while (dir && (name = g_dir_read_name (dir))) {
    gchar *path = g_build_filename (ts->dir, name, NULL);

    g_unlink (path);
    g_free (path);
  }
  if (dir)
    g_dir_close (dir);
  g_rmdir (ts->dir);
  g_free (ts->dir);
  g_free (ts->cert);
  g_free (ts->log);
}

/* How many lines of coturn's log contain @needle. */
static guint
turn_log_count (TurnServer *ts, const gchar *needle)
{
  gchar *text = NULL, *p;
  guint n = 0;

  if (!g_file_get_contents (ts->log, &text, NULL, NULL))
    return 0;
  for (p = text; (p = strstr (p, needle)); p += strlen (needle))
    n++;
  g_free (text);
  return n;
}

static gboolean
turn_log_wait (TurnServer *ts, const gchar *needle, guint count, guint64 ms)
{
  gint64 deadline = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;

  while (turn_log_count (ts, needle) < count) {
    if (g_get_monotonic_time () > deadline)
      return FALSE;
    g_usleep (10000);
  }
  return TRUE;
}

static gchar *
turn_uri (TurnServer *ts, const gchar *password, const gchar *transport)
{
  return g_strdup_printf ("turn://" TURN_USER ":%s@127.0.0.1:%u?transport=%s",
      password, ts->port, transport);
}

static gchar *
turns_uri (TurnServer *ts, const gchar *host)
{
  return g_strdup_printf ("turns://" TURN_USER ":" TURN_PASSWORD "@%s:%u", host,
      ts->tls_port);
}

static void
relay_peer_init (IcePeer *p, IcePeer *other, gboolean controlling,
    const gchar *uri, const gchar *ca_file)
{
  gboolean ok = FALSE;

  ice_peer_init (p, other, controlling, RTC_TYPE_ICE_TRANSPORT);
  g_object_set (p->t, "ice-transport-policy", RTC_ICE_TRANSPORT_POLICY_RELAY,
      "tls-ca-file", ca_file, NULL);
  g_signal_emit_by_name (p->t, "add-turn-server", uri, &ok);
  fail_unless (ok, "%s", uri);
}

/* Two relay-only peers on the TURN server @uri: they connect relay to
 * relay and exchange packets intact. */
static void
check_relayed (const gchar *uri, const gchar *ca_file)
{
  IcePeer a, b;
  IcePeer *peers[] = { &a, &b };
  guint i, j;

  relay_peer_init (&a, &b, TRUE, uri, ca_file);
  relay_peer_init (&b, &a, FALSE, uri, ca_file);

  /* As ice_connect(), with time for two allocations (and TLS handshakes,
   * slow under sanitizers) before the checks. */
  ice_peer_give_credentials (&a, &b);
  ice_peer_give_credentials (&b, &a);
  fail_unless (ice_gather (&a));
  fail_unless (ice_gather (&b));
  fail_unless (ice_wait (&a, ice_is_connected, 10000), "A not connected");
  fail_unless (ice_wait (&b, ice_is_connected, 10000), "B not connected");
  fail_unless_equals_int (a.add_errors, 0);
  fail_unless_equals_int (b.add_errors, 0);
  for (i = 0; i < G_N_ELEMENTS (peers); i++) {
    IcePeer *p = peers[i];
    RtcIceCandidate *local = NULL, *remote = NULL;

    fail_unless (ice_wait (p, ice_gathering_complete, 5000));
    /* Nothing but relays was ever signalled. */
    fail_unless (p->signalled->len > 0);
    for (j = 0; j < p->signalled->len; j++)
      fail_unless (strstr (p->signalled->pdata[j], " typ relay"), "%s",
          (gchar *)p->signalled->pdata[j]);
    fail_unless (rtc_ice_transport_get_selected_pair (p->t, &local, &remote));
    fail_unless_equals_int (local->type, RTC_ICE_CANDIDATE_TYPE_RELAY);
    fail_unless_equals_int (remote->type, RTC_ICE_CANDIDATE_TYPE_RELAY);
    rtc_ice_candidate_free (local);
    rtc_ice_candidate_free (remote);
  }

  /* Packets both ways through the relay, intact. */
  ice_packets_exchange (&a, &b, 20, ice_packet_len_max);

  ice_peer_clear (&a);
  ice_peer_clear (&b);
}

static void
check_relayed_plain (const gchar *transport)
{
  TurnServer ts;
  gchar *uri;

  turn_start (&ts, NULL);
  uri = turn_uri (&ts, TURN_PASSWORD, transport);
  check_relayed (uri, NULL);
  g_free (uri);
  turn_stop (&ts);
}

GST_START_TEST (test_relay_udp)
{
  check_relayed_plain ("udp");
}

GST_END_TEST;

GST_START_TEST (test_relay_tcp)
{
  check_relayed_plain ("tcp");
}

GST_END_TEST;

/* coturn's verbose log: an allocation made, with the TLS parameters of its
 * session if it has one; an allocation deleted by a refresh of lifetime 0
 * (RFC 8656 7.2), where one left to time out would log nothing before the
 * test ends. */
#define ALLOCATION_MADE \
  "new, realm=<gst-rtc.test>, username=<rtc>, lifetime=600"
#define ALLOCATION_OVER_TLS ALLOCATION_MADE ", cipher="
#define ALLOCATION_RELEASED \
  "refreshed, realm=<gst-rtc.test>, username=<rtc>, lifetime=0"

/* Several TURN servers at once, one over UDP and one over TCP: each is
 * asked for an allocation and gives one. libnice keeps one relay candidate
 * per local base, usually the UDP server's (the TCP one when that
 * allocation completes first, on a loaded machine), and releases the
 * other allocation at once rather than leaving it on its server; the call
 * connects through the relay it kept. */
GST_START_TEST (test_several_servers)
{
  TurnServer ts_udp, ts_tcp;
  IcePeer a, b;
  gchar *uri_udp, *uri_tcp;
  TurnServer *released;
  gboolean ok = FALSE, kept_tcp;
  guint i, relays = 0;

  turn_start (&ts_udp, NULL);
  turn_start (&ts_tcp, NULL);
  uri_udp = turn_uri (&ts_udp, TURN_PASSWORD, "udp");
  uri_tcp = turn_uri (&ts_tcp, TURN_PASSWORD, "tcp");
  relay_peer_init (&a, &b, TRUE, uri_udp, NULL);
  g_signal_emit_by_name (a.t, "add-turn-server", uri_tcp, &ok);
  fail_unless (ok, "%s", uri_tcp);
  relay_peer_init (&b, &a, FALSE, uri_udp, NULL);

  ice_peer_give_credentials (&a, &b);
  ice_peer_give_credentials (&b, &a);
  fail_unless (ice_gather (&a));
  fail_unless (ice_gather (&b));
  fail_unless (ice_wait (&a, ice_gathering_complete, 10000));
  fail_unless (turn_log_wait (&ts_udp, ALLOCATION_MADE, 2, 5000),
      "UDP server: not both peers allocated");
  fail_unless (turn_log_wait (&ts_tcp, ALLOCATION_MADE, 1, 5000),
      "TCP server: no allocation");
  g_mutex_lock (&a.lock);
  for (i = 0; i < a.signalled->len; i++) {
    fail_unless (strstr (a.signalled->pdata[i], " typ relay"), "%s",
        (gchar *)a.signalled->pdata[i]);
    relays++;
  }
  g_mutex_unlock (&a.lock);
  fail_unless_equals_int (relays, 1);
  /* libnice gives a relay allocated over TCP as rport 0. */
  kept_tcp = g_str_has_suffix (a.signalled->pdata[0], " rport 0");
  released = kept_tcp ? &ts_udp : &ts_tcp;
  fail_unless (turn_log_wait (released, ALLOCATION_RELEASED, 1, 5000),
      "%s server: redundant allocation left behind", kept_tcp ? "UDP" : "TCP");
  fail_unless_equals_int (turn_log_count (kept_tcp ? &ts_tcp : &ts_udp,
                              ALLOCATION_RELEASED),
      0);
  fail_unless (ice_wait (&a, ice_is_connected, 10000), "A not connected");
  ice_packets_exchange (&a, &b, 20, ice_packet_len_max);

  ice_peer_clear (&a);
  ice_peer_clear (&b);
  g_free (uri_udp);
  g_free (uri_tcp);
  turn_stop (&ts_udp);
  turn_stop (&ts_tcp);
}

GST_END_TEST;

/* turns: is TLS to the server: coturn's log shows the TLS session that
 * carried the allocations, with the server's certificate trusted through
 * tls-ca-file; and the server may be named (SNI and name check). */
GST_START_TEST (test_relay_tls)
{
  const gchar *hosts[] = { "127.0.0.1", "localhost" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (hosts); i++) {
    TurnServer ts;
    gchar *uri;

    turn_start (&ts, SERVER_NAMES);
    uri = turns_uri (&ts, hosts[i]);
    check_relayed (uri, ts.cert);
    g_free (uri);
    /* Both peers' allocations were made over TLS sessions. */
    fail_unless (turn_log_count (&ts, ALLOCATION_OVER_TLS) >= 2,
        "no allocation over TLS");
    turn_stop (&ts);
  }
}

GST_END_TEST;

/* A TURN server given by host name. */
GST_START_TEST (test_relay_by_name)
{
  TurnServer ts;
  gchar *uri;

  turn_start (&ts, NULL);
  uri = g_strdup_printf ("turn://" TURN_USER ":" TURN_PASSWORD
                         "@localhost:%u?transport=udp",
      ts.port);
  check_relayed (uri, NULL);
  g_free (uri);
  turn_stop (&ts);
}

GST_END_TEST;

typedef struct {
  GMutex lock;
  GPtrArray *urls, *texts;
  GArray *codes;
  GPtrArray *candidates;
} Gathered;

static void
on_candidate_error (RtcIceTransport *t, const gchar *url, guint code,
    const gchar *text, Gathered *g)
{
  g_mutex_lock (&g->lock);
  g_ptr_array_add (g->urls, g_strdup (url));
  g_ptr_array_add (g->texts, g_strdup (text));
  g_array_append_val (g->codes, code);
  g_mutex_unlock (&g->lock);
}

static void
on_candidate (RtcIceTransport *t, guint component, const gchar *line,
    Gathered *g)
{
  g_mutex_lock (&g->lock);
  g_ptr_array_add (g->candidates, g_strdup (line));
  g_mutex_unlock (&g->lock);
}

static void
gathered_init (Gathered *g)
{
  g_mutex_init (&g->lock);
  g->urls = g_ptr_array_new_with_free_func (g_free);
  g->texts = g_ptr_array_new_with_free_func (g_free);
  g->codes = g_array_new (FALSE, FALSE, sizeof (guint));
  g->candidates = g_ptr_array_new_with_free_func (g_free);
}

static void
gathered_clear (Gathered *g)
{
  g_ptr_array_unref (g->urls);
  g_ptr_array_unref (g->texts);
  g_array_unref (g->codes);
  g_ptr_array_unref (g->candidates);
  g_mutex_clear (&g->lock);
}

/* A transport on its own, configured by @first_property..., that records
 * what it gathers in @g. */
static RtcIceTransport *
lone_transport (Gathered *g, const gchar *address, const gchar *first_property,
    ...)
{
  const gchar *addresses[] = { address, NULL };
  RtcIceTransport *t = g_object_new (RTC_TYPE_ICE_TRANSPORT, "local-addresses",
      addresses, NULL);
  va_list args;

  va_start (args, first_property);
  if (first_property)
    g_object_set_valist (G_OBJECT (t), first_property, args);
  va_end (args);
  g_signal_connect (t, "on-ice-candidate", G_CALLBACK (on_candidate), g);
  g_signal_connect (t, "on-ice-candidate-error",
      G_CALLBACK (on_candidate_error), g);
  return t;
}

static void
add_turn (RtcIceTransport *t, const gchar *uri)
{
  gboolean ok = FALSE;

  g_signal_emit_by_name (t, "add-turn-server", uri, &ok);
  fail_unless (ok, "%s", uri);
}

static gboolean
gather_and_wait (RtcIceTransport *t, guint64 ms)
{
  gint64 deadline = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;
  gboolean ok = FALSE;

  g_signal_emit_by_name (t, "gather", &ok);
  fail_unless (ok);
  while (rtc_ice_transport_get_gathering_state (t)
      != RTC_ICE_GATHERING_STATE_COMPLETE) {
    if (g_get_monotonic_time () > deadline)
      return FALSE;
    g_usleep (2000);
  }
  return TRUE;
}

static guint
count_candidates (Gathered *g, const gchar *needle)
{
  guint i, n = 0;

  g_mutex_lock (&g->lock);
  for (i = 0; i < g->candidates->len; i++)
    if (strstr (g->candidates->pdata[i], needle))
      n++;
  g_mutex_unlock (&g->lock);
  return n;
}

static void
lone_transport_free (RtcIceTransport *t, Gathered *g)
{
  g_signal_handlers_disconnect_by_data (t, g);
  g_object_unref (t);
}

/* A wrong TURN password: no relay candidate, a clear candidate error that
 * names the server without its credentials, no connection. */
GST_START_TEST (test_wrong_password)
{
  TurnServer ts;
  IcePeer a, b;
  Gathered g;
  gchar *uri, *expected_url;

  turn_start (&ts, NULL);
  uri = turn_uri (&ts, "not-the-password", "udp");
  relay_peer_init (&a, &b, TRUE, uri, NULL);
  g_free (uri);
  ice_peer_init (&b, &a, FALSE, RTC_TYPE_ICE_TRANSPORT);
  gathered_init (&g);
  g_signal_connect (a.t, "on-ice-candidate-error",
      G_CALLBACK (on_candidate_error), &g);

  ice_peer_give_credentials (&a, &b);
  ice_peer_give_credentials (&b, &a);
  fail_unless (ice_gather (&a));
  fail_unless (ice_gather (&b));
  fail_unless (ice_wait (&a, ice_gathering_complete, 10000));
  fail_unless_equals_int (a.signalled->len, 0);

  expected_url = g_strdup_printf ("turn:127.0.0.1:%u?transport=udp", ts.port);
  g_mutex_lock (&g.lock);
  fail_unless_equals_int (g.urls->len, 1);
  fail_unless_equals_string (g.urls->pdata[0], expected_url);
  fail_unless_equals_int (g_array_index (g.codes, guint, 0), 701);
  fail_unless (strstr (g.texts->pdata[0], "credentials"), "%s",
      (gchar *)g.texts->pdata[0]);
  g_mutex_unlock (&g.lock);
  g_free (expected_url);
  fail_if (ice_wait (&a, ice_is_connected, 1000));

  g_signal_handlers_disconnect_by_data (a.t, &g);
  ice_peer_clear (&a);
  ice_peer_clear (&b);
  turn_stop (&ts);
  gathered_clear (&g);
}

GST_END_TEST;

/* turns: servers whose certificate is not for them: self-signed and not
 * trusted, or trusted but naming another address or host. No relay, and the
 * candidate error says why; gathering still ends promptly. */
GST_START_TEST (test_tls_untrusted)
{
  static const struct {
    const gchar *san, *host;
    gboolean trusted;
    const gchar *reason;
  } cases[] = {
    { SERVER_NAMES, "127.0.0.1", FALSE, "self-signed certificate" },
    { "DNS:localhost", "127.0.0.1", TRUE, "IP address mismatch" },
    { "IP:127.0.0.1", "localhost", TRUE, "hostname mismatch" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    TurnServer ts;
    Gathered g;
    RtcIceTransport *t;
    gchar *uri, *expected_url, *expected_text;
    gint64 start;

    turn_start (&ts, cases[i].san);
    gathered_init (&g);
    t = lone_transport (&g, "127.0.0.1", "tls-ca-file",
        cases[i].trusted ? ts.cert : NULL, NULL);
    uri = turns_uri (&ts, cases[i].host);
    add_turn (t, uri);
    /* Before libnice's own TCP transaction timeout (7.9 s): the bridge
     * refuses the allocation as soon as TLS fails (in milliseconds, but
     * sanitizers are slow). */
    start = g_get_monotonic_time ();
    fail_unless (gather_and_wait (t, 5000), "gathering did not complete");
    GST_INFO ("gathered in %" G_GINT64_FORMAT " ms",
        (g_get_monotonic_time () - start) / 1000);
    fail_unless_equals_int (count_candidates (&g, "typ relay"), 0);
    fail_unless (count_candidates (&g, "typ host") > 0);

    expected_url = g_strdup_printf ("turns:%s:%u", cases[i].host, ts.tls_port);
    expected_text
        = g_strdup_printf ("TURN over TLS failed: certificate not trusted: %s",
            cases[i].reason);
    g_mutex_lock (&g.lock);
    fail_unless_equals_int (g.urls->len, 1);
    fail_unless_equals_string (g.urls->pdata[0], expected_url);
    fail_unless_equals_int (g_array_index (g.codes, guint, 0), 701);
    fail_unless_equals_string (g.texts->pdata[0], expected_text);
    g_mutex_unlock (&g.lock);
    /* Nothing reached the server but the refused handshake. */
    fail_unless_equals_int (turn_log_count (&ts, "ALLOCATE"), 0);

    g_free (expected_url);
    g_free (expected_text);
    g_free (uri);
    lone_transport_free (t, &g);
    gathered_clear (&g);
    turn_stop (&ts);
  }
}

GST_END_TEST;

/* A turns: server that is down: the refused connection is the reason
 * given, at once. */
GST_START_TEST (test_tls_refused)
{
  Gathered g;
  RtcIceTransport *t;
  gchar *uri, *expected_url;
  guint16 port = free_port ();

  gathered_init (&g);
  t = lone_transport (&g, "127.0.0.1", NULL);
  uri = g_strdup_printf ("turns://" TURN_USER ":" TURN_PASSWORD "@127.0.0.1:%u",
      port);
  add_turn (t, uri);
  fail_unless (gather_and_wait (t, 5000), "gathering did not complete");
  fail_unless_equals_int (count_candidates (&g, "typ relay"), 0);
  expected_url = g_strdup_printf ("turns:127.0.0.1:%u", port);
  g_mutex_lock (&g.lock);
  fail_unless_equals_int (g.urls->len, 1);
  fail_unless_equals_string (g.urls->pdata[0], expected_url);
  fail_unless (strstr (g.texts->pdata[0], "cannot connect: Connection refused"),
      "%s", (gchar *)g.texts->pdata[0]);
  g_mutex_unlock (&g.lock);
  g_free (expected_url);
  g_free (uri);
  lone_transport_free (t, &g);
  gathered_clear (&g);
}

GST_END_TEST;

/* Names that do not resolve: each server is reported with 701, and
 * gathering completes at once with what works (the host candidates). */
GST_START_TEST (test_unresolvable_name)
{
  Gathered g;
  RtcIceTransport *t;
  gint64 start;
  guint i;

  gathered_init (&g);
  t = lone_transport (&g, "127.0.0.1", "stun-server",
      "stun://stun.nonexistent.invalid:3478", NULL);
  add_turn (t, "turn://u:p@nonexistent.invalid?transport=tcp");
  start = g_get_monotonic_time ();
  fail_unless (gather_and_wait (t, 3000), "gathering did not complete");
  GST_INFO ("gathered in %" G_GINT64_FORMAT " ms",
      (g_get_monotonic_time () - start) / 1000);
  fail_unless (count_candidates (&g, "typ host") > 0);

  g_mutex_lock (&g.lock);
  /* In the order the lookups fail. */
  fail_unless_equals_int (g.urls->len, 2);
  fail_unless (g_ptr_array_find_with_equal_func (g.urls,
      "stun:stun.nonexistent.invalid:3478", g_str_equal, NULL));
  fail_unless (g_ptr_array_find_with_equal_func (g.urls,
      "turn:nonexistent.invalid:3478?transport=tcp", g_str_equal, NULL));
  for (i = 0; i < 2; i++) {
    fail_unless_equals_int (g_array_index (g.codes, guint, i), 701);
    fail_unless (strstr (g.texts->pdata[i], "cannot resolve"), "%s",
        (gchar *)g.texts->pdata[i]);
  }
  g_mutex_unlock (&g.lock);
  lone_transport_free (t, &g);
  gathered_clear (&g);
}

GST_END_TEST;

/* Closing, or dropping without closing, releases the allocations at once,
 * also over TLS: the bridge outlives the agent's last refresh. The host
 * address is not loopback, so libnice reaches the loopback bridge from
 * it. */
GST_START_TEST (test_allocation_released)
{
  TurnServer ts;
  Gathered g1, g2;
  RtcIceTransport *t1, *t2;
  guint made, released;
  gchar *uri;

  turn_start (&ts, SERVER_NAMES);
  uri = turns_uri (&ts, "localhost");
  gathered_init (&g1);
  gathered_init (&g2);
  t1 = lone_transport (&g1, HOST_ADDRESS, "tls-ca-file", ts.cert,
      "ice-transport-policy", RTC_ICE_TRANSPORT_POLICY_RELAY, NULL);
  t2 = lone_transport (&g2, HOST_ADDRESS, "tls-ca-file", ts.cert,
      "ice-transport-policy", RTC_ICE_TRANSPORT_POLICY_RELAY, NULL);
  add_turn (t1, uri);
  add_turn (t2, uri);
  fail_unless (gather_and_wait (t1, 5000));
  fail_unless (gather_and_wait (t2, 5000));
  fail_unless_equals_int (count_candidates (&g1, "typ relay"), 1);
  fail_unless_equals_int (count_candidates (&g2, "typ relay"), 1);
  fail_unless_equals_int (g1.urls->len + g2.urls->len, 0);
  /* libnice allocates from each of its host sockets and releases the
   * redundant relays at once: count the ones in use, once coturn has
   * logged those releases (late on a loaded machine). */
  made = turn_log_count (&ts, ALLOCATION_OVER_TLS);
  fail_unless (made >= 2, "%u made", made);
  turn_log_wait (&ts, ALLOCATION_RELEASED, made - 2, 2000);
  released = turn_log_count (&ts, ALLOCATION_RELEASED);
  fail_unless (made >= 2 && made - released == 2, "%u made, %u released", made,
      released);

  rtc_ice_transport_close (t1);
  lone_transport_free (t1, &g1);
  fail_unless (turn_log_wait (&ts, ALLOCATION_RELEASED, released + 1, 2000),
      "allocation not released on close");
  lone_transport_free (t2, &g2);
  fail_unless (turn_log_wait (&ts, ALLOCATION_RELEASED, released + 2, 2000),
      "allocation not released on unref");
  fail_unless_equals_int (turn_log_count (&ts, ALLOCATION_RELEASED), made);

  g_free (uri);
  gathered_clear (&g1);
  gathered_clear (&g2);
  turn_stop (&ts);
}

GST_END_TEST;

/* A server-reflexive candidate from coturn's STUN, by host name: the
 * suite's namespace rewrites the host address's UDP to the server, so the
 * mapped address differs from it, as behind a NAT. */
GST_START_TEST (test_server_reflexive)
{
  TurnServer ts;
  Gathered g;
  RtcIceTransport *t;
  gchar *stun;

  turn_start (&ts, NULL);
  gathered_init (&g);
  stun = g_strdup_printf ("stun:localhost:%u", ts.port);
  t = lone_transport (&g, HOST_ADDRESS, "stun-server", stun, NULL);
  fail_unless (gather_and_wait (t, 3000));
  /* One UDP srflx from coturn's answer (libnice derives TCP ones from
   * it), on the mapped address, based on the host one. */
  fail_unless_equals_int (count_candidates (&g,
                              "typ srflx raddr " HOST_ADDRESS),
      count_candidates (&g, " " MAPPED_ADDRESS " "));
  g_mutex_lock (&g.lock);
  {
    guint k, udp_srflx = 0;

    for (k = 0; k < g.candidates->len; k++) {
      const gchar *c = g.candidates->pdata[k];

      if (strstr (c, " UDP ") && strstr (c, "typ srflx")) {
        fail_unless (strstr (c, " " MAPPED_ADDRESS " "), "%s", c);
        udp_srflx++;
      }
    }
    fail_unless_equals_int (udp_srflx, 1);
  }
  g_mutex_unlock (&g.lock);
  fail_unless_equals_int (g.urls->len, 0);
  g_free (stun);
  lone_transport_free (t, &g);
  gathered_clear (&g);
  turn_stop (&ts);
}

GST_END_TEST;

static Suite *
ice_turn_suite (void)
{
  Suite *s = suite_create ("ice-turn");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_relay_udp);
  tcase_add_test (tc, test_relay_tcp);
  tcase_add_test (tc, test_relay_tls);
  tcase_add_test (tc, test_several_servers);
  tcase_add_test (tc, test_relay_by_name);
  tcase_add_test (tc, test_wrong_password);
  tcase_add_test (tc, test_tls_untrusted);
  tcase_add_test (tc, test_tls_refused);
  tcase_add_test (tc, test_unresolvable_name);
  tcase_add_test (tc, test_allocation_released);
  tcase_add_test (tc, test_server_reflexive);
  return s;
}

static void
setup_command (const gchar *command)
{
  gchar **argv = NULL;
  gint status;
  GError *error = NULL;

  if (!g_shell_parse_argv (command, NULL, &argv, &error)
      || !g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
          NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("%s: %s", command, error->message);
  g_strfreev (argv);
}

/* The suite runs in a network namespace of its own, made here before any
 * thread exists so that all inherit it: loopback, a host address that is
 * not loopback, and a source NAT for its UDP to 127.0.0.1 (the STUN test's
 * "NAT"). Needs root (or a user namespace's), as the suite does; the
 * host's own network is never touched. */
static void
enter_test_network (void)
{
  if (unshare (CLONE_NEWNET) != 0)
    g_error ("unshare(CLONE_NEWNET): %s (the suite needs root)",
        g_strerror (errno));
  setup_command ("ip link set lo up");
  setup_command ("ip addr add " HOST_ADDRESS "/32 dev lo");
  setup_command ("ip addr add " MAPPED_ADDRESS "/32 dev lo");
  setup_command ("nft add table ip rtc_test");
  setup_command ("nft add chain ip rtc_test post "
                 "'{ type nat hook postrouting priority 100 ; }'");
  setup_command (
      "nft add rule ip rtc_test post ip saddr " HOST_ADDRESS
      " ip daddr 127.0.0.1 meta l4proto udp snat to " MAPPED_ADDRESS);
}

int
main (int argc, char **argv)
{
  enter_test_network ();
  /* As RTC_ICE_CORE_CHECK_MAIN: no plugin loading in-process. */
  g_setenv ("GST_REGISTRY_UPDATE", "no", TRUE);
  gst_check_init (&argc, &argv);
  return rtc_check_run_suite (ice_turn_suite (), "ice_turn", __FILE__);
}
