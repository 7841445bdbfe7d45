/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-rtcbin
 * @title: rtcbin
 *
 * A WebRTC session (W3C RTCPeerConnection) as a bin, with the API of
 * gst-plugins-bad's webrtcbin: JSEP through the `create-offer`,
 * `create-answer`, `set-local-description` and `set-remote-description`
 * action signals answered through #GstPromise, trickle ICE through
 * `on-ice-candidate` and `add-ice-candidate` (an empty candidate marks
 * the end of gathering, both ways), transceivers through
 * `add-transceiver`, `get-transceiver(s)` and `on-new-transceiver`, TURN
 * servers through `turn-server` and `add-turn-server`, W3C statistics
 * through `get-stats`.
 * `on-negotiation-needed` fires when the W3C check says an exchange is
 * needed (a new transceiver, a changed direction, the first data
 * channel), once per need. Data channels through `create-data-channel`
 * and `on-data-channel` (#GstRtcDataChannel) run over SCTP on the same
 * DTLS transport.
 * A description of type rollback drops a pending offer; a
 * `set-local-description` without description makes and applies the
 * offer or answer the state calls for (W3C's parameterless
 * setLocalDescription()); a remote offer over a pending local one rolls
 * the local one back first, so the W3C perfect negotiation pattern works
 * as written. A pranswer (provisional answer) starts media before the
 * final answer, as JSEP allows. `close` ends the session as
 * RTCPeerConnection.close(), telling the peer with a DTLS close_notify.
 *
 * Every operation runs, in the order it was called, on the session's own
 * thread; its promise is always answered, with a #GError in the `error`
 * field of the reply when it fails (for instance setting a remote answer
 * while no offer is pending).
 *
 * Pads: `sink_%u` (request) take RTP from a payloader; a sink pad binds
 * to the first transceiver that has none, or makes a `sendrecv` one from
 * its caps (then `on-negotiation-needed` fires). An offer made before a
 * pad's caps arrive takes its codec from what the payloader can produce,
 * or waits for the caps up to `caps-timeout`. Once negotiated, packets
 * are sent with the transceiver's SSRC and the negotiated payload type.
 * `src_%u` (sometimes, `%u` being the m-line) carry received RTP after
 * SRTP decryption and a jitter buffer, with the negotiated codec caps;
 * a peer that changes SSRC keeps flowing out of the same pad. RTP and
 * RTCP (reports, NACK/RTX, PLI) run through one `rtpbin` session.
 *
 * All m-lines share one transport (BUNDLE, `max-bundle` behaviour):
 * `rtcdtlssrtpenc` → `rtcicesink` out, `rtcicesrc` → `rtcdtlssrtpdec` in,
 * with the DTLS role and the peer's certificate fingerprint taken from the
 * negotiation. `connection-state` is `connected` once ICE and DTLS both
 * are.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 audiotestsrc is-live=true ! opusenc ! rtpopuspay ! rtcbin name=pc
 * ]| Adds an Opus transceiver to `pc`; packets are held back until an
 * application answers `on-negotiation-needed` and exchanges the offer,
 * answer and candidates with the peer (see `tests/check/elements/rtcbin.c`
 * for two rtcbins doing so in one process).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcbin.h"

#include <gst/rtc/rtc.h>
#include <gst/rtp/rtp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rtcbindata.h"
#include "rtcbinmedia.h"
#include "rtcbinops.h"
#include "rtcbinoptions.h"
#include "rtcbinpending.h"
#include "rtcbinrollback.h"
#include "rtcbinsdp.h"
#include "rtcbinstats.h"
#include "rtcbintransceivers.h"
#include "rtcdtlsconnection.h"
#include "rtcicetransport.h"
#include "rtciceuri.h"
#include "rtcjsep.h"

GST_DEBUG_CATEGORY_STATIC (gst_rtc_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_bin_debug

#define DEFAULT_LATENCY 200

struct _GstRtcBin {
  GstBin parent;

  RtcBinOps *ops;
  /* Guards ops against its release in dispose. */
  GMutex ops_lock;

  /* Session thread only (gathering: written under the object lock). */
  RtcJsepSession *jsep;
  RtcIceTransport *ice;
  gboolean gathering;
  gboolean closed;
  gboolean transport_linked;
  /* W3C [[NegotiationNeeded]]: set when on-negotiation-needed fired,
   * cleared when an exchange completes. */
  gboolean negotiation_needed;
  /* Our trickled candidates and whether gathering ended, for local
   * descriptions set after they came. */
  GPtrArray *local_candidates;
  gboolean end_of_candidates;
  /* An ICE restart's candidates wait for the local description with its
   * credentials (W3C: signalled after setLocalDescription). */
  gboolean hold_candidates;

  /* The transport's elements, made with the session, in the bin from the
   * first negotiation on (so the handshake starts with the right role). */
  GstElement *dtls_enc;
  GstElement *dtls_dec;
  GstElement *ice_sink;
  GstElement *ice_src;
  GstRtcDtlsTransportState dtls_state;

  /* Object lock. */
  GPtrArray *transceivers;
  GstRtcSignalingState signaling_state;
  GstRtcIceGatheringState ice_gathering_state;
  GstRtcIceConnectionState ice_connection_state;
  GstRtcPeerConnectionState connection_state;
  GstRtcSessionDescription *current_local;
  GstRtcSessionDescription *current_remote;
  GstRtcSessionDescription *pending_local;
  GstRtcSessionDescription *pending_remote;
  /* `close` was called: the states stay closed, operations are refused. */
  gboolean close_called;
  gchar *stun_server;
  gchar *turn_server;
  GPtrArray *turn_servers;
  gchar **local_addresses;
  guint caps_timeout;
  /* Signalled when a sink pad binds to a transceiver. */
  GstRtcBundlePolicy bundle_policy;
  GstRtcIceTransportPolicy ice_transport_policy;
  guint latency;
  guint sink_pads;

  /* RTP/RTCP between the sink/src pads and the transport. */
  RtcBinMedia *media;
  /* The peer's RTCP reports, for get-stats. */
  RtcBinReports *reports;
  /* The placements of the last stable state (session thread). */
  RtcBinRollback *rollback;
  /* Data channels and their SCTP elements. */
  RtcBinData *data;
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink_%u",
    GST_PAD_SINK, GST_PAD_REQUEST, GST_STATIC_CAPS ("application/x-rtp"));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src_%u",
    GST_PAD_SRC, GST_PAD_SOMETIMES, GST_STATIC_CAPS ("application/x-rtp"));

G_DEFINE_TYPE (GstRtcBin, gst_rtc_bin, GST_TYPE_BIN);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (rtcbin, "rtcbin", GST_RANK_NONE,
    GST_TYPE_RTC_BIN,
    GST_DEBUG_CATEGORY_INIT (gst_rtc_bin_debug, "rtcbin", 0, "rtcbin"));

enum {
  PROP_0,
  PROP_CONNECTION_STATE,
  PROP_SIGNALING_STATE,
  PROP_ICE_GATHERING_STATE,
  PROP_ICE_CONNECTION_STATE,
  PROP_LOCAL_DESCRIPTION,
  PROP_CURRENT_LOCAL_DESCRIPTION,
  PROP_PENDING_LOCAL_DESCRIPTION,
  PROP_REMOTE_DESCRIPTION,
  PROP_CURRENT_REMOTE_DESCRIPTION,
  PROP_PENDING_REMOTE_DESCRIPTION,
  PROP_STUN_SERVER,
  PROP_TURN_SERVER,
  PROP_BUNDLE_POLICY,
  PROP_ICE_TRANSPORT_POLICY,
  PROP_LATENCY,
  PROP_LOCAL_ADDRESSES,
  PROP_CAPS_TIMEOUT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_CREATE_OFFER,
  SIGNAL_CREATE_ANSWER,
  SIGNAL_SET_LOCAL_DESCRIPTION,
  SIGNAL_SET_REMOTE_DESCRIPTION,
  SIGNAL_ADD_ICE_CANDIDATE,
  SIGNAL_ADD_TRANSCEIVER,
  SIGNAL_GET_TRANSCEIVERS,
  SIGNAL_GET_TRANSCEIVER,
  SIGNAL_ADD_TURN_SERVER,
  SIGNAL_GET_STATS,
  SIGNAL_CLOSE,
  SIGNAL_CREATE_DATA_CHANNEL,
  SIGNAL_ON_NEGOTIATION_NEEDED,
  SIGNAL_ON_ICE_CANDIDATE,
  SIGNAL_ON_NEW_TRANSCEIVER,
  SIGNAL_ON_DATA_CHANNEL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GstRtcKind gst_rtc_bin_kind_from_caps (const GstCaps *caps);
static GstRtcRtpTransceiver *add_transceiver (GstRtcBin *self,
    GstRtcRtpTransceiverDirection direction, GstCaps *caps, GstPad *sink_pad);
static void op_negotiation_needed (gpointer user_data, gboolean closed);
static void watch_transceiver (GstRtcBin *self, GstRtcRtpTransceiver *trans);

/* One queued operation: what it needs, and the promise it answers. */
typedef struct {
  GstRtcBin *self;
  GstStructure *options;
  GstRtcSessionDescription *desc;
  GstPromise *promise;
  GstRtcRtpTransceiver *trans;
  guint mline;
  gchar *candidate;
  gint state;
  gint64 deadline; /* create-offer waiting for a sink pad's caps */
  GstPad *pad;
} RtcBinOpData;

static RtcBinOpData *
op_data_new (GstRtcBin *self, GstPromise *promise)
{
  RtcBinOpData *d = g_new0 (RtcBinOpData, 1);

  /* No reference: dispose drains the chain before the element goes, and
   * a reference dropped last on the session thread could not join it. */
  d->self = self;
  d->promise = promise ? gst_promise_ref (promise) : NULL;
  return d;
}

static void
op_data_free (gpointer user_data)
{
  RtcBinOpData *d = user_data;

  /* Every operation answers its promise; this is the last resort. */
  if (d->promise) {
    gst_promise_expire (d->promise);
    gst_promise_unref (d->promise);
  }
  if (d->options)
    gst_structure_free (d->options);
  gst_rtc_session_description_free (d->desc);
  if (d->trans)
    gst_object_unref (d->trans);
  g_free (d->candidate);
  if (d->pad)
    gst_object_unref (d->pad);
  g_free (d);
}

static void
op_reply (RtcBinOpData *d, GstStructure *s)
{
  if (d->promise) {
    gst_promise_reply (d->promise, s);
    gst_promise_unref (d->promise);
    d->promise = NULL;
  } else if (s) {
    gst_structure_free (s);
  }
}

static void
op_reply_error (RtcBinOpData *d, GError *error)
{
  GST_WARNING_OBJECT (d->self, "%s", error->message);
  op_reply (d,
      gst_structure_new ("application/x-gst-promise", "error", G_TYPE_ERROR,
          error, NULL));
  g_error_free (error);
}

static gboolean
close_called (GstRtcBin *self)
{
  gboolean called;

  GST_OBJECT_LOCK (self);
  called = self->close_called;
  GST_OBJECT_UNLOCK (self);
  return called;
}

static gboolean
op_closed (RtcBinOpData *d, gboolean closed)
{
  GError *error;

  /* W3C: an operation that runs after close() rejects, even one queued
   * before it. */
  if (!closed && !d->self->closed && !close_called (d->self))
    return FALSE;
  /* The element may be gone: answer without touching it. */
  error = g_error_new (GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE,
      "The session is closed");
  op_reply (d,
      gst_structure_new ("application/x-gst-promise", "error", G_TYPE_ERROR,
          error, NULL));
  g_error_free (error);
  return TRUE;
}

/* Any thread. Transport events may still be on their way from the ICE
 * thread while the element is disposed: once the chain is gone they are
 * dropped rather than queued on a freed chain. */
static void
push_op (GstRtcBin *self, RtcBinOpFunc func, RtcBinOpData *d)
{
  g_mutex_lock (&self->ops_lock);
  if (self->ops) {
    rtc_bin_ops_push (self->ops, func, d, op_data_free);
    d = NULL;
  }
  g_mutex_unlock (&self->ops_lock);
  if (d)
    op_data_free (d);
}

/* ---- state ---- */

static void
set_signaling_state (GstRtcBin *self, GstRtcSignalingState state)
{
  GST_OBJECT_LOCK (self);
  if (self->signaling_state == state || self->close_called) {
    GST_OBJECT_UNLOCK (self);
    return;
  }
  self->signaling_state = state;
  GST_OBJECT_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "signaling state %d", state);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SIGNALING_STATE]);
}

/* W3C: the aggregate of the ICE and DTLS transports. */
static GstRtcPeerConnectionState
connection_state_from (GstRtcIceConnectionState ice,
    GstRtcDtlsTransportState dtls)
{
  gboolean ice_up = ice == GST_RTC_ICE_CONNECTION_STATE_CONNECTED
      || ice == GST_RTC_ICE_CONNECTION_STATE_COMPLETED;

  if (ice == GST_RTC_ICE_CONNECTION_STATE_FAILED
      || dtls == GST_RTC_DTLS_TRANSPORT_STATE_FAILED)
    return GST_RTC_PEER_CONNECTION_STATE_FAILED;
  if (ice == GST_RTC_ICE_CONNECTION_STATE_CLOSED)
    return GST_RTC_PEER_CONNECTION_STATE_CLOSED;
  if (ice == GST_RTC_ICE_CONNECTION_STATE_DISCONNECTED)
    return GST_RTC_PEER_CONNECTION_STATE_DISCONNECTED;
  /* W3C: a DTLS transport the peer closed still counts as connected. */
  if (ice_up
      && (dtls == GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED
          || dtls == GST_RTC_DTLS_TRANSPORT_STATE_CLOSED))
    return GST_RTC_PEER_CONNECTION_STATE_CONNECTED;
  if (ice == GST_RTC_ICE_CONNECTION_STATE_NEW
      && dtls == GST_RTC_DTLS_TRANSPORT_STATE_NEW)
    return GST_RTC_PEER_CONNECTION_STATE_NEW;
  return GST_RTC_PEER_CONNECTION_STATE_CONNECTING;
}

/* Session thread: recomputes the derived connection state. */
static void
update_connection_state (GstRtcBin *self)
{
  GstRtcPeerConnectionState state;

  GST_OBJECT_LOCK (self);
  state = connection_state_from (self->ice_connection_state, self->dtls_state);
  if (state == self->connection_state || self->close_called) {
    GST_OBJECT_UNLOCK (self);
    return;
  }
  self->connection_state = state;
  GST_OBJECT_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "connection state %d", state);
  /* The peer is gone: so are the data channels. */
  if (state == GST_RTC_PEER_CONNECTION_STATE_FAILED
      || state == GST_RTC_PEER_CONNECTION_STATE_CLOSED)
    rtc_bin_data_close (self->data);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONNECTION_STATE]);
}

/* ---- ICE events, hopped onto the session thread ---- */

/* Session thread, object lock held: the local descriptions carry the
 * candidates gathered so far and, once gathering ended, say so. */
static void
add_candidates_to (GstRtcBin *self, GstRtcSessionDescription *desc)
{
  guint mline, i;

  if (!desc || !self->ice)
    return;
  g_object_get (self->ice, "mline-index", &mline, NULL);
  for (i = 0; i < self->local_candidates->len; i++)
    rtc_bin_sdp_add_candidate (desc->sdp, mline,
        g_ptr_array_index (self->local_candidates, i));
  if (self->end_of_candidates)
    rtc_bin_sdp_add_end_of_candidates (desc->sdp, mline);
}

static void
op_ice_candidate (gpointer user_data, gboolean closed)
{
  RtcBinOpData *d = user_data;
  GstRtcBin *self = d->self;
  gboolean held;

  if (closed || self->closed)
    return;
  GST_OBJECT_LOCK (self);
  g_ptr_array_add (self->local_candidates, g_strdup (d->candidate));
  held = self->hold_candidates;
  if (!held) {
    add_candidates_to (self, self->pending_local);
    add_candidates_to (self, self->current_local);
  }
  GST_OBJECT_UNLOCK (self);
  if (!held)
    g_signal_emit (self, signals[SIGNAL_ON_ICE_CANDIDATE], 0, d->mline,
        d->candidate);
}

/* Gathering ended: `a=end-of-candidates` in the local description, and an
 * empty candidate through on-ice-candidate (the W3C null candidate; an
 * application forwards it to the peer like any other, and add-ice-candidate
 * takes it as the peer's end of candidates). */
static void
op_end_of_candidates (gpointer user_data, gboolean closed)
{
  RtcBinOpData *d = user_data;
  GstRtcBin *self = d->self;
  gboolean held;

  if (closed || self->closed)
    return;
  GST_OBJECT_LOCK (self);
  self->end_of_candidates = TRUE;
  held = self->hold_candidates;
  if (!held) {
    add_candidates_to (self, self->pending_local);
    add_candidates_to (self, self->current_local);
  }
  GST_OBJECT_UNLOCK (self);
  if (!held)
    g_signal_emit (self, signals[SIGNAL_ON_ICE_CANDIDATE], 0, d->mline, "");
}

/* Session thread, once a local description is set: the candidates an ICE
 * restart held back are signalled (the description has them already). */
static void
release_held_candidates (GstRtcBin *self)
{
  g_autoptr (GPtrArray) held = g_ptr_array_new_with_free_func (g_free);
  gboolean end = FALSE;
  guint mline, i;

  GST_OBJECT_LOCK (self);
  if (self->hold_candidates) {
    self->hold_candidates = FALSE;
    for (i = 0; i < self->local_candidates->len; i++)
      g_ptr_array_add (held,
          g_strdup (g_ptr_array_index (self->local_candidates, i)));
    end = self->end_of_candidates;
  }
  GST_OBJECT_UNLOCK (self);
  if (!held->len && !end)
    return;
  g_object_get (self->ice, "mline-index", &mline, NULL);
  for (i = 0; i < held->len; i++)
    g_signal_emit (self, signals[SIGNAL_ON_ICE_CANDIDATE], 0, mline,
        g_ptr_array_index (held, i));
  if (end)
    g_signal_emit (self, signals[SIGNAL_ON_ICE_CANDIDATE], 0, mline, "");
}

static void
on_transport_end_of_candidates (RtcIceTransport *ice, GstRtcBin *self)
{
  RtcBinOpData *d = op_data_new (self, NULL);

  g_object_get (ice, "mline-index", &d->mline, NULL);
  push_op (self, op_end_of_candidates, d);
}

static void
on_transport_candidate (RtcIceTransport *ice, guint component,
    const gchar *candidate, GstRtcBin *self)
{
  RtcBinOpData *d = op_data_new (self, NULL);

  g_object_get (ice, "mline-index", &d->mline, NULL);
  d->candidate = g_strdup (candidate);
  push_op (self, op_ice_candidate, d);
}

static void
op_ice_state (gpointer user_data, gboolean closed)
{
  RtcBinOpData *d = user_data;
  GstRtcBin *self = d->self;
  GstRtcIceConnectionState state = GST_RTC_ICE_CONNECTION_STATE_NEW;

  if (closed || self->closed)
    return;
  switch ((RtcIceTransportState)d->state) {
    case RTC_ICE_TRANSPORT_STATE_NEW:
      state = GST_RTC_ICE_CONNECTION_STATE_NEW;
      break;
    case RTC_ICE_TRANSPORT_STATE_CHECKING:
      state = GST_RTC_ICE_CONNECTION_STATE_CHECKING;
      break;
    case RTC_ICE_TRANSPORT_STATE_CONNECTED:
      state = GST_RTC_ICE_CONNECTION_STATE_CONNECTED;
      break;
    case RTC_ICE_TRANSPORT_STATE_COMPLETED:
      state = GST_RTC_ICE_CONNECTION_STATE_COMPLETED;
      break;
    case RTC_ICE_TRANSPORT_STATE_DISCONNECTED:
      state = GST_RTC_ICE_CONNECTION_STATE_DISCONNECTED;
      break;
    case RTC_ICE_TRANSPORT_STATE_FAILED:
      state = GST_RTC_ICE_CONNECTION_STATE_FAILED;
      break;
    case RTC_ICE_TRANSPORT_STATE_CLOSED:
      state = GST_RTC_ICE_CONNECTION_STATE_CLOSED;
      break;
  }
  GST_OBJECT_LOCK (self);
  if (self->ice_connection_state == state || self->close_called) {
    GST_OBJECT_UNLOCK (self);
    return;
  }
  self->ice_connection_state = state;
  GST_OBJECT_UNLOCK (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ICE_CONNECTION_STATE]);
  update_connection_state (self);
}

static void
on_transport_state (RtcIceTransport *ice, GParamSpec *pspec, GstRtcBin *self)
{
  RtcBinOpData *d = op_data_new (self, NULL);

  d->state = rtc_ice_transport_get_state (ice);
  push_op (self, op_ice_state, d);
}

static void
op_gathering_state (gpointer user_data, gboolean closed)
{
  RtcBinOpData *d = user_data;
  GstRtcBin *self = d->self;

  if (closed || self->closed)
    return;
  GST_OBJECT_LOCK (self);
  if (self->ice_gathering_state == (GstRtcIceGatheringState)d->state) {
    GST_OBJECT_UNLOCK (self);
    return;
  }
  /* Same values in both enums. */
  self->ice_gathering_state = d->state;
  GST_OBJECT_UNLOCK (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ICE_GATHERING_STATE]);
}

static void
on_transport_gathering_state (RtcIceTransport *ice, GParamSpec *pspec,
    GstRtcBin *self)
{
  RtcBinOpData *d = op_data_new (self, NULL);

  d->state = rtc_ice_transport_get_gathering_state (ice);
  push_op (self, op_gathering_state, d);
}

static void
op_dtls_state (gpointer user_data, gboolean closed)
{
  RtcBinOpData *d = user_data;
  GstRtcBin *self = d->self;
  gint enc, dec;
  GstRtcDtlsTransportState state;

  if (closed || self->closed)
    return;
  g_object_get (self->dtls_enc, "connection-state", &enc, NULL);
  g_object_get (self->dtls_dec, "connection-state", &dec, NULL);
  if (enc == RTC_DTLS_CONNECTION_STATE_FAILED
      || dec == RTC_DTLS_CONNECTION_STATE_FAILED)
    state = GST_RTC_DTLS_TRANSPORT_STATE_FAILED;
  else if (enc == RTC_DTLS_CONNECTION_STATE_CONNECTED
      && dec == RTC_DTLS_CONNECTION_STATE_CONNECTED)
    state = GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED;
  else if (enc == RTC_DTLS_CONNECTION_STATE_CLOSED
      || dec == RTC_DTLS_CONNECTION_STATE_CLOSED)
    state = GST_RTC_DTLS_TRANSPORT_STATE_CLOSED;
  else if (enc == RTC_DTLS_CONNECTION_STATE_NEW
      && dec == RTC_DTLS_CONNECTION_STATE_NEW)
    state = GST_RTC_DTLS_TRANSPORT_STATE_NEW;
  else
    state = GST_RTC_DTLS_TRANSPORT_STATE_CONNECTING;
  GST_OBJECT_LOCK (self);
  self->dtls_state = state;
  GST_OBJECT_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "DTLS state %d", state);
  if (state == GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED)
    rtc_bin_data_start (self->data);
  else if (state == GST_RTC_DTLS_TRANSPORT_STATE_CLOSED)
    rtc_bin_data_close (self->data);
  update_connection_state (self);
}

static void
on_dtls_state (GstElement *dtls, GParamSpec *pspec, GstRtcBin *self)
{
  push_op (self, op_dtls_state, op_data_new (self, NULL));
}

/* ---- media paths ---- */

static void
bind_sink_pad (GstRtcBin *self, GstPad *pad, GstRtcRtpTransceiver *trans)
{
  g_object_set_data_full (G_OBJECT (trans), "rtcbin-sinkpad",
      gst_object_ref (pad), gst_object_unref);
  g_object_set_data_full (G_OBJECT (pad), "rtcbin-trans",
      gst_object_ref (trans), gst_object_unref);
  /* An offer may be waiting for this pad's codec. */
  rtc_bin_ops_wake (self->ops);
}

/* Object lock held: the first transceiver of @kind that sends and has
 * no sink pad yet (one from add-transceiver, or a remote offer's). */
static GstRtcRtpTransceiver *
find_free_transceiver (GstRtcBin *self, GstRtcKind kind)
{
  guint i;

  for (i = 0; i < self->transceivers->len; i++) {
    GstRtcRtpTransceiver *trans = g_ptr_array_index (self->transceivers, i);

    if (rtc_bin_transceiver_is_free_sender (trans, kind))
      return trans;
  }
  return NULL;
}

/* A sink pad binds, on its first caps, to a free transceiver of its kind,
 * or makes a sendrecv one from the caps. */
static GstPadProbeReturn
sink_caps_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstRtcBin *self;
  GstCaps *caps;
  gboolean bound;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;
  self = GST_RTC_BIN (gst_pad_get_parent_element (pad));
  if (!self)
    return GST_PAD_PROBE_OK;
  GST_OBJECT_LOCK (self);
  bound = g_object_get_data (G_OBJECT (pad), "rtcbin-trans") != NULL;
  GST_OBJECT_UNLOCK (self);
  gst_event_parse_caps (event, &caps);
  if (!bound) {
    GstCaps *prefs = gst_caps_copy (caps);
    GstStructure *st = gst_caps_get_structure (prefs, 0);
    GstRtcRtpTransceiver *trans;
    GstRtcKind kind;

    /* The payloader's stream properties are not codec preferences. */
    gst_structure_remove_fields (st, "ssrc", "timestamp-offset",
        "seqnum-offset", NULL);
    kind = gst_rtc_bin_kind_from_caps (prefs);

    GST_OBJECT_LOCK (self);
    /* An offer may have bound it meanwhile, from its peer's caps. */
    bound = g_object_get_data (G_OBJECT (pad), "rtcbin-trans") != NULL;
    trans = bound || kind == GST_RTC_KIND_UNKNOWN
        ? NULL
        : find_free_transceiver (self, kind);
    if (trans)
      bind_sink_pad (self, pad, trans);
    GST_OBJECT_UNLOCK (self);
    if (!bound && kind == GST_RTC_KIND_UNKNOWN) {
      GST_ELEMENT_ERROR (self, STREAM, FORMAT, (NULL),
          ("%s: caps %" GST_PTR_FORMAT " name no audio or video media",
              GST_PAD_NAME (pad), caps));
    } else if (!bound && !trans) {
      trans = add_transceiver (self, GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV,
          prefs, pad);
      gst_object_unref (trans);
    }
    gst_caps_unref (prefs);
  }
  gst_object_unref (self);
  return GST_PAD_PROBE_OK;
}

static GstPad *
gst_rtc_bin_request_new_pad (GstElement *element, GstPadTemplate *templ,
    const gchar *name, const GstCaps *caps)
{
  GstRtcBin *self = GST_RTC_BIN (element);
  GstPad *target, *pad;
  gchar *pad_name;

  if (templ->direction != GST_PAD_SINK)
    return NULL;
  GST_OBJECT_LOCK (self);
  pad_name = name ? g_strdup (name)
                  : g_strdup_printf ("sink_%u", self->sink_pads);
  self->sink_pads++;
  GST_OBJECT_UNLOCK (self);
  pad = gst_ghost_pad_new_no_target_from_template (pad_name, templ);
  g_free (pad_name);
  target = rtc_bin_media_request_sink (self->media, pad);
  gst_ghost_pad_set_target (GST_GHOST_PAD (pad), target);
  gst_object_unref (target);

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, sink_caps_probe,
      NULL, NULL);
  gst_pad_set_active (pad, TRUE);
  gst_element_add_pad (element, pad);
  return pad;
}

static void
gst_rtc_bin_release_pad (GstElement *element, GstPad *pad)
{
  GstRtcBin *self = GST_RTC_BIN (element);
  GstPad *target = gst_ghost_pad_get_target (GST_GHOST_PAD (pad));
  GstRtcRtpTransceiver *trans;

  GST_OBJECT_LOCK (self);
  trans = g_object_steal_data (G_OBJECT (pad), "rtcbin-trans");
  if (trans)
    g_object_set_data (G_OBJECT (trans), "rtcbin-sinkpad", NULL);
  GST_OBJECT_UNLOCK (self);
  if (trans)
    gst_object_unref (trans);
  gst_element_remove_pad (element, pad);
  if (target) {
    rtc_bin_media_release_sink (self->media, target);
    gst_object_unref (target);
  }
}

static GstElement *
make_element (const gchar *factory, GError **error)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  if (!e)
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INTERNAL_FAILURE,
        "The %s element is missing", factory);
  return e;
}

/* Session thread: the transport's elements, not yet in the bin. */
static gboolean
make_transport (GstRtcBin *self, GError **error)
{
  static gint counter;
  gchar *id;

  if (!(self->dtls_enc = make_element ("rtcdtlssrtpenc", error))
      || !(self->dtls_dec = make_element ("rtcdtlssrtpdec", error))
      || !(self->ice_sink = make_element ("rtcicesink", error))
      || !(self->ice_src = make_element ("rtcicesrc", error)))
    return FALSE;
  gst_object_ref_sink (self->dtls_enc);
  gst_object_ref_sink (self->dtls_dec);
  gst_object_ref_sink (self->ice_sink);
  gst_object_ref_sink (self->ice_src);
  id = g_strdup_printf ("rtcbin-%d-%u", (gint)getpid (),
      (guint)g_atomic_int_add (&counter, 1));
  g_object_set (self->dtls_enc, "connection-id", id, NULL);
  g_object_set (self->dtls_dec, "connection-id", id, NULL);
  g_free (id);
  g_object_set (self->ice_sink, "transport", self->ice, NULL);
  g_object_set (self->ice_src, "transport", self->ice, NULL);
  g_signal_connect (self->dtls_enc, "notify::connection-state",
      G_CALLBACK (on_dtls_state), self);
  g_signal_connect (self->dtls_dec, "notify::connection-state",
      G_CALLBACK (on_dtls_state), self);
  return TRUE;
}

/* Session thread, first negotiation: the transport joins the bin, with
 * the negotiated DTLS role and peer fingerprint already set. */
static gboolean
link_transport (GstRtcBin *self, GError **error)
{
  if (self->transport_linked)
    return TRUE;
  /* Not floating any more: the bin takes a reference of its own. */
  gst_bin_add_many (GST_BIN (self), self->dtls_enc, self->dtls_dec,
      self->ice_sink, self->ice_src, NULL);
  if (!gst_element_link (self->dtls_enc, self->ice_sink)
      || !gst_element_link (self->ice_src, self->dtls_dec))
    goto link_failed;
  if (!rtc_bin_media_link_transport (self->media, self->dtls_enc,
          self->dtls_dec, error))
    return FALSE;
  self->transport_linked = TRUE;
  {
    GstElement *rtpbin = gst_bin_get_by_name (GST_BIN (self), "rtpbin");

    /* From the first RTCP packet on: reports are counted. */
    if (rtpbin) {
      rtc_bin_reports_attach (self->reports, rtpbin);
      gst_object_unref (rtpbin);
    }
  }
  /* Downstream first, and the sending funnel linked last: a push into a
   * pad not yet active would return FLUSHING and stop the upstream task
   * for good. */
  gst_element_sync_state_with_parent (self->ice_sink);
  gst_element_sync_state_with_parent (self->dtls_enc);
  gst_element_sync_state_with_parent (self->dtls_dec);
  gst_element_sync_state_with_parent (self->ice_src);
  return rtc_bin_media_start_sending (self->media, error);

link_failed:
  g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INTERNAL_FAILURE,
      "Could not link the transport elements");
  return FALSE;
}

/* ---- session set-up ---- */

/* Session thread: the servers of add-turn-server not yet given to the
 * transport, beside `turn-server`. */
static gboolean
add_turn_servers (GstRtcBin *self, GError **error)
{
  GPtrArray *uris;
  gboolean ok = TRUE;
  guint i;

  GST_OBJECT_LOCK (self);
  uris = self->turn_servers;
  self->turn_servers = g_ptr_array_new_with_free_func (g_free);
  GST_OBJECT_UNLOCK (self);
  for (i = 0; ok && i < uris->len; i++)
    ok = rtc_ice_transport_add_turn_server (self->ice,
        g_ptr_array_index (uris, i), error);
  g_ptr_array_unref (uris);
  return ok;
}

/* Session thread: the certificate, the transport and the JSEP model are
 * made by the first operation that needs them. */
static gboolean
ensure_session (GstRtcBin *self, GError **error)
{
  gchar *ufrag = NULL, *pwd = NULL;
  gchar *stun, *turn;
  gchar **addresses;
  GstRtcIceTransportPolicy policy;
  GstRtcBundlePolicy bundle_policy;

  gchar *fingerprint = NULL;

  if (self->jsep)
    return TRUE;

  GST_OBJECT_LOCK (self);
  stun = g_strdup (self->stun_server);
  turn = g_strdup (self->turn_server);
  addresses = g_strdupv (self->local_addresses);
  policy = self->ice_transport_policy;
  bundle_policy = self->bundle_policy;
  GST_OBJECT_UNLOCK (self);

  self->ice = rtc_ice_transport_new ();
  g_object_set (self->ice, "ice-transport-policy",
      policy == GST_RTC_ICE_TRANSPORT_POLICY_RELAY
          ? RTC_ICE_TRANSPORT_POLICY_RELAY
          : RTC_ICE_TRANSPORT_POLICY_ALL,
      NULL);
  g_signal_connect (self->ice, "on-ice-candidate",
      G_CALLBACK (on_transport_candidate), self);
  g_signal_connect (self->ice, "notify::state", G_CALLBACK (on_transport_state),
      self);
  g_signal_connect (self->ice, "notify::gathering-state",
      G_CALLBACK (on_transport_gathering_state), self);
  g_signal_connect (self->ice, "on-end-of-candidates",
      G_CALLBACK (on_transport_end_of_candidates), self);

  if ((stun && !rtc_ice_transport_set_stun_server (self->ice, stun, error))
      || (turn && !rtc_ice_transport_add_turn_server (self->ice, turn, error))
      || !add_turn_servers (self, error)
      || (addresses
          && !rtc_ice_transport_set_local_addresses (self->ice,
              (const gchar *const *)addresses, error))) {
    g_free (stun);
    g_free (turn);
    g_strfreev (addresses);
    return FALSE;
  }
  g_free (stun);
  g_free (turn);
  g_strfreev (addresses);

  if (!make_transport (self, error))
    return FALSE;
  /* The decoder holds the certificate (a fresh one per session). */
  g_object_get (self->dtls_dec, "fingerprint", &fingerprint, NULL);
  rtc_ice_transport_get_local_credentials (self->ice, &ufrag, &pwd);
  self->jsep = rtc_jsep_session_new (ufrag, pwd, fingerprint);
  g_free (fingerprint);
  /* One transport is all this element drives: offers follow the policy
   * (which m-lines are bundle-only), and a peer accepting BUNDLE puts
   * everything on the tagged m-line's transport; `none`, which offers no
   * group at all, is taken as max-bundle. */
  self->jsep->bundle_policy = bundle_policy == GST_RTC_BUNDLE_POLICY_NONE
      ? GST_RTC_BUNDLE_POLICY_MAX_BUNDLE
      : bundle_policy;
  g_free (ufrag);
  g_free (pwd);
  return TRUE;
}

/* Session thread: ensure_session() for an operation with no promise to
 * reply to, where a failure can only be logged (naming @what). */
static gboolean
ensure_session_or_log (GstRtcBin *self, const gchar *what)
{
  GError *error = NULL;

  if (ensure_session (self, &error))
    return TRUE;
  GST_WARNING_OBJECT (self, "%s: %s", what, error->message);
  g_error_free (error);
  return FALSE;
}

/* Session thread: gives every queued transceiver its JSEP twin, and
 * every twin the direction the application wants now. */
static void
sync_transceivers (GstRtcBin *self)
{
  guint i;

  GST_OBJECT_LOCK (self);
  for (i = 0; i < self->transceivers->len; i++) {
    GstRtcRtpTransceiver *trans = g_ptr_array_index (self->transceivers, i);
    RtcJsepTransceiver *jt;
    GstCaps *caps;

    if ((jt = rtc_bin_transceiver_jsep (trans))) {
      rtc_bin_transceiver_sync (trans, jt);
      continue;
    }
    caps = gst_rtc_rtp_transceiver_get_codec_preferences (trans);
    jt = rtc_jsep_session_add_transceiver (self->jsep,
        gst_rtc_rtp_transceiver_get_kind (trans),
        gst_rtc_rtp_transceiver_get_direction (trans), caps);
    rtc_bin_transceiver_sync (trans, jt);
    g_object_set_data (G_OBJECT (trans), "rtcbin-jsep", jt);
    if (caps)
      gst_caps_unref (caps);
  }
  GST_OBJECT_UNLOCK (self);
}

static GstRtcKind
gst_rtc_bin_kind_from_caps (const GstCaps *caps)
{
  const gchar *media;

  if (!caps || gst_caps_is_empty (caps) || gst_caps_is_any (caps))
    return GST_RTC_KIND_UNKNOWN;
  media = gst_structure_get_string (gst_caps_get_structure (caps, 0), "media");
  if (g_strcmp0 (media, "audio") == 0)
    return GST_RTC_KIND_AUDIO;
  if (g_strcmp0 (media, "video") == 0)
    return GST_RTC_KIND_VIDEO;
  return GST_RTC_KIND_UNKNOWN;
}

/* ---- create-offer / create-answer ---- */

static void
reply_description (RtcBinOpData *d, const gchar *field, GstRtcSDPType type,
    GstSDPMessage *sdp)
{
  GstRtcSessionDescription *desc = gst_rtc_session_description_new (type, sdp);

  /* The structure keeps its own copy. */
  op_reply (d,
      gst_structure_new ("application/x-gst-promise", field,
          GST_TYPE_RTC_SESSION_DESCRIPTION, desc, NULL));
  gst_rtc_session_description_free (desc);
}

/* Session thread: the JSEP model takes the transport's current ICE
 * credentials (new after a restart). */
static void
refresh_credentials (GstRtcBin *self)
{
  gchar *ufrag = NULL, *pwd = NULL;

  rtc_ice_transport_get_local_credentials (self->ice, &ufrag, &pwd);
  g_free (self->jsep->ice_ufrag);
  g_free (self->jsep->ice_pwd);
  self->jsep->ice_ufrag = ufrag;
  self->jsep->ice_pwd = pwd;
}

/* Session thread: an ICE restart signals every candidate again, once the
 * local description with the new credentials is set: a peer given them
 * before the offer or answer would take them for the old generation. */
static gboolean
restart_ice (GstRtcBin *self, GError **error)
{
  GError *ice_error = NULL;

  if (!self->gathering)
    return TRUE;
  if (!rtc_ice_transport_restart (self->ice, &ice_error)) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INTERNAL_FAILURE,
        "ICE restart failed: %s", ice_error->message);
    g_error_free (ice_error);
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  g_ptr_array_set_size (self->local_candidates, 0);
  self->end_of_candidates = FALSE;
  self->hold_candidates = TRUE;
  GST_OBJECT_UNLOCK (self);
  refresh_credentials (self);
  return TRUE;
}

/* Session thread, object lock held: the first sink pad with no
 * transceiver yet, reffed. */
static GstPad *
find_unbound_sink_pad (GstRtcBin *self)
{
  GList *l;

  for (l = GST_ELEMENT (self)->sinkpads; l; l = l->next) {
    if (!g_object_get_data (G_OBJECT (l->data), "rtcbin-trans"))
      return gst_object_ref (l->data);
  }
  return NULL;
}

static gboolean
has_codec_preferences (GstRtcRtpTransceiver *trans)
{
  GstCaps *caps = gst_rtc_rtp_transceiver_get_codec_preferences (trans);

  if (!caps)
    return FALSE;
  gst_caps_unref (caps);
  return TRUE;
}

typedef enum {
  SINK_PADS_BOUND,
  SINK_PADS_WAIT,
  SINK_PADS_ERROR,
} SinkPadsBinding;

/* Session thread: every sink pad gets its transceiver before an offer is
 * made, from what its payloader can produce, else from its caps, which
 * the offer waits for until @deadline (SINK_PADS_WAIT). */
static SinkPadsBinding
bind_sink_pads (GstRtcBin *self, gint64 deadline, GError **error)
{
  GstPad *pad;

  GST_OBJECT_LOCK (self);
  while ((pad = find_unbound_sink_pad (self))) {
    GstCaps *caps;
    GstRtcRtpTransceiver *trans;
    GstRtcKind kind;

    GST_OBJECT_UNLOCK (self);
    caps = rtc_bin_pending_codec_from_peer (pad);
    GST_OBJECT_LOCK (self);
    if (g_object_get_data (G_OBJECT (pad), "rtcbin-trans")) {
      /* Its caps came meanwhile. */
      gst_clear_caps (&caps);
      gst_object_unref (pad);
      continue;
    }
    if (!caps) {
      /* A transceiver the application made with codec preferences and
       * no pad yet is what this pad is for. */
      trans = find_free_transceiver (self, GST_RTC_KIND_AUDIO);
      if (!trans)
        trans = find_free_transceiver (self, GST_RTC_KIND_VIDEO);
      if (trans && has_codec_preferences (trans)) {
        GST_DEBUG_OBJECT (self, "%s: codec from its transceiver's preferences",
            GST_PAD_NAME (pad));
        bind_sink_pad (self, pad, trans);
        gst_object_unref (pad);
        continue;
      }
      GST_OBJECT_UNLOCK (self);
      if (g_get_monotonic_time () < deadline) {
        GST_DEBUG_OBJECT (self, "create-offer waits for %s's caps",
            GST_PAD_NAME (pad));
        gst_object_unref (pad);
        return SINK_PADS_WAIT;
      }
      g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE,
          "create-offer: sink pad %s has no caps after %u ms and its peer "
          "names no codec",
          GST_PAD_NAME (pad), self->caps_timeout);
      gst_object_unref (pad);
      return SINK_PADS_ERROR;
    }
    GST_DEBUG_OBJECT (self, "%s: codec from its peer %" GST_PTR_FORMAT,
        GST_PAD_NAME (pad), caps);
    kind = gst_rtc_bin_kind_from_caps (caps);
    trans = find_free_transceiver (self, kind);
    if (trans) {
      bind_sink_pad (self, pad, trans);
    } else {
      GST_OBJECT_UNLOCK (self);
      trans = add_transceiver (self, GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV,
          caps, pad);
      GST_OBJECT_LOCK (self);
      gst_object_unref (trans);
    }
    gst_caps_unref (caps);
    gst_object_unref (pad);
  }
  GST_OBJECT_UNLOCK (self);
  return SINK_PADS_BOUND;
}

/* The media path sends neither transport-wide congestion control
 * feedback nor REMB yet: a peer that negotiated either waits for it in
 * vain, and chromium's send-side estimate then falls to ~80 kbit/s within
 * seconds (its video to 320x240 at a few frames a second). So they are
 * neither offered nor answered until the media path provides them. */
static void
drop_unimplemented_feedback (GstSDPMessage *sdp)
{
  guint i, j;

  for (i = 0; i < gst_sdp_message_medias_len (sdp); i++) {
    GstSDPMedia *media = (GstSDPMedia *)gst_sdp_message_get_media (sdp, i);

    for (j = gst_sdp_media_attributes_len (media); j-- > 0;) {
      const GstSDPAttribute *a = gst_sdp_media_get_attribute (media, j);
      const gchar *v = a->value ? a->value : "";
      const gchar *sp = strchr (v, ' ');

      if ((!g_strcmp0 (a->key, "rtcp-fb") && sp
              && (!g_strcmp0 (sp + 1, "transport-cc")
                  || !g_strcmp0 (sp + 1, "goog-remb")))
          || (!g_strcmp0 (a->key, "extmap") && sp
              && g_str_has_prefix (sp + 1, RTC_JSEP_EXT_TWCC)))
        gst_sdp_media_remove_attribute (media, j);
    }
  }
}

/* Session thread: a created offer or answer as it is handed out, with
 * the candidates gathered so far and without the feedback not
 * implemented. */
static GstSDPMessage *
finish_description (GstRtcBin *self, GstRtcSDPType type, GstSDPMessage *sdp)
{
  GST_OBJECT_LOCK (self);
  if (self->gathering) {
    GstRtcSessionDescription tmp = { type, sdp };

    add_candidates_to (self, &tmp);
  }
  GST_OBJECT_UNLOCK (self);
  drop_unimplemented_feedback (sdp);
  return sdp;
}

/* Session thread: the offer for @d (create-offer, or a
 * set-local-description without one), or %NULL with @error, or %NULL with
 * *@wait set while a sink pad's caps are awaited (@d's operation then runs
 * again later). */
static GstSDPMessage *
make_offer (RtcBinOpData *d, gboolean *wait, GError **error)
{
  GstRtcBin *self = d->self;
  GstSDPMessage *sdp;
  const GstSDPMessage *prev_local = NULL, *prev_remote = NULL;
  RtcBinOfferOptions options;

  *wait = FALSE;
  if (!rtc_bin_offer_options_parse (d->options, &options, error)
      || !ensure_session (self, error))
    return NULL;
  if (!d->deadline) {
    GST_OBJECT_LOCK (self);
    d->deadline = g_get_monotonic_time ()
        + self->caps_timeout * G_TIME_SPAN_MILLISECOND;
    GST_OBJECT_UNLOCK (self);
  }
  switch (bind_sink_pads (self, d->deadline, error)) {
    case SINK_PADS_WAIT:
      /* Runs again when a pad binds or at the deadline; the session's
       * later operations wait, other sessions do not. */
      rtc_bin_ops_retry (self->ops, d->deadline);
      *wait = TRUE;
      return NULL;
    case SINK_PADS_ERROR:
      return NULL;
    case SINK_PADS_BOUND:
      break;
  }
  if (options.ice_restart && !restart_ice (self, error))
    return NULL;
  sync_transceivers (self);
  if (self->current_local)
    prev_local = self->current_local->sdp;
  if (self->current_remote)
    prev_remote = self->current_remote->sdp;
  sdp = rtc_jsep_create_offer (self->jsep, prev_local, prev_remote, error);
  if (!sdp)
    return NULL;
  return finish_description (self, GST_RTC_SDP_TYPE_OFFER, sdp);
}

static void
op_create_offer (gpointer user_data, gboolean closed)
{
  RtcBinOpData *d = user_data;
  GError *error = NULL;
  GstSDPMessage *sdp;
  gboolean wait;

  if (op_closed (d, closed))
    return;
  sdp = make_offer (d, &wait, &error);
  if (wait)
    return;
  if (!sdp)
    op_reply_error (d, error);
  else
    reply_description (d, "offer", GST_RTC_SDP_TYPE_OFFER, sdp);
}

/* Session thread: the answer to the pending remote offer, with @options
 * (create-answer's, or %NULL), or %NULL with @error. */
static GstSDPMessage *
make_answer (GstRtcBin *self, const GstStructure *options, GError **error)
{
  GstSDPMessage *sdp;
  gchar *rejected;

  if (!rtc_bin_answer_options_parse (options, error))
    return NULL;
  if (!self->pending_remote
      || self->pending_remote->type != GST_RTC_SDP_TYPE_OFFER) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE,
        "create-answer needs a remote offer (signaling "
        "state have-remote-offer or have-local-pranswer)");
    return NULL;
  }
  sync_transceivers (self);
  sdp = rtc_jsep_create_answer (self->jsep, self->pending_remote->sdp, error);
  if (!sdp)
    return NULL;
  /* An answer rejecting every m-line (no codec in common anywhere) would
   * leave the session with nothing: say why instead. */
  if ((rejected = rtc_bin_sdp_nothing_accepted (self->pending_remote->sdp,
           sdp))) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INTERNAL_FAILURE,
        "create-answer: no codec in common with the offer, every m-line "
        "would be rejected (offered %s)",
        rejected);
    g_free (rejected);
    gst_sdp_message_free (sdp);
    return NULL;
  }
  return finish_description (self, GST_RTC_SDP_TYPE_ANSWER, sdp);
}

static void
op_create_answer (gpointer user_data, gboolean closed)
{
  RtcBinOpData *d = user_data;
  GError *error = NULL;
  GstSDPMessage *sdp;

  if (op_closed (d, closed))
    return;
  sdp = make_answer (d->self, d->options, &error);
  if (!sdp)
    op_reply_error (d, error);
  else
    reply_description (d, "answer", GST_RTC_SDP_TYPE_ANSWER, sdp);
}

static void
gst_rtc_bin_create_offer (GstRtcBin *self, const GstStructure *options,
    GstPromise *promise)
{
  RtcBinOpData *d = op_data_new (self, promise);

  d->options = options ? gst_structure_copy (options) : NULL;
  push_op (self, op_create_offer, d);
}

static void
gst_rtc_bin_create_answer (GstRtcBin *self, const GstStructure *options,
    GstPromise *promise)
{
  RtcBinOpData *d = op_data_new (self, promise);

  d->options = options ? gst_structure_copy (options) : NULL;
  push_op (self, op_create_answer, d);
}

/* ---- set-local-description / set-remote-description ---- */

static const gchar *
signaling_state_name (GstRtcSignalingState state)
{
  GEnumValue *v = g_enum_get_value (g_type_class_peek (
                                        GST_TYPE_RTC_SIGNALING_STATE),
      state);

  return v ? v->value_nick : "?";
}

/* Session thread: associates the transceivers with their m-lines and
 * points the transport at the peer, from a complete offer/answer. */
static gboolean
apply_negotiation (GstRtcBin *self, const GstSDPMessage *offer,
    const GstSDPMessage *answer, gboolean local_is_offerer, GError **error)
{
  g_autoptr (RtcJsepNegotiation) neg = NULL;
  g_autoptr (GPtrArray) negotiated = g_ptr_array_new_with_free_func (
      gst_object_unref);
  g_autoptr (GArray) directions = g_array_new (FALSE, FALSE,
      sizeof (GstRtcRtpTransceiverDirection));
  g_autoptr (GPtrArray) stopped = NULL;
  RtcJsepMedia *transport = NULL, *data_media = NULL;
  guint i, j;

  neg = rtc_jsep_negotiate (offer, answer, local_is_offerer, error);
  if (!neg)
    return FALSE;

  rtc_bin_media_begin (self->media);

  for (i = 0; i < neg->media->len; i++) {
    RtcJsepMedia *m = g_ptr_array_index (neg->media, i);

    if (m->rejected)
      continue;
    if (!transport)
      transport = g_ptr_array_index (neg->media, m->transport_mline);
    else if (m->transport_mline != transport->mline)
      GST_WARNING_OBJECT (self,
          "m-line %u is not bundled with m-line %u (the peer refused "
          "BUNDLE): only one transport is driven, its media will not flow",
          m->mline, transport->mline);
    if (m->is_data) {
      data_media = m;
      continue;
    }
    GST_OBJECT_LOCK (self);
    for (j = 0; j < self->transceivers->len; j++) {
      GstRtcRtpTransceiver *trans = g_ptr_array_index (self->transceivers, j);
      RtcJsepTransceiver *jt = g_object_get_data (G_OBJECT (trans),
          "rtcbin-jsep");

      /* A stopping transceiver stays silent even if this exchange still
       * accepted its m-line. */
      if (jt && jt->mline == (gint)m->mline
          && !gst_rtc_rtp_transceiver_is_stopping (trans)) {
        rtc_bin_media_apply (self->media, trans, jt, m);
        g_ptr_array_add (negotiated, gst_object_ref (trans));
        g_array_append_val (directions, m->direction);
      }
    }
    GST_OBJECT_UNLOCK (self);
  }
  GST_OBJECT_LOCK (self);
  stopped = rtc_bin_transceivers_stop_rejected (self->transceivers, neg);
  GST_OBJECT_UNLOCK (self);
  /* Outside the lock: notify handlers may read the element. */
  for (i = 0; i < negotiated->len; i++)
    gst_rtc_rtp_transceiver_set_current_direction (g_ptr_array_index (negotiated,
                                                       i),
        g_array_index (directions, GstRtcRtpTransceiverDirection, i));
  for (i = 0; i < stopped->len; i++) {
    rtc_bin_media_stop_sending (self->media, g_ptr_array_index (stopped, i));
    gst_rtc_rtp_transceiver_set_stopped (g_ptr_array_index (stopped, i));
  }
  if (!transport) {
    GST_INFO_OBJECT (self, "no media negotiated");
    rtc_bin_media_end (self->media);
    return TRUE;
  }
  if (data_media
      && !rtc_bin_data_apply (self->data, data_media, transport->dtls_client,
          error))
    goto failed;

  g_object_set (self->ice, "controlling",
      local_is_offerer || transport->remote_ice_lite, "mid", transport->mid,
      "mline-index", transport->mline, NULL);
  if (transport->remote_ufrag
      && !rtc_ice_transport_set_remote_credentials (self->ice,
          transport->remote_ufrag, transport->remote_pwd, error))
    goto failed;
  for (i = 0; i < transport->remote_candidates->len; i++) {
    GError *cand_error = NULL;

    if (!rtc_ice_transport_add_remote_candidate (self->ice,
            g_ptr_array_index (transport->remote_candidates, i), &cand_error)) {
      GST_WARNING_OBJECT (self, "SDP candidate dropped: %s",
          cand_error->message);
      g_error_free (cand_error);
    }
  }
  if (transport->remote_end_of_candidates)
    rtc_ice_transport_end_of_remote_candidates (self->ice);

  if (!self->transport_linked) {
    /* A certificate the SDP does not name fails the handshake. */
    g_object_set (self->dtls_enc, "is-client", transport->dtls_client, NULL);
    g_object_set (self->dtls_dec, "peer-fingerprint",
        transport->remote_fingerprint, NULL);
    /* The association is not redone: a later actpass offer is answered
     * with the role it has (RFC 8842 5.3), else a peer that answered our
     * first offer as client sees its role taken. */
    self->jsep->answer_setup = transport->dtls_client
        ? GST_RTC_DTLS_SETUP_ACTIVE
        : GST_RTC_DTLS_SETUP_PASSIVE;
    if (!link_transport (self, error))
      goto failed;
  }
  if (data_media) {
    GstRtcDtlsTransportState dtls_state;

    if (!rtc_bin_data_link (self->data, self->dtls_enc, self->dtls_dec, error))
      goto failed;
    GST_OBJECT_LOCK (self);
    dtls_state = self->dtls_state;
    GST_OBJECT_UNLOCK (self);
    /* A data section added by a renegotiation starts at once. */
    if (dtls_state == GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED)
      rtc_bin_data_start (self->data);
  }
  rtc_bin_media_end (self->media);
  return TRUE;

failed:
  rtc_bin_media_end (self->media);
  return FALSE;
}

/* Session thread: the local transceivers' m-lines are known once a local
 * offer or a remote offer placed them. */
static void
update_mlines (GstRtcBin *self)
{
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (gst_object_unref);
  guint i;

  GST_OBJECT_LOCK (self);
  for (i = 0; i < self->transceivers->len; i++)
    g_ptr_array_add (all,
        gst_object_ref (g_ptr_array_index (self->transceivers, i)));
  GST_OBJECT_UNLOCK (self);

  /* Outside the lock: notify handlers may read the element. */
  for (i = 0; i < all->len; i++) {
    GstRtcRtpTransceiver *trans = g_ptr_array_index (all, i);
    RtcJsepTransceiver *jt = g_object_get_data (G_OBJECT (trans),
        "rtcbin-jsep");

    /* A stopped transceiver keeps its last m-line until another one takes
     * it; its mid stays NULL. */
    if (jt && jt->mline < 0 && gst_rtc_rtp_transceiver_is_stopped (trans))
      gst_rtc_rtp_transceiver_set_mlineindex (trans, G_MAXUINT);
    if (!jt || jt->mline < 0 || gst_rtc_rtp_transceiver_is_stopped (trans))
      continue;
    gst_rtc_rtp_transceiver_set_mlineindex (trans, jt->mline);
    if (jt->mid)
      gst_rtc_rtp_transceiver_set_mid (trans, jt->mid);
  }
}

static gboolean
start_gathering (GstRtcBin *self, GError **error)
{
  if (self->gathering)
    return TRUE;
  if (!rtc_ice_transport_gather (self->ice, error))
    return FALSE;
  /* Under the lock: add-turn-server reads it. */
  GST_OBJECT_LOCK (self);
  self->gathering = TRUE;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static void
replace_desc (GstRtcSessionDescription **slot, GstRtcSessionDescription *desc)
{
  gst_rtc_session_description_free (*slot);
  *slot = desc;
}

static void
notify_descriptions (GstRtcBin *self)
{
  guint p;

  for (p = PROP_LOCAL_DESCRIPTION; p <= PROP_PENDING_REMOTE_DESCRIPTION; p++)
    g_object_notify_by_pspec (G_OBJECT (self), props[p]);
}

/* Object lock not held: the element's transceivers, reffed. */
static GPtrArray *
ref_transceivers (GstRtcBin *self)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (gst_object_unref);
  guint i;

  GST_OBJECT_LOCK (self);
  for (i = 0; i < self->transceivers->len; i++)
    g_ptr_array_add (all,
        gst_object_ref (g_ptr_array_index (self->transceivers, i)));
  GST_OBJECT_UNLOCK (self);
  return all;
}

/* Session thread (JSEP 4.1.10.2, W3C rollback): the pending offer is
 * dropped and the session is stable again with its current descriptions;
 * the transceivers return to their placements of that state, and those
 * the rolled-back remote offer made are removed (they have no pads yet:
 * src pads come with an answer). With @check_needed, negotiation-needed
 * is looked at afresh, so a need the offer was to satisfy fires again. */
static void
rollback (GstRtcBin *self, gboolean check_needed)
{
  g_autoptr (GPtrArray) all = ref_transceivers (self);
  g_autoptr (GPtrArray) removed = NULL;
  guint i;

  removed = rtc_bin_rollback_restore (self->rollback, self->jsep, all);
  GST_OBJECT_LOCK (self);
  for (i = 0; i < removed->len; i++)
    g_ptr_array_remove (self->transceivers, g_ptr_array_index (removed, i));
  replace_desc (&self->pending_local, NULL);
  replace_desc (&self->pending_remote, NULL);
  GST_OBJECT_UNLOCK (self);
  /* The application may still hold them: they stop calling back. */
  for (i = 0; i < removed->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (removed, i), self);
  GST_DEBUG_OBJECT (self, "rolled back, %u transceivers removed", removed->len);
  set_signaling_state (self, GST_RTC_SIGNALING_STATE_STABLE);
  if (check_needed) {
    self->negotiation_needed = FALSE;
    push_op (self, op_negotiation_needed, op_data_new (self, NULL));
  }
}

/* An applied answer ends the exchange: it and the offer it answers become
 * the current descriptions, nothing stays pending. */
static void
complete_exchange (GstRtcBin *self, RtcBinOpData *d, gboolean local_answer)
{
  g_autoptr (GPtrArray) all = NULL;

  GstRtcSessionDescription **answer, **offer, **pending_offer, **pending_answer;

  answer = local_answer ? &self->current_local : &self->current_remote;
  offer = local_answer ? &self->current_remote : &self->current_local;
  pending_offer = local_answer ? &self->pending_remote : &self->pending_local;
  pending_answer = local_answer ? &self->pending_local : &self->pending_remote;
  GST_OBJECT_LOCK (self);
  replace_desc (answer, g_steal_pointer (&d->desc));
  replace_desc (offer, g_steal_pointer (pending_offer));
  replace_desc (pending_answer, NULL);
  GST_OBJECT_UNLOCK (self);
  /* What a later rollback returns to. */
  all = ref_transceivers (self);
  rtc_bin_rollback_save (self->rollback, self->jsep, all);
  set_signaling_state (self, GST_RTC_SIGNALING_STATE_STABLE);
  /* W3C: the flag is cleared, and looked at again once this operation
   * has answered its promise. */
  self->negotiation_needed = FALSE;
  push_op (self, op_negotiation_needed, op_data_new (self, NULL));
}

/* A provisional answer (JSEP 4.1.10.1, W3C): the transport and media
 * were set up from it as from an answer, but the exchange goes on: the
 * offer stays pending, the pranswer is the pending description of its
 * side until another pranswer or the final answer replaces it, and the
 * current descriptions (what a rollback and negotiation-needed look at)
 * stay those of the last stable state. */
static void
apply_pranswer (GstRtcBin *self, RtcBinOpData *d, gboolean local)
{
  GST_OBJECT_LOCK (self);
  replace_desc (local ? &self->pending_local : &self->pending_remote,
      g_steal_pointer (&d->desc));
  GST_OBJECT_UNLOCK (self);
  set_signaling_state (self,
      local ? GST_RTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER
            : GST_RTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER);
}

/* Whether @d's description may be set on the @local or remote side in the
 * current signaling state (JSEP 5.5, 5.6); replies to @d if not. */
static gboolean
description_allowed (RtcBinOpData *d, gboolean local)
{
  GstRtcBin *self = d->self;
  GstRtcSDPType type = d->desc->type;
  const gchar *side = local ? "local" : "remote";
  GstRtcSignalingState state, own_offer, peer_offer, pranswered;
  gboolean allowed;

  GST_OBJECT_LOCK (self);
  state = self->signaling_state;
  GST_OBJECT_UNLOCK (self);
  own_offer = local ? GST_RTC_SIGNALING_STATE_HAVE_LOCAL_OFFER
                    : GST_RTC_SIGNALING_STATE_HAVE_REMOTE_OFFER;
  peer_offer = local ? GST_RTC_SIGNALING_STATE_HAVE_REMOTE_OFFER
                     : GST_RTC_SIGNALING_STATE_HAVE_LOCAL_OFFER;
  /* Where a pranswer on this side leads. */
  pranswered = local ? GST_RTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER
                     : GST_RTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER;

  if (type == GST_RTC_SDP_TYPE_OFFER) {
    /* A remote offer while ours is pending is glare: ours is rolled back
     * first (W3C setRemoteDescription, perfect negotiation). */
    allowed = state == GST_RTC_SIGNALING_STATE_STABLE || state == own_offer
        || (!local && state == peer_offer);
  } else if (type == GST_RTC_SDP_TYPE_ANSWER
      || type == GST_RTC_SDP_TYPE_PRANSWER) {
    /* The peer's offer is answered, provisionally or not, until a final
     * answer ends the exchange. */
    allowed = state == peer_offer || state == pranswered;
  } else if (type == GST_RTC_SDP_TYPE_ROLLBACK) {
    /* W3C "set the session description" (webrtc-pc issue 2235): what a
     * pranswer started (media, transport, an ICE restart) cannot be
     * undone, so neither side rolls back once one is set, although JSEP
     * would. */
    if (state == GST_RTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER
        || state == GST_RTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER) {
      op_reply_error (d,
          g_error_new (GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE,
              "set-%s-description: cannot roll back in signaling state %s, "
              "a provisional answer cannot be rolled back",
              side, signaling_state_name (state)));
      return FALSE;
    }
    if (state != own_offer) {
      op_reply_error (d,
          g_error_new (GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE,
              "set-%s-description: cannot roll back in signaling state %s, "
              "no %s offer is pending",
              side, signaling_state_name (state), side));
      return FALSE;
    }
    return TRUE;
  } else {
    op_reply_error (d,
        g_error_new (GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR,
            "set-%s-description: unknown description type %d", side, type));
    return FALSE;
  }
  if (!allowed)
    op_reply_error (d,
        g_error_new (GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE,
            "set-%s-description: cannot set a %s %s in signaling state %s",
            side, side, gst_rtc_sdp_type_to_string (type),
            signaling_state_name (state)));
  return allowed;
}

/* Validates @d's description, an answer against the offer it answers. */
static gboolean
description_valid (RtcBinOpData *d, gboolean local, GError **error)
{
  GstRtcBin *self = d->self;
  GstRtcSessionDescription *offer = NULL;

  if (!ensure_session (self, error))
    return FALSE;
  /* In a pranswer state the offer is still the pending description of
   * the offerer's side. */
  if (d->desc->type == GST_RTC_SDP_TYPE_ANSWER
      || d->desc->type == GST_RTC_SDP_TYPE_PRANSWER)
    offer = local ? self->pending_remote : self->pending_local;
  return rtc_jsep_validate (d->desc->sdp, d->desc->type,
      offer ? offer->sdp : NULL, error);
}

/* Session thread (W3C setLocalDescription without a description): @d's
 * description becomes the offer (stable, have-local-offer) or the answer
 * (have-remote-offer, have-local-pranswer) the signaling state calls for;
 * a description with a type and no SDP asks for that type (a pranswer is
 * the answer with that type). %FALSE with @error, or with *@wait set while
 * an offer waits for a sink pad's caps (the operation runs again then). */
static gboolean
make_implicit_description (RtcBinOpData *d, gboolean *wait, GError **error)
{
  GstRtcBin *self = d->self;
  GstRtcSDPType wanted = d->desc ? d->desc->type : 0, type;
  GstRtcSignalingState state;
  GstSDPMessage *sdp;

  *wait = FALSE;
  GST_OBJECT_LOCK (self);
  state = self->signaling_state;
  GST_OBJECT_UNLOCK (self);
  type = state == GST_RTC_SIGNALING_STATE_HAVE_REMOTE_OFFER
          || state == GST_RTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER
      ? GST_RTC_SDP_TYPE_ANSWER
      : GST_RTC_SDP_TYPE_OFFER;
  if (wanted && wanted != type
      && !(wanted == GST_RTC_SDP_TYPE_PRANSWER
          && type == GST_RTC_SDP_TYPE_ANSWER)) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE,
        "set-local-description: cannot make a local %s in signaling state "
        "%s",
        gst_rtc_sdp_type_to_string (wanted), signaling_state_name (state));
    return FALSE;
  }
  sdp = type == GST_RTC_SDP_TYPE_OFFER ? make_offer (d, wait, error)
                                       : make_answer (self, NULL, error);
  if (!sdp)
    return FALSE;
  gst_rtc_session_description_free (d->desc);
  d->desc = gst_rtc_session_description_new (wanted ? wanted : type, sdp);
  return TRUE;
}

/* The reply to an implicit set-local-description: the description it
 * applied, in an `offer` or `answer` field as create-offer/-answer's. */
static GstStructure *
implicit_reply (GstRtcBin *self, GstRtcSDPType type)
{
  GstStructure *s;

  GST_OBJECT_LOCK (self);
  s = gst_structure_new ("application/x-gst-promise",
      type == GST_RTC_SDP_TYPE_OFFER ? "offer" : "answer",
      GST_TYPE_RTC_SESSION_DESCRIPTION,
      self->pending_local ? self->pending_local : self->current_local, NULL);
  GST_OBJECT_UNLOCK (self);
  return s;
}

static void
op_set_local_description (gpointer user_data, gboolean closed)
{
  RtcBinOpData *d = user_data;
  GstRtcBin *self = d->self;
  GError *error = NULL;
  GstRtcSDPType type;
  gboolean implicit, wait;

  if (op_closed (d, closed))
    return;
  implicit = !d->desc
      || (!d->desc->sdp && d->desc->type != GST_RTC_SDP_TYPE_ROLLBACK);
  if (implicit && !make_implicit_description (d, &wait, &error)) {
    if (wait)
      return;
    goto failed;
  }
  if (!description_allowed (d, TRUE))
    return;
  type = d->desc->type;
  if (type == GST_RTC_SDP_TYPE_ROLLBACK) {
    rollback (self, TRUE);
    notify_descriptions (self);
    op_reply (d, NULL);
    return;
  }
  if (!description_valid (d, TRUE, &error))
    goto failed;

  if (type == GST_RTC_SDP_TYPE_OFFER) {
    update_mlines (self);
    g_object_set (self->ice, "controlling", TRUE, NULL);
    if (!start_gathering (self, &error))
      goto failed;
    GST_OBJECT_LOCK (self);
    add_candidates_to (self, d->desc);
    replace_desc (&self->pending_local, d->desc);
    GST_OBJECT_UNLOCK (self);
    d->desc = NULL;
    set_signaling_state (self, GST_RTC_SIGNALING_STATE_HAVE_LOCAL_OFFER);
  } else {
    /* An answer or a pranswer: both start the transport and media. */
    if (!apply_negotiation (self, self->pending_remote->sdp, d->desc->sdp,
            FALSE, &error))
      goto failed;
    if (!start_gathering (self, &error))
      goto failed;
    GST_OBJECT_LOCK (self);
    add_candidates_to (self, d->desc);
    GST_OBJECT_UNLOCK (self);
    if (type == GST_RTC_SDP_TYPE_ANSWER)
      complete_exchange (self, d, TRUE);
    else
      apply_pranswer (self, d, TRUE);
  }
  notify_descriptions (self);
  op_reply (d, implicit ? implicit_reply (self, type) : NULL);
  release_held_candidates (self);
  return;

failed:
  op_reply_error (d, error);
}

/* Session thread: transceivers the remote offer brought. */
static void
adopt_remote_transceivers (GstRtcBin *self)
{
  guint i;

  for (i = 0; i < self->jsep->transceivers->len; i++) {
    RtcJsepTransceiver *jt = g_ptr_array_index (self->jsep->transceivers, i);
    GstRtcRtpTransceiver *trans = NULL;
    guint j;

    GST_OBJECT_LOCK (self);
    for (j = 0; j < self->transceivers->len; j++) {
      if (g_object_get_data (g_ptr_array_index (self->transceivers, j),
              "rtcbin-jsep")
          == jt)
        break;
    }
    if (j == self->transceivers->len) {
      trans = g_object_new (GST_TYPE_RTC_RTP_TRANSCEIVER, "direction",
          jt->direction, NULL);
      gst_rtc_rtp_transceiver_set_kind (trans, jt->kind);
      g_object_set_data (G_OBJECT (trans), "rtcbin-jsep", jt);
      watch_transceiver (self, trans);
      g_ptr_array_add (self->transceivers, gst_object_ref (trans));
      rtc_bin_rollback_note_created (self->rollback, trans);
    }
    GST_OBJECT_UNLOCK (self);
    if (trans) {
      g_signal_emit (self, signals[SIGNAL_ON_NEW_TRANSCEIVER], 0, trans);
      gst_object_unref (trans);
    }
  }
}

static void
op_set_remote_description (gpointer user_data, gboolean closed)
{
  RtcBinOpData *d = user_data;
  GstRtcBin *self = d->self;
  GError *error = NULL;
  GstRtcSDPType type = d->desc->type;
  GstRtcSignalingState state = GST_RTC_SIGNALING_STATE_STABLE;

  if (op_closed (d, closed) || !description_allowed (d, FALSE))
    return;
  if (type == GST_RTC_SDP_TYPE_ROLLBACK) {
    rollback (self, TRUE);
    notify_descriptions (self);
    op_reply (d, NULL);
    return;
  }
  if (!description_valid (d, FALSE, &error))
    goto failed;

  if (type == GST_RTC_SDP_TYPE_OFFER) {
    GST_OBJECT_LOCK (self);
    state = self->signaling_state;
    GST_OBJECT_UNLOCK (self);
    /* Glare: our offer is rolled back, then theirs applies (W3C). From
     * stable, this drops the placements of an offer made and never set,
     * so that the peer's mids meet the transceivers as they are. */
    if (state != GST_RTC_SIGNALING_STATE_HAVE_REMOTE_OFFER)
      rollback (self, FALSE);
    sync_transceivers (self);
    if (!rtc_jsep_session_apply_remote_offer (self->jsep, d->desc->sdp, &error))
      goto failed;
    /* The peer restarts ICE: so do we, for our answer to carry new
     * credentials. */
    if (self->current_remote
        && g_strcmp0 (rtc_bin_sdp_ice_ufrag (self->current_remote->sdp),
            rtc_bin_sdp_ice_ufrag (d->desc->sdp))
        && !restart_ice (self, &error))
      goto failed;
    adopt_remote_transceivers (self);
    update_mlines (self);
    GST_OBJECT_LOCK (self);
    replace_desc (&self->pending_remote, d->desc);
    GST_OBJECT_UNLOCK (self);
    d->desc = NULL;
    set_signaling_state (self, GST_RTC_SIGNALING_STATE_HAVE_REMOTE_OFFER);
  } else {
    if (!apply_negotiation (self, self->pending_local->sdp, d->desc->sdp, TRUE,
            &error))
      goto failed;
    if (type == GST_RTC_SDP_TYPE_ANSWER)
      complete_exchange (self, d, FALSE);
    else
      apply_pranswer (self, d, FALSE);
  }
  notify_descriptions (self);
  op_reply (d, NULL);
  return;

failed:
  /* A glare's rollback stands (W3C) even when the offer fails. */
  if (state == GST_RTC_SIGNALING_STATE_HAVE_LOCAL_OFFER)
    notify_descriptions (self);
  op_reply_error (d, error);
}

static void
gst_rtc_bin_set_local_description (GstRtcBin *self,
    GstRtcSessionDescription *desc, GstPromise *promise)
{
  RtcBinOpData *d = op_data_new (self, promise);

  /* %NULL, or no SDP: the implicit offer or answer (or a rollback). */
  d->desc = gst_rtc_session_description_copy (desc);
  push_op (self, op_set_local_description, d);
}

static void
gst_rtc_bin_set_remote_description (GstRtcBin *self,
    GstRtcSessionDescription *desc, GstPromise *promise)
{
  RtcBinOpData *d = op_data_new (self, promise);

  if (!desc || (!desc->sdp && desc->type != GST_RTC_SDP_TYPE_ROLLBACK)) {
    op_reply_error (d,
        g_error_new (GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR,
            "set-remote-description: a description with an SDP (or a "
            "rollback) is required"));
    op_data_free (d);
    return;
  }
  d->desc = gst_rtc_session_description_copy (desc);
  push_op (self, op_set_remote_description, d);
}

/* ---- add-ice-candidate ---- */

static void
op_add_ice_candidate (gpointer user_data, gboolean closed)
{
  RtcBinOpData *d = user_data;
  GstRtcBin *self = d->self;
  GError *error = NULL;

  if (closed || self->closed)
    return;
  if (!ensure_session_or_log (self, "candidate dropped"))
    return;
  /* Every m-line is bundled on the one transport. */
  if (!d->candidate || !*d->candidate) {
    rtc_ice_transport_end_of_remote_candidates (self->ice);
    return;
  }
  if (!rtc_ice_transport_add_remote_candidate (self->ice, d->candidate,
          &error)) {
    GST_WARNING_OBJECT (self, "candidate for m-line %u dropped: %s", d->mline,
        error->message);
    g_error_free (error);
  }
}

static void
gst_rtc_bin_add_ice_candidate (GstRtcBin *self, guint mline,
    const gchar *candidate)
{
  RtcBinOpData *d = op_data_new (self, NULL);

  d->mline = mline;
  d->candidate = g_strdup (candidate);
  push_op (self, op_add_ice_candidate, d);
}

/* ---- transceivers ---- */

/* Session thread (W3C "update the negotiation-needed flag"): fires
 * on-negotiation-needed once per need, only in stable; a change made
 * during an exchange is looked at again when the exchange completes. */
static void
update_negotiation_needed (GstRtcBin *self)
{
  GstRtcSignalingState state;
  const GstRtcSessionDescription *local;
  gboolean any, needed;

  GST_OBJECT_LOCK (self);
  state = self->signaling_state;
  any = self->transceivers->len > 0;
  GST_OBJECT_UNLOCK (self);
  if (state != GST_RTC_SIGNALING_STATE_STABLE)
    return;
  if (!self->jsep && !any)
    return;
  if (!ensure_session_or_log (self, "negotiation-needed"))
    return;
  sync_transceivers (self);
  local = self->current_local;
  needed = rtc_jsep_negotiation_needed (self->jsep, local ? local->sdp : NULL,
      local && local->type == GST_RTC_SDP_TYPE_OFFER,
      self->current_remote ? self->current_remote->sdp : NULL);
  /* An ICE restart whose offer was rolled back is still to be
   * negotiated: the agent has no way back to its previous credentials. */
  if (!needed && local
      && g_strcmp0 (rtc_bin_sdp_ice_ufrag (local->sdp), self->jsep->ice_ufrag))
    needed = TRUE;
  if (!needed) {
    self->negotiation_needed = FALSE;
    return;
  }
  if (self->negotiation_needed)
    return;
  self->negotiation_needed = TRUE;
  GST_DEBUG_OBJECT (self, "negotiation needed");
  g_signal_emit (self, signals[SIGNAL_ON_NEGOTIATION_NEEDED], 0);
}

static void
op_negotiation_needed (gpointer user_data, gboolean closed)
{
  RtcBinOpData *d = user_data;

  if (closed || d->self->closed)
    return;
  update_negotiation_needed (d->self);
}

/* Any thread: a direction set after negotiation may need a new one. */
static void
on_transceiver_direction (GstRtcRtpTransceiver *trans, GParamSpec *pspec,
    GstRtcBin *self)
{
  push_op (self, op_negotiation_needed, op_data_new (self, NULL));
}

static void
op_transceiver_stopping (gpointer user_data, gboolean closed)
{
  RtcBinOpData *d = user_data;

  if (closed || d->self->closed)
    return;
  /* W3C stop(): no more sending at once; the m-line goes with the next
   * exchange. */
  rtc_bin_media_stop_sending (d->self->media, d->trans);
  update_negotiation_needed (d->self);
}

/* Any thread: gst_rtc_rtp_transceiver_stop(). */
static void
on_transceiver_stopping (GstRtcRtpTransceiver *trans, GParamSpec *pspec,
    GstRtcBin *self)
{
  RtcBinOpData *d = op_data_new (self, NULL);

  d->trans = gst_object_ref (trans);
  push_op (self, op_transceiver_stopping, d);
}

static void
watch_transceiver (GstRtcBin *self, GstRtcRtpTransceiver *trans)
{
  g_signal_connect_object (trans, "notify::direction",
      G_CALLBACK (on_transceiver_direction), self, 0);
  g_signal_connect_object (trans, "notify::stopping",
      G_CALLBACK (on_transceiver_stopping), self, 0);
}

static GstRtcRtpTransceiver *
add_transceiver (GstRtcBin *self, GstRtcRtpTransceiverDirection direction,
    GstCaps *caps, GstPad *sink_pad)
{
  GstRtcRtpTransceiver *trans;

  trans = g_object_new (GST_TYPE_RTC_RTP_TRANSCEIVER, "direction", direction,
      NULL);
  if (caps && !gst_caps_is_empty (caps) && !gst_caps_is_any (caps))
    g_object_set (trans, "codec-preferences", caps, NULL);
  gst_rtc_rtp_transceiver_set_kind (trans, gst_rtc_bin_kind_from_caps (caps));
  GST_OBJECT_LOCK (self);
  if (sink_pad) {
    GstRtcRtpTransceiver *bound = g_object_get_data (G_OBJECT (sink_pad),
        "rtcbin-trans");

    if (bound) {
      /* Bound meanwhile (its caps and an offer both looked for one). */
      gst_object_ref (bound);
      GST_OBJECT_UNLOCK (self);
      gst_object_unref (trans);
      return bound;
    }
    /* Bound as it is listed: another sink pad looking for a free
     * transceiver at the same time must not take this one. */
    bind_sink_pad (self, sink_pad, trans);
  }
  g_ptr_array_add (self->transceivers, gst_object_ref (trans));
  GST_OBJECT_UNLOCK (self);
  watch_transceiver (self, trans);
  g_signal_emit (self, signals[SIGNAL_ON_NEW_TRANSCEIVER], 0, trans);
  push_op (self, op_negotiation_needed, op_data_new (self, NULL));
  return trans;
}

static GstRtcRtpTransceiver *
gst_rtc_bin_add_transceiver (GstRtcBin *self,
    GstRtcRtpTransceiverDirection direction, GstCaps *caps)
{
  if (direction == GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE) {
    GST_WARNING_OBJECT (self, "add-transceiver: direction none is invalid");
    return NULL;
  }
  if (close_called (self)) {
    GST_WARNING_OBJECT (self, "add-transceiver: the session is closed");
    return NULL;
  }
  if (gst_rtc_bin_kind_from_caps (caps) == GST_RTC_KIND_UNKNOWN) {
    GST_WARNING_OBJECT (self,
        "add-transceiver: caps %" GST_PTR_FORMAT
        " name no audio or video media",
        caps);
    return NULL;
  }
  return add_transceiver (self, direction, caps, NULL);
}

static GstRtcRtpTransceiver *
gst_rtc_bin_get_transceiver (GstRtcBin *self, gint idx)
{
  GstRtcRtpTransceiver *trans = NULL;

  GST_OBJECT_LOCK (self);
  if (idx >= 0 && (guint)idx < self->transceivers->len)
    trans = gst_object_ref (g_ptr_array_index (self->transceivers, idx));
  GST_OBJECT_UNLOCK (self);
  if (!trans)
    GST_WARNING_OBJECT (self, "get-transceiver: no transceiver %d", idx);
  return trans;
}

/* ---- add-turn-server ---- */

static void
op_add_turn_server (gpointer user_data, gboolean closed)
{
  RtcBinOpData *d = user_data;
  GError *error = NULL;

  /* Without a transport yet, ensure_session() gives it the server. */
  if (closed || d->self->closed || !d->self->ice)
    return;
  if (!add_turn_servers (d->self, &error)) {
    GST_WARNING_OBJECT (d->self, "add-turn-server: %s", error->message);
    g_error_free (error);
  }
}

static gboolean
gst_rtc_bin_add_turn_server (GstRtcBin *self, const gchar *uri)
{
  g_autoptr (RtcIceServerUri) parsed = NULL;
  GError *error = NULL;
  RtcBinOpData *d;
  gboolean gathering;

  GST_OBJECT_LOCK (self);
  gathering = self->gathering;
  GST_OBJECT_UNLOCK (self);
  if (gathering) {
    /* The ICE agent takes its relays before it gathers. */
    GST_WARNING_OBJECT (self,
        "add-turn-server: gathering has started, %s is not used", uri);
    return FALSE;
  }
  if (!uri || !(parsed = rtc_ice_server_uri_parse (uri, &error))
      || !parsed->is_turn) {
    GST_WARNING_OBJECT (self, "add-turn-server: %s is no TURN server URI%s%s",
        uri ? uri : "(null)", error ? ": " : "", error ? error->message : "");
    g_clear_error (&error);
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  g_ptr_array_add (self->turn_servers, g_strdup (uri));
  GST_OBJECT_UNLOCK (self);
  /* Once the transport exists it takes the server directly. */
  d = op_data_new (self, NULL);
  push_op (self, op_add_turn_server, d);
  return TRUE;
}

static GArray *
gst_rtc_bin_get_transceivers (GstRtcBin *self)
{
  GArray *arr = g_array_new (FALSE, TRUE, sizeof (GstRtcRtpTransceiver *));
  guint i;

  g_array_set_clear_func (arr, (GDestroyNotify)gst_clear_object);
  GST_OBJECT_LOCK (self);
  for (i = 0; i < self->transceivers->len; i++) {
    GstRtcRtpTransceiver *trans = gst_object_ref (
        g_ptr_array_index (self->transceivers, i));

    g_array_append_val (arr, trans);
  }
  GST_OBJECT_UNLOCK (self);
  return arr;
}

/* ---- get-stats ---- */

static void
op_get_stats (gpointer user_data, gboolean closed)
{
  RtcBinOpData *d = user_data;
  GstRtcBin *self = d->self;
  RtcBinStatsSources src = { 0 };
  GstStructure *report;

  /* W3C getStats() still answers once close() was called (the states
   * closed, the last counters); only a disposed element cannot. */
  if (closed) {
    op_closed (d, TRUE);
    return;
  }
  src.bin = GST_ELEMENT (self);
  src.ice = self->ice;
  src.dtls_enc = self->dtls_enc;
  src.dtls_dec = self->dtls_dec;
  src.transport_linked = self->transport_linked;
  src.reports = self->reports;
  src.filter = d->pad;
  GST_OBJECT_LOCK (self);
  src.ice_state = self->ice_connection_state;
  src.dtls_state = self->dtls_state;
  GST_OBJECT_UNLOCK (self);
  report = rtc_bin_stats_collect (&src);
  /* Data channels belong to no pad. */
  if (!d->pad)
    rtc_bin_data_add_stats (self->data, report);
  op_reply (d, report);
}

static void
gst_rtc_bin_get_stats (GstRtcBin *self, GstPad *pad, GstPromise *promise)
{
  RtcBinOpData *d = op_data_new (self, promise);

  if (pad && GST_OBJECT_PARENT (pad) != GST_OBJECT (self)) {
    op_reply_error (d,
        g_error_new (GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR,
            "get-stats: pad %s is not one of %s", GST_PAD_NAME (pad),
            GST_ELEMENT_NAME (self)));
    op_data_free (d);
    return;
  }
  d->pad = pad ? gst_object_ref (pad) : NULL;
  push_op (self, op_get_stats, d);
}

/* ---- data channels ---- */

/* Session thread: the next offer has a data section. */
static void
op_data_channel (gpointer user_data, gboolean closed)
{
  RtcBinOpData *d = user_data;
  GstRtcBin *self = d->self;

  if (closed || self->closed)
    return;
  if (!ensure_session_or_log (self, "data channel"))
    return;
  self->jsep->data_channel = TRUE;
  update_negotiation_needed (self);
}

static GstRtcDataChannel *
gst_rtc_bin_create_data_channel (GstRtcBin *self, const gchar *label,
    GstStructure *options)
{
  GstRtcDataChannel *channel;
  GError *error = NULL;

  channel = rtc_bin_data_create_channel (self->data, label, options, &error);
  if (!channel) {
    GST_WARNING_OBJECT (self, "%s", error->message);
    g_error_free (error);
    return NULL;
  }
  /* W3C: the first channel makes negotiation needed. */
  push_op (self, op_data_channel, op_data_new (self, NULL));
  return channel;
}

static void
emit_on_data_channel (GstElement *bin, GstRtcDataChannel *channel)
{
  g_signal_emit (bin, signals[SIGNAL_ON_DATA_CHANNEL], 0, channel);
}

/* ---- GObject ---- */

static GstStateChangeReturn
gst_rtc_bin_change_state (GstElement *element, GstStateChange transition)
{
  GstRtcBin *self = GST_RTC_BIN (element);

  /* Stopping for good: the data channels close while the transport can
   * still carry the ABORT that closes the peer's (once the children go
   * down it would be lost, and the peer would wait for a timeout). */
  if (transition == GST_STATE_CHANGE_PLAYING_TO_PAUSED
      && GST_STATE_TARGET (element) <= GST_STATE_READY)
    rtc_bin_data_close (self->data);
  return GST_ELEMENT_CLASS (gst_rtc_bin_parent_class)
      ->change_state (element, transition);
}

static GstRtcSessionDescription *
desc_or (GstRtcSessionDescription *a, GstRtcSessionDescription *b)
{
  return a ? a : b;
}

static void
gst_rtc_bin_get_property (GObject *object, guint prop_id, GValue *value,
    GParamSpec *pspec)
{
  GstRtcBin *self = GST_RTC_BIN (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_CONNECTION_STATE:
      g_value_set_enum (value, self->connection_state);
      break;
    case PROP_SIGNALING_STATE:
      g_value_set_enum (value, self->signaling_state);
      break;
    case PROP_ICE_GATHERING_STATE:
      g_value_set_enum (value, self->ice_gathering_state);
      break;
    case PROP_ICE_CONNECTION_STATE:
      g_value_set_enum (value, self->ice_connection_state);
      break;
    case PROP_LOCAL_DESCRIPTION:
      g_value_set_boxed (value,
          desc_or (self->pending_local, self->current_local));
      break;
    case PROP_CURRENT_LOCAL_DESCRIPTION:
      g_value_set_boxed (value, self->current_local);
      break;
    case PROP_PENDING_LOCAL_DESCRIPTION:
      g_value_set_boxed (value, self->pending_local);
      break;
    case PROP_REMOTE_DESCRIPTION:
      g_value_set_boxed (value,
          desc_or (self->pending_remote, self->current_remote));
      break;
    case PROP_CURRENT_REMOTE_DESCRIPTION:
      g_value_set_boxed (value, self->current_remote);
      break;
    case PROP_PENDING_REMOTE_DESCRIPTION:
      g_value_set_boxed (value, self->pending_remote);
      break;
    case PROP_STUN_SERVER:
      g_value_set_string (value, self->stun_server);
      break;
    case PROP_TURN_SERVER:
      g_value_set_string (value, self->turn_server);
      break;
    case PROP_BUNDLE_POLICY:
      g_value_set_enum (value, self->bundle_policy);
      break;
    case PROP_ICE_TRANSPORT_POLICY:
      g_value_set_enum (value, self->ice_transport_policy);
      break;
    case PROP_LATENCY:
      g_value_set_uint (value, self->latency);
      break;
    case PROP_LOCAL_ADDRESSES:
      g_value_set_boxed (value, self->local_addresses);
      break;
    case PROP_CAPS_TIMEOUT:
      g_value_set_uint (value, self->caps_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_rtc_bin_set_property (GObject *object, guint prop_id, const GValue *value,
    GParamSpec *pspec)
{
  GstRtcBin *self = GST_RTC_BIN (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_STUN_SERVER:
      g_free (self->stun_server);
      self->stun_server = g_value_dup_string (value);
      break;
    case PROP_TURN_SERVER:
      g_free (self->turn_server);
      self->turn_server = g_value_dup_string (value);
      break;
    case PROP_BUNDLE_POLICY:
      self->bundle_policy = g_value_get_enum (value);
      break;
    case PROP_ICE_TRANSPORT_POLICY:
      self->ice_transport_policy = g_value_get_enum (value);
      break;
    case PROP_LATENCY:
      self->latency = g_value_get_uint (value);
      break;
    case PROP_LOCAL_ADDRESSES:
      g_strfreev (self->local_addresses);
      self->local_addresses = g_value_dup_boxed (value);
      break;
    case PROP_CAPS_TIMEOUT:
      self->caps_timeout = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
  /* Outside the lock: rtpbin's notify walks up to us. */
  if (prop_id == PROP_LATENCY)
    rtc_bin_media_set_latency (self->media, g_value_get_uint (value));
}

static void
gst_rtc_bin_init (GstRtcBin *self)
{
  g_mutex_init (&self->ops_lock);
  self->ops = rtc_bin_ops_new (G_OBJECT (self));
  self->media = rtc_bin_media_new (GST_ELEMENT (self),
      gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (self),
          "src_%u"),
      DEFAULT_LATENCY);
  self->reports = rtc_bin_reports_new ();
  self->rollback = rtc_bin_rollback_new ();
  self->data = rtc_bin_data_new (GST_ELEMENT (self), emit_on_data_channel);
  self->transceivers = g_ptr_array_new_with_free_func (gst_object_unref);
  self->bundle_policy = GST_RTC_BUNDLE_POLICY_MAX_BUNDLE;
  self->latency = DEFAULT_LATENCY;
  self->caps_timeout = RTC_BIN_DEFAULT_CAPS_TIMEOUT;
  self->turn_servers = g_ptr_array_new_with_free_func (g_free);
  self->local_candidates = g_ptr_array_new_with_free_func (g_free);
}

/* Session thread: the close_notify alert (RFC 5246 7.2.1; W3C close()
 * closes the DTLS transport), sent while ICE still carries it, so that
 * the peer's DTLS transport turns closed at once rather than its ICE
 * noticing the silence seconds later. Nothing is sent unless DTLS is
 * connected. */
static void
close_dtls (GstRtcBin *self)
{
  RtcDtlsConnection *conn;
  gchar *id = NULL;

  if (!self->transport_linked)
    return;
  g_object_get (self->dtls_enc, "connection-id", &id, NULL);
  if (!id)
    return;
  conn = rtc_dtls_connection_acquire (id);
  rtc_dtls_connection_close (conn);
  rtc_dtls_connection_release (conn);
  g_free (id);
}

static void
close_session (GstRtcBin *self)
{
  self->closed = TRUE;
  /* First: the ABORT goes out while the transport still runs. */
  rtc_bin_data_close (self->data);
  if (self->ice) {
    g_signal_handlers_disconnect_by_data (self->ice, self);
    if (self->dtls_enc)
      g_signal_handlers_disconnect_by_data (self->dtls_enc, self);
    if (self->dtls_dec)
      g_signal_handlers_disconnect_by_data (self->dtls_dec, self);
    close_dtls (self);
    rtc_ice_transport_close (self->ice);
  }
}

static void
op_close (gpointer user_data, gboolean closed)
{
  RtcBinOpData *d = user_data;

  close_session (d->self);
}

/* Session thread: the rest of `close`, after every operation queued
 * before it (which all reject). */
static void
op_close_action (gpointer user_data, gboolean closed)
{
  RtcBinOpData *d = user_data;
  GstRtcBin *self = d->self;
  g_autoptr (GPtrArray) all = NULL;
  guint i;

  if (closed || self->closed)
    return;
  /* Nothing more is sent or received; the pads stay, without media. */
  close_session (self);
  all = ref_transceivers (self);
  for (i = 0; i < all->len; i++) {
    GstRtcRtpTransceiver *trans = g_ptr_array_index (all, i);
    RtcJsepTransceiver *jt = g_object_get_data (G_OBJECT (trans),
        "rtcbin-jsep");

    /* W3C "stop the RTCRtpTransceiver": no current direction. */
    if (jt)
      jt->stopped = TRUE;
    gst_rtc_rtp_transceiver_set_current_direction (trans,
        GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE);
  }
}

/* Any thread (W3C RTCPeerConnection.close()): the states are closed when
 * this returns; the transport closes on the session thread. */
static void
gst_rtc_bin_close (GstRtcBin *self)
{
  guint p;

  GST_OBJECT_LOCK (self);
  if (self->close_called) {
    GST_OBJECT_UNLOCK (self);
    return;
  }
  self->signaling_state = GST_RTC_SIGNALING_STATE_CLOSED;
  self->ice_connection_state = GST_RTC_ICE_CONNECTION_STATE_CLOSED;
  self->connection_state = GST_RTC_PEER_CONNECTION_STATE_CLOSED;
  self->dtls_state = GST_RTC_DTLS_TRANSPORT_STATE_CLOSED;
  /* From here on the states do not change. */
  self->close_called = TRUE;
  GST_OBJECT_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "closed");
  for (p = PROP_CONNECTION_STATE; p <= PROP_ICE_CONNECTION_STATE; p++) {
    if (p != PROP_ICE_GATHERING_STATE)
      g_object_notify_by_pspec (G_OBJECT (self), props[p]);
  }
  push_op (self, op_close_action, op_data_new (self, NULL));
  /* An offer waiting for caps at the head of the chain rejects now. */
  g_mutex_lock (&self->ops_lock);
  if (self->ops)
    rtc_bin_ops_wake (self->ops);
  g_mutex_unlock (&self->ops_lock);
}

static void
gst_rtc_bin_dispose (GObject *object)
{
  GstRtcBin *self = GST_RTC_BIN (object);
  RtcBinOps *ops;
  guint i;

  /* Transceivers the application still holds stop calling back. */
  GST_OBJECT_LOCK (self);
  for (i = 0; i < self->transceivers->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->transceivers,
                                              i),
        self);
  GST_OBJECT_UNLOCK (self);
  /* The transport stops calling back before the chain ends; operations
   * still queued then answer "closed". */
  g_mutex_lock (&self->ops_lock);
  ops = g_steal_pointer (&self->ops);
  g_mutex_unlock (&self->ops_lock);
  if (ops) {
    /* Disposed on the session thread itself (an operation held the last
     * reference): close right here, the chain frees itself. */
    if (rtc_bin_ops_is_current (ops))
      close_session (self);
    else
      rtc_bin_ops_push (ops, op_close, op_data_new (self, NULL), op_data_free);
    rtc_bin_ops_free (ops);
  }
  gst_clear_object (&self->dtls_enc);
  gst_clear_object (&self->dtls_dec);
  gst_clear_object (&self->ice_sink);
  gst_clear_object (&self->ice_src);
  G_OBJECT_CLASS (gst_rtc_bin_parent_class)->dispose (object);
}

static void
gst_rtc_bin_finalize (GObject *object)
{
  GstRtcBin *self = GST_RTC_BIN (object);

  g_clear_object (&self->ice);
  rtc_bin_reports_free (self->reports);
  rtc_bin_rollback_free (self->rollback);
  rtc_bin_data_free (self->data);
  rtc_bin_media_free (self->media);
  if (self->jsep)
    rtc_jsep_session_free (self->jsep);
  g_ptr_array_unref (self->transceivers);
  gst_rtc_session_description_free (self->current_local);
  gst_rtc_session_description_free (self->current_remote);
  gst_rtc_session_description_free (self->pending_local);
  gst_rtc_session_description_free (self->pending_remote);
  g_free (self->stun_server);
  g_free (self->turn_server);
  g_ptr_array_unref (self->turn_servers);
  g_ptr_array_unref (self->local_candidates);
  g_mutex_clear (&self->ops_lock);
  g_strfreev (self->local_addresses);
  G_OBJECT_CLASS (gst_rtc_bin_parent_class)->finalize (object);
}

static void
gst_rtc_bin_class_init (GstRtcBinClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  gobject_class->get_property = gst_rtc_bin_get_property;
  gobject_class->set_property = gst_rtc_bin_set_property;
  gobject_class->dispose = gst_rtc_bin_dispose;
  gobject_class->finalize = gst_rtc_bin_finalize;
  element_class->request_new_pad = gst_rtc_bin_request_new_pad;
  element_class->change_state = gst_rtc_bin_change_state;
  element_class->release_pad = gst_rtc_bin_release_pad;
  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);

  props[PROP_CONNECTION_STATE] = g_param_spec_enum ("connection-state",
      "Connection state", "The peer connection state",
      GST_TYPE_RTC_PEER_CONNECTION_STATE, GST_RTC_PEER_CONNECTION_STATE_NEW,
      ro);
  props[PROP_SIGNALING_STATE] = g_param_spec_enum ("signaling-state",
      "Signaling state", "The JSEP signaling state",
      GST_TYPE_RTC_SIGNALING_STATE, GST_RTC_SIGNALING_STATE_STABLE, ro);
  props[PROP_ICE_GATHERING_STATE] = g_param_spec_enum ("ice-gathering-state",
      "ICE gathering state", "The ICE candidate gathering state",
      GST_TYPE_RTC_ICE_GATHERING_STATE, GST_RTC_ICE_GATHERING_STATE_NEW, ro);
  props[PROP_ICE_CONNECTION_STATE] = g_param_spec_enum ("ice-connection-state",
      "ICE connection state", "The ICE connection state",
      GST_TYPE_RTC_ICE_CONNECTION_STATE, GST_RTC_ICE_CONNECTION_STATE_NEW, ro);
  props[PROP_LOCAL_DESCRIPTION] = g_param_spec_boxed ("local-description",
      "Local description", "The pending local description, else the current",
      GST_TYPE_RTC_SESSION_DESCRIPTION, ro);
  props[PROP_CURRENT_LOCAL_DESCRIPTION]
      = g_param_spec_boxed ("current-local-description",
          "Current local description",
          "The local description of the last completed negotiation",
          GST_TYPE_RTC_SESSION_DESCRIPTION, ro);
  props[PROP_PENDING_LOCAL_DESCRIPTION]
      = g_param_spec_boxed ("pending-local-description",
          "Pending local description",
          "The local description of the negotiation in progress",
          GST_TYPE_RTC_SESSION_DESCRIPTION, ro);
  props[PROP_REMOTE_DESCRIPTION] = g_param_spec_boxed ("remote-description",
      "Remote description", "The pending remote description, else the current",
      GST_TYPE_RTC_SESSION_DESCRIPTION, ro);
  props[PROP_CURRENT_REMOTE_DESCRIPTION]
      = g_param_spec_boxed ("current-remote-description",
          "Current remote description",
          "The remote description of the last completed negotiation",
          GST_TYPE_RTC_SESSION_DESCRIPTION, ro);
  props[PROP_PENDING_REMOTE_DESCRIPTION]
      = g_param_spec_boxed ("pending-remote-description",
          "Pending remote description",
          "The remote description of the negotiation in progress",
          GST_TYPE_RTC_SESSION_DESCRIPTION, ro);
  props[PROP_STUN_SERVER] = g_param_spec_string ("stun-server", "STUN server",
      "STUN server URI stun://host:port, set before the first offer or "
      "answer",
      NULL, rw);
  props[PROP_TURN_SERVER] = g_param_spec_string ("turn-server", "TURN server",
      "TURN server URI turn(s)://user:password@host:port, set before the "
      "first offer or answer",
      NULL, rw);
  props[PROP_BUNDLE_POLICY] = g_param_spec_enum ("bundle-policy",
      "Bundle policy",
      "The BUNDLE policy of offers (which m-lines are bundle-only); media "
      "flows on one transport, so the peer must accept BUNDLE (none acts "
      "as max-bundle)",
      GST_TYPE_RTC_BUNDLE_POLICY, GST_RTC_BUNDLE_POLICY_MAX_BUNDLE, rw);
  props[PROP_ICE_TRANSPORT_POLICY] = g_param_spec_enum ("ice-transport-policy",
      "ICE transport policy", "all, or relay: only TURN relays are used",
      GST_TYPE_RTC_ICE_TRANSPORT_POLICY, GST_RTC_ICE_TRANSPORT_POLICY_ALL, rw);
  props[PROP_LATENCY] = g_param_spec_uint ("latency", "Latency",
      "Receive jitter buffer latency in milliseconds (rtpbin's)", 0, G_MAXUINT,
      DEFAULT_LATENCY, rw);
  props[PROP_LOCAL_ADDRESSES] = g_param_spec_boxed ("local-addresses",
      "Local addresses",
      "IP addresses to gather host candidates on (default: all interfaces), "
      "set before the first offer or answer",
      G_TYPE_STRV, rw);
  /**
   * GstRtcBin:caps-timeout:
   *
   * How long `create-offer` waits for a sink pad to learn its codec
   * (from its caps, or else from what its peer can produce) before
   * replying with an error. Not in webrtcbin, whose offers leave such a
   * pad out.
   */
  props[PROP_CAPS_TIMEOUT] = g_param_spec_uint ("caps-timeout", "Caps timeout",
      "Milliseconds create-offer waits for a sink pad's codec before failing",
      0, G_MAXUINT, RTC_BIN_DEFAULT_CAPS_TIMEOUT, rw);
  g_object_class_install_properties (gobject_class, N_PROPS, props);

  /**
   * GstRtcBin::create-offer:
   * @self: the element
   * @options: (nullable): offer options: `ice-restart` (boolean, as in
   *   webrtcbin) makes new ICE credentials and gathers again; other
   *   fields are ignored, as webrtcbin does
   * @promise: answered with an `offer` (#GstRtcSessionDescription) field,
   *   or an `error` (#GError) one
   */
  signals[SIGNAL_CREATE_OFFER] = g_signal_new_class_handler ("create-offer",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_bin_create_offer), NULL, NULL, NULL, G_TYPE_NONE, 2,
      GST_TYPE_STRUCTURE, GST_TYPE_PROMISE);
  /**
   * GstRtcBin::create-answer:
   * @self: the element
   * @options: (nullable): answer options; none are read (webrtcbin
   *   reads none either)
   * @promise: answered with an `answer` (#GstRtcSessionDescription) field,
   *   or an `error` (#GError) one
   */
  signals[SIGNAL_CREATE_ANSWER] = g_signal_new_class_handler ("create-answer",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_bin_create_answer), NULL, NULL, NULL, G_TYPE_NONE, 2,
      GST_TYPE_STRUCTURE, GST_TYPE_PROMISE);
  /**
   * GstRtcBin::set-local-description:
   * @self: the element
   * @desc: (nullable): an offer, answer or pranswer (provisional answer:
   *   `have-remote-offer` → `have-local-pranswer`, where media flows and
   *   a final answer or another pranswer follows); a rollback (no SDP
   *   needed), valid in `have-local-offer`, which drops the pending offer
   *   and returns to `stable`; or %NULL (or a description without SDP)
   *   for the W3C parameterless setLocalDescription(): the offer (in
   *   `stable` or `have-local-offer`) or answer (in `have-remote-offer`
   *   or `have-local-pranswer`; a pranswer if one without SDP was given)
   *   the state calls for is made and applied
   * @promise: (nullable): answered with %NULL on success, else with an
   *   `error` (#GError) field; an implicit description is answered with
   *   the description applied, in an `offer` or `answer` field
   */
  signals[SIGNAL_SET_LOCAL_DESCRIPTION]
      = g_signal_new_class_handler ("set-local-description",
          G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
          G_CALLBACK (gst_rtc_bin_set_local_description), NULL, NULL, NULL,
          G_TYPE_NONE, 2, GST_TYPE_RTC_SESSION_DESCRIPTION, GST_TYPE_PROMISE);
  /**
   * GstRtcBin::set-remote-description:
   * @self: the element
   * @desc: an offer, answer or pranswer (`have-local-offer` →
   *   `have-remote-pranswer`: media flows, the offer stays pending until
   *   the final answer), or a rollback (no SDP needed), valid in
   *   `have-remote-offer`. An offer arriving in `have-local-offer` (glare)
   *   first rolls back the local offer, as W3C's setRemoteDescription()
   *   does for perfect negotiation. Neither side rolls back from a
   *   pranswer state (W3C).
   * @promise: (nullable): answered with %NULL on success, else with an
   *   `error` (#GError) field
   */
  signals[SIGNAL_SET_REMOTE_DESCRIPTION]
      = g_signal_new_class_handler ("set-remote-description",
          G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
          G_CALLBACK (gst_rtc_bin_set_remote_description), NULL, NULL, NULL,
          G_TYPE_NONE, 2, GST_TYPE_RTC_SESSION_DESCRIPTION, GST_TYPE_PROMISE);
  /**
   * GstRtcBin::add-ice-candidate:
   * @self: the element
   * @mline_index: the m-line of the candidate
   * @candidate: (nullable): a `candidate:` line; empty or %NULL for the
   *   end of the peer's candidates
   *
   * A candidate that does not parse is dropped with a warning.
   */
  signals[SIGNAL_ADD_ICE_CANDIDATE]
      = g_signal_new_class_handler ("add-ice-candidate",
          G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
          G_CALLBACK (gst_rtc_bin_add_ice_candidate), NULL, NULL, NULL,
          G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  /**
   * GstRtcBin::add-transceiver:
   * @self: the element
   * @direction: the wanted direction
   * @caps: `application/x-rtp` codec preferences with a `media` field
   *
   * Returns: (transfer full) (nullable): the new transceiver, %NULL for
   *   invalid arguments
   */
  signals[SIGNAL_ADD_TRANSCEIVER]
      = g_signal_new_class_handler ("add-transceiver",
          G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
          G_CALLBACK (gst_rtc_bin_add_transceiver), NULL, NULL, NULL,
          GST_TYPE_RTC_RTP_TRANSCEIVER, 2,
          GST_TYPE_RTC_RTP_TRANSCEIVER_DIRECTION, GST_TYPE_CAPS);
  /**
   * GstRtcBin::get-transceivers:
   * @self: the element
   *
   * Returns: (transfer full) (element-type GstRtcRtpTransceiver): the
   *   transceivers
   */
  signals[SIGNAL_GET_TRANSCEIVERS]
      = g_signal_new_class_handler ("get-transceivers",
          G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
          G_CALLBACK (gst_rtc_bin_get_transceivers), NULL, NULL, NULL,
          G_TYPE_ARRAY, 0);
  /**
   * GstRtcBin::get-transceiver:
   * @self: the element
   * @idx: the index of the transceiver, in the order they were made
   *
   * Returns: (transfer full) (nullable): the transceiver, %NULL when
   *   there is none at @idx
   */
  signals[SIGNAL_GET_TRANSCEIVER]
      = g_signal_new_class_handler ("get-transceiver",
          G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
          G_CALLBACK (gst_rtc_bin_get_transceiver), NULL, NULL, NULL,
          GST_TYPE_RTC_RTP_TRANSCEIVER, 1, G_TYPE_INT);
  /**
   * GstRtcBin::add-turn-server:
   * @self: the element
   * @uri: `turn(s)://user:password@host:port[?transport=udp|tcp]`
   *
   * Adds a TURN server beside `turn-server`, before gathering starts
   * (the first set-local-description).
   *
   * Returns: whether @uri is a valid TURN server URI and was added:
   *   %FALSE once gathering has started
   */
  signals[SIGNAL_ADD_TURN_SERVER]
      = g_signal_new_class_handler ("add-turn-server",
          G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
          G_CALLBACK (gst_rtc_bin_add_turn_server), NULL, NULL, NULL,
          G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
  /**
   * GstRtcBin::get-stats:
   * @self: the element
   * @pad: (nullable): a `sink_%u` or `src_%u` pad of @self: only its RTP
   *   streams (and what they refer to) are reported
   * @promise: answered with the report, or an `error` (#GError) field
   *
   * The W3C webrtc-stats report, laid out as webrtcbin's: each field of
   * the reply is one stats entry, a #GstStructure named by its type
   * (`peer-connection`, `transport`, `candidate-pair`, `local-candidate`,
   * `remote-candidate`, `certificate`, `codec`, `inbound-rtp`,
   * `outbound-rtp`, `remote-inbound-rtp`, `remote-outbound-rtp`,
   * `data-channel`) with
   * `id`, `type` (#GstRtcStatsType), `timestamp` (milliseconds since the
   * Unix epoch, #gdouble) and the W3C members spelled the GStreamer way
   * (`packetsSent` is `packets-sent`); ids link the entries (`transport-id`,
   * `codec-id`, `remote-id`, `local-id`, `selected-candidate-pair-id`, ...).
   * Before the first negotiation only `peer-connection` is there. After
   * `close` the report still comes (W3C), with the states closed and the
   * last counters; only a disposed element answers with an error. See
   * docs/architecture.md for every field.
   */
  signals[SIGNAL_GET_STATS] = g_signal_new_class_handler ("get-stats",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_bin_get_stats), NULL, NULL, NULL, G_TYPE_NONE, 2,
      GST_TYPE_PAD, GST_TYPE_PROMISE);
  /**
   * GstRtcBin::close:
   * @self: the element
   *
   * Ends the session as W3C RTCPeerConnection.close(): when it returns,
   * `signaling-state`, `ice-connection-state` and `connection-state` are
   * `closed` and stay so; DTLS sends close_notify (the peer's DTLS
   * transport turns `closed` at once), then the transport closes (nothing
   * more is sent or received; the pads stay, without media), every
   * transceiver is stopped (no current direction), and every operation
   * not yet run, and any later one, is answered with
   * `GST_RTC_ERROR_INVALID_STATE` (`get-stats` excepted).
   * Calling it again does nothing. Not in webrtcbin 1.22.
   */
  signals[SIGNAL_CLOSE] = g_signal_new_class_handler ("close",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_bin_close), NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * GstRtcBin::on-negotiation-needed:
   * @self: the element
   *
   * A change needs an offer/answer exchange (W3C: a transceiver not yet
   * in the current local description, or whose direction differs from
   * it). Emitted on the session thread, in signaling state stable, once
   * per need: not again until an exchange completes, after which it is
   * emitted again if something changed meanwhile.
   */
  signals[SIGNAL_ON_NEGOTIATION_NEEDED] = g_signal_new ("on-negotiation-needed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  /**
   * GstRtcBin::on-ice-candidate:
   * @self: the element
   * @mline_index: the m-line to signal the candidate with
   * @candidate: a `candidate:` line, or an empty string once gathering
   *   ended
   *
   * A local candidate to trickle to the peer. Emitted on the session
   * thread. When gathering completes it is emitted once more with an
   * empty @candidate (W3C's null candidate; webrtcbin 1.22 emits nothing
   * then), and the local description gains `a=end-of-candidates`.
   */
  signals[SIGNAL_ON_ICE_CANDIDATE] = g_signal_new ("on-ice-candidate",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  /**
   * GstRtcBin::on-new-transceiver:
   * @self: the element
   * @trans: the transceiver
   *
   * A transceiver was added, by `add-transceiver`, a sink pad or a remote
   * offer.
   */
  signals[SIGNAL_ON_NEW_TRANSCEIVER] = g_signal_new ("on-new-transceiver",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, GST_TYPE_RTC_RTP_TRANSCEIVER);
  /**
   * GstRtcBin::create-data-channel:
   * @self: the element
   * @label: the channel's label
   * @options: (nullable): as webrtcbin's: `ordered` (boolean),
   *   `max-packet-lifetime` and `max-retransmits` (int, exclusive),
   *   `protocol` (string), `negotiated` (boolean) with `id` (int, 0 to
   *   1023), `priority` (#GstRtcPriorityType)
   *
   * Makes a data channel (W3C createDataChannel): in-band (DCEP) unless
   * `negotiated`, opening once SCTP connects; its stream id follows the
   * DTLS role (the client's are even), so an in-band channel made before
   * the first negotiation may change `id` once the role is known.
   * The first channel makes negotiation needed (an `m=application`
   * section with `a=sctp-port` and `a=max-message-size` 262144).
   * Messages larger than the peer's `a=max-message-size` fail to send,
   * with nothing sent.
   *
   * Returns: (transfer full) (nullable): the channel, or %NULL for bad
   *   options, an id in use or a closed session (logged)
   */
  signals[SIGNAL_CREATE_DATA_CHANNEL]
      = g_signal_new_class_handler ("create-data-channel",
          G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
          G_CALLBACK (gst_rtc_bin_create_data_channel), NULL, NULL, NULL,
          GST_TYPE_RTC_DATA_CHANNEL, 2, G_TYPE_STRING, GST_TYPE_STRUCTURE);
  /**
   * GstRtcBin::on-data-channel:
   * @self: the element
   * @channel: the channel the peer opened
   *
   * The peer opened a data channel in-band (DCEP). Emitted from the
   * transport's threads before the channel's `on-open`; handlers must
   * not block.
   */
  signals[SIGNAL_ON_DATA_CHANNEL] = g_signal_new ("on-data-channel",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, GST_TYPE_RTC_DATA_CHANNEL);

  gst_element_class_set_static_metadata (element_class, "WebRTC session",
      "Filter/Network/WebRTC",
      "A WebRTC peer connection: JSEP, ICE, DTLS-SRTP and RTP",
      "gst-rtc contributors");
}
