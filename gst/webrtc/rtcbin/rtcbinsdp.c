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
