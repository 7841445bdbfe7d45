/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * ice-peer: one RtcIceTransport in the network namespace it is started in,
 * for the NAT lab's ICE matrix (test-ice-matrix.py). It gathers with the
 * given STUN and TURN servers, connects to a second ice-peer, exchanges
 * RTP-shaped packets both ways and reports the selected pair.
 *
 * Signalling is a line protocol: this side's lines go to stdout, the
 * peer's are read from stdin, so two peers connect by wiring each one's
 * stdout to the other's stdin:
 *
 *   ufrag UFRAG               local credentials, printed first
 *   pwd PWD
 *   candidate candidate:...   one local candidate, trickled as found
 *   end-of-candidates         gathering is over
 *   sent                      every packet sent once
 *   nack A-B C ...            these of the peer's packets did not come:
 *                             send them again
 *   done                      every packet sent, and every one of the
 *                             peer's received intact
 *
 * Lines starting with '#' are reports for whoever runs the peers and are
 * ignored on input:
 *
 *   # connected MS            first connected state, MS after gathering began
 *   # selected LTYPE LADDR:LPORT RTYPE RADDR:RPORT
 *   # packets sent=N resent=N received=N duplicates=N invalid=N
 *   # missing A-B C ...       packets never received, if any
 *   # result ok | # result fail REASON
 *
 * Each packet's size and content follow from its sequence number and the
 * sender's role, so the receiver checks every byte. A side finishes once it
 * has said `done` and read the peer's `done`: neither leaves while the
 * other still needs it. Exit status: 0 on success, 1 on failure (including
 * the --timeout), 2 on bad arguments.
 */
#include <gst/gst.h>
#include <stdio.h>
#include <string.h>

#include "rtcicetransport.h"

#define RTP_HEADER_LEN 12
#define RTP_PAYLOAD_TYPE 96
/* Between a small audio and a full video packet. */
#define MIN_PACKET_LEN 160
#define MAX_PACKET_LEN 1200
#define SEND_INTERVAL_MS 2
/* How long after the peer's `sent` its missing packets are asked again. */
#define NACK_INTERVAL_MS 250
#define CONTROLLING_SSRC 0x1ce0c0a1u
#define CONTROLLED_SSRC 0x1ce0c0b2u

#define ICE_TYPE_PEER (ice_peer_get_type ())
G_DECLARE_FINAL_TYPE (IcePeer, ice_peer, ICE, PEER, GObject)

struct _IcePeer {
  GObject parent;

  RtcIceTransport *transport;
  GMainLoop *loop;
  guint packets;
  guint32 local_ssrc, remote_ssrc;
  gint64 gather_started;

  /* Main thread only. */
  gchar *remote_ufrag, *remote_pwd;
  gboolean connected;
  guint sent, resent;
  GQueue resend; /* sequence numbers the peer asked again, as pointers */
  guint send_source, stdin_source, timeout_source, nack_source;
  gboolean sent_said, done_said, remote_sent, remote_done;
  gboolean finished, ok;

  /* Written on the ICE thread (receive callback), read on the main one. */
  GMutex lock;
  guint8 *seen; /* one flag per sequence number */
  guint received, duplicates, invalid;
};

G_DEFINE_TYPE (IcePeer, ice_peer, G_TYPE_OBJECT);

static void
ice_peer_init (IcePeer *self)
{
  g_mutex_init (&self->lock);
}

static void
ice_peer_finalize (GObject *object)
{
  IcePeer *self = ICE_PEER (object);

  g_free (self->remote_ufrag);
  g_free (self->remote_pwd);
  g_free (self->seen);
  g_queue_clear (&self->resend);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (ice_peer_parent_class)->finalize (object);
}

static void
ice_peer_class_init (IcePeerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ice_peer_finalize;
}

/* Lines come from the main thread and the ICE thread: each is written
 * whole and flushed at once, as the peer waits for it. */
static void say (const gchar *format, ...) G_GNUC_PRINTF (1, 2);

static void
say (const gchar *format, ...)
{
  static GMutex out_lock;
  va_list args;

  g_mutex_lock (&out_lock);
  va_start (args, format);
  vfprintf (stdout, format, args);
  va_end (args);
  fputc ('\n', stdout);
  fflush (stdout);
  g_mutex_unlock (&out_lock);
}

/* ---- packets ---- */

static gsize
packet_len (guint seq)
{
  return MIN_PACKET_LEN + (seq * 53) % (MAX_PACKET_LEN - MIN_PACKET_LEN + 1);
}

static guint8
payload_byte (guint32 ssrc, guint seq, gsize i)
{
  return (guint8)(ssrc + seq * 31 + i * 7);
}

static gsize
make_packet (guint8 *buf, guint32 ssrc, guint seq)
{
  gsize len = packet_len (seq), i;

  buf[0] = 0x80;
  buf[1] = RTP_PAYLOAD_TYPE;
  GST_WRITE_UINT16_BE (buf + 2, seq);
  GST_WRITE_UINT32_BE (buf + 4, seq * 960);
  GST_WRITE_UINT32_BE (buf + 8, ssrc);
  for (i = RTP_HEADER_LEN; i < len; i++)
    buf[i] = payload_byte (ssrc, seq, i);
  return len;
}

/* The sequence number of an intact packet of the peer's, or -1. */
static gint
check_packet (IcePeer *self, const guint8 *data, gsize len)
{
  guint seq;
  gsize i;

  if (len < RTP_HEADER_LEN || data[0] != 0x80 || data[1] != RTP_PAYLOAD_TYPE
      || GST_READ_UINT32_BE (data + 8) != self->remote_ssrc)
    return -1;
  seq = GST_READ_UINT16_BE (data + 2);
  if (seq >= self->packets || len != packet_len (seq)
      || GST_READ_UINT32_BE (data + 4) != seq * 960)
    return -1;
  for (i = RTP_HEADER_LEN; i < len; i++) {
    if (data[i] != payload_byte (self->remote_ssrc, seq, i))
      return -1;
  }
  return (gint)seq;
}

static void check_progress (IcePeer *self);

static gboolean
progress_idle (gpointer data)
{
  check_progress (data);
  return G_SOURCE_REMOVE;
}

/* ICE thread. Duplicates are counted apart: a packet asked again may
 * have been late rather than lost. */
static void
on_packet (gpointer owner, const guint8 *data, gsize len)
{
  IcePeer *self = owner;
  gint seq = check_packet (self, data, len);
  gboolean all;

  g_mutex_lock (&self->lock);
  if (seq < 0) {
    self->invalid++;
  } else if (self->seen[seq]) {
    self->duplicates++;
  } else {
    self->seen[seq] = 1;
    self->received++;
  }
  all = self->received == self->packets;
  g_mutex_unlock (&self->lock);
  if (all)
    g_idle_add_full (G_PRIORITY_DEFAULT, progress_idle, g_object_ref (self),
        g_object_unref);
}

/* ---- outcome ---- */

static void
report_pair (IcePeer *self)
{
  RtcIceCandidate *local, *remote;

  if (!rtc_ice_transport_get_selected_pair (self->transport, &local, &remote)) {
    say ("# selected none");
    return;
  }
  say ("# selected %s %s:%u %s %s:%u",
      rtc_ice_candidate_type_to_string (local->type), local->address,
      local->port, rtc_ice_candidate_type_to_string (remote->type),
      remote->address, remote->port);
  rtc_ice_candidate_free (local);
  rtc_ice_candidate_free (remote);
}

/* The sequence numbers not received yet, as ranges after @prefix; %NULL
 * when none is missing. */
static gchar *
format_missing (IcePeer *self, const gchar *prefix)
{
  GString *s = g_string_new (prefix);
  guint seq, first;
  gboolean any = FALSE;

  g_mutex_lock (&self->lock);
  for (seq = 0; seq < self->packets; seq++) {
    if (self->seen[seq])
      continue;
    for (first = seq; seq + 1 < self->packets && !self->seen[seq + 1]; seq++)
      ;
    if (first == seq)
      g_string_append_printf (s, " %u", seq);
    else
      g_string_append_printf (s, " %u-%u", first, seq);
    any = TRUE;
  }
  g_mutex_unlock (&self->lock);
  return g_string_free (s, !any);
}

static void
finish (IcePeer *self, gboolean ok, const gchar *reason)
{
  guint received, duplicates, invalid;
  gchar *missing;

  if (self->finished)
    return;
  self->finished = TRUE;
  self->ok = ok;
  g_mutex_lock (&self->lock);
  received = self->received;
  duplicates = self->duplicates;
  invalid = self->invalid;
  g_mutex_unlock (&self->lock);
  report_pair (self);
  say ("# packets sent=%u resent=%u received=%u duplicates=%u invalid=%u",
      self->sent, self->resent, received, duplicates, invalid);
  /* Where in the run packets were lost says why: before the path was up,
   * or under load. */
  missing = format_missing (self, "# missing");
  if (missing)
    say ("%s", missing);
  g_free (missing);
  if (ok)
    say ("# result ok");
  else
    say ("# result fail %s", reason);
  g_main_loop_quit (self->loop);
}

/* Main thread: says `done` once this side's part is over, and finishes
 * once the peer's is too. */
static void
check_progress (IcePeer *self)
{
  guint received, invalid;

  if (self->finished)
    return;
  g_mutex_lock (&self->lock);
  received = self->received;
  invalid = self->invalid;
  g_mutex_unlock (&self->lock);
  if (!self->done_said && self->sent_said && received == self->packets) {
    self->done_said = TRUE;
    say ("done");
  }
  if (self->done_said && self->remote_done)
    finish (self, invalid == 0, "invalid packets received");
}

/* ---- sending ---- */

/* One packet every SEND_INTERVAL_MS at most, a video call's rate: in bursts,
 * a receiver (or coturn) kept off the CPU for a few tens of milliseconds on
 * a busy machine overflows its socket buffer. First every packet once, then
 * those the peer asks again. A packet the transport cannot send yet (no
 * pair selected on this side) is tried again on the next tick. */
static gboolean
send_tick (gpointer data)
{
  IcePeer *self = data;
  guint8 buf[MAX_PACKET_LEN];
  gboolean resend = self->sent == self->packets;
  guint seq;
  gsize len;

  if (resend && g_queue_is_empty (&self->resend)) {
    self->send_source = 0;
    return G_SOURCE_REMOVE;
  }
  seq = resend ? GPOINTER_TO_UINT (g_queue_peek_head (&self->resend))
               : self->sent;
  len = make_packet (buf, self->local_ssrc, seq);
  if (rtc_ice_transport_send (self->transport, buf, len)) {
    if (resend) {
      g_queue_pop_head (&self->resend);
      self->resent++;
    } else if (++self->sent == self->packets) {
      self->sent_said = TRUE;
      say ("sent");
      check_progress (self);
    }
  }
  return G_SOURCE_CONTINUE;
}

static void
start_sending (IcePeer *self)
{
  if (!self->send_source && self->connected)
    self->send_source = g_timeout_add (SEND_INTERVAL_MS, send_tick, self);
}

/* Once the peer has sent everything, asks again for what did not come,
 * over the signalling channel, as RTP's NACK would over RTCP: a packet lost
 * on a busy machine says nothing about the NATs, a packet never delivered
 * does. */
static gboolean
nack_tick (gpointer data)
{
  IcePeer *self = data;
  gchar *nack = format_missing (self, "nack");

  if (!nack) {
    self->nack_source = 0;
    return G_SOURCE_REMOVE;
  }
  say ("%s", nack);
  g_free (nack);
  return G_SOURCE_CONTINUE;
}

/* `nack A-B C ...`: queues those packets to be sent again. */
static gboolean
handle_nack (IcePeer *self, const gchar *ranges)
{
  gchar **items = g_strsplit (ranges, " ", -1);
  gboolean ok = TRUE;
  guint i;

  for (i = 0; ok && items[i]; i++) {
    guint64 first, last;
    gchar *end;

    first = last = g_ascii_strtoull (items[i], &end, 10);
    if (*end == '-')
      last = g_ascii_strtoull (end + 1, &end, 10);
    ok = end != items[i] && *end == '\0' && first <= last && last < self->sent;
    for (; ok && first <= last; first++)
      g_queue_push_tail (&self->resend, GUINT_TO_POINTER ((guint)first));
  }
  g_strfreev (items);
  start_sending (self);
  return ok;
}

/* ---- transport signals ---- */

static gboolean
state_idle (gpointer data)
{
  IcePeer *self = data;
  RtcIceTransportState state = rtc_ice_transport_get_state (self->transport);

  if (self->finished)
    return G_SOURCE_REMOVE;
  if (!self->connected
      && (state == RTC_ICE_TRANSPORT_STATE_CONNECTED
          || state == RTC_ICE_TRANSPORT_STATE_COMPLETED)) {
    self->connected = TRUE;
    say ("# connected %" G_GINT64_FORMAT,
        (g_get_monotonic_time () - self->gather_started) / 1000);
    start_sending (self);
  } else if (state == RTC_ICE_TRANSPORT_STATE_FAILED) {
    finish (self, FALSE, "ICE failed");
  }
  return G_SOURCE_REMOVE;
}

/* ICE thread: the state is read again on the main thread. */
static void
on_state (GObject *transport, GParamSpec *pspec, IcePeer *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, state_idle, g_object_ref (self),
      g_object_unref);
}

static void
on_candidate (RtcIceTransport *transport, guint component, const gchar *line,
    IcePeer *self)
{
  say ("candidate %s", line);
}

static void
on_end_of_candidates (RtcIceTransport *transport, IcePeer *self)
{
  say ("end-of-candidates");
}

static void
on_candidate_error (RtcIceTransport *transport, const gchar *url, guint code,
    const gchar *text, IcePeer *self)
{
  say ("# candidate-error %s %u %s", url, code, text);
}

/* ---- the peer's lines ---- */

static void
handle_line (IcePeer *self, const gchar *line)
{
  GError *error = NULL;
  gboolean ok = TRUE;

  if (line[0] == '\0' || line[0] == '#')
    return;
  if (g_str_has_prefix (line, "ufrag ") && !self->remote_ufrag) {
    self->remote_ufrag = g_strdup (line + 6);
    /* The credentials go in once both halves are there. */
    if (self->remote_pwd)
      ok = rtc_ice_transport_set_remote_credentials (self->transport,
          self->remote_ufrag, self->remote_pwd, &error);
  } else if (g_str_has_prefix (line, "pwd ") && !self->remote_pwd) {
    self->remote_pwd = g_strdup (line + 4);
    if (self->remote_ufrag)
      ok = rtc_ice_transport_set_remote_credentials (self->transport,
          self->remote_ufrag, self->remote_pwd, &error);
  } else if (g_str_has_prefix (line, "candidate ")) {
    ok = rtc_ice_transport_add_remote_candidate (self->transport, line + 10,
        &error);
  } else if (strcmp (line, "end-of-candidates") == 0) {
    rtc_ice_transport_end_of_remote_candidates (self->transport);
  } else if (strcmp (line, "sent") == 0 && !self->remote_sent) {
    self->remote_sent = TRUE;
    self->nack_source = g_timeout_add (NACK_INTERVAL_MS, nack_tick, self);
  } else if (g_str_has_prefix (line, "nack ")) {
    if (!handle_nack (self, line + 5))
      finish (self, FALSE, "bad nack line from the peer");
  } else if (strcmp (line, "done") == 0) {
    self->remote_done = TRUE;
    check_progress (self);
  } else {
    gchar *reason = g_strdup_printf ("unexpected line from the peer: %s", line);

    finish (self, FALSE, reason);
    g_free (reason);
  }
  if (!ok) {
    finish (self, FALSE, error->message);
    g_clear_error (&error);
  }
}

static gboolean
on_stdin (GIOChannel *channel, GIOCondition condition, gpointer data)
{
  IcePeer *self = data;
  GIOStatus status;

  do {
    gchar *line = NULL;
    gsize len = 0, end = 0;

    status = g_io_channel_read_line (channel, &line, &len, &end, NULL);
    if (status == G_IO_STATUS_NORMAL) {
      line[end] = '\0';
      handle_line (self, line);
    }
    g_free (line);
  } while (status == G_IO_STATUS_NORMAL && !self->finished);

  if (status == G_IO_STATUS_EOF || status == G_IO_STATUS_ERROR) {
    if (!self->remote_done)
      finish (self, FALSE, "the peer hung up");
    self->stdin_source = 0;
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_timeout (gpointer data)
{
  IcePeer *self = data;
  gchar *reason;
  guint received;

  g_mutex_lock (&self->lock);
  received = self->received;
  g_mutex_unlock (&self->lock);
  if (!self->connected)
    reason = g_strdup ("timed out: not connected");
  else
    reason = g_strdup_printf ("timed out: sent %u, received %u of %u%s",
        self->sent, received, self->packets,
        self->done_said ? ", waiting for the peer" : "");
  self->timeout_source = 0;
  finish (self, FALSE, reason);
  g_free (reason);
  return G_SOURCE_REMOVE;
}

static gchar *opt_role, *opt_stun, **opt_turn;
static gint opt_packets = 300, opt_timeout = 20;

static GOptionEntry options[]
    = { { "role", 0, 0, G_OPTION_ARG_STRING, &opt_role,
            "ICE role: controlling or controlled", "ROLE" },
        { "stun", 0, 0, G_OPTION_ARG_STRING, &opt_stun,
            "STUN server, stun://IP:PORT", "URI" },
        { "turn", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_turn,
            "TURN server, turn://USER:PASS@IP:PORT?transport=udp (repeatable)",
            "URI" },
        { "packets", 0, 0, G_OPTION_ARG_INT, &opt_packets,
            "Packets to send and to receive (1-65535, default 300)", "N" },
        { "timeout", 0, 0, G_OPTION_ARG_INT, &opt_timeout,
            "Give up after this many seconds (default 20)", "S" },
        { NULL } };

int
main (int argc, char **argv)
{
  GOptionContext *ctx;
  GError *error = NULL;
  IcePeer *self;
  gchar *ufrag, *pwd;
  GIOChannel *in;
  gboolean controlling, ok;
  guint i;

  ctx = g_option_context_new ("- one ICE agent of the NAT lab's matrix");
  g_option_context_add_main_entries (ctx, options, NULL);
  ok = g_option_context_parse (ctx, &argc, &argv, &error);
  g_option_context_free (ctx);
  if (ok
      && (!opt_role
          || (strcmp (opt_role, "controlling") != 0
              && strcmp (opt_role, "controlled") != 0)))
    g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "--role controlling or --role controlled is required");
  else if (ok && (opt_packets < 1 || opt_packets > 65535))
    g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "--packets must be 1 to 65535");
  else if (ok && opt_timeout < 1)
    g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "--timeout must be at least 1");
  if (error) {
    g_printerr ("ice-peer: %s\n", error->message);
    g_clear_error (&error);
    return 2;
  }
  controlling = strcmp (opt_role, "controlling") == 0;
  /* stdout carries the signalling: debug messages (libnice's, with
   * G_MESSAGES_DEBUG) go to stderr. */
#if GLIB_CHECK_VERSION(2, 68, 0)
  g_log_writer_default_set_use_stderr (TRUE);
#endif
  /* No plugin is used: no registry to load, scan or write. */
  g_setenv ("GST_REGISTRY_DISABLE", "yes", FALSE);
  gst_init (NULL, NULL);

  self = g_object_new (ICE_TYPE_PEER, NULL);
  self->loop = g_main_loop_new (NULL, FALSE);
  self->packets = (guint)opt_packets;
  self->seen = g_malloc0 (self->packets);
  self->local_ssrc = controlling ? CONTROLLING_SSRC : CONTROLLED_SSRC;
  self->remote_ssrc = controlling ? CONTROLLED_SSRC : CONTROLLING_SSRC;

  /* UDP only: the matrix is about UDP NAT behaviour, and TCP candidates
   * behind these NATs could never be reached anyway. */
  self->transport = g_object_new (RTC_TYPE_ICE_TRANSPORT, "controlling",
      controlling, "ice-tcp", FALSE, NULL);
  ok = !opt_stun
      || rtc_ice_transport_set_stun_server (self->transport, opt_stun, &error);
  for (i = 0; ok && opt_turn && opt_turn[i]; i++)
    ok = rtc_ice_transport_add_turn_server (self->transport, opt_turn[i],
        &error);
  if (!ok) {
    g_printerr ("ice-peer: %s\n", error->message);
    g_clear_error (&error);
    g_object_unref (self->transport);
    g_main_loop_unref (self->loop);
    g_object_unref (self);
    return 2;
  }
  rtc_ice_transport_set_receiver (self->transport, on_packet, G_OBJECT (self));
  g_signal_connect (self->transport, "on-ice-candidate",
      G_CALLBACK (on_candidate), self);
  g_signal_connect (self->transport, "on-end-of-candidates",
      G_CALLBACK (on_end_of_candidates), self);
  g_signal_connect (self->transport, "on-ice-candidate-error",
      G_CALLBACK (on_candidate_error), self);
  g_signal_connect (self->transport, "notify::state", G_CALLBACK (on_state),
      self);

  rtc_ice_transport_get_local_credentials (self->transport, &ufrag, &pwd);
  say ("ufrag %s", ufrag);
  say ("pwd %s", pwd);
  g_free (ufrag);
  g_free (pwd);

  in = g_io_channel_unix_new (0);
  g_io_channel_set_flags (in, G_IO_FLAG_NONBLOCK, NULL);
  self->stdin_source = g_io_add_watch (in, G_IO_IN | G_IO_HUP | G_IO_ERR,
      on_stdin, self);
  self->timeout_source = g_timeout_add_seconds ((guint)opt_timeout, on_timeout,
      self);

  self->gather_started = g_get_monotonic_time ();
  if (!rtc_ice_transport_gather (self->transport, &error)) {
    finish (self, FALSE, error->message);
    g_clear_error (&error);
  } else {
    g_main_loop_run (self->loop);
  }
  ok = self->ok;

  g_clear_handle_id (&self->send_source, g_source_remove);
  g_clear_handle_id (&self->nack_source, g_source_remove);
  g_clear_handle_id (&self->stdin_source, g_source_remove);
  g_clear_handle_id (&self->timeout_source, g_source_remove);
  /* Disconnected first: closing notifies the state, and nothing is left
   * to run the idle that would queue. */
  g_signal_handlers_disconnect_by_data (self->transport, self);
  rtc_ice_transport_close (self->transport);
  g_object_unref (self->transport);
  g_io_channel_unref (in);
  g_main_loop_unref (self->loop);
  g_object_unref (self);
  g_free (opt_role);
  g_free (opt_stun);
  g_strfreev (opt_turn);
  return ok ? 0 : 1;
}
