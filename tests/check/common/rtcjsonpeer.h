/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The plumbing of a session element driven by JSON lines: commands come
 * one JSON object a line on stdin, events and replies leave one a line on
 * stdout. Shared by tests/browser/rtcbin-peer.c and
 * tests/check/interop/rtc-data-peer.c, which keep their own commands.
 * It works with rtcbin and webrtcbin alike, without linking either
 * library: both session description types start with RtcJsonPeerDesc's
 * layout and the same type numbers.
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#include <json-glib/json-glib.h>

typedef struct _RtcJsonPeer RtcJsonPeer;

/* Main context: one line of stdin, stripped and not empty. */
typedef void (*RtcJsonPeerLineFunc) (RtcJsonPeer *peer, const gchar *line,
    gpointer user_data);

struct _RtcJsonPeer {
  GMainLoop *loop;
  GMutex out_lock; /* stdout: one line at a time, in the order emitted */
  GDataInputStream *input;
  GCancellable *cancel;
  RtcJsonPeerLineFunc func;
  gpointer user_data;
  gboolean loopback_only; /* candidate events: UDP on 127.0.0.1 only */
};

/* The public start of GstRtcSessionDescription and
 * GstWebRTCSessionDescription. */
typedef struct {
  gint type;
  GstSDPMessage *sdp;
} RtcJsonPeerDesc;

void rtc_json_peer_init (RtcJsonPeer *peer);
void rtc_json_peer_run (RtcJsonPeer *peer, RtcJsonPeerLineFunc func,
    gpointer user_data);
void rtc_json_peer_quit (RtcJsonPeer *peer);
void rtc_json_peer_clear (RtcJsonPeer *peer);

JsonObject *rtc_json_peer_event_new (const gchar *name);
void rtc_json_peer_emit (RtcJsonPeer *peer, JsonObject *obj);
JsonObject *rtc_json_peer_parse (const gchar *line, GError **error);

gboolean rtc_json_peer_promise_reply (GstPromise *promise,
    const GstStructure **reply, GError **error);
const RtcJsonPeerDesc *
rtc_json_peer_reply_description (const GstStructure *reply, const gchar *field,
    GType desc_type, GError **error);
gpointer rtc_json_peer_description_new (GType desc_type, const gchar *type,
    const gchar *sdp, GError **error);
JsonObject *rtc_json_peer_description_to_json (const RtcJsonPeerDesc *desc);

void rtc_json_peer_watch_candidates (RtcJsonPeer *peer, GstElement *element,
    gboolean loopback_udp_only);
