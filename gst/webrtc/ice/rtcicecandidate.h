/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * RtcIceError:
 * @RTC_ICE_ERROR_INVALID_CANDIDATE: a candidate line does not parse or
 *   names something unsupported
 * @RTC_ICE_ERROR_INVALID_URI: a STUN or TURN server URI does not parse
 * @RTC_ICE_ERROR_INVALID_ARGUMENT: another argument (credentials, address,
 *   component) is out of range
 * @RTC_ICE_ERROR_STATE: the transport is closed
 *
 * Errors of the ICE transport and its parsers, in the `rtc-ice-error-quark`
 * domain.
 */
typedef enum {
  RTC_ICE_ERROR_INVALID_CANDIDATE,
  RTC_ICE_ERROR_INVALID_URI,
  RTC_ICE_ERROR_INVALID_ARGUMENT,
  RTC_ICE_ERROR_STATE,
} RtcIceError;

#define RTC_ICE_ERROR (rtc_ice_error_quark ())
GQuark rtc_ice_error_quark (void);
gpointer rtc_ice_parse_error (GError **error, RtcIceError code,
    const gchar *prefix, const gchar *format, ...) G_GNUC_PRINTF (4, 5);

typedef enum {
  RTC_ICE_CANDIDATE_TYPE_HOST,
  RTC_ICE_CANDIDATE_TYPE_SRFLX,
  RTC_ICE_CANDIDATE_TYPE_PRFLX,
  RTC_ICE_CANDIDATE_TYPE_RELAY,
} RtcIceCandidateType;

typedef enum {
  RTC_ICE_PROTOCOL_UDP,
  RTC_ICE_PROTOCOL_TCP,
} RtcIceProtocol;

typedef enum {
  RTC_ICE_TCP_TYPE_NONE,
  RTC_ICE_TCP_TYPE_ACTIVE,
  RTC_ICE_TCP_TYPE_PASSIVE,
  RTC_ICE_TCP_TYPE_SO,
} RtcIceTcpType;

/**
 * RtcIceCandidate:
 * @foundation: 1 to 32 ice-chars
 * @component: component id, 1 to 256
 * @protocol: UDP or TCP
 * @priority: 1 to 2^31 - 1
 * @address: an IPv4 or IPv6 literal, or an mDNS `.local` name when
 *   @address_is_ip is %FALSE
 * @address_is_ip: whether @address is an IP literal; %FALSE marks an mDNS
 *   name that must be resolved before the candidate can be used
 * @port: 0 to 65535; 0 only for TCP active candidates
 * @type: host, srflx, prflx or relay
 * @related_address: (nullable): `raddr`
 * @related_port: `rport`
 * @tcp_type: `tcptype` for TCP candidates, %RTC_ICE_TCP_TYPE_NONE for UDP
 * @ufrag: (nullable): the `ufrag` extension attribute
 *
 * One ICE candidate as in the SDP `candidate` attribute (RFC 8839 5.1,
 * RFC 6544 for TCP). Unknown extension attributes are not kept.
 */
typedef struct {
  gchar *foundation;
  guint component;
  RtcIceProtocol protocol;
  guint32 priority;
  gchar *address;
  gboolean address_is_ip;
  guint16 port;
  RtcIceCandidateType type;
  gchar *related_address;
  guint16 related_port;
  RtcIceTcpType tcp_type;
  gchar *ufrag;
} RtcIceCandidate;

GType rtc_ice_candidate_get_type (void);
#define RTC_TYPE_ICE_CANDIDATE (rtc_ice_candidate_get_type ())

/* Longest candidate line accepted; real ones are well under 300 bytes. */
#define RTC_ICE_CANDIDATE_MAX_LEN 1024

RtcIceCandidate *rtc_ice_candidate_parse (const gchar *line, GError **error);
gchar *rtc_ice_candidate_to_string (const RtcIceCandidate *cand);
RtcIceCandidate *rtc_ice_candidate_copy (const RtcIceCandidate *cand);
void rtc_ice_candidate_free (RtcIceCandidate *cand);
const gchar *rtc_ice_candidate_type_to_string (RtcIceCandidateType type);

gboolean rtc_ice_is_valid_host (const gchar *host, gboolean *is_ip);
gboolean rtc_ice_is_mdns_name (const gchar *name);
gboolean rtc_ice_check_credentials (const gchar *ufrag, const gchar *pwd,
    GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RtcIceCandidate, rtc_ice_candidate_free)

G_END_DECLS
