/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcbin-peer: an rtcbin pipeline a test script drives line by line.
 *
 * Commands arrive as JSON objects, one per line, on stdin; replies and
 * events leave as JSON objects, one per line, on stdout. The protocol is
 * written down in tests/browser/README.md. The signalling is the script's:
 * it carries descriptions and candidates between this program and a
 * browser page, so each step of a negotiation (glare, rollback, implicit
 * descriptions, ICE restarts) happens exactly when the test says.
 *
 * The main context reads stdin and runs the commands. rtcbin answers its
 * promises on its session thread; the replies are built there and printed
 * from the main context, so that a reply can read the element's state
 * without holding up the session. Events (candidates, negotiation needed,
 * state changes, pads) are printed from the thread they happen on, under
 * one lock, so their order is the order they happened in.
 *
 * Commands are looked up in one table (`commands` below): a new one is a
 * handler and an entry there. Reading, printing, promises, descriptions
 * and candidate events are tests/check/common/rtcjsonpeer.c's.
 */

#include <gst/gst.h>
#include <gst/rtc/rtc.h>
#include <gst/sdp/sdp.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "rtcjsonpeer.h"

typedef struct _Peer Peer;

/* What arrives on one src pad of rtcbin: decoded and counted. */
typedef struct {
  gchar *pad;
  gboolean video;
  GstElement *bin;
  gint packets; /* atomic */
  gint frames; /* atomic: decoded video frames or audio buffers */
  GMutex lock; /* the fields below */
  gint64 last_us;
  gint64 max_gap_us;
  gchar *format; /* "640x480" or "48000 Hz 2 ch", once decoded */
  gboolean removed;
} RecvBranch;

/* A source, encoder and payloader linked to one sink pad of rtcbin. */
typedef struct {
  gchar *pad;
  gboolean video;
  GstElement *bin;
  GstPad *sinkpad;
  gint packets; /* atomic */
} SendBranch;

struct _Peer {
  RtcJsonPeer json;
  GstElement *pipeline;
  GstElement *rtcbin;
  GMutex lock; /* the tables */
  GHashTable *recv; /* src pad name -> RecvBranch */
  GHashTable *send; /* sink pad name -> SendBranch */
  guint next_source;
  guint retired; /* received branches whose pad name was used again */
  gboolean stopping; /* main context: the pipeline goes down as a whole */
};

typedef void (*CommandFunc) (Peer *peer, JsonObject *cmd, JsonNode *id);

/* Output */

/* A reply: {"reply": id, ...fields} or {"reply": id, "error": "..."}. */
static void
emit_reply (Peer *peer, JsonNode *id, JsonObject *fields, const gchar *error)
{
  JsonObject *obj = fields ? json_object_ref (fields) : json_object_new ();

  json_object_set_member (obj, "reply",
      id ? json_node_copy (id) : json_node_new (JSON_NODE_NULL));
  if (error)
    json_object_set_string_member (obj, "error", error);
  rtc_json_peer_emit (&peer->json, obj);
}

static void emit_error (Peer *peer, JsonNode *id, const gchar *format, ...)
    G_GNUC_PRINTF (3, 4);

static void
emit_error (Peer *peer, JsonNode *id, const gchar *format, ...)
{
  va_list args;
  g_autofree gchar *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  emit_reply (peer, id, NULL, message);
}

/* GValues (stats fields, properties) as JSON: numbers, booleans, strings,
 * enums by nick, structures as objects, anything else serialized. */
static JsonNode *value_to_json (const GValue *value);

static gboolean
add_field (GQuark field, const GValue *value, gpointer user_data)
{
  json_object_set_member (user_data, g_quark_to_string (field),
      value_to_json (value));
  return TRUE;
}

static JsonObject *
structure_to_json (const GstStructure *st)
{
  JsonObject *obj = json_object_new ();

  gst_structure_foreach (st, add_field, obj);
  return obj;
}

static JsonNode *
value_to_json (const GValue *value)
{
  JsonNode *node = json_node_alloc ();
  GType type = G_VALUE_TYPE (value);
  g_autofree gchar *text = NULL;

  switch (G_TYPE_FUNDAMENTAL (type)) {
    case G_TYPE_BOOLEAN:
      return json_node_init_boolean (node, g_value_get_boolean (value));
    case G_TYPE_INT:
      return json_node_init_int (node, g_value_get_int (value));
    case G_TYPE_UINT:
      return json_node_init_int (node, g_value_get_uint (value));
    case G_TYPE_INT64:
      return json_node_init_int (node, g_value_get_int64 (value));
    case G_TYPE_UINT64:
      return json_node_init_int (node, (gint64)g_value_get_uint64 (value));
    case G_TYPE_LONG:
      return json_node_init_int (node, g_value_get_long (value));
    case G_TYPE_ULONG:
      return json_node_init_int (node, (gint64)g_value_get_ulong (value));
    case G_TYPE_DOUBLE:
      return json_node_init_double (node, g_value_get_double (value));
    case G_TYPE_FLOAT:
      return json_node_init_double (node, g_value_get_float (value));
    case G_TYPE_STRING:
      if (!g_value_get_string (value))
        return json_node_init_null (node);
      return json_node_init_string (node, g_value_get_string (value));
    case G_TYPE_ENUM: {
      GEnumClass *klass = g_type_class_ref (type);
      GEnumValue *v = g_enum_get_value (klass, g_value_get_enum (value));

      json_node_init_string (node, v ? v->value_nick : "unknown");
      g_type_class_unref (klass);
      return node;
    }
    default:
      break;
  }
  if (type == GST_TYPE_STRUCTURE && gst_value_get_structure (value)) {
    JsonObject *obj = structure_to_json (gst_value_get_structure (value));

    json_node_init_object (node, obj);
    json_object_unref (obj);
    return node;
  }
  text = gst_value_serialize (value);
  return text ? json_node_init_string (node, text) : json_node_init_null (node);
}

static JsonNode *
property_to_json (GObject *object, const gchar *name)
{
  GValue value = G_VALUE_INIT;
  JsonNode *node;

  if (!g_object_class_find_property (G_OBJECT_GET_CLASS (object), name))
    return json_node_new (JSON_NODE_NULL);
  g_object_get_property (object, name, &value);
  node = value_to_json (&value);
  g_value_unset (&value);
  return node;
}

/* Sets an enum property from its nick. */
static gboolean
set_enum_property (GObject *object, const gchar *name, const gchar *nick)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object),
      name);
  GEnumValue *v;

  if (!pspec || !G_IS_PARAM_SPEC_ENUM (pspec))
    return FALSE;
  v = g_enum_get_value_by_nick (G_PARAM_SPEC_ENUM (pspec)->enum_class, nick);
  if (!v)
    return FALSE;
  g_object_set (object, name, v->value, NULL);
  return TRUE;
}

/* Promises: each command's own, answered on the session thread. */

/* What a reply needs from the promise's answer. */
typedef enum {
  REPLY_PLAIN,
  REPLY_OFFER,
  REPLY_ANSWER,
  REPLY_LOCAL, /* the local description once set (implicit descriptions) */
  REPLY_STATS,
} ReplyKind;

typedef struct {
  Peer *peer;
  JsonNode *id;
  ReplyKind kind;
  JsonObject *fields;
  gchar *error;
} PendingReply;

static void
pending_free (PendingReply *p)
{
  json_node_unref (p->id);
  if (p->fields)
    json_object_unref (p->fields);
  g_free (p->error);
  g_free (p);
}

/* Session thread: the reply is printed from here, before anything the
 * operation set off (the candidates of a new local description). */
static JsonObject *
description_to_json (const GstRtcSessionDescription *desc)
{
  return rtc_json_peer_description_to_json ((const RtcJsonPeerDesc *)desc);
}

static void
on_promise (GstPromise *promise, gpointer user_data)
{
  PendingReply *p = user_data;
  const GstStructure *reply = NULL;
  const RtcJsonPeerDesc *answered;
  GstRtcSessionDescription *desc = NULL;
  GError *error = NULL;

  if (!rtc_json_peer_promise_reply (promise, &reply, &error))
    goto done;
  switch (p->kind) {
    case REPLY_OFFER:
    case REPLY_ANSWER:
      answered = rtc_json_peer_reply_description (reply,
          p->kind == REPLY_OFFER ? "offer" : "answer",
          GST_TYPE_RTC_SESSION_DESCRIPTION, &error);
      if (answered)
        p->fields = rtc_json_peer_description_to_json (answered);
      break;
    case REPLY_LOCAL:
      g_object_get (p->peer->rtcbin, "local-description", &desc, NULL);
      if (desc) {
        p->fields = description_to_json (desc);
        gst_rtc_session_description_free (desc);
      }
      break;
    case REPLY_STATS:
      p->fields = json_object_new ();
      if (reply)
        json_object_set_object_member (p->fields, "stats",
            structure_to_json (reply));
      break;
    default:
      break;
  }
done:
  if (error) {
    p->error = g_strdup (error->message);
    g_error_free (error);
  }
  emit_reply (p->peer, p->id, p->fields, p->error);
  pending_free (p);
}

static GstPromise *
promise_for (Peer *peer, JsonNode *id, ReplyKind kind)
{
  PendingReply *p = g_new0 (PendingReply, 1);

  p->peer = peer;
  p->id = id ? json_node_copy (id) : json_node_new (JSON_NODE_NULL);
  p->kind = kind;
  return gst_promise_new_with_change_func (on_promise, p, NULL);
}

/* Emits an action that answers @promise and drops our reference. */
static void
emit_with_promise (GstElement *rtcbin, const gchar *action, gpointer arg,
    GstPromise *promise)
{
  g_signal_emit_by_name (rtcbin, action, arg, promise);
  gst_promise_unref (promise);
}

/* Receiving */

static GstPadProbeReturn
recv_packet_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  RecvBranch *r = user_data;
  gint64 now = g_get_monotonic_time ();
  guint n = 1;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    n = gst_buffer_list_length (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
  g_atomic_int_add (&r->packets, n);
  g_mutex_lock (&r->lock);
  if (r->last_us && now - r->last_us > r->max_gap_us)
    r->max_gap_us = now - r->last_us;
  r->last_us = now;
  g_mutex_unlock (&r->lock);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
recv_frame_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  RecvBranch *r = user_data;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    g_atomic_int_inc (&r->frames);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
recv_caps_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  RecvBranch *r = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstStructure *st;
  GstCaps *caps;
  gint a, b;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;
  gst_event_parse_caps (event, &caps);
  st = gst_caps_get_structure (caps, 0);
  g_mutex_lock (&r->lock);
  g_free (r->format);
  if (gst_structure_get_int (st, "width", &a)
      && gst_structure_get_int (st, "height", &b))
    r->format = g_strdup_printf ("%dx%d", a, b);
  else if (gst_structure_get_int (st, "rate", &a)
      && gst_structure_get_int (st, "channels", &b))
    r->format = g_strdup_printf ("%d Hz %d ch", a, b);
  else
    r->format = NULL;
  g_mutex_unlock (&r->lock);
  return GST_PAD_PROBE_OK;
}

static void
recv_branch_free (RecvBranch *r)
{
  g_free (r->pad);
  g_free (r->format);
  g_mutex_clear (&r->lock);
  g_free (r);
}

/* Streaming or session thread: rtcbin shows a received stream. It is
 * decoded by its caps (VP8, Opus) and counted. */
static void
on_pad_added (GstElement *rtcbin, GstPad *pad, Peer *peer)
{
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (GError) error = NULL;
  const gchar *encoding;
  JsonObject *ev;
  RecvBranch *r;
  GstPad *sinkpad, *decpad;
  GstElement *dec;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  caps = gst_pad_get_current_caps (pad);
  if (!caps)
    caps = gst_pad_query_caps (pad, NULL);
  encoding = gst_caps_is_empty (caps)
      ? NULL
      : gst_structure_get_string (gst_caps_get_structure (caps, 0),
          "encoding-name");
  ev = rtc_json_peer_event_new ("pad-added");
  json_object_set_string_member (ev, "pad", GST_PAD_NAME (pad));
  json_object_set_string_member (ev, "encoding", encoding ? encoding : "");
  if (!encoding
      || (g_ascii_strcasecmp (encoding, "VP8") != 0
          && g_ascii_strcasecmp (encoding, "OPUS") != 0)) {
    json_object_set_string_member (ev, "error", "not decoded");
    rtc_json_peer_emit (&peer->json, ev);
    return;
  }
  r = g_new0 (RecvBranch, 1);
  g_mutex_init (&r->lock);
  r->pad = g_strdup (GST_PAD_NAME (pad));
  r->video = g_ascii_strcasecmp (encoding, "VP8") == 0;
  r->bin = gst_parse_bin_from_description (r->video
          ? "rtpvp8depay ! vp8dec name=dec ! fakesink sync=false async=false"
          : "rtpopusdepay ! opusdec name=dec ! fakesink sync=false async=false",
      TRUE, &error);
  if (!r->bin) {
    json_object_set_string_member (ev, "error", error->message);
    rtc_json_peer_emit (&peer->json, ev);
    recv_branch_free (r);
    return;
  }
  dec = gst_bin_get_by_name (GST_BIN (r->bin), "dec");
  decpad = gst_element_get_static_pad (dec, "src");
  gst_pad_add_probe (decpad, GST_PAD_PROBE_TYPE_BUFFER, recv_frame_probe, r,
      NULL);
  gst_pad_add_probe (decpad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      recv_caps_probe, r, NULL);
  gst_object_unref (decpad);
  gst_object_unref (dec);
  gst_pad_add_probe (pad,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
      recv_packet_probe, r, NULL);

  g_object_set_data (G_OBJECT (pad), "peer-recv", r);

  g_mutex_lock (&peer->lock);
  /* A pad name used again (a stopped m-line reused): the old branch's
   * counts stay, as "<pad>#<n>". */
  {
    gchar *old_name;
    gpointer old;

    if (g_hash_table_steal_extended (peer->recv, r->pad, (gpointer *)&old_name,
            &old)) {
      g_free (old_name);
      g_hash_table_insert (peer->recv,
          g_strdup_printf ("%s#%u", r->pad, ++peer->retired), old);
    }
  }
  g_hash_table_insert (peer->recv, g_strdup (r->pad), r);
  g_mutex_unlock (&peer->lock);

  gst_bin_add (GST_BIN (peer->pipeline), r->bin);
  gst_element_sync_state_with_parent (r->bin);
  sinkpad = gst_element_get_static_pad (r->bin, "sink");
  if (gst_pad_link (pad, sinkpad) != GST_PAD_LINK_OK)
    json_object_set_string_member (ev, "error", "cannot link");
  gst_object_unref (sinkpad);
  json_object_set_string_member (ev, "kind", r->video ? "video" : "audio");
  rtc_json_peer_emit (&peer->json, ev);
  gst_element_post_message (peer->pipeline,
      gst_message_new_latency (GST_OBJECT (peer->pipeline)));
}

typedef struct {
  Peer *peer;
  RecvBranch *branch;
} PadRemoved;

/* Main context: the decoder of a removed src pad goes, its counts stay
 * (branches live as long as the program). */
static gboolean
remove_recv_branch (gpointer user_data)
{
  PadRemoved *pr = user_data;
  Peer *peer = pr->peer;
  RecvBranch *r = pr->branch;
  GstElement *bin = NULL;

  if (peer->stopping)
    return G_SOURCE_REMOVE;
  g_mutex_lock (&peer->lock);
  if (!r->removed) {
    r->removed = TRUE;
    bin = r->bin;
    r->bin = NULL;
  }
  g_mutex_unlock (&peer->lock);
  if (bin) {
    gst_element_set_state (bin, GST_STATE_NULL);
    gst_bin_remove (GST_BIN (peer->pipeline), bin);
  }
  return G_SOURCE_REMOVE;
}

static void
on_pad_removed (GstElement *rtcbin, GstPad *pad, Peer *peer)
{
  PadRemoved *pr;
  JsonObject *ev;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  ev = rtc_json_peer_event_new ("pad-removed");
  json_object_set_string_member (ev, "pad", GST_PAD_NAME (pad));
  rtc_json_peer_emit (&peer->json, ev);
  if (!g_object_get_data (G_OBJECT (pad), "peer-recv"))
    return;
  pr = g_new0 (PadRemoved, 1);
  pr->peer = peer;
  pr->branch = g_object_get_data (G_OBJECT (pad), "peer-recv");
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, remove_recv_branch, pr,
      g_free);
}

/* rtcbin's signals */

static void
on_negotiation_needed (GstElement *rtcbin, Peer *peer)
{
  rtc_json_peer_emit (&peer->json,
      rtc_json_peer_event_new ("negotiation-needed"));
}

static void
on_state (GstElement *rtcbin, GParamSpec *pspec, Peer *peer)
{
  JsonObject *ev = rtc_json_peer_event_new ("state");

  json_object_set_string_member (ev, "name", pspec->name);
  json_object_set_member (ev, "value",
      property_to_json (G_OBJECT (rtcbin), pspec->name));
  rtc_json_peer_emit (&peer->json, ev);
}

/* Commands */

static GstRtcSessionDescription *
description_from_json (JsonObject *cmd, GError **error)
{
  return rtc_json_peer_description_new (GST_TYPE_RTC_SESSION_DESCRIPTION,
      json_object_get_string_member_with_default (cmd, "type", ""),
      json_object_get_string_member_with_default (cmd, "sdp", ""), error);
}

static void
cmd_create_offer (Peer *peer, JsonObject *cmd, JsonNode *id)
{
  GstStructure *options = gst_structure_new_empty ("options");

  if (json_object_get_boolean_member_with_default (cmd, "ice-restart", FALSE))
    gst_structure_set (options, "ice-restart", G_TYPE_BOOLEAN, TRUE, NULL);
  emit_with_promise (peer->rtcbin, "create-offer", options,
      promise_for (peer, id, REPLY_OFFER));
  gst_structure_free (options);
}

static void
cmd_create_answer (Peer *peer, JsonObject *cmd, JsonNode *id)
{
  emit_with_promise (peer->rtcbin, "create-answer", NULL,
      promise_for (peer, id, REPLY_ANSWER));
}

/* {"type", "sdp"}, or neither: the implicit description, whose text the
 * reply carries. */
static void
set_description (Peer *peer, JsonObject *cmd, JsonNode *id, gboolean local)
{
  g_autoptr (GError) error = NULL;
  GstRtcSessionDescription *desc = NULL;

  if (json_object_has_member (cmd, "type")) {
    desc = description_from_json (cmd, &error);
    if (!desc) {
      emit_error (peer, id, "%s", error->message);
      return;
    }
  } else if (!local) {
    emit_error (peer, id, "set-remote needs a description");
    return;
  }
  emit_with_promise (peer->rtcbin,
      local ? "set-local-description" : "set-remote-description", desc,
      promise_for (peer, id, local ? REPLY_LOCAL : REPLY_PLAIN));
  if (desc)
    gst_rtc_session_description_free (desc);
}

static void
cmd_set_local (Peer *peer, JsonObject *cmd, JsonNode *id)
{
  set_description (peer, cmd, id, TRUE);
}

static void
cmd_set_remote (Peer *peer, JsonObject *cmd, JsonNode *id)
{
  set_description (peer, cmd, id, FALSE);
}

static void
cmd_add_candidate (Peer *peer, JsonObject *cmd, JsonNode *id)
{
  const gchar *cand = json_object_get_string_member_with_default (cmd,
      "candidate", "");

  g_signal_emit_by_name (peer->rtcbin, "add-ice-candidate",
      (guint)json_object_get_int_member_with_default (cmd, "mline", 0), cand);
  emit_reply (peer, id, NULL, NULL);
}

static GstPadProbeReturn
send_packet_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  SendBranch *s = user_data;
  guint n = 1;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    n = gst_buffer_list_length (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
  g_atomic_int_add (&s->packets, n);
  return GST_PAD_PROBE_OK;
}

static void
send_branch_free (SendBranch *s)
{
  gst_clear_object (&s->sinkpad);
  g_free (s->pad);
  g_free (s);
}

/* {"kind": "video"|"audio", "width", "height"}: a test source, encoder and
 * payloader on a new sink pad. Each video source gets its own pattern,
 * each audio source its own tone. */
static void
cmd_add_media (Peer *peer, JsonObject *cmd, JsonNode *id)
{
  static const gchar *patterns[] = { "ball", "smpte", "snow", "pinwheel",
    "spokes", "gradient" };
  const gchar *kind = json_object_get_string_member_with_default (cmd, "kind",
      "video");
  gint width = json_object_get_int_member_with_default (cmd, "width", 320);
  gint height = json_object_get_int_member_with_default (cmd, "height", 240);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *desc = NULL;
  g_autoptr (JsonObject) fields = json_object_new ();
  SendBranch *s;
  GstPad *src;
  guint n = peer->next_source++;

  if (g_str_equal (kind, "video")) {
    desc = g_strdup_printf ("videotestsrc is-live=true pattern=%s ! "
                            "video/x-raw,width=%d,height=%d,framerate=30/1 ! "
                            "videoconvert ! "
                            "queue max-size-buffers=2 leaky=downstream ! "
                            "vp8enc deadline=1 cpu-used=8 keyframe-max-dist=30 "
                            "target-bitrate=300000 ! "
                            "rtpvp8pay picture-id-mode=15-bit mtu=1200",
        patterns[n % G_N_ELEMENTS (patterns)], width, height);
  } else if (g_str_equal (kind, "audio")) {
    desc = g_strdup_printf ("audiotestsrc is-live=true wave=sine freq=%u "
                            "volume=0.2 ! audioconvert ! audioresample ! queue "
                            "! opusenc ! "
                            "rtpopuspay mtu=1200",
        330 + 110 * n);
  } else {
    emit_error (peer, id, "unknown kind '%s'", kind);
    return;
  }
  s = g_new0 (SendBranch, 1);
  s->video = g_str_equal (kind, "video");
  s->bin = gst_parse_bin_from_description (desc, TRUE, &error);
  if (!s->bin) {
    emit_error (peer, id, "%s", error->message);
    send_branch_free (s);
    return;
  }
  s->sinkpad = gst_element_request_pad_simple (peer->rtcbin, "sink_%u");
  if (!s->sinkpad) {
    gst_object_unref (gst_object_ref_sink (s->bin));
    emit_error (peer, id, "rtcbin gave no sink pad");
    send_branch_free (s);
    return;
  }
  s->pad = g_strdup (GST_PAD_NAME (s->sinkpad));
  gst_bin_add (GST_BIN (peer->pipeline), s->bin);
  src = gst_element_get_static_pad (s->bin, "src");
  gst_pad_add_probe (src,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
      send_packet_probe, s, NULL);
  if (gst_pad_link (src, s->sinkpad) != GST_PAD_LINK_OK) {
    gst_object_unref (src);
    emit_error (peer, id, "cannot link to %s", s->pad);
    gst_bin_remove (GST_BIN (peer->pipeline), s->bin);
    gst_element_release_request_pad (peer->rtcbin, s->sinkpad);
    send_branch_free (s);
    return;
  }
  gst_object_unref (src);
  g_mutex_lock (&peer->lock);
  g_hash_table_replace (peer->send, g_strdup (s->pad), s);
  g_mutex_unlock (&peer->lock);
  gst_element_sync_state_with_parent (s->bin);
  json_object_set_string_member (fields, "pad", s->pad);
  emit_reply (peer, id, fields, NULL);
}

/* {"pad": "sink_N"}: the branch goes and the sink pad is released; its
 * transceiver stays (stop it, or set its direction, to renegotiate). */
static void
cmd_remove_media (Peer *peer, JsonObject *cmd, JsonNode *id)
{
  const gchar *name = json_object_get_string_member_with_default (cmd, "pad",
      "");
  SendBranch *s;

  g_mutex_lock (&peer->lock);
  s = g_hash_table_lookup (peer->send, name);
  if (s && s->bin) {
    gst_element_set_state (s->bin, GST_STATE_NULL);
    gst_bin_remove (GST_BIN (peer->pipeline), s->bin);
    s->bin = NULL;
    gst_element_release_request_pad (peer->rtcbin, s->sinkpad);
    gst_clear_object (&s->sinkpad);
  } else {
    s = NULL;
  }
  g_mutex_unlock (&peer->lock);
  if (s)
    emit_reply (peer, id, NULL, NULL);
  else
    emit_error (peer, id, "no media on pad '%s'", name);
}

/* The transceiver named by "mid" or "index" (in the order they were
 * made), or NULL. */
static GstRtcRtpTransceiver *
find_transceiver (Peer *peer, JsonObject *cmd)
{
  GstRtcRtpTransceiver *found = NULL;
  const gchar *mid = json_object_get_string_member_with_default (cmd, "mid",
      NULL);
  gint64 index = json_object_get_int_member_with_default (cmd, "index", -1);
  GArray *all = NULL;
  guint i;

  g_signal_emit_by_name (peer->rtcbin, "get-transceivers", &all);
  for (i = 0; all && i < all->len && !found; i++) {
    GstRtcRtpTransceiver *t = g_array_index (all, GstRtcRtpTransceiver *, i);
    g_autofree gchar *m = NULL;

    g_object_get (t, "mid", &m, NULL);
    if (mid ? g_strcmp0 (m, mid) == 0 : index == i)
      found = gst_object_ref (t);
  }
  if (all)
    g_array_unref (all);
  return found;
}

static void
cmd_transceivers (Peer *peer, JsonObject *cmd, JsonNode *id)
{
  g_autoptr (JsonObject) fields = json_object_new ();
  JsonArray *list = json_array_new ();
  static const gchar *props[] = { "mid", "mlineindex", "kind", "direction",
    "current-direction", "stopped", "stopping" };
  GArray *all = NULL;
  guint i, j;

  g_signal_emit_by_name (peer->rtcbin, "get-transceivers", &all);
  for (i = 0; all && i < all->len; i++) {
    GObject *trans = g_array_index (all, GObject *, i);
    JsonObject *t = json_object_new ();

    json_object_set_int_member (t, "index", i);
    for (j = 0; j < G_N_ELEMENTS (props); j++)
      if (g_object_class_find_property (G_OBJECT_GET_CLASS (trans), props[j]))
        json_object_set_member (t, props[j],
            property_to_json (trans, props[j]));
    json_array_add_object_element (list, t);
  }
  if (all)
    g_array_unref (all);
  json_object_set_array_member (fields, "transceivers", list);
  emit_reply (peer, id, fields, NULL);
}

/* {"mid"|"index", "direction": "sendrecv"|"sendonly"|"recvonly"|...} */
static void
cmd_set_direction (Peer *peer, JsonObject *cmd, JsonNode *id)
{
  GstRtcRtpTransceiver *trans = find_transceiver (peer, cmd);
  const gchar *dir = json_object_get_string_member_with_default (cmd,
      "direction", "");

  if (!trans) {
    emit_error (peer, id, "no such transceiver");
    return;
  }
  if (set_enum_property (G_OBJECT (trans), "direction", dir))
    emit_reply (peer, id, NULL, NULL);
  else
    emit_error (peer, id, "unknown direction '%s'", dir);
  gst_object_unref (trans);
}

/* {"mid"|"index"}: RTCRtpTransceiver.stop(), through the transceiver's
 * "stop" action signal. */
static void
cmd_stop (Peer *peer, JsonObject *cmd, JsonNode *id)
{
  GstRtcRtpTransceiver *trans = find_transceiver (peer, cmd);

  if (!trans) {
    emit_error (peer, id, "no such transceiver");
    return;
  }
  if (g_signal_lookup ("stop", G_OBJECT_TYPE (trans))) {
    g_signal_emit_by_name (trans, "stop");
    emit_reply (peer, id, NULL, NULL);
  } else {
    emit_error (peer, id, "transceivers cannot be stopped");
  }
  gst_object_unref (trans);
}

static void
cmd_close (Peer *peer, JsonObject *cmd, JsonNode *id)
{
  if (!g_signal_lookup ("close", G_OBJECT_TYPE (peer->rtcbin))) {
    emit_error (peer, id, "rtcbin has no close");
    return;
  }
  g_signal_emit_by_name (peer->rtcbin, "close");
  emit_reply (peer, id, NULL, NULL);
}

/* {"pad": name (optional)}: the reply's "stats" is get-stats' structure,
 * one member per entry, keyed by id. */
static void
cmd_get_stats (Peer *peer, JsonObject *cmd, JsonNode *id)
{
  const gchar *name = json_object_get_string_member_with_default (cmd, "pad",
      NULL);
  GstPad *pad = NULL;

  if (name && !(pad = gst_element_get_static_pad (peer->rtcbin, name))) {
    emit_error (peer, id, "no pad '%s'", name);
    return;
  }
  emit_with_promise (peer->rtcbin, "get-stats", pad,
      promise_for (peer, id, REPLY_STATS));
  gst_clear_object (&pad);
}

/* The counts of every branch, received and sent. {"reset-gaps": true}
 * restarts the longest-gap measure after reading it. */
static void
cmd_counts (Peer *peer, JsonObject *cmd, JsonNode *id)
{
  g_autoptr (JsonObject) fields = json_object_new ();
  JsonObject *recv = json_object_new (), *send = json_object_new ();
  gboolean reset = json_object_get_boolean_member_with_default (cmd,
      "reset-gaps", FALSE);
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer key, value;

  g_mutex_lock (&peer->lock);
  g_hash_table_iter_init (&iter, peer->recv);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    RecvBranch *r = value;
    JsonObject *o = json_object_new ();

    json_object_set_string_member (o, "kind", r->video ? "video" : "audio");
    json_object_set_int_member (o, "packets", g_atomic_int_get (&r->packets));
    json_object_set_int_member (o, "frames", g_atomic_int_get (&r->frames));
    json_object_set_boolean_member (o, "removed", r->removed);
    g_mutex_lock (&r->lock);
    json_object_set_double_member (o, "max-gap-ms", r->max_gap_us / 1000.0);
    json_object_set_double_member (o, "since-last-ms",
        r->last_us ? (now - r->last_us) / 1000.0 : -1);
    if (r->format)
      json_object_set_string_member (o, "format", r->format);
    if (reset)
      r->max_gap_us = 0;
    g_mutex_unlock (&r->lock);
    json_object_set_object_member (recv, key, o);
  }
  g_hash_table_iter_init (&iter, peer->send);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    SendBranch *s = value;
    JsonObject *o = json_object_new ();

    json_object_set_string_member (o, "kind", s->video ? "video" : "audio");
    json_object_set_int_member (o, "packets", g_atomic_int_get (&s->packets));
    json_object_set_boolean_member (o, "removed", s->bin == NULL);
    json_object_set_object_member (send, s->pad, o);
  }
  g_mutex_unlock (&peer->lock);
  json_object_set_object_member (fields, "recv", recv);
  json_object_set_object_member (fields, "send", send);
  emit_reply (peer, id, fields, NULL);
}

/* The element's states and descriptions. */
static void
cmd_state (Peer *peer, JsonObject *cmd, JsonNode *id)
{
  static const gchar *props[] = { "signaling-state", "connection-state",
    "ice-connection-state", "ice-gathering-state" };
  static const gchar *descs[] = { "local-description", "remote-description",
    "current-local-description", "current-remote-description",
    "pending-local-description", "pending-remote-description" };
  g_autoptr (JsonObject) fields = json_object_new ();
  guint i;

  for (i = 0; i < G_N_ELEMENTS (props); i++)
    json_object_set_member (fields, props[i],
        property_to_json (G_OBJECT (peer->rtcbin), props[i]));
  for (i = 0; i < G_N_ELEMENTS (descs); i++) {
    GstRtcSessionDescription *desc = NULL;

    g_object_get (peer->rtcbin, descs[i], &desc, NULL);
    if (desc) {
      json_object_set_object_member (fields, descs[i],
          description_to_json (desc));
      gst_rtc_session_description_free (desc);
    } else {
      json_object_set_null_member (fields, descs[i]);
    }
  }
  emit_reply (peer, id, fields, NULL);
}

static void
cmd_quit (Peer *peer, JsonObject *cmd, JsonNode *id)
{
  emit_reply (peer, id, NULL, NULL);
  rtc_json_peer_quit (&peer->json);
}

static const struct {
  const gchar *name;
  CommandFunc func;
} commands[] = {
  { "create-offer", cmd_create_offer },
  { "create-answer", cmd_create_answer },
  { "set-local", cmd_set_local },
  { "set-remote", cmd_set_remote },
  { "add-candidate", cmd_add_candidate },
  { "add-media", cmd_add_media },
  { "remove-media", cmd_remove_media },
  { "transceivers", cmd_transceivers },
  { "set-direction", cmd_set_direction },
  { "stop", cmd_stop },
  { "close", cmd_close },
  { "get-stats", cmd_get_stats },
  { "counts", cmd_counts },
  { "state", cmd_state },
  { "quit", cmd_quit },
};

static void
run_command (RtcJsonPeer *json, const gchar *line, gpointer user_data)
{
  Peer *peer = user_data;
  g_autoptr (JsonObject) cmd = NULL;
  g_autoptr (GError) error = NULL;
  JsonNode *id;
  const gchar *name;
  guint i;

  cmd = rtc_json_peer_parse (line, &error);
  if (!cmd) {
    emit_error (peer, NULL, "not a JSON object: %s", error->message);
    return;
  }
  id = json_object_get_member (cmd, "id");
  name = json_object_get_string_member_with_default (cmd, "cmd", "");
  for (i = 0; i < G_N_ELEMENTS (commands); i++) {
    if (g_str_equal (commands[i].name, name)) {
      commands[i].func (peer, cmd, id);
      return;
    }
  }
  emit_error (peer, id, "unknown command '%s'", name);
}

static gboolean
on_bus (GstBus *bus, GstMessage *msg, gpointer user_data)
{
  Peer *peer = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *debug = NULL;
  JsonObject *ev;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:
    case GST_MESSAGE_WARNING:
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
        gst_message_parse_error (msg, &error, &debug);
      else
        gst_message_parse_warning (msg, &error, &debug);
      ev = rtc_json_peer_event_new (
          GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR ? "error" : "warning");
      json_object_set_string_member (ev, "source",
          GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)));
      json_object_set_string_member (ev, "message", error->message);
      rtc_json_peer_emit (&peer->json, ev);
      break;
    case GST_MESSAGE_LATENCY:
      /* A branch joined the playing pipeline. */
      gst_bin_recalculate_latency (GST_BIN (peer->pipeline));
      break;
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  g_auto (GStrv) addresses = NULL;
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  GOptionEntry entries[]
      = { { "local-address", 0, 0, G_OPTION_ARG_STRING_ARRAY, &addresses,
              "gather candidates on this address only (repeatable; default "
              "127.0.0.1)",
              "A" },
          { NULL } };
  const gchar *loopback[] = { "127.0.0.1", NULL };
  static const gchar *states[] = { "notify::signaling-state",
    "notify::connection-state", "notify::ice-connection-state",
    "notify::ice-gathering-state" };
  GstBus *bus;
  Peer peer = { 0 };
  guint bus_watch, i;

  ctx = g_option_context_new ("- an rtcbin driven by JSON lines on stdin");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_printerr ("%s\n", error->message);
    return 2;
  }

  g_mutex_init (&peer.lock);
  rtc_json_peer_init (&peer.json);
  peer.recv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify)recv_branch_free);
  peer.send = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify)send_branch_free);
  peer.pipeline = gst_pipeline_new ("peer");
  peer.rtcbin = gst_element_factory_make ("rtcbin", "rtc");
  if (!peer.rtcbin) {
    g_printerr ("no rtcbin element\n");
    return 1;
  }
  g_object_set (peer.rtcbin, "local-addresses",
      addresses ? (const gchar **)addresses : loopback, NULL);
  gst_bin_add (GST_BIN (peer.pipeline), peer.rtcbin);
  g_signal_connect (peer.rtcbin, "on-negotiation-needed",
      G_CALLBACK (on_negotiation_needed), &peer);
  rtc_json_peer_watch_candidates (&peer.json, peer.rtcbin, FALSE);
  g_signal_connect (peer.rtcbin, "pad-added", G_CALLBACK (on_pad_added), &peer);
  g_signal_connect (peer.rtcbin, "pad-removed", G_CALLBACK (on_pad_removed),
      &peer);
  for (i = 0; i < G_N_ELEMENTS (states); i++)
    g_signal_connect (peer.rtcbin, states[i], G_CALLBACK (on_state), &peer);
  bus = gst_element_get_bus (peer.pipeline);
  bus_watch = gst_bus_add_watch (bus, on_bus, &peer);
  gst_object_unref (bus);

  if (gst_element_set_state (peer.pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE) {
    g_printerr ("the pipeline does not start\n");
    return 1;
  }

  rtc_json_peer_run (&peer.json, run_command, &peer);

  peer.stopping = TRUE;
  gst_element_set_state (peer.pipeline, GST_STATE_NULL);
  g_source_remove (bus_watch);
  /* Replies still queued for the main context. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  gst_object_unref (peer.pipeline);
  g_hash_table_unref (peer.recv);
  g_hash_table_unref (peer.send);
  rtc_json_peer_clear (&peer.json);
  g_mutex_clear (&peer.lock);
  return 0;
}
