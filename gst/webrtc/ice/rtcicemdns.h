/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One-shot lookups are sent at 0, 1 and 2 s (the first transmission and
 * two retransmissions, at the RFC 6762 5.2 minimum spacing of one second)
 * and given up 3 s after the first. */
#define RTC_ICE_MDNS_RETRANSMIT_MS 1000
#define RTC_ICE_MDNS_TRANSMISSIONS 3
#define RTC_ICE_MDNS_TIMEOUT_MS 3000

/* Lookups one ICE transport may have pending: browsers signal a name per
 * interface, on a UDP and a TCP candidate each, and a peer must not make
 * us flood the link with queries. */
#define RTC_ICE_MDNS_MAX_PENDING 16

/* RFC 6762 17: the largest Multicast DNS message. */
#define RTC_ICE_MDNS_MAX_MESSAGE 9000

/**
 * RtcIceMdnsRecord:
 * @name: the owner name, lower case, without trailing dot
 * @address: the IPv4 (A) or IPv6 (AAAA) address
 *
 * One address record of a Multicast DNS response.
 */
typedef struct {
  gchar *name;
  GInetAddress *address;
} RtcIceMdnsRecord;

GPtrArray *rtc_ice_mdns_parse_response (const guint8 *msg, gsize len);
GBytes *rtc_ice_mdns_build_query (const gchar *name);

/**
 * RtcIceMdnsResolver:
 *
 * A one-shot Multicast DNS querier bound to one GMainContext, resolving
 * `.local` names of remote ICE candidates without blocking.
 */
#define RTC_TYPE_ICE_MDNS_RESOLVER (rtc_ice_mdns_resolver_get_type ())
G_DECLARE_FINAL_TYPE (RtcIceMdnsResolver, rtc_ice_mdns_resolver, RTC,
    ICE_MDNS_RESOLVER, GObject)

RtcIceMdnsResolver *rtc_ice_mdns_resolver_new (void);
void rtc_ice_mdns_resolver_lookup_async (RtcIceMdnsResolver *self,
    const gchar *name, GCancellable *cancellable, GAsyncReadyCallback callback,
    gpointer user_data);
GInetAddress *rtc_ice_mdns_resolver_lookup_finish (RtcIceMdnsResolver *self,
    GAsyncResult *result, GError **error);

G_END_DECLS
