/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * Codec configurations: read from GstCaps (payloader caps and
 * webrtcbin-style codec preferences) or from an SDP m-line, matched
 * between offer and answer (RFC 7741 VP8, VP9 profile-id, RFC 7587 Opus;
 * H.264 in rtcjseph264.c), given payload types, and written back as SDP
 * or as depayloader caps.
 */
#include "rtcjsepcodec.h"
#include "rtcjsepsdp.h"

#include <string.h>

void
rtc_jsep_codec_free (RtcJsepCodec *codec)
{
  if (!codec)
    return;
  g_free (codec->name);
  if (codec->fmtp)
    gst_structure_free (codec->fmtp);
  g_free (codec);
}

RtcJsepCodec *
rtc_jsep_codec_copy (const RtcJsepCodec *codec)
{
  RtcJsepCodec *copy = g_memdup2 (codec, sizeof (*codec));

  copy->name = g_strdup (codec->name);
  copy->fmtp = gst_structure_copy (codec->fmtp);
  return copy;
}

static RtcJsepCodec *
codec_new (const gchar *name, guint clock_rate, guint channels)
{
  RtcJsepCodec *codec = g_new0 (RtcJsepCodec, 1);

  codec->pt = -1;
  codec->rtx_pt = -1;
  codec->name = g_ascii_strup (name, -1);
  codec->clock_rate = clock_rate;
  codec->channels = channels;
  codec->fmtp = gst_structure_new_empty ("fmtp");
  return codec;
}

const gchar *
rtc_jsep_codec_get_fmtp (const RtcJsepCodec *codec, const gchar *name)
{
  return gst_structure_get_string (codec->fmtp, name);
}

/* Feedback offered when the caps do not say: what browsers use. */
static guint
default_feedback (const RtcJsepCodec *codec, GstRtcKind kind)
{
  if (kind == GST_RTC_KIND_VIDEO)
    return RTC_JSEP_FB_ALL;
  if (g_str_equal (codec->name, "OPUS"))
    return RTC_JSEP_FB_TRANSPORT_CC;
  return 0;
}

static const struct {
  const gchar *field;
  RtcJsepFeedback flag;
} feedback_fields[] = {
  { "rtcp-fb-nack", RTC_JSEP_FB_NACK },
  { "rtcp-fb-nack-pli", RTC_JSEP_FB_NACK_PLI },
  { "rtcp-fb-ccm-fir", RTC_JSEP_FB_CCM_FIR },
  { "rtcp-fb-transport-cc", RTC_JSEP_FB_TRANSPORT_CC },
  { "rtcp-fb-goog-remb", RTC_JSEP_FB_GOOG_REMB },
};

static const struct {
  const gchar *sdp;
  RtcJsepFeedback flag;
} feedback_sdp[] = {
  { "nack", RTC_JSEP_FB_NACK },
  { "nack pli", RTC_JSEP_FB_NACK_PLI },
  { "ccm fir", RTC_JSEP_FB_CCM_FIR },
  { "transport-cc", RTC_JSEP_FB_TRANSPORT_CC },
  { "goog-remb", RTC_JSEP_FB_GOOG_REMB },
};

/* Caps fields that describe the stream rather than its fmtp. */
static gboolean
is_fmtp_field (const gchar *name)
{
  static const gchar *const skip[] = { "media", "payload", "clock-rate",
    "encoding-name", "encoding-params", "ssrc", "timestamp-offset",
    "seqnum-offset", "sprop-parameter-sets", "rtx-payload", NULL };
  static const gchar *const skip_prefix[] = { "a-", "x-", "rtcp-fb-", "extmap-",
    "srtp", "srtcp", NULL };
  guint i;

  for (i = 0; skip[i]; i++) {
    if (g_str_equal (name, skip[i]))
      return FALSE;
  }
  for (i = 0; skip_prefix[i]; i++) {
    if (g_str_has_prefix (name, skip_prefix[i]))
      return FALSE;
  }
  return TRUE;
}

static gboolean
copy_fmtp_field (GQuark field, const GValue *value, gpointer user_data)
{
  RtcJsepCodec *codec = user_data;
  const gchar *name = g_quark_to_string (field);
  gchar *str = NULL;

  if (!is_fmtp_field (name))
    return TRUE;
  /* gst-launch caps strings make `packetization-mode=1` an int. */
  if (G_VALUE_HOLDS_STRING (value))
    str = g_value_dup_string (value);
  else if (G_VALUE_HOLDS_INT (value))
    str = g_strdup_printf ("%d", g_value_get_int (value));
  else if (G_VALUE_HOLDS_UINT (value))
    str = g_strdup_printf ("%u", g_value_get_uint (value));
  if (str) {
    gchar *lower = g_ascii_strdown (name, -1);
    gst_structure_set (codec->fmtp, lower, G_TYPE_STRING, str, NULL);
    g_free (lower);
    g_free (str);
  }
  return TRUE;
}

static guint
default_clock_rate (const gchar *name)
{
  if (!g_ascii_strcasecmp (name, "OPUS"))
    return 48000;
  if (!g_ascii_strcasecmp (name, "PCMU") || !g_ascii_strcasecmp (name, "PCMA")
      || !g_ascii_strcasecmp (name, "G722"))
    return 8000;
  if (!g_ascii_strcasecmp (name, "VP8") || !g_ascii_strcasecmp (name, "VP9")
      || !g_ascii_strcasecmp (name, "H264")
      || !g_ascii_strcasecmp (name, "AV1"))
    return 90000;
  return 0;
}

static RtcJsepCodec *
codec_from_structure (const GstStructure *s, GstRtcKind kind, guint idx,
    GError **error)
{
  const gchar *name, *media, *params;
  RtcJsepCodec *codec;
  gint clock_rate = 0, pt = -1;
  guint channels = 0, i;
  gboolean fb_given = FALSE;
  guint64 v;

  if (!gst_structure_has_name (s, "application/x-rtp"))
    return rtc_jsep_error (error, GST_RTC_ERROR_TYPE_ERROR,
        "Codec %u is %s, not application/x-rtp", idx,
        gst_structure_get_name (s));
  media = gst_structure_get_string (s, "media");
  if (media
      && g_strcmp0 (media,
             kind == GST_RTC_KIND_AUDIO       ? "audio"
                 : kind == GST_RTC_KIND_VIDEO ? "video"
                                              : "")
          != 0)
    return rtc_jsep_error (error, GST_RTC_ERROR_TYPE_ERROR,
        "Codec %u has media=%s in a transceiver of another kind", idx, media);
  name = gst_structure_get_string (s, "encoding-name");
  if (!name || !*name)
    return rtc_jsep_error (error, GST_RTC_ERROR_TYPE_ERROR,
        "Codec %u has no encoding-name", idx);
  if (!gst_structure_get_int (s, "clock-rate", &clock_rate))
    clock_rate = default_clock_rate (name);
  if (clock_rate <= 0)
    return rtc_jsep_error (error, GST_RTC_ERROR_TYPE_ERROR,
        "Codec %u (%s) has no clock-rate", idx, name);
  params = gst_structure_get_string (s, "encoding-params");
  if (params && rtc_jsep_parse_uint (params, 255, &v))
    channels = v;
  else if (!g_ascii_strcasecmp (name, "OPUS"))
    channels = 2;

  codec = codec_new (name, clock_rate, channels);
  if (gst_structure_get_int (s, "payload", &pt) && pt >= 0 && pt < 128)
    codec->pt = pt;
  gst_structure_foreach (s, copy_fmtp_field, codec);
  for (i = 0; i < G_N_ELEMENTS (feedback_fields); i++) {
    gboolean on;
    if (gst_structure_get_boolean (s, feedback_fields[i].field, &on)) {
      fb_given = TRUE;
      if (on)
        codec->feedback |= feedback_fields[i].flag;
    }
  }
  if (!fb_given)
    codec->feedback = default_feedback (codec, kind);
  return codec;
}

/*
 * rtc_jsep_codecs_from_caps:
 *
 * Reads one codec per structure of @caps, in order. RTX structures are
 * skipped: RTX is a per-transceiver switch, added to each video codec.
 *
 * Returns: (element-type RtcJsepCodec): the codecs, or %NULL with @error
 * set when a structure cannot describe a codec.
 */
GPtrArray *
rtc_jsep_codecs_from_caps (const GstCaps *caps, GstRtcKind kind, GError **error)
{
  GPtrArray *codecs = g_ptr_array_new_with_free_func (
      (GDestroyNotify)rtc_jsep_codec_free);
  guint i;

  for (i = 0; i < gst_caps_get_size (caps); i++) {
    const GstStructure *s = gst_caps_get_structure (caps, i);
    const gchar *name = gst_structure_get_string (s, "encoding-name");
    RtcJsepCodec *codec;

    if (name && !g_ascii_strcasecmp (name, "RTX"))
      continue;
    codec = codec_from_structure (s, kind, i, error);
    if (!codec) {
      g_ptr_array_unref (codecs);
      return NULL;
    }
    g_ptr_array_add (codecs, codec);
  }
  if (codecs->len == 0) {
    g_ptr_array_unref (codecs);
    return rtc_jsep_error (error, GST_RTC_ERROR_TYPE_ERROR,
        "The codec caps hold no codec");
  }
  return codecs;
}

static RtcJsepCodec *
find_pt (GPtrArray *codecs, gint pt)
{
  guint i;

  for (i = 0; i < codecs->len; i++) {
    RtcJsepCodec *c = g_ptr_array_index (codecs, i);
    if (c->pt == pt)
      return c;
  }
  return NULL;
}

/* fmtp parameters must become caps field names: refuse what GstStructure
 * could not print back. */
static gboolean
is_param_name (const gchar *s, gsize len)
{
  gsize i;

  if (len == 0 || len > 64 || !g_ascii_isalpha (s[0]))
    return FALSE;
  for (i = 0; i < len; i++) {
    if (!g_ascii_isalnum (s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
      return FALSE;
  }
  return TRUE;
}

static void
parse_fmtp_params (RtcJsepCodec *codec, const gchar *params)
{
  gchar **items = g_strsplit (params, ";", 64);
  guint i;

  for (i = 0; items[i]; i++) {
    gchar *item = g_strstrip (items[i]);
    gchar *eq = strchr (item, '=');
    gchar *key;

    /* Valueless parameters (telephone-event's "0-15") are not kept. */
    if (!eq)
      continue;
    *eq = '\0';
    key = g_ascii_strdown (g_strstrip (item), -1);
    if (is_param_name (key, strlen (key)) && g_utf8_validate (eq + 1, -1, NULL))
      gst_structure_set (codec->fmtp, key, G_TYPE_STRING, g_strstrip (eq + 1),
          NULL);
    g_free (key);
  }
  g_strfreev (items);
}

/* "<pt> <rest>": the payload type and a pointer to the rest. */
static gboolean
split_pt (const gchar *value, gint *pt, const gchar **rest)
{
  const gchar *sp = strchr (value, ' ');
  gchar *num;
  guint64 v;
  gboolean ok;

  if (!sp)
    return FALSE;
  num = g_strndup (value, sp - value);
  ok = rtc_jsep_parse_uint (num, 127, &v);
  g_free (num);
  if (!ok && !(sp - value == 1 && value[0] == '*'))
    return FALSE;
  *pt = ok ? (gint)v : -2;
  while (*sp == ' ')
    sp++;
  *rest = sp;
  return TRUE;
}

static gboolean
parse_rtpmap (const gchar *desc, gchar **name, guint *clock, guint *channels)
{
  gchar **parts = g_strsplit (desc, "/", 4);
  guint n = g_strv_length (parts);
  guint64 v;
  gboolean ok = FALSE;

  if (n >= 2 && n <= 3 && *parts[0] && strlen (parts[0]) <= 32
      && is_param_name (parts[0], strlen (parts[0]))
      && rtc_jsep_parse_uint (parts[1], G_MAXINT, &v) && v > 0) {
    *clock = v;
    *channels = 0;
    ok = TRUE;
    if (n == 3) {
      ok = rtc_jsep_parse_uint (parts[2], 255, &v) && v > 0;
      *channels = v;
    }
    if (ok)
      *name = g_ascii_strup (parts[0], -1);
  }
  g_strfreev (parts);
  return ok;
}

/*
 * rtc_jsep_codecs_from_media:
 *
 * Reads the codecs of an RTP m-line: one per payload type in the m= line
 * with its rtpmap (or the static assignment of 0, 8 and 9), fmtp and
 * rtcp-fb; RTX payload types are folded into the codec their apt names.
 * Payload types that are neither static nor mapped are left out.
 *
 * Returns: (element-type RtcJsepCodec): the codecs in m= line order, or
 * %NULL with @error for a malformed payload type or rtpmap.
 */
GPtrArray *
rtc_jsep_codecs_from_media (const GstSDPMedia *media, GError **error)
{
  GPtrArray *codecs = g_ptr_array_new_with_free_func (
      (GDestroyNotify)rtc_jsep_codec_free);
  GPtrArray *rtx = g_ptr_array_new_with_free_func (
      (GDestroyNotify)rtc_jsep_codec_free);
  guint i, n_attrs = gst_sdp_media_attributes_len (media);
  guint32 wildcard_fb = 0;
  gboolean listed[128] = { FALSE };

  for (i = 0; i < gst_sdp_media_formats_len (media); i++) {
    const gchar *fmt = gst_sdp_media_get_format (media, i);
    guint64 pt;

    if (!rtc_jsep_parse_uint (fmt, 127, &pt)) {
      rtc_jsep_error (error, GST_RTC_ERROR_SDP_SYNTAX_ERROR,
          "m-line payload type '%s' is not a number from 0 to 127", fmt);
      goto fail;
    }
    if (listed[pt]) {
      rtc_jsep_error (error, GST_RTC_ERROR_SDP_SYNTAX_ERROR,
          "Payload type %u is listed twice", (guint)pt);
      goto fail;
    }
    listed[pt] = TRUE;
    /* Static assignments (RFC 3551) a browser may leave unmapped. */
    if (pt == 0 || pt == 8 || pt == 9) {
      RtcJsepCodec *c = codec_new (pt == 0 ? "PCMU"
              : pt == 8                    ? "PCMA"
                                           : "G722",
          8000, 1);
      c->pt = pt;
      g_ptr_array_add (codecs, c);
    }
  }

  for (i = 0; i < n_attrs; i++) {
    const GstSDPAttribute *attr = gst_sdp_media_get_attribute (media, i);
    const gchar *rest;
    RtcJsepCodec *c;
    gchar *name;
    guint clock, channels;
    gint pt;

    if (!attr->key || !attr->value || !g_str_equal (attr->key, "rtpmap"))
      continue;
    if (!split_pt (attr->value, &pt, &rest) || pt < 0
        || !parse_rtpmap (rest, &name, &clock, &channels)) {
      rtc_jsep_error (error, GST_RTC_ERROR_SDP_SYNTAX_ERROR,
          "Malformed a=rtpmap:%s", attr->value);
      goto fail;
    }
    if ((c = find_pt (codecs, pt))) {
      /* An explicit rtpmap replaces the static meaning. */
      g_ptr_array_remove (codecs, c);
    } else {
      if (!listed[pt] || find_pt (rtx, pt)) {
        g_free (name);
        continue;
      }
    }
    c = codec_new (name, clock, channels);
    c->pt = pt;
    g_free (name);
    g_ptr_array_add (g_str_equal (c->name, "RTX") ? rtx : codecs, c);
  }

  for (i = 0; i < n_attrs; i++) {
    const GstSDPAttribute *attr = gst_sdp_media_get_attribute (media, i);
    const gchar *rest;
    RtcJsepCodec *c;
    gint pt;
    guint j;

    if (!attr->key || !attr->value || !split_pt (attr->value, &pt, &rest))
      continue;
    if (g_str_equal (attr->key, "fmtp")) {
      if (pt >= 0 && ((c = find_pt (codecs, pt)) || (c = find_pt (rtx, pt))))
        parse_fmtp_params (c, rest);
    } else if (g_str_equal (attr->key, "rtcp-fb")) {
      for (j = 0; j < G_N_ELEMENTS (feedback_sdp); j++) {
        if (g_ascii_strcasecmp (rest, feedback_sdp[j].sdp) != 0)
          continue;
        if (pt == -2)
          wildcard_fb |= feedback_sdp[j].flag;
        else if ((c = find_pt (codecs, pt)))
          c->feedback |= feedback_sdp[j].flag;
      }
    }
  }

  for (i = 0; i < codecs->len; i++) {
    RtcJsepCodec *c = g_ptr_array_index (codecs, i);
    c->feedback |= wildcard_fb;
  }
  for (i = 0; i < rtx->len; i++) {
    RtcJsepCodec *r = g_ptr_array_index (rtx, i);
    const gchar *apt = rtc_jsep_codec_get_fmtp (r, "apt");
    RtcJsepCodec *primary;
    guint64 v;

    if (apt && rtc_jsep_parse_uint (apt, 127, &v)
        && (primary = find_pt (codecs, v)) && primary->rtx_pt < 0)
      primary->rtx_pt = r->pt;
  }
  g_ptr_array_unref (rtx);
  return codecs;

fail:
  g_ptr_array_unref (codecs);
  g_ptr_array_unref (rtx);
  return NULL;
}

static gboolean
fmtp_equal (const RtcJsepCodec *a, const RtcJsepCodec *b)
{
  return gst_structure_is_equal (a->fmtp, b->fmtp);
}

static guint
norm_channels (const RtcJsepCodec *c)
{
  return c->channels ? c->channels : 1;
}

/* Same rtpmap and fmtp: the two may share a payload type. */
gboolean
rtc_jsep_codec_same_config (const RtcJsepCodec *a, const RtcJsepCodec *b)
{
  return !g_ascii_strcasecmp (a->name, b->name)
      && a->clock_rate == b->clock_rate
      && norm_channels (a) == norm_channels (b) && fmtp_equal (a, b);
}

/* A parameter present on both sides must agree, with @def standing in
 * for a remote that leaves it out. */
static gboolean
param_match (const RtcJsepCodec *local, const RtcJsepCodec *remote,
    const gchar *name, const gchar *def)
{
  const gchar *l = rtc_jsep_codec_get_fmtp (local, name);
  const gchar *r = rtc_jsep_codec_get_fmtp (remote, name);

  return !l || !g_strcmp0 (l, r ? r : def);
}

static gboolean
copy_local_param (GQuark field, const GValue *value, gpointer user_data)
{
  gst_structure_id_set_value (user_data, field, value);
  return TRUE;
}

/*
 * rtc_jsep_codec_match:
 * @local: one of our codecs
 * @remote: one codec of the offer
 *
 * Returns: (transfer full) (nullable): the codec to answer with (the
 * offer's payload type, the agreed fmtp, our feedback intersected with
 * the offer's; no RTX, which the caller decides on), or %NULL when the
 * two are not the same codec.
 */
RtcJsepCodec *
rtc_jsep_codec_match (const RtcJsepCodec *local, const RtcJsepCodec *remote)
{
  RtcJsepCodec *answer;

  if (g_ascii_strcasecmp (local->name, remote->name) != 0
      || local->clock_rate != remote->clock_rate)
    return NULL;
  /* Opus is always opus/48000/2 (RFC 7587 7); elsewhere channels count. */
  if (g_str_equal (local->name, "OPUS")) {
    if (remote->channels != 2)
      return NULL;
  } else if (local->channels
      && norm_channels (local) != norm_channels (remote)) {
    return NULL;
  }

  answer = codec_new (remote->name, remote->clock_rate, remote->channels);
  answer->pt = remote->pt;
  answer->feedback = local->feedback & remote->feedback;
  gst_structure_free (answer->fmtp);
  answer->fmtp = gst_structure_copy (remote->fmtp);

  if (g_str_equal (local->name, "H264")) {
    if (!rtc_jsep_h264_match (local, remote, answer))
      goto no_match;
  } else if (g_str_equal (local->name, "VP9")) {
    if (!param_match (local, remote, "profile-id", "0"))
      goto no_match;
  } else if (g_str_equal (local->name, "AV1")) {
    if (!param_match (local, remote, "profile", "0"))
      goto no_match;
  } else {
    /* Receiver hints such as Opus useinbandfec are ours to state. */
    gst_structure_foreach (local->fmtp, copy_local_param, answer->fmtp);
  }
  return answer;

no_match:
  rtc_jsep_codec_free (answer);
  return NULL;
}

static gboolean
append_param (GQuark field, const GValue *value, gpointer user_data)
{
  GString *str = user_data;

  if (str->len)
    g_string_append_c (str, ';');
  g_string_append_printf (str, "%s=%s", g_quark_to_string (field),
      g_value_get_string (value));
  return TRUE;
}

/* Writes the codec's payload type, rtpmap, rtcp-fb and fmtp, and those
 * of its RTX stream, into an RTP m-line. */
void
rtc_jsep_codec_add_to_media (const RtcJsepCodec *codec, GstSDPMedia *media)
{
  gchar *pt = g_strdup_printf ("%d", codec->pt);
  gchar *v;
  GString *params = g_string_new (NULL);
  guint i;

  gst_sdp_media_add_format (media, pt);
  if (codec->channels > 1)
    v = g_strdup_printf ("%d %s/%u/%u", codec->pt, codec->name,
        codec->clock_rate, codec->channels);
  else
    v = g_strdup_printf ("%d %s/%u", codec->pt, codec->name, codec->clock_rate);
  gst_sdp_media_add_attribute (media, "rtpmap", v);
  g_free (v);
  for (i = 0; i < G_N_ELEMENTS (feedback_sdp); i++) {
    if (!(codec->feedback & feedback_sdp[i].flag))
      continue;
    v = g_strdup_printf ("%d %s", codec->pt, feedback_sdp[i].sdp);
    gst_sdp_media_add_attribute (media, "rtcp-fb", v);
    g_free (v);
  }
  gst_structure_foreach (codec->fmtp, append_param, params);
  if (params->len) {
    v = g_strdup_printf ("%d %s", codec->pt, params->str);
    gst_sdp_media_add_attribute (media, "fmtp", v);
    g_free (v);
  }
  g_string_free (params, TRUE);
  g_free (pt);

  if (codec->rtx_pt >= 0) {
    pt = g_strdup_printf ("%d", codec->rtx_pt);
    gst_sdp_media_add_format (media, pt);
    v = g_strdup_printf ("%d rtx/%u", codec->rtx_pt, codec->clock_rate);
    gst_sdp_media_add_attribute (media, "rtpmap", v);
    g_free (v);
    v = g_strdup_printf ("%d apt=%d", codec->rtx_pt, codec->pt);
    gst_sdp_media_add_attribute (media, "fmtp", v);
    g_free (v);
    g_free (pt);
  }
}

/* Depayloader / jitter buffer caps of one negotiated codec, in the
 * field names gst_sdp_media_get_caps_from_media() uses. */
GstStructure *
rtc_jsep_codec_to_structure (const RtcJsepCodec *codec, const gchar *media)
{
  GstStructure *s = gst_structure_new ("application/x-rtp", "media",
      G_TYPE_STRING, media, "payload", G_TYPE_INT, codec->pt, "clock-rate",
      G_TYPE_INT, (gint)codec->clock_rate, "encoding-name", G_TYPE_STRING,
      codec->name, NULL);
  guint i;

  if (codec->channels) {
    gchar *ch = g_strdup_printf ("%u", codec->channels);
    gst_structure_set (s, "encoding-params", G_TYPE_STRING, ch, NULL);
    g_free (ch);
  }
  gst_structure_foreach (codec->fmtp, copy_local_param, s);
  for (i = 0; i < G_N_ELEMENTS (feedback_fields); i++) {
    if (codec->feedback & feedback_fields[i].flag)
      gst_structure_set (s, feedback_fields[i].field, G_TYPE_BOOLEAN, TRUE,
          NULL);
  }
  if (codec->rtx_pt >= 0)
    gst_structure_set (s, "rtx-payload", G_TYPE_INT, codec->rtx_pt, NULL);
  return s;
}

static gboolean
pt_usable (gint pt)
{
  /* 64-95 would be taken for RTCP with rtcp-mux (RFC 5761 4). */
  return (pt >= 96 && pt <= 127) || (pt >= 35 && pt <= 63);
}

/*
 * rtc_jsep_pt_allocate:
 * @preferred: a payload type to keep if it is free (from a previous
 *   description or the caps), or -1
 *
 * Returns: the payload type of @codec's configuration, or -1 when the
 * dynamic range is exhausted. PCMU, PCMA and G722 at 8 kHz mono get
 * their static types 0, 8 and 9 (RFC 3551).
 */
gint
rtc_jsep_pt_allocate (RtcJsepPtAllocator *alloc, const RtcJsepCodec *codec,
    gint preferred)
{
  static const gint ranges[][2] = { { 96, 127 }, { 35, 63 } };
  gint pt;
  guint r;

  for (pt = 0; pt < 128; pt++) {
    if (alloc->owner[pt]
        && rtc_jsep_codec_same_config (alloc->owner[pt], codec))
      return pt;
  }
  if (codec->clock_rate == 8000 && norm_channels (codec) == 1) {
    gint fixed = g_str_equal (codec->name, "PCMU") ? 0
        : g_str_equal (codec->name, "PCMA")        ? 8
        : g_str_equal (codec->name, "G722")        ? 9
                                                   : -1;
    if (fixed >= 0 && !alloc->owner[fixed]) {
      alloc->owner[fixed] = codec;
      return fixed;
    }
  }
  if (preferred >= 0 && preferred < 128 && pt_usable (preferred)
      && !alloc->owner[preferred]) {
    alloc->owner[preferred] = codec;
    return preferred;
  }
  for (r = 0; r < G_N_ELEMENTS (ranges); r++) {
    for (pt = ranges[r][0]; pt <= ranges[r][1]; pt++) {
      if (!alloc->owner[pt]) {
        alloc->owner[pt] = codec;
        return pt;
      }
    }
  }
  return -1;
}

static void
extmap_free (RtcJsepExtmap *ext)
{
  g_free (ext->uri);
  g_free (ext);
}

/* The URI of an `extmap-N` caps field: a string, or webrtcbin's array
 * form <direction, uri, attributes>. */
static const gchar *
extmap_field_uri (const GValue *value)
{
  if (G_VALUE_HOLDS_STRING (value))
    return g_value_get_string (value);
  if (GST_VALUE_HOLDS_ARRAY (value) && gst_value_array_get_size (value) >= 2) {
    const GValue *uri = gst_value_array_get_value (value, 1);
    if (G_VALUE_HOLDS_STRING (uri))
      return g_value_get_string (uri);
  }
  return NULL;
}

static gboolean
collect_extmap (GQuark field, const GValue *value, gpointer user_data)
{
  GPtrArray *exts = user_data;
  const gchar *name = g_quark_to_string (field);
  const gchar *uri = extmap_field_uri (value);
  guint64 id;
  guint i;

  if (!g_str_has_prefix (name, "extmap-") || !uri || !*uri || strchr (uri, ' ')
      || !rtc_jsep_parse_uint (name + 7, 255, &id) || id == 0 || id == 15)
    return TRUE;
  for (i = 0; i < exts->len; i++) {
    RtcJsepExtmap *e = g_ptr_array_index (exts, i);
    if (e->id == id || !g_strcmp0 (e->uri, uri))
      return TRUE;
  }
  {
    RtcJsepExtmap *ext = g_new0 (RtcJsepExtmap, 1);
    ext->id = id;
    ext->uri = g_strdup (uri);
    g_ptr_array_add (exts, ext);
  }
  return TRUE;
}

/*
 * rtc_jsep_caps_extmaps:
 *
 * Returns: (element-type RtcJsepExtmap): the header extensions the
 * `extmap-N` fields of @caps ask for, first id per URI kept; malformed
 * fields are ignored.
 */
GPtrArray *
rtc_jsep_caps_extmaps (const GstCaps *caps)
{
  GPtrArray *exts = g_ptr_array_new_with_free_func (
      (GDestroyNotify)extmap_free);
  guint i;

  for (i = 0; caps && i < gst_caps_get_size (caps); i++)
    gst_structure_foreach (gst_caps_get_structure (caps, i), collect_extmap,
        exts);
  return exts;
}
