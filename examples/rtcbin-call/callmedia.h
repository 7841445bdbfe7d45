/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef __CALL_MEDIA_H__
#define __CALL_MEDIA_H__

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _CallMedia CallMedia;

/* What one side of a call sent and received, since the call began. Sent
 * packets are counted once the connection is up (rtcbin drops them
 * before). */
typedef struct {
  gint sent_audio_packets;
  gint sent_video_packets;
  gint received_audio_packets;
  gint received_video_packets;
  gint decoded_audio_buffers;
  gint decoded_video_frames;
} CallCounts;

typedef struct {
  /* Camera and microphone (v4l2src, alsasrc) when there is one, else test
   * sources. */
  gboolean devices;
  /* Show and play what arrives, else only count it. */
  gboolean display;
  /* Gather only on these addresses (NULL: every interface). */
  gchar **local_addresses;
  /* Print descriptions and candidates. */
  gboolean verbose;
} CallMediaConfig;

CallMedia *call_media_new (const gchar *name, const CallMediaConfig *config,
    GError **error);
GstElement *call_media_get_rtcbin (CallMedia *media);
gboolean call_media_add_transceivers (CallMedia *media, GError **error);
gboolean call_media_start (CallMedia *media);
void call_media_set_connected (CallMedia *media, gboolean connected);
void call_media_get_counts (CallMedia *media, CallCounts *counts);
const gchar *call_media_describe_sources (CallMedia *media);
const gchar *call_media_get_error (CallMedia *media);
void call_media_free (CallMedia *media);

G_END_DECLS

#endif /* __CALL_MEDIA_H__ */
