/* gst-rtc
 * Copyright (C) 2026 gst-rtc authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The signalling server of a WebRTC call, on the caller's main context.
 *
 * Serves the call page on http://127.0.0.1:PORT/ and relays the peers'
 * messages (descriptions and ICE candidates, see callmessage.c) over a
 * WebSocket at /ws?room=NAME. A room holds two peers; when the second one
 * arrives both are told, one as the polite peer of perfect negotiation, and
 * from then on every valid message of one is relayed to the other. Invalid
 * messages are dropped with a log line; a peer sending too many of them is
 * disconnected.
 *
 * Server messages: { "type": "peer", "polite": true|false } when the room
 * has two peers, { "type": "peer-left" } when the other one went away.
 */

#include "callserver.h"

#include "callmessage.h"

#include <libsoup/soup.h>
#include <string.h>

#define RESOURCE_PREFIX "/org/gst-rtc/webrtc-call/"
#define MAX_ROOM_NAME 32
#define MAX_INVALID_MESSAGES 16
#define MAX_ROOMS 256

typedef struct _Room Room;
typedef struct _CallServer Server;

typedef struct {
  SoupWebsocketConnection *conn;
  Server *server;
  Room *room;
  guint id;
  guint invalid;
} Peer;

struct _Room {
  gchar *name;
  Peer *peers[2];
};

struct _CallServer {
  SoupServer *server;
  GHashTable *rooms; /* name -> Room */
  gchar *origin;
  guint next_peer_id;
  CallServerJoinedFunc joined;
  gpointer joined_data;
};

static void
send_json (Peer *peer, const gchar *json)
{
  if (soup_websocket_connection_get_state (peer->conn)
      == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (peer->conn, json);
}

static Peer *
other_peer (Peer *peer)
{
  Room *room = peer->room;

  return room->peers[0] == peer ? room->peers[1] : room->peers[0];
}

static void
peer_free (Peer *peer)
{
  g_signal_handlers_disconnect_by_data (peer->conn, peer);
  if (soup_websocket_connection_get_state (peer->conn)
      == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (peer->conn,
        SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_object_unref (peer->conn);
  g_free (peer);
}

static void
room_free (Room *room)
{
  g_clear_pointer (&room->peers[0], peer_free);
  g_clear_pointer (&room->peers[1], peer_free);
  g_free (room->name);
  g_free (room);
}

static void
on_message (SoupWebsocketConnection *conn, gint type, GBytes *message,
    Peer *peer)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *json = NULL;
  Peer *other;

  /* Once we closed the connection, what the peer still sends is moot. */
  if (soup_websocket_connection_get_state (conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;

  if (type == SOUP_WEBSOCKET_DATA_TEXT) {
    gsize len;
    const gchar *data = g_bytes_get_data (message, &len);

    json = call_message_sanitize (data, len, &error);
  } else {
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "binary message");
  }

  if (!json) {
    g_printerr ("room %s, peer %u: dropped a message: %s\n", peer->room->name,
        peer->id, error->message);
    if (++peer->invalid >= MAX_INVALID_MESSAGES) {
      g_printerr ("room %s, peer %u: too many invalid messages, "
                  "disconnecting\n",
          peer->room->name, peer->id);
      soup_websocket_connection_close (conn,
          SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "too many invalid messages");
    }
    return;
  }

  /* Before the other peer arrives there is no one to relay to: the page
   * starts negotiating only once told of its peer, so nothing is lost. */
  other = other_peer (peer);
  if (other)
    send_json (other, json);
}

static void
on_error (SoupWebsocketConnection *conn, GError *error, Peer *peer)
{
  g_printerr ("room %s, peer %u: %s\n", peer->room->name, peer->id,
      error->message);
}

static void
on_closed (SoupWebsocketConnection *conn, Peer *peer)
{
  Server *server = peer->server;
  Room *room = peer->room;
  Peer *other = other_peer (peer);

  g_print ("room %s: peer %u left\n", room->name, peer->id);
  room->peers[room->peers[0] == peer ? 0 : 1] = NULL;
  peer_free (peer);

  if (other)
    send_json (other, "{\"type\":\"peer-left\"}");
  else
    g_hash_table_remove (server->rooms, room->name);
}

static gboolean
valid_room_name (const gchar *name)
{
  const gchar *p;

  if (!name || !*name || strlen (name) > MAX_ROOM_NAME)
    return FALSE;
  for (p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static void
on_websocket (SoupServer *soup_server, SoupServerMessage *msg, const char *path,
    SoupWebsocketConnection *conn, gpointer user_data)
{
  Server *server = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const gchar *origin
      = soup_message_headers_get_one (soup_server_message_get_request_headers (
                                          msg),
          "Origin");
  g_autoptr (GHashTable) params = NULL;
  const gchar *name = NULL;
  Room *room;
  Peer *peer;
  gint slot;

  /* Browsers send their page's origin: only our own page may join, so
   * another site the browser has open cannot use the server. Programs
   * (GStreamer peers) send none. */
  if (origin && g_ascii_strcasecmp (origin, server->origin) != 0) {
    g_printerr ("refused a peer from another origin\n");
    soup_websocket_connection_close (conn,
        SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "origin");
    return;
  }

  if (g_uri_get_query (uri))
    params = g_uri_parse_params (g_uri_get_query (uri), -1, "&",
        G_URI_PARAMS_NONE, NULL);
  if (params)
    name = g_hash_table_lookup (params, "room");
  if (!valid_room_name (name)) {
    g_printerr ("refused a peer: missing or invalid room name\n");
    soup_websocket_connection_close (conn,
        SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "room");
    return;
  }

  room = g_hash_table_lookup (server->rooms, name);
  if (!room) {
    if (g_hash_table_size (server->rooms) >= MAX_ROOMS) {
      g_printerr ("refused a peer: too many rooms\n");
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_SERVER_ERROR,
          "too many rooms");
      return;
    }
    room = g_new0 (Room, 1);
    room->name = g_strdup (name);
    g_hash_table_insert (server->rooms, room->name, room);
  }
  slot = !room->peers[0] ? 0 : !room->peers[1] ? 1 : -1;
  if (slot < 0) {
    g_printerr ("room %s: refused a third peer\n", room->name);
    soup_websocket_connection_close (conn,
        SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "room full");
    return;
  }

  peer = g_new0 (Peer, 1);
  peer->conn = g_object_ref (conn);
  peer->server = server;
  peer->room = room;
  peer->id = ++server->next_peer_id;
  room->peers[slot] = peer;
  /* Up to this size an oversized message is read and dropped with a log
   * line; beyond it libsoup closes the connection. */
  soup_websocket_connection_set_max_incoming_payload_size (conn,
      4 * CALL_MESSAGE_MAX_SIZE);
  /* A peer that vanishes without closing is noticed within a minute. */
  soup_websocket_connection_set_keepalive_interval (conn, 20);
  g_signal_connect (conn, "message", G_CALLBACK (on_message), peer);
  g_signal_connect (conn, "error", G_CALLBACK (on_error), peer);
  g_signal_connect (conn, "closed", G_CALLBACK (on_closed), peer);
  g_print ("room %s: peer %u joined\n", room->name, peer->id);
  if (server->joined)
    server->joined (room->name, room->peers[0] && room->peers[1] ? 2 : 1,
        server->joined_data);

  /* The peer that was there first is the impolite one: on glare its offer
   * wins and the newcomer rolls back. */
  if (room->peers[0] && room->peers[1]) {
    Peer *first = room->peers[slot ^ 1];

    send_json (first, "{\"type\":\"peer\",\"polite\":false}");
    send_json (peer, "{\"type\":\"peer\",\"polite\":true}");
  }
}

static void
on_http (SoupServer *soup_server, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer user_data)
{
  static const struct {
    const gchar *path, *resource, *type;
  } files[] = {
    { "/", "index.html", "text/html; charset=utf-8" },
    { "/index.html", "index.html", "text/html; charset=utf-8" },
    { "/call.js", "call.js", "text/javascript; charset=utf-8" },
  };
  const gchar *method = soup_server_message_get_method (msg);
  g_autoptr (GBytes) data = NULL;
  guint i;

  if (g_strcmp0 (method, "GET") != 0 && g_strcmp0 (method, "HEAD") != 0) {
    soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
    return;
  }
  for (i = 0; i < G_N_ELEMENTS (files); i++) {
    g_autofree gchar *resource = NULL;

    if (!g_str_equal (path, files[i].path))
      continue;
    resource = g_strconcat (RESOURCE_PREFIX, files[i].resource, NULL);
    data = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE,
        NULL);
    g_assert (data != NULL);
    soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    soup_message_headers_replace (soup_server_message_get_response_headers (
                                      msg),
        "Cache-Control", "no-store");
    soup_server_message_set_response (msg, files[i].type, SOUP_MEMORY_COPY,
        g_bytes_get_data (data, NULL), g_bytes_get_size (data));
    return;
  }
  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

/**
 * call_server_new:
 * @port: port on 127.0.0.1, 0 for any free one
 *
 * Starts serving on the thread-default main context.
 */
CallServer *
call_server_new (guint port, GError **error)
{
  CallServer *server;
  GSList *uris;

  server = g_new0 (CallServer, 1);
  server->rooms = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
      (GDestroyNotify)room_free);
  server->server = soup_server_new ("server-header", "rtc-webrtc-call ", NULL);
  soup_server_add_handler (server->server, NULL, on_http, server, NULL);
  soup_server_add_websocket_handler (server->server, "/ws", NULL, NULL,
      on_websocket, server, NULL);

  /* Loopback only: the page and its peers are on this machine. */
  if (!soup_server_listen_local (server->server, port,
          SOUP_SERVER_LISTEN_IPV4_ONLY, error)) {
    call_server_free (server);
    return NULL;
  }
  uris = soup_server_get_uris (server->server);
  server->origin = g_strdup_printf ("http://127.0.0.1:%d",
      g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  return server;
}

/* "http://127.0.0.1:PORT", the page's origin. */
const gchar *
call_server_get_origin (CallServer *server)
{
  return server->origin;
}

void
call_server_set_joined_func (CallServer *server, CallServerJoinedFunc func,
    gpointer user_data)
{
  server->joined = func;
  server->joined_data = user_data;
}

/* Closes every peer's connection and stops listening. */
void
call_server_free (CallServer *server)
{
  soup_server_disconnect (server->server);
  g_hash_table_unref (server->rooms);
  g_object_unref (server->server);
  g_free (server->origin);
  g_free (server);
}
