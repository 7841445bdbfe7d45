/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * Whether the session needs an offer/answer exchange (W3C webrtc-pc
 * "check if negotiation is needed"): a transceiver that has no m-line in
 * the current local description, or whose wanted direction is not the
 * one that description gives, a stopped transceiver whose m-line that
 * description still accepts, or a data channel with no section yet.
 */
#include "rtcjsepsdp.h"

static gboolean
sends (GstRtcRtpTransceiverDirection d)
{
  return d == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
      || d == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY;
}

static gboolean
receives (GstRtcRtpTransceiverDirection d)
{
  return d == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
      || d == GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
}

/* What an answerer wanting @wanted answers to an m-line offered @offered
 * (RFC 3264 6.1). */
static GstRtcRtpTransceiverDirection
answered (GstRtcRtpTransceiverDirection wanted,
    GstRtcRtpTransceiverDirection offered)
{
  gboolean send = sends (wanted) && receives (offered);
  gboolean recv = receives (wanted) && sends (offered);

  if (send && recv)
    return GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;
  if (send)
    return GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY;
  if (recv)
    return GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
  return GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE;
}

/**
 * rtc_jsep_negotiation_needed:
 * @session: the session
 * @local: (nullable): the current local description, %NULL before the
 *   first completed exchange
 * @local_is_offer: whether @local was our offer (else our answer)
 * @remote: (nullable): the current remote description
 *
 * Only meaningful in signaling state stable, with @local and @remote the
 * descriptions of the last completed exchange.
 *
 * Returns: whether a new exchange is needed
 */
gboolean
rtc_jsep_negotiation_needed (const RtcJsepSession *session,
    const GstSDPMessage *local, gboolean local_is_offer,
    const GstSDPMessage *remote)
{
  guint i;

  for (i = 0; i < session->transceivers->len; i++) {
    const RtcJsepTransceiver *t = g_ptr_array_index (session->transceivers, i);
    GstRtcRtpTransceiverDirection have, want;
    gint idx;

    if (t->stopped) {
      /* Stopping until a description rejects its m-line (W3C: [[Stopping]]
       * and not [[Stopped]]); never placed or recycled since, nothing. */
      if (local && t->mid && (idx = rtc_jsep_find_mid (local, t->mid)) >= 0
          && !rtc_jsep_media_is_rejected (local, idx))
        return TRUE;
      continue;
    }
    if (!local || !t->mid || (idx = rtc_jsep_find_mid (local, t->mid)) < 0)
      return TRUE;
    if (rtc_jsep_media_is_rejected (local, idx))
      continue;
    have = rtc_jsep_media_get_direction (local,
        gst_sdp_message_get_media (local, idx));
    want = t->direction;
    if (!local_is_offer && remote) {
      gint ridx = rtc_jsep_find_mid (remote, t->mid);

      if (ridx >= 0)
        want = answered (want,
            rtc_jsep_media_get_direction (remote,
                gst_sdp_message_get_media (remote, ridx)));
    }
    if (have != want)
      return TRUE;
  }
  if (session->data_channel
      && (!local || !session->data_mid
          || rtc_jsep_find_mid (local, session->data_mid) < 0))
    return TRUE;
  return FALSE;
}
