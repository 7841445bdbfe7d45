/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "rtcpacketdemux.h"

/* RFC 5761 section 4: RTCP packet types 192-223 fill the second byte, a
 * range RTP payload types (with the marker bit) must avoid under rtcp-mux. */
static gboolean
is_rtcp_packet_type (guint8 second_byte)
{
  return second_byte >= 192 && second_byte <= 223;
}

RtcPacketKind
rtc_packet_classify (const guint8 *data, gsize len)
{
  guint8 b;

  if (len == 0)
    return RTC_PACKET_INVALID;
  b = data[0];
  if (b <= 3)
    return len >= 20 ? RTC_PACKET_STUN : RTC_PACKET_INVALID;
  if (b >= 16 && b <= 19)
    return RTC_PACKET_ZRTP;
  if (b >= 20 && b <= 63)
    return len >= RTC_DTLS_RECORD_HEADER_LEN ? RTC_PACKET_DTLS
                                             : RTC_PACKET_INVALID;
  if (b >= 64 && b <= 79)
    return len >= 4 ? RTC_PACKET_TURN_CHANNEL : RTC_PACKET_INVALID;
  if (b >= 128 && b <= 191) {
    if (len >= RTC_RTCP_HEADER_LEN && is_rtcp_packet_type (data[1]))
      return RTC_PACKET_RTCP;
    return len >= RTC_RTP_HEADER_LEN ? RTC_PACKET_RTP : RTC_PACKET_INVALID;
  }
  return RTC_PACKET_INVALID;
}

const gchar *
rtc_packet_kind_name (RtcPacketKind kind)
{
  static const gchar *names[] = { "invalid", "stun", "zrtp", "dtls",
    "turn-channel", "rtp", "rtcp" };

  return kind < G_N_ELEMENTS (names) ? names[kind] : "invalid";
}
