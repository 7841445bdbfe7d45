/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sdp/sdp.h>

G_BEGIN_DECLS

/* Gathered candidates and the end of gathering, written into a local
 * description as JSEP 5.2.1 / 5.3.1 and W3C setLocalDescription want. */
void rtc_bin_sdp_add_candidate (GstSDPMessage *sdp, guint mline,
    const gchar *candidate);
void rtc_bin_sdp_add_end_of_candidates (GstSDPMessage *sdp, guint mline);
gchar *rtc_bin_sdp_nothing_accepted (const GstSDPMessage *offer,
    const GstSDPMessage *answer);
const gchar *rtc_bin_sdp_ice_ufrag (const GstSDPMessage *sdp);

G_END_DECLS
