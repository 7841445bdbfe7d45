/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Liveness of a connected transport (RFC 7675 consent, W3C states): the
 * peer is silenced with nftables rules on loopback, set in-process (see
 * rtcnft.h) in the private network namespace the suite runs in
 * (scripts/netns-run.sh), and let through again. Times asserted are those
 * of the transport's design: 2 s of silence after steady traffic is
 * `disconnected`; libnice 0.1.21 fails the component 10 s after the last
 * consent answer.
 */
#include "icetestutil.h"
#include "../common/rtcnft.h"

#include <stdio.h>

#define PACKET_INTERVAL_MS 20
/* SILENCE_US of the transport and its 100 ms tick. */
#define SILENCE_MS 2000
#define TICK_MS 100
/* libnice 0.1.21's consent expiry. */
#define CONSENT_EXPIRY_MS 10000
/* The latest `disconnected` accepted after the peer is silenced: the
 * silence bound, two ticks, and a margin for a late tick on a loaded
 * machine. */
#define DISCONNECTED_MAX_MS (SILENCE_MS + 2 * TICK_MS + 400)
/* Silences tried before giving up: one is void when the machine is too
 * slow to notice it before the next consent checks are due. */
#define SILENCE_ATTEMPTS 8

/* Table names of their own, so that other tests in the namespace keep
 * theirs. */
#define DROP_TABLE "rtcconsentdrop"
#define COUNT_TABLE "rtcconsentcount"

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

/* A transport's state notifications since state_log_mark(): each state's
 * first time, and their sequence. */
typedef struct {
  GMutex lock;
  gint64 at[RTC_ICE_TRANSPORT_STATE_CLOSED + 1];
  GArray *seq;
  guint from;
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

/* Forgets what came so far: on a starved machine (valgrind beside other
 * work) the flow can pause for 2 s before the test silences the peer, and
 * the transport rightly says `disconnected` for that. */
static void
state_log_mark (StateLog *log)
{
  g_mutex_lock (&log->lock);
  memset (log->at, 0, sizeof (log->at));
  log->from = log->seq->len;
  g_mutex_unlock (&log->lock);
}

static guint
state_log_len (StateLog *log)
{
  guint n;

  g_mutex_lock (&log->lock);
  n = log->seq->len - log->from;
  g_mutex_unlock (&log->lock);
  return n;
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
  fail_unless (log->from + n < log->seq->len);
  s = g_array_index (log->seq, RtcIceTransportState, log->from + n);
  g_mutex_unlock (&log->lock);
  return s;
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
  rtc_nft_assert_private_netns ();
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

  fail_unless (ice_wait (&a, ice_is_connected, 5000), "state %d",
      ice_state (&a));
  state_log_mark (&log);
  rtc_nft_drop_udp (DROP_TABLE, selected_port (&a, FALSE),
      selected_port (&a, TRUE), TRUE);
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
  fail_unless (disc_ms <= (gint64)RTC_TEST_MS (DISCONNECTED_MAX_MS),
      "%" G_GINT64_FORMAT, disc_ms);
  /* The last consent answer came at most one check interval (6 s) before
   * the silence. */
  fail_unless (fail_ms >= CONSENT_EXPIRY_MS - 6000 - 500, "%" G_GINT64_FORMAT,
      fail_ms);
  fail_unless (fail_ms <= (gint64)RTC_TEST_MS (CONSENT_EXPIRY_MS + 500),
      "%" G_GINT64_FORMAT, fail_ms);
  /* connected (or completed) -> disconnected -> failed, nothing else. */
  fail_unless_equals_int (state_log_len (&log), 2);
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
  rtc_nft_delete_table (DROP_TABLE);
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

/* Polls until @log has seen @s or @deadline (monotonic, us) passes. */
static gboolean
state_log_wait_until (StateLog *log, RtcIceTransportState s, gint64 deadline)
{
  while (!state_log_at (log, s)) {
    if (g_get_monotonic_time () >= deadline)
      return FALSE;
    g_usleep (1000);
  }
  return TRUE;
}

/* The peer is silent (what it sends A is dropped) until A says
 * `disconnected`, then heard again: `connected` again, never `failed`.
 * Dropping B's packets to A loses A's consent answers and B's own consent
 * checks alike, and libnice retries neither: a check lost in the silence
 * can expire that side's consent (the next comes up to 6 s later, 12 s
 * after the last answer). So the silence fits between both sides' checks:
 * it starts once both came and ends before the earlier of the next ones
 * can. */
GST_START_TEST (test_peer_back_in_time)
{
  IcePeer a, b;
  IceFlow to_a;
  StateLog log, log_b;
  guint a_port, b_port, attempt;
  gint64 t0, quiet_end, end, deadline, disc_ms, back_ms;
  RtcIceTransportState s;

  connect_udp (&a, &b);
  a_port = selected_port (&a, TRUE);
  b_port = selected_port (&a, FALSE);
  rtc_nft_count_consent (COUNT_TABLE, a_port, b_port);
  state_log_init (&log, &a);
  state_log_init (&log_b, &b);
  ice_flow_start (&to_a, &b, &a, PACKET_INTERVAL_MS);
  /* Over a second of packets: the transport has seen a steady flow. */
  fail_unless (ice_flow_wait (&to_a, 1500 / PACKET_INTERVAL_MS, 5000));

  deadline = g_get_monotonic_time () + RTC_NFT_LULL_WAIT_MS * 1000;
  for (attempt = 0;; attempt++) {
    gboolean connected;

    quiet_end = rtc_nft_wait_consent_lull (COUNT_TABLE, deadline);
    state_log_mark (&log);
    connected = ice_is_connected (&a);
    rtc_nft_drop_udp (DROP_TABLE, b_port, a_port, FALSE);
    t0 = g_get_monotonic_time ();
    /* Connected when the rules went in, no change notified since, and A
     * noticed the silence before the next consent checks are due (never a
     * moment later, whatever the scale of the test's timeouts). */
    if (connected && state_log_len (&log) == 0
        && quiet_end - t0 >= RTC_NFT_NOTICE_WINDOW_MS * 1000
        && state_log_wait_until (&log, RTC_ICE_TRANSPORT_STATE_DISCONNECTED,
            quiet_end))
      break;
    /* Too late for this lull (a slow poll), or A not hearing the flow or
     * not noticing in time (a starved machine): let through at once. */
    rtc_nft_delete_table (DROP_TABLE);
    fail_unless (attempt + 1 < SILENCE_ATTEMPTS,
        "no silence between consent checks noticed");
    fail_unless (ice_wait (&a, ice_is_connected, 1000), "still %d",
        ice_state (&a));
  }
  rtc_nft_delete_table (DROP_TABLE);
  end = g_get_monotonic_time ();
  disc_ms = (state_log_at (&log, RTC_ICE_TRANSPORT_STATE_DISCONNECTED) - t0)
      / 1000;
  /* B's packets: B kept sending, its consent alive. */
  fail_unless (ice_wait (&a, ice_is_connected, 1000), "still %d",
      ice_state (&a));
  back_ms = (g_get_monotonic_time () - end) / 1000;
  printf ("peer back: silence of %" G_GINT64_FORMAT
          " ms, disconnected after %" G_GINT64_FORMAT
          " ms, connected again within %" G_GINT64_FORMAT
          " ms of the rules going (attempt %u)\n",
      (end - t0) / 1000, disc_ms, back_ms, attempt + 1);
  fail_unless (disc_ms >= SILENCE_MS - 250, "%" G_GINT64_FORMAT, disc_ms);
  fail_unless (disc_ms <= (gint64)RTC_TEST_MS (DISCONNECTED_MAX_MS),
      "%" G_GINT64_FORMAT, disc_ms);

  /* Each side's next consent check is answered: consent is fresh again on
   * both, and no expiry caused by the silence can come any more. */
  rtc_nft_wait_consent_answered (COUNT_TABLE);
  /* A state change would have been notified by now. */
  g_usleep (200 * 1000);
  fail_unless (ice_is_connected (&a), "A: state %d", ice_state (&a));
  fail_unless (ice_is_connected (&b), "B: state %d", ice_state (&b));
  fail_if (state_log_at (&log, RTC_ICE_TRANSPORT_STATE_FAILED));
  fail_if (state_log_at (&log_b, RTC_ICE_TRANSPORT_STATE_FAILED));
  /* A: disconnected, then connected (or completed) again. */
  fail_unless_equals_int (state_log_nth (&log, 0),
      RTC_ICE_TRANSPORT_STATE_DISCONNECTED);
  s = state_log_nth (&log, 1);
  fail_unless (s == RTC_ICE_TRANSPORT_STATE_CONNECTED
          || s == RTC_ICE_TRANSPORT_STATE_COMPLETED,
      "%d", s);

  ice_flow_stop (&to_a);
  ice_flow_finish (&to_a);
  rtc_nft_delete_table (COUNT_TABLE);
  state_log_clear (&log, &a);
  state_log_clear (&log_b, &b);
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

  /* Each test waits for real consent timers, over 10 s, and
   * test_peer_back_in_time for a lull between them (RTC_NFT_LULL_WAIT_MS). */
  tcase_set_timeout (tc,
      30 * rtc_test_timeout_scale () + RTC_NFT_LULL_WAIT_MS / 1000);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_peer_gone_disconnected_then_failed);
  tcase_add_test (tc, test_peer_back_in_time);
  tcase_add_test (tc, test_idle_stays_connected);
  return s;
}

RTC_ICE_CORE_CHECK_MAIN (ice_consent_suite, "ice_consent");
