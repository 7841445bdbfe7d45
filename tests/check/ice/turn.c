/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Relays through a real TURN server: coturn (Debian's `turnserver`),
 * started by each test on 127.0.0.1 with a free port and the configuration
 * in tests/check/ice/turnserver.conf, and stopped at its end. Both sides
 * use the relay-only policy, so the selected pair can only be relay to
 * relay.
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "icetestutil.h"

#define TURN_USER "rtc"
#define TURN_PASSWORD "rtc-secret"

typedef struct {
  GPid pid;
  guint16 port;
  gchar *dir;
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

/* In the server: a test that crashes must not leave it running. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
turn_start (TurnServer *ts)
{
  const gchar *dir = g_getenv ("RTC_ICE_TEST_DIR");
  gchar *conf, *port_arg, *pid_arg;
  GError *error = NULL;
  gint64 deadline;

  fail_unless (dir != NULL, "RTC_ICE_TEST_DIR is not set");
  ts->dir = g_dir_make_tmp ("rtc-turn-XXXXXX", &error);
  fail_unless (ts->dir != NULL, "%s", error ? error->message : "");
  ts->port = free_port ();
  conf = g_build_filename (dir, "turnserver.conf", NULL);
  port_arg = g_strdup_printf ("--listening-port=%u", ts->port);
  pid_arg = g_strdup_printf ("--pidfile=%s/turnserver.pid", ts->dir);
  {
    gchar *argv[] = { "turnserver", "-c", conf, port_arg, pid_arg,
      "--user=" TURN_USER ":" TURN_PASSWORD, NULL };

    fail_unless (g_spawn_async (NULL, argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD
                         | G_SPAWN_STDOUT_TO_DEV_NULL
                         | G_SPAWN_STDERR_TO_DEV_NULL,
                     die_with_parent, NULL, &ts->pid, &error),
        "cannot start turnserver (Debian package coturn): %s",
        error ? error->message : "");
  }
  g_free (conf);
  g_free (port_arg);
  g_free (pid_arg);

  deadline = g_get_monotonic_time () + RTC_TEST_MS (5000) * 1000;
  while (!turn_listening (ts->port)) {
    fail_unless (waitpid (ts->pid, NULL, WNOHANG) == 0,
        "turnserver exited at start");
    fail_unless (g_get_monotonic_time () < deadline,
        "turnserver not listening on 127.0.0.1:%u", ts->port);
    g_usleep (10000);
  }
}

static void
turn_stop (TurnServer *ts)
{
  gint64 deadline = g_get_monotonic_time () + RTC_TEST_MS (5000) * 1000;
  gchar *pidfile = g_build_filename (ts->dir, "turnserver.pid", NULL);

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
  g_unlink (pidfile);
  g_rmdir (ts->dir);
  g_free (pidfile);
  g_free (ts->dir);
}

static gchar *
turn_uri (TurnServer *ts, const gchar *password, const gchar *transport)
{
  return g_strdup_printf ("turn://" TURN_USER ":%s@127.0.0.1:%u?transport=%s",
      password, ts->port, transport);
}

static void
relay_peer_init (IcePeer *p, IcePeer *other, gboolean controlling,
    const gchar *uri)
{
  gboolean ok = FALSE;

  ice_peer_init (p, other, controlling, RTC_TYPE_ICE_TRANSPORT);
  g_object_set (p->t, "ice-transport-policy", RTC_ICE_TRANSPORT_POLICY_RELAY,
      NULL);
  g_signal_emit_by_name (p->t, "add-turn-server", uri, &ok);
  fail_unless (ok, "%s", uri);
}

static void
on_packet (gpointer owner, const guint8 *data, gsize len)
{
  IcePeer *p = g_object_get_data (owner, "ice-peer");

  g_mutex_lock (&p->lock);
  g_ptr_array_add (p->received, g_bytes_new (data, len));
  g_mutex_unlock (&p->lock);
}

static gboolean
received_all (IcePeer *p)
{
  return ice_peer_received (p) >= 20;
}

static void
check_relayed (const gchar *transport)
{
  TurnServer ts;
  IcePeer a, b;
  IcePeer *peers[] = { &a, &b };
  gchar *uri;
  guint i, j;

  turn_start (&ts);
  uri = turn_uri (&ts, TURN_PASSWORD, transport);
  relay_peer_init (&a, &b, TRUE, uri);
  relay_peer_init (&b, &a, FALSE, uri);
  g_free (uri);

  ice_connect (&a, &b);
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
    rtc_ice_transport_set_receiver (p->t, on_packet, G_OBJECT (p->t));
  }

  /* Packets both ways through the relay, intact. */
  for (i = 0; i < 20; i++) {
    guint8 buf[1200];

    memset (buf, i, sizeof (buf));
    buf[0] = 0x80;
    fail_unless (rtc_ice_transport_send (a.t, buf, sizeof (buf)));
    fail_unless (rtc_ice_transport_send (b.t, buf, sizeof (buf)));
    g_usleep (1000);
  }
  fail_unless (ice_wait (&a, received_all, 5000));
  fail_unless (ice_wait (&b, received_all, 5000));
  for (i = 0; i < 20; i++) {
    gsize len;
    const guint8 *data = g_bytes_get_data (b.received->pdata[i], &len);

    fail_unless_equals_int (len, 1200);
    fail_unless_equals_int (data[1], data[len - 1]);
  }

  ice_peer_clear (&a);
  ice_peer_clear (&b);
  turn_stop (&ts);
}

GST_START_TEST (test_relay_udp)
{
  check_relayed ("udp");
}

GST_END_TEST;

GST_START_TEST (test_relay_tcp)
{
  check_relayed ("tcp");
}

GST_END_TEST;

typedef struct {
  GMutex lock;
  gchar *url;
  guint code;
  gchar *text;
} CandidateError;

static void
on_candidate_error (RtcIceTransport *t, const gchar *url, guint code,
    const gchar *text, CandidateError *e)
{
  g_mutex_lock (&e->lock);
  g_free (e->url);
  g_free (e->text);
  e->url = g_strdup (url);
  e->code = code;
  e->text = g_strdup (text);
  g_mutex_unlock (&e->lock);
}

/* A wrong TURN password: no relay candidate, a clear candidate error that
 * names the server without its credentials, no connection. */
GST_START_TEST (test_wrong_password)
{
  TurnServer ts;
  IcePeer a, b;
  CandidateError e = { 0 };
  gchar *uri, *expected_url;

  turn_start (&ts);
  uri = turn_uri (&ts, "not-the-password", "udp");
  relay_peer_init (&a, &b, TRUE, uri);
  g_free (uri);
  ice_peer_init (&b, &a, FALSE, RTC_TYPE_ICE_TRANSPORT);
  g_mutex_init (&e.lock);
  g_signal_connect (a.t, "on-ice-candidate-error",
      G_CALLBACK (on_candidate_error), &e);

  ice_peer_give_credentials (&a, &b);
  ice_peer_give_credentials (&b, &a);
  fail_unless (ice_gather (&a));
  fail_unless (ice_gather (&b));
  fail_unless (ice_wait (&a, ice_gathering_complete, 10000));
  fail_unless_equals_int (a.signalled->len, 0);

  expected_url = g_strdup_printf ("turn:127.0.0.1:%u?transport=udp", ts.port);
  g_mutex_lock (&e.lock);
  fail_unless_equals_string (e.url, expected_url);
  fail_unless_equals_int (e.code, 701);
  fail_unless (e.text && strstr (e.text, "credentials"), "%s", e.text);
  g_mutex_unlock (&e.lock);
  g_free (expected_url);
  fail_if (ice_wait (&a, ice_is_connected, 1000));

  g_signal_handlers_disconnect_by_data (a.t, &e);
  ice_peer_clear (&a);
  ice_peer_clear (&b);
  turn_stop (&ts);
  g_free (e.url);
  g_free (e.text);
  g_mutex_clear (&e.lock);
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
  tcase_add_test (tc, test_wrong_password);
  return s;
}

RTC_ICE_CORE_CHECK_MAIN (ice_turn_suite, "ice_turn");
