/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtc-rtcbin-call: the main job. A WebRTC call between a browser and a
 * GStreamer pipeline built around rtcbin.
 *
 * It serves the call page of examples/webrtc-call on 127.0.0.1 and puts a
 * GStreamer peer (callpeer.c) in a room: opening the page in a browser
 * starts a call with it. The peer sends camera and microphone (or test
 * sources) as VP8 and Opus, and shows and plays what the browser sends.
 *
 * --selftest (the default without a display) runs a call between two
 * rtcbin peers through the same server and messages instead, prints what
 * each sent, received and decoded every second, and exits 0 after a few
 * seconds if media flowed both ways.
 */

#include "callpeer.h"
#include "callserver.h"

#include <gio/gio.h>
#include <glib-unix.h>
#include <nice/interfaces.h>
#include <stdio.h>

/* What counts as media having flowed, per peer. */
#define MIN_VIDEO_FRAMES 10
#define MIN_AUDIO_BUFFERS 25

typedef struct {
  GMainLoop *loop;
  CallServer *server;
  GPtrArray *peers;
  gchar *url;
  CallMediaConfig config;
  gboolean join_late;
  gint seconds;
  gint timeout;
  gint elapsed;
  CallCounts *previous;
  gboolean done;
  gboolean ok;
} App;

static gboolean
media_flowed (const CallCounts *c)
{
  return c->decoded_video_frames >= MIN_VIDEO_FRAMES
      && c->decoded_audio_buffers >= MIN_AUDIO_BUFFERS
      && c->sent_video_packets > 0 && c->sent_audio_packets > 0;
}

static void
print_result (CallPeer *peer)
{
  CallCounts c;

  call_peer_get_counts (peer, &c);
  g_print ("result: peer=%s connected-ms=%" G_GINT64_FORMAT
           " sent-audio-packets=%d sent-video-packets=%d"
           " received-audio-packets=%d received-video-packets=%d"
           " decoded-audio-buffers=%d decoded-video-frames=%d\n",
      call_peer_get_name (peer), call_peer_connected_ms (peer),
      c.sent_audio_packets, c.sent_video_packets, c.received_audio_packets,
      c.received_video_packets, c.decoded_audio_buffers,
      c.decoded_video_frames);
}

static void
finish (App *app, gboolean ok)
{
  guint i;

  for (i = 0; i < app->peers->len; i++)
    print_result (g_ptr_array_index (app->peers, i));
  app->ok = ok;
  app->done = TRUE;
  g_main_loop_quit (app->loop);
}

/* Once a second: each peer in a call prints what it did in that second. */
static gboolean
on_tick (gpointer user_data)
{
  App *app = user_data;
  gint64 now = g_get_monotonic_time ();
  gboolean all_done = app->peers->len > 0;
  guint i;

  app->elapsed++;
  for (i = 0; i < app->peers->len; i++) {
    CallPeer *peer = g_ptr_array_index (app->peers, i);
    CallCounts c, *p = &app->previous[i];
    gint64 at = call_peer_connected_at (peer);

    if (call_peer_get_error (peer)) {
      g_printerr ("%s failed: %s\n", call_peer_get_name (peer),
          call_peer_get_error (peer));
      finish (app, FALSE);
      return G_SOURCE_REMOVE;
    }
    if (!call_peer_in_call (peer) || !at) {
      all_done = FALSE;
      continue;
    }
    call_peer_get_counts (peer, &c);
    g_print ("%s %3" G_GINT64_FORMAT " s: sent %3d audio %3d video packets | "
             "received %3d audio %3d video packets, decoded %3d audio buffers "
             "%3d video frames\n",
        call_peer_get_name (peer), (now - at + 500000) / G_USEC_PER_SEC,
        c.sent_audio_packets - p->sent_audio_packets,
        c.sent_video_packets - p->sent_video_packets,
        c.received_audio_packets - p->received_audio_packets,
        c.received_video_packets - p->received_video_packets,
        c.decoded_audio_buffers - p->decoded_audio_buffers,
        c.decoded_video_frames - p->decoded_video_frames);
    *p = c;
    if (app->seconds <= 0 || now - at < app->seconds * G_USEC_PER_SEC)
      all_done = FALSE;
  }

  if (all_done) {
    gboolean ok = TRUE;

    for (i = 0; i < app->peers->len; i++) {
      CallCounts c;

      call_peer_get_counts (g_ptr_array_index (app->peers, i), &c);
      ok = ok && media_flowed (&c);
    }
    finish (app, ok);
    return G_SOURCE_REMOVE;
  }
  if (app->timeout > 0 && app->elapsed >= app->timeout) {
    g_printerr ("no complete call within %d s\n", app->timeout);
    finish (app, FALSE);
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

static CallPeer *
add_peer (App *app, const gchar *name)
{
  CallPeer *peer = call_peer_new (name, app->url, &app->config);

  g_ptr_array_add (app->peers, peer);
  app->previous = g_renew (CallCounts, app->previous, app->peers->len);
  memset (&app->previous[app->peers->len - 1], 0, sizeof (CallCounts));
  call_peer_join (peer);
  return peer;
}

/* The selftest's second peer, or a GStreamer peer that lets the browser
 * offer, joins once the room has its first peer. */
static void
on_joined (const gchar *room, guint peers, gpointer user_data)
{
  App *app = user_data;

  if (peers == 1 && app->join_late) {
    app->join_late = FALSE;
    add_peer (app, app->peers->len ? "b" : "gst");
  }
}

/* Every address of this host, loopback included: the browser runs here
 * (the page comes from 127.0.0.1), and on a host with loopback only, or
 * for a browser told to use it, that is where the two can meet. libnice
 * alone leaves loopback out. Link-local IPv6 addresses need a scope,
 * which candidates do not carry: left out. */
static gchar **
all_local_addresses (void)
{
  GList *ips = nice_interfaces_get_local_ips (TRUE), *l;
  GPtrArray *out = g_ptr_array_new ();

  for (l = ips; l; l = l->next) {
    GInetAddress *addr = g_inet_address_new_from_string (l->data);

    if (addr && !g_inet_address_get_is_link_local (addr))
      g_ptr_array_add (out, g_strdup (l->data));
    g_clear_object (&addr);
  }
  g_list_free_full (ips, g_free);
  g_ptr_array_add (out, NULL);
  return (gchar **)g_ptr_array_free (out, FALSE);
}

static gboolean
on_signal (gpointer user_data)
{
  App *app = user_data;

  if (app->seconds > 0)
    finish (app, FALSE);
  else
    finish (app, TRUE);
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char *argv[])
{
  gboolean selftest = FALSE, serve = FALSE, browser_offers = FALSE;
  gboolean headless = FALSE, verbose = FALSE;
  gint port = -1, seconds = -1, timeout = -1;
  gchar *room = NULL;
  gchar **addresses = NULL;
  GOptionEntry entries[] = {
    { "selftest", 0, 0, G_OPTION_ARG_NONE, &selftest,
        "Call between two rtcbin peers (default without a display)", NULL },
    { "serve", 0, 0, G_OPTION_ARG_NONE, &serve,
        "Serve the call page and wait for a browser (default with a display)",
        NULL },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
        "Port on 127.0.0.1 (default 8080; 0: any free one; selftest: 0)",
        "PORT" },
    { "room", 'r', 0, G_OPTION_ARG_STRING, &room,
        "Room of the GStreamer peer (default: rtcbin)", "NAME" },
    { "seconds", 's', 0, G_OPTION_ARG_INT, &seconds,
        "Exit after a call has lasted this long; the status says whether "
        "media flowed both ways (selftest default: 5; serve: never)",
        "N" },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout,
        "With --seconds, fail if the calls are not done in this many "
        "seconds (default: seconds + 30)",
        "N" },
    { "browser-offers", 0, 0, G_OPTION_ARG_NONE, &browser_offers,
        "The GStreamer peer joins after the browser, which then offers", NULL },
    { "local-address", 'a', 0, G_OPTION_ARG_STRING_ARRAY, &addresses,
        "Gather ICE candidates on this address only (repeatable; default: "
        "every address, loopback included; selftest: 127.0.0.1)",
        "ADDR" },
    { "headless", 0, 0, G_OPTION_ARG_NONE, &headless,
        "Count what arrives instead of showing and playing it", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
        "Print the descriptions and candidates exchanged", NULL },
    { NULL }
  };
  const gchar *loopback[] = { "127.0.0.1", NULL };
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  gboolean display = g_getenv ("DISPLAY") || g_getenv ("WAYLAND_DISPLAY");
  App app = { 0 };
  guint sigint, sigterm;

  /* Whoever started us reads the port from our output, at once. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  ctx = g_option_context_new ("- a WebRTC call between a browser and rtcbin");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_printerr ("%s\n", error->message);
    return 2;
  }
  if (selftest && serve) {
    g_printerr ("--selftest and --serve exclude each other\n");
    return 2;
  }
  if (!selftest && !serve)
    selftest = !display;
  if (port < 0)
    port = selftest ? 0 : 8080;
  if (port > 65535) {
    g_printerr ("invalid port %d\n", port);
    return 2;
  }
#ifdef RTC_PLUGIN_BUILD_DIR
  /* From the build tree, without GST_PLUGIN_PATH. */
  if (!gst_registry_find_plugin (gst_registry_get (), "rtcwebrtc"))
    gst_registry_scan_path (gst_registry_get (), RTC_PLUGIN_BUILD_DIR);
#endif
  {
    GstElementFactory *f = gst_element_factory_find ("rtcbin");

    if (!f) {
      g_printerr ("the rtcbin element is missing (GST_PLUGIN_PATH?)\n");
      return 1;
    }
    gst_object_unref (f);
  }

  app.seconds = seconds >= 0 ? seconds : selftest ? 5 : 0;
  app.timeout = timeout >= 0 ? timeout : app.seconds > 0 ? app.seconds + 30 : 0;
  app.config.devices = !selftest;
  app.config.verbose = verbose;
  app.config.display = !selftest && display && !headless;
  if (!addresses)
    addresses = selftest ? g_strdupv ((gchar **)loopback)
                         : all_local_addresses ();
  app.config.local_addresses = addresses;
  app.loop = g_main_loop_new (NULL, FALSE);
  app.peers = g_ptr_array_new_with_free_func ((GDestroyNotify)call_peer_free);

  app.server = call_server_new (port, &error);
  if (!app.server) {
    g_printerr ("cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
    return 1;
  }
  call_server_set_joined_func (app.server, on_joined, &app);
  if (!room)
    room = g_strdup (selftest ? "selftest" : "rtcbin");
  app.url = g_strdup_printf ("%s/ws?room=%s",
      call_server_get_origin (app.server), room);
  /* Tests read this line to learn the port. */
  g_print ("listening on %s/\n", call_server_get_origin (app.server));

  if (selftest) {
    g_print ("selftest: two rtcbin peers call each other through the "
             "server for %d s\n",
        app.seconds);
    add_peer (&app, "a");
    app.join_late = TRUE;
  } else {
    g_print ("open %s/?room=%s in a browser to call the GStreamer peer\n",
        call_server_get_origin (app.server), room);
    if (browser_offers)
      app.join_late = TRUE;
    else
      add_peer (&app, "gst");
  }

  g_timeout_add_seconds (1, on_tick, &app);
  sigint = g_unix_signal_add (SIGINT, on_signal, &app);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, &app);
  g_main_loop_run (app.loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  g_ptr_array_unref (app.peers);
  call_server_free (app.server);
  g_main_loop_unref (app.loop);
  g_free (app.previous);
  g_free (app.url);
  g_free (room);
  g_strfreev (addresses);
  g_print ("%s\n", app.ok ? "media flowed both ways" : "FAILED");
  return app.ok ? 0 : 1;
}
