/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/*
 * The generic NACKs (RFC 4585 6.2.1) rtcbin asks the peer's senders for,
 * written by rtcbin instead of rtpbin's session.
 *
 * GStreamer's RTPSession (1.22 and later) keeps the NACKs its jitter
 * buffers request on each source, and after each RTCP round walks its
 * SSRC table to schedule the ones still pending; for each such source it
 * drops the session lock in the middle of that walk. An SSRC added then
 * (the first packet of a new remote stream, of an RTX stream answering
 * our NACKs, or of a new RTCP sender) changes the table under the walk:
 * GLib logs "g_hash_table_foreach: assertion 'version ==
 * hash_table->version' failed", fatal under G_DEBUG=fatal-criticals and
 * in GstCheck. The session never holds a NACK of ours, so it never
 * takes that path: the retransmission requests are taken off before the
 * session sees them, kept here, and written into the session's own RTCP
 * packets (on-sending-rtcp) after asking it for an early one (send-rtcp),
 * the same RFC 4585 timing rtpbin uses for its own.
 */
typedef struct _RtcBinNack RtcBinNack;

RtcBinNack *rtc_bin_nack_new (void);
void rtc_bin_nack_free (RtcBinNack *nack);
void rtc_bin_nack_attach (RtcBinNack *nack, GstElement *rtpbin);

void rtc_bin_nack_request (RtcBinNack *nack, guint32 ssrc, guint16 seqnum,
    gint64 deadline_us);
gboolean rtc_bin_nack_write (RtcBinNack *nack, GstBuffer *rtcp,
    guint32 fallback_sender, gint64 now_us);
guint rtc_bin_nack_sent (RtcBinNack *nack, guint32 ssrc);

G_END_DECLS
