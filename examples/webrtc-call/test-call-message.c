/* gst-rtc
 * Copyright (C) 2026 gst-rtc authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The signalling server relays valid messages rebuilt, and refuses the rest
 * with a reason. */

#include "callmessage.h"

#include <gio/gio.h>
#include <string.h>

static gchar *
sanitize (const gchar *msg, GError **error)
{
  return call_message_sanitize (msg, strlen (msg), error);
}

static void
check_relayed (const gchar *in, const gchar *expected)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *out = sanitize (in, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, expected);
}

static void
check_refused (const gchar *in)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *out = sanitize (in, &error);

  g_assert_null (out);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_valid (void)
{
  check_relayed ("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 1 IN IP4 0\"}",
      "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 1 IN IP4 0\"}");
  check_relayed (" { \"sdp\" : \"v=0\", \"type\" : \"answer\" } ",
      "{\"type\":\"answer\",\"sdp\":\"v=0\"}");
  check_relayed ("{\"type\":\"candidate\",\"candidate\":null}",
      "{\"type\":\"candidate\",\"candidate\":null}");
  check_relayed ("{\"type\":\"candidate\",\"candidate\":{\"candidate\":"
                 "\"candidate:1 1 udp 1 127.0.0.1 9 typ "
                 "host\",\"sdpMid\":\"0\"}}",
      "{\"type\":\"candidate\",\"candidate\":{\"candidate\":"
      "\"candidate:1 1 udp 1 127.0.0.1 9 typ host\",\"sdpMid\":\"0\","
      "\"sdpMLineIndex\":null,\"usernameFragment\":null}}");
  /* End-of-candidates of one m-line, as browsers send it. */
  check_relayed ("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"\","
                 "\"sdpMid\":null,\"sdpMLineIndex\":1,\"usernameFragment\":"
                 "\"abcd\"}}",
      "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"\","
      "\"sdpMid\":null,\"sdpMLineIndex\":1,\"usernameFragment\":\"abcd\"}}");
}

static void
test_malformed (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *out = NULL;
  static const gchar nul[] = "{\"type\":\"offer\",\"sdp\":\"v=0\0\"}";

  check_refused ("");
  check_refused ("not json");
  check_refused ("{\"type\":\"offer\",\"sdp\":\"v=0\"");
  check_refused ("[\"offer\"]");
  check_refused ("\"offer\"");
  check_refused ("null");
  check_refused ("{\"type\":\"offer\",\"sdp\":\"v=0\"}{}");
  check_refused ("{\"type\":\"\xff\",\"sdp\":\"v=0\"}");

  out = call_message_sanitize (nul, sizeof (nul) - 1, &error);
  g_assert_null (out);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_shape (void)
{
  check_refused ("{\"sdp\":\"v=0\"}");
  check_refused ("{\"type\":\"bye\"}");
  check_refused ("{\"type\":1,\"sdp\":\"v=0\"}");
  check_refused ("{\"type\":\"offer\"}");
  check_refused ("{\"type\":\"offer\",\"sdp\":null}");
  check_refused ("{\"type\":\"offer\",\"sdp\":42}");
  check_refused ("{\"type\":\"offer\",\"sdp\":\"hello\"}");
  check_refused ("{\"type\":\"offer\",\"sdp\":\"v=0\",\"extra\":1}");
  check_refused ("{\"type\":\"offer\",\"sdp\":[\"v=0\"]}");
  check_refused ("{\"type\":\"candidate\"}");
  check_refused ("{\"type\":\"candidate\",\"candidate\":\"candidate:1\"}");
  check_refused ("{\"type\":\"candidate\",\"candidate\":{}}");
  check_refused ("{\"type\":\"candidate\",\"candidate\":{\"candidate\":"
                 "\"a=candidate:1\",\"sdpMid\":\"0\"}}");
  check_refused ("{\"type\":\"candidate\",\"candidate\":{\"candidate\":"
                 "\"candidate:1\",\"sdpMid\":null,\"sdpMLineIndex\":null}}");
  check_refused ("{\"type\":\"candidate\",\"candidate\":{\"candidate\":"
                 "\"candidate:1\",\"sdpMLineIndex\":-1}}");
  check_refused ("{\"type\":\"candidate\",\"candidate\":{\"candidate\":"
                 "\"candidate:1\",\"sdpMLineIndex\":1.5}}");
  check_refused ("{\"type\":\"candidate\",\"candidate\":{\"candidate\":"
                 "\"candidate:1\",\"sdpMLineIndex\":\"0\"}}");
  check_refused ("{\"type\":\"candidate\",\"candidate\":{\"candidate\":"
                 "\"candidate:1\",\"sdpMid\":\"0\",\"port\":9}}");
}

static void
test_sizes (void)
{
  g_autoptr (GString) msg = g_string_new ("{\"type\":\"offer\",\"sdp\":\"v=0");
  g_autoptr (GError) error = NULL;
  g_autofree gchar *deep = NULL;
  g_autofree gchar *out = NULL;
  gsize i;

  /* An SDP under the limit passes, one over it does not. */
  for (i = 0; i < 40 * 1024; i++)
    g_string_append_c (msg, 'a');
  g_string_append (msg, "\"}");
  out = call_message_sanitize (msg->str, msg->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (out);
  g_clear_pointer (&out, g_free);

  g_string_insert_len (msg, 30, msg->str + 30, 10 * 1024);
  check_refused (msg->str);

  /* Larger than any message may be. */
  g_string_insert_len (msg, 30, msg->str + 30, 20 * 1024);
  g_assert_cmpuint (msg->len, >, CALL_MESSAGE_MAX_SIZE);
  check_refused (msg->str);

  /* Deep nesting is refused before it reaches the recursive parser. */
  deep = g_strnfill (50000, '[');
  check_refused (deep);
  check_refused ("{\"type\":\"candidate\",\"candidate\":{\"candidate\":"
                 "\"candidate:1\",\"sdpMid\":[[[\"0\"]]]}}");
  /* Brackets inside strings are text, not nesting. */
  check_relayed ("{\"type\":\"offer\",\"sdp\":\"v=0 [[[[{{{{\\\"\"}",
      "{\"type\":\"offer\",\"sdp\":\"v=0 [[[[{{{{\\\"\"}");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/call-message/valid", test_valid);
  g_test_add_func ("/call-message/malformed", test_malformed);
  g_test_add_func ("/call-message/shape", test_shape);
  g_test_add_func ("/call-message/sizes", test_sizes);
  return g_test_run ();
}
