/* gst-rtc
 * Copyright (C) 2026 gst-rtc authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* rtc-webrtc-call-server: the signalling server of a WebRTC call
 * (callserver.c) as a program, until SIGINT or SIGTERM. */

#include "callserver.h"

#include <glib-unix.h>
#include <stdio.h>

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char *argv[])
{
  gint port = 8080;
  GOptionEntry entries[] = { { "port", 'p', 0, G_OPTION_ARG_INT, &port,
                                 "Port on 127.0.0.1 (0: any free one)",
                                 "PORT" },
    { NULL } };
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  GMainLoop *loop;
  CallServer *server;
  guint sigint, sigterm;

  /* Whoever started us reads the port from our first line, at once. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  ctx = g_option_context_new ("- signalling server of a WebRTC call");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_printerr ("%s\n", error->message);
    return 2;
  }
  if (port < 0 || port > 65535) {
    g_printerr ("invalid port %d\n", port);
    return 2;
  }

  server = call_server_new (port, &error);
  if (!server) {
    g_printerr ("cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
    return 1;
  }
  /* Tests read this line to learn the port. */
  g_print ("listening on %s/\n", call_server_get_origin (server));

  loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, on_signal, loop);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  g_print ("stopping\n");
  call_server_free (server);
  g_main_loop_unref (loop);
  return 0;
}
