/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * A sink pad linked to a payloader that has not sent caps yet: an offer
 * made then must still describe its stream. What the payloader can
 * produce (its caps query) names the codec as soon as it is linked; only
 * when that is not one codec does the offer wait for the caps event.
 */
#include "rtcbinpending.h"

/* Payloader templates do not all say their media (rtpvp8pay does not):
 * the codecs a WebRTC session sends tell it by their name. */
static const gchar *
media_of_encoding (const gchar *name)
{
  static const gchar *const video[] = { "VP8", "VP9", "H264", "H265", "AV1",
    NULL };
  static const gchar *const audio[] = { "OPUS", "PCMU", "PCMA", "G722",
    "TELEPHONE-EVENT", NULL };
  guint i;

  for (i = 0; name && video[i]; i++)
    if (!g_ascii_strcasecmp (name, video[i]))
      return "video";
  for (i = 0; name && audio[i]; i++)
    if (!g_ascii_strcasecmp (name, audio[i]))
      return "audio";
  return NULL;
}

/* Whether @s names one codec of one media kind; fills in a missing
 * `media`. */
static gboolean
names_codec (GstStructure *s)
{
  const gchar *media = gst_structure_get_string (s, "media");
  gint clock_rate;

  if (!media) {
    media = media_of_encoding (gst_structure_get_string (s, "encoding-name"));
    if (media)
      gst_structure_set (s, "media", G_TYPE_STRING, media, NULL);
  }

  return gst_structure_has_name (s, "application/x-rtp")
      && (!g_strcmp0 (media, "audio") || !g_strcmp0 (media, "video"))
      && gst_structure_get_string (s, "encoding-name")
      && gst_structure_get_int (s, "clock-rate", &clock_rate);
}

/**
 * rtc_bin_pending_codec_from_peer:
 * @sinkpad: an rtcbin sink pad
 *
 * Fixates the first codec the pad's peer can produce.
 *
 * Returns: (transfer full) (nullable): `application/x-rtp` caps of one
 *   codec, without the payloader's stream fields (ssrc, offsets), or
 *   %NULL when the peer does not tell (unlinked, or any caps)
 */
GstCaps *
rtc_bin_pending_codec_from_peer (GstPad *sinkpad)
{
  GstCaps *filter = gst_caps_new_empty_simple ("application/x-rtp");
  GstCaps *caps = gst_pad_peer_query_caps (sinkpad, filter);
  GstStructure *s;

  gst_caps_unref (filter);
  if (!caps || gst_caps_is_empty (caps) || gst_caps_is_any (caps)) {
    gst_clear_caps (&caps);
    return NULL;
  }
  caps = gst_caps_truncate (caps);
  caps = gst_caps_fixate (caps);
  s = gst_caps_get_structure (caps, 0);
  gst_structure_remove_fields (s, "ssrc", "timestamp-offset", "seqnum-offset",
      NULL);
  if (!names_codec (s)) {
    gst_caps_unref (caps);
    return NULL;
  }
  return caps;
}
