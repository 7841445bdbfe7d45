/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RtcPacketKind:
 * @RTC_PACKET_INVALID: too short for its kind, or a first byte no protocol
 *   on a WebRTC transport uses
 *
 * What arrives on a WebRTC 5-tuple, told apart by RFC 7983's first-byte
 * ranges and, for RTP against RTCP, by RFC 5761's payload type rule.
 */
typedef enum {
  RTC_PACKET_INVALID,
  RTC_PACKET_STUN,
  RTC_PACKET_ZRTP,
  RTC_PACKET_DTLS,
  RTC_PACKET_TURN_CHANNEL,
  RTC_PACKET_RTP,
  RTC_PACKET_RTCP,
} RtcPacketKind;

/* Smallest well-formed packet of each kind: a DTLS record header, an RTP
 * fixed header, an RTCP common header plus sender SSRC. */
#define RTC_DTLS_RECORD_HEADER_LEN 13
#define RTC_RTP_HEADER_LEN 12
#define RTC_RTCP_HEADER_LEN 8

RtcPacketKind rtc_packet_classify (const guint8 *data, gsize len);
const gchar *rtc_packet_kind_name (RtcPacketKind kind);

G_END_DECLS
