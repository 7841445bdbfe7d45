/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * What the transports need from a negotiated offer/answer pair: per
 * m-line the current direction, the chosen codecs as depayloader caps,
 * the peer's SSRCs, msid, ICE credentials, candidates and fingerprint,
 * our DTLS role, which transport carries it (BUNDLE), and the SCTP
 * parameters of the data section.
 */
#include "rtcjsepcodec.h"
#include "rtcjsepsdp.h"
#include "rtcicecandidate.h"

#include <string.h>

static void
media_free (RtcJsepMedia *media)
{
  g_free (media->mid);
  gst_clear_caps (&media->codecs);
  g_array_unref (media->remote_ssrcs);
  g_array_unref (media->remote_rtx_ssrcs);
  g_free (media->remote_msid_stream);
  g_free (media->remote_msid_track);
  g_free (media->remote_ufrag);
  g_free (media->remote_pwd);
  g_ptr_array_unref (media->remote_candidates);
  g_free (media->remote_fingerprint);
  g_free (media);
}

static GstRtcRtpTransceiverDirection
reverse (GstRtcRtpTransceiverDirection d)
{
  if (d == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY)
    return GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
  if (d == GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY)
    return GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY;
  return d;
}

static gboolean
parse_ssrc_prefix (const gchar *v, guint32 *ssrc)
{
  gchar *num = g_strndup (v, strcspn (v, " "));
  guint64 n;
  gboolean ok = rtc_jsep_parse_uint (num, G_MAXUINT32, &n);

  g_free (num);
  *ssrc = n;
  return ok;
}

static gboolean
array_has (GArray *a, guint32 v)
{
  guint i;

  for (i = 0; i < a->len; i++) {
    if (g_array_index (a, guint32, i) == v)
      return TRUE;
  }
  return FALSE;
}

static void
set_msid (RtcJsepMedia *out, const gchar *value)
{
  gchar **parts = g_strsplit (value, " ", 3);

  if (parts[0] && *parts[0] && !out->remote_msid_stream) {
    out->remote_msid_stream = g_strdup (parts[0]);
    out->remote_msid_track = g_strdup (parts[1]);
  }
  g_strfreev (parts);
}

/* SSRCs (RFC 5576) with FID pairs (RFC 4588), and the msid (RFC 8830),
 * from the media-level attribute or the older per-SSRC one. */
static void
read_remote_streams (RtcJsepMedia *out, const GstSDPMedia *m)
{
  guint i;
  guint32 ssrc;

  for (i = 0; i < gst_sdp_media_attributes_len (m); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, i);
    gchar **parts;
    guint32 rtx;

    if (!a->key || !a->value)
      continue;
    if (g_str_equal (a->key, "ssrc-group")
        && g_str_has_prefix (a->value, "FID ")) {
      parts = g_strsplit (a->value + 4, " ", 3);
      if (parts[0] && parts[1] && parse_ssrc_prefix (parts[0], &ssrc)
          && parse_ssrc_prefix (parts[1], &rtx)
          && !array_has (out->remote_rtx_ssrcs, rtx)) {
        g_array_append_val (out->remote_rtx_ssrcs, rtx);
      }
      g_strfreev (parts);
    } else if (g_str_equal (a->key, "msid")) {
      set_msid (out, a->value);
    }
  }
  for (i = 0; i < gst_sdp_media_attributes_len (m); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, i);
    const gchar *sp;

    if (!a->key || !a->value || !g_str_equal (a->key, "ssrc")
        || !parse_ssrc_prefix (a->value, &ssrc))
      continue;
    if (!array_has (out->remote_rtx_ssrcs, ssrc)
        && !array_has (out->remote_ssrcs, ssrc))
      g_array_append_val (out->remote_ssrcs, ssrc);
    if ((sp = strchr (a->value, ' ')) && g_str_has_prefix (sp + 1, "msid:"))
      set_msid (out, sp + 6);
  }
}

/* Candidates are kept as lines for the ICE transport; those that do not
 * parse are dropped and counted rather than failing the description. */
static void
read_candidates (RtcJsepMedia *out, const GstSDPMedia *m)
{
  guint i;

  for (i = 0; i < gst_sdp_media_attributes_len (m); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, i);
    RtcIceCandidate *cand;
    gchar *line;

    if (!a->key)
      continue;
    if (g_str_equal (a->key, "end-of-candidates")) {
      out->remote_end_of_candidates = TRUE;
      continue;
    }
    if (!g_str_equal (a->key, "candidate") || !a->value)
      continue;
    line = g_strconcat ("candidate:", a->value, NULL);
    cand = rtc_ice_candidate_parse (line, NULL);
    if (cand) {
      g_ptr_array_add (out->remote_candidates, line);
      rtc_ice_candidate_free (cand);
    } else {
      out->dropped_candidates++;
      g_free (line);
    }
  }
}

/* The extmap lines of @m as `extmap-ID` caps fields. */
static void
add_extmaps (GstStructure *s, const GstSDPMedia *m)
{
  guint i;

  for (i = 0; i < gst_sdp_media_attributes_len (m); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, i);
    const gchar *uri;
    gchar *field, *num;
    guint64 id;

    if (!a->key || !g_str_equal (a->key, "extmap") || !a->value
        || !(uri = strchr (a->value, ' ')))
      continue;
    num = g_strndup (a->value, strcspn (a->value, " /"));
    if (rtc_jsep_parse_uint (num, 255, &id)) {
      gchar *u = g_strndup (uri + 1, strcspn (uri + 1, " "));
      field = g_strdup_printf ("extmap-%u", (guint)id);
      gst_structure_set (s, field, G_TYPE_STRING, u, NULL);
      g_free (field);
      g_free (u);
    }
    g_free (num);
  }
}

/* The answer's codecs (both sides now use its payload types), with the
 * fmtp the peer gave for each: what its stream carries. */
static GstCaps *
negotiated_codecs (const GstSDPMedia *answer, const GstSDPMedia *remote)
{
  GPtrArray *chosen = rtc_jsep_codecs_from_media (answer, NULL);
  GPtrArray *theirs = rtc_jsep_codecs_from_media (remote, NULL);
  GstCaps *caps = gst_caps_new_empty ();
  guint i, j;

  for (i = 0; chosen && i < chosen->len; i++) {
    RtcJsepCodec *c = g_ptr_array_index (chosen, i);
    GstStructure *s;

    for (j = 0; theirs && j < theirs->len; j++) {
      RtcJsepCodec *t = g_ptr_array_index (theirs, j);
      if (t->pt == c->pt) {
        gst_structure_free (c->fmtp);
        c->fmtp = gst_structure_copy (t->fmtp);
        break;
      }
    }
    s = rtc_jsep_codec_to_structure (c, gst_sdp_media_get_media (answer));
    add_extmaps (s, answer);
    gst_caps_append_structure (caps, s);
  }
  if (chosen)
    g_ptr_array_unref (chosen);
  if (theirs)
    g_ptr_array_unref (theirs);
  return caps;
}

/* The remote m-line holding the ICE attributes of the transport at
 * @idx. An offerer may leave them out of bundle-only m-lines (RFC 8843
 * 7.2); when the answerer rejected the offerer's tag and picked such an
 * m-line, the offerer's transport is described in another member of the
 * offered group. */
static const GstSDPMedia *
transport_media (const GstSDPMessage *remote, guint idx)
{
  const GstSDPMedia *m = gst_sdp_message_get_media (remote, idx);
  GPtrArray *groups;
  gint g;
  guint i;

  if (rtc_jsep_media_get_attr (remote, m, "ice-ufrag"))
    return m;
  groups = rtc_jsep_get_bundle_groups (remote);
  g = rtc_jsep_bundle_group_of (groups,
      gst_sdp_media_get_attribute_val (m, "mid"));
  if (g >= 0) {
    gchar **mids = g_ptr_array_index (groups, g);
    for (i = 0; mids[i]; i++) {
      gint j = rtc_jsep_find_mid (remote, mids[i]);
      const GstSDPMedia *other = j >= 0 ? gst_sdp_message_get_media (remote, j)
                                        : NULL;
      if (other && gst_sdp_media_get_attribute_val (other, "ice-ufrag")) {
        m = other;
        break;
      }
    }
  }
  g_ptr_array_unref (groups);
  return m;
}

static void
read_transport (RtcJsepMedia *out, const GstSDPMessage *remote,
    const GstSDPMessage *answer, gboolean local_is_offerer)
{
  const GstSDPMedia *rm = transport_media (remote, out->transport_mline);
  const GstSDPMedia *am = gst_sdp_message_get_media (answer,
      out->transport_mline);
  const gchar *setup = rtc_jsep_media_get_attr (answer, am, "setup");
  const gchar *options;

  out->remote_ufrag = g_strdup (
      rtc_jsep_media_get_attr (remote, rm, "ice-ufrag"));
  out->remote_pwd = g_strdup (rtc_jsep_media_get_attr (remote, rm, "ice-pwd"));
  out->remote_fingerprint = g_strdup (
      rtc_jsep_media_get_attr (remote, rm, "fingerprint"));
  out->remote_ice_lite = gst_sdp_message_get_attribute_val (remote, "ice-lite")
      != NULL;
  options = rtc_jsep_media_get_attr (remote, rm, "ice-options");
  if (options) {
    gchar **tokens = g_strsplit (options, " ", 16);
    out->remote_trickle = g_strv_contains ((const gchar *const *)tokens,
        "trickle");
    g_strfreev (tokens);
  }
  /* RFC 8842 5.3: "active" in the answer makes the answerer the client. */
  out->dtls_client = local_is_offerer ? !g_strcmp0 (setup, "passive")
                                      : !g_strcmp0 (setup, "active");
  read_candidates (out, rm);
}

/*
 * rtc_jsep_negotiate:
 * @offer: the offer
 * @answer: its answer (or provisional answer)
 * @local_is_offerer: whether @offer is ours
 *
 * Validates both descriptions and that @answer fits @offer, then reads
 * per m-line what the transports need. The tagged m-line of each
 * accepted BUNDLE group is the first mid of the answer's group (RFC 8843
 * 7.3); every member uses its transport.
 *
 * Returns: (transfer full): the negotiation, or %NULL with @error
 */
RtcJsepNegotiation *
rtc_jsep_negotiate (const GstSDPMessage *offer, const GstSDPMessage *answer,
    gboolean local_is_offerer, GError **error)
{
  const GstSDPMessage *remote = local_is_offerer ? answer : offer;
  RtcJsepNegotiation *neg;
  GPtrArray *groups;
  guint i;

  rtc_jsep_debug_init ();
  if (!rtc_jsep_validate (offer, GST_RTC_SDP_TYPE_OFFER, NULL, error)
      || !rtc_jsep_validate (answer, GST_RTC_SDP_TYPE_ANSWER, offer, error))
    return NULL;

  neg = g_new0 (RtcJsepNegotiation, 1);
  neg->media = g_ptr_array_new_with_free_func ((GDestroyNotify)media_free);
  neg->bundle_groups = g_ptr_array_new_with_free_func (
      (GDestroyNotify)g_strfreev);
  groups = rtc_jsep_get_bundle_groups (answer);

  for (i = 0; i < groups->len; i++)
    g_ptr_array_add (neg->bundle_groups,
        g_strdupv (g_ptr_array_index (groups, i)));

  for (i = 0; i < gst_sdp_message_medias_len (answer); i++) {
    const GstSDPMedia *am = gst_sdp_message_get_media (answer, i);
    const GstSDPMedia *rm = gst_sdp_message_get_media (remote, i);
    RtcJsepMedia *out = g_new0 (RtcJsepMedia, 1);
    GstRtcRtpTransceiverDirection ad;
    gint g;

    out->mline = i;
    out->transport_mline = i;
    out->mid = g_strdup (gst_sdp_media_get_attribute_val (am, "mid"));
    out->kind = rtc_jsep_kind_from_media (am);
    out->is_data = rtc_jsep_media_is_data (am);
    out->remote_ssrcs = g_array_new (FALSE, FALSE, sizeof (guint32));
    out->remote_rtx_ssrcs = g_array_new (FALSE, FALSE, sizeof (guint32));
    out->remote_candidates = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (neg->media, out);

    out->rejected = rtc_jsep_media_is_rejected (answer, i)
        || rtc_jsep_media_is_rejected (offer, i)
        || (!out->is_data && out->kind == GST_RTC_KIND_UNKNOWN);
    if (out->rejected) {
      out->direction = GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE;
      continue;
    }
    if ((g = rtc_jsep_bundle_group_of (groups, out->mid)) >= 0) {
      gchar **mids = g_ptr_array_index (groups, g);
      guint k;
      /* The first accepted member (validation made them all exist). */
      for (k = 0; mids[k]; k++) {
        gint idx = rtc_jsep_find_mid (answer, mids[k]);
        if (idx >= 0 && !rtc_jsep_media_is_rejected (answer, idx)
            && !rtc_jsep_media_is_rejected (offer, idx)) {
          out->transport_mline = idx;
          break;
        }
      }
    }
    read_transport (out, remote, answer, local_is_offerer);

    if (out->is_data) {
      const gchar *port = gst_sdp_media_get_attribute_val (rm, "sctp-port");
      const gchar *size = gst_sdp_media_get_attribute_val (rm,
          "max-message-size");
      guint64 v;

      out->direction = GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;
      out->sctp_port = port && rtc_jsep_parse_uint (port, 65535, &v)
          ? v
          : RTC_JSEP_DEFAULT_SCTP_PORT;
      /* RFC 8841 6: a peer that does not say accepts 64 KiB. */
      out->max_message_size
          = size && rtc_jsep_parse_uint (size, G_MAXUINT64, &v) ? v : 65536;
      continue;
    }
    ad = rtc_jsep_media_get_direction (answer, am);
    out->direction = local_is_offerer ? reverse (ad) : ad;
    out->codecs = negotiated_codecs (am, rm);
    read_remote_streams (out, rm);
  }
  g_ptr_array_unref (groups);
  return neg;
}
