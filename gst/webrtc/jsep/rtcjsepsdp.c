/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * Small readers and writers over GstSDPMessage shared by the offer,
 * answer, validation and extraction code: attribute lookup with session
 * fallback, directions, BUNDLE groups, rejection, transport attributes.
 */
#include "rtcjsepsdp.h"
#include "rtcjsepcodec.h"

#include <string.h>

GST_DEBUG_CATEGORY (rtc_jsep_debug);

/* Every entry point calls this, since validation and extraction run
 * without a session. */
void
rtc_jsep_debug_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (rtc_jsep_debug, "rtcjsep", 0, "JSEP core");
    g_once_init_leave (&done, 1);
  }
}

/* Sets @error in the GST_RTC_ERROR domain; returns %NULL for callers
 * that return a pointer or FALSE. */
gpointer
rtc_jsep_error (GError **error, GstRtcError code, const gchar *format, ...)
{
  va_list args;
  gchar *msg;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  /* Codec parsing has no entry point of its own that would do it. */
  rtc_jsep_debug_init ();
  GST_DEBUG ("%s", msg);
  g_set_error_literal (error, GST_RTC_ERROR, code, msg);
  g_free (msg);
  return NULL;
}

/* Decimal digits only (no sign, no space), at most @max. */
gboolean
rtc_jsep_parse_uint (const gchar *str, guint64 max, guint64 *out)
{
  guint64 v = 0;
  const gchar *p;

  if (!str || !*str || strlen (str) > 20)
    return FALSE;
  for (p = str; *p; p++) {
    if (!g_ascii_isdigit (*p))
      return FALSE;
    if (v > (G_MAXUINT64 - 9) / 10)
      return FALSE;
    v = v * 10 + (*p - '0');
  }
  if (v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

/* The media-level attribute, else the session-level one (ICE and DTLS
 * attributes may be at either level, RFC 8839 / RFC 8122). */
const gchar *
rtc_jsep_media_get_attr (const GstSDPMessage *msg, const GstSDPMedia *media,
    const gchar *key)
{
  const gchar *v = gst_sdp_media_get_attribute_val (media, key);

  if (!v && msg)
    v = gst_sdp_message_get_attribute_val (msg, key);
  return v;
}

gboolean
rtc_jsep_media_has_attr (const GstSDPMedia *media, const gchar *key)
{
  guint i;

  for (i = 0; i < gst_sdp_media_attributes_len (media); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (media, i);
    if (a->key && g_str_equal (a->key, key))
      return TRUE;
  }
  return FALSE;
}

static const gchar *const direction_names[] = { NULL, "inactive", "sendonly",
  "recvonly", "sendrecv" };

static gboolean
session_has_attr (const GstSDPMessage *msg, const gchar *key)
{
  guint i;

  for (i = 0; i < gst_sdp_message_attributes_len (msg); i++) {
    const GstSDPAttribute *a = gst_sdp_message_get_attribute (msg, i);
    if (a->key && g_str_equal (a->key, key))
      return TRUE;
  }
  return FALSE;
}

/* RFC 3264 5.1 / 6.1: the media-level direction, else the session-level
 * one, else sendrecv. */
GstRtcRtpTransceiverDirection
rtc_jsep_media_get_direction (const GstSDPMessage *msg,
    const GstSDPMedia *media)
{
  guint d;

  for (d = GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE;
       d <= GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV; d++) {
    if (rtc_jsep_media_has_attr (media, direction_names[d]))
      return d;
  }
  for (d = GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE;
       d <= GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV; d++) {
    if (msg && session_has_attr (msg, direction_names[d]))
      return d;
  }
  return GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;
}

const gchar *
rtc_jsep_direction_to_string (GstRtcRtpTransceiverDirection direction)
{
  if (direction > GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV)
    return NULL;
  return direction_names[direction];
}

GstRtcKind
rtc_jsep_kind_from_media (const GstSDPMedia *media)
{
  const gchar *m = gst_sdp_media_get_media (media);

  if (!g_strcmp0 (m, "audio"))
    return GST_RTC_KIND_AUDIO;
  if (!g_strcmp0 (m, "video"))
    return GST_RTC_KIND_VIDEO;
  return GST_RTC_KIND_UNKNOWN;
}

gboolean
rtc_jsep_media_is_data (const GstSDPMedia *media)
{
  return !g_strcmp0 (gst_sdp_media_get_media (media), "application");
}

/* (element-type GStrv): every `a=group:BUNDLE` of @msg, split into
 * mids. */
GPtrArray *
rtc_jsep_get_bundle_groups (const GstSDPMessage *msg)
{
  GPtrArray *groups = g_ptr_array_new_with_free_func (
      (GDestroyNotify)g_strfreev);
  guint i;

  for (i = 0; i < gst_sdp_message_attributes_len (msg); i++) {
    const GstSDPAttribute *a = gst_sdp_message_get_attribute (msg, i);
    gchar **tokens;
    GPtrArray *mids;
    guint j;

    if (!a->key || !g_str_equal (a->key, "group") || !a->value
        || !g_str_has_prefix (a->value, "BUNDLE"))
      continue;
    if (a->value[6] != '\0' && a->value[6] != ' ')
      continue;
    tokens = g_strsplit (a->value + 6, " ", -1);
    mids = g_ptr_array_new ();
    for (j = 0; tokens[j]; j++) {
      if (*tokens[j])
        g_ptr_array_add (mids, g_strdup (tokens[j]));
    }
    g_ptr_array_add (mids, NULL);
    g_ptr_array_add (groups, g_ptr_array_free (mids, FALSE));
    g_strfreev (tokens);
  }
  return groups;
}

/* The index of the m-line with @mid, or -1. */
gint
rtc_jsep_find_mid (const GstSDPMessage *msg, const gchar *mid)
{
  guint i;

  for (i = 0; i < gst_sdp_message_medias_len (msg); i++) {
    const gchar *m
        = gst_sdp_media_get_attribute_val (gst_sdp_message_get_media (msg, i),
            "mid");
    if (m && !g_strcmp0 (m, mid))
      return i;
  }
  return -1;
}

/* The index of the BUNDLE group holding @mid, or -1. */
gint
rtc_jsep_bundle_group_of (GPtrArray *groups, const gchar *mid)
{
  guint i;

  if (!mid)
    return -1;
  for (i = 0; i < groups->len; i++) {
    if (g_strv_contains (g_ptr_array_index (groups, i), mid))
      return i;
  }
  return -1;
}

/* Port 0 rejects an m-line, unless it is bundle-only in a BUNDLE group
 * (RFC 8843 6): then it shares the group's transport. */
gboolean
rtc_jsep_media_is_rejected (const GstSDPMessage *msg, guint idx)
{
  const GstSDPMedia *media = gst_sdp_message_get_media (msg, idx);
  GPtrArray *groups;
  gboolean rejected;

  if (gst_sdp_media_get_port (media) != 0)
    return FALSE;
  if (!rtc_jsep_media_has_attr (media, "bundle-only"))
    return TRUE;
  groups = rtc_jsep_get_bundle_groups (msg);
  rejected = rtc_jsep_bundle_group_of (groups,
                 gst_sdp_media_get_attribute_val (media, "mid"))
      < 0;
  g_ptr_array_unref (groups);
  return rejected;
}

/* ICE and DTLS attributes of an accepted m-line (RFC 8839, RFC 8842). */
void
rtc_jsep_add_transport_attrs (GstSDPMedia *media, const RtcJsepSession *session,
    const gchar *setup)
{
  gst_sdp_media_add_connection (media, "IN", "IP4", "0.0.0.0", 0, 0);
  gst_sdp_media_add_attribute (media, "ice-ufrag", session->ice_ufrag);
  gst_sdp_media_add_attribute (media, "ice-pwd", session->ice_pwd);
  gst_sdp_media_add_attribute (media, "ice-options", "trickle");
  gst_sdp_media_add_attribute (media, "fingerprint", session->fingerprint);
  gst_sdp_media_add_attribute (media, "setup", setup);
}

/* A description with the session-level lines of a new offer or answer;
 * every description we make bumps the o= version (RFC 3264 8). */
GstSDPMessage *
rtc_jsep_new_message (RtcJsepSession *session)
{
  GstSDPMessage *msg;
  gchar *id, *version;

  gst_sdp_message_new (&msg);
  id = g_strdup_printf ("%" G_GUINT64_FORMAT, session->session_id);
  version = g_strdup_printf ("%" G_GUINT64_FORMAT, session->session_version++);
  gst_sdp_message_set_version (msg, "0");
  gst_sdp_message_set_origin (msg, "-", id, version, "IN", "IP4", "0.0.0.0");
  gst_sdp_message_set_session_name (msg, "-");
  gst_sdp_message_add_time (msg, "0", "0", NULL);
  g_free (id);
  g_free (version);
  return msg;
}

static gboolean
direction_sends (GstRtcRtpTransceiverDirection d)
{
  return d == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
      || d == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY;
}

static void
add_ssrc_lines (GstSDPMedia *media, const RtcJsepSession *session,
    const RtcJsepTransceiver *trans, guint32 ssrc)
{
  gchar *v = g_strdup_printf ("%u cname:%s", ssrc, session->cname);

  gst_sdp_media_add_attribute (media, "ssrc", v);
  g_free (v);
  if (trans->msid_track) {
    v = g_strdup_printf ("%u msid:%s %s", ssrc,
        trans->msid_stream ? trans->msid_stream : "-", trans->msid_track);
    gst_sdp_media_add_attribute (media, "ssrc", v);
    g_free (v);
  }
}

/*
 * rtc_jsep_write_rtp_media:
 * @codecs: (element-type RtcJsepCodec): with their payload types
 * @extmaps: (element-type utf8): `id uri` values
 *
 * Writes the attributes of an accepted RTP m-line in the order browsers
 * use: transport, mid, extmap, direction, msid, rtcp-mux/rsize, codecs,
 * then our SSRCs (RFC 5576), with an FID group (RFC 4588) when a codec
 * has RTX. Our SSRCs and msid are only announced when we send.
 */
void
rtc_jsep_write_rtp_media (GstSDPMedia *media, const RtcJsepSession *session,
    const RtcJsepTransceiver *trans, GPtrArray *codecs, GPtrArray *extmaps,
    GstRtcRtpTransceiverDirection direction, const gchar *setup,
    gboolean rtcp_rsize)
{
  gboolean sends = direction_sends (direction) && trans->ssrc != 0;
  gboolean rtx = FALSE;
  guint i;

  rtc_jsep_add_transport_attrs (media, session, setup);
  gst_sdp_media_add_attribute (media, "mid", trans->mid);
  for (i = 0; i < extmaps->len; i++)
    gst_sdp_media_add_attribute (media, "extmap",
        g_ptr_array_index (extmaps, i));
  gst_sdp_media_add_attribute (media, rtc_jsep_direction_to_string (direction),
      "");
  if (sends && trans->msid_track) {
    gchar *v = g_strdup_printf ("%s %s",
        trans->msid_stream ? trans->msid_stream : "-", trans->msid_track);
    gst_sdp_media_add_attribute (media, "msid", v);
    g_free (v);
  }
  gst_sdp_media_add_attribute (media, "rtcp-mux", "");
  if (rtcp_rsize)
    gst_sdp_media_add_attribute (media, "rtcp-rsize", "");
  for (i = 0; i < codecs->len; i++) {
    const RtcJsepCodec *c = g_ptr_array_index (codecs, i);
    rtc_jsep_codec_add_to_media (c, media);
    rtx |= c->rtx_pt >= 0;
  }
  if (!sends)
    return;
  if (rtx && trans->rtx_ssrc) {
    gchar *v = g_strdup_printf ("FID %u %u", trans->ssrc, trans->rtx_ssrc);
    gst_sdp_media_add_attribute (media, "ssrc-group", v);
    g_free (v);
  }
  add_ssrc_lines (media, session, trans, trans->ssrc);
  if (rtx && trans->rtx_ssrc)
    add_ssrc_lines (media, session, trans, trans->rtx_ssrc);
}

/* The data channel m-line (RFC 8841). */
void
rtc_jsep_write_data_media (GstSDPMedia *media, const RtcJsepSession *session,
    const gchar *setup)
{
  gchar *v;

  gst_sdp_media_set_media (media, "application");
  gst_sdp_media_set_port_info (media, 9, 0);
  gst_sdp_media_set_proto (media, "UDP/DTLS/SCTP");
  gst_sdp_media_add_format (media, "webrtc-datachannel");
  rtc_jsep_add_transport_attrs (media, session, setup);
  gst_sdp_media_add_attribute (media, "mid", session->data_mid);
  v = g_strdup_printf ("%u", session->sctp_port);
  gst_sdp_media_add_attribute (media, "sctp-port", v);
  g_free (v);
  v = g_strdup_printf ("%" G_GUINT64_FORMAT, session->max_message_size);
  gst_sdp_media_add_attribute (media, "max-message-size", v);
  g_free (v);
}
