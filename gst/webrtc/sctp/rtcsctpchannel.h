/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The data channel of an RtcSctpAssociation: a GstRtcDataChannel whose
 * sends go to the association. Its fields belong to the association and
 * are guarded by the association's lock.
 */
#pragma once

#include <gst/rtc/rtc.h>

G_BEGIN_DECLS

#define RTC_TYPE_SCTP_CHANNEL (rtc_sctp_channel_get_type ())
G_DECLARE_FINAL_TYPE (RtcSctpChannel, rtc_sctp_channel, RTC, SCTP_CHANNEL,
    GstRtcDataChannel)

typedef struct {
  GBytes *data;
  guint32 ppid;
  gsize size; /* counted in buffered-amount; 0 for DCEP */
} RtcSctpPending;

struct _RtcSctpChannel {
  GstRtcDataChannel parent;

  GWeakRef assoc;

  /* Association lock. */
  guint16 sid;
  gboolean ordered, negotiated;
  gint max_retransmits, max_packet_lifetime;
  gboolean open_sent; /* in-band opener: DATA_CHANNEL_OPEN queued */
  gboolean acked; /* DCEP done: messages may go unordered */
  gboolean scheduled; /* in the association's ready queue (a ref) */
  gboolean sending; /* a message of it is being handed over */
  gboolean closing; /* close asked: reset once the queue is empty */
  gboolean reset_requested; /* outgoing reset asked of usrsctp */
  gboolean outgoing_reset, incoming_reset;
  GQueue pending; /* RtcSctpPending */
  /* Messages handed to SCTP and delivered, for statistics. */
  guint64 messages_sent, bytes_sent, messages_received, bytes_received;
};

/* A channel's message counters (W3C RTCDataChannelStats). */
typedef struct {
  guint64 messages_sent, bytes_sent, messages_received, bytes_received;
} RtcSctpChannelCounters;

RtcSctpChannel *rtc_sctp_channel_new (gpointer assoc, const gchar *label,
    const gchar *protocol, gboolean ordered, gint max_retransmits,
    gint max_packet_lifetime, gboolean negotiated, gint id,
    GstRtcPriorityType priority);

void rtc_sctp_pending_free (RtcSctpPending *pending);

void rtc_sctp_channel_get_counters (RtcSctpChannel *channel,
    RtcSctpChannelCounters *counters);

G_END_DECLS
