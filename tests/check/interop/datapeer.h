/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The message contents the data channel interop tests send, so that
 * either end can check what it received without the bytes crossing the
 * control pipe: byte j of a message is a function of j and a seed.
 * tests/browser/test-rtcbin-data.mjs computes the same.
 */
#pragma once

#include <glib.h>

static inline guint8
data_peer_byte (gsize j, guint seed)
{
  return (j * 31 + seed * 7) & 0xff;
}

static inline gchar
data_peer_char (gsize j, guint seed)
{
  return 'a' + (j * 7 + seed) % 26;
}

/* A binary message of @size bytes. */
static inline GBytes *
data_peer_binary (gsize size, guint seed)
{
  guint8 *d = g_malloc (size);
  gsize j;

  for (j = 0; j < size; j++)
    d[j] = data_peer_byte (j, seed);
  return g_bytes_new_take (d, size);
}

/* A string message of @size ASCII characters (free with g_free). */
static inline gchar *
data_peer_string (gsize size, guint seed)
{
  gchar *s = g_malloc (size + 1);
  gsize j;

  for (j = 0; j < size; j++)
    s[j] = data_peer_char (j, seed);
  s[size] = 0;
  return s;
}
