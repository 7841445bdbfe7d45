/* gst-rtc
 * Copyright (C) 2026 gst-rtc authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CALL_SERVER_H__
#define __CALL_SERVER_H__

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CallServer CallServer;

/* Called on the server's main context each time a peer joins @room;
 * @peers is how many the room holds now (1 or 2). */
typedef void (
    *CallServerJoinedFunc) (const gchar *room, guint peers, gpointer user_data);

CallServer *call_server_new (guint port, GError **error);
const gchar *call_server_get_origin (CallServer *server);
void call_server_set_joined_func (CallServer *server, CallServerJoinedFunc func,
    gpointer user_data);
void call_server_free (CallServer *server);

G_END_DECLS

#endif /* __CALL_SERVER_H__ */
