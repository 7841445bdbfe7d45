/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * See rtcjsonpeer.h.
 */
#include "rtcjsonpeer.h"
#include "rtcpromisewait.h"

#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <string.h>

/* The session description types, by their numbers in both libraries. */
static const gchar *const desc_types[] = { NULL, "offer", "pranswer", "answer",
  "rollback" };

void
rtc_json_peer_init (RtcJsonPeer *peer)
{
  GInputStream *in = g_unix_input_stream_new (0, FALSE);

  memset (peer, 0, sizeof (*peer));
  g_mutex_init (&peer->out_lock);
  peer->loop = g_main_loop_new (NULL, FALSE);
  peer->input = g_data_input_stream_new (in);
  g_object_unref (in);
  peer->cancel = g_cancellable_new ();
}

static void
on_line (GObject *source, GAsyncResult *res, gpointer user_data)
{
  RtcJsonPeer *peer = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (
                                                        source),
      res, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!line) {
    /* The driver went away: so do we. */
    g_main_loop_quit (peer->loop);
    return;
  }
  g_strstrip (line);
  if (*line)
    peer->func (peer, line, peer->user_data);
  if (g_main_loop_is_running (peer->loop))
    g_data_input_stream_read_line_async (peer->input, G_PRIORITY_DEFAULT,
        peer->cancel, on_line, peer);
}

/* Reads commands into @func and emits the "ready" event, then runs the
 * main loop until rtc_json_peer_quit() or the end of stdin. */
void
rtc_json_peer_run (RtcJsonPeer *peer, RtcJsonPeerLineFunc func,
    gpointer user_data)
{
  peer->func = func;
  peer->user_data = user_data;
  g_data_input_stream_read_line_async (peer->input, G_PRIORITY_DEFAULT,
      peer->cancel, on_line, peer);
  rtc_json_peer_emit (peer, rtc_json_peer_event_new ("ready"));
  g_main_loop_run (peer->loop);
  g_cancellable_cancel (peer->cancel);
}

void
rtc_json_peer_quit (RtcJsonPeer *peer)
{
  g_main_loop_quit (peer->loop);
}

void
rtc_json_peer_clear (RtcJsonPeer *peer)
{
  g_clear_object (&peer->input);
  g_clear_object (&peer->cancel);
  g_clear_pointer (&peer->loop, g_main_loop_unref);
  g_mutex_clear (&peer->out_lock);
}

/* {"event": @name}, to fill and emit. */
JsonObject *
rtc_json_peer_event_new (const gchar *name)
{
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "event", name);
  return obj;
}

/* Prints @obj as one line and drops it; any thread. */
void
rtc_json_peer_emit (RtcJsonPeer *peer, JsonObject *obj)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), obj);
  g_autofree gchar *text = json_to_string (node, FALSE);

  g_mutex_lock (&peer->out_lock);
  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
  g_mutex_unlock (&peer->out_lock);
  json_object_unref (obj);
}

/* The command object of @line (a new reference), or NULL with @error. */
JsonObject *
rtc_json_peer_parse (const gchar *line, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, line, -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "not a JSON object");
    return NULL;
  }
  return json_object_ref (json_node_get_object (root));
}

/* How long (scaled) an action may take to answer its promise. */
#define RTC_JSON_PEER_REPLY_MS 20000

/* Waits for @promise; its reply (nullable, owned by @promise) in @reply,
 * or FALSE with @error when it was not answered or answered an error. */
gboolean
rtc_json_peer_promise_reply (GstPromise *promise, const GstStructure **reply,
    GError **error)
{
  const GstStructure *st;
  GError *err = NULL;

  if (rtc_promise_wait (promise, RTC_JSON_PEER_REPLY_MS)
      != GST_PROMISE_RESULT_REPLIED) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED,
        "no answer within %" G_GUINT64_FORMAT " ms",
        RTC_TEST_MS (RTC_JSON_PEER_REPLY_MS));
    return FALSE;
  }
  st = gst_promise_get_reply (promise);
  if (st && gst_structure_has_field (st, "error")) {
    if (gst_structure_get (st, "error", G_TYPE_ERROR, &err, NULL) && err)
      g_propagate_error (error, err);
    else
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED, "failed");
    return FALSE;
  }
  if (reply)
    *reply = st;
  return TRUE;
}

/* The description in @reply's @field (owned by @reply), or NULL with
 * @error. */
const RtcJsonPeerDesc *
rtc_json_peer_reply_description (const GstStructure *reply, const gchar *field,
    GType desc_type, GError **error)
{
  const GValue *value = reply ? gst_structure_get_value (reply, field) : NULL;

  if (!value || G_VALUE_TYPE (value) != desc_type
      || !g_value_get_boxed (value)) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED,
        "no %s in the reply", field);
    return NULL;
  }
  return g_value_get_boxed (value);
}

/* A new description of @desc_type (free with g_boxed_free) from a type
 * name and SDP text (ignored for a rollback), or NULL with @error. */
gpointer
rtc_json_peer_description_new (GType desc_type, const gchar *type,
    const gchar *sdp, GError **error)
{
  RtcJsonPeerDesc mirror = { 0, NULL };
  gpointer desc;
  guint i;

  for (i = 1; i < G_N_ELEMENTS (desc_types); i++)
    if (g_strcmp0 (type, desc_types[i]) == 0)
      mirror.type = i;
  if (!mirror.type) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "unknown description type '%s'", type);
    return NULL;
  }
  gst_sdp_message_new (&mirror.sdp);
  if (!g_str_equal (type, "rollback")
      && gst_sdp_message_parse_buffer ((const guint8 *)sdp, strlen (sdp),
             mirror.sdp)
          != GST_SDP_OK) {
    gst_sdp_message_free (mirror.sdp);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "unparsable SDP");
    return NULL;
  }
  /* The type's copy function makes a real description of the mirror. */
  desc = g_boxed_copy (desc_type, &mirror);
  gst_sdp_message_free (mirror.sdp);
  return desc;
}

/* {"type", "sdp"} */
JsonObject *
rtc_json_peer_description_to_json (const RtcJsonPeerDesc *desc)
{
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "type",
      desc->type > 0 && desc->type < (gint)G_N_ELEMENTS (desc_types)
          ? desc_types[desc->type]
          : "unknown");
  if (desc->sdp) {
    g_autofree gchar *sdp = gst_sdp_message_as_text (desc->sdp);

    json_object_set_string_member (obj, "sdp", sdp);
  }
  return obj;
}

static void
on_ice_candidate (GstElement *element, guint mline, const gchar *candidate,
    RtcJsonPeer *peer)
{
  g_autofree gchar *lower = candidate ? g_ascii_strdown (candidate, -1) : NULL;
  JsonObject *ev;

  if (peer->loopback_only
      && !(lower && strstr (lower, " udp ") && strstr (lower, " 127.0.0.1 ")))
    return;
  ev = rtc_json_peer_event_new ("candidate");
  json_object_set_int_member (ev, "mline", mline);
  json_object_set_string_member (ev, "candidate", candidate ? candidate : "");
  rtc_json_peer_emit (peer, ev);
}

/* Each local candidate of @element as {"event": "candidate", mline,
 * candidate}; only UDP ones on 127.0.0.1 with @loopback_udp_only. */
void
rtc_json_peer_watch_candidates (RtcJsonPeer *peer, GstElement *element,
    gboolean loopback_udp_only)
{
  peer->loopback_only = loopback_udp_only;
  g_signal_connect (element, "on-ice-candidate", G_CALLBACK (on_ice_candidate),
      peer);
}
