/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/rtc/rtc.h>

#include "rtcjsep.h"

G_BEGIN_DECLS

typedef struct _RtcBinMedia RtcBinMedia;

RtcBinMedia *rtc_bin_media_new (GstElement *bin, GstPadTemplate *src_template,
    guint latency);
void rtc_bin_media_free (RtcBinMedia *media);

void rtc_bin_media_set_latency (RtcBinMedia *media, guint latency);

/* Sending: request pads of the bundling funnel, one per sink pad. */
GstPad *rtc_bin_media_request_sink (RtcBinMedia *media, GstPad *ghost);
void rtc_bin_media_release_sink (RtcBinMedia *media, GstPad *target);

/* A negotiation: begin, one apply per accepted m-line, end. */
void rtc_bin_media_begin (RtcBinMedia *media);
void rtc_bin_media_apply (RtcBinMedia *media, GstRtcRtpTransceiver *trans,
    RtcJsepTransceiver *jt, const RtcJsepMedia *m);
void rtc_bin_media_end (RtcBinMedia *media);

/* A stopped transceiver sends nothing from now on. */
void rtc_bin_media_stop_sending (RtcBinMedia *media,
    GstRtcRtpTransceiver *trans);

/* The transport: rtpbin joins the bin between the DTLS elements. */
gboolean rtc_bin_media_link_transport (RtcBinMedia *media, GstElement *enc,
    GstElement *dec, GError **error);
gboolean rtc_bin_media_start_sending (RtcBinMedia *media, GError **error);

G_END_DECLS
