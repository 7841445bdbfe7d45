/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sdp/sdp.h>
#include <gst/rtc/rtc_fwd.h>

G_BEGIN_DECLS

/**
 * GstRtcSessionDescription:
 * @type: the kind of description
 * @sdp: the SDP, owned by the description; %NULL only for a rollback
 *   built without one
 *
 * A W3C RTCSessionDescription: what `create-offer` and `create-answer`
 * reply with and what `set-local-description` and
 * `set-remote-description` take.
 */
typedef struct _GstRtcSessionDescription {
  GstRtcSDPType type;
  GstSDPMessage *sdp;
} GstRtcSessionDescription;

/**
 * GST_TYPE_RTC_SESSION_DESCRIPTION:
 *
 * The boxed #GType of #GstRtcSessionDescription.
 */
#define GST_TYPE_RTC_SESSION_DESCRIPTION \
  (gst_rtc_session_description_get_type ())

GST_RTC_API
GType gst_rtc_session_description_get_type (void);

GST_RTC_API
GstRtcSessionDescription *gst_rtc_session_description_new (GstRtcSDPType type,
    GstSDPMessage *sdp);

GST_RTC_API
GstRtcSessionDescription *gst_rtc_session_description_copy (
    const GstRtcSessionDescription *src);

GST_RTC_API
void gst_rtc_session_description_free (GstRtcSessionDescription *desc);

GST_RTC_API
const gchar *gst_rtc_sdp_type_to_string (GstRtcSDPType type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstRtcSessionDescription,
    gst_rtc_session_description_free)

G_END_DECLS
