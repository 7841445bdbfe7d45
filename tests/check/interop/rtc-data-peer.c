/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A data channel peer driven by JSON lines: one session element
 * (`rtcbin`, or gst-plugins-bad's `webrtcbin` with --element webrtcbin)
 * that takes commands on stdin and reports events on stdout, one JSON
 * object a line. The interop test runs webrtcbin through it in a child
 * process (gst-plugins-bad's SCTP elements and ours each own usrsctp's
 * one stack per process, so they never share one), the browser test
 * runs rtcbin through it beside chromium.
 *
 * Commands ({"cmd": ...}):
 *   create-offer                  -> offer {sdp}, then sets it locally
 *   set-remote {type, sdp}        an offer is answered: answer {sdp}
 *   candidate {mline, candidate}  a remote candidate
 *   create-channel {label, ordered, max-retransmits, max-packet-lifetime,
 *     protocol, negotiated, id}   -> created {label, id}
 *   send {label, kind, size, seed}  a message of datapeer.h's pattern
 *   close {label}
 *   query {label}                 -> state {label, ready-state, ...}
 *   media                         -> media {buffers}
 *   quit                          (so does the end of stdin)
 * Events ({"event": ...}): ready, offer, answer, candidate (UDP on
 * 127.0.0.1 only), connection-state, data-channel (the peer opened one),
 * open, close, error, message {label, kind, size, sha1}, done {cmd} after
 * each command, failed {cmd, message}. Every message received is echoed
 * back on its channel unless started with --no-echo, but for empty ones
 * through webrtcbin: webrtcbin 1.22 cannot send an empty message (an
 * empty string fails in usrsctp and closes the channel with an error, an
 * empty GBytes is refused by a precondition), so it only reports them.
 */
#include <gst/gst.h>
#include <string.h>

#include "datapeer.h"
#include "rtcjsonpeer.h"

typedef struct {
  GstElement *pipeline, *bin;
  gboolean web, echo;
  GType desc_type;
  RtcJsonPeer json;
  GMutex lock; /* channels */
  GHashTable *channels; /* label -> channel */
  gint media_buffers; /* atomic */
} Peer;

static Peer peer;

static gchar *
channel_label (GObject *ch)
{
  gchar *label = NULL;

  g_object_get (ch, "label", &label, NULL);
  return label;
}

static JsonObject *
channel_event (const gchar *name, GObject *ch)
{
  JsonObject *b = rtc_json_peer_event_new (name);
  gchar *label = channel_label (ch);
  gint id = -1;

  g_object_get (ch, "id", &id, NULL);
  json_object_set_string_member (b, "label", label);
  json_object_set_int_member (b, "id", id);
  g_free (label);
  return b;
}

/* ---- channels ---- */

/* Once per channel: a channel announced open gets its on-open too. */
static void
on_open (GObject *ch, gpointer unused)
{
  gboolean first;

  g_mutex_lock (&peer.lock);
  first = !g_object_get_data (ch, "rtc-data-peer-open");
  g_object_set_data (ch, "rtc-data-peer-open", GINT_TO_POINTER (1));
  g_mutex_unlock (&peer.lock);
  if (first)
    rtc_json_peer_emit (&peer.json, channel_event ("open", ch));
}

static void
on_close (GObject *ch, gpointer unused)
{
  rtc_json_peer_emit (&peer.json, channel_event ("close", ch));
}

static void
on_error (GObject *ch, GError *error, gpointer unused)
{
  JsonObject *b = channel_event ("error", ch);

  json_object_set_string_member (b, "message", error ? error->message : "");
  rtc_json_peer_emit (&peer.json, b);
}

static void
report_message (GObject *ch, const gchar *kind, gconstpointer data, gsize size)
{
  JsonObject *b = channel_event ("message", ch);
  gchar *sha1 = g_compute_checksum_for_data (G_CHECKSUM_SHA1, data, size);

  json_object_set_string_member (b, "kind", kind);
  json_object_set_int_member (b, "size", size);
  json_object_set_string_member (b, "sha1", sha1);
  rtc_json_peer_emit (&peer.json, b);
  g_free (sha1);
}

static void
on_message_string (GObject *ch, const gchar *str, gpointer unused)
{
  /* webrtcbin gives an empty string message as NULL. */
  report_message (ch, "string", str ? str : "", str ? strlen (str) : 0);
  if (peer.echo && !(peer.web && (!str || !*str)))
    g_signal_emit_by_name (ch, "send-string", str ? str : "");
}

static void
on_message_data (GObject *ch, GBytes *data, gpointer unused)
{
  gsize size = 0;
  gconstpointer d = data ? g_bytes_get_data (data, &size) : NULL;

  report_message (ch, "binary", d ? d : "", size);
  if (peer.echo && !(peer.web && size == 0)) {
    GBytes *copy = data ? g_bytes_ref (data) : g_bytes_new (NULL, 0);

    g_signal_emit_by_name (ch, "send-data", copy);
    g_bytes_unref (copy);
  }
}

static void
watch_channel (GObject *ch)
{
  g_signal_connect (ch, "on-open", G_CALLBACK (on_open), NULL);
  g_signal_connect (ch, "on-close", G_CALLBACK (on_close), NULL);
  g_signal_connect (ch, "on-error", G_CALLBACK (on_error), NULL);
  g_signal_connect (ch, "on-message-string", G_CALLBACK (on_message_string),
      NULL);
  g_signal_connect (ch, "on-message-data", G_CALLBACK (on_message_data), NULL);
  g_mutex_lock (&peer.lock);
  g_hash_table_insert (peer.channels, channel_label (ch), g_object_ref (ch));
  g_mutex_unlock (&peer.lock);
}

static void
on_data_channel (GstElement *bin, GObject *ch, gpointer unused)
{
  JsonObject *b = channel_event ("data-channel", ch);
  gboolean ordered = TRUE, negotiated = FALSE;
  gint max_rtx = -1, max_lifetime = -1;
  gchar *protocol = NULL;

  g_object_get (ch, "ordered", &ordered, "negotiated", &negotiated,
      "max-retransmits", &max_rtx, "max-packet-lifetime", &max_lifetime,
      "protocol", &protocol, NULL);
  json_object_set_boolean_member (b, "ordered", ordered);
  json_object_set_boolean_member (b, "negotiated", negotiated);
  json_object_set_int_member (b, "max-retransmits", max_rtx);
  json_object_set_int_member (b, "max-packet-lifetime", max_lifetime);
  json_object_set_string_member (b, "protocol", protocol ? protocol : "");
  g_free (protocol);
  rtc_json_peer_emit (&peer.json, b);
  watch_channel (ch);
  /* A channel can be open by the time it is announced. */
  {
    gint state = 0;

    g_object_get (ch, "ready-state", &state, NULL);
    if (state == 2 /* open, in both libraries */)
      on_open (ch, NULL);
  }
}

static GObject *
find_channel (const gchar *label)
{
  GObject *ch;

  g_mutex_lock (&peer.lock);
  ch = g_hash_table_lookup (peer.channels, label ? label : "");
  if (ch)
    g_object_ref (ch);
  g_mutex_unlock (&peer.lock);
  return ch;
}

/* The channel that @cmd's label names (a new reference), or NULL with
 * @error set. */
static GObject *
command_channel (JsonObject *cmd, GError **error)
{
  GObject *ch = find_channel (
      json_object_get_string_member_with_default (cmd, "label", ""));

  if (!ch)
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED, "no channel");
  return ch;
}

/* ---- session ---- */

static void
on_connection_state (GstElement *bin, GParamSpec *pspec, gpointer unused)
{
  gint state = 0;
  JsonObject *b = rtc_json_peer_event_new ("connection-state");

  g_object_get (bin, "connection-state", &state, NULL);
  json_object_set_int_member (b, "state", state);
  rtc_json_peer_emit (&peer.json, b);
}

static GstPadProbeReturn
count_media (GstPad *pad, GstPadProbeInfo *info, gpointer unused)
{
  g_atomic_int_inc (&peer.media_buffers);
  return GST_PAD_PROBE_OK;
}

static void
on_pad_added (GstElement *bin, GstPad *pad, gpointer unused)
{
  GstElement *sink;
  GstPad *sinkpad;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  sink = gst_element_factory_make ("fakesink", NULL);
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (peer.pipeline), sink);
  gst_element_sync_state_with_parent (sink);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_BUFFER, count_media, NULL,
      NULL);
  gst_pad_link (pad, sinkpad);
  gst_object_unref (sinkpad);
}

/* Runs @action and waits for its reply (in @out when asked for); FALSE
 * with @error set on failure. */
static gboolean
await_action (const gchar *action, gpointer arg, GstPromise **out,
    GError **error)
{
  GstPromise *promise = gst_promise_new ();
  gboolean ok;

  g_signal_emit_by_name (peer.bin, action, arg, promise);
  ok = rtc_json_peer_promise_reply (promise, NULL, error);
  if (ok && out)
    *out = promise;
  else
    gst_promise_unref (promise);
  return ok;
}

/* create-offer or create-answer: prints the description, then sets it
 * locally (printed first, so that the candidates its gathering brings
 * follow it on the peer's side too). */
static gboolean
create_and_set (const gchar *kind, GError **error)
{
  gchar *action = g_strdup_printf ("create-%s", kind);
  GstPromise *promise = NULL;
  const RtcJsonPeerDesc *desc;
  gchar *text;
  JsonObject *b;
  gboolean ok;

  ok = await_action (action, NULL, &promise, error);
  g_free (action);
  if (!ok)
    return FALSE;
  desc = rtc_json_peer_reply_description (gst_promise_get_reply (promise), kind,
      peer.desc_type, error);
  if (!desc) {
    gst_promise_unref (promise);
    return FALSE;
  }
  text = gst_sdp_message_as_text (desc->sdp);
  b = rtc_json_peer_event_new (kind);
  json_object_set_string_member (b, "sdp", text);
  rtc_json_peer_emit (&peer.json, b);
  g_free (text);
  ok = await_action ("set-local-description", (gpointer)desc, NULL, error);
  gst_promise_unref (promise);
  return ok;
}

static gboolean
set_remote (const gchar *type, const gchar *text, GError **error)
{
  gpointer desc = rtc_json_peer_description_new (peer.desc_type, type, text,
      error);
  gboolean ok;

  if (!desc)
    return FALSE;
  ok = await_action ("set-remote-description", desc, NULL, error);
  g_boxed_free (peer.desc_type, desc);
  if (ok && g_str_equal (type, "offer"))
    ok = create_and_set ("answer", error);
  return ok;
}

static gboolean
create_channel (JsonObject *cmd, GError **error)
{
  const gchar *label = json_object_get_string_member_with_default (cmd, "label",
      "");
  GstStructure *options = gst_structure_new_empty ("options");
  GObject *ch = NULL;
  const gchar *ints[] = { "max-retransmits", "max-packet-lifetime", "id" };
  guint i;

  if (json_object_has_member (cmd, "ordered"))
    gst_structure_set (options, "ordered", G_TYPE_BOOLEAN,
        json_object_get_boolean_member (cmd, "ordered"), NULL);
  if (json_object_has_member (cmd, "negotiated"))
    gst_structure_set (options, "negotiated", G_TYPE_BOOLEAN,
        json_object_get_boolean_member (cmd, "negotiated"), NULL);
  if (json_object_has_member (cmd, "protocol"))
    gst_structure_set (options, "protocol", G_TYPE_STRING,
        json_object_get_string_member (cmd, "protocol"), NULL);
  for (i = 0; i < G_N_ELEMENTS (ints); i++)
    if (json_object_has_member (cmd, ints[i]))
      gst_structure_set (options, ints[i], G_TYPE_INT,
          (gint)json_object_get_int_member (cmd, ints[i]), NULL);
  g_signal_emit_by_name (peer.bin, "create-data-channel", label, options, &ch);
  gst_structure_free (options);
  if (!ch) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED,
        "create-data-channel refused %s", label);
    return FALSE;
  }
  watch_channel (ch);
  rtc_json_peer_emit (&peer.json, channel_event ("created", ch));
  g_object_unref (ch);
  return TRUE;
}

static gboolean
send_message (JsonObject *cmd, GError **error)
{
  GObject *ch = command_channel (cmd, error);
  gsize size = json_object_get_int_member_with_default (cmd, "size", 0);
  guint seed = json_object_get_int_member_with_default (cmd, "seed", 0);

  if (!ch)
    return FALSE;
  if (g_strcmp0 (json_object_get_string_member_with_default (cmd, "kind", ""),
          "string")
      == 0) {
    gchar *s = data_peer_string (size, seed);

    g_signal_emit_by_name (ch, "send-string", s);
    g_free (s);
  } else {
    GBytes *d = data_peer_binary (size, seed);

    g_signal_emit_by_name (ch, "send-data", d);
    g_bytes_unref (d);
  }
  g_object_unref (ch);
  return TRUE;
}

static gboolean
query_channel (JsonObject *cmd, GError **error)
{
  GObject *ch = command_channel (cmd, error);
  JsonObject *b;
  gint state = 0;
  guint64 buffered = 0;

  if (!ch)
    return FALSE;
  g_object_get (ch, "ready-state", &state, "buffered-amount", &buffered, NULL);
  b = channel_event ("state", ch);
  json_object_set_int_member (b, "ready-state", state);
  json_object_set_int_member (b, "buffered-amount", buffered);
  rtc_json_peer_emit (&peer.json, b);
  g_object_unref (ch);
  return TRUE;
}

static void
run_command (RtcJsonPeer *json, const gchar *line, gpointer unused)
{
  GError *error = NULL;
  JsonObject *cmd = rtc_json_peer_parse (line, &error);
  const gchar *name = "";
  gboolean ok = FALSE;

  if (!cmd)
    goto done;
  name = json_object_get_string_member_with_default (cmd, "cmd", "");
  if (g_str_equal (name, "create-offer")) {
    ok = create_and_set ("offer", &error);
  } else if (g_str_equal (name, "set-remote")) {
    ok = set_remote (json_object_get_string_member_with_default (cmd, "type",
                         ""),
        json_object_get_string_member_with_default (cmd, "sdp", ""), &error);
  } else if (g_str_equal (name, "candidate")) {
    g_signal_emit_by_name (peer.bin, "add-ice-candidate",
        (guint)json_object_get_int_member_with_default (cmd, "mline", 0),
        json_object_get_string_member_with_default (cmd, "candidate", ""));
    ok = TRUE;
  } else if (g_str_equal (name, "create-channel")) {
    ok = create_channel (cmd, &error);
  } else if (g_str_equal (name, "send")) {
    ok = send_message (cmd, &error);
  } else if (g_str_equal (name, "close")) {
    GObject *ch = find_channel (
        json_object_get_string_member_with_default (cmd, "label", ""));

    if (ch) {
      g_signal_emit_by_name (ch, "close");
      g_object_unref (ch);
      ok = TRUE;
    }
  } else if (g_str_equal (name, "query")) {
    ok = query_channel (cmd, &error);
  } else if (g_str_equal (name, "media")) {
    JsonObject *b = rtc_json_peer_event_new ("media");

    json_object_set_int_member (b, "buffers",
        g_atomic_int_get (&peer.media_buffers));
    rtc_json_peer_emit (&peer.json, b);
    ok = TRUE;
  } else if (g_str_equal (name, "quit")) {
    rtc_json_peer_quit (&peer.json);
    ok = TRUE;
  }
done:
  if (ok) {
    JsonObject *b = rtc_json_peer_event_new ("done");

    json_object_set_string_member (b, "cmd", name);
    rtc_json_peer_emit (&peer.json, b);
  } else {
    JsonObject *b = rtc_json_peer_event_new ("failed");

    json_object_set_string_member (b, "cmd", name);
    json_object_set_string_member (b, "message",
        error ? error->message : "unknown command");
    rtc_json_peer_emit (&peer.json, b);
  }
  g_clear_error (&error);
  if (cmd)
    json_object_unref (cmd);
}

/* webrtcbin builds its offer from its sink pads' caps. */
static void
wait_payloader (void)
{
  GstElement *pay = gst_bin_get_by_name (GST_BIN (peer.pipeline), "pay");
  GstPad *pad;
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  if (!pay)
    return;
  pad = gst_element_get_static_pad (pay, "src");
  while (!gst_pad_has_current_caps (pad) && g_get_monotonic_time () < end)
    g_usleep (5000);
  gst_object_unref (pad);
  gst_object_unref (pay);
}

static void
setup_loopback (void)
{
  if (!peer.web) {
    const gchar *loopback[] = { "127.0.0.1", NULL };

    g_object_set (peer.bin, "local-addresses", loopback, NULL);
  } else {
    GObject *ice = NULL, *agent = NULL;
    gboolean added = FALSE;

    g_object_set (peer.bin, "bundle-policy", 3 /* max-bundle */, NULL);
    g_object_get (peer.bin, "ice-agent", &ice, NULL);
    g_object_set (ice, "ice-tcp", FALSE, NULL);
    g_object_get (ice, "agent", &agent, NULL);
    g_object_set (agent, "upnp", FALSE, NULL);
    /* libnice leaves loopback out unless it is named. */
    g_signal_emit_by_name (ice, "add-local-ip-address", "127.0.0.1", &added);
    g_object_unref (agent);
    g_object_unref (ice);
  }
}

int
main (int argc, char **argv)
{
  gchar *element = NULL;
  gboolean audio = FALSE, no_echo = FALSE;
  GOptionEntry entries[] = { { "element", 0, 0, G_OPTION_ARG_STRING, &element,
                                 "rtcbin (default) or webrtcbin", "NAME" },
    { "audio", 0, 0, G_OPTION_ARG_NONE, &audio,
        "send Opus beside the data channels", NULL },
    { "no-echo", 0, 0, G_OPTION_ARG_NONE, &no_echo,
        "do not echo received messages", NULL },
    { NULL } };
  GOptionContext *ctx = g_option_context_new ("- data channel peer");
  GError *error = NULL;
  gchar *desc;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_printerr ("%s\n", error->message);
    return 2;
  }
  g_option_context_free (ctx);
  peer.web = g_strcmp0 (element, "webrtcbin") == 0;
  peer.echo = !no_echo;
  g_mutex_init (&peer.lock);
  rtc_json_peer_init (&peer.json);
  peer.channels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_object_unref);

  desc = g_strdup_printf ("%s name=peer %s", peer.web ? "webrtcbin" : "rtcbin",
      audio ? "audiotestsrc is-live=true ! opusenc ! rtpopuspay name=pay "
              "pt=96 ! peer."
            : "");
  peer.pipeline = gst_parse_launch (desc, &error);
  g_free (desc);
  if (!peer.pipeline) {
    g_printerr ("%s\n", error->message);
    return 2;
  }
  /* A description of one element gives that element. */
  if (!GST_IS_PIPELINE (peer.pipeline)) {
    GstElement *pipeline = gst_pipeline_new (NULL);

    gst_bin_add (GST_BIN (pipeline), peer.pipeline);
    peer.pipeline = pipeline;
  }
  peer.bin = gst_bin_get_by_name (GST_BIN (peer.pipeline), "peer");
  peer.desc_type = g_type_from_name (
      peer.web ? "GstWebRTCSessionDescription" : "GstRtcSessionDescription");
  if (!peer.desc_type) {
    g_printerr ("no session description type\n");
    return 2;
  }
  setup_loopback ();
  /* Nothing but UDP on loopback leaves the peer. */
  rtc_json_peer_watch_candidates (&peer.json, peer.bin, TRUE);
  g_signal_connect (peer.bin, "notify::connection-state",
      G_CALLBACK (on_connection_state), NULL);
  g_signal_connect (peer.bin, "on-data-channel", G_CALLBACK (on_data_channel),
      NULL);
  g_signal_connect (peer.bin, "pad-added", G_CALLBACK (on_pad_added), NULL);
  if (gst_element_set_state (peer.pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE) {
    g_printerr ("the pipeline does not start\n");
    return 2;
  }
  if (audio)
    wait_payloader ();

  rtc_json_peer_run (&peer.json, run_command, NULL);

  gst_element_set_state (peer.pipeline, GST_STATE_NULL);
  g_hash_table_unref (peer.channels);
  gst_object_unref (peer.bin);
  gst_object_unref (peer.pipeline);
  g_free (element);
  rtc_json_peer_emit (&peer.json, rtc_json_peer_event_new ("bye"));
  rtc_json_peer_clear (&peer.json);
  g_mutex_clear (&peer.lock);
  return 0;
}
