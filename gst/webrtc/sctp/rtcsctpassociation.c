/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "rtcsctpassociation.h"
#include "rtcsctpchannel.h"
#include "rtcdcep.h"

#include <usrsctp.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <arpa/inet.h>

GST_DEBUG_CATEGORY_STATIC (rtc_sctp_debug);
#define GST_CAT_DEFAULT rtc_sctp_debug

/* Not in usrsctp 0.9.5's public header, but handled by its socket code
 * (the FreeBSD values): the RFC 8260 I-DATA switch, which also needs
 * fragment interleave level 2. */
#ifndef SCTP_INTERLEAVING_SUPPORTED
#define SCTP_INTERLEAVING_SUPPORTED 0x00001206
#endif
#ifndef SCTP_SS_ROUND_ROBIN
#define SCTP_SS_ROUND_ROBIN 1
#endif

/* Send and receive windows: a 256 KiB window caps a connection near
 * 100 Mb/s at 20 ms RTT; 1 MiB allows ~400 Mb/s there. */
#define SCTP_BUFFER_SIZE (1024 * 1024)
#define TIMER_TICK_MS 10

struct _RtcSctpAssociation {
  GObject parent;

  /* Set at construction. */
  gboolean dtls_client;
  guint16 local_port, remote_port;
  struct socket *sock; /* NULL once aborted or disposed */

  GMutex lock;
  GstRtcSctpTransportState state;
  guint32 max_message_size, remote_max_message_size;
  gboolean interleaving;
  GHashTable *channels; /* sid -> RtcSctpChannel (ref) */
  GQueue ready; /* RtcSctpChannel with pending messages */
  GArray *pending_resets; /* guint16 sids to reset outgoing */
  GHashTable *reassembly; /* sid -> GByteArray of a partial message */
  gboolean blocked; /* usrsctp's send buffer was full */
  GQueue early; /* GBytes received before start() */
  gboolean connected_once; /* connect() called: input goes to usrsctp */
  gboolean drain_scheduled;
  guint registry_id;
  struct {
    guint64 messages_sent, bytes_sent, messages_received, bytes_received;
    guint64 dropped_dcep, dropped_ppid, dropped_oversize, dropped_unopened,
        dropped_utf8, send_errors;
  } stats;

  RtcSctpOutputFunc output; /* live_lock */
  RtcSctpOutputFlushFunc output_flush;
  gpointer output_data;
  GDestroyNotify output_notify;

  /* Serialises handing queued messages to usrsctp, so a channel's
   * messages keep their order; recursive, as signal handlers run under
   * it and may send. */
  GRecMutex send_lock;
  /* Held while a packet is fed to usrsctp, while the socket closes
   * (usrsctp skips the ABORT of an association that another thread is
   * receiving into) and while streams are reset. Recursive: a handler may
   * abort from a callback. Taken after send_lock, never before. */
  GRecMutex input_lock;
};

enum { SIGNAL_ON_DATA_CHANNEL, SIGNAL_STATE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_TYPE_WITH_CODE (RtcSctpAssociation, rtc_sctp_association,
    G_TYPE_OBJECT,
    GST_DEBUG_CATEGORY_INIT (rtc_sctp_debug, "rtcsctp", 0,
        "gst-rtc SCTP association"));

/* usrsctp keeps global state: one stack per process, initialised once
 * for all associations, with our own timer thread (usrsctp_init_nothreads
 * starts none, and opens no raw or UDP socket). The last association to
 * go finishes it. */
static GMutex global_lock;
static guint global_users;
static GThread *timer_thread;
static GMainContext *timer_context;
static GMainLoop *timer_loop;
static GRecMutex timer_lock;
static gint64 timer_last; /* monotonic time timers ran up to, in µs */

/* Associations whose packets may go out: usrsctp's output callback only
 * knows an address, which is our pointer. */
static GRWLock live_lock;
static GHashTable *live; /* RtcSctpAssociation * (no ref) */
static GHashTable
    *registry; /* id -> RtcSctpAssociation * (no ref), global_lock */

static gboolean on_sctp_thread (void);
static void drain (RtcSctpAssociation *self);
static void schedule_drain (RtcSctpAssociation *self);

/* The calling thread's output batch (see begin_output_batch()). */
typedef struct {
  RtcSctpAssociation *assoc; /* of the outermost batch */
  guint depth;
  gboolean output; /* a deferred packet left: flush at the end */
  gboolean deferring; /* set around one output call */
} OutputBatch;

static GPrivate output_batch = G_PRIVATE_INIT (g_free);

static OutputBatch *
get_output_batch (void)
{
  OutputBatch *b = g_private_get (&output_batch);

  if (!b) {
    b = g_new0 (OutputBatch, 1);
    g_private_set (&output_batch, b);
  }
  return b;
}

static int
conn_output (void *addr, void *buffer, size_t length, uint8_t tos,
    uint8_t set_df)
{
  RtcSctpAssociation *self = addr;
  OutputBatch *b = g_private_get (&output_batch);

  g_rw_lock_reader_lock (&live_lock);
  if (live && g_hash_table_contains (live, self) && self->output) {
    gboolean deferring = b && b->assoc == self && self->output_flush;

    if (deferring) {
      b->output = TRUE;
      b->deferring = TRUE;
    }
    self->output (buffer, length, self->output_data);
    if (deferring)
      b->deferring = FALSE;
  }
  g_rw_lock_reader_unlock (&live_lock);
  return 0;
}

gboolean
rtc_sctp_association_output_is_deferred (void)
{
  OutputBatch *b = g_private_get (&output_batch);

  return b && b->deferring;
}

void
rtc_sctp_association_begin_output_batch (RtcSctpAssociation *self)
{
  OutputBatch *b = get_output_batch ();

  if (b->depth++ == 0) {
    b->assoc = self;
    b->output = FALSE;
  }
}

void
rtc_sctp_association_end_output_batch (RtcSctpAssociation *self)
{
  OutputBatch *b = get_output_batch ();
  gboolean flush;

  g_return_if_fail (b->depth > 0);
  if (--b->depth)
    return;
  flush = b->output && b->assoc == self;
  b->assoc = NULL;
  b->output = FALSE;
  if (!flush)
    return;
  /* Under live_lock like the output calls: the owner outlives it. */
  g_rw_lock_reader_lock (&live_lock);
  if (live && g_hash_table_contains (live, self) && self->output_flush)
    self->output_flush (self->output_data);
  g_rw_lock_reader_unlock (&live_lock);
}

void
rtc_sctp_association_set_output_flush (RtcSctpAssociation *self,
    RtcSctpOutputFlushFunc flush)
{
  g_rw_lock_writer_lock (&live_lock);
  self->output_flush = flush;
  g_rw_lock_writer_unlock (&live_lock);
}

static gboolean
timer_tick (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  GList *blocked = NULL, *l;

  /* Held while usrsctp's timers run: an association is not closed
   * meanwhile, so its callbacks here need no reference. */
  g_rec_mutex_lock (&timer_lock);
  usrsctp_handle_timers ((now - timer_last) / 1000);
  timer_last += (now - timer_last) / 1000 * 1000;
  g_rec_mutex_unlock (&timer_lock);

  /* Safety net for a send-buffer wakeup that raced with a full buffer. */
  g_rw_lock_reader_lock (&live_lock);
  if (live) {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, live);
    while (g_hash_table_iter_next (&iter, &key, NULL)) {
      RtcSctpAssociation *a = key;
      gboolean want;

      g_mutex_lock (&a->lock);
      want = (a->blocked && a->ready.length) || a->pending_resets->len;
      g_mutex_unlock (&a->lock);
      if (want)
        blocked = g_list_prepend (blocked, g_object_ref (a));
    }
  }
  g_rw_lock_reader_unlock (&live_lock);
  for (l = blocked; l; l = l->next)
    drain (l->data);
  g_list_free_full (blocked, g_object_unref);
  return G_SOURCE_CONTINUE;
}

static gpointer
timer_thread_func (gpointer data)
{
  GSource *source;

  g_main_context_push_thread_default (timer_context);
  source = g_timeout_source_new (TIMER_TICK_MS);
  g_source_set_callback (source, timer_tick, NULL, NULL);
  g_source_attach (source, timer_context);
  g_source_unref (source);
  g_main_loop_run (timer_loop);
  g_main_context_pop_thread_default (timer_context);
  return NULL;
}

static gboolean
on_sctp_thread (void)
{
  return timer_thread && g_thread_self () == timer_thread;
}

/* Declared by usrsctp.h only when built with SCTP_DEBUG. */
int usrsctp_sysctl_set_sctp_debug_on (uint32_t value);

static void G_GNUC_PRINTF (1, 2) usrsctp_debug (const char *format, ...)
{
  va_list args;
  gchar *msg;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  GST_LOG ("usrsctp: %s", g_strchomp (msg));
  g_free (msg);
}

static void
global_ref (void)
{
  g_mutex_lock (&global_lock);
  if (global_users++ == 0) {
    /* usrsctp's own trace, when asked for (very verbose). */
    gboolean trace = g_getenv ("RTC_SCTP_TRACE") != NULL;

    usrsctp_init_nothreads (0, conn_output, trace ? usrsctp_debug : NULL);
    if (trace)
      usrsctp_sysctl_set_sctp_debug_on (0xffffffff);
    /* Throughput tuning (usrsctp's defaults are 256 KiB windows, an
     * initial cwnd of 3 MTUs and 200 ms delayed SACKs). */
    usrsctp_sysctl_set_sctp_sendspace (SCTP_BUFFER_SIZE);
    usrsctp_sysctl_set_sctp_recvspace (SCTP_BUFFER_SIZE);
    usrsctp_sysctl_set_sctp_initial_cwnd (10);
    usrsctp_sysctl_set_sctp_delayed_sack_time_default (20);
    usrsctp_sysctl_set_sctp_max_burst_default (16);
    /* WebRTC uses none of these; the peer may not either. */
    usrsctp_sysctl_set_sctp_ecn_enable (0);
    usrsctp_sysctl_set_sctp_asconf_enable (0);
    usrsctp_sysctl_set_sctp_auth_enable (0);
    usrsctp_sysctl_set_sctp_nrsack_enable (0);
    usrsctp_sysctl_set_sctp_pktdrop_enable (0);
    usrsctp_sysctl_set_sctp_pr_enable (1);
    usrsctp_sysctl_set_sctp_reconfig_enable (1);
    /* RTO: 1 s initial (RFC 4960's 3 s makes a lost INIT slow), 400 ms
     * floor, 10 s ceiling, as browsers use. */
    usrsctp_sysctl_set_sctp_rto_initial_default (1000);
    usrsctp_sysctl_set_sctp_rto_min_default (400);
    usrsctp_sysctl_set_sctp_rto_max_default (10000);
    usrsctp_sysctl_set_sctp_init_rto_max_default (10000);
    usrsctp_sysctl_set_sctp_heartbeat_interval_default (10000);
    usrsctp_sysctl_set_sctp_default_ss_module (SCTP_SS_ROUND_ROBIN);
    usrsctp_sysctl_set_sctp_nr_outgoing_streams_default (RTC_SCTP_MAX_STREAMS);

    live = g_hash_table_new (NULL, NULL);
    timer_last = g_get_monotonic_time ();
    timer_context = g_main_context_new ();
    timer_loop = g_main_loop_new (timer_context, FALSE);
    timer_thread = g_thread_new ("rtc-sctp-timer", timer_thread_func, NULL);
  }
  g_mutex_unlock (&global_lock);
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (timer_loop);
  return G_SOURCE_REMOVE;
}

/* Global lock held, no user left, not on the timer thread. */
static void
shutdown_locked (void)
{
  guint tries;

  g_main_context_invoke (timer_context, quit_loop, NULL);
  g_thread_join (timer_thread);
  timer_thread = NULL;
  g_main_loop_unref (timer_loop);
  g_main_context_unref (timer_context);
  timer_loop = NULL;
  timer_context = NULL;
  /* Aborted sockets are freed at once; give timers a few turns for
   * anything still being torn down. */
  for (tries = 0; usrsctp_finish () != 0 && tries < 100; tries++) {
    usrsctp_handle_timers (TIMER_TICK_MS);
    g_usleep (TIMER_TICK_MS * 1000);
  }
  if (tries == 100)
    GST_WARNING ("usrsctp did not finish: sockets still open");
  g_rw_lock_writer_lock (&live_lock);
  g_clear_pointer (&live, g_hash_table_unref);
  g_rw_lock_writer_unlock (&live_lock);
}

static gpointer
finish_thread_func (gpointer data)
{
  g_mutex_lock (&global_lock);
  if (global_users == 0 && timer_thread)
    shutdown_locked ();
  g_mutex_unlock (&global_lock);
  return NULL;
}

static void
global_unref (void)
{
  g_mutex_lock (&global_lock);
  if (--global_users == 0) {
    /* The timer thread cannot join itself: another thread finishes,
     * unless a new user came meanwhile. */
    if (on_sctp_thread ())
      g_thread_unref (
          g_thread_new ("rtc-sctp-finish", finish_thread_func, NULL));
    else
      shutdown_locked ();
  }
  g_mutex_unlock (&global_lock);
}

/* ---- sending ---- */

static guint32
effective_remote_limit (RtcSctpAssociation *self)
{
  /* 0 in a=max-message-size is "no limit": our send buffer is then. */
  if (self->remote_max_message_size == 0)
    return SCTP_BUFFER_SIZE / 2;
  return MIN (self->remote_max_message_size, SCTP_BUFFER_SIZE / 2);
}

static gssize
sctp_send (RtcSctpAssociation *self, guint16 sid, guint32 ppid,
    const guint8 *data, gsize len, gboolean unordered, gint rtx, gint ttl)
{
  struct sctp_sendv_spa spa;
  static const guint8 zero = 0;

  memset (&spa, 0, sizeof (spa));
  spa.sendv_sndinfo.snd_sid = sid;
  spa.sendv_sndinfo.snd_ppid = htonl (ppid);
  spa.sendv_sndinfo.snd_flags = unordered ? SCTP_UNORDERED : 0;
  spa.sendv_flags = SCTP_SEND_SNDINFO_VALID;
  if (rtx >= 0) {
    spa.sendv_prinfo.pr_policy = SCTP_PR_SCTP_RTX;
    spa.sendv_prinfo.pr_value = rtx;
    spa.sendv_flags |= SCTP_SEND_PRINFO_VALID;
  } else if (ttl >= 0) {
    spa.sendv_prinfo.pr_policy = SCTP_PR_SCTP_TTL;
    spa.sendv_prinfo.pr_value = ttl;
    spa.sendv_flags |= SCTP_SEND_PRINFO_VALID;
  }
  /* RFC 8831 6.6: an empty message is one zero byte with PPID 56/57. */
  if (len == 0) {
    data = &zero;
    len = 1;
  }
  return usrsctp_sendv (self->sock, data, len, NULL, 0, &spa, sizeof (spa),
      SCTP_SENDV_SPA, 0);
}

/* Outgoing resets are batched into one request; usrsctp refuses a new
 * one while one is outstanding, so what it refuses is tried again on the
 * next reset event or timer tick. Called with the send lock. */
static void
flush_resets (RtcSctpAssociation *self)
{
  struct sctp_reset_streams *srs;
  gsize size;
  guint i, n;
  gboolean ok;
  gint err;

  g_mutex_lock (&self->lock);
  n = self->pending_resets->len;
  if (n == 0 || !self->sock
      || self->state != GST_RTC_SCTP_TRANSPORT_STATE_CONNECTED) {
    g_mutex_unlock (&self->lock);
    return;
  }
  size = sizeof (*srs) + n * sizeof (guint16);
  srs = g_malloc0 (size);
  srs->srs_flags = SCTP_STREAM_RESET_OUTGOING;
  srs->srs_number_streams = n;
  for (i = 0; i < n; i++)
    srs->srs_stream_list[i] = g_array_index (self->pending_resets, guint16, i);
  g_mutex_unlock (&self->lock);

  /* usrsctp 0.9.5 frees chunks a concurrent input may still read when a
   * reset request sends them (valgrind shows it): not beside input. */
  g_rec_mutex_lock (&self->input_lock);
  ok = usrsctp_setsockopt (self->sock, IPPROTO_SCTP, SCTP_RESET_STREAMS, srs,
           size)
      == 0;
  err = errno;
  g_rec_mutex_unlock (&self->input_lock);
  if (ok) {
    g_mutex_lock (&self->lock);
    g_array_remove_range (self->pending_resets, 0, n);
    g_mutex_unlock (&self->lock);
    GST_DEBUG_OBJECT (self, "reset %u outgoing streams", n);
  } else {
    GST_LOG_OBJECT (self, "stream reset deferred: %s", g_strerror (err));
  }
  g_free (srs);
}

/* Association lock held. */
static void
request_reset_locked (RtcSctpAssociation *self, RtcSctpChannel *channel)
{
  if (channel->reset_requested)
    return;
  channel->reset_requested = TRUE;
  g_array_append_val (self->pending_resets, channel->sid);
}

/* Association lock held: the stream is closed both ways; its id is free. */
static RtcSctpChannel *
remove_channel_locked (RtcSctpAssociation *self, RtcSctpChannel *channel)
{
  guint sid = channel->sid;

  if (channel->scheduled) {
    channel->scheduled = FALSE;
    g_queue_remove (&self->ready, channel);
    g_object_unref (channel);
  }
  g_queue_clear_full (&channel->pending, (GDestroyNotify)rtc_sctp_pending_free);
  g_hash_table_steal (self->channels, GUINT_TO_POINTER (sid));
  g_hash_table_remove (self->reassembly, GUINT_TO_POINTER (sid));
  return channel; /* the table's reference */
}

static void
drain (RtcSctpAssociation *self)
{
  rtc_sctp_association_begin_output_batch (self);
  g_rec_mutex_lock (&self->send_lock);
  for (;;) {
    RtcSctpChannel *channel;
    RtcSctpPending *p;
    gsize len;
    const guint8 *data;
    gssize ret;
    gboolean unordered, alive, opened = FALSE;
    guint16 sid;
    gint rtx, ttl, err;

    g_mutex_lock (&self->lock);
    if (!self->sock || self->state != GST_RTC_SCTP_TRANSPORT_STATE_CONNECTED) {
      g_mutex_unlock (&self->lock);
      break;
    }
    /* The ready queue's reference becomes ours. */
    channel = g_queue_pop_head (&self->ready);
    if (!channel) {
      self->blocked = FALSE;
      g_mutex_unlock (&self->lock);
      break;
    }
    channel->scheduled = FALSE;
    p = g_queue_pop_head (&channel->pending);
    if (!p) {
      g_mutex_unlock (&self->lock);
      g_object_unref (channel);
      continue;
    }
    channel->sending = TRUE;
    sid = channel->sid;
    /* RFC 8832 6: until the handshake is done, messages go ordered. */
    unordered = !channel->ordered && channel->acked
        && p->ppid != RTC_SCTP_PPID_DCEP;
    rtx = p->ppid == RTC_SCTP_PPID_DCEP ? -1 : channel->max_retransmits;
    ttl = p->ppid == RTC_SCTP_PPID_DCEP ? -1 : channel->max_packet_lifetime;
    data = g_bytes_get_data (p->data, &len);
    g_mutex_unlock (&self->lock);

    ret = sctp_send (self, sid, p->ppid, data, len, unordered, rtx, ttl);
    err = errno;

    g_mutex_lock (&self->lock);
    channel->sending = FALSE;
    alive = g_hash_table_lookup (self->channels, GUINT_TO_POINTER (sid))
        == channel;
    if (ret < 0 && (err == EWOULDBLOCK || err == EAGAIN)) {
      if (alive) {
        g_queue_push_head (&channel->pending, p);
        p = NULL;
        if (!channel->scheduled) {
          channel->scheduled = TRUE;
          g_queue_push_head (&self->ready, g_object_ref (channel));
        }
      }
      self->blocked = TRUE;
      g_mutex_unlock (&self->lock);
      if (p)
        rtc_sctp_pending_free (p);
      g_object_unref (channel);
      break;
    }
    if (ret < 0) {
      self->stats.send_errors++;
      GST_WARNING_OBJECT (self,
          "stream %u: message of %" G_GSIZE_FORMAT " bytes not sent: %s", sid,
          len, g_strerror (err));
    } else if (p->ppid == RTC_SCTP_PPID_DCEP) {
      /* Our DATA_CHANNEL_OPEN left: the opener may send at once. */
      opened = alive && len > 1;
    } else {
      self->stats.messages_sent++;
      self->stats.bytes_sent += len;
      channel->messages_sent++;
      channel->bytes_sent += len;
    }
    if (alive && channel->pending.length) {
      if (!channel->scheduled) {
        channel->scheduled = TRUE;
        g_queue_push_tail (&self->ready, g_object_ref (channel));
      }
    } else if (alive && channel->closing && !channel->scheduled) {
      request_reset_locked (self, channel);
    }
    g_mutex_unlock (&self->lock);

    if (p->size)
      gst_rtc_data_channel_remove_buffered_amount (GST_RTC_DATA_CHANNEL (
                                                       channel),
          p->size);
    if (opened)
      gst_rtc_data_channel_set_ready_state (GST_RTC_DATA_CHANNEL (channel),
          GST_RTC_DATA_CHANNEL_STATE_OPEN);
    rtc_sctp_pending_free (p);
    g_object_unref (channel);
  }
  flush_resets (self);
  g_rec_mutex_unlock (&self->send_lock);
  rtc_sctp_association_end_output_batch (self);
}

static gboolean
drain_idle (gpointer data)
{
  RtcSctpAssociation *self = g_weak_ref_get (data);

  if (!self)
    return G_SOURCE_REMOVE;
  g_mutex_lock (&self->lock);
  self->drain_scheduled = FALSE;
  g_mutex_unlock (&self->lock);
  drain (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
free_weak_ref (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* Runs drain() on the SCTP thread: for usrsctp's callbacks, which must
 * not call back into usrsctp. A weak reference: a pending drain does not
 * keep the association (and usrsctp) alive, so it is normally finished
 * by the thread that drops it. */
static void
schedule_drain (RtcSctpAssociation *self)
{
  GSource *source;
  GWeakRef *weak;

  g_mutex_lock (&self->lock);
  if (self->drain_scheduled || !timer_context) {
    g_mutex_unlock (&self->lock);
    return;
  }
  self->drain_scheduled = TRUE;
  g_mutex_unlock (&self->lock);
  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, drain_idle, weak, free_weak_ref);
  g_source_attach (source, timer_context);
  g_source_unref (source);
}

/* Association lock held. Takes @data. */
static void
enqueue_locked (RtcSctpAssociation *self, RtcSctpChannel *channel, GBytes *data,
    guint32 ppid, gsize size)
{
  RtcSctpPending *p = g_new0 (RtcSctpPending, 1);

  p->data = data;
  p->ppid = ppid;
  p->size = size;
  g_queue_push_tail (&channel->pending, p);
  if (!channel->scheduled) {
    channel->scheduled = TRUE;
    g_queue_push_tail (&self->ready, g_object_ref (channel));
  }
}

static GPrivate in_receive_callback;

/* Sends now on the caller's thread, unless called from usrsctp's
 * callbacks (a handler of on-message that echoes), or the SCTP thread. */
static void
kick (RtcSctpAssociation *self)
{
  if (g_private_get (&in_receive_callback) || on_sctp_thread ())
    schedule_drain (self);
  else
    drain (self);
}

/* Association lock held. */
static void
enqueue_open_locked (RtcSctpAssociation *self, RtcSctpChannel *channel)
{
  RtcDcepOpen open = { 0 };
  GstRtcPriorityType priority;

  g_object_get (channel, "label", &open.label, "protocol", &open.protocol,
      "priority", &priority, NULL);
  open.ordered = channel->ordered;
  open.max_retransmits = channel->max_retransmits;
  open.max_packet_lifetime = channel->max_packet_lifetime;
  open.priority = rtc_dcep_priority_to_wire (priority);
  channel->open_sent = TRUE;
  enqueue_locked (self, channel, rtc_dcep_build_open (&open),
      RTC_SCTP_PPID_DCEP, 0);
  rtc_dcep_open_clear (&open);
}

gboolean
rtc_sctp_association_channel_send (RtcSctpAssociation *self,
    RtcSctpChannel *channel, GBytes *data, gboolean is_string, GError **error)
{
  gsize len = g_bytes_get_size (data);
  guint32 limit;
  GstRtcDataChannelState state;

  state = gst_rtc_data_channel_get_ready_state (GST_RTC_DATA_CHANNEL (channel));
  if (state != GST_RTC_DATA_CHANNEL_STATE_OPEN) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE,
        "data channel %u is not open", channel->sid);
    return FALSE;
  }
  g_mutex_lock (&self->lock);
  limit = effective_remote_limit (self);
  if (len > limit) {
    g_mutex_unlock (&self->lock);
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR,
        "message of %" G_GSIZE_FORMAT " bytes exceeds the peer's "
        "max-message-size of %u bytes",
        len, limit);
    return FALSE;
  }
  if (channel->closing
      || !g_hash_table_contains (self->channels,
          GUINT_TO_POINTER (channel->sid))) {
    g_mutex_unlock (&self->lock);
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE,
        "data channel %u is closing", channel->sid);
    return FALSE;
  }
  enqueue_locked (self, channel, g_bytes_ref (data),
      is_string ? (len ? RTC_SCTP_PPID_STRING : RTC_SCTP_PPID_STRING_EMPTY)
                : (len ? RTC_SCTP_PPID_BINARY : RTC_SCTP_PPID_BINARY_EMPTY),
      len);
  g_mutex_unlock (&self->lock);
  /* Counted before the drain may hand it over and count it out. */
  gst_rtc_data_channel_add_buffered_amount (GST_RTC_DATA_CHANNEL (channel),
      len);
  kick (self);
  return TRUE;
}

void
rtc_sctp_association_channel_close (RtcSctpAssociation *self,
    RtcSctpChannel *channel)
{
  RtcSctpChannel *removed = NULL;
  gboolean closing = FALSE;

  g_mutex_lock (&self->lock);
  if (channel->closing
      || !g_hash_table_contains (self->channels,
          GUINT_TO_POINTER (channel->sid))) {
    g_mutex_unlock (&self->lock);
    return;
  }
  channel->closing = TRUE;
  if (self->state != GST_RTC_SCTP_TRANSPORT_STATE_CONNECTED) {
    /* Nothing was ever sent on it: nothing to reset. */
    removed = remove_channel_locked (self, channel);
  } else {
    closing = TRUE;
    if (!channel->scheduled && !channel->sending)
      request_reset_locked (self, channel);
  }
  g_mutex_unlock (&self->lock);

  if (removed) {
    gst_rtc_data_channel_set_ready_state (GST_RTC_DATA_CHANNEL (removed),
        GST_RTC_DATA_CHANNEL_STATE_CLOSED);
    g_object_unref (removed);
  } else if (closing) {
    gst_rtc_data_channel_set_ready_state (GST_RTC_DATA_CHANNEL (channel),
        GST_RTC_DATA_CHANNEL_STATE_CLOSING);
    kick (self);
  }
}

/* ---- creating channels ---- */

/* Association lock held. Lowest free id of our parity (RFC 8832 6: the
 * DTLS client uses even ids, the server odd ones). */
static gint
allocate_sid_locked (RtcSctpAssociation *self)
{
  guint sid;

  for (sid = self->dtls_client ? 0 : 1; sid < RTC_SCTP_MAX_STREAMS; sid += 2)
    if (!g_hash_table_contains (self->channels, GUINT_TO_POINTER (sid)))
      return sid;
  return -1;
}

static gboolean
get_int_option (const GstStructure *options, const gchar *name, gint *value)
{
  if (!options || !gst_structure_has_field (options, name))
    return TRUE;
  if (gst_structure_get_int (options, name, value))
    return TRUE;
  {
    guint u;
    if (gst_structure_get_uint (options, name, &u) && u <= G_MAXINT) {
      *value = u;
      return TRUE;
    }
  }
  return FALSE;
}

GstRtcDataChannel *
rtc_sctp_association_create_channel (RtcSctpAssociation *self,
    const gchar *label, const GstStructure *options, GError **error)
{
  gboolean ordered = TRUE, negotiated = FALSE, send_open = FALSE;
  gint max_rtx = -1, max_lifetime = -1, id = -1, priority_int;
  GstRtcPriorityType priority = GST_RTC_PRIORITY_TYPE_LOW;
  const gchar *protocol = "";
  RtcSctpChannel *channel;

  g_return_val_if_fail (RTC_IS_SCTP_ASSOCIATION (self), NULL);
  if (!label)
    label = "";

  if (options) {
    if (gst_structure_has_field (options, "ordered")
        && !gst_structure_get_boolean (options, "ordered", &ordered))
      goto bad_type;
    if (gst_structure_has_field (options, "negotiated")
        && !gst_structure_get_boolean (options, "negotiated", &negotiated))
      goto bad_type;
    if (!get_int_option (options, "max-retransmits", &max_rtx)
        || !get_int_option (options, "max-packet-lifetime", &max_lifetime)
        || !get_int_option (options, "id", &id))
      goto bad_type;
    if (gst_structure_has_field (options, "protocol")
        && !(protocol = gst_structure_get_string (options, "protocol")))
      goto bad_type;
    if (gst_structure_has_field (options, "priority")) {
      if (gst_structure_get_enum (options, "priority",
              GST_TYPE_RTC_PRIORITY_TYPE, &priority_int)
          || gst_structure_get_int (options, "priority", &priority_int))
        priority = priority_int;
      else
        goto bad_type;
      if (priority < GST_RTC_PRIORITY_TYPE_VERY_LOW
          || priority > GST_RTC_PRIORITY_TYPE_HIGH)
        goto bad_type;
    }
  }
  if (max_rtx >= 0 && max_lifetime >= 0) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR,
        "max-retransmits and max-packet-lifetime are exclusive");
    return NULL;
  }
  if (max_rtx > 65535 || max_lifetime > 65535) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR,
        "max-retransmits and max-packet-lifetime are at most 65535");
    return NULL;
  }
  if (strlen (label) > G_MAXUINT16 || strlen (protocol) > G_MAXUINT16
      || !g_utf8_validate (label, -1, NULL)
      || !g_utf8_validate (protocol, -1, NULL)) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR,
        "label and protocol must be UTF-8 of at most 65535 bytes");
    return NULL;
  }
  if (negotiated && (id < 0 || id >= RTC_SCTP_MAX_STREAMS)) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR,
        "a negotiated channel needs an id from 0 to %d",
        RTC_SCTP_MAX_STREAMS - 1);
    return NULL;
  }

  g_mutex_lock (&self->lock);
  if (!self->sock || self->state == GST_RTC_SCTP_TRANSPORT_STATE_CLOSED) {
    g_mutex_unlock (&self->lock);
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE,
        "the SCTP association is closed");
    return NULL;
  }
  if (!negotiated)
    id = allocate_sid_locked (self);
  if (id < 0 || g_hash_table_contains (self->channels, GUINT_TO_POINTER (id))) {
    g_mutex_unlock (&self->lock);
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE,
        id < 0 ? "no free SCTP stream id" : "SCTP stream id %d is in use", id);
    return NULL;
  }
  channel = rtc_sctp_channel_new (self, label, protocol, ordered, max_rtx,
      max_lifetime, negotiated, id, priority);
  channel->acked = negotiated;
  g_hash_table_insert (self->channels, GUINT_TO_POINTER (id),
      g_object_ref (channel));
  if (self->state == GST_RTC_SCTP_TRANSPORT_STATE_CONNECTED && !negotiated) {
    enqueue_open_locked (self, channel);
    send_open = TRUE;
  }
  g_mutex_unlock (&self->lock);

  GST_DEBUG_OBJECT (self, "channel '%s' on stream %d (%s)", label, id,
      negotiated ? "negotiated" : "in-band");
  if (negotiated
      && rtc_sctp_association_get_state (self)
          == GST_RTC_SCTP_TRANSPORT_STATE_CONNECTED)
    gst_rtc_data_channel_set_ready_state (GST_RTC_DATA_CHANNEL (channel),
        GST_RTC_DATA_CHANNEL_STATE_OPEN);
  /* From the SCTP thread: on-open never fires before this returns. */
  if (send_open)
    schedule_drain (self);
  return GST_RTC_DATA_CHANNEL (channel);

bad_type:
  g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR,
      "data channel options have a field of the wrong type or value: "
      "%" GST_PTR_FORMAT,
      options);
  return NULL;
}

/* ---- receiving ---- */

static void
set_state (RtcSctpAssociation *self, GstRtcSctpTransportState state)
{
  g_mutex_lock (&self->lock);
  if (self->state == state
      || self->state == GST_RTC_SCTP_TRANSPORT_STATE_CLOSED) {
    g_mutex_unlock (&self->lock);
    return;
  }
  self->state = state;
  g_mutex_unlock (&self->lock);
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, state);
}

static void
close_all_channels (RtcSctpAssociation *self, const gchar *reason)
{
  GList *channels, *l;
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&self->lock);
  channels = g_hash_table_get_values (self->channels);
  g_list_foreach (channels, (GFunc)g_object_ref, NULL);
  g_hash_table_iter_init (&iter, self->channels);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    RtcSctpChannel *c = value;
    g_queue_clear_full (&c->pending, (GDestroyNotify)rtc_sctp_pending_free);
    if (c->scheduled) {
      c->scheduled = FALSE;
      g_queue_remove (&self->ready, c);
      g_object_unref (c);
    }
  }
  g_hash_table_remove_all (self->channels);
  g_hash_table_remove_all (self->reassembly);
  g_array_set_size (self->pending_resets, 0);
  g_mutex_unlock (&self->lock);

  for (l = channels; l; l = l->next) {
    if (reason) {
      GError *error = g_error_new (GST_RTC_ERROR, GST_RTC_ERROR_SCTP_FAILURE,
          "SCTP association lost: %s", reason);
      gst_rtc_data_channel_emit_error (l->data, error);
      g_error_free (error);
    }
    gst_rtc_data_channel_set_ready_state (l->data,
        GST_RTC_DATA_CHANNEL_STATE_CLOSED);
  }
  g_list_free_full (channels, g_object_unref);
}

static void
on_comm_up (RtcSctpAssociation *self)
{
  GList *negotiated = NULL, *l;
  GHashTableIter iter;
  gpointer value;
  struct sctp_assoc_value av = { 0 };
  socklen_t len = sizeof (av);

  if (usrsctp_getsockopt (self->sock, IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED,
          &av, &len)
      == 0) {
    g_mutex_lock (&self->lock);
    self->interleaving = av.assoc_value != 0;
    g_mutex_unlock (&self->lock);
  }

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->channels);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    RtcSctpChannel *c = value;
    if (c->negotiated)
      negotiated = g_list_prepend (negotiated, g_object_ref (c));
    else if (!c->open_sent)
      enqueue_open_locked (self, c);
  }
  g_mutex_unlock (&self->lock);

  GST_INFO_OBJECT (self, "association up (I-DATA %s)",
      self->interleaving ? "yes" : "no");
  set_state (self, GST_RTC_SCTP_TRANSPORT_STATE_CONNECTED);
  for (l = negotiated; l; l = l->next)
    gst_rtc_data_channel_set_ready_state (l->data,
        GST_RTC_DATA_CHANNEL_STATE_OPEN);
  g_list_free_full (negotiated, g_object_unref);
  schedule_drain (self);
}

static void
handle_assoc_change (RtcSctpAssociation *self,
    const struct sctp_assoc_change *sac)
{
  switch (sac->sac_state) {
    case SCTP_COMM_UP:
      on_comm_up (self);
      break;
    case SCTP_COMM_LOST:
    case SCTP_CANT_STR_ASSOC:
    case SCTP_SHUTDOWN_COMP:
      GST_INFO_OBJECT (self, "association ended (state %u, error %u)",
          sac->sac_state, sac->sac_error);
      set_state (self, GST_RTC_SCTP_TRANSPORT_STATE_CLOSED);
      close_all_channels (self,
          sac->sac_state == SCTP_SHUTDOWN_COMP   ? NULL
              : sac->sac_state == SCTP_COMM_LOST ? "peer aborted or vanished"
                                                 : "could not connect");
      break;
    default:
      break;
  }
}

static void
handle_stream_reset (RtcSctpAssociation *self,
    const struct sctp_stream_reset_event *ev)
{
  guint n = (ev->strreset_length - sizeof (*ev)) / sizeof (guint16);
  GList *closed = NULL, *closing = NULL, *l;
  guint i;

  if (ev->strreset_flags
      & (SCTP_STREAM_RESET_DENIED | SCTP_STREAM_RESET_FAILED)) {
    /* Ask again: the channels stay in closing until it succeeds. */
    g_mutex_lock (&self->lock);
    for (i = 0; i < n; i++) {
      RtcSctpChannel *c = g_hash_table_lookup (self->channels,
          GUINT_TO_POINTER (ev->strreset_stream_list[i]));
      if (c && c->reset_requested && !c->outgoing_reset
          && (ev->strreset_flags & SCTP_STREAM_RESET_OUTGOING_SSN)) {
        c->reset_requested = FALSE;
        request_reset_locked (self, c);
      }
    }
    g_mutex_unlock (&self->lock);
    schedule_drain (self);
    return;
  }

  g_mutex_lock (&self->lock);
  for (i = 0; i < n; i++) {
    guint16 sid = ev->strreset_stream_list[i];
    RtcSctpChannel *c = g_hash_table_lookup (self->channels,
        GUINT_TO_POINTER (sid));

    if (!c)
      continue;
    if (ev->strreset_flags & SCTP_STREAM_RESET_INCOMING_SSN) {
      /* RFC 8831 6.7: the peer closed; reset ours in answer. */
      c->incoming_reset = TRUE;
      if (!c->closing) {
        c->closing = TRUE;
        closing = g_list_prepend (closing, g_object_ref (c));
        g_queue_clear_full (&c->pending, (GDestroyNotify)rtc_sctp_pending_free);
        if (c->scheduled) {
          c->scheduled = FALSE;
          g_queue_remove (&self->ready, c);
          g_object_unref (c);
        }
      }
      if (!c->scheduled && !c->sending)
        request_reset_locked (self, c);
    }
    if (ev->strreset_flags & SCTP_STREAM_RESET_OUTGOING_SSN)
      c->outgoing_reset = TRUE;
    if (c->incoming_reset && c->outgoing_reset)
      closed = g_list_prepend (closed, remove_channel_locked (self, c));
  }
  g_mutex_unlock (&self->lock);

  for (l = closing; l; l = l->next)
    gst_rtc_data_channel_set_ready_state (l->data,
        GST_RTC_DATA_CHANNEL_STATE_CLOSING);
  for (l = closed; l; l = l->next) {
    GST_DEBUG_OBJECT (self, "stream %u closed",
        RTC_SCTP_CHANNEL (l->data)->sid);
    gst_rtc_data_channel_set_ready_state (l->data,
        GST_RTC_DATA_CHANNEL_STATE_CLOSED);
  }
  g_list_free_full (closing, g_object_unref);
  g_list_free_full (closed, g_object_unref);
  /* More resets may be waiting for this one to finish. */
  schedule_drain (self);
}

static void
handle_notification (RtcSctpAssociation *self, const union sctp_notification *n,
    gsize len)
{
  if (len < sizeof (n->sn_header) || n->sn_header.sn_length > len)
    return;
  switch (n->sn_header.sn_type) {
    case SCTP_ASSOC_CHANGE:
      if (len >= sizeof (struct sctp_assoc_change))
        handle_assoc_change (self, &n->sn_assoc_change);
      break;
    case SCTP_STREAM_RESET_EVENT:
      if (len >= sizeof (struct sctp_stream_reset_event))
        handle_stream_reset (self, &n->sn_strreset_event);
      break;
    case SCTP_PARTIAL_DELIVERY_EVENT:
      /* A partially reliable message abandoned halfway: what arrived of
       * it must not be joined to the next one. */
      if (len >= sizeof (struct sctp_pdapi_event)
          && n->sn_pdapi_event.pdapi_indication
              == SCTP_PARTIAL_DELIVERY_ABORTED) {
        g_mutex_lock (&self->lock);
        g_hash_table_remove (self->reassembly,
            GUINT_TO_POINTER (n->sn_pdapi_event.pdapi_stream));
        g_mutex_unlock (&self->lock);
      }
      break;
    case SCTP_SEND_FAILED_EVENT:
      /* Abandoned partially reliable messages end here too. */
      GST_LOG_OBJECT (self, "message not delivered");
      break;
    default:
      break;
  }
}

static void
handle_open (RtcSctpAssociation *self, guint16 sid, const guint8 *data,
    gsize len)
{
  RtcDcepOpen open;
  GError *error = NULL;
  RtcSctpChannel *channel;

  if (!rtc_dcep_parse_open (data, len, &open, &error)) {
    GST_DEBUG_OBJECT (self, "stream %u: dropping DCEP: %s", sid,
        error->message);
    g_error_free (error);
    g_mutex_lock (&self->lock);
    self->stats.dropped_dcep++;
    g_mutex_unlock (&self->lock);
    return;
  }
  g_mutex_lock (&self->lock);
  /* The opener's parity is the peer's (RFC 8832 6). */
  if ((sid % 2 == 0) == self->dtls_client
      || g_hash_table_contains (self->channels, GUINT_TO_POINTER (sid))) {
    self->stats.dropped_dcep++;
    g_mutex_unlock (&self->lock);
    GST_DEBUG_OBJECT (self,
        "stream %u: dropping DCEP open: id of the wrong "
        "parity or in use",
        sid);
    rtc_dcep_open_clear (&open);
    return;
  }
  channel = rtc_sctp_channel_new (self, open.label, open.protocol, open.ordered,
      open.max_retransmits, open.max_packet_lifetime, FALSE, sid,
      rtc_dcep_priority_from_wire (open.priority));
  channel->acked = TRUE;
  g_hash_table_insert (self->channels, GUINT_TO_POINTER (sid),
      g_object_ref (channel));
  {
    static const guint8 ack = RTC_DCEP_DATA_CHANNEL_ACK;
    enqueue_locked (self, channel, g_bytes_new_static (&ack, 1),
        RTC_SCTP_PPID_DCEP, 0);
  }
  g_mutex_unlock (&self->lock);
  rtc_dcep_open_clear (&open);

  GST_DEBUG_OBJECT (self, "peer opened stream %u", sid);
  schedule_drain (self);
  g_signal_emit (self, signals[SIGNAL_ON_DATA_CHANNEL], 0, channel);
  gst_rtc_data_channel_set_ready_state (GST_RTC_DATA_CHANNEL (channel),
      GST_RTC_DATA_CHANNEL_STATE_OPEN);
  g_object_unref (channel);
}

static void
handle_message (RtcSctpAssociation *self, guint16 sid, guint32 ppid,
    const guint8 *data, gsize len)
{
  RtcSctpChannel *channel;
  gboolean is_string;
  GBytes *bytes;
  GstRtcDataChannelState state;

  if (ppid == RTC_SCTP_PPID_DCEP) {
    if (rtc_dcep_is_ack (data, len)) {
      g_mutex_lock (&self->lock);
      channel = g_hash_table_lookup (self->channels, GUINT_TO_POINTER (sid));
      if (channel && channel->open_sent && !channel->acked)
        channel->acked = TRUE;
      else
        self->stats.dropped_dcep++;
      g_mutex_unlock (&self->lock);
    } else {
      handle_open (self, sid, data, len);
    }
    return;
  }

  switch (ppid) {
    case RTC_SCTP_PPID_STRING:
    case RTC_SCTP_PPID_STRING_EMPTY:
      is_string = TRUE;
      break;
    case RTC_SCTP_PPID_BINARY:
    case RTC_SCTP_PPID_BINARY_EMPTY:
      is_string = FALSE;
      break;
    default:
      GST_DEBUG_OBJECT (self,
          "stream %u: dropping message of unknown PPID "
          "%u",
          sid, ppid);
      g_mutex_lock (&self->lock);
      self->stats.dropped_ppid++;
      g_mutex_unlock (&self->lock);
      return;
  }
  if (ppid == RTC_SCTP_PPID_STRING_EMPTY || ppid == RTC_SCTP_PPID_BINARY_EMPTY)
    len = 0;

  g_mutex_lock (&self->lock);
  channel = g_hash_table_lookup (self->channels, GUINT_TO_POINTER (sid));
  if (channel)
    g_object_ref (channel);
  g_mutex_unlock (&self->lock);
  state = channel
      ? gst_rtc_data_channel_get_ready_state (GST_RTC_DATA_CHANNEL (channel))
      : GST_RTC_DATA_CHANNEL_STATE_CLOSED;
  if (state != GST_RTC_DATA_CHANNEL_STATE_OPEN
      && state != GST_RTC_DATA_CHANNEL_STATE_CLOSING) {
    GST_DEBUG_OBJECT (self,
        "stream %u: dropping message on a stream that "
        "is not open",
        sid);
    g_mutex_lock (&self->lock);
    self->stats.dropped_unopened++;
    g_mutex_unlock (&self->lock);
    g_clear_object (&channel);
    return;
  }
  if (is_string && !g_utf8_validate_len ((const gchar *)data, len, NULL)) {
    GST_DEBUG_OBJECT (self, "stream %u: dropping string that is not UTF-8",
        sid);
    g_mutex_lock (&self->lock);
    self->stats.dropped_utf8++;
    g_mutex_unlock (&self->lock);
    g_object_unref (channel);
    return;
  }
  g_mutex_lock (&self->lock);
  self->stats.messages_received++;
  self->stats.bytes_received += len;
  channel->messages_received++;
  channel->bytes_received += len;
  g_mutex_unlock (&self->lock);
  bytes = g_bytes_new (data, len);
  gst_rtc_data_channel_deliver_message (GST_RTC_DATA_CHANNEL (channel), bytes,
      is_string);
  g_bytes_unref (bytes);
  g_object_unref (channel);
}

/* Fragments of a message arrive in several calls when usrsctp delivers
 * partially (interleaved messages, or beyond its delivery point); they
 * are joined per stream, up to our max-message-size. */
static void
handle_data (RtcSctpAssociation *self, guint16 sid, guint32 ppid,
    const guint8 *data, gsize len, gboolean eor)
{
  GByteArray *partial;
  gboolean too_big;

  g_mutex_lock (&self->lock);
  partial = g_hash_table_lookup (self->reassembly, GUINT_TO_POINTER (sid));
  if (!partial && eor) {
    too_big = len > self->max_message_size;
    if (too_big)
      self->stats.dropped_oversize++;
    g_mutex_unlock (&self->lock);
    if (too_big)
      GST_DEBUG_OBJECT (self,
          "stream %u: dropping message of %" G_GSIZE_FORMAT
          " bytes, over our max-message-size",
          sid, len);
    else
      handle_message (self, sid, ppid, data, len);
    return;
  }
  if (!partial) {
    partial = g_byte_array_new ();
    g_hash_table_insert (self->reassembly, GUINT_TO_POINTER (sid), partial);
  }
  /* An oversized message is marked by a length past the limit and its
   * bytes are no longer kept. */
  if (partial->len + len > self->max_message_size) {
    if (partial->len <= self->max_message_size)
      g_byte_array_set_size (partial, self->max_message_size + 1);
  } else {
    g_byte_array_append (partial, data, len);
  }
  if (!eor) {
    g_mutex_unlock (&self->lock);
    return;
  }
  g_hash_table_steal (self->reassembly, GUINT_TO_POINTER (sid));
  too_big = partial->len > self->max_message_size;
  if (too_big)
    self->stats.dropped_oversize++;
  g_mutex_unlock (&self->lock);
  if (too_big)
    GST_DEBUG_OBJECT (self,
        "stream %u: dropping message over our "
        "max-message-size",
        sid);
  else
    handle_message (self, sid, ppid, partial->data, partial->len);
  g_byte_array_unref (partial);
}

static int
receive_cb (struct socket *sock, union sctp_sockstore addr, void *data,
    size_t datalen, struct sctp_rcvinfo rcv, int flags, void *ulp_info)
{
  RtcSctpAssociation *self = NULL;
  gboolean nested = g_private_get (&in_receive_callback) != NULL;
  /* On the timer thread the association cannot be closed meanwhile (see
   * timer_tick, close_socket) and a reference would risk its last unref
   * inside usrsctp; elsewhere the caller into usrsctp holds one, or the
   * association is no longer live. */
  gboolean timer = on_sctp_thread ();

  g_rw_lock_reader_lock (&live_lock);
  if (ulp_info && live && g_hash_table_contains (live, ulp_info))
    self = timer ? ulp_info : g_object_ref (ulp_info);
  g_rw_lock_reader_unlock (&live_lock);
  if (!self) {
    free (data);
    return 1;
  }

  g_private_set (&in_receive_callback, GINT_TO_POINTER (1));
  if (!data) {
    /* The socket was shut down. */
    set_state (self, GST_RTC_SCTP_TRANSPORT_STATE_CLOSED);
    close_all_channels (self, NULL);
  } else if (flags & MSG_NOTIFICATION) {
    handle_notification (self, data, datalen);
  } else {
    handle_data (self, rcv.rcv_sid, ntohl (rcv.rcv_ppid), data, datalen,
        (flags & MSG_EOR) != 0);
  }
  free (data);
  if (!nested)
    g_private_set (&in_receive_callback, NULL);

  if (!timer)
    g_object_unref (self);
  return 1;
}

static int
send_cb (struct socket *sock, uint32_t sb_free, void *ulp_info)
{
  RtcSctpAssociation *self = NULL;

  g_rw_lock_reader_lock (&live_lock);
  if (ulp_info && live && g_hash_table_contains (live, ulp_info))
    self = ulp_info;
  if (self)
    schedule_drain (self);
  g_rw_lock_reader_unlock (&live_lock);
  return 0;
}

/* ---- lifetime ---- */

static void
set_sockopts (RtcSctpAssociation *self)
{
  struct linger linger = { 1, 0 };
  struct sctp_assoc_value av;
  struct sctp_initmsg init = { 0 };
  struct sctp_paddrparams paddr = { 0 };
  int on = 1, level2 = 2, buf = SCTP_BUFFER_SIZE;
  struct sctp_event event = { 0 };
  static const guint16 events[] = { SCTP_ASSOC_CHANGE, SCTP_STREAM_RESET_EVENT,
    SCTP_SEND_FAILED_EVENT, SCTP_PARTIAL_DELIVERY_EVENT };
  guint i;

  usrsctp_set_non_blocking (self->sock, 1);
  /* Closing aborts at once: no graceful shutdown holding the socket (and
   * usrsctp_finish) while the DTLS transport below is going away. */
  usrsctp_setsockopt (self->sock, SOL_SOCKET, SO_LINGER, &linger,
      sizeof (linger));
  usrsctp_setsockopt (self->sock, SOL_SOCKET, SO_SNDBUF, &buf, sizeof (buf));
  usrsctp_setsockopt (self->sock, SOL_SOCKET, SO_RCVBUF, &buf, sizeof (buf));
  usrsctp_setsockopt (self->sock, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof (on));
  av.assoc_id = SCTP_ALL_ASSOC;
  av.assoc_value = SCTP_ENABLE_RESET_STREAM_REQ | SCTP_ENABLE_CHANGE_ASSOC_REQ;
  usrsctp_setsockopt (self->sock, IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, &av,
      sizeof (av));
  /* RFC 8260 I-DATA, used when the peer offers it too. */
  if (usrsctp_setsockopt (self->sock, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE,
          &level2, sizeof (level2))
      == 0) {
    av.assoc_id = SCTP_FUTURE_ASSOC;
    av.assoc_value = 1;
    if (usrsctp_setsockopt (self->sock, IPPROTO_SCTP,
            SCTP_INTERLEAVING_SUPPORTED, &av, sizeof (av))
        != 0)
      GST_INFO_OBJECT (self, "no I-DATA support: %s", g_strerror (errno));
  }
  init.sinit_num_ostreams = RTC_SCTP_MAX_STREAMS;
  init.sinit_max_instreams = RTC_SCTP_MAX_STREAMS;
  usrsctp_setsockopt (self->sock, IPPROTO_SCTP, SCTP_INITMSG, &init,
      sizeof (init));
  /* DTLS over UDP over IPv6 leaves ~1200 bytes of a 1280-byte path. */
  paddr.spp_assoc_id = SCTP_FUTURE_ASSOC;
  paddr.spp_flags = SPP_PMTUD_DISABLE;
  paddr.spp_pathmtu = 1200;
  usrsctp_setsockopt (self->sock, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &paddr,
      sizeof (paddr));
  event.se_assoc_id = SCTP_ALL_ASSOC;
  event.se_on = 1;
  for (i = 0; i < G_N_ELEMENTS (events); i++) {
    event.se_type = events[i];
    usrsctp_setsockopt (self->sock, IPPROTO_SCTP, SCTP_EVENT, &event,
        sizeof (event));
  }
}

RtcSctpAssociation *
rtc_sctp_association_new (gboolean dtls_client, guint16 local_port,
    guint16 remote_port)
{
  RtcSctpAssociation *self = g_object_new (RTC_TYPE_SCTP_ASSOCIATION, NULL);
  struct sockaddr_conn sconn = { 0 };

  self->dtls_client = dtls_client;
  self->local_port = local_port;
  self->remote_port = remote_port;

  global_ref ();
  usrsctp_register_address (self);
  self->sock = usrsctp_socket (AF_CONN, SOCK_STREAM, IPPROTO_SCTP, receive_cb,
      send_cb, SCTP_BUFFER_SIZE / 2, self);
  if (!self->sock) {
    GST_ERROR_OBJECT (self, "usrsctp_socket failed: %s", g_strerror (errno));
    return self; /* state stays new; start() fails */
  }
  set_sockopts (self);
  sconn.sconn_family = AF_CONN;
  sconn.sconn_port = htons (local_port);
  sconn.sconn_addr = self;
  if (usrsctp_bind (self->sock, (struct sockaddr *)&sconn, sizeof (sconn)) < 0)
    GST_ERROR_OBJECT (self, "bind: %s", g_strerror (errno));

  g_rw_lock_writer_lock (&live_lock);
  g_hash_table_add (live, self);
  g_rw_lock_writer_unlock (&live_lock);
  return self;
}

void
rtc_sctp_association_set_output (RtcSctpAssociation *self,
    RtcSctpOutputFunc func, gpointer user_data, GDestroyNotify notify)
{
  GDestroyNotify old_notify;
  gpointer old_data;

  g_rw_lock_writer_lock (&live_lock);
  old_notify = self->output_notify;
  old_data = self->output_data;
  self->output = func;
  self->output_data = user_data;
  self->output_notify = notify;
  if (!func)
    self->output_flush = NULL;
  g_rw_lock_writer_unlock (&live_lock);
  if (old_notify)
    old_notify (old_data);
}

void
rtc_sctp_association_set_role (RtcSctpAssociation *self, gboolean dtls_client,
    guint16 remote_port)
{
  GList *moved = NULL, *l;
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (RTC_IS_SCTP_ASSOCIATION (self));
  g_mutex_lock (&self->lock);
  if (self->state != GST_RTC_SCTP_TRANSPORT_STATE_NEW) {
    g_mutex_unlock (&self->lock);
    GST_WARNING_OBJECT (self, "the role is fixed once the association starts");
    return;
  }
  self->remote_port = remote_port;
  if (self->dtls_client == dtls_client) {
    g_mutex_unlock (&self->lock);
    return;
  }
  self->dtls_client = dtls_client;
  /* In-band channels got an id of the guessed parity: they take the
   * lowest free ones of the right parity. Negotiated ids are the
   * application's. */
  g_hash_table_iter_init (&iter, self->channels);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    RtcSctpChannel *c = value;

    if (!c->negotiated && (c->sid % 2 == 0) != dtls_client) {
      moved = g_list_prepend (moved, c);
      g_hash_table_iter_steal (&iter);
    }
  }
  moved = g_list_reverse (moved);
  for (l = moved; l; l = l->next) {
    RtcSctpChannel *c = l->data;
    gint sid = allocate_sid_locked (self);

    if (sid < 0) {
      /* Out of ids: the channel closes. */
      l->data = NULL;
      c->closing = TRUE;
      g_mutex_unlock (&self->lock);
      gst_rtc_data_channel_set_ready_state (GST_RTC_DATA_CHANNEL (c),
          GST_RTC_DATA_CHANNEL_STATE_CLOSED);
      g_object_unref (c);
      g_mutex_lock (&self->lock);
      continue;
    }
    c->sid = sid;
    g_hash_table_insert (self->channels, GUINT_TO_POINTER (sid), c);
  }
  g_mutex_unlock (&self->lock);
  for (l = moved; l; l = l->next)
    if (l->data)
      gst_rtc_data_channel_set_id (l->data, RTC_SCTP_CHANNEL (l->data)->sid);
  g_list_free (moved);
}

gboolean
rtc_sctp_association_start (RtcSctpAssociation *self, GError **error)
{
  struct sockaddr_conn sconn = { 0 };

  g_mutex_lock (&self->lock);
  if (!self->sock || self->state != GST_RTC_SCTP_TRANSPORT_STATE_NEW) {
    gboolean ok = self->sock
        && self->state != GST_RTC_SCTP_TRANSPORT_STATE_CLOSED;
    g_mutex_unlock (&self->lock);
    if (!ok)
      g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_SCTP_FAILURE,
          "the SCTP association is closed");
    return ok;
  }
  self->state = GST_RTC_SCTP_TRANSPORT_STATE_CONNECTING;
  g_mutex_unlock (&self->lock);
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0,
      GST_RTC_SCTP_TRANSPORT_STATE_CONNECTING);

  sconn.sconn_family = AF_CONN;
  sconn.sconn_port = htons (self->remote_port);
  sconn.sconn_addr = self;
  /* Both ends connect: SCTP resolves the collision of INITs. */
  if (usrsctp_connect (self->sock, (struct sockaddr *)&sconn, sizeof (sconn))
          < 0
      && errno != EINPROGRESS) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_SCTP_FAILURE,
        "SCTP connect failed: %s", g_strerror (errno));
    set_state (self, GST_RTC_SCTP_TRANSPORT_STATE_CLOSED);
    return FALSE;
  }
  for (;;) {
    GBytes *packet;
    gsize len;
    const guint8 *data;

    g_mutex_lock (&self->lock);
    packet = g_queue_pop_head (&self->early);
    if (!packet)
      self->connected_once = TRUE;
    g_mutex_unlock (&self->lock);
    if (!packet)
      break;
    data = g_bytes_get_data (packet, &len);
    g_rec_mutex_lock (&self->input_lock);
    usrsctp_conninput (self, data, len, 0);
    g_rec_mutex_unlock (&self->input_lock);
    g_bytes_unref (packet);
  }
  return TRUE;
}

/* A one-to-one socket that has not connected answers an INIT with an
 * ABORT; the peer's INIT can arrive before our start(), so packets are
 * held until then (a few: the peer retransmits anyway). */
#define MAX_EARLY_PACKETS 16

void
rtc_sctp_association_input (RtcSctpAssociation *self, const guint8 *packet,
    gsize len)
{
  g_return_if_fail (RTC_IS_SCTP_ASSOCIATION (self));
  g_mutex_lock (&self->lock);
  if (!self->connected_once) {
    if (self->early.length < MAX_EARLY_PACKETS)
      g_queue_push_tail (&self->early, g_bytes_new (packet, len));
    g_mutex_unlock (&self->lock);
    return;
  }
  g_mutex_unlock (&self->lock);
  rtc_sctp_association_begin_output_batch (self);
  g_rec_mutex_lock (&self->input_lock);
  if (self->sock)
    usrsctp_conninput (self, packet, len, 0);
  g_rec_mutex_unlock (&self->input_lock);
  rtc_sctp_association_end_output_batch (self);
}

static void
close_socket (RtcSctpAssociation *self)
{
  struct socket *sock;

  g_rec_mutex_lock (&self->send_lock);
  g_mutex_lock (&self->lock);
  sock = self->sock;
  self->sock = NULL;
  g_mutex_unlock (&self->lock);
  g_rec_mutex_unlock (&self->send_lock);

  g_rec_mutex_lock (&self->input_lock);
  g_rec_mutex_lock (&timer_lock);
  if (sock) {
    /* Callbacks from here on find no association; the ABORT still
     * leaves through the output, as we are live until below. */
    usrsctp_set_ulpinfo (sock, NULL);
    usrsctp_close (sock);
  }
  g_rw_lock_writer_lock (&live_lock);
  if (live)
    g_hash_table_remove (live, self);
  g_rw_lock_writer_unlock (&live_lock);
  g_rec_mutex_unlock (&timer_lock);
  g_rec_mutex_unlock (&self->input_lock);
  if (sock)
    usrsctp_deregister_address (self);
}

void
rtc_sctp_association_abort (RtcSctpAssociation *self)
{
  g_return_if_fail (RTC_IS_SCTP_ASSOCIATION (self));
  close_socket (self);
  set_state (self, GST_RTC_SCTP_TRANSPORT_STATE_CLOSED);
  close_all_channels (self, NULL);
}

void
rtc_sctp_association_set_max_message_size (RtcSctpAssociation *self,
    guint32 local, guint32 remote)
{
  g_mutex_lock (&self->lock);
  self->max_message_size = local;
  self->remote_max_message_size = remote;
  g_mutex_unlock (&self->lock);
}

GstRtcSctpTransportState
rtc_sctp_association_get_state (RtcSctpAssociation *self)
{
  GstRtcSctpTransportState state;

  g_mutex_lock (&self->lock);
  state = self->state;
  g_mutex_unlock (&self->lock);
  return state;
}

gboolean
rtc_sctp_association_get_interleaving (RtcSctpAssociation *self)
{
  gboolean ret;

  g_mutex_lock (&self->lock);
  ret = self->interleaving;
  g_mutex_unlock (&self->lock);
  return ret;
}

/**
 * rtc_sctp_channel_get_counters:
 * @channel: a channel
 * @counters: (out): its message counters
 *
 * What the channel handed to SCTP and delivered so far; the counts stay
 * once the channel is closed.
 */
void
rtc_sctp_channel_get_counters (RtcSctpChannel *channel,
    RtcSctpChannelCounters *counters)
{
  RtcSctpAssociation *assoc = g_weak_ref_get (&channel->assoc);

  /* Written under the association's lock only, and never once it is
   * gone. */
  if (assoc)
    g_mutex_lock (&assoc->lock);
  counters->messages_sent = channel->messages_sent;
  counters->bytes_sent = channel->bytes_sent;
  counters->messages_received = channel->messages_received;
  counters->bytes_received = channel->bytes_received;
  if (assoc) {
    g_mutex_unlock (&assoc->lock);
    g_object_unref (assoc);
  }
}

GstStructure *
rtc_sctp_association_get_stats (RtcSctpAssociation *self)
{
  GstStructure *s;

  g_mutex_lock (&self->lock);
  s = gst_structure_new ("application/x-rtc-sctp-stats", "state", G_TYPE_INT,
      self->state, "channels", G_TYPE_UINT, g_hash_table_size (self->channels),
      "interleaving", G_TYPE_BOOLEAN, self->interleaving, "messages-sent",
      G_TYPE_UINT64, self->stats.messages_sent, "bytes-sent", G_TYPE_UINT64,
      self->stats.bytes_sent, "messages-received", G_TYPE_UINT64,
      self->stats.messages_received, "bytes-received", G_TYPE_UINT64,
      self->stats.bytes_received, "dropped-dcep-invalid", G_TYPE_UINT64,
      self->stats.dropped_dcep, "dropped-unknown-ppid", G_TYPE_UINT64,
      self->stats.dropped_ppid, "dropped-oversize", G_TYPE_UINT64,
      self->stats.dropped_oversize, "dropped-unopened-stream", G_TYPE_UINT64,
      self->stats.dropped_unopened, "dropped-invalid-utf8", G_TYPE_UINT64,
      self->stats.dropped_utf8, "send-errors", G_TYPE_UINT64,
      self->stats.send_errors, NULL);
  g_mutex_unlock (&self->lock);
  return s;
}

gboolean
rtc_sctp_association_send_raw (RtcSctpAssociation *self, guint16 sid,
    guint32 ppid, const guint8 *data, gsize len)
{
  gboolean ok;

  g_rec_mutex_lock (&self->send_lock);
  ok = self->sock && sctp_send (self, sid, ppid, data, len, FALSE, -1, -1) >= 0;
  g_rec_mutex_unlock (&self->send_lock);
  return ok;
}

RtcSctpAssociation *
rtc_sctp_association_lookup (guint id)
{
  RtcSctpAssociation *assoc = NULL;

  g_mutex_lock (&global_lock);
  if (registry)
    assoc = g_hash_table_lookup (registry, GUINT_TO_POINTER (id));
  if (assoc)
    g_object_ref (assoc);
  g_mutex_unlock (&global_lock);
  return assoc;
}

void
rtc_sctp_association_register (RtcSctpAssociation *self, guint id)
{
  g_mutex_lock (&global_lock);
  if (!registry)
    registry = g_hash_table_new (NULL, NULL);
  self->registry_id = id + 1;
  g_hash_table_insert (registry, GUINT_TO_POINTER (id), self);
  g_mutex_unlock (&global_lock);
}

void
rtc_sctp_association_unregister (RtcSctpAssociation *self)
{
  g_mutex_lock (&global_lock);
  if (self->registry_id && registry
      && g_hash_table_lookup (registry,
             GUINT_TO_POINTER (self->registry_id - 1))
          == self)
    g_hash_table_remove (registry, GUINT_TO_POINTER (self->registry_id - 1));
  self->registry_id = 0;
  g_mutex_unlock (&global_lock);
}

static void
rtc_sctp_association_dispose (GObject *object)
{
  RtcSctpAssociation *self = RTC_SCTP_ASSOCIATION (object);

  rtc_sctp_association_unregister (self);
  close_socket (self);
  close_all_channels (self, NULL);
  rtc_sctp_association_set_output (self, NULL, NULL, NULL);
  G_OBJECT_CLASS (rtc_sctp_association_parent_class)->dispose (object);
}

static void
rtc_sctp_association_finalize (GObject *object)
{
  RtcSctpAssociation *self = RTC_SCTP_ASSOCIATION (object);

  g_queue_clear_full (&self->early, (GDestroyNotify)g_bytes_unref);
  g_hash_table_unref (self->channels);
  g_hash_table_unref (self->reassembly);
  g_array_unref (self->pending_resets);
  g_mutex_clear (&self->lock);
  g_rec_mutex_clear (&self->send_lock);
  g_rec_mutex_clear (&self->input_lock);
  G_OBJECT_CLASS (rtc_sctp_association_parent_class)->finalize (object);
  global_unref ();
}

static void
rtc_sctp_association_class_init (RtcSctpAssociationClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->dispose = rtc_sctp_association_dispose;
  gobject_class->finalize = rtc_sctp_association_finalize;

  /* A channel the peer opened, before its on-open. */
  signals[SIGNAL_ON_DATA_CHANNEL] = g_signal_new ("on-data-channel",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, GST_TYPE_RTC_DATA_CHANNEL);
  signals[SIGNAL_STATE_CHANGED] = g_signal_new ("state-changed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, GST_TYPE_RTC_SCTP_TRANSPORT_STATE);
}

static void
rtc_sctp_association_init (RtcSctpAssociation *self)
{
  g_mutex_init (&self->lock);
  g_rec_mutex_init (&self->send_lock);
  g_rec_mutex_init (&self->input_lock);
  self->state = GST_RTC_SCTP_TRANSPORT_STATE_NEW;
  self->max_message_size = RTC_SCTP_DEFAULT_MAX_MESSAGE_SIZE;
  self->remote_max_message_size = RTC_SCTP_DEFAULT_REMOTE_MAX_MESSAGE_SIZE;
  self->channels = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->reassembly = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify)g_byte_array_unref);
  self->pending_resets = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_queue_init (&self->ready);
}
