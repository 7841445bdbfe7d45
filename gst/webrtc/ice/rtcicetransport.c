/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * An ICE transport (RFC 8445) shaped like the W3C RTCIceTransport, on a
 * libnice NiceAgent in RFC 5245 mode: one stream with one component, as
 * WebRTC always bundles and multiplexes RTCP (RFC 8843, RFC 5761).
 *
 * Threading: every agent of the process runs on one shared GMainContext
 * thread (`rtc-ice`). Every libnice call that may emit an agent signal is
 * made on that thread, so all of this object's signals and the receive
 * callback come from it, in order. Public calls validate their input in the
 * caller's thread (so errors are synchronous GErrors) and queue the work
 * there. Only sending is done directly from the caller's (streaming)
 * thread: nice_agent_send() emits nothing for our use of it.
 *
 * The agent's signal handlers and receive callback hold the transport by a
 * weak reference, so the transport may be dropped from any thread while
 * the ICE thread is delivering; the agent itself is closed (releasing TURN
 * allocations) and freed on the ICE thread.
 */
#include "rtcicetransport.h"
#include "rtcicemdns.h"
#include "rtciceturntls.h"
#include "rtciceuri.h"

#include <nice/agent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

GST_DEBUG_CATEGORY_STATIC (rtc_ice_transport_debug);
#define GST_CAT_DEFAULT rtc_ice_transport_debug

/* The only component: RTP and RTCP share it. */
#define COMPONENT_ID 1

/* Liveness (see compute_state_locked()). libnice 0.1.21 sends an RFC 7675
 * consent check on the selected pair every 4 to 6 s and fails the component
 * when no answer came for 10 s (a hard-coded bound, within RFC 7675's 30 s
 * ceiling); it neither retransmits nor reports late answers. Inbound
 * packets, media and STUN alike, are watched on the component's UDP
 * sockets. While the peer has been sending steadily (gaps under
 * FLOW_GAP_US for at least FLOW_MIN_US), SILENCE_US without any inbound
 * packet means `disconnected`; any packet brings `connected` back. Consent
 * traffic alone comes every few seconds and never counts as a steady flow,
 * so an idle transport does not flap: its only loss signal is libnice's
 * consent expiry, straight to `failed`. */
#define FLOW_GAP_US (500 * G_TIME_SPAN_MILLISECOND)
#define FLOW_MIN_US (1 * G_TIME_SPAN_SECOND)
#define SILENCE_US (2 * G_TIME_SPAN_SECOND)
#define LIVENESS_TICK_MS 100

/* Socket buffers of the component's UDP sockets. The default (about
 * 200 kB) holds ~150 packets of 1200 bytes, a few milliseconds of a
 * video burst at 60k packets/s; this holds about 850. The kernel caps it
 * at net.core.rmem_max / wmem_max, and memory is used only while
 * packets wait. */
#define SOCKET_BUFFER_BYTES (1024 * 1024)

G_DEFINE_ENUM_TYPE (RtcIceTransportState, rtc_ice_transport_state,
    G_DEFINE_ENUM_VALUE (RTC_ICE_TRANSPORT_STATE_NEW, "new"),
    G_DEFINE_ENUM_VALUE (RTC_ICE_TRANSPORT_STATE_CHECKING, "checking"),
    G_DEFINE_ENUM_VALUE (RTC_ICE_TRANSPORT_STATE_CONNECTED, "connected"),
    G_DEFINE_ENUM_VALUE (RTC_ICE_TRANSPORT_STATE_COMPLETED, "completed"),
    G_DEFINE_ENUM_VALUE (RTC_ICE_TRANSPORT_STATE_DISCONNECTED, "disconnected"),
    G_DEFINE_ENUM_VALUE (RTC_ICE_TRANSPORT_STATE_FAILED, "failed"),
    G_DEFINE_ENUM_VALUE (RTC_ICE_TRANSPORT_STATE_CLOSED, "closed"));

G_DEFINE_ENUM_TYPE (RtcIceGatheringState, rtc_ice_gathering_state,
    G_DEFINE_ENUM_VALUE (RTC_ICE_GATHERING_STATE_NEW, "new"),
    G_DEFINE_ENUM_VALUE (RTC_ICE_GATHERING_STATE_GATHERING, "gathering"),
    G_DEFINE_ENUM_VALUE (RTC_ICE_GATHERING_STATE_COMPLETE, "complete"));

G_DEFINE_ENUM_TYPE (RtcIceTransportPolicy, rtc_ice_transport_policy,
    G_DEFINE_ENUM_VALUE (RTC_ICE_TRANSPORT_POLICY_ALL, "all"),
    G_DEFINE_ENUM_VALUE (RTC_ICE_TRANSPORT_POLICY_RELAY, "relay"));

typedef struct {
  RtcIcePacketFunc func;
  RtcIceBurstEndFunc burst_end;
  GObject *owner;
} PacketSink;

struct _RtcIceTransport {
  GObject parent;

  NiceAgent *agent;
  guint stream_id;
  /* Shared with the agent's handlers; freed when the agent is. */
  GWeakRef *link;

  GMutex lock;
  /* Configuration, applied to the agent when gathering starts. */
  gchar **local_addresses;
  RtcIceServerUri *stun;
  GPtrArray *turn; /* RtcIceServerUri */
  gchar *tls_ca_file;
  RtcIceTransportPolicy policy;
  gboolean gather_requested;
  /* State, readable from any thread. */
  RtcIceTransportState state;
  RtcIceGatheringState gathering_state;
  RtcIceCandidate *selected_local, *selected_remote;
  PacketSink receiver;
  guint64 packets_sent, bytes_sent, packets_received, bytes_received;
  guint64 send_dropped;
  guint restarts;
  /* Local credentials, changed by restarts; the agent gets them on the ICE
   * thread. The last remote credentials, to tell a peer's restart. */
  gchar *local_ufrag, *local_pwd;
  gchar *remote_ufrag, *remote_pwd;
  /* A local restart waits for the peer's new credentials. */
  gboolean awaiting_remote_restart;
  /* Checks of a restart are running while the old pair carries data. */
  gboolean restarting;
  /* Steady inbound traffic stopped (see SILENCE_US). */
  gboolean silent;
  gchar *mid;
  guint mline_index;
  guint64 mdns_unresolved;
  /* Cancelled on close: pending mDNS lookups of remote candidates. */
  GCancellable *mdns_cancel;

  /* ICE thread only. */
  gboolean burst_pending; /* in burst_pending */
  NiceComponentState nice_state;
  gboolean was_connected;
  gboolean gather_started;
  gboolean have_remote_credentials;
  gboolean remote_end_of_candidates;
  gboolean remote_end_applied;
  GSList *pending_remote; /* NiceCandidate, until credentials and gathering */
  guint relay_candidates;
  gint64 last_inbound, flow_since;

  /* 1 while counted in checking_transports (atomic: dispose may race the
   * ICE thread). */
  gint pacing_counted;
  guint mdns_pending;
  GPtrArray *servers; /* ServerState: STUN and TURN being set up */
  guint resolving; /* host names still being resolved */
  GPtrArray *tls_bridges; /* RtcIceTurnTls, shared with the close tasks */
};

/* A configured server on its way to libnice (ICE thread only). */
typedef struct {
  const RtcIceServerUri *uri; /* owned by the transport's configuration */
  GInetAddress *address; /* once resolved */
  RtcIceTurnTls *bridge; /* turns: only; owned by tls_bridges */
  gboolean reported; /* its candidate error was emitted */
} ServerState;

static void
server_state_free (gpointer data)
{
  ServerState *st = data;

  g_clear_object (&st->address);
  g_free (st);
}

G_DEFINE_TYPE_WITH_CODE (RtcIceTransport, rtc_ice_transport, G_TYPE_OBJECT,
    GST_DEBUG_CATEGORY_INIT (rtc_ice_transport_debug, "rtcicetransport", 0,
        "ICE transport"));

enum {
  PROP_0,
  PROP_STATE,
  PROP_GATHERING_STATE,
  PROP_CONTROLLING,
  PROP_POLICY,
  PROP_ICE_TCP,
  PROP_STUN_SERVER,
  PROP_LOCAL_ADDRESSES,
  PROP_SELECTED_LOCAL,
  PROP_SELECTED_REMOTE,
  PROP_STATS,
  PROP_LOCAL_UFRAG,
  PROP_LOCAL_PWD,
  PROP_MID,
  PROP_MLINE_INDEX,
  PROP_TLS_CA_FILE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_ON_ICE_CANDIDATE,
  SIGNAL_ON_END_OF_CANDIDATES,
  SIGNAL_ON_ICE_CANDIDATE_ERROR,
  SIGNAL_GATHER,
  SIGNAL_SET_REMOTE_CREDENTIALS,
  SIGNAL_ADD_REMOTE_CANDIDATE,
  SIGNAL_END_OF_REMOTE_CANDIDATES,
  SIGNAL_ADD_TURN_SERVER,
  SIGNAL_CLOSE,
  SIGNAL_RESTART,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- shared ICE thread ---- */

static GThread *ice_thread;
static GMainLoop *ice_loop;
static GMutex ice_exit_lock;
static GCond ice_exit_cond;
static gboolean ice_thread_done;

static gpointer
ice_thread_main (gpointer data)
{
  GMainContext *ctx = data;

  /* nice_agent_close_async() completes in the thread-default context. */
  g_main_context_push_thread_default (ctx);
  g_main_loop_run (ice_loop);
  g_main_context_pop_thread_default (ctx);
  g_mutex_lock (&ice_exit_lock);
  ice_thread_done = TRUE;
  g_cond_signal (&ice_exit_cond);
  g_mutex_unlock (&ice_exit_lock);
  return NULL;
}

/* At process exit, stops the ICE thread before the libraries' destructors
 * run: libnice work still in flight (an agent closing, a keepalive) would
 * otherwise use torn-down libraries (GnuTLS for STUN message integrity) and
 * crash the exit. Bounded, so that a handler blocked on the exiting thread
 * cannot hang it. */
static void
stop_ice_thread (void)
{
  gint64 end = g_get_monotonic_time () + G_TIME_SPAN_SECOND;

  if (g_thread_self () == ice_thread)
    return;
  g_main_loop_quit (ice_loop);
  g_mutex_lock (&ice_exit_lock);
  while (!ice_thread_done
      && g_cond_wait_until (&ice_exit_cond, &ice_exit_lock, end))
    ;
  g_mutex_unlock (&ice_exit_lock);
}

/* ICE thread only: transports that delivered packets to a receiver with
 * a burst_end function since the thread last polled. */
static GPtrArray *burst_pending;

static void end_bursts (void);

/* Its prepare runs before each poll of the ICE thread: the end of what
 * one wake-up of the thread read. */
static gboolean
burst_prepare (GSource *source, gint *timeout)
{
  *timeout = -1;
  end_bursts ();
  return FALSE;
}

/* Never ready, so never dispatched. */
static gboolean
burst_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs burst_funcs = { burst_prepare, NULL, burst_dispatch, NULL,
  NULL, NULL };

static GMainContext *
ice_context (void)
{
  static GMainContext *ctx;

  if (g_once_init_enter (&ctx)) {
    GMainContext *c = g_main_context_new ();
    GSource *burst = g_source_new (&burst_funcs, sizeof (GSource));

    /* Highest priority: prepared before every poll, whatever is ready. */
    g_source_set_priority (burst, G_MININT);
    g_source_attach (burst, c);
    g_source_unref (burst);
    burst_pending = g_ptr_array_new ();
    ice_loop = g_main_loop_new (c, FALSE);
    ice_thread = g_thread_new ("rtc-ice", ice_thread_main, c);
    atexit (stop_ice_thread);
    g_once_init_leave (&ctx, c);
  }
  return ctx;
}

typedef enum {
  OP_GATHER,
  OP_CREDENTIALS,
  OP_CANDIDATE,
  OP_END_OF_CANDIDATES,
  OP_CLOSE,
  OP_RESTART,
} OpKind;

typedef struct {
  RtcIceTransport *self;
  OpKind kind;
  gchar *ufrag, *pwd;
  NiceCandidate *cand;
} Op;

static void
op_free (gpointer data)
{
  Op *op = data;

  g_object_unref (op->self);
  g_free (op->ufrag);
  g_free (op->pwd);
  if (op->cand)
    nice_candidate_free (op->cand);
  g_free (op);
}

static gboolean run_op (gpointer data);

/* Runs the operation now if called on the ICE thread (keeping the order of
 * calls made from signal handlers), else queues it there; operations
 * queued from one thread run in the order they were queued. */
static void
invoke (RtcIceTransport *self, Op *op)
{
  op->self = g_object_ref (self);
  g_main_context_invoke_full (ice_context (), G_PRIORITY_DEFAULT, run_op, op,
      op_free);
}

static Op *
op_new (OpKind kind)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  return op;
}

/* ---- candidates ---- */

static RtcIceCandidate *
candidate_from_nice (const NiceCandidate *nc)
{
  RtcIceCandidate *c = g_new0 (RtcIceCandidate, 1);
  gchar addr[NICE_ADDRESS_STRING_LEN];

  c->foundation = g_strdup (nc->foundation);
  c->component = nc->component_id;
  c->priority = nc->priority;
  nice_address_to_string (&nc->addr, addr);
  c->address = g_strdup (addr);
  c->address_is_ip = TRUE;
  c->port = (guint16)nice_address_get_port (&nc->addr);
  switch (nc->type) {
    case NICE_CANDIDATE_TYPE_HOST:
      c->type = RTC_ICE_CANDIDATE_TYPE_HOST;
      break;
    case NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE:
      c->type = RTC_ICE_CANDIDATE_TYPE_SRFLX;
      break;
    case NICE_CANDIDATE_TYPE_PEER_REFLEXIVE:
      c->type = RTC_ICE_CANDIDATE_TYPE_PRFLX;
      break;
    case NICE_CANDIDATE_TYPE_RELAYED:
      c->type = RTC_ICE_CANDIDATE_TYPE_RELAY;
      break;
  }
  switch (nc->transport) {
    case NICE_CANDIDATE_TRANSPORT_UDP:
      c->protocol = RTC_ICE_PROTOCOL_UDP;
      break;
    case NICE_CANDIDATE_TRANSPORT_TCP_ACTIVE:
      c->protocol = RTC_ICE_PROTOCOL_TCP;
      c->tcp_type = RTC_ICE_TCP_TYPE_ACTIVE;
      break;
    case NICE_CANDIDATE_TRANSPORT_TCP_PASSIVE:
      c->protocol = RTC_ICE_PROTOCOL_TCP;
      c->tcp_type = RTC_ICE_TCP_TYPE_PASSIVE;
      break;
    case NICE_CANDIDATE_TRANSPORT_TCP_SO:
      c->protocol = RTC_ICE_PROTOCOL_TCP;
      c->tcp_type = RTC_ICE_TCP_TYPE_SO;
      break;
  }
  /* RFC 8839: raddr/rport are the base of reflexive and relayed
   * candidates; host candidates carry none. */
  if (nc->type != NICE_CANDIDATE_TYPE_HOST
      && nice_address_is_valid (&nc->base_addr)) {
    nice_address_to_string (&nc->base_addr, addr);
    c->related_address = g_strdup (addr);
    c->related_port = (guint16)nice_address_get_port (&nc->base_addr);
  }
  return c;
}

static NiceCandidate *
candidate_to_nice (const RtcIceCandidate *c, guint stream_id)
{
  static const NiceCandidateType types[] = { NICE_CANDIDATE_TYPE_HOST,
    NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE, NICE_CANDIDATE_TYPE_PEER_REFLEXIVE,
    NICE_CANDIDATE_TYPE_RELAYED };
  static const NiceCandidateTransport tcp_transports[] = {
    NICE_CANDIDATE_TRANSPORT_UDP, NICE_CANDIDATE_TRANSPORT_TCP_ACTIVE,
    NICE_CANDIDATE_TRANSPORT_TCP_PASSIVE, NICE_CANDIDATE_TRANSPORT_TCP_SO
  };
  NiceCandidate *nc = nice_candidate_new (types[c->type]);

  nc->stream_id = stream_id;
  nc->component_id = c->component;
  nc->priority = c->priority;
  nc->transport = c->protocol == RTC_ICE_PROTOCOL_UDP
      ? NICE_CANDIDATE_TRANSPORT_UDP
      : tcp_transports[c->tcp_type];
  g_strlcpy (nc->foundation, c->foundation, sizeof (nc->foundation));
  /* The parser checked that this is an IP literal. */
  nice_address_set_from_string (&nc->addr, c->address);
  nice_address_set_port (&nc->addr, c->port);
  if (c->related_address
      && nice_address_set_from_string (&nc->base_addr, c->related_address))
    nice_address_set_port (&nc->base_addr, c->related_port);
  return nc;
}

/* ---- state ---- */

/* The W3C state from libnice's component state. `completed` needs the
 * checks concluded (READY) and both sides' end of candidates, as a
 * browser's ICE agent reports it. `disconnected` is a silence of a peer
 * that was sending (see SILENCE_US), `failed` libnice's consent expiry or
 * failed checks. During a restart the old pair keeps carrying data: libnice
 * reports the component gathering then connecting, still `connected` here
 * (`checking` if the restart follows a failure or a silence).
 * Called with the lock held. */
static RtcIceTransportState
compute_state_locked (RtcIceTransport *self)
{
  switch (self->nice_state) {
    case NICE_COMPONENT_STATE_GATHERING:
    case NICE_COMPONENT_STATE_CONNECTING:
      if (!self->restarting || !self->selected_local)
        return self->nice_state == NICE_COMPONENT_STATE_CONNECTING
                || self->was_connected
            ? RTC_ICE_TRANSPORT_STATE_CHECKING
            : RTC_ICE_TRANSPORT_STATE_NEW;
      /* fall through */
    case NICE_COMPONENT_STATE_CONNECTED:
      return self->silent ? RTC_ICE_TRANSPORT_STATE_DISCONNECTED
                          : RTC_ICE_TRANSPORT_STATE_CONNECTED;
    case NICE_COMPONENT_STATE_READY:
      if (self->silent)
        return RTC_ICE_TRANSPORT_STATE_DISCONNECTED;
      return self->remote_end_of_candidates
              && self->gathering_state == RTC_ICE_GATHERING_STATE_COMPLETE
          ? RTC_ICE_TRANSPORT_STATE_COMPLETED
          : RTC_ICE_TRANSPORT_STATE_CONNECTED;
    case NICE_COMPONENT_STATE_FAILED:
      return RTC_ICE_TRANSPORT_STATE_FAILED;
    case NICE_COMPONENT_STATE_DISCONNECTED:
      return self->was_connected ? RTC_ICE_TRANSPORT_STATE_DISCONNECTED
                                 : RTC_ICE_TRANSPORT_STATE_NEW;
    default:
      return RTC_ICE_TRANSPORT_STATE_NEW;
  }
}

/* ICE thread; notifies after unlocking. */
static void
update_state (RtcIceTransport *self)
{
  gboolean changed = FALSE;
  RtcIceTransportState state;

  g_mutex_lock (&self->lock);
  state = self->state;
  if (state != RTC_ICE_TRANSPORT_STATE_CLOSED) {
    state = compute_state_locked (self);
    changed = state != self->state;
    if (changed)
      GST_INFO_OBJECT (self, "state %d -> %d", self->state, state);
    self->state = state;
  }
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

static void
set_gathering_state (RtcIceTransport *self, RtcIceGatheringState state)
{
  gboolean changed;

  g_mutex_lock (&self->lock);
  changed = self->gathering_state != state;
  self->gathering_state = state;
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_GATHERING_STATE]);
}

static gboolean
is_closed (RtcIceTransport *self)
{
  gboolean closed;

  g_mutex_lock (&self->lock);
  closed = self->state == RTC_ICE_TRANSPORT_STATE_CLOSED;
  g_mutex_unlock (&self->lock);
  return closed;
}

/* ---- liveness (ICE thread) ---- */

static void
destroy_source (gpointer source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

static void
note_inbound (RtcIceTransport *self)
{
  gint64 now = g_get_monotonic_time ();

  if (now - self->last_inbound > FLOW_GAP_US)
    self->flow_since = now;
  self->last_inbound = now;
  /* Only this thread writes it: reading it unlocked is safe. */
  if (self->silent) {
    g_mutex_lock (&self->lock);
    self->silent = FALSE;
    g_mutex_unlock (&self->lock);
    GST_INFO_OBJECT (self, "peer heard again");
    update_state (self);
  }
}

static gboolean
on_socket_activity (GSocket *socket, GIOCondition cond, gpointer link)
{
  RtcIceTransport *self;

  if (cond & (G_IO_HUP | G_IO_NVAL))
    return G_SOURCE_REMOVE;
  if ((cond & G_IO_IN) && (self = g_weak_ref_get (link))) {
    note_inbound (self);
    g_object_unref (self);
  }
  return G_SOURCE_CONTINUE;
}

/* Watches the component's UDP sockets for inbound packets: libnice
 * consumes STUN (consent checks and their answers) and passes data only,
 * yet both show that the peer is there. Reads nothing: libnice's own
 * source on the same descriptor does. TCP sockets come and go with their
 * connections and are left out; their data is seen by on_recv(). The
 * sources live as long as the agent's data does. */
static void
watch_sockets (RtcIceTransport *self)
{
  GPtrArray *sockets, *sources;
  guint i;

  sockets = nice_agent_get_sockets (self->agent, self->stream_id, COMPONENT_ID);
  sources = g_ptr_array_new_with_free_func (destroy_source);
  for (i = 0; sockets && i < sockets->len; i++) {
    GSocket *sock = g_ptr_array_index (sockets, i);
    GSource *src;

    if (g_socket_get_socket_type (sock) != G_SOCKET_TYPE_DATAGRAM)
      continue;
    if (!g_socket_set_option (sock, SOL_SOCKET, SO_RCVBUF, SOCKET_BUFFER_BYTES,
            NULL)
        || !g_socket_set_option (sock, SOL_SOCKET, SO_SNDBUF,
            SOCKET_BUFFER_BYTES, NULL))
      GST_DEBUG_OBJECT (self, "cannot size the socket buffers");
    src = g_socket_create_source (sock, G_IO_IN, NULL);
    g_source_set_callback (src, G_SOURCE_FUNC (on_socket_activity), self->link,
        NULL);
    g_source_attach (src, ice_context ());
    g_ptr_array_add (sources, src);
  }
  if (sockets)
    g_ptr_array_unref (sockets);
  g_object_set_data_full (G_OBJECT (self->agent), "rtc-ice-watch", sources,
      (GDestroyNotify)g_ptr_array_unref);
}

static gboolean
liveness_tick (gpointer link)
{
  RtcIceTransport *self = g_weak_ref_get (link);
  gint64 now = g_get_monotonic_time ();

  if (!self)
    return G_SOURCE_CONTINUE;
  if (!self->silent && self->last_inbound - self->flow_since >= FLOW_MIN_US
      && now - self->last_inbound > SILENCE_US) {
    g_mutex_lock (&self->lock);
    self->silent = TRUE;
    g_mutex_unlock (&self->lock);
    GST_INFO_OBJECT (self, "nothing received for %" G_GINT64_FORMAT " ms",
        (now - self->last_inbound) / G_TIME_SPAN_MILLISECOND);
    update_state (self);
  }
  g_object_unref (self);
  return G_SOURCE_CONTINUE;
}

static void
start_liveness (RtcIceTransport *self)
{
  GSource *tick = g_timeout_source_new (LIVENESS_TICK_MS);

  g_source_set_callback (tick, liveness_tick, self->link, NULL);
  g_source_attach (tick, ice_context ());
  g_object_set_data_full (G_OBJECT (self->agent), "rtc-ice-liveness", tick,
      destroy_source);
  watch_sockets (self);
}

/* Before the agent is closed: the sources call back with the link, which
 * goes with the agent. */
static void
stop_liveness (NiceAgent *agent)
{
  g_object_set_data (G_OBJECT (agent), "rtc-ice-liveness", NULL);
  g_object_set_data (G_OBJECT (agent), "rtc-ice-watch", NULL);
}

/* ---- agent callbacks (ICE thread) ---- */

/* W3C error code for an unreachable or failing STUN/TURN server. */
#define SERVER_ERROR_CODE 701

/* Emits on-ice-candidate-error for @st, once. */
static void report_server_error (RtcIceTransport *self, ServerState *st,
    const gchar *format, ...) G_GNUC_PRINTF (3, 4);

static void
report_server_error (RtcIceTransport *self, ServerState *st,
    const gchar *format, ...)
{
  va_list args;
  gchar *url, *text;

  if (st->reported || is_closed (self))
    return;
  st->reported = TRUE;
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  url = rtc_ice_server_uri_to_string (st->uri);
  GST_WARNING_OBJECT (self, "%s: %s", url, text);
  g_signal_emit (self, signals[SIGNAL_ON_ICE_CANDIDATE_ERROR], 0, url,
      SERVER_ERROR_CODE, text);
  g_free (url);
  g_free (text);
}

/* libnice does not say why an allocation failed, nor which server a relay
 * candidate came from (nice_candidate_relay_address() crashes on the copies
 * that signals carry). What is known is reported when gathering ends: a
 * TURN-over-TLS server whose connection failed, with the reason; then, if
 * there is no relay candidate at all, every TURN server not reported yet.
 * A plain TURN server failing among several that work goes unreported. */
static void
report_turn_errors (RtcIceTransport *self)
{
  guint i;

  for (i = 0; self->servers && i < self->servers->len; i++) {
    ServerState *st = g_ptr_array_index (self->servers, i);

    if (st->bridge && rtc_ice_turn_tls_get_error (st->bridge))
      report_server_error (self, st, "TURN over TLS failed: %s",
          rtc_ice_turn_tls_get_error (st->bridge));
  }
  if (self->relay_candidates > 0)
    return;
  for (i = 0; self->servers && i < self->servers->len; i++) {
    ServerState *st = g_ptr_array_index (self->servers, i);

    if (st->uri->is_turn && st->address)
      report_server_error (self, st,
          "TURN server gave no relay candidate: unreachable, or the "
          "allocation was refused (check the credentials)");
  }
}

static void
signal_local_candidate (RtcIceTransport *self, NiceCandidate *nc)
{
  RtcIceCandidate *c;
  gboolean relay_only;
  gchar *line;

  g_mutex_lock (&self->lock);
  relay_only = self->policy == RTC_ICE_TRANSPORT_POLICY_RELAY;
  g_mutex_unlock (&self->lock);
  /* Peer-reflexive local candidates are learnt during checks, never
   * signalled; under the relay policy nothing but relays is, so that the
   * host's addresses never reach the peer. */
  if (nc->type == NICE_CANDIDATE_TYPE_PEER_REFLEXIVE
      || (relay_only && nc->type != NICE_CANDIDATE_TYPE_RELAYED)
      || is_closed (self))
    return;
  c = candidate_from_nice (nc);
  line = rtc_ice_candidate_to_string (c);
  GST_DEBUG_OBJECT (self, "local %s", line);
  g_signal_emit (self, signals[SIGNAL_ON_ICE_CANDIDATE], 0, c->component, line);
  g_free (line);
  rtc_ice_candidate_free (c);
}

static void
on_new_candidate (NiceAgent *agent, NiceCandidate *nc, gpointer link)
{
  RtcIceTransport *self = g_weak_ref_get (link);

  if (!self)
    return;
  if (nc->type == NICE_CANDIDATE_TYPE_RELAYED)
    self->relay_candidates++;
  signal_local_candidate (self, nc);
  g_object_unref (self);
}

static void
on_gathering_done (NiceAgent *agent, guint stream_id, gpointer link)
{
  RtcIceTransport *self = g_weak_ref_get (link);

  if (!self)
    return;
  if (!is_closed (self)) {
    GST_DEBUG_OBJECT (self, "gathering done");
    report_turn_errors (self);
    g_signal_emit (self, signals[SIGNAL_ON_END_OF_CANDIDATES], 0);
    set_gathering_state (self, RTC_ICE_GATHERING_STATE_COMPLETE);
    update_state (self);
  }
  g_object_unref (self);
}

static void
on_component_state (NiceAgent *agent, guint stream_id, guint component_id,
    NiceComponentState state, gpointer link)
{
  RtcIceTransport *self = g_weak_ref_get (link);

  if (!self)
    return;
  GST_DEBUG_OBJECT (self, "component state %s",
      nice_component_state_to_string (state));
  /* A check just succeeded: the peer is there. libnice handles the
   * answer before the socket watch sees it, and a pair found after a
   * silence (a restart, or libnice reviving a failed one) would show
   * `disconnected` until the next packet. */
  if (state == NICE_COMPONENT_STATE_CONNECTED
      || state == NICE_COMPONENT_STATE_READY)
    note_inbound (self);
  g_mutex_lock (&self->lock);
  self->nice_state = state;
  if (state == NICE_COMPONENT_STATE_CONNECTED
      || state == NICE_COMPONENT_STATE_READY)
    self->was_connected = TRUE;
  /* A restart ends when its checks conclude, either way. */
  if (state == NICE_COMPONENT_STATE_READY
      || state == NICE_COMPONENT_STATE_FAILED)
    self->restarting = FALSE;
  g_mutex_unlock (&self->lock);
  update_state (self);
  g_object_unref (self);
}

static void
on_selected_pair (NiceAgent *agent, guint stream_id, guint component_id,
    NiceCandidate *lcand, NiceCandidate *rcand, gpointer link)
{
  RtcIceTransport *self = g_weak_ref_get (link);
  RtcIceCandidate *local, *remote;

  if (!self)
    return;
  local = candidate_from_nice (lcand);
  remote = candidate_from_nice (rcand);
  GST_INFO_OBJECT (self, "selected pair %s %s:%u <-> %s %s:%u",
      rtc_ice_candidate_type_to_string (local->type), local->address,
      local->port, rtc_ice_candidate_type_to_string (remote->type),
      remote->address, remote->port);
  g_mutex_lock (&self->lock);
  /* The credentials the pair was checked with: its ICE generation, which
   * tells a pair selected after a restart from the one before. */
  local->ufrag = g_strdup (self->local_ufrag);
  remote->ufrag = g_strdup (self->remote_ufrag);
  rtc_ice_candidate_free (self->selected_local);
  rtc_ice_candidate_free (self->selected_remote);
  self->selected_local = local;
  self->selected_remote = remote;
  g_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SELECTED_LOCAL]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SELECTED_REMOTE]);
  /* The pair's socket may be new (peer-reflexive, relayed). */
  watch_sockets (self);
  g_object_unref (self);
}

static void
end_bursts (void)
{
  guint i;

  for (i = 0; i < burst_pending->len; i++) {
    RtcIceTransport *self = g_ptr_array_index (burst_pending, i);
    PacketSink sink = { NULL, NULL, NULL };

    self->burst_pending = FALSE;
    g_mutex_lock (&self->lock);
    if (self->receiver.burst_end) {
      sink.burst_end = self->receiver.burst_end;
      sink.owner = g_object_ref (self->receiver.owner);
    }
    g_mutex_unlock (&self->lock);
    if (sink.burst_end) {
      sink.burst_end (sink.owner);
      g_object_unref (sink.owner);
    }
    g_object_unref (self);
  }
  g_ptr_array_set_size (burst_pending, 0);
}

static void
on_recv (NiceAgent *agent, guint stream_id, guint component_id, guint len,
    gchar *buf, gpointer link)
{
  RtcIceTransport *self = g_weak_ref_get (link);
  PacketSink sink = { NULL, NULL, NULL };

  if (!self)
    return;
  note_inbound (self);
  g_mutex_lock (&self->lock);
  self->packets_received++;
  self->bytes_received += len;
  if (self->receiver.func) {
    sink = self->receiver;
    g_object_ref (sink.owner);
  }
  g_mutex_unlock (&self->lock);
  /* Called unlocked: the receiver may send in return. */
  if (sink.func) {
    sink.func (sink.owner, (const guint8 *)buf, len);
    g_object_unref (sink.owner);
    if (sink.burst_end && !self->burst_pending) {
      self->burst_pending = TRUE;
      g_ptr_array_add (burst_pending, g_object_ref (self));
    }
  }
  g_object_unref (self);
}

/* ---- check pacing ---- */

/* RFC 8445 14.2: whatever Ta each agent uses, all the agents of one
 * implementation together must not start STUN transactions more often than
 * once every 5 ms. libnice paces each agent alone (one transaction per Ta
 * tick, Ta 20 ms by default) and fixes Ta when its check timer starts, so
 * each transport takes 5 ms times the number of transports of the process
 * gathering or checking when it starts: alone it connects in a few 5 ms
 * ticks instead of 20 ms ones, and many at once share the 5 ms budget.
 * A transport leaves the count once its checks have concluded (consent and
 * keepalives are paced by their own timers, seconds apart) or when it is
 * freed. */
#define PACING_MS 5

static gint checking_transports;

static void
pacing_leave (RtcIceTransport *self)
{
  if (g_atomic_int_compare_and_exchange (&self->pacing_counted, 1, 0))
    g_atomic_int_add (&checking_transports, -1);
}

static void
pacing_enter (RtcIceTransport *self)
{
  gint n = g_atomic_int_add (&checking_transports, 1) + 1;

  g_atomic_int_set (&self->pacing_counted, 1);
  g_object_set (self->agent, "stun-pacing-timer", (guint)(PACING_MS * n), NULL);
  GST_DEBUG_OBJECT (self, "Ta %u ms (%d transports checking)", PACING_MS * n,
      n);
}

static void
on_pacing_state (NiceAgent *agent, guint stream_id, guint component_id,
    NiceComponentState state, gpointer link)
{
  RtcIceTransport *self;

  /* CONNECTED still checks the other pairs; READY or FAILED is done. */
  if (state != NICE_COMPONENT_STATE_READY
      && state != NICE_COMPONENT_STATE_FAILED)
    return;
  if ((self = g_weak_ref_get (link))) {
    pacing_leave (self);
    g_object_unref (self);
  }
}

/* ---- operations (ICE thread) ---- */

static void
flush_pending_remote (RtcIceTransport *self)
{
  GSList *list;
  gint added;

  /* libnice pairs remote candidates with local ones, and checks them with
   * the remote credentials: it needs both first. */
  if (!self->gather_started || !self->have_remote_credentials)
    return;
  if (self->pending_remote) {
    list = g_slist_reverse (self->pending_remote);
    self->pending_remote = NULL;
    added = nice_agent_set_remote_candidates (self->agent, self->stream_id,
        COMPONENT_ID, list);
    GST_DEBUG_OBJECT (self, "%d of %u remote candidates added", added,
        g_slist_length (list));
    g_slist_free_full (list, (GDestroyNotify)nice_candidate_free);
  }
  /* Not while `.local` candidates are being resolved: checks would
   * conclude without them. */
  if (self->remote_end_of_candidates && !self->remote_end_applied
      && self->mdns_pending == 0) {
    self->remote_end_applied = TRUE;
    nice_agent_peer_candidate_gathering_done (self->agent, self->stream_id);
  }
}

/* Hands the servers, resolved, to libnice and gathers. */
static void
start_gathering (RtcIceTransport *self)
{
  gchar **addresses, *ca_file;
  guint i;

  g_mutex_lock (&self->lock);
  addresses = g_strdupv (self->local_addresses);
  ca_file = g_strdup (self->tls_ca_file);
  g_mutex_unlock (&self->lock);

  /* An explicit list turns libnice's own interface discovery off. */
  for (i = 0; addresses && addresses[i]; i++) {
    NiceAddress addr;

    nice_address_init (&addr);
    nice_address_set_from_string (&addr, addresses[i]);
    nice_agent_add_local_address (self->agent, &addr);
  }
  for (i = 0; i < self->servers->len; i++) {
    ServerState *st = g_ptr_array_index (self->servers, i);
    const RtcIceServerUri *u = st->uri;
    gchar *ip, *host;
    guint port = u->port;
    GError *error = NULL;

    if (!st->address)
      continue; /* not resolved: reported */
    ip = g_inet_address_to_string (st->address);
    if (!u->is_turn) {
      g_object_set (self->agent, "stun-server", ip, "stun-server-port", port,
          NULL);
    } else if (u->tls) {
      GSocketAddress *sa = g_inet_socket_address_new (st->address, port);

      st->bridge = rtc_ice_turn_tls_new (ice_context (),
          G_INET_SOCKET_ADDRESS (sa), u->host, ca_file, &error);
      g_object_unref (sa);
      if (st->bridge) {
        g_ptr_array_add (self->tls_bridges, st->bridge);
        host = rtc_ice_turn_tls_get_address (st->bridge);
        nice_agent_set_relay_info (self->agent, self->stream_id, COMPONENT_ID,
            host, rtc_ice_turn_tls_get_port (st->bridge), u->username,
            u->password, NICE_RELAY_TYPE_TURN_TCP);
        g_free (host);
      } else {
        report_server_error (self, st, "TURN over TLS failed: %s",
            error->message);
        g_error_free (error);
      }
    } else {
      nice_agent_set_relay_info (self->agent, self->stream_id, COMPONENT_ID, ip,
          port, u->username, u->password,
          u->protocol == RTC_ICE_PROTOCOL_TCP ? NICE_RELAY_TYPE_TURN_TCP
                                              : NICE_RELAY_TYPE_TURN_UDP);
    }
    g_free (ip);
  }

  self->gather_started = TRUE;
  pacing_enter (self);
  if (!nice_agent_gather_candidates (self->agent, self->stream_id)) {
    GST_WARNING_OBJECT (self, "gathering failed: no usable local address");
    pacing_leave (self);
    report_turn_errors (self);
    g_signal_emit (self, signals[SIGNAL_ON_END_OF_CANDIDATES], 0);
    set_gathering_state (self, RTC_ICE_GATHERING_STATE_COMPLETE);
  }
  start_liveness (self);
  flush_pending_remote (self);
  g_strfreev (addresses);
  g_free (ca_file);
}

/* Of a name's addresses, the first of the family of the first local
 * address if those are set (libnice only pairs a server with host
 * candidates of its family), else the first IPv4 one (IPv4 works from
 * behind more networks), else the first. */
static GInetAddress *
pick_address (RtcIceTransport *self, GList *addresses)
{
  GSocketFamily want = G_SOCKET_FAMILY_IPV4;
  GList *l;

  g_mutex_lock (&self->lock);
  if (self->local_addresses) {
    GInetAddress *a = g_inet_address_new_from_string (self->local_addresses[0]);

    want = g_inet_address_get_family (a);
    g_object_unref (a);
  }
  g_mutex_unlock (&self->lock);
  for (l = addresses; l; l = l->next)
    if (g_inet_address_get_family (l->data) == want)
      return g_object_ref (l->data);
  return g_object_ref (addresses->data);
}

typedef struct {
  RtcIceTransport *self;
  ServerState *st;
} Resolving;

static void
on_resolved (GObject *resolver, GAsyncResult *result, gpointer data)
{
  Resolving *r = data;
  RtcIceTransport *self = r->self;
  GError *error = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (resolver), result,
      &error);
  if (addresses) {
    r->st->address = pick_address (self, addresses);
    g_resolver_free_addresses (addresses);
    if (gst_debug_category_get_threshold (GST_CAT_DEFAULT) >= GST_LEVEL_DEBUG) {
      gchar *ip = g_inet_address_to_string (r->st->address);

      GST_DEBUG_OBJECT (self, "%s is %s", r->st->uri->host, ip);
      g_free (ip);
    }
  } else {
    report_server_error (self, r->st, "cannot resolve host name \"%s\": %s",
        r->st->uri->host, error->message);
    g_error_free (error);
  }
  if (--self->resolving == 0 && !is_closed (self))
    start_gathering (self);
  g_object_unref (self);
  g_free (r);
}

/* Freezes the configuration and resolves server host names, without
 * blocking the ICE thread; gathering starts once all are known. */
static void
apply_config_and_gather (RtcIceTransport *self)
{
  GResolver *resolver = NULL;
  guint i;

  self->servers = g_ptr_array_new_with_free_func (server_state_free);
  g_mutex_lock (&self->lock);
  if (self->stun) {
    ServerState *st = g_new0 (ServerState, 1);

    st->uri = self->stun;
    g_ptr_array_add (self->servers, st);
  }
  for (i = 0; i < self->turn->len; i++) {
    ServerState *st = g_new0 (ServerState, 1);

    st->uri = g_ptr_array_index (self->turn, i);
    g_ptr_array_add (self->servers, st);
  }
  g_mutex_unlock (&self->lock);

  set_gathering_state (self, RTC_ICE_GATHERING_STATE_GATHERING);
  for (i = 0; i < self->servers->len; i++) {
    ServerState *st = g_ptr_array_index (self->servers, i);
    Resolving *r;

    if (st->uri->host_is_ip) {
      st->address = g_inet_address_new_from_string (st->uri->host);
      continue;
    }
    if (!resolver)
      resolver = g_resolver_get_default ();
    r = g_new0 (Resolving, 1);
    r->self = g_object_ref (self);
    r->st = st;
    self->resolving++;
    /* Completes on this (the ICE) thread's default context. */
    g_resolver_lookup_by_name_async (resolver, st->uri->host, NULL, on_resolved,
        r);
  }
  g_clear_object (&resolver);
  if (self->resolving == 0)
    start_gathering (self);
}

/* What a closing agent still needs: TLS bridges carry the refreshes that
 * release TURN-over-TLS allocations, so they go when the close is over. */
typedef struct {
  guint stream_id;
  GPtrArray *tls_bridges;
} Closing;

static Closing *
closing_new (guint stream_id, GPtrArray *tls_bridges)
{
  Closing *c = g_new0 (Closing, 1);

  c->stream_id = stream_id;
  c->tls_bridges = g_ptr_array_ref (tls_bridges);
  return c;
}

/* nice_agent_restart_stream() (libnice 0.1.21) gives new local
 * credentials, forgets the remote candidates and checks, and keeps the
 * selected pair, its consent and the validated remote addresses: data keeps
 * flowing until the new checks select a pair. It does not gather again (a
 * stream gathers once), so the candidates it has are signalled again for
 * the new credentials, then end-of-candidates. */
static void
restart (RtcIceTransport *self, const gchar *ufrag, const gchar *pwd)
{
  GSList *cands, *l;
  gboolean complete;

  /* A restart after a failure or a silence has no working pair to keep:
   * it is `checking` again. */
  g_mutex_lock (&self->lock);
  self->restarting = self->selected_local != NULL
      && (self->state == RTC_ICE_TRANSPORT_STATE_CONNECTED
          || self->state == RTC_ICE_TRANSPORT_STATE_COMPLETED);
  complete = self->gathering_state == RTC_ICE_GATHERING_STATE_COMPLETE;
  g_mutex_unlock (&self->lock);
  GST_INFO_OBJECT (self, "ICE restart");
  /* Checks run again: back in the pacing count until they conclude. */
  if (!g_atomic_int_get (&self->pacing_counted))
    pacing_enter (self);
  nice_agent_restart_stream (self->agent, self->stream_id);
  nice_agent_set_local_credentials (self->agent, self->stream_id, ufrag, pwd);
  /* The peer's new credentials and candidates are needed again. */
  self->have_remote_credentials = FALSE;
  self->remote_end_of_candidates = FALSE;
  self->remote_end_applied = FALSE;
  g_slist_free_full (self->pending_remote, (GDestroyNotify)nice_candidate_free);
  self->pending_remote = NULL;

  /* Gathering still running signals the rest itself when it ends. */
  if (complete)
    set_gathering_state (self, RTC_ICE_GATHERING_STATE_GATHERING);
  cands = nice_agent_get_local_candidates (self->agent, self->stream_id,
      COMPONENT_ID);
  for (l = cands; l; l = l->next)
    signal_local_candidate (self, l->data);
  g_slist_free_full (cands, (GDestroyNotify)nice_candidate_free);
  if (complete) {
    g_signal_emit (self, signals[SIGNAL_ON_END_OF_CANDIDATES], 0);
    set_gathering_state (self, RTC_ICE_GATHERING_STATE_COMPLETE);
  }
  update_state (self);
}

static void
on_agent_closed (GObject *agent, GAsyncResult *result, gpointer data)
{
  Closing *c = data;

  if (c->stream_id)
    nice_agent_remove_stream (NICE_AGENT (agent), c->stream_id);
  g_ptr_array_unref (c->tls_bridges);
  g_free (c);
}

static gboolean
run_op (gpointer data)
{
  Op *op = data;
  RtcIceTransport *self = op->self;

  if (is_closed (self) && op->kind != OP_CLOSE)
    return G_SOURCE_REMOVE;

  switch (op->kind) {
    case OP_GATHER:
      apply_config_and_gather (self);
      break;
    case OP_CREDENTIALS:
      nice_agent_set_remote_credentials (self->agent, self->stream_id,
          op->ufrag, op->pwd);
      self->have_remote_credentials = TRUE;
      flush_pending_remote (self);
      break;
    case OP_CANDIDATE:
      self->pending_remote = g_slist_prepend (self->pending_remote, op->cand);
      op->cand = NULL;
      flush_pending_remote (self);
      break;
    case OP_END_OF_CANDIDATES:
      self->remote_end_of_candidates = TRUE;
      flush_pending_remote (self);
      update_state (self);
      break;
    case OP_RESTART:
      restart (self, op->ufrag, op->pwd);
      break;
    case OP_CLOSE:
      /* Releases TURN allocations (a refresh with lifetime 0) rather than
       * leaving them on the server until they time out, then stops checks,
       * keepalives and consent replies so that the peer sees us gone. */
      stop_liveness (self->agent);
      /* Before closing: libnice frees TURN sockets while closing, and an
       * attached receive callback still watches them. */
      nice_agent_attach_recv (self->agent, self->stream_id, COMPONENT_ID, NULL,
          NULL, NULL);
      nice_agent_close_async (self->agent, on_agent_closed,
          closing_new (self->stream_id, self->tls_bridges));
      break;
  }
  return G_SOURCE_REMOVE;
}

/* ---- mDNS remote candidates (ICE thread) ---- */

/* One for all transports, so that a name signalled to several of them is
 * queried once. Created and used on the ICE thread only. */
static RtcIceMdnsResolver *
mdns_resolver (void)
{
  static RtcIceMdnsResolver *resolver;

  if (!resolver)
    resolver = rtc_ice_mdns_resolver_new ();
  return resolver;
}

typedef struct {
  /* Weak: a lookup does not keep a dropped transport alive. */
  GWeakRef self;
  RtcIceCandidate *cand;
  GCancellable *cancellable;
} MdnsLookup;

static void
mdns_lookup_free (MdnsLookup *l)
{
  g_weak_ref_clear (&l->self);
  rtc_ice_candidate_free (l->cand);
  g_object_unref (l->cancellable);
  g_free (l);
}

static void
mdns_lookup_done (GObject *resolver, GAsyncResult *result, gpointer data)
{
  MdnsLookup *l = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) addr
      = rtc_ice_mdns_resolver_lookup_finish (RTC_ICE_MDNS_RESOLVER (resolver),
          result, &error);
  RtcIceTransport *self = g_weak_ref_get (&l->self);

  if (!self) {
    mdns_lookup_free (l);
    return;
  }
  self->mdns_pending--;
  if (addr && !is_closed (self)) {
    gchar *ip = g_inet_address_to_string (addr);
    Op *op = op_new (OP_CANDIDATE);

    GST_DEBUG_OBJECT (self, "remote candidate %s resolved to %s",
        l->cand->address, ip);
    g_free (l->cand->address);
    l->cand->address = ip;
    l->cand->address_is_ip = TRUE;
    op->cand = candidate_to_nice (l->cand, self->stream_id);
    invoke (self, op);
  } else if (!addr
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    GST_DEBUG_OBJECT (self, "dropping remote candidate %s: %s",
        l->cand->address, error->message);
    g_mutex_lock (&self->lock);
    self->mdns_unresolved++;
    g_mutex_unlock (&self->lock);
  }
  /* End-of-candidates may have waited for this lookup. */
  if (!is_closed (self))
    flush_pending_remote (self);
  g_object_unref (self);
  mdns_lookup_free (l);
}

static gboolean
mdns_lookup_start (gpointer data)
{
  MdnsLookup *l = data;
  RtcIceTransport *self = g_weak_ref_get (&l->self);

  if (!self || is_closed (self)) {
    g_clear_object (&self);
    mdns_lookup_free (l);
    return G_SOURCE_REMOVE;
  }
  if (self->mdns_pending >= RTC_ICE_MDNS_MAX_PENDING) {
    GST_DEBUG_OBJECT (self, "dropping remote candidate %s: too many lookups",
        l->cand->address);
    g_mutex_lock (&self->lock);
    self->mdns_unresolved++;
    g_mutex_unlock (&self->lock);
    g_object_unref (self);
    mdns_lookup_free (l);
    return G_SOURCE_REMOVE;
  }
  self->mdns_pending++;
  rtc_ice_mdns_resolver_lookup_async (mdns_resolver (), l->cand->address,
      l->cancellable, mdns_lookup_done, l);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* Other candidates are added meanwhile: none waits for a lookup. */
static void
resolve_remote_candidate (RtcIceTransport *self, RtcIceCandidate *c)
{
  MdnsLookup *l = g_new0 (MdnsLookup, 1);

  g_weak_ref_init (&l->self, self);
  l->cand = c;
  l->cancellable = g_object_ref (self->mdns_cancel);
  g_main_context_invoke (ice_context (), mdns_lookup_start, l);
}

/* ---- public API ---- */

/**
 * rtc_ice_transport_new:
 *
 * Creates an ICE transport with one component, its local credentials
 * already generated. Configure it, connect to #RtcIceTransport::on-ice-candidate,
 * then call rtc_ice_transport_gather().
 *
 * Returns: (transfer full): a new transport
 */
RtcIceTransport *
rtc_ice_transport_new (void)
{
  return g_object_new (RTC_TYPE_ICE_TRANSPORT, NULL);
}

static gboolean
check_not_started (RtcIceTransport *self, const gchar *what, GError **error)
{
  if (self->gather_requested || self->state == RTC_ICE_TRANSPORT_STATE_CLOSED) {
    g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_STATE,
        "%s must be set before gathering starts", what);
    return FALSE;
  }
  return TRUE;
}

static RtcIceServerUri *
parse_server (const gchar *uri, gboolean want_turn, GError **error)
{
  g_autoptr (RtcIceServerUri) u = rtc_ice_server_uri_parse (uri, error);

  if (!u)
    return NULL;
  if (u->is_turn != want_turn) {
    g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_INVALID_URI,
        "Invalid STUN/TURN server URI: expected a %s URI",
        want_turn ? "turn: or turns:" : "stun:");
    return NULL;
  }
  return g_steal_pointer (&u);
}

/**
 * rtc_ice_transport_set_stun_server:
 * @self: a transport
 * @uri: (nullable): `stun://host:port` or `stun:host:port`; %NULL for none
 * @error: return location for a #GError
 *
 * Sets the STUN server that server-reflexive candidates are gathered from.
 * Must be called before rtc_ice_transport_gather(). A host name is
 * resolved when gathering starts; one that cannot be is reported by
 * #RtcIceTransport::on-ice-candidate-error.
 *
 * Returns: %TRUE on success
 */
gboolean
rtc_ice_transport_set_stun_server (RtcIceTransport *self, const gchar *uri,
    GError **error)
{
  RtcIceServerUri *u = NULL;
  gboolean ok;

  g_return_val_if_fail (RTC_IS_ICE_TRANSPORT (self), FALSE);
  if (uri && !(u = parse_server (uri, FALSE, error)))
    return FALSE;
  g_mutex_lock (&self->lock);
  ok = check_not_started (self, "The STUN server", error);
  if (ok) {
    rtc_ice_server_uri_free (self->stun);
    self->stun = g_steal_pointer (&u);
  }
  g_mutex_unlock (&self->lock);
  rtc_ice_server_uri_free (u);
  return ok;
}

/**
 * rtc_ice_transport_add_turn_server:
 * @self: a transport
 * @uri: `turn://user:pass@host:port?transport=udp|tcp` or
 *   `turns://user:pass@host:port`
 * @error: return location for a #GError
 *
 * Adds a TURN server that relay candidates are allocated on, with long-term
 * credentials. Several may be added. Must be called before
 * rtc_ice_transport_gather(). Host names are resolved when gathering
 * starts. `turns:` is TLS over TCP: the server's certificate must be
 * trusted by the system or by #RtcIceTransport:tls-ca-file and name the
 * URI's host. A server that cannot be resolved or gives no relay candidate
 * is reported by #RtcIceTransport::on-ice-candidate-error.
 *
 * Returns: %TRUE on success
 */
gboolean
rtc_ice_transport_add_turn_server (RtcIceTransport *self, const gchar *uri,
    GError **error)
{
  RtcIceServerUri *u;
  gboolean ok;

  g_return_val_if_fail (RTC_IS_ICE_TRANSPORT (self), FALSE);
  if (!(u = parse_server (uri, TRUE, error)))
    return FALSE;
  g_mutex_lock (&self->lock);
  ok = check_not_started (self, "TURN servers", error);
  if (ok)
    g_ptr_array_add (self->turn, g_steal_pointer (&u));
  g_mutex_unlock (&self->lock);
  rtc_ice_server_uri_free (u);
  return ok;
}

/**
 * rtc_ice_transport_set_local_addresses:
 * @self: a transport
 * @addresses: (nullable) (array zero-terminated=1): IP addresses of this
 *   host to gather host candidates on, or %NULL for all interfaces
 * @error: return location for a #GError
 *
 * Restricts gathering to the given local addresses (tests use 127.0.0.1);
 * by default libnice uses every non-loopback interface. Must be called
 * before rtc_ice_transport_gather().
 *
 * Returns: %TRUE on success
 */
gboolean
rtc_ice_transport_set_local_addresses (RtcIceTransport *self,
    const gchar *const *addresses, GError **error)
{
  gboolean ok;
  guint i;

  g_return_val_if_fail (RTC_IS_ICE_TRANSPORT (self), FALSE);
  for (i = 0; addresses && addresses[i]; i++) {
    gboolean is_ip = FALSE;

    if (!rtc_ice_is_valid_host (addresses[i], &is_ip) || !is_ip) {
      g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_INVALID_ARGUMENT,
          "Local address \"%s\" is not an IP address", addresses[i]);
      return FALSE;
    }
  }
  g_mutex_lock (&self->lock);
  ok = check_not_started (self, "Local addresses", error);
  if (ok) {
    g_strfreev (self->local_addresses);
    self->local_addresses = addresses && addresses[0]
        ? g_strdupv ((gchar **)addresses)
        : NULL;
  }
  g_mutex_unlock (&self->lock);
  if (ok)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOCAL_ADDRESSES]);
  return ok;
}

/**
 * rtc_ice_transport_gather:
 * @self: a transport
 * @error: return location for a #GError
 *
 * Starts gathering local candidates. Each is reported by
 * #RtcIceTransport::on-ice-candidate as soon as it is found, then
 * #RtcIceTransport::on-end-of-candidates and #RtcIceTransport:gathering-state
 * `complete`. Fails if gathering was already started or the transport is
 * closed.
 *
 * Returns: %TRUE if gathering was started
 */
gboolean
rtc_ice_transport_gather (RtcIceTransport *self, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (RTC_IS_ICE_TRANSPORT (self), FALSE);
  g_mutex_lock (&self->lock);
  ok = check_not_started (self, "Gathering", error);
  if (ok)
    self->gather_requested = TRUE;
  g_mutex_unlock (&self->lock);
  if (ok)
    invoke (self, op_new (OP_GATHER));
  return ok;
}

/**
 * rtc_ice_transport_get_local_credentials:
 * @self: a transport
 * @ufrag: (out) (transfer full): the local ICE username fragment
 * @pwd: (out) (transfer full): the local ICE password
 *
 * Gets the credentials to signal to the peer (`a=ice-ufrag`, `a=ice-pwd`).
 */
void
rtc_ice_transport_get_local_credentials (RtcIceTransport *self, gchar **ufrag,
    gchar **pwd)
{
  g_return_if_fail (RTC_IS_ICE_TRANSPORT (self));
  g_mutex_lock (&self->lock);
  *ufrag = g_strdup (self->local_ufrag);
  *pwd = g_strdup (self->local_pwd);
  g_mutex_unlock (&self->lock);
}

/* RFC 8445 5.3: at least 24 random bits of ufrag and 128 of password, in
 * ice-chars; 48 and 144 here. */
static gchar *
random_ice_string (guint len)
{
  static const gchar ice_chars[]
      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  guint8 bytes[32];
  gchar *s = g_malloc (len + 1);
  guint i;

  g_assert (len <= sizeof (bytes));
  if (getrandom (bytes, len, 0) != (gssize)len)
    g_error ("no random bytes for ICE credentials");
  for (i = 0; i < len; i++)
    s[i] = ice_chars[bytes[i] & 63];
  s[len] = '\0';
  return s;
}

/* New local credentials for a restart, visible to the caller at once; the
 * agent gets them on the ICE thread. Called with the lock held. */
static Op *
new_restart_locked (RtcIceTransport *self)
{
  Op *op = op_new (OP_RESTART);

  op->ufrag = random_ice_string (8);
  op->pwd = random_ice_string (24);
  g_free (self->local_ufrag);
  g_free (self->local_pwd);
  self->local_ufrag = g_strdup (op->ufrag);
  self->local_pwd = g_strdup (op->pwd);
  self->restarts++;
  return op;
}

static void
notify_local_credentials (RtcIceTransport *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOCAL_UFRAG]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOCAL_PWD]);
}

/**
 * rtc_ice_transport_restart:
 * @self: a transport
 * @error: return location for a #GError
 *
 * Starts an ICE restart (RFC 8445 9): new local credentials, readable as
 * soon as this returns, to signal to the peer; the local candidates are
 * signalled again with #RtcIceTransport::on-ice-candidate, then
 * #RtcIceTransport::on-end-of-candidates. The peer's new credentials
 * (rtc_ice_transport_set_remote_credentials()) must come before its new
 * candidates. The selected pair keeps carrying packets, and the state stays
 * `connected`, until the new checks select a pair. A peer's restart is
 * noticed by itself: new remote credentials restart this side too.
 *
 * Returns: %TRUE if the restart was started; %FALSE before gathering or
 *   once closed
 */
gboolean
rtc_ice_transport_restart (RtcIceTransport *self, GError **error)
{
  Op *op = NULL;

  g_return_val_if_fail (RTC_IS_ICE_TRANSPORT (self), FALSE);
  g_mutex_lock (&self->lock);
  if (!self->gather_requested || self->state == RTC_ICE_TRANSPORT_STATE_CLOSED)
    g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_STATE,
        "An ICE restart needs gathering started and the transport open");
  else {
    op = new_restart_locked (self);
    self->awaiting_remote_restart = TRUE;
  }
  g_mutex_unlock (&self->lock);
  if (!op)
    return FALSE;
  invoke (self, op);
  notify_local_credentials (self);
  return TRUE;
}

/**
 * rtc_ice_transport_set_remote_credentials:
 * @self: a transport
 * @ufrag: the peer's ICE username fragment (4 to 256 ice-chars)
 * @pwd: the peer's ICE password (22 to 256 ice-chars)
 * @error: return location for a #GError
 *
 * Sets the peer's credentials. Remote candidates added before are kept
 * and used from then on. Credentials that differ from the previous ones,
 * once gathering started, are the peer's ICE restart: unless this side
 * started the restart (rtc_ice_transport_restart()), it restarts too, and
 * its new local credentials are readable when this returns.
 *
 * Returns: %TRUE if the credentials are valid
 */
gboolean
rtc_ice_transport_set_remote_credentials (RtcIceTransport *self,
    const gchar *ufrag, const gchar *pwd, GError **error)
{
  Op *op, *restart_op = NULL;

  g_return_val_if_fail (RTC_IS_ICE_TRANSPORT (self), FALSE);
  if (!rtc_ice_check_credentials (ufrag, pwd, error))
    return FALSE;
  g_mutex_lock (&self->lock);
  if (self->remote_ufrag && self->gather_requested
      && self->state != RTC_ICE_TRANSPORT_STATE_CLOSED
      && !self->awaiting_remote_restart
      && (strcmp (ufrag, self->remote_ufrag)
          || strcmp (pwd, self->remote_pwd))) {
    GST_INFO_OBJECT (self, "the peer restarts ICE");
    restart_op = new_restart_locked (self);
  }
  self->awaiting_remote_restart = FALSE;
  g_free (self->remote_ufrag);
  g_free (self->remote_pwd);
  self->remote_ufrag = g_strdup (ufrag);
  self->remote_pwd = g_strdup (pwd);
  g_mutex_unlock (&self->lock);
  if (restart_op) {
    invoke (self, restart_op);
    notify_local_credentials (self);
  }
  op = op_new (OP_CREDENTIALS);
  op->ufrag = g_strdup (ufrag);
  op->pwd = g_strdup (pwd);
  invoke (self, op);
  return TRUE;
}

/**
 * rtc_ice_transport_add_remote_candidate:
 * @self: a transport
 * @candidate: a `candidate:…` line as signalled by the peer
 * @error: return location for a #GError
 *
 * Adds a remote candidate, at any time: before the remote credentials or
 * before gathering, it is queued until both are there. A malformed line, or
 * one for another component than 1 (WebRTC multiplexes RTCP), is an error.
 * A candidate whose address is an mDNS `.local` name is resolved on the
 * local link first (end-of-candidates waits for it, other candidates do
 * not); if no answer comes within a few seconds, or too many lookups are
 * pending already, it is dropped and counted in the `mdns-unresolved`
 * statistic.
 *
 * Returns: %TRUE if the candidate was accepted
 */
gboolean
rtc_ice_transport_add_remote_candidate (RtcIceTransport *self,
    const gchar *candidate, GError **error)
{
  g_autoptr (RtcIceCandidate) c = NULL;
  Op *op;

  g_return_val_if_fail (RTC_IS_ICE_TRANSPORT (self), FALSE);
  if (!(c = rtc_ice_candidate_parse (candidate, error)))
    return FALSE;
  if (c->component != COMPONENT_ID) {
    g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_INVALID_CANDIDATE,
        "Invalid ICE candidate: component %u, only component 1 exists "
        "(RTCP is multiplexed)",
        c->component);
    return FALSE;
  }
  if (!c->address_is_ip) {
    GST_DEBUG_OBJECT (self, "resolving remote candidate %s", c->address);
    resolve_remote_candidate (self, g_steal_pointer (&c));
    return TRUE;
  }
  op = op_new (OP_CANDIDATE);
  op->cand = candidate_to_nice (c, self->stream_id);
  invoke (self, op);
  return TRUE;
}

/**
 * rtc_ice_transport_end_of_remote_candidates:
 * @self: a transport
 *
 * Tells the transport that the peer has no more candidates
 * (`a=end-of-candidates`), so that checks that have nothing left to try
 * conclude in `failed` instead of waiting.
 */
void
rtc_ice_transport_end_of_remote_candidates (RtcIceTransport *self)
{
  g_return_if_fail (RTC_IS_ICE_TRANSPORT (self));
  invoke (self, op_new (OP_END_OF_CANDIDATES));
}

/**
 * rtc_ice_transport_close:
 * @self: a transport
 *
 * Stops the transport for good: the state turns `closed` at once, nothing
 * more is sent, received or signalled, and TURN allocations are released on
 * the servers in the background.
 */
void
rtc_ice_transport_close (RtcIceTransport *self)
{
  gboolean changed;

  g_return_if_fail (RTC_IS_ICE_TRANSPORT (self));
  g_mutex_lock (&self->lock);
  changed = self->state != RTC_ICE_TRANSPORT_STATE_CLOSED;
  self->state = RTC_ICE_TRANSPORT_STATE_CLOSED;
  g_clear_object (&self->receiver.owner);
  self->receiver.func = NULL;
  self->receiver.burst_end = NULL;
  g_mutex_unlock (&self->lock);
  if (!changed)
    return;
  GST_INFO_OBJECT (self, "closed");
  g_cancellable_cancel (self->mdns_cancel);
  invoke (self, op_new (OP_CLOSE));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

/**
 * rtc_ice_transport_get_selected_pair:
 * @self: a transport
 * @local: (out) (optional) (transfer full): the local candidate
 * @remote: (out) (optional) (transfer full): the remote candidate
 *
 * Gets the candidate pair that carries the data.
 *
 * Returns: %TRUE if a pair is selected
 */
gboolean
rtc_ice_transport_get_selected_pair (RtcIceTransport *self,
    RtcIceCandidate **local, RtcIceCandidate **remote)
{
  gboolean ret;

  g_return_val_if_fail (RTC_IS_ICE_TRANSPORT (self), FALSE);
  g_mutex_lock (&self->lock);
  ret = self->selected_local != NULL;
  if (local)
    *local = ret ? rtc_ice_candidate_copy (self->selected_local) : NULL;
  if (remote)
    *remote = ret ? rtc_ice_candidate_copy (self->selected_remote) : NULL;
  g_mutex_unlock (&self->lock);
  return ret;
}

/**
 * rtc_ice_transport_get_state:
 * @self: a transport
 *
 * Returns: the W3C ICE transport state
 */
RtcIceTransportState
rtc_ice_transport_get_state (RtcIceTransport *self)
{
  RtcIceTransportState state;

  g_return_val_if_fail (RTC_IS_ICE_TRANSPORT (self),
      RTC_ICE_TRANSPORT_STATE_CLOSED);
  g_mutex_lock (&self->lock);
  state = self->state;
  g_mutex_unlock (&self->lock);
  return state;
}

/**
 * rtc_ice_transport_get_gathering_state:
 * @self: a transport
 *
 * Returns: the W3C ICE gathering state
 */
RtcIceGatheringState
rtc_ice_transport_get_gathering_state (RtcIceTransport *self)
{
  RtcIceGatheringState state;

  g_return_val_if_fail (RTC_IS_ICE_TRANSPORT (self),
      RTC_ICE_GATHERING_STATE_COMPLETE);
  g_mutex_lock (&self->lock);
  state = self->gathering_state;
  g_mutex_unlock (&self->lock);
  return state;
}

/**
 * rtc_ice_transport_send:
 * @self: a transport
 * @data: (array length=len): one packet
 * @len: its length
 *
 * Sends one packet on the selected pair, from any thread. Without a
 * selected pair (not connected yet, failed, closed) the packet is dropped
 * and counted in `send-dropped`.
 *
 * Returns: %TRUE if the packet was sent
 */
gboolean
rtc_ice_transport_send (RtcIceTransport *self, const guint8 *data, gsize len)
{
  gint sent = -1;
  gboolean closed;

  g_return_val_if_fail (RTC_IS_ICE_TRANSPORT (self), FALSE);
  closed = is_closed (self);
  if (!closed && len <= G_MAXUINT16)
    sent = nice_agent_send (self->agent, self->stream_id, COMPONENT_ID,
        (guint)len, (const gchar *)data);
  g_mutex_lock (&self->lock);
  if (sent == (gint)len) {
    self->packets_sent++;
    self->bytes_sent += len;
  } else {
    self->send_dropped++;
  }
  g_mutex_unlock (&self->lock);
  return sent == (gint)len;
}

/**
 * rtc_ice_transport_send_many:
 * @self: a transport
 * @packets: (array length=n): packets, each one buffer
 * @n: how many
 *
 * As rtc_ice_transport_send() for each packet, in one call into the agent.
 *
 * Returns: how many of the first packets were sent; the others are
 *   dropped and counted in `send-dropped`
 */
guint
rtc_ice_transport_send_many (RtcIceTransport *self,
    const GOutputVector *packets, guint n)
{
  NiceOutputMessage messages[RTC_ICE_TRANSPORT_SEND_MANY_MAX];
  guint i, sent = 0;
  guint64 bytes = 0;
  gint ret = 0;

  g_return_val_if_fail (RTC_IS_ICE_TRANSPORT (self), 0);
  g_return_val_if_fail (n <= RTC_ICE_TRANSPORT_SEND_MANY_MAX, 0);
  for (i = 0; i < n; i++) {
    /* libnice only reads them. */
    messages[i].buffers = (GOutputVector *)&packets[i];
    messages[i].n_buffers = 1;
  }
  if (n && !is_closed (self))
    ret = nice_agent_send_messages_nonblocking (self->agent, self->stream_id,
        COMPONENT_ID, messages, n, NULL, NULL);
  if (ret > 0)
    sent = ret;
  for (i = 0; i < sent; i++)
    bytes += packets[i].size;
  g_mutex_lock (&self->lock);
  self->packets_sent += sent;
  self->bytes_sent += bytes;
  self->send_dropped += n - sent;
  g_mutex_unlock (&self->lock);
  return sent;
}

/**
 * rtc_ice_transport_set_receiver:
 * @self: a transport
 * @func: (nullable): called for each received packet on the ICE thread
 * @owner: (nullable): kept alive while @func runs, passed to it
 *
 * Sets who receives the packets; %NULL stops delivery. After this returns,
 * a call to the previous receiver that had already started may still be
 * finishing on the ICE thread, holding its own reference on its owner.
 */
void
rtc_ice_transport_set_receiver (RtcIceTransport *self, RtcIcePacketFunc func,
    GObject *owner)
{
  rtc_ice_transport_set_receiver_full (self, func, NULL, owner);
}

/**
 * rtc_ice_transport_set_receiver_full:
 * @self: a transport
 * @func: (nullable): called for each received packet on the ICE thread
 * @burst_end: (nullable): called on the ICE thread after packets were
 *   given to @func, once the thread has read all it was woken for (before
 *   it waits for the sockets again)
 * @owner: (nullable): kept alive while @func or @burst_end runs
 *
 * As rtc_ice_transport_set_receiver(), with a call that tells where a
 * burst of packets ends: a receiver that hands packets to another thread
 * can wake it once a burst instead of once a packet.
 */
void
rtc_ice_transport_set_receiver_full (RtcIceTransport *self,
    RtcIcePacketFunc func, RtcIceBurstEndFunc burst_end, GObject *owner)
{
  GObject *old;

  g_return_if_fail (RTC_IS_ICE_TRANSPORT (self));
  g_mutex_lock (&self->lock);
  old = self->receiver.owner;
  self->receiver.func = func;
  self->receiver.burst_end = func ? burst_end : NULL;
  self->receiver.owner = func && owner ? g_object_ref (owner) : NULL;
  g_mutex_unlock (&self->lock);
  if (old)
    g_object_unref (old);
}

/**
 * rtc_ice_transport_get_stats:
 * @self: a transport
 *
 * The counters are of the transport's data packets (STUN excluded).
 * libnice 0.1.21 does not tell the round-trip time nor how many checks
 * and consent requests or responses were sent or received: the structure
 * has none of them rather than made-up values.
 *
 * Returns: (transfer full): a `application/x-rtc-ice-transport-stats`
 *   structure with packets-sent, bytes-sent, packets-received,
 *   bytes-received, send-dropped and mdns-unresolved (remote `.local`
 *   candidates dropped for want of an answer) (#guint64), restarts
 *   (#guint), state (#RtcIceTransportState) and, once a pair is selected,
 *   selected-local-candidate and selected-remote-candidate (`candidate:`
 *   lines), local-candidate-type and remote-candidate-type (`host`,
 *   `srflx`, `prflx`, `relay`)
 */
GstStructure *
rtc_ice_transport_get_stats (RtcIceTransport *self)
{
  GstStructure *s;

  g_return_val_if_fail (RTC_IS_ICE_TRANSPORT (self), NULL);
  g_mutex_lock (&self->lock);
  s = gst_structure_new ("application/x-rtc-ice-transport-stats",
      "packets-sent", G_TYPE_UINT64, self->packets_sent, "bytes-sent",
      G_TYPE_UINT64, self->bytes_sent, "packets-received", G_TYPE_UINT64,
      self->packets_received, "bytes-received", G_TYPE_UINT64,
      self->bytes_received, "send-dropped", G_TYPE_UINT64, self->send_dropped,
      "restarts", G_TYPE_UINT, self->restarts, "state",
      RTC_TYPE_ICE_TRANSPORT_STATE, self->state, NULL);
  gst_structure_set (s, "mdns-unresolved", G_TYPE_UINT64, self->mdns_unresolved,
      NULL);
  if (self->selected_local) {
    gchar *local = rtc_ice_candidate_to_string (self->selected_local);
    gchar *remote = rtc_ice_candidate_to_string (self->selected_remote);

    gst_structure_set (s, "selected-local-candidate", G_TYPE_STRING, local,
        "selected-remote-candidate", G_TYPE_STRING, remote,
        "local-candidate-type", G_TYPE_STRING,
        rtc_ice_candidate_type_to_string (self->selected_local->type),
        "remote-candidate-type", G_TYPE_STRING,
        rtc_ice_candidate_type_to_string (self->selected_remote->type), NULL);
    g_free (local);
    g_free (remote);
  }
  g_mutex_unlock (&self->lock);
  return s;
}

/* ---- action signals ---- */

/* Action signals give applications and bindings that only load the plugin
 * the whole API; failures are logged, as a signal cannot return a
 * GError. */
static gboolean
report (RtcIceTransport *self, gboolean ok, GError **error)
{
  /* By reference: the error is set by the call in the same argument list,
   * whose evaluation order C leaves open. */
  if (!ok) {
    GST_WARNING_OBJECT (self, "%s", (*error)->message);
    g_clear_error (error);
  }
  return ok;
}

static gboolean
action_gather (RtcIceTransport *self)
{
  GError *error = NULL;

  return report (self, rtc_ice_transport_gather (self, &error), &error);
}

static gboolean
action_set_remote_credentials (RtcIceTransport *self, const gchar *ufrag,
    const gchar *pwd)
{
  GError *error = NULL;

  return report (self,
      rtc_ice_transport_set_remote_credentials (self, ufrag, pwd, &error),
      &error);
}

static gboolean
action_add_remote_candidate (RtcIceTransport *self, const gchar *candidate)
{
  GError *error = NULL;

  return report (self,
      rtc_ice_transport_add_remote_candidate (self, candidate, &error), &error);
}

static gboolean
action_restart (RtcIceTransport *self)
{
  GError *error = NULL;

  return report (self, rtc_ice_transport_restart (self, &error), &error);
}

static gboolean
action_add_turn_server (RtcIceTransport *self, const gchar *uri)
{
  GError *error = NULL;

  return report (self, rtc_ice_transport_add_turn_server (self, uri, &error),
      &error);
}

/* ---- GObject ---- */

static void
free_link (gpointer link, GObject *agent)
{
  g_weak_ref_clear (link);
  g_free (link);
}

static void
rtc_ice_transport_init (RtcIceTransport *self)
{
  g_mutex_init (&self->lock);
  self->turn = g_ptr_array_new_with_free_func (
      (GDestroyNotify)rtc_ice_server_uri_free);
  self->nice_state = NICE_COMPONENT_STATE_DISCONNECTED;
  self->mdns_cancel = g_cancellable_new ();
  self->tls_bridges = g_ptr_array_new_with_free_func (
      (GDestroyNotify)rtc_ice_turn_tls_free);

  /* Trickle: no failure before the peer's end-of-candidates. Regular
   * nomination, as browsers do (RFC 8445 dropped aggressive nomination).
   * Consent freshness: RFC 7675, required by WebRTC. */
  self->agent = nice_agent_new_full (ice_context (), NICE_COMPATIBILITY_RFC5245,
      NICE_AGENT_OPTION_ICE_TRICKLE | NICE_AGENT_OPTION_REGULAR_NOMINATION
          | NICE_AGENT_OPTION_CONSENT_FRESHNESS);
  /* UPnP would multicast SSDP discovery on every interface. */
  g_object_set (self->agent, "upnp", FALSE, "controlling-mode", TRUE, NULL);
  self->stream_id = nice_agent_add_stream (self->agent, 1);
  nice_agent_get_local_credentials (self->agent, self->stream_id,
      &self->local_ufrag, &self->local_pwd);

  self->link = g_new0 (GWeakRef, 1);
  g_weak_ref_init (self->link, self);
  g_object_weak_ref (G_OBJECT (self->agent), free_link, self->link);
  g_signal_connect (self->agent, "new-candidate-full",
      G_CALLBACK (on_new_candidate), self->link);
  g_signal_connect (self->agent, "candidate-gathering-done",
      G_CALLBACK (on_gathering_done), self->link);
  g_signal_connect (self->agent, "component-state-changed",
      G_CALLBACK (on_component_state), self->link);
  g_signal_connect (self->agent, "new-selected-pair-full",
      G_CALLBACK (on_selected_pair), self->link);
  g_signal_connect (self->agent, "component-state-changed",
      G_CALLBACK (on_pacing_state), self->link);
  nice_agent_attach_recv (self->agent, self->stream_id, COMPONENT_ID,
      ice_context (), on_recv, self->link);
}

typedef struct {
  NiceAgent *agent;
  GPtrArray *tls_bridges;
} Release;

static gboolean
release_agent (gpointer data)
{
  Release *r = data;

  stop_liveness (r->agent);
  /* The close task holds the agent until TURN allocations are released. */
  nice_agent_close_async (r->agent, on_agent_closed,
      closing_new (0, r->tls_bridges));
  g_object_unref (r->agent);
  g_ptr_array_unref (r->tls_bridges);
  g_free (r);
  return G_SOURCE_REMOVE;
}

static void
rtc_ice_transport_dispose (GObject *object)
{
  RtcIceTransport *self = RTC_ICE_TRANSPORT (object);

  pacing_leave (self);
  g_cancellable_cancel (self->mdns_cancel);
  if (self->agent) {
    Release *r = g_new0 (Release, 1);

    /* After close() the closing has detached it, or is about to, and the
     * stream is removed once closed. */
    if (!is_closed (self))
      nice_agent_attach_recv (self->agent, self->stream_id, COMPONENT_ID, NULL,
          NULL, NULL);
    r->agent = g_steal_pointer (&self->agent);
    r->tls_bridges = g_steal_pointer (&self->tls_bridges);
    g_main_context_invoke (ice_context (), release_agent, r);
  }
  rtc_ice_transport_set_receiver (self, NULL, NULL);
  G_OBJECT_CLASS (rtc_ice_transport_parent_class)->dispose (object);
}

static void
rtc_ice_transport_finalize (GObject *object)
{
  RtcIceTransport *self = RTC_ICE_TRANSPORT (object);

  g_strfreev (self->local_addresses);
  rtc_ice_server_uri_free (self->stun);
  g_ptr_array_unref (self->turn);
  g_free (self->tls_ca_file);
  g_clear_pointer (&self->servers, g_ptr_array_unref);
  rtc_ice_candidate_free (self->selected_local);
  rtc_ice_candidate_free (self->selected_remote);
  g_slist_free_full (self->pending_remote, (GDestroyNotify)nice_candidate_free);
  g_free (self->local_ufrag);
  g_free (self->local_pwd);
  g_free (self->remote_ufrag);
  g_free (self->remote_pwd);
  g_free (self->mid);
  g_object_unref (self->mdns_cancel);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (rtc_ice_transport_parent_class)->finalize (object);
}

static gchar *
dup_candidate_string (RtcIceTransport *self, gboolean local)
{
  RtcIceCandidate *c;
  gchar *s = NULL;

  g_mutex_lock (&self->lock);
  c = local ? self->selected_local : self->selected_remote;
  if (c)
    s = rtc_ice_candidate_to_string (c);
  g_mutex_unlock (&self->lock);
  return s;
}

static void
rtc_ice_transport_set_property (GObject *object, guint prop_id,
    const GValue *value, GParamSpec *pspec)
{
  RtcIceTransport *self = RTC_ICE_TRANSPORT (object);
  GError *error = NULL;

  switch (prop_id) {
    case PROP_CONTROLLING:
      g_object_set_property (G_OBJECT (self->agent), "controlling-mode", value);
      break;
    case PROP_POLICY:
      g_mutex_lock (&self->lock);
      self->policy = g_value_get_enum (value);
      g_mutex_unlock (&self->lock);
      /* libnice then pairs local relay candidates only. */
      g_object_set (self->agent, "force-relay",
          g_value_get_enum (value) == RTC_ICE_TRANSPORT_POLICY_RELAY, NULL);
      break;
    case PROP_ICE_TCP:
      g_object_set_property (G_OBJECT (self->agent), "ice-tcp", value);
      break;
    case PROP_STUN_SERVER:
      rtc_ice_transport_set_stun_server (self, g_value_get_string (value),
          &error);
      break;
    case PROP_LOCAL_ADDRESSES:
      rtc_ice_transport_set_local_addresses (self, g_value_get_boxed (value),
          &error);
      break;
    case PROP_MID:
      g_mutex_lock (&self->lock);
      g_free (self->mid);
      self->mid = g_value_dup_string (value);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_MLINE_INDEX:
      g_mutex_lock (&self->lock);
      self->mline_index = g_value_get_uint (value);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_TLS_CA_FILE:
      g_mutex_lock (&self->lock);
      if (check_not_started (self, "The TLS trust anchors", &error)) {
        g_free (self->tls_ca_file);
        self->tls_ca_file = g_value_dup_string (value);
      }
      g_mutex_unlock (&self->lock);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  /* Properties cannot fail: say why the value was ignored. */
  if (error) {
    GST_WARNING_OBJECT (self, "%s ignored: %s", pspec->name, error->message);
    g_error_free (error);
  }
}

static void
rtc_ice_transport_get_property (GObject *object, guint prop_id, GValue *value,
    GParamSpec *pspec)
{
  RtcIceTransport *self = RTC_ICE_TRANSPORT (object);

  switch (prop_id) {
    case PROP_STATE:
      g_value_set_enum (value, rtc_ice_transport_get_state (self));
      break;
    case PROP_GATHERING_STATE:
      g_value_set_enum (value, rtc_ice_transport_get_gathering_state (self));
      break;
    case PROP_CONTROLLING:
      g_object_get_property (G_OBJECT (self->agent), "controlling-mode", value);
      break;
    case PROP_POLICY:
      g_mutex_lock (&self->lock);
      g_value_set_enum (value, self->policy);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_ICE_TCP:
      g_object_get_property (G_OBJECT (self->agent), "ice-tcp", value);
      break;
    case PROP_STUN_SERVER:
      g_mutex_lock (&self->lock);
      if (self->stun)
        g_value_take_string (value,
            g_strdup_printf (strchr (self->stun->host, ':') ? "stun://[%s]:%u"
                                                            : "stun://%s:%u",
                self->stun->host, self->stun->port));
      else
        g_value_set_string (value, NULL);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_LOCAL_ADDRESSES:
      g_mutex_lock (&self->lock);
      g_value_set_boxed (value, self->local_addresses);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_TLS_CA_FILE:
      g_mutex_lock (&self->lock);
      g_value_set_string (value, self->tls_ca_file);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_SELECTED_LOCAL:
      g_value_take_string (value, dup_candidate_string (self, TRUE));
      break;
    case PROP_SELECTED_REMOTE:
      g_value_take_string (value, dup_candidate_string (self, FALSE));
      break;
    case PROP_STATS:
      g_value_take_boxed (value, rtc_ice_transport_get_stats (self));
      break;
    case PROP_LOCAL_UFRAG:
    case PROP_LOCAL_PWD: {
      gchar *ufrag = NULL, *pwd = NULL;

      rtc_ice_transport_get_local_credentials (self, &ufrag, &pwd);
      g_value_take_string (value, prop_id == PROP_LOCAL_UFRAG ? ufrag : pwd);
      g_free (prop_id == PROP_LOCAL_UFRAG ? pwd : ufrag);
      break;
    }
    case PROP_MID:
      g_mutex_lock (&self->lock);
      g_value_set_string (value, self->mid);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_MLINE_INDEX:
      g_mutex_lock (&self->lock);
      g_value_set_uint (value, self->mline_index);
      g_mutex_unlock (&self->lock);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
rtc_ice_transport_class_init (RtcIceTransportClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->dispose = rtc_ice_transport_dispose;
  gobject_class->finalize = rtc_ice_transport_finalize;
  gobject_class->set_property = rtc_ice_transport_set_property;
  gobject_class->get_property = rtc_ice_transport_get_property;

  props[PROP_STATE] = g_param_spec_enum ("state", "State",
      "ICE transport state (W3C RTCIceTransportState)",
      RTC_TYPE_ICE_TRANSPORT_STATE, RTC_ICE_TRANSPORT_STATE_NEW,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_GATHERING_STATE] = g_param_spec_enum ("gathering-state",
      "Gathering state", "ICE gathering state (W3C RTCIceGatheringState)",
      RTC_TYPE_ICE_GATHERING_STATE, RTC_ICE_GATHERING_STATE_NEW,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_CONTROLLING] = g_param_spec_boolean ("controlling", "Controlling",
      "Whether this side is the controlling ICE agent", TRUE,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  props[PROP_POLICY] = g_param_spec_enum ("ice-transport-policy",
      "ICE transport policy",
      "all, or relay: only relay candidates are used and signalled",
      RTC_TYPE_ICE_TRANSPORT_POLICY, RTC_ICE_TRANSPORT_POLICY_ALL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  props[PROP_ICE_TCP] = g_param_spec_boolean ("ice-tcp", "ICE-TCP",
      "Gather and use TCP candidates (RFC 6544) beside UDP ones", TRUE,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  props[PROP_STUN_SERVER] = g_param_spec_string ("stun-server", "STUN server",
      "STUN server URI stun://host:port, before gathering", NULL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  props[PROP_LOCAL_ADDRESSES] = g_param_spec_boxed ("local-addresses",
      "Local addresses",
      "IP addresses to gather host candidates on (default: all interfaces), "
      "before gathering",
      G_TYPE_STRV, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  props[PROP_SELECTED_LOCAL] = g_param_spec_string ("selected-local-candidate",
      "Selected local candidate", "Local candidate of the selected pair", NULL,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_SELECTED_REMOTE]
      = g_param_spec_string ("selected-remote-candidate",
          "Selected remote candidate", "Remote candidate of the selected pair",
          NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_STATS] = g_param_spec_boxed ("stats", "Statistics",
      "Packet and byte counters", GST_TYPE_STRUCTURE,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_LOCAL_UFRAG] = g_param_spec_string ("local-ufrag", "Local ufrag",
      "Local ICE username fragment, to signal to the peer", NULL,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_LOCAL_PWD] = g_param_spec_string ("local-pwd", "Local password",
      "Local ICE password, to signal to the peer", NULL,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_MID] = g_param_spec_string ("mid", "MID",
      "Media ID (a=mid) of the m-line the transport belongs to: the sdpMid "
      "to signal with its candidates",
      NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  props[PROP_MLINE_INDEX] = g_param_spec_uint ("mline-index", "m-line index",
      "Index of the m-line the transport belongs to: the sdpMLineIndex to "
      "signal with its candidates",
      0, G_MAXUINT, 0, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * RtcIceTransport:tls-ca-file:
   *
   * A PEM file of certificates trusted, besides the system's, as anchors
   * for the certificates of `turns:` servers: for private TURN
   * deployments. Set before gathering.
   */
  props[PROP_TLS_CA_FILE] = g_param_spec_string ("tls-ca-file", "TLS CA file",
      "PEM file of extra trust anchors for turns: servers, before gathering",
      NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (gobject_class, N_PROPS, props);

  /**
   * RtcIceTransport::on-ice-candidate:
   * @self: the transport
   * @component: the component id (1)
   * @candidate: a `candidate:…` line to signal to the peer
   *
   * A local candidate was found (or, after a restart, is signalled again
   * for the new credentials). Emitted on the ICE thread. Trickle needs
   * the candidate's m-line: the transport's #RtcIceTransport:mid and
   * #RtcIceTransport:mline-index, readable from the handler.
   */
  signals[SIGNAL_ON_ICE_CANDIDATE] = g_signal_new ("on-ice-candidate",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  /**
   * RtcIceTransport::on-end-of-candidates:
   * @self: the transport
   *
   * Gathering is over: no more local candidates will be signalled (the
   * peer should be sent `a=end-of-candidates`). Emitted on the ICE thread,
   * just before #RtcIceTransport:gathering-state turns `complete`.
   */
  signals[SIGNAL_ON_END_OF_CANDIDATES] = g_signal_new ("on-end-of-candidates",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);

  /**
   * RtcIceTransport::on-ice-candidate-error:
   * @self: the transport
   * @url: the server, as `turn:host:port?transport=…` (no credentials)
   * @error_code: 701 (W3C: server unreachable or failing, or its host
   *   name not resolved)
   * @error_text: what went wrong
   *
   * A STUN or TURN server failed to give a candidate, as the W3C
   * icecandidateerror event. Emitted on the ICE thread before
   * #RtcIceTransport::on-end-of-candidates.
   */
  signals[SIGNAL_ON_ICE_CANDIDATE_ERROR]
      = g_signal_new ("on-ice-candidate-error", G_TYPE_FROM_CLASS (klass),
          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING,
          G_TYPE_UINT, G_TYPE_STRING);
  /**
   * RtcIceTransport::gather:
   * @self: the transport
   *
   * Action signal for rtc_ice_transport_gather().
   *
   * Returns: %TRUE if gathering was started
   */
  signals[SIGNAL_GATHER] = g_signal_new_class_handler ("gather",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (action_gather), NULL, NULL, NULL, G_TYPE_BOOLEAN, 0);
  /**
   * RtcIceTransport::set-remote-credentials:
   * @self: the transport
   * @ufrag: the peer's ICE username fragment
   * @pwd: the peer's ICE password
   *
   * Action signal for rtc_ice_transport_set_remote_credentials().
   *
   * Returns: %TRUE if the credentials are valid
   */
  signals[SIGNAL_SET_REMOTE_CREDENTIALS]
      = g_signal_new_class_handler ("set-remote-credentials",
          G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
          G_CALLBACK (action_set_remote_credentials), NULL, NULL, NULL,
          G_TYPE_BOOLEAN, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * RtcIceTransport::add-remote-candidate:
   * @self: the transport
   * @candidate: a `candidate:…` line from the peer
   *
   * Action signal for rtc_ice_transport_add_remote_candidate().
   *
   * Returns: %TRUE if the candidate was accepted
   */
  signals[SIGNAL_ADD_REMOTE_CANDIDATE]
      = g_signal_new_class_handler ("add-remote-candidate",
          G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
          G_CALLBACK (action_add_remote_candidate), NULL, NULL, NULL,
          G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
  /**
   * RtcIceTransport::end-of-remote-candidates:
   * @self: the transport
   *
   * Action signal for rtc_ice_transport_end_of_remote_candidates().
   */
  signals[SIGNAL_END_OF_REMOTE_CANDIDATES]
      = g_signal_new_class_handler ("end-of-remote-candidates",
          G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
          G_CALLBACK (rtc_ice_transport_end_of_remote_candidates), NULL, NULL,
          NULL, G_TYPE_NONE, 0);
  /**
   * RtcIceTransport::add-turn-server:
   * @self: the transport
   * @uri: a `turn://` or `turns://` URI
   *
   * Action signal for rtc_ice_transport_add_turn_server().
   *
   * Returns: %TRUE if the server was added
   */
  signals[SIGNAL_ADD_TURN_SERVER]
      = g_signal_new_class_handler ("add-turn-server",
          G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
          G_CALLBACK (action_add_turn_server), NULL, NULL, NULL, G_TYPE_BOOLEAN,
          1, G_TYPE_STRING);
  /**
   * RtcIceTransport::close:
   * @self: the transport
   *
   * Action signal for rtc_ice_transport_close().
   */
  signals[SIGNAL_CLOSE] = g_signal_new_class_handler ("close",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (rtc_ice_transport_close), NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * RtcIceTransport::restart:
   * @self: the transport
   *
   * Action signal for rtc_ice_transport_restart().
   *
   * Returns: %TRUE if the restart was started
   */
  signals[SIGNAL_RESTART] = g_signal_new_class_handler ("restart",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (action_restart), NULL, NULL, NULL, G_TYPE_BOOLEAN, 0);
}
