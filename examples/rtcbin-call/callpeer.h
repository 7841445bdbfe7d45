/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef __CALL_PEER_H__
#define __CALL_PEER_H__

#include "callmedia.h"

G_BEGIN_DECLS

typedef struct _CallPeer CallPeer;

CallPeer *call_peer_new (const gchar *name, const gchar *url,
    const CallMediaConfig *config);
void call_peer_join (CallPeer *peer);
gboolean call_peer_in_call (CallPeer *peer);
gint64 call_peer_connected_ms (CallPeer *peer);
gint64 call_peer_connected_at (CallPeer *peer);
void call_peer_get_counts (CallPeer *peer, CallCounts *counts);
const gchar *call_peer_get_error (CallPeer *peer);
const gchar *call_peer_get_name (CallPeer *peer);
void call_peer_free (CallPeer *peer);

G_END_DECLS

#endif /* __CALL_PEER_H__ */
