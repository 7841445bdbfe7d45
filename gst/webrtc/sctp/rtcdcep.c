/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "rtcdcep.h"

#include <string.h>

/* RFC 8832 section 8.2.2: channel types; bit 7 is "unordered". */
#define CHANNEL_RELIABLE 0x00
#define CHANNEL_PARTIAL_RELIABLE_REXMIT 0x01
#define CHANNEL_PARTIAL_RELIABLE_TIMED 0x02
#define CHANNEL_UNORDERED 0x80

#define OPEN_HEADER_SIZE 12

void
rtc_dcep_open_clear (RtcDcepOpen *open)
{
  g_clear_pointer (&open->label, g_free);
  g_clear_pointer (&open->protocol, g_free);
}

gboolean
rtc_dcep_parse_open (const guint8 *data, gsize len, RtcDcepOpen *open,
    GError **error)
{
  guint8 type;
  guint32 reliability;
  guint16 label_len, protocol_len;
  const gchar *label, *protocol;

  memset (open, 0, sizeof (*open));
  if (len < OPEN_HEADER_SIZE || data[0] != RTC_DCEP_DATA_CHANNEL_OPEN) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_DATA_CHANNEL_FAILURE,
        "DCEP open: %" G_GSIZE_FORMAT " bytes, not an open message", len);
    return FALSE;
  }
  type = data[1];
  reliability = GST_READ_UINT32_BE (data + 4);
  label_len = GST_READ_UINT16_BE (data + 8);
  protocol_len = GST_READ_UINT16_BE (data + 10);
  if (len != (gsize)OPEN_HEADER_SIZE + label_len + protocol_len) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_DATA_CHANNEL_FAILURE,
        "DCEP open: length %" G_GSIZE_FORMAT
        " does not match label (%u) and protocol (%u) lengths",
        len, label_len, protocol_len);
    return FALSE;
  }
  label = (const gchar *)data + OPEN_HEADER_SIZE;
  protocol = label + label_len;
  if (!g_utf8_validate_len (label, label_len, NULL)
      || !g_utf8_validate_len (protocol, protocol_len, NULL)) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_DATA_CHANNEL_FAILURE,
        "DCEP open: label or protocol is not UTF-8");
    return FALSE;
  }

  open->ordered = !(type & CHANNEL_UNORDERED);
  open->max_retransmits = -1;
  open->max_packet_lifetime = -1;
  switch (type & ~CHANNEL_UNORDERED) {
    case CHANNEL_RELIABLE:
      break;
    case CHANNEL_PARTIAL_RELIABLE_REXMIT:
      open->max_retransmits = MIN (reliability, 65535);
      break;
    case CHANNEL_PARTIAL_RELIABLE_TIMED:
      open->max_packet_lifetime = MIN (reliability, 65535);
      break;
    default:
      g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_DATA_CHANNEL_FAILURE,
          "DCEP open: unknown channel type 0x%02x", type);
      return FALSE;
  }
  open->priority = GST_READ_UINT16_BE (data + 2);
  open->label = g_strndup (label, label_len);
  open->protocol = g_strndup (protocol, protocol_len);
  return TRUE;
}

gboolean
rtc_dcep_is_ack (const guint8 *data, gsize len)
{
  return len == 1 && data[0] == RTC_DCEP_DATA_CHANNEL_ACK;
}

GBytes *
rtc_dcep_build_open (const RtcDcepOpen *open)
{
  gsize label_len = open->label ? strlen (open->label) : 0;
  gsize protocol_len = open->protocol ? strlen (open->protocol) : 0;
  guint8 *msg;
  guint8 type = open->ordered ? 0 : CHANNEL_UNORDERED;
  guint32 reliability = 0;

  g_return_val_if_fail (label_len <= G_MAXUINT16, NULL);
  g_return_val_if_fail (protocol_len <= G_MAXUINT16, NULL);

  if (open->max_retransmits >= 0) {
    type |= CHANNEL_PARTIAL_RELIABLE_REXMIT;
    reliability = open->max_retransmits;
  } else if (open->max_packet_lifetime >= 0) {
    type |= CHANNEL_PARTIAL_RELIABLE_TIMED;
    reliability = open->max_packet_lifetime;
  }

  msg = g_malloc (OPEN_HEADER_SIZE + label_len + protocol_len);
  msg[0] = RTC_DCEP_DATA_CHANNEL_OPEN;
  msg[1] = type;
  GST_WRITE_UINT16_BE (msg + 2, open->priority);
  GST_WRITE_UINT32_BE (msg + 4, reliability);
  GST_WRITE_UINT16_BE (msg + 8, label_len);
  GST_WRITE_UINT16_BE (msg + 10, protocol_len);
  if (label_len)
    memcpy (msg + OPEN_HEADER_SIZE, open->label, label_len);
  if (protocol_len)
    memcpy (msg + OPEN_HEADER_SIZE + label_len, open->protocol, protocol_len);
  return g_bytes_new_take (msg, OPEN_HEADER_SIZE + label_len + protocol_len);
}

/* RFC 8831 6.4 (after RFC 8837): below normal 128, normal 256, high 512,
 * extra high 1024. */
guint16
rtc_dcep_priority_to_wire (GstRtcPriorityType priority)
{
  switch (priority) {
    case GST_RTC_PRIORITY_TYPE_VERY_LOW:
      return 128;
    case GST_RTC_PRIORITY_TYPE_MEDIUM:
      return 512;
    case GST_RTC_PRIORITY_TYPE_HIGH:
      return 1024;
    case GST_RTC_PRIORITY_TYPE_LOW:
    default:
      return 256;
  }
}

GstRtcPriorityType
rtc_dcep_priority_from_wire (guint16 priority)
{
  if (priority <= 128)
    return GST_RTC_PRIORITY_TYPE_VERY_LOW;
  if (priority <= 256)
    return GST_RTC_PRIORITY_TYPE_LOW;
  if (priority <= 512)
    return GST_RTC_PRIORITY_TYPE_MEDIUM;
  return GST_RTC_PRIORITY_TYPE_HIGH;
}
