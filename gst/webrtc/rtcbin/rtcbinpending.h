/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Default of rtcbin's `caps-timeout`, in milliseconds. */
#define RTC_BIN_DEFAULT_CAPS_TIMEOUT 5000

GstCaps *rtc_bin_pending_codec_from_peer (GstPad *sinkpad);

G_END_DECLS
