/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcbin's data channels: one rtcsctpenc/rtcsctpdec pair on the DTLS
 * application-data path of the session's transport, made when the first
 * channel is asked for or the peer offers a data section; the channels
 * it carries, for on-data-channel, closing and get-stats.
 */
#pragma once

#include <gst/gst.h>
#include <gst/rtc/rtc.h>

#include "rtcjsep.h"

G_BEGIN_DECLS

typedef struct _RtcBinData RtcBinData;

/* Called for each channel the peer opens, from the transport's threads,
 * before the channel's on-open. */
typedef void (
    *RtcBinDataChannelFunc) (GstElement *bin, GstRtcDataChannel *channel);

RtcBinData *rtc_bin_data_new (GstElement *bin,
    RtcBinDataChannelFunc on_data_channel);
void rtc_bin_data_free (RtcBinData *data);

/* Any thread. */
GstRtcDataChannel *rtc_bin_data_create_channel (RtcBinData *data,
    const gchar *label, const GstStructure *options, GError **error);

/* Session thread: the negotiated data section @m, whose transport makes
 * us the DTLS client or not. */
gboolean rtc_bin_data_apply (RtcBinData *data, const RtcJsepMedia *m,
    gboolean dtls_client, GError **error);
/* Session thread, once the transport's elements are in the bin. */
gboolean rtc_bin_data_link (RtcBinData *data, GstElement *dtls_enc,
    GstElement *dtls_dec, GError **error);
/* Session thread: DTLS is connected, the association may start. */
void rtc_bin_data_start (RtcBinData *data);
/* Session thread or dispose: the association aborts (the peer is told),
 * every channel closes, no new one can be made. */
void rtc_bin_data_close (RtcBinData *data);

/* Adds a `data-channel` entry per channel to a get-stats @report and
 * fills the `peer-connection` entry's channel counts. */
void rtc_bin_data_add_stats (RtcBinData *data, GstStructure *report);

G_END_DECLS
