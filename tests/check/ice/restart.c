/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * ICE restarts while packets flow both ways at 50 packets/s: started by
 * either side, the other following on the new credentials. Every packet
 * must arrive, the state must stay connected, a new pair must be selected
 * and the longest gap between two arrivals, less the time the sending and
 * receiving threads waited for a CPU meanwhile, stay under GAP_BOUND_MS:
 * on a loaded machine a thread can wait hundreds of milliseconds for a
 * CPU, which is the scheduler's doing, not the transport's.
 */
#include "icetestutil.h"

#include <stdio.h>

#define PACKET_INTERVAL_MS 20
/* The restart does not interrupt the old pair: a gap is the packet
 * interval plus timer jitter, well under this (measured: printed by the
 * test). */
#define GAP_BOUND_MS 150

typedef struct {
  GMutex lock;
  guint selected;
  GArray *states;
} Watch;

static void
on_selected (GObject *t, GParamSpec *pspec, Watch *w)
{
  g_mutex_lock (&w->lock);
  w->selected++;
  g_mutex_unlock (&w->lock);
}

static void
on_state (GObject *t, GParamSpec *pspec, Watch *w)
{
  RtcIceTransportState s;

  g_object_get (t, "state", &s, NULL);
  g_mutex_lock (&w->lock);
  g_array_append_val (w->states, s);
  g_mutex_unlock (&w->lock);
}

static void
watch_init (Watch *w, IcePeer *p)
{
  memset (w, 0, sizeof (*w));
  g_mutex_init (&w->lock);
  w->states = g_array_new (FALSE, FALSE, sizeof (RtcIceTransportState));
  g_signal_connect (p->t, "notify::selected-local-candidate",
      G_CALLBACK (on_selected), w);
  g_signal_connect (p->t, "notify::state", G_CALLBACK (on_state), w);
}

static void
watch_clear (Watch *w, IcePeer *p)
{
  g_signal_handlers_disconnect_by_data (p->t, w);
  g_array_unref (w->states);
}

static gboolean
reselected (IcePeer *p)
{
  Watch *w = g_object_get_data (G_OBJECT (p->t), "watch");
  gboolean done;

  g_mutex_lock (&w->lock);
  done = w->selected > 0;
  g_mutex_unlock (&w->lock);
  return done && ice_is_connected (p);
}

static void
check_watch (Watch *w, IcePeer *p, const gchar *name)
{
  GstStructure *s = rtc_ice_transport_get_stats (p->t);
  guint restarts = 0, i;

  g_mutex_lock (&w->lock);
  /* Never anything but connected or completed meanwhile. */
  for (i = 0; i < w->states->len; i++) {
    RtcIceTransportState st = g_array_index (w->states, gint, i);

    fail_unless (st == RTC_ICE_TRANSPORT_STATE_CONNECTED
            || st == RTC_ICE_TRANSPORT_STATE_COMPLETED,
        "%s went %d during the restart", name, st);
  }
  g_mutex_unlock (&w->lock);
  fail_unless (gst_structure_get_uint (s, "restarts", &restarts));
  fail_unless_equals_int (restarts, 1);
  gst_structure_free (s);
}

static void
restart_while_flowing (gboolean controlling_starts)
{
  IcePeer a, b;
  IceFlow to_a, to_b;
  Watch wa, wb;
  IcePeer *starter, *follower;
  gint64 gap_a, gap_b, wait_a, wait_b;

  ice_peer_init (&a, &b, TRUE, RTC_TYPE_ICE_TRANSPORT);
  ice_peer_init (&b, &a, FALSE, RTC_TYPE_ICE_TRANSPORT);
  ice_connect (&a, &b);
  fail_unless (ice_wait (&a, ice_gathering_complete, 5000));
  fail_unless (ice_wait (&b, ice_gathering_complete, 5000));
  ice_flow_start (&to_a, &b, &a, PACKET_INTERVAL_MS);
  ice_flow_start (&to_b, &a, &b, PACKET_INTERVAL_MS);
  fail_unless (ice_flow_wait (&to_a, 50, 5000));
  fail_unless (ice_flow_wait (&to_b, 50, 5000));

  watch_init (&wa, &a);
  watch_init (&wb, &b);
  g_object_set_data (G_OBJECT (a.t), "watch", &wa);
  g_object_set_data (G_OBJECT (b.t), "watch", &wb);
  starter = controlling_starts ? &a : &b;
  follower = controlling_starts ? &b : &a;
  ice_restart (starter, follower);
  fail_unless (ice_wait (&a, reselected, 5000), "A: no new pair");
  fail_unless (ice_wait (&b, reselected, 5000), "B: no new pair");
  fail_unless (ice_wait (&a, ice_gathering_complete, 5000));
  fail_unless (ice_end_of_candidates (&a) && ice_end_of_candidates (&b));
  /* Packets keep flowing on the new pair. */
  g_usleep (RTC_TEST_MS (1000) * 1000);
  ice_flow_stop (&to_a);
  ice_flow_stop (&to_b);
  ice_flow_finish (&to_a);
  ice_flow_finish (&to_b);

  gap_a = ice_flow_max_gap_unscheduled (&to_a, &wait_a);
  gap_b = ice_flow_max_gap_unscheduled (&to_b, &wait_b);
  printf ("restart by %s: %u/%u packets to A (longest gap %" G_GINT64_FORMAT
          " ms of which %" G_GINT64_FORMAT
          " ms scheduler delay; less it: %" G_GINT64_FORMAT
          " ms), %u/%u to B (%" G_GINT64_FORMAT " ms, %" G_GINT64_FORMAT
          " ms; %" G_GINT64_FORMAT " ms)\n",
      controlling_starts ? "controlling" : "controlled", to_a.received,
      to_a.sent, to_a.max_gap / 1000, wait_a / 1000, gap_a / 1000,
      to_b.received, to_b.sent, to_b.max_gap / 1000, wait_b / 1000,
      gap_b / 1000);
  fail_unless_equals_int (to_a.send_failed, 0);
  fail_unless_equals_int (to_b.send_failed, 0);
  ice_flow_check_all_received (&to_a, "to A");
  ice_flow_check_all_received (&to_b, "to B");
  fail_unless (gap_a < (gint64)RTC_TEST_MS (GAP_BOUND_MS) * 1000,
      "to A: gap less scheduler delay %" G_GINT64_FORMAT " us", gap_a);
  fail_unless (gap_b < (gint64)RTC_TEST_MS (GAP_BOUND_MS) * 1000,
      "to B: gap less scheduler delay %" G_GINT64_FORMAT " us", gap_b);
  check_watch (&wa, &a, "A");
  check_watch (&wb, &b, "B");
  fail_unless_equals_int (a.add_errors + b.add_errors, 0);
  /* After the restart, both end completed again. */
  fail_unless (ice_wait (&a, ice_is_connected, 1000));

  watch_clear (&wa, &a);
  watch_clear (&wb, &b);
  ice_peer_clear (&a);
  ice_peer_clear (&b);
}

GST_START_TEST (test_restart_by_controlling)
{
  restart_while_flowing (TRUE);
}

GST_END_TEST;

GST_START_TEST (test_restart_by_controlled)
{
  restart_while_flowing (FALSE);
}

GST_END_TEST;

/* A restart needs something to restart: refused before gathering and once
 * closed. */
GST_START_TEST (test_restart_refused)
{
  RtcIceTransport *t = rtc_ice_transport_new ();
  GError *error = NULL;
  gchar *ufrag = NULL, *after = NULL;
  gboolean ok = TRUE;

  g_object_get (t, "local-ufrag", &ufrag, NULL);
  fail_if (rtc_ice_transport_restart (t, &error));
  fail_unless (g_error_matches (error, RTC_ICE_ERROR, RTC_ICE_ERROR_STATE));
  g_clear_error (&error);
  g_signal_emit_by_name (t, "restart", &ok);
  fail_if (ok);
  g_object_get (t, "local-ufrag", &after, NULL);
  fail_unless_equals_string (ufrag, after);
  rtc_ice_transport_close (t);
  fail_if (rtc_ice_transport_restart (t, &error));
  g_clear_error (&error);
  g_free (ufrag);
  g_free (after);
  g_object_unref (t);
}

GST_END_TEST;

static Suite *
ice_restart_suite (void)
{
  Suite *s = suite_create ("ice-restart");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_restart_by_controlling);
  tcase_add_test (tc, test_restart_by_controlled);
  tcase_add_test (tc, test_restart_refused);
  return s;
}

RTC_ICE_CORE_CHECK_MAIN (ice_restart_suite, "ice_restart");
