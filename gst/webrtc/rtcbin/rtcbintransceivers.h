/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/rtc/rtc.h>

#include "rtcjsep.h"

G_BEGIN_DECLS

/* The JSEP model of an rtcbin transceiver, NULL until first synced. */
RtcJsepTransceiver *rtc_bin_transceiver_jsep (GstRtcRtpTransceiver *trans);

/* Whether a new sink pad of @kind may bind to @trans. */
gboolean rtc_bin_transceiver_is_free_sender (GstRtcRtpTransceiver *trans,
    GstRtcKind kind);

/* Copies the application's wishes into the model: direction, codec
 * preferences, stop. */
void rtc_bin_transceiver_sync (GstRtcRtpTransceiver *trans,
    RtcJsepTransceiver *jt);

/* After an exchange: the transceivers whose m-line @neg rejects are
 * stopped (stopped ones, and those the answer refused); returns them
 * (owned), for gst_rtc_rtp_transceiver_set_stopped() outside the
 * element's lock. */
GPtrArray *rtc_bin_transceivers_stop_rejected (GPtrArray *transceivers,
    const RtcJsepNegotiation *neg);

G_END_DECLS
