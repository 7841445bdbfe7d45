/* gst-rtc
 * Copyright (C) 2026 gst-rtc authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The messages peers relay through the signalling server, checked before
 * they go anywhere. The server relays only what it understands: a message is
 * parsed, every member is checked for type and size, and the message the
 * other peer receives is rebuilt from the checked values, so nothing a peer
 * adds beyond the protocol reaches the other one.
 *
 * { "type": "offer" | "answer", "sdp": "v=0..." }
 * { "type": "candidate", "candidate": null | {
 *     "candidate": "candidate:...", "sdpMid": "0" | null,
 *     "sdpMLineIndex": 0 | null, "usernameFragment": "..." | null } }
 *
 * A null candidate (or an empty candidate string) is end-of-candidates.
 */

#include "callmessage.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define MAX_DEPTH 3
#define MAX_SDP_SIZE (48 * 1024)
#define MAX_CANDIDATE_SIZE 512
#define MAX_MID_SIZE 32
#define MAX_UFRAG_SIZE 256
#define MAX_MLINE_INDEX 1023

#define fail(...) \
  G_STMT_START \
  { \
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, __VA_ARGS__); \
    return FALSE; \
  } \
  G_STMT_END

/* Checks what json-glib lets through: it parses nested values recursively,
 * so deep nesting is refused before parsing, lest a message of brackets
 * exhaust the stack; and it ignores what follows the first value, which
 * here is refused. */
static gboolean
check_structure (const gchar *data, gsize len, GError **error)
{
  gboolean in_string = FALSE, ended = FALSE;
  guint depth = 0;
  gsize i;

  for (i = 0; i < len; i++) {
    gchar c = data[i];

    if (c == '\0')
      fail ("NUL byte");
    if (in_string) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_string = FALSE;
    } else if (ended) {
      if (!g_ascii_isspace (c))
        fail ("data after the message");
    } else if (c == '"') {
      in_string = TRUE;
    } else if (c == '{' || c == '[') {
      if (++depth > MAX_DEPTH)
        fail ("nested deeper than %d", MAX_DEPTH);
    } else if (c == '}' || c == ']') {
      if (depth == 0)
        fail ("unbalanced %c", c);
      ended = --depth == 0;
    }
  }
  return TRUE;
}

static gboolean
only_members (JsonObject *obj, const gchar *const *allowed, GError **error)
{
  GList *members = json_object_get_members (obj);
  GList *l;
  gboolean ok = TRUE;

  for (l = members; l; l = l->next) {
    if (!g_strv_contains (allowed, l->data)) {
      /* The name is not echoed: it is the sender's text, not ours to log. */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
          "unknown member");
      ok = FALSE;
      break;
    }
  }
  g_list_free (members);
  return ok;
}

/* Returns the string member @name (NULL when absent or null and @nullable),
 * checking its type and size. */
static gboolean
get_string (JsonObject *obj, const gchar *name, gsize max_size,
    gboolean nullable, const gchar **out, GError **error)
{
  JsonNode *node = json_object_get_member (obj, name);

  *out = NULL;
  if (!node || JSON_NODE_HOLDS_NULL (node)) {
    if (!nullable)
      fail ("\"%s\" missing", name);
    return TRUE;
  }
  if (!JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    fail ("\"%s\" is not a string", name);
  *out = json_node_get_string (node);
  if (strlen (*out) > max_size)
    fail ("\"%s\" longer than %" G_GSIZE_FORMAT " bytes", name, max_size);
  return TRUE;
}

static gboolean
build_description (JsonObject *obj, const gchar *type, JsonBuilder *b,
    GError **error)
{
  static const gchar *const allowed[] = { "type", "sdp", NULL };
  const gchar *sdp;

  if (!only_members (obj, allowed, error)
      || !get_string (obj, "sdp", MAX_SDP_SIZE, FALSE, &sdp, error))
    return FALSE;
  if (!g_str_has_prefix (sdp, "v=0"))
    fail ("\"sdp\" does not start with v=0");

  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, "sdp");
  json_builder_add_string_value (b, sdp);
  return TRUE;
}

static gboolean
build_candidate (JsonObject *obj, JsonBuilder *b, GError **error)
{
  static const gchar *const allowed[] = { "type", "candidate", NULL };
  static const gchar *const cand_allowed[] = { "candidate", "sdpMid",
    "sdpMLineIndex", "usernameFragment", NULL };
  JsonNode *node, *index_node;
  JsonObject *cand;
  const gchar *line, *mid, *ufrag;
  gint64 index = -1;

  if (!only_members (obj, allowed, error))
    return FALSE;
  node = json_object_get_member (obj, "candidate");
  if (!node)
    fail ("\"candidate\" missing");

  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "candidate");
  json_builder_set_member_name (b, "candidate");
  if (JSON_NODE_HOLDS_NULL (node)) {
    json_builder_add_null_value (b);
    return TRUE;
  }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    fail ("\"candidate\" is neither an object nor null");
  cand = json_node_get_object (node);
  if (!only_members (cand, cand_allowed, error)
      || !get_string (cand, "candidate", MAX_CANDIDATE_SIZE, FALSE, &line,
          error)
      || !get_string (cand, "sdpMid", MAX_MID_SIZE, TRUE, &mid, error)
      || !get_string (cand, "usernameFragment", MAX_UFRAG_SIZE, TRUE, &ufrag,
          error))
    return FALSE;
  if (line[0] != '\0' && !g_str_has_prefix (line, "candidate:"))
    fail ("\"candidate\" does not start with candidate:");

  index_node = json_object_get_member (cand, "sdpMLineIndex");
  if (index_node && !JSON_NODE_HOLDS_NULL (index_node)) {
    if (!JSON_NODE_HOLDS_VALUE (index_node)
        || json_node_get_value_type (index_node) != G_TYPE_INT64)
      fail ("\"sdpMLineIndex\" is not an integer");
    index = json_node_get_int (index_node);
    if (index < 0 || index > MAX_MLINE_INDEX)
      fail ("\"sdpMLineIndex\" out of range");
  }
  if (!mid && index < 0)
    fail ("neither \"sdpMid\" nor \"sdpMLineIndex\"");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "candidate");
  json_builder_add_string_value (b, line);
  json_builder_set_member_name (b, "sdpMid");
  if (mid)
    json_builder_add_string_value (b, mid);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "sdpMLineIndex");
  if (index >= 0)
    json_builder_add_int_value (b, index);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "usernameFragment");
  if (ufrag)
    json_builder_add_string_value (b, ufrag);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return TRUE;
}

/**
 * call_message_sanitize:
 * @data: a message as received, not necessarily NUL-terminated
 * @len: its size in bytes
 * @error: where to say why the message is refused
 *
 * Checks a peer's message against the protocol and rebuilds it from the
 * checked values.
 *
 * Returns: (transfer full) (nullable): the message to relay, or %NULL with
 * @error set when the message is malformed, oversized or of unknown shape.
 */
gchar *
call_message_sanitize (const gchar *data, gsize len, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (JsonBuilder) b = NULL;
  g_autoptr (JsonGenerator) gen = NULL;
  g_autoptr (JsonNode) out = NULL;
  g_autoptr (GError) parse_error = NULL;
  JsonNode *root;
  JsonObject *obj;
  const gchar *type;
  gboolean ok;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len > CALL_MESSAGE_MAX_SIZE) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "%" G_GSIZE_FORMAT " bytes, more than %d", len, CALL_MESSAGE_MAX_SIZE);
    return NULL;
  }
  if (!g_utf8_validate_len (data, len, NULL)) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "not UTF-8");
    return NULL;
  }
  if (!check_structure (data, len, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, &parse_error)) {
    /* One error domain for every refusal, whatever found it. */
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not JSON: %s",
        parse_error->message);
    return NULL;
  }
  root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "not a JSON object");
    return NULL;
  }
  obj = json_node_get_object (root);
  if (!get_string (obj, "type", 16, FALSE, &type, error))
    return NULL;

  b = json_builder_new_immutable ();
  json_builder_begin_object (b);
  if (g_str_equal (type, "offer") || g_str_equal (type, "answer")) {
    ok = build_description (obj, type, b, error);
  } else if (g_str_equal (type, "candidate")) {
    ok = build_candidate (obj, b, error);
  } else {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "unknown type");
    ok = FALSE;
  }
  if (!ok)
    return NULL;
  json_builder_end_object (b);

  out = json_builder_get_root (b);
  gen = json_generator_new ();
  json_generator_set_root (gen, out);
  return json_generator_to_data (gen, NULL);
}
