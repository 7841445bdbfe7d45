/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * Validation of descriptions before anything acts on them. A remote
 * description is hostile input: every check ends in a GError naming the
 * m-line and the rule it breaks (GST_RTC_ERROR_SDP_SYNTAX_ERROR for a
 * malformed description, GST_RTC_ERROR_INVALID_MODIFICATION for an
 * answer that does not fit its offer), and sizes are bounded so that
 * the later stages never loop over absurd counts.
 */
#include "rtcjsepcodec.h"
#include "rtcjsepsdp.h"

#include <string.h>

/* Set @error and evaluate to FALSE. */
#define syntax(error, ...) \
  (rtc_jsep_error (error, GST_RTC_ERROR_SDP_SYNTAX_ERROR, __VA_ARGS__), FALSE)

/*
 * rtc_jsep_parse_sdp:
 * @len: length of @text, or -1 if NUL-terminated
 *
 * Parses SDP text from the network, refusing oversized, non-UTF-8 or
 * NUL-containing text and text that is not SDP at all (GstSDPMessage
 * itself accepts nearly anything).
 *
 * Returns: (transfer full): the message, or %NULL with @error
 */
GstSDPMessage *
rtc_jsep_parse_sdp (const gchar *text, gssize len, GError **error)
{
  GstSDPMessage *msg;
  gsize n;

  rtc_jsep_debug_init ();
  if (!text)
    return rtc_jsep_error (error, GST_RTC_ERROR_SDP_SYNTAX_ERROR,
        "No SDP text");
  n = len < 0 ? strlen (text) : (gsize)len;
  if (n > RTC_JSEP_MAX_SDP_SIZE)
    return rtc_jsep_error (error, GST_RTC_ERROR_SDP_SYNTAX_ERROR,
        "SDP of %" G_GSIZE_FORMAT " bytes is larger than "
        "the %u allowed",
        n, RTC_JSEP_MAX_SDP_SIZE);
  if (memchr (text, '\0', n))
    return rtc_jsep_error (error, GST_RTC_ERROR_SDP_SYNTAX_ERROR,
        "SDP contains a NUL byte");
  if (!g_utf8_validate (text, n, NULL))
    return rtc_jsep_error (error, GST_RTC_ERROR_SDP_SYNTAX_ERROR,
        "SDP is not valid UTF-8");
  if (n < 2 || strncmp (text, "v=", 2) != 0)
    return rtc_jsep_error (error, GST_RTC_ERROR_SDP_SYNTAX_ERROR,
        "SDP does not start with a v= line");
  gst_sdp_message_new (&msg);
  if (gst_sdp_message_parse_buffer ((const guint8 *)text, n, msg) != GST_SDP_OK
      || g_strcmp0 (gst_sdp_message_get_version (msg), "0") != 0) {
    gst_sdp_message_free (msg);
    return rtc_jsep_error (error, GST_RTC_ERROR_SDP_SYNTAX_ERROR,
        "SDP version is not 0");
  }
  return msg;
}

static const gchar *
mid_or_none (const GstSDPMedia *m)
{
  const gchar *mid = gst_sdp_media_get_attribute_val (m, "mid");

  return mid ? mid : "(none)";
}

/* RFC 5888 mid is a token (RFC 4566 9); we also bound its length so it
 * fits the mid RTP header extension. */
static gboolean
is_token (const gchar *s, gsize max)
{
  static const gchar extra[] = "!#$%&'*+-.^_`{|}~";
  gsize n = 0;

  for (; *s; s++, n++) {
    if (n >= max || !(g_ascii_isalnum (*s) || strchr (extra, *s)))
      return FALSE;
  }
  return n > 0;
}

static gboolean
is_ice_chars (const gchar *s, gsize min, gsize max)
{
  gsize n = 0;

  for (; *s; s++, n++) {
    if (n >= max || !(g_ascii_isalnum (*s) || *s == '+' || *s == '/'))
      return FALSE;
  }
  return n >= min;
}

/* RFC 8122 5: "hash-func XX:XX:…" with the hash's length in bytes. */
static gboolean
fingerprint_valid (const gchar *value)
{
  static const struct {
    const gchar *name;
    guint len;
  } hashes[] = {
    { "sha-1", 20 },
    { "sha-224", 28 },
    { "sha-256", 32 },
    { "sha-384", 48 },
    { "sha-512", 64 },
  };
  const gchar *sp = strchr (value, ' ');
  guint i, bytes = 0;
  const gchar *p;

  if (!sp)
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (hashes); i++) {
    if (strlen (hashes[i].name) == (gsize)(sp - value)
        && !g_ascii_strncasecmp (value, hashes[i].name, sp - value))
      break;
  }
  if (i == G_N_ELEMENTS (hashes))
    return FALSE;
  for (p = sp + 1;; p += 3) {
    if (!g_ascii_isxdigit (p[0]) || !g_ascii_isxdigit (p[1]))
      return FALSE;
    bytes++;
    if (p[2] == '\0')
      break;
    if (p[2] != ':')
      return FALSE;
  }
  return bytes == hashes[i].len;
}

/* The m-line carrying the transport of m-line @idx: the first accepted
 * m-line of its BUNDLE group, or itself. */
static gint
transport_owner (const GstSDPMessage *msg, GPtrArray *groups, guint idx)
{
  const GstSDPMedia *m = gst_sdp_message_get_media (msg, idx);
  gint g = rtc_jsep_bundle_group_of (groups,
      gst_sdp_media_get_attribute_val (m, "mid"));
  gchar **mids;
  guint i;

  if (g < 0)
    return idx;
  mids = g_ptr_array_index (groups, g);
  for (i = 0; mids[i]; i++) {
    gint j = rtc_jsep_find_mid (msg, mids[i]);
    if (j >= 0 && !rtc_jsep_media_is_rejected (msg, j))
      return j;
  }
  return idx;
}

static gboolean
check_transport (const GstSDPMessage *msg, const GstSDPMedia *m, guint idx,
    GstRtcSDPType type, GError **error)
{
  const gchar *mid = mid_or_none (m);
  const gchar *ufrag = rtc_jsep_media_get_attr (msg, m, "ice-ufrag");
  const gchar *pwd = rtc_jsep_media_get_attr (msg, m, "ice-pwd");
  const gchar *setup = rtc_jsep_media_get_attr (msg, m, "setup");
  const GstSDPMedia *fp_holder = m;
  guint i, n_fp = 0;

  if (!ufrag)
    return syntax (error, "m-line %u (mid %s) has no a=ice-ufrag", idx, mid);
  if (!is_ice_chars (ufrag, 4, 256))
    return syntax (error,
        "m-line %u (mid %s): invalid a=ice-ufrag '%s' "
        "(4 to 256 ice-chars)",
        idx, mid, ufrag);
  if (!pwd)
    return syntax (error, "m-line %u (mid %s) has no a=ice-pwd", idx, mid);
  if (!is_ice_chars (pwd, 22, 256))
    return syntax (error,
        "m-line %u (mid %s): invalid a=ice-pwd "
        "(22 to 256 ice-chars)",
        idx, mid);

  if (!gst_sdp_media_get_attribute_val (m, "fingerprint"))
    fp_holder = NULL;
  for (i = 0; i < (fp_holder ? gst_sdp_media_attributes_len (m)
                             : gst_sdp_message_attributes_len (msg));
       i++) {
    const GstSDPAttribute *a = fp_holder
        ? gst_sdp_media_get_attribute (m, i)
        : gst_sdp_message_get_attribute (msg, i);
    if (!a->key || !g_str_equal (a->key, "fingerprint"))
      continue;
    n_fp++;
    if (!fingerprint_valid (a->value ? a->value : ""))
      return syntax (error,
          "m-line %u (mid %s): malformed a=fingerprint "
          "'%s'",
          idx, mid, a->value);
  }
  if (n_fp == 0)
    return syntax (error, "m-line %u (mid %s) has no a=fingerprint", idx, mid);

  if (!setup)
    return syntax (error, "m-line %u (mid %s) has no a=setup", idx, mid);
  if (g_strcmp0 (setup, "actpass") && g_strcmp0 (setup, "active")
      && g_strcmp0 (setup, "passive"))
    return syntax (error, "m-line %u (mid %s): bad a=setup value '%s'", idx,
        mid, setup);
  if (type != GST_RTC_SDP_TYPE_OFFER && !g_strcmp0 (setup, "actpass"))
    return syntax (error,
        "m-line %u (mid %s): an answer cannot use "
        "a=setup:actpass",
        idx, mid);
  return TRUE;
}

static gboolean
check_extmaps (const GstSDPMedia *m, guint idx, const gchar **uri_of_id,
    GError **error)
{
  const gchar *local_uri[256] = { NULL };
  guint i;

  for (i = 0; i < gst_sdp_media_attributes_len (m); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, i);
    const gchar *v = a->value ? a->value : "";
    gsize idlen = strcspn (v, " /");
    const gchar *uri;
    gchar *num;
    guint64 id;
    gboolean ok;

    if (!a->key || !g_str_equal (a->key, "extmap"))
      continue;
    num = g_strndup (v, idlen);
    ok = rtc_jsep_parse_uint (num, 255, &id) && id != 0 && id != 15;
    g_free (num);
    uri = strchr (v, ' ');
    if (!ok || !uri || !uri[1])
      return syntax (error,
          "m-line %u: invalid a=extmap:%s (id 1-14 or "
          "16-255 and a URI)",
          idx, v);
    uri++;
    if (local_uri[id] && strncmp (local_uri[id], uri, strcspn (uri, " ")))
      return syntax (error, "m-line %u: extmap id %u is used twice", idx,
          (guint)id);
    local_uri[id] = uri;
    /* Within one BUNDLE transport an id must mean one URI. */
    if (uri_of_id) {
      if (uri_of_id[id] && strncmp (uri_of_id[id], uri, strcspn (uri, " ")))
        return syntax (error,
            "m-line %u: extmap id %u means %s here but "
            "%s in another m-line of its BUNDLE group",
            idx, (guint)id, uri, uri_of_id[id]);
      uri_of_id[id] = uri;
    }
  }
  return TRUE;
}

static gboolean
check_ssrcs (const GstSDPMedia *m, guint idx, GError **error)
{
  GHashTable *seen = g_hash_table_new (NULL, NULL);
  gboolean ok = TRUE;
  guint i;

  for (i = 0; ok && i < gst_sdp_media_attributes_len (m); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, i);
    const gchar *v = a->value ? a->value : "";
    gchar **parts;
    guint64 ssrc;
    guint j;

    if (!a->key)
      continue;
    if (g_str_equal (a->key, "ssrc")) {
      gchar *num = g_strndup (v, strcspn (v, " "));
      ok = rtc_jsep_parse_uint (num, G_MAXUINT32, &ssrc);
      g_free (num);
      if (!ok) {
        ok = syntax (error, "m-line %u: invalid a=ssrc:%s", idx, v);
        break;
      }
      g_hash_table_add (seen, GUINT_TO_POINTER ((guint32)ssrc));
      if (g_hash_table_size (seen) > RTC_JSEP_MAX_SSRCS) {
        ok = syntax (error, "m-line %u announces more than %u SSRCs", idx,
            RTC_JSEP_MAX_SSRCS);
      }
    } else if (g_str_equal (a->key, "ssrc-group")) {
      parts = g_strsplit (v, " ", RTC_JSEP_MAX_SSRCS + 2);
      ok = parts[0] && is_token (parts[0], 32) && parts[1];
      for (j = 1; ok && parts[j]; j++)
        ok = rtc_jsep_parse_uint (parts[j], G_MAXUINT32, &ssrc);
      if (ok && !g_strcmp0 (parts[0], "FID"))
        ok = g_strv_length (parts) == 3;
      g_strfreev (parts);
      if (!ok)
        ok = syntax (error, "m-line %u: invalid a=ssrc-group:%s", idx, v);
    }
  }
  g_hash_table_unref (seen);
  return ok;
}

static gboolean
is_rtp_proto (const gchar *proto)
{
  return !g_strcmp0 (proto, "UDP/TLS/RTP/SAVPF")
      || !g_strcmp0 (proto, "TCP/TLS/RTP/SAVPF")
      || !g_strcmp0 (proto, "RTP/SAVPF");
}

static gboolean
check_rtp_media (const GstSDPMedia *m, guint idx, GError **error)
{
  const gchar *proto = gst_sdp_media_get_proto (m);
  GPtrArray *codecs;
  guint i;

  if (!is_rtp_proto (proto))
    return syntax (error,
        "m-line %u (mid %s): unsupported protocol %s "
        "(WebRTC media is UDP/TLS/RTP/SAVPF)",
        idx, mid_or_none (m), proto);
  if (!rtc_jsep_media_has_attr (m, "rtcp-mux"))
    return syntax (error,
        "m-line %u (mid %s) lacks a=rtcp-mux, which "
        "WebRTC requires",
        idx, mid_or_none (m));
  if (!(codecs = rtc_jsep_codecs_from_media (m, error))) {
    g_prefix_error (error, "m-line %u (mid %s): ", idx, mid_or_none (m));
    return FALSE;
  }
  g_ptr_array_unref (codecs);
  for (i = 0; i < gst_sdp_media_formats_len (m); i++) {
    guint pt = atoi (gst_sdp_media_get_format (m, i));
    gchar *prefix;
    guint j;
    gboolean mapped = FALSE;

    if (pt >= 64 && pt <= 95)
      return syntax (error,
          "m-line %u (mid %s): payload type %u collides "
          "with RTCP packet types under rtcp-mux (RFC 5761)",
          idx, mid_or_none (m), pt);
    if (pt < 35)
      continue;
    prefix = g_strdup_printf ("%u ", pt);
    for (j = 0; j < gst_sdp_media_attributes_len (m) && !mapped; j++) {
      const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, j);
      mapped = a->key && g_str_equal (a->key, "rtpmap") && a->value
          && g_str_has_prefix (a->value, prefix);
    }
    g_free (prefix);
    if (!mapped)
      return syntax (error,
          "m-line %u (mid %s): dynamic payload type %u "
          "has no a=rtpmap",
          idx, mid_or_none (m), pt);
  }
  return check_ssrcs (m, idx, error);
}

static gboolean
check_data_media (const GstSDPMedia *m, guint idx, GError **error)
{
  const gchar *port = gst_sdp_media_get_attribute_val (m, "sctp-port");
  const gchar *size = gst_sdp_media_get_attribute_val (m, "max-message-size");
  guint64 v;

  if (port && (!rtc_jsep_parse_uint (port, 65535, &v) || v == 0))
    return syntax (error, "m-line %u (mid %s): invalid a=sctp-port:%s", idx,
        mid_or_none (m), port);
  if (size && !rtc_jsep_parse_uint (size, G_MAXUINT64, &v))
    return syntax (error, "m-line %u (mid %s): invalid a=max-message-size:%s",
        idx, mid_or_none (m), size);
  return TRUE;
}

static gboolean
is_webrtc_data (const GstSDPMedia *m)
{
  const gchar *proto = gst_sdp_media_get_proto (m);

  return rtc_jsep_media_is_data (m)
      && (!g_strcmp0 (proto, "UDP/DTLS/SCTP")
          || !g_strcmp0 (proto, "TCP/DTLS/SCTP"));
}

/* RFC 8843 9.1: in one BUNDLE group a payload type names one codec. */
static gboolean
check_bundle_pts (const GstSDPMessage *msg, gchar **mids, GError **error)
{
  const RtcJsepCodec *owner[128] = { NULL };
  const gchar *owner_mid[128] = { NULL };
  const gchar *uri_of_id[256] = { NULL };
  GPtrArray *all = g_ptr_array_new_with_free_func (
      (GDestroyNotify)g_ptr_array_unref);
  gboolean ok = TRUE;
  guint i, j;

  for (i = 0; ok && mids[i]; i++) {
    gint idx = rtc_jsep_find_mid (msg, mids[i]);
    const GstSDPMedia *m;
    GPtrArray *codecs;

    if (idx < 0 || rtc_jsep_media_is_rejected (msg, idx))
      continue;
    m = gst_sdp_message_get_media (msg, idx);
    if (rtc_jsep_kind_from_media (m) == GST_RTC_KIND_UNKNOWN)
      continue;
    ok = check_extmaps (m, idx, uri_of_id, error);
    if (!ok || !(codecs = rtc_jsep_codecs_from_media (m, NULL)))
      continue;
    g_ptr_array_add (all, codecs);
    for (j = 0; ok && j < codecs->len; j++) {
      const RtcJsepCodec *c = g_ptr_array_index (codecs, j);
      const RtcJsepCodec *o = owner[c->pt];

      if (o
          && (g_ascii_strcasecmp (o->name, c->name)
              || o->clock_rate != c->clock_rate
              || MAX (o->channels, 1) != MAX (c->channels, 1))) {
        ok = syntax (error,
            "Payload type %d is %s/%u in mid %s but %s/%u in mid "
            "%s of the same BUNDLE group",
            c->pt, o->name, o->clock_rate, owner_mid[c->pt], c->name,
            c->clock_rate, mids[i]);
      }
      owner[c->pt] = c;
      owner_mid[c->pt] = mids[i];
    }
  }
  g_ptr_array_unref (all);
  return ok;
}

static gboolean
check_bundle (const GstSDPMessage *msg, GPtrArray *groups, GError **error)
{
  GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean ok = TRUE;
  guint i, j;

  for (i = 0; ok && i < groups->len; i++) {
    gchar **mids = g_ptr_array_index (groups, i);

    if (!mids[0]) {
      ok = syntax (error, "Empty BUNDLE group");
      break;
    }
    for (j = 0; ok && mids[j]; j++) {
      if (rtc_jsep_find_mid (msg, mids[j]) < 0)
        ok = syntax (error, "BUNDLE group references unknown mid '%s'",
            mids[j]);
      else if (!g_hash_table_add (seen, mids[j]))
        ok = syntax (error, "mid '%s' is in two BUNDLE groups", mids[j]);
    }
    if (ok)
      ok = check_bundle_pts (msg, mids, error);
  }
  g_hash_table_unref (seen);
  return ok;
}

static gboolean
sends (GstRtcRtpTransceiverDirection d)
{
  return d == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
      || d == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY;
}

static gboolean
receives (GstRtcRtpTransceiverDirection d)
{
  return d == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
      || d == GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
}

#define type_error(error, ...) \
  (rtc_jsep_error (error, GST_RTC_ERROR_TYPE_ERROR, __VA_ARGS__), FALSE)
#define modification(error, ...) \
  (rtc_jsep_error (error, GST_RTC_ERROR_INVALID_MODIFICATION, __VA_ARGS__), \
      FALSE)

/* An answer must mirror its offer m-line for m-line (RFC 3264 6). */
static gboolean
check_answer_fits (const GstSDPMessage *answer, const GstSDPMessage *offer,
    GError **error)
{
  guint n = gst_sdp_message_medias_len (answer), i, j;
  GPtrArray *ogroups, *agroups;
  gboolean ok = TRUE;

  if (n != gst_sdp_message_medias_len (offer))
    return modification (error,
        "The answer has %u m-lines but the offer "
        "has %u",
        n, gst_sdp_message_medias_len (offer));
  for (i = 0; i < n; i++) {
    const GstSDPMedia *a = gst_sdp_message_get_media (answer, i);
    const GstSDPMedia *o = gst_sdp_message_get_media (offer, i);
    const gchar *amid = gst_sdp_media_get_attribute_val (a, "mid");
    const gchar *omid = gst_sdp_media_get_attribute_val (o, "mid");
    GstRtcRtpTransceiverDirection ad, od;

    if (g_strcmp0 (gst_sdp_media_get_media (a), gst_sdp_media_get_media (o)))
      return modification (error,
          "Answer m-line %u is %s but the offer's is "
          "%s",
          i, gst_sdp_media_get_media (a), gst_sdp_media_get_media (o));
    if (rtc_jsep_media_is_rejected (answer, i))
      continue;
    if (rtc_jsep_media_is_rejected (offer, i))
      return modification (error,
          "The answer accepts m-line %u, which the "
          "offer rejected",
          i);
    if (g_strcmp0 (amid, omid))
      return modification (error,
          "Answer m-line %u has mid '%s' but the "
          "offer's is '%s'",
          i, amid ? amid : "(none)", omid ? omid : "(none)");
    if (rtc_jsep_kind_from_media (a) == GST_RTC_KIND_UNKNOWN)
      continue;
    ad = rtc_jsep_media_get_direction (answer, a);
    od = rtc_jsep_media_get_direction (offer, o);
    if ((sends (ad) && !receives (od)) || (receives (ad) && !sends (od)))
      return modification (error,
          "Answer direction %s on m-line %u does not "
          "fit the offered %s",
          rtc_jsep_direction_to_string (ad), i,
          rtc_jsep_direction_to_string (od));
    /* JSEP 5.3.1: the answer uses the offer's payload types. */
    for (j = 0; j < gst_sdp_media_formats_len (a); j++) {
      const gchar *fmt = gst_sdp_media_get_format (a, j);
      guint k;
      gboolean found = FALSE;
      for (k = 0; k < gst_sdp_media_formats_len (o) && !found; k++)
        found = !g_strcmp0 (fmt, gst_sdp_media_get_format (o, k));
      if (!found)
        return modification (error,
            "Answer m-line %u uses payload type %s, "
            "which the offer did not have",
            i, fmt);
    }
  }

  ogroups = rtc_jsep_get_bundle_groups (offer);
  agroups = rtc_jsep_get_bundle_groups (answer);
  for (i = 0; ok && i < agroups->len; i++) {
    gchar **mids = g_ptr_array_index (agroups, i);
    gint og = mids[0] ? rtc_jsep_bundle_group_of (ogroups, mids[0]) : -1;

    for (j = 0; ok && mids[j]; j++) {
      if (og < 0 || rtc_jsep_bundle_group_of (ogroups, mids[j]) != og)
        ok = modification (error,
            "The answer bundles mid '%s', which the "
            "offer did not offer in that BUNDLE group",
            mids[j]);
    }
  }
  g_ptr_array_unref (ogroups);
  g_ptr_array_unref (agroups);
  return ok;
}

/*
 * rtc_jsep_validate:
 * @type: offer, pranswer or answer
 * @offer: (nullable): for an answer, the offer it answers
 *
 * Checks that @sdp is a WebRTC description the core can act on: bounded
 * sizes; unique, well-formed mids on every accepted m-line; ICE
 * credentials, a well-formed fingerprint and a valid setup role on each
 * transport; rtcp-mux and valid, mapped payload types on RTP m-lines;
 * well-formed extmap, ssrc and data channel attributes; BUNDLE groups
 * naming known mids once, with no payload type or extmap id meaning two
 * things within a group. For an answer, also that it fits @offer.
 *
 * Returns: %TRUE, or %FALSE with @error saying what is wrong and where
 */
gboolean
rtc_jsep_validate (const GstSDPMessage *sdp, GstRtcSDPType type,
    const GstSDPMessage *offer, GError **error)
{
  GHashTable *mids;
  GPtrArray *groups;
  guint i, n;
  gboolean ok = TRUE;

  rtc_jsep_debug_init ();
  if (!sdp)
    return type_error (error, "No SDP");
  if (type != GST_RTC_SDP_TYPE_OFFER && type != GST_RTC_SDP_TYPE_ANSWER
      && type != GST_RTC_SDP_TYPE_PRANSWER)
    return type_error (error, "Cannot validate an SDP of type %d", type);
  n = gst_sdp_message_medias_len (sdp);
  if (n > RTC_JSEP_MAX_MEDIA)
    return syntax (error, "Too many m-lines (%u, at most %u)", n,
        RTC_JSEP_MAX_MEDIA);
  if (gst_sdp_message_attributes_len (sdp) > RTC_JSEP_MAX_ATTRIBUTES)
    return syntax (error, "Too many session attributes (%u)",
        gst_sdp_message_attributes_len (sdp));

  mids = g_hash_table_new (g_str_hash, g_str_equal);
  groups = rtc_jsep_get_bundle_groups (sdp);
  for (i = 0; ok && i < n; i++) {
    const GstSDPMedia *m = gst_sdp_message_get_media (sdp, i);
    const gchar *mid = gst_sdp_media_get_attribute_val (m, "mid");
    gpointer other;

    if (gst_sdp_media_attributes_len (m) > RTC_JSEP_MAX_ATTRIBUTES) {
      ok = syntax (error, "m-line %u has too many attributes (%u)", i,
          gst_sdp_media_attributes_len (m));
    } else if (gst_sdp_media_formats_len (m) == 0
        || !*gst_sdp_media_get_format (m, 0)) {
      /* GstSDPMessage turns an m= line without formats into one empty
       * format. */
      ok = syntax (error, "m-line %u has no format", i);
    } else if (gst_sdp_media_formats_len (m) > RTC_JSEP_MAX_FORMATS) {
      ok = syntax (error, "m-line %u has too many formats (%u)", i,
          gst_sdp_media_formats_len (m));
    } else if (!gst_sdp_media_get_media (m) || !gst_sdp_media_get_proto (m)) {
      ok = syntax (error, "m-line %u is incomplete", i);
    } else if (mid && !is_token (mid, RTC_JSEP_MAX_MID_LEN)) {
      ok = syntax (error,
          "m-line %u: invalid mid '%s' (1 to %u token "
          "characters)",
          i, mid, RTC_JSEP_MAX_MID_LEN);
    } else if (mid && g_hash_table_lookup_extended (mids, mid, NULL, &other)) {
      ok = syntax (error, "Duplicate mid '%s' (m-lines %u and %u)", mid,
          GPOINTER_TO_UINT (other), i);
    } else if (mid) {
      g_hash_table_insert (mids, (gpointer)mid, GUINT_TO_POINTER (i));
    }
  }
  if (ok)
    ok = check_bundle (sdp, groups, error);

  for (i = 0; ok && i < n; i++) {
    const GstSDPMedia *m = gst_sdp_message_get_media (sdp, i);
    GstRtcKind kind = rtc_jsep_kind_from_media (m);

    if (rtc_jsep_media_is_rejected (sdp, i))
      continue;
    if (!gst_sdp_media_get_attribute_val (m, "mid")) {
      ok = syntax (error, "m-line %u has no a=mid", i);
      break;
    }
    if (kind != GST_RTC_KIND_UNKNOWN)
      ok = check_rtp_media (m, i, error) && check_extmaps (m, i, NULL, error);
    else if (is_webrtc_data (m))
      ok = check_data_media (m, i, error);
    else
      continue;
    /* Bundled m-lines may leave their transport to the group's tag. */
    if (ok && transport_owner (sdp, groups, i) == (gint)i)
      ok = check_transport (sdp, m, i, type, error);
  }
  g_hash_table_unref (mids);
  g_ptr_array_unref (groups);

  if (ok && type != GST_RTC_SDP_TYPE_OFFER && offer)
    ok = check_answer_fits (sdp, offer, error);
  return ok;
}
