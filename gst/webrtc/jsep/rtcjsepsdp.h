/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "rtcjsep.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (rtc_jsep_debug);
#define GST_CAT_DEFAULT rtc_jsep_debug
void rtc_jsep_debug_init (void);

gpointer rtc_jsep_error (GError **error, GstRtcError code, const gchar *format,
    ...) G_GNUC_PRINTF (3, 4);

/* SDP reading and writing shared by the offer, answer, validation and
 * extraction code. */
gboolean rtc_jsep_parse_uint (const gchar *str, guint64 max, guint64 *out);
const gchar *rtc_jsep_media_get_attr (const GstSDPMessage *msg,
    const GstSDPMedia *media, const gchar *key);
gboolean rtc_jsep_media_has_attr (const GstSDPMedia *media, const gchar *key);
GstRtcRtpTransceiverDirection
rtc_jsep_media_get_direction (const GstSDPMessage *msg,
    const GstSDPMedia *media);
const gchar *rtc_jsep_direction_to_string (
    GstRtcRtpTransceiverDirection direction);
GstRtcKind rtc_jsep_kind_from_media (const GstSDPMedia *media);
gboolean rtc_jsep_media_is_data (const GstSDPMedia *media);
GPtrArray *rtc_jsep_get_bundle_groups (const GstSDPMessage *msg);
gint rtc_jsep_find_mid (const GstSDPMessage *msg, const gchar *mid);
gint rtc_jsep_bundle_group_of (GPtrArray *groups, const gchar *mid);
gboolean rtc_jsep_media_is_rejected (const GstSDPMessage *msg, guint idx);
void rtc_jsep_add_transport_attrs (GstSDPMedia *media,
    const RtcJsepSession *session, const gchar *setup);
GstSDPMessage *rtc_jsep_new_message (RtcJsepSession *session);
void rtc_jsep_write_rtp_media (GstSDPMedia *media,
    const RtcJsepSession *session, const RtcJsepTransceiver *trans,
    GPtrArray *codecs, GPtrArray *extmaps,
    GstRtcRtpTransceiverDirection direction, const gchar *setup,
    gboolean rtcp_rsize);
void rtc_jsep_write_data_media (GstSDPMedia *media,
    const RtcJsepSession *session, const gchar *setup);

G_END_DECLS
