/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * DCEP, the Data Channel Establishment Protocol (RFC 8832): the
 * DATA_CHANNEL_OPEN and DATA_CHANNEL_ACK messages, and the RFC 8831
 * payload protocol identifiers. Pure functions, no I/O.
 */
#pragma once

#include <glib.h>
#include <gst/rtc/rtc.h>

G_BEGIN_DECLS

/* SCTP payload protocol identifiers (RFC 8831 section 8, RFC 8832). */
#define RTC_SCTP_PPID_DCEP 50
#define RTC_SCTP_PPID_STRING 51
#define RTC_SCTP_PPID_BINARY_PARTIAL 52 /* deprecated */
#define RTC_SCTP_PPID_BINARY 53
#define RTC_SCTP_PPID_STRING_PARTIAL 54 /* deprecated */
#define RTC_SCTP_PPID_STRING_EMPTY 56
#define RTC_SCTP_PPID_BINARY_EMPTY 57

#define RTC_DCEP_DATA_CHANNEL_ACK 0x02
#define RTC_DCEP_DATA_CHANNEL_OPEN 0x03

typedef struct {
  gboolean ordered;
  /* -1 when not partially reliable that way. */
  gint max_retransmits;
  gint max_packet_lifetime;
  guint16 priority; /* RFC 8831 6.4 wire value */
  gchar *label;
  gchar *protocol;
} RtcDcepOpen;

void rtc_dcep_open_clear (RtcDcepOpen *open);

/* Parses a DATA_CHANNEL_OPEN strictly: exact length, a known channel
 * type, UTF-8 label and protocol. */
gboolean rtc_dcep_parse_open (const guint8 *data, gsize len, RtcDcepOpen *open,
    GError **error);

/* TRUE if @data is exactly a DATA_CHANNEL_ACK. */
gboolean rtc_dcep_is_ack (const guint8 *data, gsize len);

GBytes *rtc_dcep_build_open (const RtcDcepOpen *open);

guint16 rtc_dcep_priority_to_wire (GstRtcPriorityType priority);
GstRtcPriorityType rtc_dcep_priority_from_wire (guint16 priority);

G_END_DECLS
