/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "rtcdtlsconnection.h"
#include "rtcsrtp.h"

G_BEGIN_DECLS

/* Packet counters of one element, read as its "stats" property. */
typedef struct {
  guint64 rtp_packets;
  guint64 rtcp_packets;
  guint64 dtls_packets;
  guint64 data_packets;
  guint64 data_bytes;
  guint64 dropped_not_ready; /* SRTP before keys, DTLS before start */
  guint64 dropped_invalid; /* garbage, truncated, unknown first byte */
  guint64 dropped_replay;
  guint64 dropped_auth; /* wrong key or corrupted */
  guint64 dropped_error; /* anything else SRTP or DTLS refused */
} RtcDtlsSrtpStats;

#define RTC_DTLS_SRTP_STATS_ADD(field, n) \
  __atomic_fetch_add (&(field), (n), __ATOMIC_RELAXED)
#define RTC_DTLS_SRTP_STATS_INC(field) RTC_DTLS_SRTP_STATS_ADD (field, 1)

/* What rtcdtlssrtpenc and rtcdtlssrtpdec share: the connection they pair
 * through, the SRTP session their streaming threads use, manual keying,
 * and their counters. */
typedef struct {
  GstElement *element;
  gboolean outbound;
  void (*keys_ready) (GstElement *element);

  GMutex lock;
  gchar *connection_id;
  RtcDtlsConnection *conn;
  gulong notify_id;
  /* The connection's state as this element has acted on it: "connected"
   * only once its SRTP session is installed (atomic). */
  gint state;
  /* Streaming threads read srtp without a lock; a replaced session is
   * kept in retired until the element stops, so it is never freed while a
   * thread may still hold it. */
  RtcSrtpSession *srtp;
  GSList *retired;

  GstBuffer *key;
  gchar *srtp_cipher, *srtp_auth, *srtcp_cipher, *srtcp_auth;

  RtcDtlsSrtpStats stats;
} RtcDtlsSrtpCommon;

enum {
  RTC_DTLS_SRTP_PROP_CONNECTION_ID = 1,
  RTC_DTLS_SRTP_PROP_CONNECTION_STATE,
  RTC_DTLS_SRTP_PROP_KEY,
  RTC_DTLS_SRTP_PROP_SRTP_CIPHER,
  RTC_DTLS_SRTP_PROP_SRTP_AUTH,
  RTC_DTLS_SRTP_PROP_SRTCP_CIPHER,
  RTC_DTLS_SRTP_PROP_SRTCP_AUTH,
  RTC_DTLS_SRTP_PROP_STATS,
  RTC_DTLS_SRTP_PROP_LAST
};

void rtc_dtls_srtp_common_install_properties (GObjectClass *klass);
void rtc_dtls_srtp_common_init (RtcDtlsSrtpCommon *common, GstElement *element,
    gboolean outbound);
void rtc_dtls_srtp_common_finalize (RtcDtlsSrtpCommon *common);
gboolean rtc_dtls_srtp_common_set_property (RtcDtlsSrtpCommon *common,
    guint prop_id, const GValue *value);
gboolean rtc_dtls_srtp_common_get_property (RtcDtlsSrtpCommon *common,
    guint prop_id, GValue *value);

RtcDtlsConnection *rtc_dtls_srtp_common_ref_connection (
    RtcDtlsSrtpCommon *common);
gboolean rtc_dtls_srtp_common_prepare (RtcDtlsSrtpCommon *common,
    gboolean *manual);
void rtc_dtls_srtp_common_stop (RtcDtlsSrtpCommon *common);
void rtc_dtls_srtp_store_output_events (GstPad *pad, const gchar *stream_id);

static inline RtcSrtpSession *
rtc_dtls_srtp_common_get_srtp (RtcDtlsSrtpCommon *common)
{
  return g_atomic_pointer_get (&common->srtp);
}

G_END_DECLS
