/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/rtc/rtc.h>

#include "rtcjsep.h"

G_BEGIN_DECLS

/*
 * What a rollback (JSEP 4.1.10.2, W3C "rollback") returns to: the
 * placement (mid, m-line) of every transceiver and of the data section as
 * they were when the session last became stable, and the transceivers a
 * pending remote offer brought. Session thread only.
 *
 * Transceivers are rtcbin's #GstRtcRtpTransceiver objects; their JSEP
 * twin is the "rtcbin-jsep" object data, and a sink pad bound to one is
 * its "rtcbin-sinkpad" data (gstrtcbin.c).
 */
typedef struct _RtcBinRollback RtcBinRollback;

RtcBinRollback *rtc_bin_rollback_new (void);
void rtc_bin_rollback_free (RtcBinRollback *rb);

void rtc_bin_rollback_save (RtcBinRollback *rb, const RtcJsepSession *jsep,
    GPtrArray *transceivers);
void rtc_bin_rollback_note_created (RtcBinRollback *rb,
    GstRtcRtpTransceiver *trans);
GPtrArray *rtc_bin_rollback_restore (RtcBinRollback *rb, RtcJsepSession *jsep,
    GPtrArray *transceivers);

G_END_DECLS
