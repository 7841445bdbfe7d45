/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/*
 * The JSEP core (RFC 8829): the local session model, offer and answer
 * building, validation of remote descriptions and extraction of what the
 * transports need from a negotiated offer/answer pair. Pure: no pads, no
 * threads, no I/O; rtcbin calls it from its session thread, which is the
 * only thread touching an RtcJsepSession.
 */

#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#include <gst/rtc/rtc.h>

G_BEGIN_DECLS

/* Header extension URIs the core offers and accepts (RFC 8285). */
#define RTC_JSEP_EXT_MID "urn:ietf:params:rtp-hdrext:sdes:mid"
#define RTC_JSEP_EXT_ABS_SEND_TIME \
  "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
#define RTC_JSEP_EXT_TWCC \
  "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
#define RTC_JSEP_EXT_AUDIO_LEVEL "urn:ietf:params:rtp-hdrext:ssrc-audio-level"

/* Defaults of the data channel m-line (RFC 8841). */
#define RTC_JSEP_DEFAULT_SCTP_PORT 5000
#define RTC_JSEP_DEFAULT_MAX_MESSAGE_SIZE 262144

/* Upper bounds on what a remote description may contain; far above any
 * real session, low enough that loops over them stay cheap. */
#define RTC_JSEP_MAX_SDP_SIZE (256 * 1024)
#define RTC_JSEP_MAX_MEDIA 128
#define RTC_JSEP_MAX_ATTRIBUTES 1024
#define RTC_JSEP_MAX_FORMATS 128
#define RTC_JSEP_MAX_SSRCS 64
#define RTC_JSEP_MAX_MID_LEN 32

/**
 * RtcJsepTransceiver:
 * @mid: (nullable): the mid, %NULL until an offer or a remote offer gives
 *   one
 * @mline: m-line index, -1 until associated
 * @kind: audio or video
 * @direction: the direction the application wants
 * @codecs: (nullable): `application/x-rtp` caps, one structure per codec
 *   in preference order (payloader caps or webrtcbin-style
 *   codec-preferences); %NULL for the built-in set of @kind
 * @ssrc: the SSRC we send with, 0 when we never send
 * @rtx_ssrc: the SSRC of our retransmissions, 0 for none
 * @msid_stream: (nullable): the MediaStream id of our track
 * @msid_track: (nullable): our track id
 * @rtx: whether to offer/accept RTX (RFC 4588) for video codecs
 * @stopped: a stopped transceiver's m-line is rejected (port 0)
 *
 * What the core knows of one transceiver. The SSRCs and msid are fixed
 * when the transceiver is made, so that every offer repeats them.
 */
typedef struct {
  gchar *mid;
  gint mline;
  GstRtcKind kind;
  GstRtcRtpTransceiverDirection direction;
  GstCaps *codecs;
  guint32 ssrc;
  guint32 rtx_ssrc;
  gchar *msid_stream;
  gchar *msid_track;
  gboolean rtx;
  gboolean stopped;
} RtcJsepTransceiver;

/**
 * RtcJsepSession:
 * @transceivers: (element-type RtcJsepTransceiver): owned
 * @ice_ufrag: local ICE username fragment
 * @ice_pwd: local ICE password
 * @fingerprint: local certificate fingerprint, `sha-256 AB:CD:…`
 * @bundle_policy: the BUNDLE policy of offers
 * @data_channel: whether to offer an m=application section
 * @data_mid: (nullable): the mid of the data section once it has one
 * @data_mline: its m-line index, -1 until it has one
 * @sctp_port: our SCTP port
 * @max_message_size: the largest message we accept, 0 for no limit
 * @session_id: o= session id
 * @session_version: o= version, bumped by every offer or answer
 * @cname: the RTCP CNAME of our SSRCs
 * @answer_setup: what to answer an `actpass` offer with: active (the
 *   default) or passive, so that a renegotiation keeps the DTLS roles of
 *   an established association
 *
 * The local state the core builds descriptions from.
 */
typedef struct {
  GPtrArray *transceivers;
  gchar *ice_ufrag;
  gchar *ice_pwd;
  gchar *fingerprint;
  GstRtcBundlePolicy bundle_policy;
  gboolean data_channel;
  gchar *data_mid;
  gint data_mline;
  guint sctp_port;
  guint64 max_message_size;
  guint64 session_id;
  guint64 session_version;
  gchar *cname;
  GstRtcDtlsSetup answer_setup;
} RtcJsepSession;

RtcJsepSession *rtc_jsep_session_new (const gchar *ice_ufrag,
    const gchar *ice_pwd, const gchar *fingerprint);
void rtc_jsep_session_free (RtcJsepSession *session);
RtcJsepTransceiver *rtc_jsep_session_add_transceiver (RtcJsepSession *session,
    GstRtcKind kind, GstRtcRtpTransceiverDirection direction, GstCaps *codecs);
void rtc_jsep_transceiver_ensure_ssrc (RtcJsepTransceiver *trans);
RtcJsepTransceiver *rtc_jsep_session_find_mid (RtcJsepSession *session,
    const gchar *mid);

GstCaps *rtc_jsep_default_codecs (GstRtcKind kind);

/* Offer and answer (rtcjsepoffer.c, rtcjsepanswer.c). */
GstSDPMessage *rtc_jsep_create_offer (RtcJsepSession *session,
    const GstSDPMessage *previous_local, const GstSDPMessage *previous_remote,
    GError **error);
gboolean rtc_jsep_session_apply_remote_offer (RtcJsepSession *session,
    const GstSDPMessage *offer, GError **error);
GstSDPMessage *rtc_jsep_create_answer (RtcJsepSession *session,
    const GstSDPMessage *offer, GError **error);

/* Validation (rtcjsepvalidate.c). */
GstSDPMessage *rtc_jsep_parse_sdp (const gchar *text, gssize len,
    GError **error);
gboolean rtc_jsep_validate (const GstSDPMessage *sdp, GstRtcSDPType type,
    const GstSDPMessage *offer, GError **error);

/**
 * RtcJsepMedia:
 * @mline: the m-line index
 * @mid: (nullable): its mid
 * @kind: audio or video; unknown for the data section and unknown media
 * @is_data: whether this is the data channel section
 * @rejected: whether either side rejected it (port 0); nothing else is
 *   set then
 * @direction: the negotiated direction from our point of view
 *   (current-direction)
 * @codecs: (nullable): one `application/x-rtp` structure per chosen
 *   payload type, usable as depayloader / jitter buffer caps: `media`,
 *   `payload`, `clock-rate`, `encoding-name`, `encoding-params`, the fmtp
 *   parameters as strings, `rtcp-fb-*` booleans, `rtx-payload` when RTX
 *   was negotiated, and `extmap-N` for each negotiated header extension
 * @remote_ssrcs: (element-type guint32): SSRCs the peer announced
 * @remote_rtx_ssrcs: (element-type guint32): their FID partners
 * @remote_msid_stream: (nullable): the peer's stream id
 * @remote_msid_track: (nullable): the peer's track id
 * @transport_mline: the m-line whose transport carries this one: itself,
 *   or the tagged m-line of its BUNDLE group
 * @remote_ufrag: (nullable): the peer's ICE credentials for this m-line
 * @remote_pwd: (nullable)
 * @remote_candidates: (element-type utf8): valid `candidate:` lines
 * @remote_end_of_candidates: whether the SDP had `a=end-of-candidates`
 * @dropped_candidates: candidate lines that did not parse, dropped
 * @remote_ice_lite: whether the peer is an ICE lite agent (RFC 8445 2.5),
 *   which makes us the controlling one
 * @remote_trickle: whether the peer trickles candidates (`ice-options`)
 * @remote_fingerprint: (nullable): `hash HEX`, as in the SDP
 * @dtls_client: whether we are the DTLS client on this transport
 * @sctp_port: the peer's SCTP port (data section only)
 * @max_message_size: the peer's max-message-size, 0 for no limit
 */
typedef struct {
  guint mline;
  gchar *mid;
  GstRtcKind kind;
  gboolean is_data;
  gboolean rejected;
  GstRtcRtpTransceiverDirection direction;
  GstCaps *codecs;
  GArray *remote_ssrcs;
  GArray *remote_rtx_ssrcs;
  gchar *remote_msid_stream;
  gchar *remote_msid_track;
  guint transport_mline;
  gchar *remote_ufrag;
  gchar *remote_pwd;
  GPtrArray *remote_candidates;
  gboolean remote_end_of_candidates;
  guint dropped_candidates;
  gboolean remote_ice_lite;
  gboolean remote_trickle;
  gchar *remote_fingerprint;
  gboolean dtls_client;
  guint sctp_port;
  guint64 max_message_size;
} RtcJsepMedia;

/**
 * RtcJsepNegotiation:
 * @media: (element-type RtcJsepMedia): one per m-line
 * @bundle_groups: (element-type GStrv): the accepted BUNDLE groups, mids
 *   in SDP order, the first being the tagged one
 */
typedef struct {
  GPtrArray *media;
  GPtrArray *bundle_groups;
} RtcJsepNegotiation;

/* Extraction (rtcjsepnegotiated.c). */
RtcJsepNegotiation *rtc_jsep_negotiate (const GstSDPMessage *offer,
    const GstSDPMessage *answer, gboolean local_is_offerer, GError **error);
void rtc_jsep_negotiation_free (RtcJsepNegotiation *neg);

/* Negotiation-needed check (rtcjsepneeded.c). */
gboolean rtc_jsep_negotiation_needed (const RtcJsepSession *session,
    const GstSDPMessage *local, gboolean local_is_offer,
    const GstSDPMessage *remote);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RtcJsepSession, rtc_jsep_session_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RtcJsepNegotiation, rtc_jsep_negotiation_free)

G_END_DECLS
