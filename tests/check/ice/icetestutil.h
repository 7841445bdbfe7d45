/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Two RtcIceTransports in one process, wired to each other the way a
 * signalling channel would: trickled candidates, end-of-candidates and
  * credentials. Loopback only. Only the GObject interface (properties,
 * signals, action signals) is used, so that the element tests can drive
 * the transport type of the loaded plugin.
 */
#pragma once

#include <gst/check/gstcheck.h>
#include <stdio.h>
#include <string.h>

#include "rtcicetransport.h"
#include "../common/rtctestutil.h"
#include "../common/rtccheckmain.h"

typedef struct _IcePeer IcePeer;

struct _IcePeer {
  RtcIceTransport *t;
  IcePeer *other;
  GMutex lock;
  /* Candidates signalled by this side (strings), and how many the other
   * side refused: handlers run on the ICE thread, so failures are counted
   * there and asserted by the test thread. */
  GPtrArray *signalled;
  guint add_errors;
  gboolean end_of_candidates;
  /* While held, candidates wait here instead of reaching the other side. */
  gboolean hold;
  GPtrArray *held;
  /* Packets received, as GBytes. */
  GPtrArray *received;
  /* The transport's mid and mline-index as the last candidate handler
   * read them. */
  gchar *candidate_mid;
  guint candidate_mline;
};

static inline void
ice_peer_on_candidate (RtcIceTransport *t, guint component, const gchar *line,
    IcePeer *p)
{
  gboolean hold, ok = FALSE;

  gchar *mid = NULL;
  guint mline = 0;

  g_object_get (t, "mid", &mid, "mline-index", &mline, NULL);
  g_mutex_lock (&p->lock);
  g_free (p->candidate_mid);
  p->candidate_mid = mid;
  p->candidate_mline = mline;
  g_ptr_array_add (p->signalled, g_strdup (line));
  hold = p->hold;
  if (hold)
    g_ptr_array_add (p->held, g_strdup (line));
  g_mutex_unlock (&p->lock);
  if (hold)
    return;
  g_signal_emit_by_name (p->other->t, "add-remote-candidate", line, &ok);
  if (!ok) {
    GST_ERROR ("candidate %s refused", line);
    g_mutex_lock (&p->lock);
    p->add_errors++;
    g_mutex_unlock (&p->lock);
  }
}

static inline void
ice_peer_on_end_of_candidates (RtcIceTransport *t, IcePeer *p)
{
  gboolean hold;

  g_mutex_lock (&p->lock);
  p->end_of_candidates = TRUE;
  hold = p->hold;
  g_mutex_unlock (&p->lock);
  if (!hold)
    g_signal_emit_by_name (p->other->t, "end-of-remote-candidates");
}

/* @type: RTC_TYPE_ICE_TRANSPORT, or the plugin's type looked up by name */
static inline void
ice_peer_init (IcePeer *p, IcePeer *other, gboolean controlling, GType type)
{
  const gchar *loopback[] = { "127.0.0.1", NULL };
  gchar **addresses = NULL;

  memset (p, 0, sizeof (*p));
  g_mutex_init (&p->lock);
  p->other = other;
  p->signalled = g_ptr_array_new_with_free_func (g_free);
  p->held = g_ptr_array_new_with_free_func (g_free);
  p->received = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  p->t = g_object_new (type, "controlling", controlling, "local-addresses",
      loopback, NULL);
  g_object_get (p->t, "local-addresses", &addresses, NULL);
  fail_unless (addresses && g_strv_length (addresses) == 1);
  g_strfreev (addresses);
  g_signal_connect (p->t, "on-ice-candidate",
      G_CALLBACK (ice_peer_on_candidate), p);
  g_signal_connect (p->t, "on-end-of-candidates",
      G_CALLBACK (ice_peer_on_end_of_candidates), p);
  g_object_set_data (G_OBJECT (p->t), "ice-peer", p);
}

static inline void
ice_peer_clear (IcePeer *p)
{
  g_signal_handlers_disconnect_by_data (p->t, p);
  g_signal_emit_by_name (p->t, "close");
  g_object_unref (p->t);
  g_ptr_array_unref (p->signalled);
  g_ptr_array_unref (p->held);
  g_ptr_array_unref (p->received);
  g_free (p->candidate_mid);
  g_mutex_clear (&p->lock);
}

static inline void
ice_peer_give_credentials (IcePeer *from, IcePeer *to)
{
  gchar *ufrag, *pwd;
  gboolean ok = FALSE;

  g_object_get (from->t, "local-ufrag", &ufrag, "local-pwd", &pwd, NULL);
  g_signal_emit_by_name (to->t, "set-remote-credentials", ufrag, pwd, &ok);
  fail_unless (ok);
  g_free (ufrag);
  g_free (pwd);
}

/* Hands the held candidates (and end-of-candidates) over and stops
 * holding. */
static inline void
ice_peer_release (IcePeer *p)
{
  GPtrArray *held;
  gboolean eoc;
  guint i;

  g_mutex_lock (&p->lock);
  p->hold = FALSE;
  held = g_steal_pointer (&p->held);
  p->held = g_ptr_array_new_with_free_func (g_free);
  eoc = p->end_of_candidates;
  g_mutex_unlock (&p->lock);
  for (i = 0; i < held->len; i++) {
    gboolean ok = FALSE;

    g_signal_emit_by_name (p->other->t, "add-remote-candidate",
        g_ptr_array_index (held, i), &ok);
    fail_unless (ok, "%s", (gchar *)g_ptr_array_index (held, i));
  }
  g_ptr_array_unref (held);
  if (eoc)
    g_signal_emit_by_name (p->other->t, "end-of-remote-candidates");
}

static inline guint
ice_peer_received (IcePeer *p)
{
  guint n;

  g_mutex_lock (&p->lock);
  n = p->received->len;
  g_mutex_unlock (&p->lock);
  return n;
}

typedef gboolean (*IcePollFunc) (gpointer data, guint n);

/* Polls @cond (@data, @n) until it holds or @ms (scaled) pass. */
static inline gboolean
ice_poll (IcePollFunc cond, gpointer data, guint n, guint64 ms)
{
  gint64 deadline = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;

  while (!cond (data, n)) {
    if (g_get_monotonic_time () > deadline)
      return FALSE;
    g_usleep (2000);
  }
  return TRUE;
}

typedef gboolean (*IceCond) (IcePeer *p);

typedef struct {
  IceCond cond;
  IcePeer *p;
} IceWait;

static inline gboolean
ice_wait_holds (gpointer data, guint n)
{
  IceWait *w = data;

  return w->cond (w->p);
}

/* Polls @cond until it holds or @ms (scaled) pass. */
static inline gboolean
ice_wait (IcePeer *p, IceCond cond, guint64 ms)
{
  IceWait w = { cond, p };

  return ice_poll (ice_wait_holds, &w, 0, ms);
}

/* Receiver storing each packet, as GBytes, in IcePeer.received. */
static inline void
ice_peer_on_packet (gpointer owner, const guint8 *data, gsize len)
{
  IcePeer *p = g_object_get_data (owner, "ice-peer");

  g_mutex_lock (&p->lock);
  g_ptr_array_add (p->received, g_bytes_new (data, len));
  g_mutex_unlock (&p->lock);
}

static inline void
ice_peer_receive (IcePeer *p)
{
  rtc_ice_transport_set_receiver (p->t, ice_peer_on_packet, G_OBJECT (p->t));
}

static inline gboolean
ice_peer_received_at_least (gpointer p, guint n)
{
  return ice_peer_received (p) >= n;
}

/* Waits until @p has received at least @n packets. */
static inline gboolean
ice_wait_received (IcePeer *p, guint n, guint64 ms)
{
  return ice_poll (ice_peer_received_at_least, p, n, ms);
}

/* A counter of rtc_ice_transport_get_stats(). */
static inline guint64
ice_stat (IcePeer *p, const gchar *name)
{
  GstStructure *s = rtc_ice_transport_get_stats (p->t);
  guint64 v = 0;

  fail_unless (gst_structure_get_uint64 (s, name, &v), "no stat %s", name);
  gst_structure_free (s);
  return v;
}

/* Test packets: RTP-like (version 2, so not mistaken for STUN by the
 * demuxer), with content that depends on the sender and the sequence
 * number, so that a corrupted, duplicated or misdelivered packet is
 * recognised. Their length is given per sequence number. */
#define ICE_PACKET_MAX 1200

typedef gsize (*IcePacketLen) (guint seq);

static inline gsize
ice_packet_len_max (guint seq)
{
  return ICE_PACKET_MAX;
}

static inline void
ice_packet_fill (guint8 *buf, gsize len, guint8 sender, guint seq)
{
  gsize i;

  buf[0] = 0x80;
  buf[1] = sender;
  buf[2] = seq >> 8;
  buf[3] = seq & 0xff;
  for (i = 4; i < len; i++)
    buf[i] = (guint8)(i * 31 + seq * 7 + sender);
}

/* @from sends @n packets, paced so that loopback socket buffers never
 * overflow. */
static inline void
ice_packets_send (IcePeer *from, guint8 sender, guint n, IcePacketLen len_of)
{
  guint8 buf[ICE_PACKET_MAX];
  guint seq;

  for (seq = 0; seq < n; seq++) {
    ice_packet_fill (buf, len_of (seq), sender, seq);
    fail_unless (rtc_ice_transport_send (from->t, buf, len_of (seq)));
    g_usleep (500);
  }
}

/* @to (see ice_peer_receive()) received the @n packets of @sender, each
 * once and intact, and nothing else. */
static inline void
ice_packets_check (IcePeer *to, guint8 sender, guint n, IcePacketLen len_of)
{
  gboolean *seen = g_new0 (gboolean, n);
  guint8 expected[ICE_PACKET_MAX];
  guint i;

  fail_unless (ice_wait_received (to, n, 5000), "%c: received %u of %u", sender,
      ice_peer_received (to), n);
  g_mutex_lock (&to->lock);
  fail_unless_equals_int (to->received->len, n);
  for (i = 0; i < to->received->len; i++) {
    gsize len;
    const guint8 *data = g_bytes_get_data (to->received->pdata[i], &len);
    guint seq;

    fail_unless (len >= 4, "runt packet of %" G_GSIZE_FORMAT " bytes", len);
    seq = (data[2] << 8) | data[3];
    fail_unless (data[1] == sender && seq < n && !seen[seq],
        "unexpected packet %u from %c", seq, data[1]);
    seen[seq] = TRUE;
    fail_unless_equals_int (len, len_of (seq));
    ice_packet_fill (expected, len, sender, seq);
    fail_unless (memcmp (data, expected, len) == 0, "packet %u corrupted", seq);
  }
  g_mutex_unlock (&to->lock);
  g_free (seen);
}

static inline RtcIceTransportState
ice_state (IcePeer *p)
{
  RtcIceTransportState s;

  g_object_get (p->t, "state", &s, NULL);
  return s;
}

static inline gboolean
ice_is_connected (IcePeer *p)
{
  RtcIceTransportState s = ice_state (p);

  return s == RTC_ICE_TRANSPORT_STATE_CONNECTED
      || s == RTC_ICE_TRANSPORT_STATE_COMPLETED;
}

/* @n packets each way between @a and @b, each received once and intact. */
static inline void
ice_packets_exchange (IcePeer *a, IcePeer *b, guint n, IcePacketLen len_of)
{
  /* Each side sends only once it has a selected pair of its own; the
   * controlled side learns the nomination after the controlling one. */
  fail_unless (ice_wait (a, ice_is_connected, 5000));
  fail_unless (ice_wait (b, ice_is_connected, 5000));
  ice_peer_receive (a);
  ice_peer_receive (b);
  ice_packets_send (a, 'a', n, len_of);
  ice_packets_send (b, 'b', n, len_of);
  ice_packets_check (b, 'a', n, len_of);
  ice_packets_check (a, 'b', n, len_of);
}

static inline gboolean
ice_gathering_complete (IcePeer *p)
{
  RtcIceGatheringState s;

  g_object_get (p->t, "gathering-state", &s, NULL);
  return s == RTC_ICE_GATHERING_STATE_COMPLETE;
}

static inline gboolean
ice_gather (IcePeer *p)
{
  gboolean ok = FALSE;

  g_signal_emit_by_name (p->t, "gather", &ok);
  return ok;
}

/* Connects @a (controlling) and @b over trickled loopback candidates. */
static inline void
ice_connect (IcePeer *a, IcePeer *b)
{
  ice_peer_give_credentials (a, b);
  ice_peer_give_credentials (b, a);
  fail_unless (ice_gather (a));
  fail_unless (ice_gather (b));
  fail_unless (ice_wait (a, ice_is_connected, 5000), "A not connected");
  fail_unless (ice_wait (b, ice_is_connected, 5000), "B not connected");
  fail_unless_equals_int (a->add_errors, 0);
  fail_unless_equals_int (b->add_errors, 0);
}

static inline gboolean
ice_end_of_candidates (IcePeer *p)
{
  gboolean eoc;

  g_mutex_lock (&p->lock);
  eoc = p->end_of_candidates;
  g_mutex_unlock (&p->lock);
  return eoc;
}

/* An ICE restart started by @a while candidates are held, so that each
 * side's new credentials reach the other before its new candidates, as
 * an offer carrying them precedes trickle. @b notices the new credentials
 * and restarts too. */
static inline void
ice_restart (IcePeer *a, IcePeer *b)
{
  gchar *ufrag_a = NULL, *ufrag_b = NULL, *ufrag = NULL;
  gboolean ok = FALSE;

  g_object_get (a->t, "local-ufrag", &ufrag_a, NULL);
  g_object_get (b->t, "local-ufrag", &ufrag_b, NULL);
  g_mutex_lock (&a->lock);
  a->hold = TRUE;
  a->end_of_candidates = FALSE;
  g_mutex_unlock (&a->lock);
  g_mutex_lock (&b->lock);
  b->hold = TRUE;
  b->end_of_candidates = FALSE;
  g_mutex_unlock (&b->lock);

  g_signal_emit_by_name (a->t, "restart", &ok);
  fail_unless (ok);
  g_object_get (a->t, "local-ufrag", &ufrag, NULL);
  fail_if (g_strcmp0 (ufrag, ufrag_a) == 0, "ufrag unchanged");
  g_free (ufrag);
  fail_unless (ice_wait (a, ice_end_of_candidates, 5000));
  ice_peer_give_credentials (a, b);
  /* The peer restarted on seeing new credentials. */
  g_object_get (b->t, "local-ufrag", &ufrag, NULL);
  fail_if (g_strcmp0 (ufrag, ufrag_b) == 0, "peer ufrag unchanged");
  g_free (ufrag);
  fail_unless (ice_wait (b, ice_end_of_candidates, 5000));
  ice_peer_give_credentials (b, a);
  ice_peer_release (a);
  ice_peer_release (b);
  g_free (ufrag_a);
  g_free (ufrag_b);
}

/* The time the calling thread has spent runnable but waiting for a CPU,
 * in microseconds (the run delay of the kernel's schedstat): scheduler
 * delay, as opposed to time the thread ran or slept, on a lock or in
 * poll. 0 where the kernel does not tell, which leaves gaps unadjusted. */
static inline gint64
ice_thread_run_delay (void)
{
  gchar *text = NULL;
  guint64 run = 0, wait = 0;

  if (g_file_get_contents ("/proc/thread-self/schedstat", &text, NULL, NULL))
    sscanf (text, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &run, &wait);
  g_free (text);
  return (gint64)(wait / 1000);
}

/* Packets of one direction at a steady rate, from a thread: each carries
 * its sequence number, so that every one is accounted for; arrival gaps
 * are measured, and the sending and receiving threads' scheduler delay
 * with them (see ice_flow_max_gap_unscheduled()). */
#define ICE_FLOW_MAX 4096
#define ICE_FLOW_SIZE 200

typedef struct {
  IcePeer *from, *to;
  guint interval_ms;
  GThread *thread;
  gint stop;
  /* Sender thread only, read after join: per packet, its run delay
   * (ice_thread_run_delay()) before and after sending. */
  guint sent, send_failed;
  guint8 sent_ok[ICE_FLOW_MAX];
  gint64 send_wait_before[ICE_FLOW_MAX], send_wait_after[ICE_FLOW_MAX];
  /* ICE thread, under lock: per packet, its arrival and the receiving
   * thread's run delay then; order[n] is the n-th packet to arrive. */
  GMutex lock;
  guint received, duplicates, corrupt;
  guint8 seen[ICE_FLOW_MAX];
  gint64 arrived[ICE_FLOW_MAX], recv_wait[ICE_FLOW_MAX];
  guint16 order[ICE_FLOW_MAX];
  gint64 last_arrival, max_gap;
} IceFlow;

static inline void
ice_flow_on_packet (gpointer owner, const guint8 *data, gsize len)
{
  IceFlow *f = g_object_get_data (owner, "ice-flow");
  gint64 now = g_get_monotonic_time ();
  gint64 wait = ice_thread_run_delay ();
  guint seq;

  g_mutex_lock (&f->lock);
  seq = len == ICE_FLOW_SIZE && data[0] == 0x80
      ? ((guint)data[2] << 8 | data[3])
      : G_MAXUINT;
  if (seq >= ICE_FLOW_MAX || data[len - 1] != (guint8)seq)
    f->corrupt++;
  else if (f->seen[seq])
    f->duplicates++;
  else {
    f->seen[seq] = 1;
    f->arrived[seq] = now;
    f->recv_wait[seq] = wait;
    f->order[f->received++] = seq;
    if (f->last_arrival && now - f->last_arrival > f->max_gap)
      f->max_gap = now - f->last_arrival;
    f->last_arrival = now;
  }
  g_mutex_unlock (&f->lock);
}

static inline gpointer
ice_flow_thread (gpointer data)
{
  IceFlow *f = data;
  guint8 buf[ICE_FLOW_SIZE] = { 0x80, 96 };

  while (!g_atomic_int_get (&f->stop) && f->sent < ICE_FLOW_MAX) {
    guint seq = f->sent++;

    buf[2] = seq >> 8;
    buf[3] = seq & 0xff;
    buf[ICE_FLOW_SIZE - 1] = (guint8)seq;
    f->send_wait_before[seq] = ice_thread_run_delay ();
    if (rtc_ice_transport_send (f->from->t, buf, sizeof (buf)))
      f->sent_ok[seq] = 1;
    else
      f->send_failed++;
    f->send_wait_after[seq] = ice_thread_run_delay ();
    g_usleep (f->interval_ms * 1000);
  }
  return NULL;
}

static inline void
ice_flow_start (IceFlow *f, IcePeer *from, IcePeer *to, guint interval_ms)
{
  memset (f, 0, sizeof (*f));
  g_mutex_init (&f->lock);
  f->from = from;
  f->to = to;
  f->interval_ms = interval_ms;
  g_object_set_data (G_OBJECT (to->t), "ice-flow", f);
  rtc_ice_transport_set_receiver (to->t, ice_flow_on_packet, G_OBJECT (to->t));
  f->thread = g_thread_new ("ice-flow", ice_flow_thread, f);
}

static inline guint
ice_flow_received (IceFlow *f)
{
  guint n;

  g_mutex_lock (&f->lock);
  n = f->received;
  g_mutex_unlock (&f->lock);
  return n;
}

static inline gboolean
ice_flow_received_at_least (gpointer f, guint n)
{
  return ice_flow_received (f) >= n;
}

/* Waits until @f has delivered at least @n packets. */
static inline gboolean
ice_flow_wait (IceFlow *f, guint n, guint64 ms)
{
  return ice_poll (ice_flow_received_at_least, f, n, ms);
}

static inline void
ice_flow_stop (IceFlow *f)
{
  g_atomic_int_set (&f->stop, 1);
  g_thread_join (f->thread);
}

static inline guint
ice_flow_sent_ok (IceFlow *f)
{
  guint ok = 0, i;

  for (i = 0; i < f->sent; i++)
    ok += f->sent_ok[i];
  return ok;
}

/* After ice_flow_stop(): waits for the packets in flight, then stops
 * delivery. */
static inline void
ice_flow_finish (IceFlow *f)
{
  ice_flow_wait (f, ice_flow_sent_ok (f), 2000);
  /* A delivery already started may still be finishing: the lock is not
   * cleared (a futex-based GMutex holds nothing). */
  rtc_ice_transport_set_receiver (f->to->t, NULL, NULL);
}

/* Every packet sent was received once, intact. */
static inline void
ice_flow_check_all_received (IceFlow *f, const gchar *name)
{
  guint i;

  g_mutex_lock (&f->lock);
  for (i = 0; i < f->sent; i++)
    fail_unless (!f->sent_ok[i] || f->seen[i], "%s: packet %u lost", name, i);
  fail_unless_equals_int (f->duplicates, 0);
  fail_unless_equals_int (f->corrupt, 0);
  g_mutex_unlock (&f->lock);
}

/* After ice_flow_finish(): the longest gap between two arrivals, less
 * the time the sending thread (from sending the first packet to having
 * sent the second) and the receiving thread (between the two arrivals)
 * spent waiting for a CPU: what is left is the transport's doing (a lock
 * held, a socket not read) and the packet interval. In @sched_wait, the
 * scheduler delay within the longest raw gap. */
static inline gint64
ice_flow_max_gap_unscheduled (IceFlow *f, gint64 *sched_wait)
{
  gint64 max = 0, raw = 0;
  guint i;

  *sched_wait = 0;
  g_mutex_lock (&f->lock);
  for (i = 1; i < f->received; i++) {
    guint p = f->order[i - 1], q = f->order[i];
    gint64 gap = f->arrived[q] - f->arrived[p];
    gint64 wait = (f->recv_wait[q] - f->recv_wait[p])
        + (f->send_wait_after[q] - f->send_wait_before[p]);

    max = MAX (max, gap - wait);
    if (gap > raw) {
      raw = gap;
      *sched_wait = wait;
    }
  }
  g_mutex_unlock (&f->lock);
  return max;
}

/* main() of a test that links the ICE core itself and creates no element:
 * were the registry updated in-process (GST_REGISTRY_FORK=no under
 * valgrind), the plugin would be loaded and register the same types a
 * second time. */
#define RTC_ICE_CORE_CHECK_MAIN(suite_func, name) \
  int main (int argc, char **argv) \
  { \
    g_setenv ("GST_REGISTRY_UPDATE", "no", TRUE); \
    gst_check_init (&argc, &argv); \
    return rtc_check_run_suite (suite_func (), name, __FILE__); \
  }
