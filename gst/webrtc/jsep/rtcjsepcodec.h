/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "rtcjsep.h"

G_BEGIN_DECLS

/* RTCP feedback a codec may carry (RFC 4585, RFC 5104, the webrtc.org
 * transport-cc and REMB drafts). */
typedef enum {
  RTC_JSEP_FB_NACK = 1 << 0,
  RTC_JSEP_FB_NACK_PLI = 1 << 1,
  RTC_JSEP_FB_CCM_FIR = 1 << 2,
  RTC_JSEP_FB_TRANSPORT_CC = 1 << 3,
  RTC_JSEP_FB_GOOG_REMB = 1 << 4,
} RtcJsepFeedback;

#define RTC_JSEP_FB_ALL 0x1f

/* One codec configuration: a payload type's rtpmap, fmtp and rtcp-fb,
 * with the payload type of its RTX stream. */
typedef struct {
  gint pt;
  gchar *name;
  guint clock_rate;
  guint channels;
  GstStructure *fmtp;
  guint feedback;
  gint rtx_pt;
} RtcJsepCodec;

void rtc_jsep_codec_free (RtcJsepCodec *codec);
RtcJsepCodec *rtc_jsep_codec_copy (const RtcJsepCodec *codec);
GPtrArray *rtc_jsep_codecs_from_caps (const GstCaps *caps, GstRtcKind kind,
    GError **error);
GPtrArray *rtc_jsep_codecs_from_media (const GstSDPMedia *media,
    GError **error);
const gchar *rtc_jsep_codec_get_fmtp (const RtcJsepCodec *codec,
    const gchar *name);
gboolean rtc_jsep_codec_same_config (const RtcJsepCodec *a,
    const RtcJsepCodec *b);
RtcJsepCodec *rtc_jsep_codec_match (const RtcJsepCodec *local,
    const RtcJsepCodec *remote);
void rtc_jsep_codec_add_to_media (const RtcJsepCodec *codec,
    GstSDPMedia *media);
GstStructure *rtc_jsep_codec_to_structure (const RtcJsepCodec *codec,
    const gchar *media);

/* A header extension asked for in codec caps (`extmap-N` fields, as
 * webrtcbin's codec preferences take them). */
typedef struct {
  guint id;
  gchar *uri;
} RtcJsepExtmap;

GPtrArray *rtc_jsep_caps_extmaps (const GstCaps *caps);

/* H.264 profiles as RFC 6184 profile-level-id identifies them. */
typedef enum {
  RTC_JSEP_H264_CONSTRAINED_BASELINE,
  RTC_JSEP_H264_BASELINE,
  RTC_JSEP_H264_MAIN,
  RTC_JSEP_H264_CONSTRAINED_HIGH,
  RTC_JSEP_H264_HIGH,
  RTC_JSEP_H264_PREDICTIVE_HIGH_444,
} RtcJsepH264Profile;

gboolean rtc_jsep_h264_parse_profile_level_id (const gchar *str,
    RtcJsepH264Profile *profile, guint *level_idc, gboolean *level_1b);
gboolean rtc_jsep_h264_match (const RtcJsepCodec *local,
    const RtcJsepCodec *remote, RtcJsepCodec *answer);

/* Payload type allocation over a whole description: a configuration
 * keeps one PT across m-lines (bundled m-lines may then share it, RFC
 * 8843 section 9.1) and distinct configurations never share one. */
typedef struct {
  const RtcJsepCodec *owner[128];
} RtcJsepPtAllocator;

gint rtc_jsep_pt_allocate (RtcJsepPtAllocator *alloc, const RtcJsepCodec *codec,
    gint preferred);

G_END_DECLS
