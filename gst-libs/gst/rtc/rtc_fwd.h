/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/**
 * SECTION:rtc_fwd
 * @title: GstRtc enumerations
 * @short_description: W3C states and policies, and the error domain
 *
 * Every enumeration here has the same values and nicks as its `GstWebRTC`
 * counterpart in gst-plugins-bad 1.22 (`GST_WEBRTC_X` is `GST_RTC_X`), so
 * code and string-based configuration written for `webrtcbin` keep
 * working. The nicks are the W3C / JSEP spellings where one exists.
 */

#include <gst/rtc/rtc-prelude.h>

G_BEGIN_DECLS

/**
 * GstRtcDtlsTransportState:
 * @GST_RTC_DTLS_TRANSPORT_STATE_NEW: no handshake started yet
 * @GST_RTC_DTLS_TRANSPORT_STATE_CLOSED: closed (close_notify sent or received)
 * @GST_RTC_DTLS_TRANSPORT_STATE_FAILED: the handshake or the fingerprint check failed
 * @GST_RTC_DTLS_TRANSPORT_STATE_CONNECTING: handshake in progress
 * @GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED: handshake done, peer verified
 *
 * State of a DTLS transport (W3C RTCDtlsTransportState, in webrtcbin's
 * order).
 */
typedef enum {
  GST_RTC_DTLS_TRANSPORT_STATE_NEW,
  GST_RTC_DTLS_TRANSPORT_STATE_CLOSED,
  GST_RTC_DTLS_TRANSPORT_STATE_FAILED,
  GST_RTC_DTLS_TRANSPORT_STATE_CONNECTING,
  GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED,
} GstRtcDtlsTransportState;

/**
 * GstRtcIceGatheringState:
 * @GST_RTC_ICE_GATHERING_STATE_NEW: gathering has not started
 * @GST_RTC_ICE_GATHERING_STATE_GATHERING: candidates are being gathered
 * @GST_RTC_ICE_GATHERING_STATE_COMPLETE: every transport finished gathering
 *
 * W3C RTCIceGatheringState, the `ice-gathering-state` of the session.
 */
typedef enum {
  GST_RTC_ICE_GATHERING_STATE_NEW,
  GST_RTC_ICE_GATHERING_STATE_GATHERING,
  GST_RTC_ICE_GATHERING_STATE_COMPLETE,
} GstRtcIceGatheringState;

/**
 * GstRtcIceConnectionState:
 * @GST_RTC_ICE_CONNECTION_STATE_NEW: no check started
 * @GST_RTC_ICE_CONNECTION_STATE_CHECKING: connectivity checks in progress
 * @GST_RTC_ICE_CONNECTION_STATE_CONNECTED: a usable pair was found
 * @GST_RTC_ICE_CONNECTION_STATE_COMPLETED: checks finished with a usable pair
 * @GST_RTC_ICE_CONNECTION_STATE_FAILED: checks finished without a usable pair
 * @GST_RTC_ICE_CONNECTION_STATE_DISCONNECTED: consent or connectivity lost
 * @GST_RTC_ICE_CONNECTION_STATE_CLOSED: the session was closed
 *
 * W3C RTCIceConnectionState, the `ice-connection-state` of the session.
 */
typedef enum {
  GST_RTC_ICE_CONNECTION_STATE_NEW,
  GST_RTC_ICE_CONNECTION_STATE_CHECKING,
  GST_RTC_ICE_CONNECTION_STATE_CONNECTED,
  GST_RTC_ICE_CONNECTION_STATE_COMPLETED,
  GST_RTC_ICE_CONNECTION_STATE_FAILED,
  GST_RTC_ICE_CONNECTION_STATE_DISCONNECTED,
  GST_RTC_ICE_CONNECTION_STATE_CLOSED,
} GstRtcIceConnectionState;

/**
 * GstRtcSignalingState:
 * @GST_RTC_SIGNALING_STATE_STABLE: no offer/answer exchange in progress
 * @GST_RTC_SIGNALING_STATE_CLOSED: the session was closed
 * @GST_RTC_SIGNALING_STATE_HAVE_LOCAL_OFFER: a local offer was applied
 * @GST_RTC_SIGNALING_STATE_HAVE_REMOTE_OFFER: a remote offer was applied
 * @GST_RTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER: a local provisional answer was applied
 * @GST_RTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER: a remote provisional answer was applied
 *
 * W3C RTCSignalingState, the JSEP state machine of the session.
 */
typedef enum {
  GST_RTC_SIGNALING_STATE_STABLE,
  GST_RTC_SIGNALING_STATE_CLOSED,
  GST_RTC_SIGNALING_STATE_HAVE_LOCAL_OFFER,
  GST_RTC_SIGNALING_STATE_HAVE_REMOTE_OFFER,
  GST_RTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER,
  GST_RTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER,
} GstRtcSignalingState;

/**
 * GstRtcPeerConnectionState:
 * @GST_RTC_PEER_CONNECTION_STATE_NEW: no transport has started connecting
 * @GST_RTC_PEER_CONNECTION_STATE_CONNECTING: transports are connecting
 * @GST_RTC_PEER_CONNECTION_STATE_CONNECTED: every transport is connected
 * @GST_RTC_PEER_CONNECTION_STATE_DISCONNECTED: a transport lost connectivity
 * @GST_RTC_PEER_CONNECTION_STATE_FAILED: a transport failed
 * @GST_RTC_PEER_CONNECTION_STATE_CLOSED: the session was closed
 *
 * W3C RTCPeerConnectionState: ICE and DTLS states of all transports
 * folded into one.
 */
typedef enum {
  GST_RTC_PEER_CONNECTION_STATE_NEW,
  GST_RTC_PEER_CONNECTION_STATE_CONNECTING,
  GST_RTC_PEER_CONNECTION_STATE_CONNECTED,
  GST_RTC_PEER_CONNECTION_STATE_DISCONNECTED,
  GST_RTC_PEER_CONNECTION_STATE_FAILED,
  GST_RTC_PEER_CONNECTION_STATE_CLOSED,
} GstRtcPeerConnectionState;

/**
 * GstRtcIceRole:
 * @GST_RTC_ICE_ROLE_CONTROLLED: the controlled agent
 * @GST_RTC_ICE_ROLE_CONTROLLING: the controlling agent (nominates pairs)
 *
 * ICE agent role (RFC 8445 section 2.1).
 */
typedef enum {
  GST_RTC_ICE_ROLE_CONTROLLED,
  GST_RTC_ICE_ROLE_CONTROLLING,
} GstRtcIceRole;

/**
 * GstRtcIceComponent:
 * @GST_RTC_ICE_COMPONENT_RTP: component 1, RTP (and RTCP with rtcp-mux)
 * @GST_RTC_ICE_COMPONENT_RTCP: component 2, RTCP without rtcp-mux
 *
 * ICE component of a media stream.
 */
typedef enum {
  GST_RTC_ICE_COMPONENT_RTP,
  GST_RTC_ICE_COMPONENT_RTCP,
} GstRtcIceComponent;

/**
 * GstRtcSDPType:
 * @GST_RTC_SDP_TYPE_OFFER: an offer
 * @GST_RTC_SDP_TYPE_PRANSWER: a provisional answer
 * @GST_RTC_SDP_TYPE_ANSWER: a final answer
 * @GST_RTC_SDP_TYPE_ROLLBACK: cancels the offer in progress
 *
 * W3C RTCSdpType, the type of a #GstRtcSessionDescription. Values start
 * at 1, as in webrtcbin, so that 0 is never a valid type.
 */
typedef enum {
  GST_RTC_SDP_TYPE_OFFER = 1,
  GST_RTC_SDP_TYPE_PRANSWER,
  GST_RTC_SDP_TYPE_ANSWER,
  GST_RTC_SDP_TYPE_ROLLBACK,
} GstRtcSDPType;

/**
 * GstRtcRtpTransceiverDirection:
 * @GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE: not set: the current direction of
 *   a transceiver that was never negotiated
 * @GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE: neither send nor receive
 * @GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY: send only
 * @GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY: receive only
 * @GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV: send and receive
 *
 * W3C RTCRtpTransceiverDirection; the nicks are the SDP direction
 * attributes (RFC 4566 section 6).
 */
typedef enum {
  GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE,
  GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE,
  GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY,
  GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY,
  GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV,
} GstRtcRtpTransceiverDirection;

/**
 * GstRtcDtlsSetup:
 * @GST_RTC_DTLS_SETUP_NONE: not negotiated
 * @GST_RTC_DTLS_SETUP_ACTPASS: either role (offers)
 * @GST_RTC_DTLS_SETUP_ACTIVE: DTLS client
 * @GST_RTC_DTLS_SETUP_PASSIVE: DTLS server
 *
 * The SDP `a=setup` attribute (RFC 4145, RFC 5763) that decides the DTLS
 * roles.
 */
typedef enum {
  GST_RTC_DTLS_SETUP_NONE,
  GST_RTC_DTLS_SETUP_ACTPASS,
  GST_RTC_DTLS_SETUP_ACTIVE,
  GST_RTC_DTLS_SETUP_PASSIVE,
} GstRtcDtlsSetup;

/**
 * GstRtcStatsType:
 * @GST_RTC_STATS_CODEC: codec
 * @GST_RTC_STATS_INBOUND_RTP: inbound-rtp
 * @GST_RTC_STATS_OUTBOUND_RTP: outbound-rtp
 * @GST_RTC_STATS_REMOTE_INBOUND_RTP: remote-inbound-rtp
 * @GST_RTC_STATS_REMOTE_OUTBOUND_RTP: remote-outbound-rtp
 * @GST_RTC_STATS_CSRC: csrc
 * @GST_RTC_STATS_PEER_CONNECTION: peer-connection
 * @GST_RTC_STATS_DATA_CHANNEL: data-channel
 * @GST_RTC_STATS_STREAM: stream
 * @GST_RTC_STATS_TRANSPORT: transport
 * @GST_RTC_STATS_CANDIDATE_PAIR: candidate-pair
 * @GST_RTC_STATS_LOCAL_CANDIDATE: local-candidate
 * @GST_RTC_STATS_REMOTE_CANDIDATE: remote-candidate
 * @GST_RTC_STATS_CERTIFICATE: certificate
 *
 * The `type` field of each structure in a `get-stats` reply (W3C
 * RTCStatsType).
 */
typedef enum {
  GST_RTC_STATS_CODEC = 1,
  GST_RTC_STATS_INBOUND_RTP,
  GST_RTC_STATS_OUTBOUND_RTP,
  GST_RTC_STATS_REMOTE_INBOUND_RTP,
  GST_RTC_STATS_REMOTE_OUTBOUND_RTP,
  GST_RTC_STATS_CSRC,
  GST_RTC_STATS_PEER_CONNECTION,
  GST_RTC_STATS_DATA_CHANNEL,
  GST_RTC_STATS_STREAM,
  GST_RTC_STATS_TRANSPORT,
  GST_RTC_STATS_CANDIDATE_PAIR,
  GST_RTC_STATS_LOCAL_CANDIDATE,
  GST_RTC_STATS_REMOTE_CANDIDATE,
  GST_RTC_STATS_CERTIFICATE,
} GstRtcStatsType;

/**
 * GstRtcFecType:
 * @GST_RTC_FEC_TYPE_NONE: no forward error correction
 * @GST_RTC_FEC_TYPE_ULP_RED: ULPFEC (RFC 5109) inside RED (RFC 2198)
 *
 * Forward error correction scheme of a transceiver.
 */
typedef enum {
  GST_RTC_FEC_TYPE_NONE,
  GST_RTC_FEC_TYPE_ULP_RED,
} GstRtcFecType;

/**
 * GstRtcSctpTransportState:
 * @GST_RTC_SCTP_TRANSPORT_STATE_NEW: no association yet
 * @GST_RTC_SCTP_TRANSPORT_STATE_CONNECTING: association being set up
 * @GST_RTC_SCTP_TRANSPORT_STATE_CONNECTED: association up
 * @GST_RTC_SCTP_TRANSPORT_STATE_CLOSED: association shut down or aborted
 *
 * W3C RTCSctpTransportState of the data channel transport.
 */
typedef enum {
  GST_RTC_SCTP_TRANSPORT_STATE_NEW,
  GST_RTC_SCTP_TRANSPORT_STATE_CONNECTING,
  GST_RTC_SCTP_TRANSPORT_STATE_CONNECTED,
  GST_RTC_SCTP_TRANSPORT_STATE_CLOSED,
} GstRtcSctpTransportState;

/**
 * GstRtcPriorityType:
 * @GST_RTC_PRIORITY_TYPE_VERY_LOW: very-low
 * @GST_RTC_PRIORITY_TYPE_LOW: low, the default
 * @GST_RTC_PRIORITY_TYPE_MEDIUM: medium
 * @GST_RTC_PRIORITY_TYPE_HIGH: high
 *
 * W3C RTCPriorityType of a sender or data channel (RFC 8837 maps it to
 * DSCP values).
 */
typedef enum {
  GST_RTC_PRIORITY_TYPE_VERY_LOW = 1,
  GST_RTC_PRIORITY_TYPE_LOW,
  GST_RTC_PRIORITY_TYPE_MEDIUM,
  GST_RTC_PRIORITY_TYPE_HIGH,
} GstRtcPriorityType;

/**
 * GstRtcDataChannelState:
 * @GST_RTC_DATA_CHANNEL_STATE_CONNECTING: opening (DCEP open not yet acknowledged)
 * @GST_RTC_DATA_CHANNEL_STATE_OPEN: open, messages flow
 * @GST_RTC_DATA_CHANNEL_STATE_CLOSING: closing (stream reset in progress)
 * @GST_RTC_DATA_CHANNEL_STATE_CLOSED: closed
 *
 * W3C RTCDataChannelState. Values start at 1, as in webrtcbin 1.22.
 */
typedef enum {
  GST_RTC_DATA_CHANNEL_STATE_CONNECTING = 1,
  GST_RTC_DATA_CHANNEL_STATE_OPEN,
  GST_RTC_DATA_CHANNEL_STATE_CLOSING,
  GST_RTC_DATA_CHANNEL_STATE_CLOSED,
} GstRtcDataChannelState;

/**
 * GstRtcBundlePolicy:
 * @GST_RTC_BUNDLE_POLICY_NONE: no BUNDLE group is offered
 * @GST_RTC_BUNDLE_POLICY_BALANCED: one transport per media kind
 * @GST_RTC_BUNDLE_POLICY_MAX_COMPAT: one transport per m-line
 * @GST_RTC_BUNDLE_POLICY_MAX_BUNDLE: one transport for everything
 *
 * Bundle policy of the session (JSEP, RFC 8829 section 4.1.1). `none` is
 * webrtcbin's "do not use BUNDLE" addition to the W3C values.
 */
typedef enum {
  GST_RTC_BUNDLE_POLICY_NONE,
  GST_RTC_BUNDLE_POLICY_BALANCED,
  GST_RTC_BUNDLE_POLICY_MAX_COMPAT,
  GST_RTC_BUNDLE_POLICY_MAX_BUNDLE,
} GstRtcBundlePolicy;

/**
 * GstRtcIceTransportPolicy:
 * @GST_RTC_ICE_TRANSPORT_POLICY_ALL: use every candidate type
 * @GST_RTC_ICE_TRANSPORT_POLICY_RELAY: use and signal relay candidates only
 *
 * W3C RTCIceTransportPolicy (JSEP, RFC 8829 section 4.1.1).
 */
typedef enum {
  GST_RTC_ICE_TRANSPORT_POLICY_ALL,
  GST_RTC_ICE_TRANSPORT_POLICY_RELAY,
} GstRtcIceTransportPolicy;

/**
 * GstRtcKind:
 * @GST_RTC_KIND_UNKNOWN: not known yet
 * @GST_RTC_KIND_AUDIO: audio
 * @GST_RTC_KIND_VIDEO: video
 *
 * The media kind of a transceiver (the `kind` of a W3C MediaStreamTrack).
 */
typedef enum {
  GST_RTC_KIND_UNKNOWN,
  GST_RTC_KIND_AUDIO,
  GST_RTC_KIND_VIDEO,
} GstRtcKind;

/**
 * GST_RTC_ERROR:
 *
 * The #GQuark of gst-rtc's error domain; its codes are #GstRtcError.
 */
#define GST_RTC_ERROR (gst_rtc_error_quark ())

GST_RTC_API
GQuark gst_rtc_error_quark (void);

/**
 * GstRtcError:
 * @GST_RTC_ERROR_DATA_CHANNEL_FAILURE: a data channel failed
 * @GST_RTC_ERROR_DTLS_FAILURE: DTLS failed
 * @GST_RTC_ERROR_FINGERPRINT_FAILURE: the peer certificate did not match
 *   the SDP fingerprint
 * @GST_RTC_ERROR_SCTP_FAILURE: the SCTP association failed
 * @GST_RTC_ERROR_SDP_SYNTAX_ERROR: SDP could not be parsed
 * @GST_RTC_ERROR_HARDWARE_ENCODER_NOT_AVAILABLE: a hardware encoder is
 *   missing
 * @GST_RTC_ERROR_ENCODER_ERROR: an encoder failed
 * @GST_RTC_ERROR_INVALID_STATE: the operation is not allowed in the
 *   current state (W3C InvalidStateError)
 * @GST_RTC_ERROR_INTERNAL_FAILURE: an internal error (W3C OperationError)
 * @GST_RTC_ERROR_INVALID_MODIFICATION: a description modifies what may not
 *   be modified (W3C InvalidModificationError)
 * @GST_RTC_ERROR_TYPE_ERROR: an argument has the wrong type or value
 *   (W3C TypeError)
 *
 * Error codes of the #GST_RTC_ERROR domain: the W3C RTCErrorDetailType
 * values and DOMException names that session operations reject with, in
 * webrtcbin's numbering.
 */
typedef enum {
  GST_RTC_ERROR_DATA_CHANNEL_FAILURE,
  GST_RTC_ERROR_DTLS_FAILURE,
  GST_RTC_ERROR_FINGERPRINT_FAILURE,
  GST_RTC_ERROR_SCTP_FAILURE,
  GST_RTC_ERROR_SDP_SYNTAX_ERROR,
  GST_RTC_ERROR_HARDWARE_ENCODER_NOT_AVAILABLE,
  GST_RTC_ERROR_ENCODER_ERROR,
  GST_RTC_ERROR_INVALID_STATE,
  GST_RTC_ERROR_INTERNAL_FAILURE,
  GST_RTC_ERROR_INVALID_MODIFICATION,
  GST_RTC_ERROR_TYPE_ERROR,
} GstRtcError;

G_END_DECLS

#include <gst/rtc/rtc-enumtypes.h>
