/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "rtcicecandidate.h"

G_BEGIN_DECLS

/**
 * RtcIceTransportState:
 *
 * The W3C RTCIceTransportState.
 */
typedef enum {
  RTC_ICE_TRANSPORT_STATE_NEW,
  RTC_ICE_TRANSPORT_STATE_CHECKING,
  RTC_ICE_TRANSPORT_STATE_CONNECTED,
  RTC_ICE_TRANSPORT_STATE_COMPLETED,
  RTC_ICE_TRANSPORT_STATE_DISCONNECTED,
  RTC_ICE_TRANSPORT_STATE_FAILED,
  RTC_ICE_TRANSPORT_STATE_CLOSED,
} RtcIceTransportState;

GType rtc_ice_transport_state_get_type (void);
#define RTC_TYPE_ICE_TRANSPORT_STATE (rtc_ice_transport_state_get_type ())

/**
 * RtcIceGatheringState:
 *
 * The W3C RTCIceGatheringState.
 */
typedef enum {
  RTC_ICE_GATHERING_STATE_NEW,
  RTC_ICE_GATHERING_STATE_GATHERING,
  RTC_ICE_GATHERING_STATE_COMPLETE,
} RtcIceGatheringState;

GType rtc_ice_gathering_state_get_type (void);
#define RTC_TYPE_ICE_GATHERING_STATE (rtc_ice_gathering_state_get_type ())

/**
 * RtcIceTransportPolicy:
 * @RTC_ICE_TRANSPORT_POLICY_ALL: use every candidate type
 * @RTC_ICE_TRANSPORT_POLICY_RELAY: use and signal relay candidates only
 *
 * The W3C RTCIceTransportPolicy.
 */
typedef enum {
  RTC_ICE_TRANSPORT_POLICY_ALL,
  RTC_ICE_TRANSPORT_POLICY_RELAY,
} RtcIceTransportPolicy;

GType rtc_ice_transport_policy_get_type (void);
#define RTC_TYPE_ICE_TRANSPORT_POLICY (rtc_ice_transport_policy_get_type ())

#define RTC_TYPE_ICE_TRANSPORT (rtc_ice_transport_get_type ())
G_DECLARE_FINAL_TYPE (RtcIceTransport, rtc_ice_transport, RTC, ICE_TRANSPORT,
    GObject)

/**
 * RtcIcePacketFunc:
 * @user_data: the owner given to rtc_ice_transport_set_receiver()
 * @data: one received datagram (or TCP-framed message)
 * @len: its length
 *
 * Called on the shared ICE thread for each packet received on the selected
 * or any validated pair.
 */
typedef void (
    *RtcIcePacketFunc) (gpointer user_data, const guint8 *data, gsize len);

/**
 * RtcIceBurstEndFunc:
 * @user_data: the owner given to rtc_ice_transport_set_receiver_full()
 *
 * Called on the shared ICE thread after a burst of packets.
 */
typedef void (*RtcIceBurstEndFunc) (gpointer user_data);

RtcIceTransport *rtc_ice_transport_new (void);

gboolean rtc_ice_transport_add_turn_server (RtcIceTransport *self,
    const gchar *uri, GError **error);
gboolean rtc_ice_transport_set_stun_server (RtcIceTransport *self,
    const gchar *uri, GError **error);
gboolean rtc_ice_transport_set_local_addresses (RtcIceTransport *self,
    const gchar *const *addresses, GError **error);

gboolean rtc_ice_transport_gather (RtcIceTransport *self, GError **error);
void rtc_ice_transport_get_local_credentials (RtcIceTransport *self,
    gchar **ufrag, gchar **pwd);
gboolean rtc_ice_transport_set_remote_credentials (RtcIceTransport *self,
    const gchar *ufrag, const gchar *pwd, GError **error);
gboolean rtc_ice_transport_add_remote_candidate (RtcIceTransport *self,
    const gchar *candidate, GError **error);
void rtc_ice_transport_end_of_remote_candidates (RtcIceTransport *self);
gboolean rtc_ice_transport_restart (RtcIceTransport *self, GError **error);
void rtc_ice_transport_close (RtcIceTransport *self);

gboolean rtc_ice_transport_get_selected_pair (RtcIceTransport *self,
    RtcIceCandidate **local, RtcIceCandidate **remote);
RtcIceTransportState rtc_ice_transport_get_state (RtcIceTransport *self);
RtcIceGatheringState rtc_ice_transport_get_gathering_state (
    RtcIceTransport *self);

gboolean rtc_ice_transport_send (RtcIceTransport *self, const guint8 *data,
    gsize len);
/* The most packets rtc_ice_transport_send_many() takes at once. */
#define RTC_ICE_TRANSPORT_SEND_MANY_MAX 64
guint rtc_ice_transport_send_many (RtcIceTransport *self,
    const GOutputVector *packets, guint n);
void rtc_ice_transport_set_receiver (RtcIceTransport *self,
    RtcIcePacketFunc func, GObject *owner);
void rtc_ice_transport_set_receiver_full (RtcIceTransport *self,
    RtcIcePacketFunc func, RtcIceBurstEndFunc burst_end, GObject *owner);
GstStructure *rtc_ice_transport_get_stats (RtcIceTransport *self);

G_END_DECLS
