/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * setRemoteDescription(offer) and createAnswer (RFC 8829 5.10, 5.3):
 * associate the offer's m-lines with transceivers, then answer each with
 * the codecs, header extensions and feedback both sides support, using
 * the offerer's payload types and ids, or reject it.
 */
#include "rtcjsepcodec.h"
#include "rtcjsepsdp.h"

#include <string.h>

/* Set @error and evaluate to FALSE. */
#define modification(error, ...) \
  (rtc_jsep_error (error, GST_RTC_ERROR_INVALID_MODIFICATION, __VA_ARGS__), \
      FALSE)

static const gchar *
kind_name (GstRtcKind kind)
{
  return kind == GST_RTC_KIND_AUDIO ? "audio"
      : kind == GST_RTC_KIND_VIDEO  ? "video"
                                    : "unknown";
}

static RtcJsepTransceiver *
transceiver_at (RtcJsepSession *session, guint mline)
{
  guint i;

  for (i = 0; i < session->transceivers->len; i++) {
    RtcJsepTransceiver *t = g_ptr_array_index (session->transceivers, i);
    if (t->mline == (gint)mline)
      return t;
  }
  return NULL;
}

/* JSEP 5.10: a transceiver the application added that no m-line took
 * yet is reused before a new one is made. */
static RtcJsepTransceiver *
unassociated (RtcJsepSession *session, GstRtcKind kind)
{
  guint i;

  for (i = 0; i < session->transceivers->len; i++) {
    RtcJsepTransceiver *t = g_ptr_array_index (session->transceivers, i);
    if (t->kind == kind && t->mline < 0 && !t->mid && !t->stopped)
      return t;
  }
  return NULL;
}

/*
 * rtc_jsep_session_apply_remote_offer:
 *
 * Validates @offer and associates its m-lines with transceivers: by mid
 * for those already negotiated, else the first free transceiver of the
 * same kind, else a new receive-only one with the built-in codecs. The
 * data section takes the offer's mid. A rejected m-line stops its
 * transceiver; the m-line of a stopped transceiver may come back with a
 * new mid (recycled). A known mid that changed kind or moved to another
 * m-line is refused.
 *
 * Returns: %FALSE with @error if @offer is invalid or modifies what may
 * not be modified.
 */
gboolean
rtc_jsep_session_apply_remote_offer (RtcJsepSession *session,
    const GstSDPMessage *offer, GError **error)
{
  guint i;

  rtc_jsep_debug_init ();
  if (!rtc_jsep_validate (offer, GST_RTC_SDP_TYPE_OFFER, NULL, error))
    return FALSE;

  /* Check everything before changing anything. */
  for (i = 0; i < gst_sdp_message_medias_len (offer); i++) {
    const GstSDPMedia *m = gst_sdp_message_get_media (offer, i);
    const gchar *mid = gst_sdp_media_get_attribute_val (m, "mid");
    GstRtcKind kind = rtc_jsep_kind_from_media (m);
    RtcJsepTransceiver *t = mid ? rtc_jsep_session_find_mid (session, mid)
                                : NULL;
    RtcJsepTransceiver *here = transceiver_at (session, i);

    if (rtc_jsep_media_is_data (m)) {
      if (t
          || (here && !here->stopped && !rtc_jsep_media_is_rejected (offer, i)))
        return modification (error,
            "m-line %u (mid %s) is application but was %s", i, mid,
            kind_name (t ? t->kind : here->kind));
      continue;
    }
    if (mid && session->data_mid && !g_strcmp0 (mid, session->data_mid))
      return modification (error,
          "m-line %u (mid %s) is %s but was the data section", i, mid,
          gst_sdp_media_get_media (m));
    if (t && t->kind != kind)
      return modification (error, "m-line %u (mid %s) is %s but was %s", i, mid,
          gst_sdp_media_get_media (m), kind_name (t->kind));
    if (t && t->mline >= 0 && t->mline != (gint)i)
      return modification (error, "mid %s moved from m-line %d to %u", mid,
          t->mline, i);
    /* Only a stopped transceiver's m-line may be recycled. */
    if (here && here != t && here->mid && mid && !here->stopped
        && !rtc_jsep_media_is_rejected (offer, i))
      return modification (error, "m-line %u changed its mid from %s to %s", i,
          here->mid, mid);
  }

  for (i = 0; i < gst_sdp_message_medias_len (offer); i++) {
    const GstSDPMedia *m = gst_sdp_message_get_media (offer, i);
    const gchar *mid = gst_sdp_media_get_attribute_val (m, "mid");
    GstRtcKind kind = rtc_jsep_kind_from_media (m);
    RtcJsepTransceiver *t;

    if (rtc_jsep_media_is_rejected (offer, i)) {
      /* W3C setRemoteDescription: a rejected m-line stops its
       * transceiver, whose m-line the peer may then recycle. */
      if (mid && (t = rtc_jsep_session_find_mid (session, mid)))
        t->stopped = TRUE;
      continue;
    }
    if (rtc_jsep_media_is_data (m)) {
      /* One data section: the first the offer has. */
      if (session->data_mline >= 0 && session->data_mline != (gint)i
          && (guint)session->data_mline < gst_sdp_message_medias_len (offer)
          && rtc_jsep_media_is_data (
              gst_sdp_message_get_media (offer, session->data_mline))
          && !rtc_jsep_media_is_rejected (offer, session->data_mline))
        continue;
      /* Possibly recycling a stopped transceiver's m-line. */
      if ((t = transceiver_at (session, i)))
        t->mline = -1;
      g_free (session->data_mid);
      session->data_mid = g_strdup (mid);
      session->data_mline = i;
      continue;
    }
    if (kind == GST_RTC_KIND_UNKNOWN)
      continue;
    if ((t = rtc_jsep_session_find_mid (session, mid))) {
      t->mline = i;
      continue;
    }
    t = transceiver_at (session, i);
    if (t && t->stopped) {
      /* The peer recycles the m-line of a stopped transceiver. */
      t->mline = -1;
      t = NULL;
    }
    if (!t && !(t = unassociated (session, kind)))
      t = rtc_jsep_session_add_transceiver (session, kind,
          GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, NULL);
    g_free (t->mid);
    t->mid = g_strdup (mid);
    t->mline = i;
  }
  return TRUE;
}

/* The answerer's direction (RFC 3264 6.1): we send only what the offerer
 * receives and receive only what it sends. */
static GstRtcRtpTransceiverDirection
answer_direction (GstRtcRtpTransceiverDirection local,
    GstRtcRtpTransceiverDirection offered)
{
  gboolean local_send = local == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
      || local == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY;
  gboolean local_recv = local == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
      || local == GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
  gboolean peer_send = offered == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
      || offered == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY;
  gboolean peer_recv = offered == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
      || offered == GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
  gboolean send = local_send && peer_recv, recv = local_recv && peer_send;

  if (send && recv)
    return GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;
  if (send)
    return GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY;
  if (recv)
    return GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
  return GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE;
}

/* Our codecs in our order, each matched with the first offered codec it
 * agrees with, carrying the offer's payload types. */
static GPtrArray *
answer_codecs (const RtcJsepTransceiver *t, const GstSDPMedia *offered,
    GError **error)
{
  GstCaps *caps = t->codecs ? gst_caps_ref (t->codecs)
                            : rtc_jsep_default_codecs (t->kind);
  GPtrArray *local = rtc_jsep_codecs_from_caps (caps, t->kind, error);
  GPtrArray *remote, *answer;
  gboolean used[128] = { FALSE };
  guint i, j;

  gst_caps_unref (caps);
  if (!local) {
    g_prefix_error (error, "Transceiver %s: ", t->mid);
    return NULL;
  }
  remote = rtc_jsep_codecs_from_media (offered, error);
  if (!remote) {
    g_ptr_array_unref (local);
    return NULL;
  }
  answer = g_ptr_array_new_with_free_func ((GDestroyNotify)rtc_jsep_codec_free);
  for (i = 0; i < local->len; i++) {
    for (j = 0; j < remote->len; j++) {
      RtcJsepCodec *r = g_ptr_array_index (remote, j);
      RtcJsepCodec *a;

      if (used[r->pt])
        continue;
      if ((a = rtc_jsep_codec_match (g_ptr_array_index (local, i), r))) {
        used[r->pt] = TRUE;
        a->rtx_pt = t->rtx && t->kind == GST_RTC_KIND_VIDEO ? r->rtx_pt : -1;
        g_ptr_array_add (answer, a);
        break;
      }
    }
  }
  g_ptr_array_unref (local);
  g_ptr_array_unref (remote);
  return answer;
}

/* The offered header extensions we implement or the transceiver's codec
 * caps ask for, with the offer's ids (RFC 8285 6: the answer must not
 * change them). */
static GPtrArray *
answer_extmaps (const RtcJsepTransceiver *t, const GstSDPMedia *offered)
{
  static const gchar *const supported[] = { RTC_JSEP_EXT_MID,
    RTC_JSEP_EXT_ABS_SEND_TIME, RTC_JSEP_EXT_TWCC, RTC_JSEP_EXT_AUDIO_LEVEL,
    NULL };
  GPtrArray *exts = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *wanted = rtc_jsep_caps_extmaps (t->codecs);
  guint i, j;

  for (i = 0; i < gst_sdp_media_attributes_len (offered); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (offered, i);
    gboolean accept;
    gchar **parts;

    if (!a->key || !g_str_equal (a->key, "extmap") || !a->value)
      continue;
    parts = g_strsplit (a->value, " ", 3);
    accept = parts[0] && parts[1] && g_strv_contains (supported, parts[1]);
    for (j = 0; !accept && parts[0] && parts[1] && j < wanted->len; j++)
      accept
          = !g_strcmp0 (((RtcJsepExtmap *)g_ptr_array_index (wanted, j))->uri,
              parts[1]);
    if (accept) {
      /* Drop a "/direction" suffix: ours follows the m-line's. */
      gsize idlen = strcspn (parts[0], "/");
      g_ptr_array_add (exts,
          g_strdup_printf ("%.*s %s", (int)idlen, parts[0], parts[1]));
    }
    g_strfreev (parts);
  }
  g_ptr_array_unref (wanted);
  return exts;
}

/* RFC 8842 5.3: an actpass offerer lets us choose; otherwise we take
 * the other role. */
static const gchar *
answer_setup (const RtcJsepSession *session, const GstSDPMessage *offer,
    const GstSDPMedia *m)
{
  const gchar *setup = rtc_jsep_media_get_attr (offer, m, "setup");

  if (!g_strcmp0 (setup, "active"))
    return "passive";
  if (!g_strcmp0 (setup, "passive"))
    return "active";
  return session->answer_setup == GST_RTC_DTLS_SETUP_PASSIVE ? "passive"
                                                             : "active";
}

/* A rejected m-line: port 0, the offered formats, the mid. */
static void
write_rejected (GstSDPMedia *media, const GstSDPMedia *offered)
{
  const gchar *mid = gst_sdp_media_get_attribute_val (offered, "mid");
  guint i;

  gst_sdp_media_set_media (media, gst_sdp_media_get_media (offered));
  gst_sdp_media_set_port_info (media, 0, 0);
  gst_sdp_media_set_proto (media, gst_sdp_media_get_proto (offered));
  for (i = 0; i < gst_sdp_media_formats_len (offered); i++)
    gst_sdp_media_add_format (media, gst_sdp_media_get_format (offered, i));
  if (mid)
    gst_sdp_media_add_attribute (media, "mid", mid);
}

static gboolean
is_datachannel (const GstSDPMedia *m)
{
  const gchar *proto = gst_sdp_media_get_proto (m);

  return (!g_strcmp0 (proto, "UDP/DTLS/SCTP")
             || !g_strcmp0 (proto, "TCP/DTLS/SCTP"))
      && gst_sdp_media_formats_len (m) == 1
      && !g_strcmp0 (gst_sdp_media_get_format (m, 0), "webrtc-datachannel");
}

/* Writes the answer to offered m-line @idx; FALSE if it is rejected. */
static gboolean
answer_media (RtcJsepSession *session, const GstSDPMessage *offer, guint idx,
    GstSDPMedia *media, GError **error, gboolean *failed)
{
  const GstSDPMedia *m = gst_sdp_message_get_media (offer, idx);
  const gchar *setup = answer_setup (session, offer, m);
  RtcJsepTransceiver *t;
  GPtrArray *codecs, *exts;
  GstRtcRtpTransceiverDirection dir;

  if (rtc_jsep_media_is_rejected (offer, idx))
    return FALSE;
  if (rtc_jsep_media_is_data (m)) {
    if (!is_datachannel (m) || session->data_mline != (gint)idx)
      return FALSE;
    rtc_jsep_write_data_media (media, session, setup);
    gst_sdp_media_set_proto (media, gst_sdp_media_get_proto (m));
    return TRUE;
  }
  t = transceiver_at (session, idx);
  if (!t || t->stopped)
    return FALSE;
  if (!(codecs = answer_codecs (t, m, error))) {
    *failed = TRUE;
    return FALSE;
  }
  if (codecs->len == 0) {
    GST_INFO ("m-line %u: no codec in common", idx);
    g_ptr_array_unref (codecs);
    return FALSE;
  }
  dir = answer_direction (t->direction,
      rtc_jsep_media_get_direction (offer, m));
  rtc_jsep_transceiver_ensure_ssrc (t);
  exts = answer_extmaps (t, m);
  gst_sdp_media_set_media (media, gst_sdp_media_get_media (m));
  gst_sdp_media_set_port_info (media, 9, 0);
  gst_sdp_media_set_proto (media, gst_sdp_media_get_proto (m));
  rtc_jsep_write_rtp_media (media, session, t, codecs, exts, dir, setup,
      rtc_jsep_media_has_attr (m, "rtcp-rsize"));
  g_ptr_array_unref (exts);
  g_ptr_array_unref (codecs);
  return TRUE;
}

/*
 * rtc_jsep_create_answer:
 * @offer: the remote offer
 *
 * Applies @offer (rtc_jsep_session_apply_remote_offer()) and answers it.
 * An m-line is rejected (port 0) when the offer rejected it, no
 * transceiver can take it (unknown media), its transceiver is stopped,
 * no codec is in common, or it is an application section other than
 * WebRTC data channels. Each offered BUNDLE group is accepted with the
 * mids we accept, in the offer's order, so the offerer's tagged m-line
 * stays the tag when it is accepted (RFC 8843 7.3).
 *
 * Returns: (transfer full): the answer, or %NULL with @error
 */
GstSDPMessage *
rtc_jsep_create_answer (RtcJsepSession *session, const GstSDPMessage *offer,
    GError **error)
{
  GstSDPMessage *msg;
  GPtrArray *groups;
  gboolean *accepted;
  guint i, j, n;

  g_return_val_if_fail (session != NULL && offer != NULL, NULL);
  if (!rtc_jsep_session_apply_remote_offer (session, offer, error))
    return NULL;

  n = gst_sdp_message_medias_len (offer);
  accepted = g_new0 (gboolean, n);
  msg = rtc_jsep_new_message (session);
  for (i = 0; i < n; i++) {
    /* init() reuses the arrays it finds, so it needs zeroed memory. */
    GstSDPMedia media = { 0 };
    gboolean failed = FALSE;

    gst_sdp_media_init (&media);
    accepted[i] = answer_media (session, offer, i, &media, error, &failed);
    if (failed) {
      gst_sdp_media_uninit (&media);
      gst_sdp_message_free (msg);
      g_free (accepted);
      return NULL;
    }
    if (!accepted[i]) {
      gst_sdp_media_uninit (&media);
      memset (&media, 0, sizeof (media));
      gst_sdp_media_init (&media);
      write_rejected (&media, gst_sdp_message_get_media (offer, i));
    }
    gst_sdp_message_add_media (msg, &media);
  }

  groups = rtc_jsep_get_bundle_groups (offer);
  for (i = 0; i < groups->len; i++) {
    gchar **mids = g_ptr_array_index (groups, i);
    GString *group = g_string_new ("BUNDLE");
    gboolean any = FALSE;

    for (j = 0; mids[j]; j++) {
      gint idx = rtc_jsep_find_mid (offer, mids[j]);
      if (idx >= 0 && accepted[idx]) {
        g_string_append_printf (group, " %s", mids[j]);
        any = TRUE;
      }
    }
    if (any)
      gst_sdp_message_add_attribute (msg, "group", group->str);
    g_string_free (group, TRUE);
  }
  g_ptr_array_unref (groups);
  gst_sdp_message_add_attribute (msg, "msid-semantic", "WMS *");
  g_free (accepted);
  return msg;
}
