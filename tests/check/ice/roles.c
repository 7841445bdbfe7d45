/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Two RtcIceTransports over loopback host candidates in cases the plain
 * transport test does not set up:
 * - a role conflict, both sides controlling or both controlled: the
 *   tie-breakers settle it (RFC 8445 7.3.1.1) and packets flow;
 * - ICE-TCP (RFC 6544): the signalling path passes TCP candidates only, so
 *   the transports must connect over a TCP pair and carry packets, each
 *   kept whole by the RFC 4571 framing, both ways.
 */
#include "icetestutil.h"

#include <nice/debug.h>

#define N_PACKETS 50

/* Lengths vary, so that a stream transport that merged or split packets
 * would be caught. */
static gsize
packet_len (guint seq)
{
  return 20 + (seq * 97) % (ICE_PACKET_MAX - 20);
}

static gboolean
is_controlling (IcePeer *p)
{
  gboolean controlling;

  g_object_get (p->t, "controlling", &controlling, NULL);
  return controlling;
}

/* ---- role conflict ---- */

/* libnice 0.1.21 reports the role it was configured with, not the one a
 * conflict switched it to, and says nothing else of a switch than a debug
 * message: the test reads those ("Agent 0x… : Role conflict, changing
 * agent role to "controlled"."). */
#define SWITCH_MSG "Role conflict, changing agent role to "

typedef struct {
  GMutex lock;
  GPtrArray *agents; /* "Agent 0x…" of each switch */
  GPtrArray *roles; /* the role switched to */
} RoleSwitches;

static void
on_nice_log (const gchar *domain, GLogLevelFlags level, const gchar *message,
    gpointer data)
{
  RoleSwitches *rs = data;
  const gchar *sw = strstr (message, SWITCH_MSG);
  const gchar *colon = strstr (message, " : ");

  if (!sw || !colon || !g_str_has_prefix (message, "Agent "))
    return;
  g_mutex_lock (&rs->lock);
  g_ptr_array_add (rs->agents, g_strndup (message, colon - message));
  g_ptr_array_add (rs->roles, g_strdup (sw + strlen (SWITCH_MSG)));
  g_mutex_unlock (&rs->lock);
}

static void
check_conflict_resolved (gboolean controlling)
{
  const gchar *expected = controlling ? "\"controlled\"." : "\"controlling\".";
  RoleSwitches rs;
  IcePeer a, b;
  guint handler, i;

  g_mutex_init (&rs.lock);
  rs.agents = g_ptr_array_new_with_free_func (g_free);
  rs.roles = g_ptr_array_new_with_free_func (g_free);
  ice_peer_init (&a, &b, controlling, RTC_TYPE_ICE_TRANSPORT);
  ice_peer_init (&b, &a, controlling, RTC_TYPE_ICE_TRANSPORT);
  fail_unless (is_controlling (&a) == controlling);
  fail_unless (is_controlling (&b) == controlling);
  handler = g_log_set_handler ("libnice", G_LOG_LEVEL_DEBUG, on_nice_log, &rs);
  nice_debug_enable (FALSE);

  ice_connect (&a, &b);
  ice_packets_exchange (&a, &b, N_PACKETS, packet_len);

  nice_debug_disable (FALSE);
  /* One agent, and only one, took the other role (RFC 8445 7.3.1.1). */
  g_mutex_lock (&rs.lock);
  fail_unless (rs.agents->len > 0, "no role switch");
  for (i = 0; i < rs.agents->len; i++) {
    fail_unless_equals_string (rs.agents->pdata[i], rs.agents->pdata[0]);
    fail_unless_equals_string (rs.roles->pdata[i], expected);
  }
  g_mutex_unlock (&rs.lock);

  ice_peer_clear (&a);
  ice_peer_clear (&b);
  g_log_remove_handler ("libnice", handler);
  g_ptr_array_unref (rs.agents);
  g_ptr_array_unref (rs.roles);
  g_mutex_clear (&rs.lock);
}

GST_START_TEST (test_both_controlling)
{
  check_conflict_resolved (TRUE);
}

GST_END_TEST;

GST_START_TEST (test_both_controlled)
{
  check_conflict_resolved (FALSE);
}

GST_END_TEST;

/* ---- ICE-TCP ---- */

static gboolean
is_tcp_line (const gchar *line)
{
  gchar **f = g_strsplit (line, " ", 4);
  gboolean tcp = g_strv_length (f) >= 3
      && g_ascii_strcasecmp (f[2], "tcp") == 0;

  g_strfreev (f);
  return tcp;
}

/* Hands @from's held TCP candidates (and end-of-candidates) to the other
 * side and drops the UDP ones; returns how many of each tcptype there
 * were. */
static void
forward_tcp_only (IcePeer *from, guint *active, guint *passive, guint *udp)
{
  guint i;

  *active = *passive = *udp = 0;
  g_mutex_lock (&from->lock);
  for (i = 0; i < from->held->len; i++) {
    const gchar *line = g_ptr_array_index (from->held, i);
    gboolean ok = FALSE;

    if (!is_tcp_line (line)) {
      (*udp)++;
      continue;
    }
    if (strstr (line, " typ host tcptype active"))
      (*active)++;
    else if (strstr (line, " typ host tcptype passive"))
      (*passive)++;
    g_signal_emit_by_name (from->other->t, "add-remote-candidate", line, &ok);
    fail_unless (ok, "%s refused", line);
  }
  fail_unless (from->end_of_candidates);
  g_mutex_unlock (&from->lock);
  g_signal_emit_by_name (from->other->t, "end-of-remote-candidates");
}

static void
check_selected_tcp (IcePeer *p)
{
  RtcIceCandidate *local = NULL, *remote = NULL;

  fail_unless (rtc_ice_transport_get_selected_pair (p->t, &local, &remote));
  fail_unless_equals_int (local->protocol, RTC_ICE_PROTOCOL_TCP);
  fail_unless_equals_int (remote->protocol, RTC_ICE_PROTOCOL_TCP);
  /* One end connects, the other accepts (RFC 6544 6.2). */
  fail_unless (local->tcp_type != remote->tcp_type);
  fail_unless_equals_string (local->address, "127.0.0.1");
  fail_unless_equals_string (remote->address, "127.0.0.1");
  rtc_ice_candidate_free (local);
  rtc_ice_candidate_free (remote);
}

GST_START_TEST (test_tcp_only)
{
  IcePeer a, b;
  guint active, passive, udp;
  gboolean ice_tcp = FALSE;

  ice_peer_init (&a, &b, TRUE, RTC_TYPE_ICE_TRANSPORT);
  ice_peer_init (&b, &a, FALSE, RTC_TYPE_ICE_TRANSPORT);
  g_object_get (a.t, "ice-tcp", &ice_tcp, NULL);
  fail_unless (ice_tcp, "ICE-TCP is on by default");
  a.hold = b.hold = TRUE;

  ice_peer_give_credentials (&a, &b);
  ice_peer_give_credentials (&b, &a);
  fail_unless (ice_gather (&a));
  fail_unless (ice_gather (&b));
  fail_unless (ice_wait (&a, ice_gathering_complete, 5000));
  fail_unless (ice_wait (&b, ice_gathering_complete, 5000));

  /* Each side gathered a UDP, an active and a passive TCP host
   * candidate; only the TCP ones reach the peer. */
  forward_tcp_only (&a, &active, &passive, &udp);
  fail_unless (active == 1 && passive == 1 && udp == 1,
      "A: %u active, %u passive, %u UDP", active, passive, udp);
  forward_tcp_only (&b, &active, &passive, &udp);
  fail_unless (active == 1 && passive == 1 && udp == 1,
      "B: %u active, %u passive, %u UDP", active, passive, udp);

  fail_unless (ice_wait (&a, ice_is_connected, 5000), "A not connected");
  fail_unless (ice_wait (&b, ice_is_connected, 5000), "B not connected");
  check_selected_tcp (&a);
  check_selected_tcp (&b);
  ice_packets_exchange (&a, &b, N_PACKETS, packet_len);

  ice_peer_clear (&a);
  ice_peer_clear (&b);
}

GST_END_TEST;

static Suite *
ice_roles_suite (void)
{
  Suite *s = suite_create ("ice-roles");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_both_controlling);
  tcase_add_test (tc, test_both_controlled);
  tcase_add_test (tc, test_tcp_only);
  return s;
}

RTC_ICE_CORE_CHECK_MAIN (ice_roles_suite, "ice-roles");
