/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:sessiondescription
 * @title: GstRtcSessionDescription
 * @short_description: an SDP offer or answer with its type
 *
 * A #GstRtcSessionDescription pairs a #GstSDPMessage with its
 * #GstRtcSDPType, like the W3C RTCSessionDescription. The description
 * owns its SDP: copies are deep, so a copy outlives the original.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/rtc/sessiondescription.h>

G_DEFINE_BOXED_TYPE (GstRtcSessionDescription, gst_rtc_session_description,
    gst_rtc_session_description_copy, gst_rtc_session_description_free);

/**
 * gst_rtc_sdp_type_to_string:
 * @type: a #GstRtcSDPType
 *
 * The W3C spelling of @type, which is also its #GEnumValue nick.
 *
 * Returns: "offer", "pranswer", "answer" or "rollback"; "unknown" for a
 *   value outside #GstRtcSDPType.
 */
const gchar *
gst_rtc_sdp_type_to_string (GstRtcSDPType type)
{
  switch (type) {
    case GST_RTC_SDP_TYPE_OFFER:
      return "offer";
    case GST_RTC_SDP_TYPE_PRANSWER:
      return "pranswer";
    case GST_RTC_SDP_TYPE_ANSWER:
      return "answer";
    case GST_RTC_SDP_TYPE_ROLLBACK:
      return "rollback";
  }
  /* Values arrive as plain ints from bindings and signal arguments. */
  return "unknown";
}

/**
 * gst_rtc_session_description_new:
 * @type: the description's type
 * @sdp: (transfer full) (nullable): the SDP
 *
 * Makes a description that takes ownership of @sdp.
 *
 * Returns: (transfer full): a new #GstRtcSessionDescription; free it with
 *   gst_rtc_session_description_free().
 */
GstRtcSessionDescription *
gst_rtc_session_description_new (GstRtcSDPType type, GstSDPMessage *sdp)
{
  GstRtcSessionDescription *desc = g_new0 (GstRtcSessionDescription, 1);

  desc->type = type;
  desc->sdp = sdp;
  return desc;
}

/**
 * gst_rtc_session_description_copy:
 * @src: (nullable): a #GstRtcSessionDescription
 *
 * Copies @src and its SDP.
 *
 * Returns: (transfer full) (nullable): the copy, %NULL when @src is %NULL.
 */
GstRtcSessionDescription *
gst_rtc_session_description_copy (const GstRtcSessionDescription *src)
{
  GstRtcSessionDescription *desc;

  if (src == NULL)
    return NULL;

  desc = g_new0 (GstRtcSessionDescription, 1);
  desc->type = src->type;
  if (src->sdp != NULL)
    gst_sdp_message_copy (src->sdp, &desc->sdp);
  return desc;
}

/**
 * gst_rtc_session_description_free:
 * @desc: (transfer full) (nullable): a #GstRtcSessionDescription
 *
 * Frees @desc and its SDP. %NULL is ignored.
 */
void
gst_rtc_session_description_free (GstRtcSessionDescription *desc)
{
  if (desc == NULL)
    return;

  if (desc->sdp != NULL)
    gst_sdp_message_free (desc->sdp);
  g_free (desc);
}
