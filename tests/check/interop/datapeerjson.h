/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The JSON lines of rtc-data-peer's control pipe, for both ends of it:
 * one flat object a line, {"cmd": ...} one way and {"event": ...} the
 * other.
 */
#pragma once

#include <json-glib/json-glib.h>

/* A new object whose first member is @key: @value. */
static inline JsonBuilder *
data_peer_json_begin (const gchar *key, const gchar *value)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, key);
  json_builder_add_string_value (b, value);
  return b;
}

static inline void
data_peer_json_str (JsonBuilder *b, const gchar *name, const gchar *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static inline void
data_peer_json_int (JsonBuilder *b, const gchar *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static inline void
data_peer_json_bool (JsonBuilder *b, const gchar *name, gboolean value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

/* Closes the object and frees @b; returns the line's text, without its
 * newline (free with g_free). */
static inline gchar *
data_peer_json_end (JsonBuilder *b)
{
  JsonNode *root;
  gchar *text;

  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  json_node_unref (root);
  g_object_unref (b);
  return text;
}
