/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "rtcbinsdp.h"

#include <string.h>

static GstSDPMedia *
media_at (GstSDPMessage *sdp, guint mline)
{
  if (!sdp || mline >= gst_sdp_message_medias_len (sdp))
    return NULL;
  return (GstSDPMedia *)gst_sdp_message_get_media (sdp, mline);
}

/**
 * rtc_bin_sdp_add_candidate:
 * @sdp: a local description's SDP
 * @mline: the m-line the candidate was signalled with
 * @candidate: `candidate:…`, as on-ice-candidate gives it
 *
 * Adds `a=candidate:…` to @mline, once; an m-line @sdp lacks is ignored.
 */
void
rtc_bin_sdp_add_candidate (GstSDPMessage *sdp, guint mline,
    const gchar *candidate)
{
  GstSDPMedia *media = media_at (sdp, mline);
  const gchar *value = candidate;
  guint i;

  if (!media || !candidate)
    return;
  if (g_str_has_prefix (value, "a="))
    value += 2;
  if (!g_str_has_prefix (value, "candidate:"))
    return;
  value += strlen ("candidate:");
  for (i = 0; i < gst_sdp_media_attributes_len (media); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (media, i);

    if (!g_strcmp0 (a->key, "candidate") && !g_strcmp0 (a->value, value))
      return;
  }
  gst_sdp_media_add_attribute (media, "candidate", value);
}

/**
 * rtc_bin_sdp_add_end_of_candidates:
 * @sdp: a local description's SDP
 * @mline: the m-line carrying the transport's candidates
 *
 * Adds `a=end-of-candidates` to @mline, once.
 */
void
rtc_bin_sdp_add_end_of_candidates (GstSDPMessage *sdp, guint mline)
{
  GstSDPMedia *media = media_at (sdp, mline);

  if (media && !gst_sdp_media_get_attribute_val (media, "end-of-candidates"))
    gst_sdp_media_add_attribute (media, "end-of-candidates", NULL);
}

/**
 * rtc_bin_sdp_ice_ufrag:
 * @sdp: a description
 *
 * Returns: (nullable): the ICE username fragment of the first m-line
 *   that has one, else of the session
 */
const gchar *
rtc_bin_sdp_ice_ufrag (const GstSDPMessage *sdp)
{
  guint i;

  for (i = 0; i < gst_sdp_message_medias_len (sdp); i++) {
    const gchar *ufrag
        = gst_sdp_media_get_attribute_val (gst_sdp_message_get_media (sdp, i),
            "ice-ufrag");

    if (ufrag)
      return ufrag;
  }
  return gst_sdp_message_get_attribute_val (sdp, "ice-ufrag");
}

static gboolean
media_open (const GstSDPMedia *m)
{
  return gst_sdp_media_get_port (m) != 0
      || gst_sdp_media_get_attribute_val (m, "bundle-only");
}

/**
 * rtc_bin_sdp_nothing_accepted:
 * @offer: a remote offer
 * @answer: our answer to it
 *
 * Returns: (transfer full) (nullable): when @answer rejects every m-line
 *   @offer did not reject itself, the codecs each offered, as text
 *   (`m-line 0 (audio): G729/8000`); else %NULL
 */
gchar *
rtc_bin_sdp_nothing_accepted (const GstSDPMessage *offer,
    const GstSDPMessage *answer)
{
  GString *text = g_string_new (NULL);
  guint i, j, open = 0;

  for (i = 0; i < gst_sdp_message_medias_len (offer); i++) {
    const GstSDPMedia *o = gst_sdp_message_get_media (offer, i);
    const GstSDPMedia *a = i < gst_sdp_message_medias_len (answer)
        ? gst_sdp_message_get_media (answer, i)
        : NULL;

    if (!media_open (o))
      continue;
    if (a && media_open (a)) {
      g_string_free (text, TRUE);
      return NULL;
    }
    open++;
    g_string_append_printf (text, "%sm-line %u (%s):", open > 1 ? "; " : "", i,
        gst_sdp_media_get_media (o));
    for (j = 0; j < gst_sdp_media_attributes_len (o); j++) {
      const GstSDPAttribute *attr = gst_sdp_media_get_attribute (o, j);
      const gchar *sp;

      if (g_strcmp0 (attr->key, "rtpmap") || !attr->value
          || !(sp = strchr (attr->value, ' ')))
        continue;
      g_string_append_printf (text, " %.40s", sp + 1);
    }
    if (gst_sdp_media_formats_len (o) > 0
        && !gst_sdp_media_get_attribute_val (o, "rtpmap"))
      g_string_append_printf (text, " payload type %s",
          gst_sdp_media_get_format (o, 0));
  }
  if (open == 0) {
    g_string_free (text, TRUE);
    return NULL;
  }
  return g_string_free (text, FALSE);
}
