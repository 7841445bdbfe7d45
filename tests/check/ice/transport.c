/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Two RtcIceTransports in one process over loopback host candidates:
 * trickle in both orders, packets both ways, states, selected pair,
 * closing, the relay-only policy without a TURN server.
 */
#include "icetestutil.h"

#define N_PACKETS 100
#define PACKET_SIZE ICE_PACKET_MAX

static void
check_selected_pair (IcePeer *p)
{
  RtcIceCandidate *local = NULL, *remote = NULL;
  gchar *line = NULL;

  fail_unless (rtc_ice_transport_get_selected_pair (p->t, &local, &remote));
  fail_unless_equals_string (local->address, "127.0.0.1");
  fail_unless_equals_string (remote->address, "127.0.0.1");
  fail_unless (local->type == RTC_ICE_CANDIDATE_TYPE_HOST
      || local->type == RTC_ICE_CANDIDATE_TYPE_PRFLX);
  g_object_get (p->t, "selected-local-candidate", &line, NULL);
  fail_unless (line && g_str_has_prefix (line, "candidate:"));
  g_free (line);
  rtc_ice_candidate_free (local);
  rtc_ice_candidate_free (remote);
}

static void
exchange_packets (IcePeer *a, IcePeer *b)
{
  ice_packets_exchange (a, b, N_PACKETS, ice_packet_len_max);
  fail_unless_equals_int (ice_stat (a, "packets-sent"), N_PACKETS);
  fail_unless_equals_int (ice_stat (a, "bytes-sent"), N_PACKETS * PACKET_SIZE);
  fail_unless_equals_int (ice_stat (b, "packets-received"), N_PACKETS);
  fail_unless_equals_int (ice_stat (b, "packets-sent"), N_PACKETS);
  fail_unless_equals_int (ice_stat (a, "packets-received"), N_PACKETS);
  fail_unless_equals_int (ice_stat (a, "send-dropped"), 0);
}

static void
on_state_notify (GObject *t, GParamSpec *pspec, GPtrArray *states)
{
  RtcIceTransportState s;

  g_object_get (t, "state", &s, NULL);
  /* Written on the ICE thread, read by the test once it is quiet. */
  g_ptr_array_add (states, GINT_TO_POINTER (s));
}

static void
count_warning (const gchar *domain, GLogLevelFlags level, const gchar *message,
    gpointer count)
{
  GST_ERROR ("%s: %s", domain, message);
  g_atomic_int_inc ((gint *)count);
}

GST_START_TEST (test_connect_and_exchange)
{
  IcePeer a, b;
  gint libnice_warnings = 0;
  guint handler;
  GPtrArray *states = g_ptr_array_new ();
  RtcIceGatheringState gs;
  guint i;

  ice_peer_init (&a, &b, TRUE, RTC_TYPE_ICE_TRANSPORT);
  ice_peer_init (&b, &a, FALSE, RTC_TYPE_ICE_TRANSPORT);
  g_object_get (a.t, "gathering-state", &gs, NULL);
  fail_unless_equals_int (gs, RTC_ICE_GATHERING_STATE_NEW);
  fail_unless_equals_int (rtc_ice_transport_get_state (a.t),
      RTC_ICE_TRANSPORT_STATE_NEW);
  g_signal_connect (a.t, "notify::state", G_CALLBACK (on_state_notify), states);

  ice_connect (&a, &b);
  fail_unless (ice_wait (&a, ice_gathering_complete, 5000));
  fail_unless (ice_wait (&b, ice_gathering_complete, 5000));
  fail_unless (a.end_of_candidates && b.end_of_candidates);
  /* Only loopback was allowed: every signalled candidate is on it. */
  fail_unless (a.signalled->len > 0);
  for (i = 0; i < a.signalled->len; i++)
    fail_unless (strstr (a.signalled->pdata[i], " 127.0.0.1 "), "%s",
        (gchar *)a.signalled->pdata[i]);

  check_selected_pair (&a);
  check_selected_pair (&b);
  exchange_packets (&a, &b);

  rtc_ice_transport_close (a.t);
  fail_unless_equals_int (rtc_ice_transport_get_state (a.t),
      RTC_ICE_TRANSPORT_STATE_CLOSED);
  {
    guint8 buf[16] = { 0x80 };

    fail_unless (!rtc_ice_transport_send (a.t, buf, sizeof (buf)));
    fail_unless_equals_int (ice_stat (&a, "send-dropped"), 1);
  }
  g_signal_handlers_disconnect_by_data (a.t, states);
  /* new -> checking -> connected (-> completed) -> closed */
  fail_unless (states->len >= 3);
  fail_unless_equals_int (GPOINTER_TO_INT (states->pdata[0]),
      RTC_ICE_TRANSPORT_STATE_CHECKING);
  fail_unless_equals_int (GPOINTER_TO_INT (states->pdata[1]),
      RTC_ICE_TRANSPORT_STATE_CONNECTED);
  fail_unless_equals_int (GPOINTER_TO_INT (states->pdata[states->len - 1]),
      RTC_ICE_TRANSPORT_STATE_CLOSED);
  g_ptr_array_unref (states);

  /* The last reference goes after the close has finished (the agent's
   * stream removed): disposing must not touch the removed stream, which
   * libnice would warn about. */
  g_usleep (RTC_TEST_MS (300) * 1000);
  handler = g_log_set_handler ("libnice", G_LOG_LEVEL_WARNING, count_warning,
      &libnice_warnings);
  ice_peer_clear (&a);
  g_usleep (RTC_TEST_MS (100) * 1000);
  g_log_remove_handler ("libnice", handler);
  fail_unless_equals_int (g_atomic_int_get (&libnice_warnings), 0);
  ice_peer_clear (&b);
}

GST_END_TEST;

/* Candidates reach each side before its remote credentials: they are
 * queued and used once the credentials come. */
GST_START_TEST (test_candidates_before_credentials)
{
  IcePeer a, b;
  GError *error = NULL;

  ice_peer_init (&a, &b, TRUE, RTC_TYPE_ICE_TRANSPORT);
  ice_peer_init (&b, &a, FALSE, RTC_TYPE_ICE_TRANSPORT);
  fail_unless (rtc_ice_transport_gather (a.t, &error));
  fail_unless (rtc_ice_transport_gather (b.t, &error));
  fail_unless (ice_wait (&a, ice_gathering_complete, 5000));
  fail_unless (ice_wait (&b, ice_gathering_complete, 5000));
  /* Let queued work run: still nothing to check against. */
  g_usleep (RTC_TEST_MS (100) * 1000);
  fail_unless_equals_int (rtc_ice_transport_get_state (a.t),
      RTC_ICE_TRANSPORT_STATE_NEW);
  ice_peer_give_credentials (&a, &b);
  ice_peer_give_credentials (&b, &a);
  fail_unless (ice_wait (&a, ice_is_connected, 5000));
  fail_unless (ice_wait (&b, ice_is_connected, 5000));
  fail_unless_equals_int (a.add_errors + b.add_errors, 0);
  exchange_packets (&a, &b);
  ice_peer_clear (&a);
  ice_peer_clear (&b);
}

GST_END_TEST;

/* Candidates held back until both sides finished gathering, then given
 * all at once after the credentials (non-trickle order). */
GST_START_TEST (test_candidates_after_gathering)
{
  IcePeer a, b;
  GError *error = NULL;

  ice_peer_init (&a, &b, TRUE, RTC_TYPE_ICE_TRANSPORT);
  ice_peer_init (&b, &a, FALSE, RTC_TYPE_ICE_TRANSPORT);
  a.hold = b.hold = TRUE;
  fail_unless (rtc_ice_transport_gather (a.t, &error));
  fail_unless (rtc_ice_transport_gather (b.t, &error));
  fail_unless (ice_wait (&a, ice_gathering_complete, 5000));
  fail_unless (ice_wait (&b, ice_gathering_complete, 5000));
  ice_peer_give_credentials (&a, &b);
  ice_peer_give_credentials (&b, &a);
  ice_peer_release (&a);
  ice_peer_release (&b);
  fail_unless (ice_wait (&a, ice_is_connected, 5000));
  fail_unless (ice_wait (&b, ice_is_connected, 5000));
  exchange_packets (&a, &b);
  ice_peer_clear (&a);
  ice_peer_clear (&b);
}

GST_END_TEST;

GST_START_TEST (test_send_before_connected)
{
  IcePeer a, b;
  guint8 buf[100] = { 0x80 };

  ice_peer_init (&a, &b, TRUE, RTC_TYPE_ICE_TRANSPORT);
  ice_peer_init (&b, &a, FALSE, RTC_TYPE_ICE_TRANSPORT);
  fail_unless (!rtc_ice_transport_send (a.t, buf, sizeof (buf)));
  fail_unless_equals_int (ice_stat (&a, "send-dropped"), 1);
  fail_unless (!rtc_ice_transport_get_selected_pair (a.t, NULL, NULL));
  ice_peer_clear (&a);
  ice_peer_clear (&b);
}

GST_END_TEST;

static gboolean
is_closed (IcePeer *p)
{
  return rtc_ice_transport_get_state (p->t) == RTC_ICE_TRANSPORT_STATE_CLOSED;
}

/* relay policy and no TURN server: no candidate is ever signalled (host
 * addresses must not leak) and the transport never connects, even with the
 * peer's host candidates and credentials. */
GST_START_TEST (test_relay_policy_without_turn)
{
  IcePeer a, b;

  ice_peer_init (&a, &b, TRUE, RTC_TYPE_ICE_TRANSPORT);
  ice_peer_init (&b, &a, FALSE, RTC_TYPE_ICE_TRANSPORT);
  g_object_set (a.t, "ice-transport-policy", RTC_ICE_TRANSPORT_POLICY_RELAY,
      NULL);
  ice_peer_receive (&a);
  ice_peer_receive (&b);
  ice_peer_give_credentials (&a, &b);
  ice_peer_give_credentials (&b, &a);
  fail_unless (rtc_ice_transport_gather (a.t, NULL));
  fail_unless (rtc_ice_transport_gather (b.t, NULL));
  fail_unless (ice_wait (&a, ice_gathering_complete, 5000));
  fail_unless (ice_wait (&b, ice_gathering_complete, 5000));
  fail_unless (a.end_of_candidates);
  fail_unless_equals_int (a.signalled->len, 0);
  fail_unless (b.signalled->len > 0);
  /* Given time to connect were it allowed to, it does not. */
  fail_if (ice_wait (&a, ice_is_connected, 1500));
  fail_if (ice_is_connected (&b));
  fail_unless_equals_int (ice_peer_received (&a), 0);
  fail_unless_equals_int (ice_peer_received (&b), 0);
  rtc_ice_transport_close (a.t);
  fail_unless (is_closed (&a));
  ice_peer_clear (&a);
  ice_peer_clear (&b);
}

GST_END_TEST;

/* Hostile input through the transport's API: clear errors, no effect. */
GST_START_TEST (test_api_rejects_bad_input)
{
  RtcIceTransport *t = rtc_ice_transport_new ();
  const gchar *names[] = { "localhost", NULL };
  const gchar *empty[] = { "", NULL };
  GError *error = NULL;

  fail_if (rtc_ice_transport_add_remote_candidate (t, "garbage", &error));
  fail_unless (
      g_error_matches (error, RTC_ICE_ERROR, RTC_ICE_ERROR_INVALID_CANDIDATE));
  g_clear_error (&error);
  fail_if (rtc_ice_transport_add_remote_candidate (t,
      "candidate:1 2 UDP 2122260223 127.0.0.1 5000 typ host", &error));
  fail_unless (strstr (error->message, "component 2"), "%s", error->message);
  g_clear_error (&error);
  /* An mDNS name is accepted (and looked up until close); other host
   * names are refused. */
  fail_unless (rtc_ice_transport_add_remote_candidate (t,
      "candidate:1 1 UDP 2122260223 0a1b2c3d-aaaa-bbbb.local 5000 typ host",
      &error));
  fail_if (rtc_ice_transport_add_remote_candidate (t,
      "candidate:1 1 UDP 2122260223 peer.example.com 5000 typ host", &error));
  fail_unless (strstr (error->message, "mDNS"), "%s", error->message);
  g_clear_error (&error);

  fail_if (rtc_ice_transport_set_remote_credentials (t, "abc",
      "0123456789012345678901", &error));
  fail_unless (
      g_error_matches (error, RTC_ICE_ERROR, RTC_ICE_ERROR_INVALID_ARGUMENT));
  g_clear_error (&error);
  fail_if (
      rtc_ice_transport_set_remote_credentials (t, "abcd", "short", &error));
  g_clear_error (&error);
  fail_if (rtc_ice_transport_set_remote_credentials (t, "ab\ncd",
      "0123456789012345678901", &error));
  g_clear_error (&error);

  fail_if (
      rtc_ice_transport_set_stun_server (t, "turn://u:p@127.0.0.1", &error));
  fail_unless (
      g_error_matches (error, RTC_ICE_ERROR, RTC_ICE_ERROR_INVALID_URI));
  g_clear_error (&error);
  fail_if (rtc_ice_transport_set_stun_server (t, "stun://-stun.example.com",
      &error));
  fail_unless (strstr (error->message, "host name"), "%s", error->message);
  g_clear_error (&error);
  fail_if (rtc_ice_transport_add_turn_server (t, "stun://127.0.0.1", &error));
  g_clear_error (&error);
  fail_if (rtc_ice_transport_set_local_addresses (t, names, &error));
  fail_unless (
      g_error_matches (error, RTC_ICE_ERROR, RTC_ICE_ERROR_INVALID_ARGUMENT));
  g_clear_error (&error);
  fail_if (rtc_ice_transport_set_local_addresses (t, empty, &error));
  g_clear_error (&error);

  fail_unless (
      rtc_ice_transport_set_stun_server (t, "stun://127.0.0.1:3478", &error));
  fail_unless (rtc_ice_transport_add_turn_server (t,
      "turn://user:pass@127.0.0.1:3478?transport=udp", &error));
  fail_unless (rtc_ice_transport_add_turn_server (t,
      "turns://user:pass@turn.example.com:5349", &error));

  rtc_ice_transport_close (t);
  fail_if (rtc_ice_transport_gather (t, &error));
  fail_unless (g_error_matches (error, RTC_ICE_ERROR, RTC_ICE_ERROR_STATE));
  g_clear_error (&error);
  g_object_unref (t);
}

GST_END_TEST;

static const gchar *
stat_string (IcePeer *p, const gchar *name)
{
  GstStructure *s = rtc_ice_transport_get_stats (p->t);
  static gchar value[256];

  fail_unless (gst_structure_has_field_typed (s, name, G_TYPE_STRING), "%s",
      name);
  g_strlcpy (value, gst_structure_get_string (s, name), sizeof (value));
  gst_structure_free (s);
  return value;
}

/* Stats: the selected pair as signalled lines with types, the counters
 * growing with traffic; no round-trip time nor check counts, which libnice
 * does not give. */
GST_START_TEST (test_stats)
{
  IcePeer a, b;
  GstStructure *s;
  gchar *selected = NULL;
  guint restarts = 1;
  RtcIceTransportState st;
  guint8 buf[100] = { 0x80 };

  ice_peer_init (&a, &b, TRUE, RTC_TYPE_ICE_TRANSPORT);
  ice_peer_init (&b, &a, FALSE, RTC_TYPE_ICE_TRANSPORT);
  s = rtc_ice_transport_get_stats (a.t);
  fail_if (gst_structure_has_field (s, "selected-local-candidate"));
  gst_structure_free (s);

  ice_connect (&a, &b);
  exchange_packets (&a, &b);
  g_object_get (a.t, "selected-local-candidate", &selected, NULL);
  fail_unless_equals_string (stat_string (&a, "selected-local-candidate"),
      selected);
  g_free (selected);
  fail_unless (g_str_has_prefix (stat_string (&a, "selected-remote-candidate"),
      "candidate:"));
  fail_unless_equals_string (stat_string (&a, "local-candidate-type"), "host");
  s = rtc_ice_transport_get_stats (a.t);
  fail_unless (gst_structure_get_uint (s, "restarts", &restarts));
  fail_unless_equals_int (restarts, 0);
  fail_unless (gst_structure_get_enum (s, "state", RTC_TYPE_ICE_TRANSPORT_STATE,
      (gint *)&st));
  fail_unless (st == RTC_ICE_TRANSPORT_STATE_CONNECTED
      || st == RTC_ICE_TRANSPORT_STATE_COMPLETED);
  fail_if (gst_structure_has_field (s, "current-round-trip-time"));
  gst_structure_free (s);

  fail_unless (rtc_ice_transport_send (a.t, buf, sizeof (buf)));
  fail_unless_equals_int (ice_stat (&a, "packets-sent"), N_PACKETS + 1);
  fail_unless_equals_int (ice_stat (&a, "bytes-sent"),
      N_PACKETS * PACKET_SIZE + sizeof (buf));
  fail_unless (ice_wait_received (&b, N_PACKETS + 1, 5000));
  fail_unless_equals_int (ice_stat (&b, "packets-received"), N_PACKETS + 1);
  ice_peer_clear (&a);
  ice_peer_clear (&b);
}

GST_END_TEST;

/* The m-line a transport belongs to is readable from the candidate
 * handler, for trickle's sdpMid and sdpMLineIndex. */
GST_START_TEST (test_mid_and_mline_index)
{
  IcePeer a, b;
  gchar *mid = NULL;
  guint index = 0;

  ice_peer_init (&a, &b, TRUE, RTC_TYPE_ICE_TRANSPORT);
  ice_peer_init (&b, &a, FALSE, RTC_TYPE_ICE_TRANSPORT);
  g_object_get (a.t, "mid", &mid, "mline-index", &index, NULL);
  fail_unless (mid == NULL && index == 0);
  g_object_set (a.t, "mid", "video1", "mline-index", 2, NULL);
  ice_connect (&a, &b);
  fail_unless (ice_wait (&a, ice_gathering_complete, 5000));
  g_mutex_lock (&a.lock);
  fail_unless_equals_string (a.candidate_mid, "video1");
  fail_unless_equals_int (a.candidate_mline, 2);
  g_mutex_unlock (&a.lock);
  g_mutex_lock (&b.lock);
  fail_unless (b.candidate_mid == NULL);
  g_mutex_unlock (&b.lock);
  ice_peer_clear (&a);
  ice_peer_clear (&b);
}

GST_END_TEST;

/* A failing action signal returns FALSE (and logs), as the call would. */
GST_START_TEST (test_action_signal_failures)
{
  RtcIceTransport *t = rtc_ice_transport_new ();
  gboolean ok = TRUE;

  g_signal_emit_by_name (t, "add-remote-candidate", "garbage", &ok);
  fail_if (ok);
  ok = TRUE;
  g_signal_emit_by_name (t, "set-remote-credentials", "a", "b", &ok);
  fail_if (ok);
  ok = TRUE;
  g_signal_emit_by_name (t, "add-turn-server", "stun:127.0.0.1", &ok);
  fail_if (ok);
  g_signal_emit_by_name (t, "close");
  ok = TRUE;
  g_signal_emit_by_name (t, "gather", &ok);
  fail_if (ok);
  g_object_unref (t);
}

GST_END_TEST;

static Suite *
ice_transport_suite (void)
{
  Suite *s = suite_create ("ice-transport");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_connect_and_exchange);
  tcase_add_test (tc, test_candidates_before_credentials);
  tcase_add_test (tc, test_candidates_after_gathering);
  tcase_add_test (tc, test_send_before_connected);
  tcase_add_test (tc, test_relay_policy_without_turn);
  tcase_add_test (tc, test_api_rejects_bad_input);
  tcase_add_test (tc, test_stats);
  tcase_add_test (tc, test_mid_and_mline_index);
  tcase_add_test (tc, test_action_signal_failures);
  return s;
}

RTC_ICE_CORE_CHECK_MAIN (ice_transport_suite, "ice_transport");
