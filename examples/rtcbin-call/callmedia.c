/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The media of one side of a call: a pipeline around an rtcbin that sends
 * VP8 video and Opus audio (camera and microphone, or test sources) and
 * decodes what arrives on the rtcbin's src pads, counting packets and
 * decoded frames each way. The signalling is someone else's (callpeer.c).
 */

#include "callmedia.h"

#include <gst/rtc/rtc.h>
#include <gst/video/video.h>
#include <string.h>

struct _CallMedia {
  gchar *name;
  GstElement *pipeline;
  GstElement *rtcbin;
  gboolean display;
  gchar *sources;
  gchar *error;
  guint bus_watch;
  gint connected;
  CallCounts counts; /* atomic */
};

/* Keyframes every 2 s: rtcbin does not relay the peer's picture loss
 * reports yet, so a receiver that joins late or loses a keyframe recovers
 * by itself. */
#define VP8_SEND \
  "videoconvert ! queue max-size-buffers=2 leaky=downstream ! " \
  "vp8enc deadline=1 cpu-used=8 keyframe-max-dist=60 " \
  "target-bitrate=600000 ! rtpvp8pay name=vpay picture-id-mode=15-bit " \
  "mtu=1200 ! rtc. "
#define OPUS_SEND \
  "audioconvert ! audioresample ! queue ! opusenc ! " \
  "rtpopuspay name=apay mtu=1200 ! rtc. "

static gboolean
has_camera (void)
{
  GstElementFactory *f = gst_element_factory_find ("v4l2src");
  gboolean ok = f && g_file_test ("/dev/video0", G_FILE_TEST_EXISTS);

  if (f)
    gst_object_unref (f);
  return ok;
}

/* An ALSA capture device is a /dev/snd/pcmC<card>D<device>c node. */
static gboolean
has_microphone (void)
{
  GstElementFactory *f = gst_element_factory_find ("alsasrc");
  GDir *dir;
  const gchar *entry;
  gboolean ok = FALSE;

  if (!f)
    return FALSE;
  gst_object_unref (f);
  dir = g_dir_open ("/dev/snd", 0, NULL);
  if (!dir)
    return FALSE;
  while ((entry = g_dir_read_name (dir)))
    if (g_str_has_prefix (entry, "pcmC") && g_str_has_suffix (entry, "c"))
      ok = TRUE;
  g_dir_close (dir);
  return ok;
}

static GstPadProbeReturn
count_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  gint *counter = user_data;
  guint n = 1;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    n = gst_buffer_list_length (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
  g_atomic_int_add (counter, n);
  return GST_PAD_PROBE_OK;
}

/* Counts what leaves a payloader once the connection is up. */
static GstPadProbeReturn
send_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  CallMedia *media = g_object_get_data (G_OBJECT (pad), "call-media");

  if (g_atomic_int_get (&media->connected))
    count_probe (pad, info, user_data);
  return GST_PAD_PROBE_OK;
}

/* Says once what a decoder puts out, e.g. "decoding 640x480 video". */
static GstPadProbeReturn
caps_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  CallMedia *media = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstStructure *st;
  GstCaps *caps;
  gint width, height, rate, channels;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;
  gst_event_parse_caps (event, &caps);
  st = gst_caps_get_structure (caps, 0);
  if (gst_structure_get_int (st, "width", &width)
      && gst_structure_get_int (st, "height", &height))
    g_print ("%s: decoding %dx%d video\n", media->name, width, height);
  else if (gst_structure_get_int (st, "rate", &rate)
      && gst_structure_get_int (st, "channels", &channels))
    g_print ("%s: decoding %d Hz %d-channel audio\n", media->name, rate,
        channels);
  return GST_PAD_PROBE_REMOVE;
}

static void
add_probe (CallMedia *media, GstElement *element, const gchar *pad_name,
    gint *counter, GstPadProbeCallback probe)
{
  GstPad *pad = gst_element_get_static_pad (element, pad_name);

  g_object_set_data (G_OBJECT (pad), "call-media", media);
  gst_pad_add_probe (pad,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, probe,
      counter, NULL);
  gst_object_unref (pad);
}

static GstElement *
make (const gchar *factory)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  if (!e)
    g_printerr ("the %s element is missing\n", factory);
  return e;
}

/* Streaming thread: rtcbin exposes a received stream; decode it by its
 * caps, count, and show or play it (or just count, headless). */
static void
on_pad_added (GstElement *rtcbin, GstPad *pad, CallMedia *media)
{
  GstCaps *caps;
  const gchar *encoding;
  gboolean video;
  GstElement *depay, *dec, *conv, *sink, *queue;
  GstPad *sinkpad;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  caps = gst_pad_get_current_caps (pad);
  if (!caps)
    caps = gst_pad_query_caps (pad, NULL);
  encoding = gst_structure_get_string (gst_caps_get_structure (caps, 0),
      "encoding-name");
  if (!encoding
      || (g_ascii_strcasecmp (encoding, "VP8") != 0
          && g_ascii_strcasecmp (encoding, "OPUS") != 0)) {
    g_printerr ("%s: %s carries %s, not decoded\n", media->name,
        GST_PAD_NAME (pad), encoding ? encoding : "an unknown encoding");
    gst_caps_unref (caps);
    return;
  }
  video = g_ascii_strcasecmp (encoding, "VP8") == 0;
  gst_caps_unref (caps);

  depay = make (video ? "rtpvp8depay" : "rtpopusdepay");
  dec = make (video ? "vp8dec" : "opusdec");
  queue = make ("queue");
  conv = make (video ? "videoconvert" : "audioconvert");
  if (media->display)
    sink = make (video ? "autovideosink" : "autoaudiosink");
  else
    sink = make ("fakesink");
  if (!depay || !dec || !queue || !conv || !sink)
    return;
  if (!media->display)
    g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add_many (GST_BIN (media->pipeline), depay, dec, queue, conv, sink,
      NULL);
  gst_element_link_many (depay, dec, queue, conv, sink, NULL);
  add_probe (media, dec, "src",
      video ? &media->counts.decoded_video_frames
            : &media->counts.decoded_audio_buffers,
      count_probe);
  sinkpad = gst_element_get_static_pad (dec, "src");
  gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, caps_probe,
      media, NULL);
  gst_object_unref (sinkpad);
  gst_pad_add_probe (pad,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, count_probe,
      video ? &media->counts.received_video_packets
            : &media->counts.received_audio_packets,
      NULL);
  gst_element_sync_state_with_parent (sink);
  gst_element_sync_state_with_parent (conv);
  gst_element_sync_state_with_parent (queue);
  gst_element_sync_state_with_parent (dec);
  gst_element_sync_state_with_parent (depay);
  sinkpad = gst_element_get_static_pad (depay, "sink");
  if (gst_pad_link (pad, sinkpad) != GST_PAD_LINK_OK)
    g_printerr ("%s: cannot link %s\n", media->name, GST_PAD_NAME (pad));
  gst_object_unref (sinkpad);
  g_print ("%s: receiving %s on %s\n", media->name, video ? "VP8" : "Opus",
      GST_PAD_NAME (pad));
  gst_element_post_message (media->pipeline,
      gst_message_new_latency (GST_OBJECT (media->pipeline)));
}

static gboolean
on_bus (GstBus *bus, GstMessage *msg, gpointer user_data)
{
  CallMedia *media = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *debug = NULL;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (msg, &error, &debug);
      g_printerr ("%s: error from %s: %s (%s)\n", media->name,
          GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), error->message,
          debug ? debug : "");
      if (!media->error)
        media->error = g_strdup (error->message);
      break;
    case GST_MESSAGE_LATENCY:
      /* A receive branch joined the playing pipeline: its sinks must wait
       * for the jitter buffers' latency, else they drop late frames. */
      gst_bin_recalculate_latency (GST_BIN (media->pipeline));
      break;
    case GST_MESSAGE_WARNING:
      gst_message_parse_warning (msg, &error, &debug);
      g_printerr ("%s: warning from %s: %s\n", media->name,
          GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), error->message);
      break;
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

/* The send transceivers exist before any caps arrive, so the first offer
 * has both m-lines (audio first, as browsers put them) and the payloaders'
 * sink pads bind to them. */
gboolean
call_media_add_transceivers (CallMedia *media, GError **error)
{
  static const gchar *caps_str[] = {
    "application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,"
    "encoding-params=(string)2,payload=111",
    "application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,"
    "payload=96",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (caps_str); i++) {
    GstCaps *caps = gst_caps_from_string (caps_str[i]);
    GstRtcRtpTransceiver *trans = NULL;

    g_signal_emit_by_name (media->rtcbin, "add-transceiver",
        GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, caps, &trans);
    gst_caps_unref (caps);
    if (!trans) {
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED,
          "rtcbin refused a transceiver for %s", caps_str[i]);
      return FALSE;
    }
    gst_object_unref (trans);
  }
  return TRUE;
}

CallMedia *
call_media_new (const gchar *name, const CallMediaConfig *config,
    GError **error)
{
  CallMedia *media = g_new0 (CallMedia, 1);
  gboolean camera = config->devices && has_camera ();
  gboolean microphone = config->devices && has_microphone ();
  g_autofree gchar *desc = NULL;
  GstElement *pay;
  GstBus *bus;

  media->name = g_strdup (name);
  media->display = config->display;
  media->sources = g_strdup_printf ("%s and %s",
      camera ? "camera (v4l2src)" : "test pattern",
      microphone ? "microphone (alsasrc)" : "test tone");
  desc = g_strconcat ("rtcbin name=rtc ",
      camera ? "v4l2src ! decodebin ! videoconvert ! videoscale ! videorate ! "
               "video/x-raw,width=640,height=480,framerate=30/1 ! "
             : "videotestsrc is-live=true pattern=ball ! "
               "video/x-raw,width=320,height=240,framerate=30/1 ! ",
      VP8_SEND,
      /* Not wave=ticks: it leaves most samples uninitialised. */
      microphone ? "alsasrc ! queue ! "
                 : "audiotestsrc is-live=true wave=sine volume=0.2 ! ",
      OPUS_SEND, NULL);
  media->pipeline = gst_parse_launch (desc, error);
  if (!media->pipeline) {
    call_media_free (media);
    return NULL;
  }
  gst_object_ref_sink (media->pipeline);
  media->rtcbin = gst_bin_get_by_name (GST_BIN (media->pipeline), "rtc");
  if (config->local_addresses)
    g_object_set (media->rtcbin, "local-addresses", config->local_addresses,
        NULL);
  g_signal_connect (media->rtcbin, "pad-added", G_CALLBACK (on_pad_added),
      media);

  pay = gst_bin_get_by_name (GST_BIN (media->pipeline), "apay");
  add_probe (media, pay, "src", &media->counts.sent_audio_packets, send_probe);
  gst_object_unref (pay);
  pay = gst_bin_get_by_name (GST_BIN (media->pipeline), "vpay");
  add_probe (media, pay, "src", &media->counts.sent_video_packets, send_probe);
  gst_object_unref (pay);

  bus = gst_element_get_bus (media->pipeline);
  media->bus_watch = gst_bus_add_watch (bus, on_bus, media);
  gst_object_unref (bus);
  return media;
}

/* The rtcbin, for its signals: connect them before
 * call_media_add_transceivers(), which asks for negotiation. */
GstElement *
call_media_get_rtcbin (CallMedia *media)
{
  return media->rtcbin;
}

gboolean
call_media_start (CallMedia *media)
{
  return gst_element_set_state (media->pipeline, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE;
}

/* From then on, what the payloaders send counts as sent. The encoder
 * starts over with a keyframe: the ones sent before were dropped, and
 * the peer's picture loss reports do not reach it yet. */
void
call_media_set_connected (CallMedia *media, gboolean connected)
{
  g_atomic_int_set (&media->connected, connected);
  if (connected) {
    GstElement *pay = gst_bin_get_by_name (GST_BIN (media->pipeline), "vpay");
    GstPad *pad = gst_element_get_static_pad (pay, "src");

    gst_pad_send_event (pad,
        gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE, TRUE,
            0));
    gst_object_unref (pad);
    gst_object_unref (pay);
  }
}

void
call_media_get_counts (CallMedia *media, CallCounts *counts)
{
  counts->sent_audio_packets = g_atomic_int_get (
      &media->counts.sent_audio_packets);
  counts->sent_video_packets = g_atomic_int_get (
      &media->counts.sent_video_packets);
  counts->received_audio_packets = g_atomic_int_get (
      &media->counts.received_audio_packets);
  counts->received_video_packets = g_atomic_int_get (
      &media->counts.received_video_packets);
  counts->decoded_audio_buffers = g_atomic_int_get (
      &media->counts.decoded_audio_buffers);
  counts->decoded_video_frames = g_atomic_int_get (
      &media->counts.decoded_video_frames);
}

/* "camera (v4l2src) and test tone", for the log. */
const gchar *
call_media_describe_sources (CallMedia *media)
{
  return media->sources;
}

/* The first error the pipeline posted, or NULL. */
const gchar *
call_media_get_error (CallMedia *media)
{
  return media->error;
}

void
call_media_free (CallMedia *media)
{
  if (media->pipeline) {
    gst_element_set_state (media->pipeline, GST_STATE_NULL);
    g_signal_handlers_disconnect_by_data (media->rtcbin, media);
  }
  if (media->bus_watch)
    g_source_remove (media->bus_watch);
  gst_clear_object (&media->rtcbin);
  gst_clear_object (&media->pipeline);
  g_free (media->name);
  g_free (media->sources);
  g_free (media->error);
  g_free (media);
}
