/* gst-rtc
 * Copyright (C) 2026 gst-rtc authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CALL_MESSAGE_H__
#define __CALL_MESSAGE_H__

#include <glib.h>

G_BEGIN_DECLS

/* Largest message a peer may send: an SDP with many m-lines fits well. */
#define CALL_MESSAGE_MAX_SIZE (64 * 1024)

gchar *call_message_sanitize (const gchar *data, gsize len, GError **error);

G_END_DECLS

#endif /* __CALL_MESSAGE_H__ */
