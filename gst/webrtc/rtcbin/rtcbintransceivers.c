/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcbin's transceivers against the JSEP model across renegotiations:
 * which ones a sink pad may take, what the model learns from them
 * (direction, codec preferences, gst_rtc_rtp_transceiver_stop()), and
 * which ones an exchange
 * leaves stopped (W3C RTCRtpTransceiver.stop(): stopping at once, stopped
 * once a description rejected the m-line, whoever stopped it).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "rtcbintransceivers.h"

RtcJsepTransceiver *
rtc_bin_transceiver_jsep (GstRtcRtpTransceiver *trans)
{
  return g_object_get_data (G_OBJECT (trans), "rtcbin-jsep");
}

gboolean
rtc_bin_transceiver_is_free_sender (GstRtcRtpTransceiver *trans,
    GstRtcKind kind)
{
  GstRtcRtpTransceiverDirection dir = gst_rtc_rtp_transceiver_get_direction (
      trans);
  RtcJsepTransceiver *jt = rtc_bin_transceiver_jsep (trans);

  return gst_rtc_rtp_transceiver_get_kind (trans) == kind
      && (dir == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
          || dir == GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY)
      && !gst_rtc_rtp_transceiver_is_stopping (trans) && !(jt && jt->stopped)
      && !g_object_get_data (G_OBJECT (trans), "rtcbin-sinkpad");
}

void
rtc_bin_transceiver_sync (GstRtcRtpTransceiver *trans, RtcJsepTransceiver *jt)
{
  GstCaps *prefs = gst_rtc_rtp_transceiver_get_codec_preferences (trans);

  jt->direction = gst_rtc_rtp_transceiver_get_direction (trans);
  /* New codec preferences go into the next offer or answer (W3C
   * setCodecPreferences(): no negotiation-needed of their own). */
  if (prefs && prefs != jt->codecs)
    gst_caps_replace (&jt->codecs, prefs);
  gst_clear_caps (&prefs);
  /* The model's stop is final, whichever side decided it. */
  if (gst_rtc_rtp_transceiver_is_stopping (trans))
    jt->stopped = TRUE;
}

GPtrArray *
rtc_bin_transceivers_stop_rejected (GPtrArray *transceivers,
    const RtcJsepNegotiation *neg)
{
  GPtrArray *stopped = g_ptr_array_new_with_free_func (gst_object_unref);
  guint i;

  for (i = 0; i < transceivers->len; i++) {
    GstRtcRtpTransceiver *trans = g_ptr_array_index (transceivers, i);
    RtcJsepTransceiver *jt = rtc_bin_transceiver_jsep (trans);
    const RtcJsepMedia *m = NULL;

    if (!jt || gst_rtc_rtp_transceiver_is_stopped (trans))
      continue;
    if (jt->mline >= 0 && (guint)jt->mline < neg->media->len)
      m = g_ptr_array_index (neg->media, jt->mline);
    /* An m-line the answer rejected stops its transceiver too (W3C
     * setRemoteDescription of an answer). */
    if (m && m->rejected && !m->is_data)
      jt->stopped = TRUE;
    /* Stopped and either rejected now or recycled by another one. */
    if (jt->stopped && (!m || m->rejected))
      g_ptr_array_add (stopped, gst_object_ref (trans));
  }
  return stopped;
}
