/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/rtc/rtc.h>

#include "rtcicecandidate.h"
#include "rtcicetransport.h"

G_BEGIN_DECLS

/*
 * rtcbin's `get-stats`: the W3C webrtc-stats report as webrtcbin lays it
 * out (one GstStructure whose fields are the stats entries, each a
 * GstStructure named by its type, with `id`, `type` and `timestamp`).
 *
 * RtcBinReports keeps what the peer's RTCP reports said about each SSRC
 * (rtpbin keeps only the last report block per sender, so a peer
 * reporting on our audio and video SSRCs in one packet would hide one);
 * rtc_bin_stats_build() makes the report from collected inputs without
 * pads; rtc_bin_stats_collect() collects them from a running rtcbin.
 */
typedef struct _RtcBinReports RtcBinReports;

RtcBinReports *rtc_bin_reports_new (void);
void rtc_bin_reports_free (RtcBinReports *reports);
void rtc_bin_reports_process (RtcBinReports *reports, GstBuffer *rtcp,
    gint64 now_real_us);
void rtc_bin_reports_attach (RtcBinReports *reports, GstElement *rtpbin);

/* One RTP stream (an SSRC) of the report. */
typedef struct {
  guint32 ssrc;
  gboolean outbound;
  guint pt;
  const gchar *mid; /* nullable */
  const gchar *kind; /* "audio", "video" or NULL */
  const GstCaps *codec; /* the payload type's caps, nullable */
  const GstStructure *source; /* rtpbin's RTPSource stats, nullable */
  const GstStructure *jitterbuffer; /* rtpjitterbuffer stats, nullable */
  guint32 rtx_ssrc; /* outbound: 0 without RTX */
  const GstStructure *rtx_source; /* outbound: the RTX SSRC's, nullable */
} RtcBinStatsStream;

typedef struct {
  gdouble timestamp; /* ms since the Unix epoch */
  /* All below is unset before the first negotiation. */
  gboolean has_transport;
  const GstStructure *ice; /* rtc_ice_transport_get_stats () */
  const RtcIceCandidate *local_candidate, *remote_candidate;
  gboolean ice_controlling;
  const gchar *ice_local_ufrag;
  GstRtcIceConnectionState ice_state;
  GstRtcDtlsTransportState dtls_state;
  const gchar *dtls_role; /* "client", "server" */
  const gchar *local_pem, *remote_pem;
  const gchar *dtls_cipher, *tls_version, *srtp_cipher;
  const RtcBinStatsStream *streams;
  guint n_streams;
  RtcBinReports *reports; /* nullable */
} RtcBinStatsInput;

GstStructure *rtc_bin_stats_build (const RtcBinStatsInput *in);

/* What rtc_bin_stats_collect() reads from a running rtcbin. */
typedef struct {
  GstElement *bin;
  RtcIceTransport *ice; /* NULL before the session exists */
  GstElement *dtls_enc, *dtls_dec;
  gboolean transport_linked;
  GstRtcIceConnectionState ice_state;
  GstRtcDtlsTransportState dtls_state;
  RtcBinReports *reports;
  GstPad *filter; /* nullable: only this pad's streams */
} RtcBinStatsSources;

GstStructure *rtc_bin_stats_collect (const RtcBinStatsSources *src);

G_END_DECLS
