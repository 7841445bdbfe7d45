/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * The local session model (transceivers, ICE credentials, fingerprint,
 * bundle policy, data section) and the negotiation result, with their
 * constructors and destructors.
 */
#include "rtcjsepsdp.h"

static void
transceiver_free (RtcJsepTransceiver *trans)
{
  g_free (trans->mid);
  gst_clear_caps (&trans->codecs);
  g_free (trans->msid_stream);
  g_free (trans->msid_track);
  g_free (trans);
}

/*
 * rtc_jsep_session_new:
 * @fingerprint: the local certificate's fingerprint, `sha-256 AB:…`
 *
 * Returns: a session with no transceiver, balanced bundle policy, no data
 * section and a random session id and CNAME.
 */
RtcJsepSession *
rtc_jsep_session_new (const gchar *ice_ufrag, const gchar *ice_pwd,
    const gchar *fingerprint)
{
  RtcJsepSession *session = g_new0 (RtcJsepSession, 1);

  rtc_jsep_debug_init ();
  session->transceivers = g_ptr_array_new_with_free_func (
      (GDestroyNotify)transceiver_free);
  session->ice_ufrag = g_strdup (ice_ufrag);
  session->ice_pwd = g_strdup (ice_pwd);
  session->fingerprint = g_strdup (fingerprint);
  session->bundle_policy = GST_RTC_BUNDLE_POLICY_BALANCED;
  session->data_mline = -1;
  session->sctp_port = RTC_JSEP_DEFAULT_SCTP_PORT;
  session->max_message_size = RTC_JSEP_DEFAULT_MAX_MESSAGE_SIZE;
  /* RFC 3264 5: the id needs no more than 62 bits, so that +1 never
   * overflows the 63 bits some parsers allow. */
  session->session_id = ((guint64)g_random_int () << 30) ^ g_random_int ();
  session->session_id &= G_GUINT64_CONSTANT (0x3fffffffffffffff);
  session->session_version = 1;
  session->cname = g_strdup_printf ("%08x%08x", g_random_int (),
      g_random_int ());
  session->answer_setup = GST_RTC_DTLS_SETUP_ACTIVE;
  return session;
}

void
rtc_jsep_session_free (RtcJsepSession *session)
{
  if (!session)
    return;
  g_ptr_array_unref (session->transceivers);
  g_free (session->ice_ufrag);
  g_free (session->ice_pwd);
  g_free (session->fingerprint);
  g_free (session->data_mid);
  g_free (session->cname);
  g_free (session);
}

/*
 * rtc_jsep_transceiver_ensure_ssrc:
 *
 * Gives a transceiver whose direction includes sending its SSRCs and
 * msid if it has none yet (one made receive-only from a remote offer
 * that the application then turned to sending). They never change
 * afterwards, so every later description repeats them.
 */
void
rtc_jsep_transceiver_ensure_ssrc (RtcJsepTransceiver *trans)
{
  if (trans->ssrc != 0
      || (trans->direction != GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
          && trans->direction != GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY))
    return;
  do {
    trans->ssrc = g_random_int ();
  } while (trans->ssrc == 0);
  do {
    trans->rtx_ssrc = g_random_int ();
  } while (trans->rtx_ssrc == trans->ssrc || trans->rtx_ssrc == 0);
  if (!trans->msid_stream)
    trans->msid_stream = g_strdup_printf ("stream-%08x", g_random_int ());
  if (!trans->msid_track)
    trans->msid_track = g_strdup_printf ("track-%08x%08x", g_random_int (),
        g_random_int ());
}

/*
 * rtc_jsep_session_add_transceiver:
 * @codecs: (transfer none) (nullable): codec preferences, or %NULL for
 *   the built-in codecs of @kind
 *
 * Adds a transceiver that sends (if @direction includes sending) from
 * random SSRCs under a random msid, and asks for RTX on video.
 *
 * Returns: (transfer none): the transceiver, owned by @session
 */
RtcJsepTransceiver *
rtc_jsep_session_add_transceiver (RtcJsepSession *session, GstRtcKind kind,
    GstRtcRtpTransceiverDirection direction, GstCaps *codecs)
{
  RtcJsepTransceiver *trans = g_new0 (RtcJsepTransceiver, 1);

  trans->mline = -1;
  trans->kind = kind;
  trans->direction = direction;
  trans->codecs = codecs ? gst_caps_ref (codecs) : NULL;
  trans->rtx = kind == GST_RTC_KIND_VIDEO;
  rtc_jsep_transceiver_ensure_ssrc (trans);
  g_ptr_array_add (session->transceivers, trans);
  return trans;
}

/* (nullable): the transceiver with @mid */
RtcJsepTransceiver *
rtc_jsep_session_find_mid (RtcJsepSession *session, const gchar *mid)
{
  guint i;

  for (i = 0; i < session->transceivers->len; i++) {
    RtcJsepTransceiver *t = g_ptr_array_index (session->transceivers, i);
    if (t->mid && !g_strcmp0 (t->mid, mid))
      return t;
  }
  return NULL;
}

/*
 * rtc_jsep_default_codecs:
 *
 * Returns: (transfer full): what a transceiver made from a remote offer
 * can receive when the application gave no codec preferences: Opus,
 * PCMU and PCMA for audio; VP8, VP9 profile 0 and constrained-baseline
 * H.264 for video — what GStreamer's common depayloaders handle.
 */
GstCaps *
rtc_jsep_default_codecs (GstRtcKind kind)
{
  if (kind == GST_RTC_KIND_AUDIO)
    return gst_caps_from_string (
        "application/x-rtp, media=audio, "
        "encoding-name=OPUS, clock-rate=48000, encoding-params=(string)2, "
        "minptime=(string)10, useinbandfec=(string)1; "
        "application/x-rtp, media=audio, encoding-name=PCMU, clock-rate=8000; "
        "application/x-rtp, media=audio, encoding-name=PCMA, clock-rate=8000");
  return gst_caps_from_string (
      "application/x-rtp, media=video, "
      "encoding-name=VP8, clock-rate=90000; "
      "application/x-rtp, media=video, encoding-name=VP9, clock-rate=90000, "
      "profile-id=(string)0; "
      "application/x-rtp, media=video, encoding-name=H264, clock-rate=90000, "
      "profile-level-id=(string)42e01f, packetization-mode=(string)1, "
      "level-asymmetry-allowed=(string)1");
}

void
rtc_jsep_negotiation_free (RtcJsepNegotiation *neg)
{
  if (!neg)
    return;
  g_ptr_array_unref (neg->media);
  g_ptr_array_unref (neg->bundle_groups);
  g_free (neg);
}
