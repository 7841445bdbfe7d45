/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* One peer of a call through the signalling server of examples/webrtc-call:
 * a WebSocket client speaking the call page's messages (callmessage.c) and
 * driving an rtcbin (callmedia.c) with them, so its other end can be the
 * browser page or another such peer.
 *
 * Like the page, the peer the server calls impolite makes the offer; the
 * polite one answers. rtcbin's signals come from its session thread and
 * are handed to the main context, where the WebSocket lives; each call has
 * a generation so that a late signal of a finished call is dropped.
 */

#include "callpeer.h"

#include <gst/rtc/rtc.h>
#include <gst/sdp/sdp.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

struct _CallPeer {
  gchar *name;
  gchar *url;
  CallMediaConfig config;
  SoupSession *session;
  SoupWebsocketConnection *ws;
  GCancellable *cancel;

  /* The call, if one is on. */
  CallMedia *media;
  guint generation;
  gboolean polite;
  gboolean offered;
  gint64 started_at;
  gint64 connected_at;
  CallCounts last; /* of the previous call */
  gint64 last_connected_ms;
  gchar *error;
};

typedef enum {
  EVENT_NEGOTIATION_NEEDED,
  EVENT_CANDIDATE,
  EVENT_CONNECTION_STATE,
} EventType;

typedef struct {
  CallPeer *peer;
  guint generation;
  EventType type;
  guint mline;
  gchar *candidate;
  gint state;
} PeerEvent;

static void fail (CallPeer *peer, const gchar *format, ...)
    G_GNUC_PRINTF (2, 3);

static void
fail (CallPeer *peer, const gchar *format, ...)
{
  va_list args;
  gchar *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("%s: %s\n", peer->name, message);
  if (!peer->error)
    peer->error = message;
  else
    g_free (message);
}

static void
send_builder (CallPeer *peer, JsonBuilder *b)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree gchar *text = json_to_string (root, FALSE);

  if (peer->ws
      && soup_websocket_connection_get_state (peer->ws)
          == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (peer->ws, text);
}

static void
send_description (CallPeer *peer, GstRtcSessionDescription *desc)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree gchar *sdp = gst_sdp_message_as_text (desc->sdp);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, gst_rtc_sdp_type_to_string (desc->type));
  json_builder_set_member_name (b, "sdp");
  json_builder_add_string_value (b, sdp);
  json_builder_end_object (b);
  send_builder (peer, b);
  g_print ("%s: sent %s\n", peer->name,
      gst_rtc_sdp_type_to_string (desc->type));
  if (peer->config.verbose)
    g_print ("%s", sdp);
}

static void
send_candidate (CallPeer *peer, guint mline, const gchar *candidate)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "candidate");
  json_builder_set_member_name (b, "candidate");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "candidate");
  json_builder_add_string_value (b, candidate);
  json_builder_set_member_name (b, "sdpMLineIndex");
  json_builder_add_int_value (b, mline);
  json_builder_end_object (b);
  json_builder_end_object (b);
  send_builder (peer, b);
}

/* Runs an rtcbin action that answers a promise, and waits for it: the
 * session thread never waits for this one, so this cannot deadlock. */
static GstStructure *
call_action (GstElement *rtcbin, const gchar *action, gpointer arg,
    GError **error)
{
  GstPromise *promise = gst_promise_new ();
  const GstStructure *reply;
  GstStructure *copy = NULL;
  GError *reply_error = NULL;

  g_signal_emit_by_name (rtcbin, action, arg, promise);
  if (gst_promise_wait (promise) != GST_PROMISE_RESULT_REPLIED) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED,
        "%s was not answered", action);
  } else if ((reply = gst_promise_get_reply (promise))
      && gst_structure_get (reply, "error", G_TYPE_ERROR, &reply_error, NULL)) {
    g_propagate_prefixed_error (error, reply_error, "%s: ", action);
  } else {
    copy = reply ? gst_structure_copy (reply)
                 : gst_structure_new_empty ("application/x-gst-promise");
  }
  gst_promise_unref (promise);
  return copy;
}

/* create-offer or create-answer, then set-local-description, then send. */
static void
make_description (CallPeer *peer, const gchar *action, const gchar *field)
{
  GstElement *rtcbin = call_media_get_rtcbin (peer->media);
  g_autoptr (GError) error = NULL;
  GstStructure *reply, *set;
  GstRtcSessionDescription *desc = NULL;

  reply = call_action (rtcbin, action, NULL, &error);
  if (!reply
      || !gst_structure_get (reply, field, GST_TYPE_RTC_SESSION_DESCRIPTION,
          &desc, NULL)) {
    fail (peer, "%s failed: %s", action, error ? error->message : "no SDP");
    if (reply)
      gst_structure_free (reply);
    return;
  }
  gst_structure_free (reply);
  set = call_action (rtcbin, "set-local-description", desc, &error);
  if (set) {
    send_description (peer, desc);
    gst_structure_free (set);
  } else {
    fail (peer, "%s", error->message);
  }
  gst_rtc_session_description_free (desc);
}

static void
on_description (CallPeer *peer, GstRtcSDPType type, const gchar *text)
{
  GstElement *rtcbin = call_media_get_rtcbin (peer->media);
  g_autoptr (GError) error = NULL;
  GstSDPMessage *sdp;
  GstRtcSessionDescription *desc;
  GstStructure *reply;
  GstRtcSignalingState state;

  g_object_get (rtcbin, "signaling-state", &state, NULL);
  /* Perfect negotiation: on glare the impolite peer keeps its offer. */
  if (type == GST_RTC_SDP_TYPE_OFFER && state != GST_RTC_SIGNALING_STATE_STABLE
      && !peer->polite) {
    g_print ("%s: ignored an offer that collides with ours\n", peer->name);
    return;
  }
  if (gst_sdp_message_new_from_text (text, &sdp) != GST_SDP_OK) {
    fail (peer, "unparsable %s", gst_rtc_sdp_type_to_string (type));
    return;
  }
  if (peer->config.verbose)
    g_print ("%s", text);
  desc = gst_rtc_session_description_new (type, sdp);
  reply = call_action (rtcbin, "set-remote-description", desc, &error);
  gst_rtc_session_description_free (desc);
  if (!reply) {
    fail (peer, "%s", error->message);
    return;
  }
  gst_structure_free (reply);
  if (type == GST_RTC_SDP_TYPE_OFFER)
    make_description (peer, "create-answer", "answer");
}

static gboolean
handle_event (gpointer user_data)
{
  PeerEvent *ev = user_data;
  CallPeer *peer = ev->peer;
  gint64 now = g_get_monotonic_time ();

  if (ev->generation != peer->generation || !peer->media)
    return G_SOURCE_REMOVE;
  switch (ev->type) {
    case EVENT_NEGOTIATION_NEEDED:
      /* This peer negotiates once, when it is the offerer. */
      if (!peer->polite && !peer->offered) {
        peer->offered = TRUE;
        make_description (peer, "create-offer", "offer");
      }
      break;
    case EVENT_CANDIDATE:
      if (peer->config.verbose)
        g_print ("%s: local %s\n", peer->name, ev->candidate);
      send_candidate (peer, ev->mline, ev->candidate);
      break;
    case EVENT_CONNECTION_STATE:
      if (ev->state == GST_RTC_PEER_CONNECTION_STATE_CONNECTED
          && !peer->connected_at) {
        peer->connected_at = now;
        call_media_set_connected (peer->media, TRUE);
        g_print ("%s: connected in %" G_GINT64_FORMAT " ms\n", peer->name,
            (now - peer->started_at) / 1000);
      } else if (ev->state == GST_RTC_PEER_CONNECTION_STATE_FAILED) {
        fail (peer, "the connection failed");
      }
      break;
  }
  return G_SOURCE_REMOVE;
}

static void
event_free (gpointer user_data)
{
  PeerEvent *ev = user_data;

  g_free (ev->candidate);
  g_free (ev);
}

/* Session thread: hands an event to the main context. */
static void
post_event (GstElement *rtcbin, guint generation, EventType type, guint mline,
    const gchar *candidate, gint state)
{
  PeerEvent *ev = g_new0 (PeerEvent, 1);

  ev->peer = g_object_get_data (G_OBJECT (rtcbin), "call-peer");
  ev->generation = generation;
  ev->type = type;
  ev->mline = mline;
  ev->candidate = g_strdup (candidate);
  ev->state = state;
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, handle_event, ev,
      event_free);
}

static void
on_negotiation_needed (GstElement *rtcbin, gpointer generation)
{
  post_event (rtcbin, GPOINTER_TO_UINT (generation), EVENT_NEGOTIATION_NEEDED,
      0, NULL, 0);
}

static void
on_ice_candidate (GstElement *rtcbin, guint mline, const gchar *candidate,
    gpointer generation)
{
  post_event (rtcbin, GPOINTER_TO_UINT (generation), EVENT_CANDIDATE, mline,
      candidate, 0);
}

static void
on_connection_state (GstElement *rtcbin, GParamSpec *pspec, gpointer generation)
{
  gint state;

  g_object_get (rtcbin, "connection-state", &state, NULL);
  post_event (rtcbin, GPOINTER_TO_UINT (generation), EVENT_CONNECTION_STATE, 0,
      NULL, state);
}

static void
stop_call (CallPeer *peer)
{
  if (!peer->media)
    return;
  call_media_get_counts (peer->media, &peer->last);
  peer->last_connected_ms = call_peer_connected_ms (peer);
  call_media_free (peer->media);
  peer->media = NULL;
  peer->connected_at = 0;
}

static void
start_call (CallPeer *peer, gboolean polite)
{
  g_autoptr (GError) error = NULL;
  GstElement *rtcbin;
  gpointer gen;

  stop_call (peer);
  peer->generation++;
  peer->polite = polite;
  peer->offered = FALSE;
  peer->started_at = g_get_monotonic_time ();
  peer->media = call_media_new (peer->name, &peer->config, &error);
  if (!peer->media) {
    fail (peer, "no pipeline: %s", error->message);
    return;
  }
  rtcbin = call_media_get_rtcbin (peer->media);
  gen = GUINT_TO_POINTER (peer->generation);
  g_object_set_data (G_OBJECT (rtcbin), "call-peer", peer);
  g_signal_connect (rtcbin, "on-negotiation-needed",
      G_CALLBACK (on_negotiation_needed), gen);
  g_signal_connect (rtcbin, "on-ice-candidate", G_CALLBACK (on_ice_candidate),
      gen);
  g_signal_connect (rtcbin, "notify::connection-state",
      G_CALLBACK (on_connection_state), gen);
  if (!call_media_add_transceivers (peer->media, &error)) {
    fail (peer, "%s", error->message);
    return;
  }
  g_print ("%s: calling (%s), sending %s\n", peer->name,
      polite ? "answering" : "offering",
      call_media_describe_sources (peer->media));
  if (!call_media_start (peer->media))
    fail (peer, "the pipeline does not start");
}

static void
on_candidate (CallPeer *peer, JsonObject *msg)
{
  JsonNode *node = json_object_get_member (msg, "candidate");
  GstElement *rtcbin = call_media_get_rtcbin (peer->media);
  JsonObject *cand;
  guint mline = 0;

  /* null, or an empty candidate, is the end of the peer's candidates. */
  if (peer->config.verbose)
    g_print ("%s: remote %s\n", peer->name,
        node && JSON_NODE_HOLDS_OBJECT (node)
            ? json_object_get_string_member_with_default (json_node_get_object (
                                                              node),
                "candidate", "")
            : "end of candidates");
  if (!node || JSON_NODE_HOLDS_NULL (node)) {
    g_signal_emit_by_name (rtcbin, "add-ice-candidate", mline, NULL);
    return;
  }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;
  cand = json_node_get_object (node);
  if (json_object_has_member (cand, "sdpMLineIndex")
      && !json_object_get_null_member (cand, "sdpMLineIndex"))
    mline = json_object_get_int_member (cand, "sdpMLineIndex");
  g_signal_emit_by_name (rtcbin, "add-ice-candidate", mline,
      json_object_get_string_member_with_default (cand, "candidate", NULL));
}

static void
on_message (SoupWebsocketConnection *ws, gint type, GBytes *message,
    CallPeer *peer)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  const gchar *data, *kind;
  gsize len;
  JsonObject *msg;

  data = g_bytes_get_data (message, &len);
  if (type != SOUP_WEBSOCKET_DATA_TEXT
      || !json_parser_load_from_data (parser, data, len, &error)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    g_printerr ("%s: dropped an invalid message\n", peer->name);
    return;
  }
  msg = json_node_get_object (json_parser_get_root (parser));
  kind = json_object_get_string_member_with_default (msg, "type", "");
  if (g_str_equal (kind, "peer")) {
    start_call (peer,
        json_object_get_boolean_member_with_default (msg, "polite", FALSE));
  } else if (g_str_equal (kind, "peer-left")) {
    g_print ("%s: the other peer left\n", peer->name);
    stop_call (peer);
  } else if (!peer->media) {
    return;
  } else if (g_str_equal (kind, "offer") || g_str_equal (kind, "answer")) {
    g_print ("%s: received %s\n", peer->name, kind);
    on_description (peer,
        g_str_equal (kind, "offer") ? GST_RTC_SDP_TYPE_OFFER
                                    : GST_RTC_SDP_TYPE_ANSWER,
        json_object_get_string_member_with_default (msg, "sdp", ""));
  } else if (g_str_equal (kind, "candidate")) {
    on_candidate (peer, msg);
  }
}

static void
on_closed (SoupWebsocketConnection *ws, CallPeer *peer)
{
  g_print ("%s: signalling closed\n", peer->name);
  stop_call (peer);
}

static void
on_connected (GObject *source, GAsyncResult *res, gpointer user_data)
{
  CallPeer *peer = user_data;
  g_autoptr (GError) error = NULL;
  SoupWebsocketConnection *ws;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), res,
      &error);
  /* Cancelled: the peer is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!ws) {
    fail (peer, "cannot reach the signalling server: %s", error->message);
    return;
  }
  peer->ws = ws;
  soup_websocket_connection_set_max_incoming_payload_size (peer->ws,
      256 * 1024);
  g_signal_connect (peer->ws, "message", G_CALLBACK (on_message), peer);
  g_signal_connect (peer->ws, "closed", G_CALLBACK (on_closed), peer);
  g_print ("%s: joined the room, waiting for a peer\n", peer->name);
}

/* @url: the room's WebSocket, http://127.0.0.1:PORT/ws?room=NAME. */
CallPeer *
call_peer_new (const gchar *name, const gchar *url,
    const CallMediaConfig *config)
{
  CallPeer *peer = g_new0 (CallPeer, 1);

  peer->name = g_strdup (name);
  peer->url = g_strdup (url);
  peer->config = *config;
  peer->config.local_addresses = g_strdupv (config->local_addresses);
  /* The server is on this host: no proxy, whatever the environment says
   * (one configured for the web would be asked to reach 127.0.0.1). */
  peer->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  peer->last_connected_ms = -1;
  peer->cancel = g_cancellable_new ();
  return peer;
}

/* Connects to the room; the call starts when the server says the room
 * has its two peers. */
void
call_peer_join (CallPeer *peer)
{
  SoupMessage *msg = soup_message_new (SOUP_METHOD_GET, peer->url);

  soup_session_websocket_connect_async (peer->session, msg, NULL, NULL,
      G_PRIORITY_DEFAULT, peer->cancel, on_connected, peer);
  g_object_unref (msg);
}

gboolean
call_peer_in_call (CallPeer *peer)
{
  return peer->media != NULL;
}

/* Monotonic time (µs) the current call connected at, 0 if it has not. */
gint64
call_peer_connected_at (CallPeer *peer)
{
  return peer->connected_at;
}

/* How long the current call (else the last one) took to connect, -1 if
 * it has not. */
gint64
call_peer_connected_ms (CallPeer *peer)
{
  if (!peer->media)
    return peer->last_connected_ms;
  if (!peer->connected_at)
    return -1;
  return (peer->connected_at - peer->started_at) / 1000;
}

/* The current call's counts, else the last call's. */
void
call_peer_get_counts (CallPeer *peer, CallCounts *counts)
{
  if (peer->media)
    call_media_get_counts (peer->media, counts);
  else
    *counts = peer->last;
}

/* The first thing that went wrong, or NULL. */
const gchar *
call_peer_get_error (CallPeer *peer)
{
  if (!peer->error && peer->media && call_media_get_error (peer->media))
    return call_media_get_error (peer->media);
  return peer->error;
}

const gchar *
call_peer_get_name (CallPeer *peer)
{
  return peer->name;
}

void
call_peer_free (CallPeer *peer)
{
  g_cancellable_cancel (peer->cancel);
  stop_call (peer);
  if (peer->ws) {
    g_signal_handlers_disconnect_by_data (peer->ws, peer);
    if (soup_websocket_connection_get_state (peer->ws)
        == SOUP_WEBSOCKET_STATE_OPEN)
      soup_websocket_connection_close (peer->ws, SOUP_WEBSOCKET_CLOSE_NORMAL,
          NULL);
    g_object_unref (peer->ws);
  }
  g_object_unref (peer->session);
  g_object_unref (peer->cancel);
  g_strfreev (peer->config.local_addresses);
  g_free (peer->name);
  g_free (peer->url);
  g_free (peer->error);
  g_free (peer);
}
