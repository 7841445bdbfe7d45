/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcbin's data channels against gst-plugins-bad 1.22's webrtcbin.
 * gst-plugins-bad's SCTP elements and ours each own usrsctp's one stack
 * per process, so webrtcbin runs in a child process: rtc-data-peer
 * (RTC_DATA_PEER) with --element webrtcbin, driven by JSON lines on its
 * stdin and stdout (descriptions, candidates, channel commands and
 * events). It echoes every message it receives; rtcbin runs here.
 *
 * Each side offers in turn, with data channels only, and once with Opus
 * beside them. Channels: in-band ones opened by each side before and
 * after the connection, a negotiated pair, an unordered channel with
 * max-retransmits 0 (rtcbin's) and one with max-packet-lifetime
 * (webrtcbin's). Messages of 0 B to 64 KiB, string and binary, go from
 * rtcbin and come back intact; webrtcbin's own messages (datapeer.h's
 * pattern) arrive intact.
 *
 * What webrtcbin 1.22 does, and is asserted here:
 * - its SDP has no a=max-message-size, so rtcbin assumes 64 KiB
 *   (RFC 8841) and a 256 KiB send to it fails at once, nothing sent;
 * - it has the PPIDs of empty messages swapped (56 is its empty binary,
 *   57 its empty string; RFC 8831 says the reverse), so rtcbin's empty
 *   string reaches it as an empty binary message and the other way round;
 * - it cannot send an empty message: an empty string fails in its usrsctp
 *   send, which errors and closes the channel (rtcbin sees the close); an
 *   empty binary is refused by a precondition of its send-data.
 */
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "../common/rtcbintest.h"
#include "../common/rtcdatatest.h"
#include "datapeer.h"
#include "datapeerjson.h"
#include "../common/rtccheckmain.h"

#define SIZES_MAX 4
static const gsize sizes[SIZES_MAX] = { 0, 1024, 16 * 1024, 64 * 1024 };

/* ---- the child ---- */

typedef struct {
  GSubprocess *proc;
  GOutputStream *in;
  GDataInputStream *out;
  GThread *reader;
  GMutex write_lock; /* stdin */
  GMutex lock; /* the rest */
  GCond cond;
  GList *events; /* JsonObject, not yet waited for */
  GstElement *rtc; /* candidates go there */
  gboolean remote_set;
  GPtrArray *pending; /* candidates before the remote description */
} Child;

static void
child_send (Child *c, JsonBuilder *b)
{
  gchar *text = data_peer_json_end (b), *line;

  line = g_strconcat (text, "\n", NULL);
  g_mutex_lock (&c->write_lock);
  fail_unless (
      g_output_stream_write_all (c->in, line, strlen (line), NULL, NULL, NULL));
  g_mutex_unlock (&c->write_lock);
  g_free (line);
  g_free (text);
}

static JsonBuilder *
command (const gchar *name)
{
  return data_peer_json_begin ("cmd", name);
}

static void
add_candidate (GstElement *rtc, JsonObject *o)
{
  g_signal_emit_by_name (rtc, "add-ice-candidate",
      (guint)json_object_get_int_member (o, "mline"),
      json_object_get_string_member (o, "candidate"));
}

static gpointer
child_read (gpointer data)
{
  Child *c = data;
  gchar *line;

  while ((line = g_data_input_stream_read_line (c->out, NULL, NULL, NULL))) {
    JsonParser *parser = json_parser_new ();

    if (json_parser_load_from_data (parser, line, -1, NULL)
        && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
      JsonObject *o = json_node_dup_object (json_parser_get_root (parser));
      const gchar *ev = json_object_get_string_member_with_default (o, "event",
          "");

      GST_DEBUG ("webrtcbin: %.300s", line);
      g_mutex_lock (&c->lock);
      if (g_str_equal (ev, "candidate")) {
        if (c->remote_set)
          add_candidate (c->rtc, o);
        else
          g_ptr_array_add (c->pending, json_object_ref (o));
        json_object_unref (o);
      } else {
        c->events = g_list_append (c->events, o);
        g_cond_broadcast (&c->cond);
      }
      g_mutex_unlock (&c->lock);
    }
    g_object_unref (parser);
    g_free (line);
  }
  return NULL;
}

typedef struct {
  const gchar *event, *label, *cmd;
} Match;

/* @m's event (of its channel, if it names one), or with @m's cmd set the
 * done or failed of that command. */
static gboolean
event_matches (JsonObject *o, const Match *m)
{
  const gchar *ev = json_object_get_string_member_with_default (o, "event", "");
  const gchar *field = m->cmd ? "cmd" : "label";
  const gchar *want = m->cmd ? m->cmd : m->label;

  if (m->cmd ? !g_str_equal (ev, "done") && !g_str_equal (ev, "failed")
             : !g_str_equal (ev, m->event))
    return FALSE;
  return !want
      || g_strcmp0 (json_object_get_string_member_with_default (o, field, ""),
             want)
      == 0;
}

/* The first event matching @m not yet taken, waiting up to @ms (scaled);
 * NULL if none came. */
static JsonObject *
child_wait_match (Child *c, const Match *m, guint ms)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;
  JsonObject *found = NULL;

  g_mutex_lock (&c->lock);
  while (!found) {
    GList *l;

    for (l = c->events; l; l = l->next)
      if (event_matches (l->data, m)) {
        found = l->data;
        c->events = g_list_delete_link (c->events, l);
        break;
      }
    if (!found && !g_cond_wait_until (&c->cond, &c->lock, end))
      break;
  }
  g_mutex_unlock (&c->lock);
  return found;
}

/* The first event @event (of channel @label, if given) not yet taken. */
static JsonObject *
child_wait (Child *c, const gchar *event, const gchar *label, guint ms)
{
  Match m = { event, label, NULL };

  return child_wait_match (c, &m, ms);
}

static JsonObject *
child_expect (Child *c, const gchar *event, const gchar *label, guint ms)
{
  JsonObject *o = child_wait (c, event, label, ms);

  fail_unless (o != NULL, "webrtcbin: no %s event%s%s", event,
      label ? " for " : "", label ? label : "");
  return o;
}

/* Sends command @name (built in @b) and waits for its done. */
static void
child_command (Child *c, const gchar *name, JsonBuilder *b)
{
  Match m = { NULL, NULL, name };
  JsonObject *o;

  child_send (c, b);
  o = child_wait_match (c, &m, 10000);
  fail_unless (o != NULL, "webrtcbin: no answer to %s", name);
  fail_unless (g_str_equal (json_object_get_string_member (o, "event"), "done"),
      "webrtcbin: %s failed: %s", name,
      json_object_get_string_member_with_default (o, "message", ""));
  json_object_unref (o);
}

static void
child_start (Child *c, GstElement *rtc, gboolean audio)
{
  const gchar *exe = g_getenv ("RTC_DATA_PEER");
  GError *error = NULL;
  JsonObject *o;

  fail_unless (exe != NULL, "RTC_DATA_PEER is not set");
  g_mutex_init (&c->write_lock);
  g_mutex_init (&c->lock);
  g_cond_init (&c->cond);
  c->rtc = rtc;
  c->pending = g_ptr_array_new_with_free_func (
      (GDestroyNotify)json_object_unref);
  c->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
          | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
      &error, exe, "--element", "webrtcbin", audio ? "--audio" : NULL, NULL);
  fail_unless (c->proc != NULL, "%s", error ? error->message : "");
  c->in = g_subprocess_get_stdin_pipe (c->proc);
  c->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (c->proc));
  c->reader = g_thread_new ("webrtcbin-peer", child_read, c);
  o = child_expect (c, "ready", NULL, 20000);
  json_object_unref (o);
}

static void
child_remote_set (Child *c)
{
  guint i;

  g_mutex_lock (&c->lock);
  c->remote_set = TRUE;
  for (i = 0; i < c->pending->len; i++)
    add_candidate (c->rtc, g_ptr_array_index (c->pending, i));
  g_ptr_array_set_size (c->pending, 0);
  g_mutex_unlock (&c->lock);
}

static void
child_stop (Child *c)
{
  child_send (c, command ("quit"));
  g_output_stream_close (c->in, NULL, NULL);
  fail_unless (g_subprocess_wait (c->proc, NULL, NULL));
  fail_if (g_subprocess_get_if_signaled (c->proc),
      "the webrtcbin peer died of signal %d",
      g_subprocess_get_term_sig (c->proc));
  g_thread_join (c->reader);
  g_list_free_full (c->events, (GDestroyNotify)json_object_unref);
  g_ptr_array_unref (c->pending);
  g_object_unref (c->out);
  g_object_unref (c->proc);
  g_mutex_clear (&c->write_lock);
  g_mutex_clear (&c->lock);
  g_cond_clear (&c->cond);
}

/* ---- rtcbin's side ---- */

/* What one of rtcbin's channels received. */
typedef struct {
  GstRtcDataChannel *ch;
  gchar *label;
  GMutex lock;
  GPtrArray *messages; /* GBytes */
  GArray *is_string;
  gint open, close;
} Probe;

typedef struct {
  GstElement *pipeline, *rtc;
  Child child;
  GMutex lock;
  GHashTable *probes; /* label -> Probe */
  gint media_buffers;
} Call;

static void
probe_open (GstRtcDataChannel *ch, Probe *p)
{
  g_atomic_int_inc (&p->open);
}

static void
probe_close (GstRtcDataChannel *ch, Probe *p)
{
  g_atomic_int_inc (&p->close);
}

static void
probe_record (Probe *p, GBytes *b, gboolean is_string)
{
  g_mutex_lock (&p->lock);
  g_ptr_array_add (p->messages, b);
  g_array_append_val (p->is_string, is_string);
  g_mutex_unlock (&p->lock);
}

static void
probe_string (GstRtcDataChannel *ch, const gchar *str, Probe *p)
{
  probe_record (p, g_bytes_new (str, str ? strlen (str) : 0), TRUE);
}

static void
probe_data (GstRtcDataChannel *ch, GBytes *data, Probe *p)
{
  probe_record (p, data ? g_bytes_ref (data) : g_bytes_new (NULL, 0), FALSE);
}

static void
probe_free (Probe *p)
{
  g_signal_handlers_disconnect_by_data (p->ch, p);
  gst_object_unref (p->ch);
  g_free (p->label);
  g_ptr_array_unref (p->messages);
  g_array_unref (p->is_string);
  g_mutex_clear (&p->lock);
  g_free (p);
}

static Probe *
call_watch (Call *call, GstRtcDataChannel *ch)
{
  Probe *p = g_new0 (Probe, 1);

  p->ch = gst_object_ref (ch);
  g_object_get (ch, "label", &p->label, NULL);
  g_mutex_init (&p->lock);
  p->messages = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  p->is_string = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_signal_connect (ch, "on-open", G_CALLBACK (probe_open), p);
  g_signal_connect (ch, "on-close", G_CALLBACK (probe_close), p);
  g_signal_connect (ch, "on-message-string", G_CALLBACK (probe_string), p);
  g_signal_connect (ch, "on-message-data", G_CALLBACK (probe_data), p);
  g_mutex_lock (&call->lock);
  g_hash_table_insert (call->probes, g_strdup (p->label), p);
  g_mutex_unlock (&call->lock);
  return p;
}

static void
on_data_channel (GstElement *rtc, GstRtcDataChannel *ch, Call *call)
{
  call_watch (call, ch);
}

static Probe *
call_probe (Call *call, const gchar *label, guint ms)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;
  Probe *p;

  for (;;) {
    g_mutex_lock (&call->lock);
    p = g_hash_table_lookup (call->probes, label);
    g_mutex_unlock (&call->lock);
    if (p || g_get_monotonic_time () > end)
      break;
    g_usleep (1000);
  }
  fail_unless (p != NULL, "rtcbin announced no channel %s", label);
  return p;
}

static guint
probe_count (gpointer data)
{
  Probe *p = data;
  guint n;

  g_mutex_lock (&p->lock);
  n = p->messages->len;
  g_mutex_unlock (&p->lock);
  return n;
}

static void
probe_wait_count (Probe *p, guint n, guint ms)
{
  fail_unless (rtc_test_wait_count (probe_count, p, n, ms),
      "%s: %u of %u messages", p->label, probe_count (p), n);
}

static gboolean
probe_closed (gpointer data)
{
  return g_atomic_int_get (&((Probe *)data)->close) > 0;
}

static void
on_ice_candidate (GstElement *rtc, guint mline, const gchar *candidate,
    Call *call)
{
  gchar *lower = candidate ? g_ascii_strdown (candidate, -1) : NULL;

  if (lower && strstr (lower, " udp ") && strstr (lower, " 127.0.0.1 ")) {
    JsonBuilder *b = command ("candidate");

    data_peer_json_int (b, "mline", mline);
    data_peer_json_str (b, "candidate", candidate);
    child_send (&call->child, b);
  }
  g_free (lower);
}

static GstPadProbeReturn
count_media (GstPad *pad, GstPadProbeInfo *info, Call *call)
{
  g_atomic_int_inc (&call->media_buffers);
  return GST_PAD_PROBE_OK;
}

static void
on_pad_added (GstElement *rtc, GstPad *pad, Call *call)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  GstPad *sinkpad = gst_element_get_static_pad (sink, "sink");

  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (call->pipeline), sink);
  gst_element_sync_state_with_parent (sink);
  gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_BUFFER,
      (GstPadProbeCallback)count_media, call, NULL);
  fail_unless_equals_int (gst_pad_link (pad, sinkpad), GST_PAD_LINK_OK);
  gst_object_unref (sinkpad);
}

static void
call_start (Call *call, gboolean audio)
{
  GError *error = NULL;

  g_mutex_init (&call->lock);
  call->probes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify)probe_free);
  if (audio) {
    call->pipeline = gst_parse_launch ("rtcbin name=r audiotestsrc "
                                       "is-live=true ! opusenc ! "
                                       "rtpopuspay pt=96 ! r.",
        &error);
    fail_unless (call->pipeline != NULL, "%s", error ? error->message : "");
    call->rtc = gst_bin_get_by_name (GST_BIN (call->pipeline), "r");
    rtcbin_test_restrict (call->rtc);
  } else {
    call->pipeline = gst_pipeline_new (NULL);
    call->rtc = rtcbin_test_new ("r");
    gst_bin_add (GST_BIN (call->pipeline), gst_object_ref (call->rtc));
  }
  g_signal_connect (call->rtc, "on-ice-candidate",
      G_CALLBACK (on_ice_candidate), call);
  g_signal_connect (call->rtc, "on-data-channel", G_CALLBACK (on_data_channel),
      call);
  g_signal_connect (call->rtc, "pad-added", G_CALLBACK (on_pad_added), call);
  child_start (&call->child, call->rtc, audio);
  fail_unless (gst_element_set_state (call->pipeline, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);
  if (audio)
    fail_unless (rtcbin_test_wait_transceivers (call->rtc, 1, 5000));
}

static void
call_stop (Call *call)
{
  child_stop (&call->child);
  gst_element_set_state (call->pipeline, GST_STATE_NULL);
  g_hash_table_unref (call->probes);
  gst_object_unref (call->rtc);
  gst_object_unref (call->pipeline);
  g_mutex_clear (&call->lock);
}

static gchar *
sdp_text (GstRtcSessionDescription *desc)
{
  return gst_sdp_message_as_text (desc->sdp);
}

static GstRtcSessionDescription *
sdp_parse (GstRtcSDPType type, const gchar *text)
{
  GstSDPMessage *sdp;

  fail_unless_equals_int (gst_sdp_message_new_from_text (text, &sdp),
      GST_SDP_OK);
  return gst_rtc_session_description_new (type, sdp);
}

static void
send_description (Call *call, const gchar *type, GstRtcSessionDescription *d)
{
  JsonBuilder *b = command ("set-remote");
  gchar *text = sdp_text (d);

  data_peer_json_str (b, "type", type);
  data_peer_json_str (b, "sdp", text);
  child_send (&call->child, b);
  g_free (text);
}

static void
set_remote (Call *call, GstRtcSDPType type, JsonObject *o)
{
  GstRtcSessionDescription *d = sdp_parse (type,
      json_object_get_string_member (o, "sdp"));
  GError *error = rtcbin_test_set (call->rtc, "set-remote-description", d);

  fail_unless (error == NULL, "set-remote-description: %s",
      error ? error->message : "");
  gst_rtc_session_description_free (d);
  child_remote_set (&call->child);
}

static void
negotiate (Call *call, gboolean rtc_offers)
{
  GstRtcSessionDescription *d;
  JsonObject *o;
  GError *error;

  if (rtc_offers) {
    d = rtcbin_test_create (call->rtc, "create-offer", NULL, NULL);
    /* Sent before it is set, so that our candidates follow it. */
    send_description (call, "offer", d);
    error = rtcbin_test_set (call->rtc, "set-local-description", d);
    fail_unless (error == NULL);
    gst_rtc_session_description_free (d);
    o = child_expect (&call->child, "answer", NULL, 10000);
    GST_INFO ("webrtcbin's answer:\n%s",
        json_object_get_string_member (o, "sdp"));
    fail_if (strstr (json_object_get_string_member (o, "sdp"),
                 "a=max-message-size")
            != NULL,
        "webrtcbin now signals a=max-message-size: update the 256 KiB check");
    set_remote (call, GST_RTC_SDP_TYPE_ANSWER, o);
  } else {
    child_send (&call->child, command ("create-offer"));
    o = child_expect (&call->child, "offer", NULL, 10000);
    GST_INFO ("webrtcbin's offer:\n%s",
        json_object_get_string_member (o, "sdp"));
    set_remote (call, GST_RTC_SDP_TYPE_OFFER, o);
    d = rtcbin_test_create (call->rtc, "create-answer", NULL, NULL);
    send_description (call, "answer", d);
    error = rtcbin_test_set (call->rtc, "set-local-description", d);
    fail_unless (error == NULL);
    gst_rtc_session_description_free (d);
  }
  json_object_unref (o);
}

static Probe *
rtc_create (Call *call, const gchar *label, const GstStructure *options)
{
  GstRtcDataChannel *ch = NULL;
  Probe *p;

  g_signal_emit_by_name (call->rtc, "create-data-channel", label, options, &ch);
  fail_unless (ch != NULL, "rtcbin refused channel %s", label);
  p = call_watch (call, ch);
  gst_object_unref (ch);
  return p;
}

static void
web_create (Call *call, const gchar *label, gint negotiated_id,
    gboolean ordered, gint max_lifetime)
{
  JsonBuilder *b = command ("create-channel");

  data_peer_json_str (b, "label", label);
  if (negotiated_id >= 0) {
    data_peer_json_bool (b, "negotiated", TRUE);
    data_peer_json_int (b, "id", negotiated_id);
  }
  data_peer_json_bool (b, "ordered", ordered);
  if (max_lifetime >= 0)
    data_peer_json_int (b, "max-packet-lifetime", max_lifetime);
  child_command (&call->child, "create-channel", b);
}

static void
web_expect_open (Call *call, const gchar *label)
{
  json_object_unref (child_expect (&call->child, "open", label, 10000));
}

static void
rtc_expect_open (Probe *p)
{
  fail_unless (rtc_data_test_wait_open (p->ch, 10000),
      "rtcbin's %s did not open", p->label);
}

/* rtcbin sends each size, string and binary, on @p; webrtcbin echoes
 * what is not empty and reports all. */
static void
echo_matrix (Call *call, Probe *p, guint seed)
{
  const gchar *label = p->label;
  guint i, k;

  for (i = 0; i < SIZES_MAX; i++) {
    for (k = 0; k < 2; k++) {
      gboolean as_string = k == 1;
      gchar *str = data_peer_string (sizes[i], seed + i);
      GBytes *sent = as_string ? g_bytes_new (str, sizes[i])
                               : data_peer_binary (sizes[i], seed + i);
      guint before = probe_count (p);
      JsonObject *o;
      gchar *sha1 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, sent);
      GError *error = NULL;

      if (as_string)
        gst_rtc_data_channel_send_string_full (p->ch, str, &error);
      else
        gst_rtc_data_channel_send_data_full (p->ch, sent, &error);
      fail_unless (error == NULL, "%s: %s", label, error ? error->message : "");

      /* webrtcbin got it whole, as what it is. */
      o = child_expect (&call->child, "message", label, 10000);
      fail_unless_equals_int (json_object_get_int_member (o, "size"), sizes[i]);
      /* webrtcbin 1.22 has the empty PPIDs swapped (56 binary, 57
       * string; RFC 8831 has 56 string, 57 binary): an empty message
       * arrives there as the other kind. */
      fail_unless_equals_string (json_object_get_string_member (o, "kind"),
          (as_string == (sizes[i] > 0)) ? "string" : "binary");
      fail_unless_equals_string (json_object_get_string_member (o, "sha1"),
          sha1);
      json_object_unref (o);

      if (sizes[i] > 0) {
        GBytes *got;
        gboolean got_string;

        probe_wait_count (p, before + 1, 10000);
        g_mutex_lock (&p->lock);
        got = g_bytes_ref (g_ptr_array_index (p->messages, before));
        got_string = g_array_index (p->is_string, gboolean, before);
        g_mutex_unlock (&p->lock);
        fail_unless (g_bytes_equal (got, sent),
            "%s: echo of %u bytes: got %u bytes", label, (guint)sizes[i],
            (guint)g_bytes_get_size (got));
        fail_unless_equals_int (got_string, as_string);
        g_bytes_unref (got);
      }
      g_free (sha1);
      g_free (str);
      g_bytes_unref (sent);
    }
  }

  /* 256 KiB: over the 64 KiB webrtcbin is assumed to take. */
  {
    GBytes *big = data_peer_binary (256 * 1024, seed);
    GError *error = NULL;

    fail_if (gst_rtc_data_channel_send_data_full (p->ch, big, &error));
    fail_unless (error != NULL);
    fail_unless (strstr (error->message, "max-message-size of 65536") != NULL,
        "%s", error->message);
    g_clear_error (&error);
    g_bytes_unref (big);
  }
}

/* webrtcbin sends @n messages of datapeer.h's pattern on @label; rtcbin
 * gets them intact (in order unless @unordered). */
static void
web_sends (Call *call, Probe *p, const gchar *label, guint n, gsize size,
    gboolean unordered)
{
  guint before = probe_count (p), i, j;
  gboolean *seen = g_new0 (gboolean, n);

  for (i = 0; i < n; i++) {
    JsonBuilder *b = command ("send");

    data_peer_json_str (b, "label", label);
    data_peer_json_str (b, "kind", i % 2 ? "string" : "binary");
    data_peer_json_int (b, "size", size + i);
    data_peer_json_int (b, "seed", i);
    child_send (&call->child, b);
  }
  probe_wait_count (p, before + n, 10000);
  g_mutex_lock (&p->lock);
  for (j = 0; j < n; j++) {
    GBytes *got = g_ptr_array_index (p->messages, before + j);
    gsize len = g_bytes_get_size (got);
    /* Messages differ in length: the length says which one it is. */
    guint idx = len - size;
    GBytes *want;

    fail_unless (len >= size && idx < n, "unexpected %u bytes", (guint)len);
    if (!unordered)
      fail_unless_equals_int (idx, j);
    fail_if (seen[idx], "message %u twice", idx);
    seen[idx] = TRUE;
    fail_unless_equals_int (g_array_index (p->is_string, gboolean, before + j),
        idx % 2);
    if (idx % 2) {
      gchar *s = data_peer_string (len, idx);
      want = g_bytes_new_take (s, len);
    } else {
      want = data_peer_binary (len, idx);
    }
    fail_unless (g_bytes_equal (got, want), "%s: message %u altered", label,
        idx);
    g_bytes_unref (want);
  }
  g_mutex_unlock (&p->lock);
  g_free (seen);
}

static void
run_data (gboolean rtc_offers, gboolean audio)
{
  Call call = { 0 };
  GstStructure *opts;
  Probe *r_inband, *r_neg, *r_unordered, *r_late, *w_inband, *w_lifetime,
      *w_late, *w_empty;
  JsonObject *o;

  call_start (&call, audio);

  /* Before negotiation: rtcbin's in-band, negotiated and unordered
   * partially reliable channels, webrtcbin's in-band, negotiated and
   * unordered lifetime-limited ones. */
  r_inband = rtc_create (&call, "r-inband", NULL);
  opts = gst_structure_new ("o", "negotiated", G_TYPE_BOOLEAN, TRUE, "id",
      G_TYPE_INT, 10, NULL);
  r_neg = rtc_create (&call, "neg", opts);
  gst_structure_free (opts);
  opts = gst_structure_new ("o", "ordered", G_TYPE_BOOLEAN, FALSE,
      "max-retransmits", G_TYPE_INT, 0, NULL);
  r_unordered = rtc_create (&call, "r-unordered", opts);
  gst_structure_free (opts);
  web_create (&call, "w-inband", -1, TRUE, -1);
  web_create (&call, "neg", 10, TRUE, -1);
  web_create (&call, "w-lifetime", -1, FALSE, 500);

  negotiate (&call, rtc_offers);

  /* Each end of each channel opens; the ones webrtcbin opened are
   * announced to rtcbin with webrtcbin's options. */
  rtc_expect_open (r_inband);
  rtc_expect_open (r_neg);
  rtc_expect_open (r_unordered);
  web_expect_open (&call, "r-inband");
  web_expect_open (&call, "neg");
  web_expect_open (&call, "r-unordered");
  web_expect_open (&call, "w-inband");
  web_expect_open (&call, "w-lifetime");
  w_inband = call_probe (&call, "w-inband", 10000);
  w_lifetime = call_probe (&call, "w-lifetime", 10000);
  rtc_expect_open (w_inband);
  rtc_expect_open (w_lifetime);
  {
    gboolean ordered_inband = FALSE, ordered_lifetime = TRUE;
    gint lifetime = 0;

    g_object_get (w_inband->ch, "ordered", &ordered_inband, NULL);
    g_object_get (w_lifetime->ch, "ordered", &ordered_lifetime,
        "max-packet-lifetime", &lifetime, NULL);
    fail_unless (ordered_inband);
    fail_if (ordered_lifetime);
    fail_unless_equals_int (lifetime, 500);
  }
  o = child_expect (&call.child, "data-channel", "r-unordered", 1000);
  fail_if (json_object_get_boolean_member (o, "ordered"));
  fail_unless_equals_int (json_object_get_int_member (o, "max-retransmits"), 0);
  json_object_unref (o);
  /* Ids of the DTLS role's parity (RFC 8832): the DTLS client's even. */
  fail_unless_equals_int (gst_rtc_data_channel_get_id (r_inband->ch) % 2,
      gst_rtc_data_channel_get_id (r_unordered->ch) % 2);
  fail_unless (gst_rtc_data_channel_get_id (r_inband->ch) % 2
      != gst_rtc_data_channel_get_id (w_inband->ch) % 2);

  /* After the connection: one more from each side. */
  r_late = rtc_create (&call, "r-late", NULL);
  web_create (&call, "w-late", -1, TRUE, -1);
  rtc_expect_open (r_late);
  web_expect_open (&call, "r-late");
  w_late = call_probe (&call, "w-late", 10000);
  rtc_expect_open (w_late);

  /* Everything rtcbin sends comes back intact. */
  echo_matrix (&call, r_inband, 1);
  echo_matrix (&call, w_inband, 11);
  echo_matrix (&call, r_neg, 21);
  echo_matrix (&call, r_late, 31);
  echo_matrix (&call, w_late, 41);
  /* What webrtcbin sends itself arrives intact and in order. */
  web_sends (&call, w_inband, "w-inband", 6, 16 * 1024, FALSE);
  web_sends (&call, r_inband, "r-inband", 6, 1000, FALSE);
  /* Unordered and partially reliable: all arrive on loopback. */
  web_sends (&call, r_unordered, "r-unordered", 40, 1000, TRUE);
  web_sends (&call, w_lifetime, "w-lifetime", 40, 1000, TRUE);
  {
    guint i, before = probe_count (r_unordered);

    for (i = 0; i < 40; i++) {
      GBytes *m = data_peer_binary (100 + i, i);

      fail_unless (
          gst_rtc_data_channel_send_data_full (r_unordered->ch, m, NULL));
      g_bytes_unref (m);
    }
    for (i = 0; i < 40; i++) {
      o = child_expect (&call.child, "message", "r-unordered", 10000);
      json_object_unref (o);
    }
    /* webrtcbin echoed all 40 back too. */
    probe_wait_count (r_unordered, before + 40, 10000);
  }

  /* webrtcbin 1.22 sending an empty string: its send fails, the channel
   * errors and closes, and rtcbin sees the close. */
  web_create (&call, "w-empty", -1, TRUE, -1);
  w_empty = call_probe (&call, "w-empty", 10000);
  rtc_expect_open (w_empty);
  {
    JsonBuilder *b = command ("send");

    data_peer_json_str (b, "label", "w-empty");
    data_peer_json_str (b, "kind", "string");
    data_peer_json_int (b, "size", 0);
    child_send (&call.child, b);
  }
  json_object_unref (child_expect (&call.child, "error", "w-empty", 10000));
  json_object_unref (child_expect (&call.child, "close", "w-empty", 10000));
  fail_unless (rtc_test_wait_until (probe_closed, w_empty, 10000),
      "rtcbin did not see webrtcbin close w-empty");
  fail_unless_equals_int (probe_count (w_empty), 0);
  /* The other channels are not affected. */
  echo_matrix (&call, r_late, 51);

  if (audio) {
    gint64 end = g_get_monotonic_time () + RTC_TEST_MS (10000) * 1000;
    gint web_buffers = 0;

    while (g_get_monotonic_time () < end) {
      child_send (&call.child, command ("media"));
      o = child_expect (&call.child, "media", NULL, 5000);
      web_buffers = json_object_get_int_member (o, "buffers");
      json_object_unref (o);
      if (web_buffers >= 25 && g_atomic_int_get (&call.media_buffers) >= 25)
        break;
      g_usleep (100000);
    }
    fail_unless (web_buffers >= 25, "webrtcbin received %d Opus buffers",
        web_buffers);
    fail_unless (g_atomic_int_get (&call.media_buffers) >= 25,
        "rtcbin received %d Opus buffers", call.media_buffers);
  }

  /* Closing from rtcbin: both sides see it. */
  gst_rtc_data_channel_close (r_late->ch);
  json_object_unref (child_expect (&call.child, "close", "r-late", 10000));
  fail_unless (rtc_test_wait_until (probe_closed, r_late, 10000));

  call_stop (&call);
}

GST_START_TEST (test_rtcbin_offers)
{
  run_data (TRUE, FALSE);
}

GST_END_TEST;

GST_START_TEST (test_webrtcbin_offers)
{
  run_data (FALSE, FALSE);
}

GST_END_TEST;

GST_START_TEST (test_data_beside_audio)
{
  run_data (TRUE, TRUE);
}

GST_END_TEST;

static Suite *
rtcbin_webrtcbin_data_suite (void)
{
  Suite *s = suite_create ("rtcbin-webrtcbin-data");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_rtcbin_offers);
  tcase_add_test (tc, test_webrtcbin_offers);
  tcase_add_test (tc, test_data_beside_audio);
  return s;
}

RTC_CHECK_MAIN (rtcbin_webrtcbin_data);
