/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/*
 * The options structures of create-offer and create-answer, read as
 * webrtcbin reads them.
 */
typedef struct {
  gboolean ice_restart;
} RtcBinOfferOptions;

gboolean rtc_bin_offer_options_parse (const GstStructure *options,
    RtcBinOfferOptions *out, GError **error);
gboolean rtc_bin_answer_options_parse (const GstStructure *options,
    GError **error);

G_END_DECLS
