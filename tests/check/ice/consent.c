/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Liveness of a connected transport (RFC 7675 consent, W3C states): the
 * peer is silenced with nftables rules on loopback, in the private network
 * namespace the suite runs in (scripts/netns-run.sh), and let through
 * again. Times asserted are those of the transport's design: 2 s of silence
 * after steady traffic is `disconnected`; libnice 0.1.21 fails the
 * component 10 s after the last consent answer.
 */
#include "icetestutil.h"

#include <glib/gstdio.h>
#include <net/if.h>
#include <stdio.h>
#include <unistd.h>

#define PACKET_INTERVAL_MS 20
/* SILENCE_US of the transport and its 100 ms tick. */
#define SILENCE_MS 2000
#define TICK_MS 100
/* libnice 0.1.21's consent expiry. */
#define CONSENT_EXPIRY_MS 10000

/* The firewall rules below must never reach the host's: only a private
 * namespace with nothing but loopback is accepted. */
static void
assert_private_netns (void)
{
  struct if_nameindex *ifs = if_nameindex (), *i;

  fail_unless (ifs != NULL);
  for (i = ifs; i->if_index; i++)
    fail_unless (g_str_equal (i->if_name, "lo"),
        "interface %s: run inside scripts/netns-run.sh", i->if_name);
  if_freenameindex (ifs);
}

static void
nft (const gchar *rules)
{
  gchar *path = NULL, *out = NULL, *err = NULL;
  const gchar *argv[] = { "nft", "-f", NULL, NULL };
  gint fd, status = -1;
  GError *error = NULL;

  fd = g_file_open_tmp ("rtc-consent-XXXXXX.nft", &path, &error);
  fail_unless (fd >= 0, "%s", error ? error->message : "");
  close (fd);
  fail_unless (g_file_set_contents (path, rules, -1, NULL));
  argv[2] = path;
  fail_unless (g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH,
                   NULL, NULL, &out, &err, &status, &error),
      "nft: %s", error ? error->message : "");
  fail_unless (g_spawn_check_wait_status (status, NULL), "nft failed: %s\n%s",
      err, rules);
  g_unlink (path);
  g_free (path);
  g_free (out);
  g_free (err);
}

static guint
selected_port (IcePeer *p, gboolean local)
{
  RtcIceCandidate *l = NULL, *r = NULL;
  guint port;

  fail_unless (rtc_ice_transport_get_selected_pair (p->t, &l, &r));
  fail_unless (l->protocol == RTC_ICE_PROTOCOL_UDP);
  port = local ? l->port : r->port;
  rtc_ice_candidate_free (l);
  rtc_ice_candidate_free (r);
  return port;
}

/* Counts B's STUN Binding success responses (type 0x0101, the first two
 * bytes after the 8-byte UDP header) to A: answers to A's consent
 * checks. */
static void
count_answers (guint a_port, guint b_port)
{
  gchar *rules = g_strdup_printf ("table inet rtccount {\n"
                                  "  counter answers { }\n"
                                  "  chain input {\n"
                                  "    type filter hook input priority -10;\n"
                                  "    udp sport %u udp dport %u "
                                  "@th,64,16 0x0101 counter name answers\n"
                                  "  }\n"
                                  "}\n",
      b_port, a_port);

  nft (rules);
  g_free (rules);
}

static guint64
answers (void)
{
  gchar *out = NULL;
  const gchar *argv[] = { "nft", "list", "counter", "inet", "rtccount",
    "answers", NULL };
  const gchar *at;
  guint64 n = 0;

  fail_unless (g_spawn_sync (NULL, (gchar **)argv, NULL,
      G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
      NULL, NULL));
  at = out ? strstr (out, "packets ") : NULL;
  fail_unless (at && sscanf (at, "packets %" G_GUINT64_FORMAT, &n) == 1);
  g_free (out);
  return n;
}

/* Drops what B sends A; with @both_ways also what A sends B: the peer is
 * gone. One way, B's own consent checks are still answered, so B keeps
 * sending throughout. */
static void
silence (guint a_port, guint b_port, gboolean both_ways)
{
  gchar *reverse = both_ways
      ? g_strdup_printf ("    udp sport %u udp dport %u drop\n", a_port, b_port)
      : g_strdup ("");
  gchar *rules = g_strdup_printf ("table inet rtcdrop {\n"
                                  "  chain input {\n"
                                  "    type filter hook input priority 0;\n"
                                  "    udp sport %u udp dport %u drop\n"
                                  "%s"
                                  "  }\n"
                                  "}\n",
      b_port, a_port, reverse);

  nft (rules);
  g_free (rules);
  g_free (reverse);
}

static void
unsilence (void)
{
  nft ("delete table inet rtcdrop\n");
}

static void
uncount_answers (void)
{
  nft ("delete table inet rtccount\n");
}

typedef struct {
  GMutex lock;
  gint64 at[RTC_ICE_TRANSPORT_STATE_CLOSED + 1];
  GArray *seq;
} StateLog;

static void
on_state (GObject *t, GParamSpec *pspec, StateLog *log)
{
  RtcIceTransportState s;

  g_object_get (t, "state", &s, NULL);
  g_mutex_lock (&log->lock);
  g_array_append_val (log->seq, s);
  if (!log->at[s])
    log->at[s] = g_get_monotonic_time ();
  g_mutex_unlock (&log->lock);
}

static void
state_log_init (StateLog *log, IcePeer *p)
{
  memset (log, 0, sizeof (*log));
  g_mutex_init (&log->lock);
  log->seq = g_array_new (FALSE, FALSE, sizeof (RtcIceTransportState));
  g_signal_connect (p->t, "notify::state", G_CALLBACK (on_state), log);
}

static void
state_log_clear (StateLog *log, IcePeer *p)
{
  g_signal_handlers_disconnect_by_data (p->t, log);
  g_array_unref (log->seq);
}

static gint64
state_log_at (StateLog *log, RtcIceTransportState s)
{
  gint64 at;

  g_mutex_lock (&log->lock);
  at = log->at[s];
  g_mutex_unlock (&log->lock);
  return at;
}

/* The state's notification, not only the state: the notification follows
 * the state change on the ICE thread. */
static gboolean
state_log_seen (gpointer log, guint s)
{
  return state_log_at (log, s) != 0;
}

static gboolean
state_log_wait (StateLog *log, RtcIceTransportState s, guint64 ms)
{
  return ice_poll (state_log_seen, log, s, ms);
}

static RtcIceTransportState
state_log_nth (StateLog *log, guint n)
{
  RtcIceTransportState s;

  g_mutex_lock (&log->lock);
  fail_unless (n < log->seq->len);
  s = g_array_index (log->seq, RtcIceTransportState, n);
  g_mutex_unlock (&log->lock);
  return s;
}

static gboolean
is_disconnected (IcePeer *p)
{
  return ice_state (p) == RTC_ICE_TRANSPORT_STATE_DISCONNECTED;
}

static gboolean
is_completed (IcePeer *p)
{
  return ice_state (p) == RTC_ICE_TRANSPORT_STATE_COMPLETED;
}

static gboolean
received_one_more (IcePeer *p)
{
  guint64 *before = g_object_get_data (G_OBJECT (p->t), "received-before");

  return ice_stat (p, "packets-received") > *before;
}

static void
connect_udp (IcePeer *a, IcePeer *b)
{
  assert_private_netns ();
  ice_peer_init (a, b, TRUE, RTC_TYPE_ICE_TRANSPORT);
  ice_peer_init (b, a, FALSE, RTC_TYPE_ICE_TRANSPORT);
  /* One UDP pair: the rules match its ports. */
  g_object_set (a->t, "ice-tcp", FALSE, NULL);
  g_object_set (b->t, "ice-tcp", FALSE, NULL);
  ice_connect (a, b);
  /* Settled, so that the state logs start from it. */
  fail_unless (ice_wait (a, is_completed, 5000));
  fail_unless (ice_wait (b, is_completed, 5000));
}

/* A peer that stops answering: `disconnected` after the silence bound,
 * then `failed` when libnice's consent expires, and nothing can be sent
 * any more until a restart. */
GST_START_TEST (test_peer_gone_disconnected_then_failed)
{
  IcePeer a, b;
  IceFlow to_a;
  StateLog log;
  gint64 t0, disc_ms, fail_ms;
  guint8 buf[32] = { 0x80 };
  guint64 received;

  connect_udp (&a, &b);
  state_log_init (&log, &a);
  ice_flow_start (&to_a, &b, &a, PACKET_INTERVAL_MS);
  /* Over a second of packets: the transport has seen a steady flow. */
  fail_unless (ice_flow_wait (&to_a, 1500 / PACKET_INTERVAL_MS, 5000));

  silence (selected_port (&a, TRUE), selected_port (&a, FALSE), TRUE);
  t0 = g_get_monotonic_time ();
  fail_unless (state_log_wait (&log, RTC_ICE_TRANSPORT_STATE_DISCONNECTED,
                   SILENCE_MS + 1000),
      "not disconnected");
  disc_ms = (state_log_at (&log, RTC_ICE_TRANSPORT_STATE_DISCONNECTED) - t0)
      / 1000;
  fail_unless (state_log_wait (&log, RTC_ICE_TRANSPORT_STATE_FAILED,
                   CONSENT_EXPIRY_MS + 1000),
      "not failed");
  fail_ms = (state_log_at (&log, RTC_ICE_TRANSPORT_STATE_FAILED) - t0) / 1000;
  printf ("peer gone: disconnected after %" G_GINT64_FORMAT
          " ms, failed after %" G_GINT64_FORMAT " ms\n",
      disc_ms, fail_ms);
  /* Not much before the silence bound: the last packets may have been
   * handled a little before the rules went in (tens of ms under valgrind). */
  fail_unless (disc_ms >= SILENCE_MS - 250, "%" G_GINT64_FORMAT, disc_ms);
  fail_unless (disc_ms <= (gint64)RTC_TEST_MS (SILENCE_MS + 2 * TICK_MS + 200),
      "%" G_GINT64_FORMAT, disc_ms);
  /* The last consent answer came at most one check interval (6 s) before
   * the silence. */
  fail_unless (fail_ms >= CONSENT_EXPIRY_MS - 6000 - 500, "%" G_GINT64_FORMAT,
      fail_ms);
  fail_unless (fail_ms <= (gint64)RTC_TEST_MS (CONSENT_EXPIRY_MS + 500),
      "%" G_GINT64_FORMAT, fail_ms);
  /* connected (or completed) -> disconnected -> failed, nothing else. */
  g_mutex_lock (&log.lock);
  fail_unless_equals_int (log.seq->len, 2);
  g_mutex_unlock (&log.lock);
  fail_unless_equals_int (state_log_nth (&log, 0),
      RTC_ICE_TRANSPORT_STATE_DISCONNECTED);
  fail_unless_equals_int (state_log_nth (&log, 1),
      RTC_ICE_TRANSPORT_STATE_FAILED);
  /* Consent lost: sending stops (RFC 7675 5.1). */
  fail_if (rtc_ice_transport_send (a.t, buf, sizeof (buf)));
  ice_flow_stop (&to_a);
  ice_flow_finish (&to_a);

  /* The peer is reachable again: an ICE restart is the way out of
   * `failed`, through `checking`. */
  unsilence ();
  received = ice_stat (&b, "packets-received");
  g_object_set_data (G_OBJECT (b.t), "received-before", &received);
  ice_restart (&a, &b);
  fail_unless (ice_wait (&a, ice_is_connected, 5000), "A: %d", ice_state (&a));
  fail_unless (ice_wait (&b, ice_is_connected, 5000), "B: %d", ice_state (&b));
  fail_unless_equals_int (state_log_nth (&log, 2),
      RTC_ICE_TRANSPORT_STATE_CHECKING);
  fail_unless (rtc_ice_transport_send (a.t, buf, sizeof (buf)));
  fail_unless (ice_wait (&b, received_one_more, 2000));
  fail_unless_equals_int (ice_stat (&b, "packets-received"), received + 1);
  state_log_clear (&log, &a);
  ice_peer_clear (&a);
  ice_peer_clear (&b);
}

GST_END_TEST;

/* The peer is silent for 3 s (what it sends A is dropped), then heard
 * again: `disconnected`, then `connected` again, never `failed`. The silence starts just after a
 * consent answer reached A, so that A's next check (4 to 6 s later) is
 * answered: libnice does not retransmit consent checks, and a lost one
 * could expire A's consent by chance. */
GST_START_TEST (test_peer_back_in_time)
{
  IcePeer a, b;
  IceFlow to_a;
  StateLog log;
  guint a_port, b_port;
  guint64 n;
  gint64 t0, deadline, back_ms;

  connect_udp (&a, &b);
  a_port = selected_port (&a, TRUE);
  b_port = selected_port (&a, FALSE);
  count_answers (a_port, b_port);
  state_log_init (&log, &a);
  ice_flow_start (&to_a, &b, &a, PACKET_INTERVAL_MS);
  /* Over a second of packets: the transport has seen a steady flow. */
  fail_unless (ice_flow_wait (&to_a, 1500 / PACKET_INTERVAL_MS, 5000));

  n = answers ();
  deadline = g_get_monotonic_time () + RTC_TEST_MS (8000) * 1000;
  while (answers () == n) {
    fail_unless (g_get_monotonic_time () < deadline, "no consent answer");
    g_usleep (5000);
  }
  silence (a_port, b_port, FALSE);
  t0 = g_get_monotonic_time ();
  fail_unless (ice_wait (&a, is_disconnected, SILENCE_MS + 1000));
  while (g_get_monotonic_time () < t0 + 3000 * 1000)
    g_usleep (10000);
  unsilence ();
  /* B's data: B never stopped sending (its own consent checks were
   * answered throughout). */
  fail_unless (ice_wait (&a, ice_is_connected, 1000), "still %d",
      ice_state (&a));
  back_ms = (g_get_monotonic_time () - t0) / 1000 - 3000;
  printf ("peer back: connected again %" G_GINT64_FORMAT
          " ms after the silence ended\n",
      back_ms);
  /* Past the consent expiry that a lost answer would have caused. */
  g_usleep (RTC_TEST_MS (CONSENT_EXPIRY_MS - 3000) * 1000);
  fail_unless (ice_is_connected (&a), "state %d", ice_state (&a));
  fail_if (state_log_at (&log, RTC_ICE_TRANSPORT_STATE_FAILED));
  fail_unless (state_log_nth (&log, 0) == RTC_ICE_TRANSPORT_STATE_DISCONNECTED);

  ice_flow_stop (&to_a);
  ice_flow_finish (&to_a);
  uncount_answers ();
  state_log_clear (&log, &a);
  ice_peer_clear (&a);
  ice_peer_clear (&b);
}

GST_END_TEST;

/* No data at all, only consent traffic, for longer than the consent
 * expiry: the transport stays connected (no flapping to disconnected) and
 * does not fail. */
GST_START_TEST (test_idle_stays_connected)
{
  IcePeer a, b;
  StateLog log_a, log_b;

  connect_udp (&a, &b);
  state_log_init (&log_a, &a);
  state_log_init (&log_b, &b);
  g_usleep ((CONSENT_EXPIRY_MS + 3000) * G_TIME_SPAN_MILLISECOND);
  fail_unless (ice_is_connected (&a));
  fail_unless (ice_is_connected (&b));
  fail_if (state_log_at (&log_a, RTC_ICE_TRANSPORT_STATE_DISCONNECTED));
  fail_if (state_log_at (&log_b, RTC_ICE_TRANSPORT_STATE_DISCONNECTED));
  fail_if (state_log_at (&log_a, RTC_ICE_TRANSPORT_STATE_FAILED));
  fail_if (state_log_at (&log_b, RTC_ICE_TRANSPORT_STATE_FAILED));
  state_log_clear (&log_a, &a);
  state_log_clear (&log_b, &b);
  ice_peer_clear (&a);
  ice_peer_clear (&b);
}

GST_END_TEST;

static Suite *
ice_consent_suite (void)
{
  Suite *s = suite_create ("ice-consent");
  TCase *tc = tcase_create ("general");

  /* Each test waits for real consent timers, over 10 s. */
  tcase_set_timeout (tc, 30 * rtc_test_timeout_scale ());
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_peer_gone_disconnected_then_failed);
  tcase_add_test (tc, test_peer_back_in_time);
  tcase_add_test (tc, test_idle_stays_connected);
  return s;
}

RTC_ICE_CORE_CHECK_MAIN (ice_consent_suite, "ice_consent");
