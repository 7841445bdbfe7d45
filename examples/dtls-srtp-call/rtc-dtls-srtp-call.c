/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * rtc-dtls-srtp-call: an encrypted audio and video call between two
 * GStreamer pipelines, "alice" and "bob", in one process.
 *
 * Each side encodes Opus audio and VP8 video, hands them to rtpbin (which
 * adds RTCP) and protects all of it in one rtcdtlssrtpenc; the packets go
 * over UDP on 127.0.0.1 to the other side's rtcdtlssrtpdec, which decrypts
 * them for rtpbin to jitter-buffer and hand to the depayloaders and
 * decoders. Each side's encoder and decoder share one DTLS connection
 * (their connection-id), over which the handshake runs before any media
 * may leave.
 *
 * Before the call starts the sides exchange what signalling (SDP) carries
 * in a real call: their certificate fingerprints, so that each rejects any
 * DTLS peer but the other, and the SSRCs and payload types of their
 * streams, by which the receiver sorts audio from video. alice is the DTLS
 * client (a=setup:active), bob the server.
 *
 * Every second it prints what each side protected, decrypted, dropped and
 * decoded. At the end alice hangs up: her encoder ends the DTLS connection
 * with close_notify, and bob, seeing his connection closed, hangs up too.
 * It exits 0 only if DTLS connected on both sides and both
 * directions decoded audio and video, 1 if not, 2 on bad options.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <stdio.h>

#define AUDIO_PT 96
#define VIDEO_PT 97

/* What the SDP's rtpmap and rtcp-fb lines would say about each payload
 * type. Video that starts before the handshake loses its first keyframe
 * (nothing leaves unencrypted), so the receiver asks for another with an
 * RTCP PLI, which the sender's "nack pli" allows; the encoder also makes
 * a keyframe every second, so a lost request costs at most that. */
#define AUDIO_RTP_CAPS \
  "application/x-rtp, media=audio, clock-rate=48000, " \
  "encoding-name=OPUS, encoding-params=(string)2"
#define VIDEO_RTP_CAPS \
  "application/x-rtp, media=video, clock-rate=90000, " \
  "encoding-name=VP8, rtcp-fb-nack-pli=(boolean)true"

/* On loopback the handshake takes milliseconds: after this long it is not
 * coming. */
#define HANDSHAKE_TIMEOUT_S 3
/* How long the pipelines may take to drain after EOS before they are
 * stopped anyway. */
#define DRAIN_TIMEOUT_MS 2000

typedef struct _Call Call;

typedef struct {
  Call *call;
  const gchar *name;
  gboolean is_client;
  /* What this side sends, as its SDP would announce it. */
  guint32 audio_ssrc, video_ssrc;

  GstElement *pipeline;
  GstElement *enc, *dec, *udpsrc, *udpsink;
  guint bus_watch;

  /* Counted in streaming threads. */
  gint audio_decoded, video_decoded;
  /* Set from the bus, in the main thread. */
  gint64 keyed_after_ms; /* -1 until on-key-set */
  gboolean hung_up, eos;
} Side;

struct _Call {
  GMainLoop *loop;
  Side alice, bob;
  gint64 start_us;
  gint elapsed_s;
  gboolean draining;
  gchar *failure;
  guint tick_id, handshake_id, drain_id;
};

static gint opt_seconds = 5;
static gboolean opt_devices;
static gboolean opt_show;
static gchar *opt_profile;

static GOptionEntry entries[]
    = { { "seconds", 's', 0, G_OPTION_ARG_INT, &opt_seconds,
            "How long the call lasts (default: 5)", "N" },
        { "devices", 'd', 0, G_OPTION_ARG_NONE, &opt_devices,
            "alice sends from the first camera and microphone found (bob keeps "
            "test sources: one machine has one camera)",
            NULL },
        { "show", 0, 0, G_OPTION_ARG_NONE, &opt_show,
            "Play received audio and show received video instead of discarding "
            "them",
            NULL },
        { "profile", 'p', 0, G_OPTION_ARG_STRING, &opt_profile,
            "DTLS-SRTP protection profiles both sides offer, colon-separated, "
            "most preferred first (AEAD_AES_128_GCM, AEAD_AES_256_GCM, "
            "AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32)",
            "P[:P...]" },
        { NULL } };

static Side *
peer_of (Side *side)
{
  Call *call = side->call;

  return side == &call->alice ? &call->bob : &call->alice;
}

static gint64
elapsed_ms (Call *call)
{
  return (g_get_monotonic_time () - call->start_us) / 1000;
}

/* Ends the call early; the first reason is the one reported. */
static void call_fail (Call *call, const gchar *format, ...)
    G_GNUC_PRINTF (2, 3);

static void
call_fail (Call *call, const gchar *format, ...)
{
  va_list args;

  if (!call->failure) {
    va_start (args, format);
    call->failure = g_strdup_vprintf (format, args);
    va_end (args);
  }
  g_main_loop_quit (call->loop);
}

/* ---- reading the DTLS-SRTP elements ---- */

static guint64
stat (const GstStructure *stats, const gchar *field)
{
  guint64 value = 0;

  gst_structure_get_uint64 (stats, field, &value);
  return value;
}

static guint64
dropped (const GstStructure *stats)
{
  return stat (stats, "dropped-not-ready") + stat (stats, "dropped-invalid")
      + stat (stats, "dropped-replay") + stat (stats, "dropped-auth")
      + stat (stats, "dropped-error");
}

static GstStructure *
get_stats (GstElement *element)
{
  GstStructure *stats;

  g_object_get (element, "stats", &stats, NULL);
  return stats;
}

/* The nick ("connected", "failed"…) of the connection-state enum, read
 * through GObject so this program needs no header of the plugin. */
static const gchar *
connection_state (GstElement *element)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (
                                                        element),
      "connection-state");
  GEnumValue *value;
  gint state;

  g_object_get (element, "connection-state", &state, NULL);
  value = g_enum_get_value (G_PARAM_SPEC_ENUM (pspec)->enum_class, state);
  return value ? value->value_nick : "unknown";
}

static void
print_progress (Side *side)
{
  GstStructure *tx = get_stats (side->enc);
  GstStructure *rx = get_stats (side->dec);

  g_print ("[%2ds] %-5s %-10s %-23s | sent rtp %4" G_GUINT64_FORMAT
           " rtcp %2" G_GUINT64_FORMAT " dropped %3" G_GUINT64_FORMAT
           " | decrypted rtp %4" G_GUINT64_FORMAT " rtcp %2" G_GUINT64_FORMAT
           " dropped %3" G_GUINT64_FORMAT " | decoded audio %3d video %3d\n",
      side->call->elapsed_s, side->name, connection_state (side->dec),
      gst_structure_get_string (rx, "srtp-profile"), stat (tx, "rtp-packets"),
      stat (tx, "rtcp-packets"), dropped (tx), stat (rx, "rtp-packets"),
      stat (rx, "rtcp-packets"), dropped (rx),
      g_atomic_int_get (&side->audio_decoded),
      g_atomic_int_get (&side->video_decoded));
  gst_structure_free (tx);
  gst_structure_free (rx);
}

/* ---- building a side ---- */

/* An rtpbin session suggests its own SSRC to the payloader through caps;
 * make it the one the peer was told about, or the payloader may take it
 * instead of its ssrc property. */
static void
use_announced_ssrc (GstElement *rtpbin, guint session_id, guint32 ssrc)
{
  GObject *session = NULL;

  g_signal_emit_by_name (rtpbin, "get-internal-session", session_id, &session);
  g_object_set (session, "internal-ssrc", ssrc, NULL);
  g_object_unref (session);
}

/* rtpssrcdemux adds a pad for an SSRC when its first RTP packet arrives;
 * it goes to the session of that SSRC. RTCP does not pass the demuxer: a
 * pad pair made by an RTCP packet would carry RTCP caps to rtpbin's RTP
 * input. Both sessions get all RTCP and keep the reports that concern
 * them. */
static void
on_ssrc_pad_added (GstElement *demux, GstPad *pad, Side *side)
{
  Side *peer = peer_of (side);
  const gchar *name = GST_PAD_NAME (pad);
  guint32 ssrc;
  GstElement *rtpbin;
  GstPad *sink;
  gchar *sink_name;

  if (!g_str_has_prefix (name, "src_"))
    return;
  ssrc = (guint32)g_ascii_strtoull (name + strlen ("src_"), NULL, 10);
  if (ssrc != peer->audio_ssrc && ssrc != peer->video_ssrc) {
    g_printerr ("%s: ignoring unannounced SSRC %u\n", side->name, ssrc);
    return;
  }
  sink_name = g_strdup_printf ("recv_rtp_sink_%u",
      ssrc == peer->audio_ssrc ? 0 : 1);
  rtpbin = gst_bin_get_by_name (GST_BIN (side->pipeline), "rtpbin");
  sink = gst_element_request_pad_simple (rtpbin, sink_name);
  if (!sink || gst_pad_link (pad, sink) != GST_PAD_LINK_OK)
    g_printerr ("%s: could not link %s to rtpbin's %s\n", side->name, name,
        sink_name);
  g_clear_object (&sink);
  gst_object_unref (rtpbin);
  g_free (sink_name);
}

static gchar *
describe_pipeline (Side *side)
{
  Side *peer = peer_of (side);
  const gchar *audio_out = opt_show
      ? "audioconvert ! audioresample ! autoaudiosink"
      : "fakesink async=false";
  const gchar *video_out = opt_show ? "videoconvert ! autovideosink"
                                    : "fakesink async=false";

  /* The program adds the sources and links them to audio_in/video_in.
   * Both UDP sockets are bound to 127.0.0.1: the call never leaves the
   * machine.
   *
   * rtpbin runs one RTP session per medium: 0 for audio, 1 for video. Its
   * savpf profile sends RTCP feedback (the PLI) at once rather than at the
   * next regular report; loopback needs little jitter buffering.
   *
   * All four streams share one transport, so the receiving half sorts the
   * decrypted packets by the SSRCs the peer announced: RTP and RTCP of the
   * peer's audio go to session 0, of its video to session 1, where the
   * local audio and video are sent, so that each session's reports reach
   * the right sender. The demuxer's pads appear with the first RTP packet of
   * an SSRC and on_ssrc_pad_added links them; rtpbin's output
   * pads (named by SSRC and payload type) gst_parse links when they appear. */
  return g_strdup_printf ("rtpbin name=rtpbin latency=100 rtp-profile=savpf "
                          "audioconvert name=audio_in ! audioresample ! "
                          "opusenc ! "
                          "  rtpopuspay pt=%u ssrc=%u ! rtpbin.send_rtp_sink_0 "
                          "videoconvert name=video_in ! videoscale ! "
                          "  video/x-raw,width=320,height=240 ! vp8enc "
                          "deadline=1 keyframe-max-dist=30 ! "
                          "  rtpvp8pay pt=%u ssrc=%u ! rtpbin.send_rtp_sink_1 "
                          "rtcdtlssrtpenc name=enc connection-id=%s "
                          "is-client=%s ! "
                          "  udpsink name=udpsink bind-address=127.0.0.1 "
                          "host=127.0.0.1 "
                          "    sync=false async=false "
                          "rtpbin.send_rtp_src_0 ! enc.rtp_sink_0 "
                          "rtpbin.send_rtp_src_1 ! enc.rtp_sink_1 "
                          "rtpbin.send_rtcp_src_0 ! enc.rtcp_sink_0 "
                          "rtpbin.send_rtcp_src_1 ! enc.rtcp_sink_1 "
                          "udpsrc name=udpsrc address=127.0.0.1 port=0 "
                          "reuse=false ! "
                          "  rtcdtlssrtpdec name=dec connection-id=%s "
                          "dec.rtp_src ! rtpssrcdemux name=ssrcdemux "
                          "dec.rtcp_src ! tee name=rtcptee "
                          "rtcptee. ! rtpbin.recv_rtcp_sink_0 rtcptee. ! "
                          "rtpbin.recv_rtcp_sink_1 "
                          "rtpbin.recv_rtp_src_0_%u_%u ! rtpopusdepay ! "
                          "  opusdec name=audio_dec ! %s "
                          "rtpbin.recv_rtp_src_1_%u_%u ! "
                          "  rtpvp8depay request-keyframe=true "
                          "wait-for-keyframe=true ! "
                          "  vp8dec name=video_dec ! %s",
      AUDIO_PT, side->audio_ssrc, VIDEO_PT, side->video_ssrc, side->name,
      side->is_client ? "true" : "false", side->name, peer->audio_ssrc,
      AUDIO_PT, audio_out, peer->video_ssrc, VIDEO_PT, video_out);
}

/* The caps rtpbin asks for when it meets a payload type: what the SDP's
 * rtpmap lines would have told it. */
static GstCaps *
on_request_pt_map (GstElement *rtpbin, guint session, guint pt,
    gpointer user_data)
{
  if (session == 0 && pt == AUDIO_PT)
    return gst_caps_from_string (AUDIO_RTP_CAPS);
  if (session == 1 && pt == VIDEO_PT)
    return gst_caps_from_string (VIDEO_RTP_CAPS);
  return NULL;
}

static GstPadProbeReturn
count_buffer (GstPad *pad, GstPadProbeInfo *info, gpointer counter)
{
  g_atomic_int_inc ((gint *)counter);
  return GST_PAD_PROBE_OK;
}

static void
count_output (GstElement *pipeline, const gchar *name, gint *counter)
{
  GstElement *element = gst_bin_get_by_name (GST_BIN (pipeline), name);
  GstPad *pad = gst_element_get_static_pad (element, "src");

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_buffer, counter,
      NULL);
  gst_object_unref (pad);
  gst_object_unref (element);
}

/* Runs in whichever thread finished the handshake: the main loop hears of
 * it through the bus. */
static void
on_key_set (GstElement *enc, Side *side)
{
  gst_element_post_message (enc,
      gst_message_new_application (GST_OBJECT (enc),
          gst_structure_new ("keys-set", "elapsed-ms", G_TYPE_INT64,
              elapsed_ms (side->call), NULL)));
}

/* Likewise for a state change, which a received close_notify makes too. */
static void
on_connection_state (GstElement *dec, GParamSpec *pspec, Side *side)
{
  gst_element_post_message (dec,
      gst_message_new_application (GST_OBJECT (dec),
          gst_structure_new ("connection-state", "state", G_TYPE_STRING,
              connection_state (dec), NULL)));
}

static GstDevice *
find_device (const gchar *klass, const gchar *caps_str)
{
  GstDeviceMonitor *monitor = gst_device_monitor_new ();
  GstCaps *caps = gst_caps_from_string (caps_str);
  GstDevice *device = NULL;
  GList *devices;

  gst_device_monitor_add_filter (monitor, klass, caps);
  gst_caps_unref (caps);
  devices = gst_device_monitor_get_devices (monitor);
  if (devices)
    device = gst_object_ref (devices->data);
  g_list_free_full (devices, gst_object_unref);
  gst_object_unref (monitor);
  return device;
}

/* A capture device when asked for and present, else a live test source
 * (so the call runs headless); each side's tone and pattern differ so that
 * --show tells them apart. */
static gboolean
add_source (Side *side, gboolean video)
{
  GstDevice *device = NULL;
  GstElement *src, *convert;
  gboolean ok;

  if (opt_devices && side->is_client) {
    device = video ? find_device ("Video/Source", "video/x-raw")
                   : find_device ("Audio/Source", "audio/x-raw");
    if (!device)
      g_print ("%s: no %s found, sending a test %s\n", side->name,
          video ? "camera" : "microphone", video ? "pattern" : "tone");
  }
  if (device) {
    gchar *device_name = gst_device_get_display_name (device);

    g_print ("%s: sending from %s\n", side->name, device_name);
    g_free (device_name);
    src = gst_device_create_element (device, NULL);
    gst_object_unref (device);
  } else if (video) {
    src = gst_element_factory_make ("videotestsrc", NULL);
    g_object_set (src, "is-live", TRUE, NULL);
    gst_util_set_object_arg (G_OBJECT (src), "pattern",
        side->is_client ? "ball" : "smpte");
  } else {
    src = gst_element_factory_make ("audiotestsrc", NULL);
    g_object_set (src, "is-live", TRUE, "volume", 0.2, "freq",
        side->is_client ? 440.0 : 660.0, NULL);
  }
  if (!src) {
    g_printerr ("%s: could not create the %s source\n", side->name,
        video ? "video" : "audio");
    return FALSE;
  }

  convert = gst_bin_get_by_name (GST_BIN (side->pipeline),
      video ? "video_in" : "audio_in");
  gst_bin_add (GST_BIN (side->pipeline), src);
  ok = gst_element_link (src, convert);
  if (!ok)
    g_printerr ("%s: could not link %s to the %s encoder\n", side->name,
        GST_OBJECT_NAME (src), video ? "video" : "audio");
  gst_object_unref (convert);
  return ok;
}

static gboolean on_bus_message (GstBus *bus, GstMessage *msg, gpointer data);

static gboolean
build_side (Side *side)
{
  GError *error = NULL;
  gchar *description = describe_pipeline (side);
  GstElement *rtpbin, *demux;
  GstBus *bus;

  side->pipeline = gst_parse_launch_full (description, NULL,
      GST_PARSE_FLAG_FATAL_ERRORS, &error);
  g_free (description);
  if (!side->pipeline) {
    g_printerr ("%s: could not build the pipeline: %s\n", side->name,
        error->message);
    if (g_error_matches (error, GST_PARSE_ERROR,
            GST_PARSE_ERROR_NO_SUCH_ELEMENT))
      g_printerr ("The call needs gst-plugins-base and -good (Debian: "
                  "gstreamer1.0-plugins-base gstreamer1.0-plugins-good)\n");
    g_error_free (error);
    return FALSE;
  }
  gst_object_set_name (GST_OBJECT (side->pipeline), side->name);

  side->enc = gst_bin_get_by_name (GST_BIN (side->pipeline), "enc");
  side->dec = gst_bin_get_by_name (GST_BIN (side->pipeline), "dec");
  side->udpsrc = gst_bin_get_by_name (GST_BIN (side->pipeline), "udpsrc");
  side->udpsink = gst_bin_get_by_name (GST_BIN (side->pipeline), "udpsink");

  rtpbin = gst_bin_get_by_name (GST_BIN (side->pipeline), "rtpbin");
  g_signal_connect (rtpbin, "request-pt-map", G_CALLBACK (on_request_pt_map),
      NULL);
  use_announced_ssrc (rtpbin, 0, side->audio_ssrc);
  use_announced_ssrc (rtpbin, 1, side->video_ssrc);
  gst_object_unref (rtpbin);
  demux = gst_bin_get_by_name (GST_BIN (side->pipeline), "ssrcdemux");
  g_signal_connect (demux, "pad-added", G_CALLBACK (on_ssrc_pad_added), side);
  gst_object_unref (demux);
  g_signal_connect (side->enc, "on-key-set", G_CALLBACK (on_key_set), side);
  g_signal_connect (side->dec, "notify::connection-state",
      G_CALLBACK (on_connection_state), side);
  count_output (side->pipeline, "audio_dec", &side->audio_decoded);
  count_output (side->pipeline, "video_dec", &side->video_decoded);

  if (opt_profile) {
    gchar *profiles;

    g_object_set (side->enc, "srtp-profiles", opt_profile, NULL);
    /* The element keeps its old value when it refuses the new one. */
    g_object_get (side->enc, "srtp-profiles", &profiles, NULL);
    if (g_strcmp0 (profiles, opt_profile) != 0) {
      g_printerr ("--profile '%s' is not a list of SRTP profiles\n",
          opt_profile);
      g_free (profiles);
      return FALSE;
    }
    g_free (profiles);
  }

  bus = gst_element_get_bus (side->pipeline);
  side->bus_watch = gst_bus_add_watch (bus, on_bus_message, side);
  gst_object_unref (bus);

  return add_source (side, FALSE) && add_source (side, TRUE);
}

static void
free_side (Side *side)
{
  if (side->bus_watch)
    g_source_remove (side->bus_watch);
  if (side->pipeline)
    gst_element_set_state (side->pipeline, GST_STATE_NULL);
  gst_clear_object (&side->enc);
  gst_clear_object (&side->dec);
  gst_clear_object (&side->udpsrc);
  gst_clear_object (&side->udpsink);
  gst_clear_object (&side->pipeline);
}

/* What signalling would carry between the sides before the call. From
 * here on each decoder accepts only the other's certificate. */
static gboolean
exchange_fingerprints (Call *call)
{
  gchar *alice_fp, *bob_fp;
  gboolean ok;

  g_object_get (call->alice.dec, "fingerprint", &alice_fp, NULL);
  g_object_get (call->bob.dec, "fingerprint", &bob_fp, NULL);
  /* An unset peer-fingerprint would accept any peer. */
  ok = alice_fp && bob_fp;
  if (ok) {
    g_print ("alice: fingerprint %s\n", alice_fp);
    g_print ("bob:   fingerprint %s\n", bob_fp);
    g_object_set (call->alice.dec, "peer-fingerprint", bob_fp, NULL);
    g_object_set (call->bob.dec, "peer-fingerprint", alice_fp, NULL);
  } else {
    call->failure = g_strdup ("could not create the DTLS certificates");
  }
  g_free (alice_fp);
  g_free (bob_fp);
  return ok;
}

/* Why a side's last state change failed, from the message its element
 * posted. */
static gchar *
pop_error (Side *side)
{
  GstBus *bus = gst_element_get_bus (side->pipeline);
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  GError *error = NULL;
  gchar *text;

  gst_object_unref (bus);
  if (!msg)
    return g_strdup_printf ("%s: state change failed", side->name);
  gst_message_parse_error (msg, &error, NULL);
  text = g_strdup_printf ("%s: %s: %s", side->name,
      GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), error->message);
  g_error_free (error);
  gst_message_unref (msg);
  return text;
}

static gboolean
set_state (Call *call, GstState state)
{
  Side *sides[] = { &call->alice, &call->bob };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sides); i++) {
    if (gst_element_set_state (sides[i]->pipeline, state)
        == GST_STATE_CHANGE_FAILURE) {
      call->failure = pop_error (sides[i]);
      return FALSE;
    }
  }
  return TRUE;
}

/* Each udpsrc binds a free port of its own choosing in READY; the peer
 * sends there. It binds without SO_REUSEADDR: otherwise a socket bound
 * later to "any free port" (a udpsink's) may be given the same port and
 * take its packets. */
static gboolean
connect_ports (Call *call)
{
  Side *sides[] = { &call->alice, &call->bob };
  guint i;

  if (!set_state (call, GST_STATE_READY))
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (sides); i++) {
    gint port;

    g_object_get (sides[i]->udpsrc, "port", &port, NULL);
    g_object_set (peer_of (sides[i])->udpsink, "port", port, NULL);
    g_print ("%s: receives on 127.0.0.1:%d\n", sides[i]->name, port);
  }
  return TRUE;
}

/* ---- running the call ---- */

static gboolean
on_handshake_timeout (gpointer data)
{
  Call *call = data;

  call->handshake_id = 0;
  if (call->alice.keyed_after_ms < 0 || call->bob.keyed_after_ms < 0)
    call_fail (call,
        "DTLS handshake did not complete within %d s "
        "(alice: %s, bob: %s)",
        HANDSHAKE_TIMEOUT_S, connection_state (call->alice.dec),
        connection_state (call->bob.dec));
  return G_SOURCE_REMOVE;
}

static gboolean
on_drain_timeout (gpointer data)
{
  Call *call = data;

  call->drain_id = 0;
  g_print ("note: the pipelines did not drain within %d ms, stopping them\n",
      DRAIN_TIMEOUT_MS);
  g_main_loop_quit (call->loop);
  return G_SOURCE_REMOVE;
}

/* EOS from every source of the side: the encoder sends close_notify once
 * all its inputs have ended, and the receivers finish what they have. */
static void
hang_up (Side *side)
{
  side->hung_up = TRUE;
  gst_element_send_event (side->pipeline, gst_event_new_eos ());
}

static gboolean
on_tick (gpointer data)
{
  Call *call = data;

  call->elapsed_s++;
  print_progress (&call->alice);
  print_progress (&call->bob);
  if (call->elapsed_s < opt_seconds)
    return G_SOURCE_CONTINUE;
  call->tick_id = 0;
  call->draining = TRUE;
  call->drain_id = g_timeout_add (DRAIN_TIMEOUT_MS, on_drain_timeout, call);
  g_print ("alice hangs up\n");
  hang_up (&call->alice);
  return G_SOURCE_REMOVE;
}

static gboolean
on_bus_message (GstBus *bus, GstMessage *msg, gpointer data)
{
  Side *side = data;
  Call *call = side->call;
  GError *error = NULL;
  gchar *debug = NULL;
  const GstStructure *s;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (msg, &error, &debug);
      call_fail (call, "%s: %s: %s%s%s", side->name,
          GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), error->message,
          debug ? "\n  " : "", debug ? debug : "");
      break;
    case GST_MESSAGE_WARNING:
      gst_message_parse_warning (msg, &error, &debug);
      g_printerr ("%s: warning from %s: %s\n", side->name,
          GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), error->message);
      break;
    case GST_MESSAGE_APPLICATION:
      s = gst_message_get_structure (msg);
      if (gst_structure_has_name (s, "keys-set")) {
        /* The encoder holds its keys when it says so; the decoder may
         * take them a moment later. */
        GstStructure *stats = get_stats (side->enc);

        gst_structure_get_int64 (s, "elapsed-ms", &side->keyed_after_ms);
        g_print ("%s: DTLS connected as %s after %" G_GINT64_FORMAT
                 " ms, SRTP keyed with %s\n",
            side->name, side->is_client ? "client" : "server",
            side->keyed_after_ms,
            gst_structure_get_string (stats, "srtp-profile"));
        gst_structure_free (stats);
      } else if (gst_structure_has_name (s, "connection-state")
          && call->draining && !side->hung_up
          && g_str_equal (gst_structure_get_string (s, "state"), "closed")) {
        g_print ("%s: DTLS connection closed by %s, hangs up too\n", side->name,
            peer_of (side)->name);
        hang_up (side);
      }
      break;
    case GST_MESSAGE_EOS:
      side->eos = TRUE;
      if (call->draining && peer_of (side)->eos)
        g_main_loop_quit (call->loop);
      break;
    default:
      break;
  }
  g_clear_error (&error);
  g_free (debug);
  return G_SOURCE_CONTINUE;
}

/* ---- the outcome ---- */

static void
print_summary (Side *side)
{
  GstStructure *tx = get_stats (side->enc);
  GstStructure *rx = get_stats (side->dec);

  g_print ("%s (DTLS %s, now %s):\n", side->name,
      side->is_client ? "client" : "server", connection_state (side->dec));
  if (side->keyed_after_ms >= 0)
    g_print ("  handshake   connected after %" G_GINT64_FORMAT " ms, %s\n",
        side->keyed_after_ms, gst_structure_get_string (rx, "srtp-profile"));
  else
    g_print ("  handshake   never connected\n");
  g_print ("  protected   rtp %" G_GUINT64_FORMAT ", rtcp %" G_GUINT64_FORMAT
           ", dtls %" G_GUINT64_FORMAT "; dropped %" G_GUINT64_FORMAT
           " before keys\n",
      stat (tx, "rtp-packets"), stat (tx, "rtcp-packets"),
      stat (tx, "dtls-packets"), stat (tx, "dropped-not-ready"));
  g_print ("  decrypted   rtp %" G_GUINT64_FORMAT ", rtcp %" G_GUINT64_FORMAT
           ", dtls %" G_GUINT64_FORMAT "; dropped: not-ready %" G_GUINT64_FORMAT
           ", invalid %" G_GUINT64_FORMAT ", replay %" G_GUINT64_FORMAT
           ", auth %" G_GUINT64_FORMAT ", error %" G_GUINT64_FORMAT "\n",
      stat (rx, "rtp-packets"), stat (rx, "rtcp-packets"),
      stat (rx, "dtls-packets"), stat (rx, "dropped-not-ready"),
      stat (rx, "dropped-invalid"), stat (rx, "dropped-replay"),
      stat (rx, "dropped-auth"), stat (rx, "dropped-error"));
  g_print ("  decoded     %d audio buffers, %d video frames from %s\n",
      g_atomic_int_get (&side->audio_decoded),
      g_atomic_int_get (&side->video_decoded), peer_of (side)->name);
  gst_structure_free (tx);
  gst_structure_free (rx);
}

/* Returns the reasons the call did not work, or NULL if it did. */
static gchar *
check_side (Side *side)
{
  GString *problems = g_string_new (NULL);

  if (side->keyed_after_ms < 0)
    g_string_append_printf (problems, "%s: DTLS never connected\n", side->name);
  if (g_atomic_int_get (&side->audio_decoded) == 0)
    g_string_append_printf (problems, "%s decoded no audio from %s\n",
        side->name, peer_of (side)->name);
  if (g_atomic_int_get (&side->video_decoded) == 0)
    g_string_append_printf (problems, "%s decoded no video from %s\n",
        side->name, peer_of (side)->name);
  return g_string_free (problems, problems->len == 0);
}

static gboolean
report (Call *call)
{
  gchar *alice_problems, *bob_problems;
  gboolean ok;

  g_print ("\nSummary after %d s:\n", call->elapsed_s);
  print_summary (&call->alice);
  print_summary (&call->bob);

  alice_problems = check_side (&call->alice);
  bob_problems = check_side (&call->bob);
  ok = !call->failure && !alice_problems && !bob_problems;
  if (ok) {
    g_print ("\nOK: audio and video went both ways, encrypted with "
             "DTLS-SRTP\n");
  } else {
    /* After the summary, also when both go to one file. */
    fflush (stdout);
    g_printerr ("\nFAILED:\n");
    if (call->failure)
      g_printerr ("%s\n", call->failure);
    if (alice_problems)
      g_printerr ("%s", alice_problems);
    if (bob_problems)
      g_printerr ("%s", bob_problems);
  }
  g_free (alice_problems);
  g_free (bob_problems);
  return ok;
}

/* Run from the build dir without GST_PLUGIN_PATH, the program still finds
 * the plugin it was built with. */
static gboolean
find_plugin (void)
{
  GstElementFactory *factory = gst_element_factory_find ("rtcdtlssrtpenc");

#ifdef RTC_PLUGIN_BUILD_DIR
  if (!factory) {
    gst_registry_scan_path (gst_registry_get (), RTC_PLUGIN_BUILD_DIR);
    factory = gst_element_factory_find ("rtcdtlssrtpenc");
  }
#endif
  if (!factory) {
    g_printerr (
        "rtcdtlssrtpenc not found: set GST_PLUGIN_PATH to the "
        "directory of libgstrtcwebrtc.so (in the build dir: gst/webrtc)\n");
    return FALSE;
  }
  gst_object_unref (factory);
  return TRUE;
}

/* Distinct, non-zero SSRCs for the four streams of the call. */
static void
choose_ssrcs (Call *call)
{
  guint32 ssrcs[4];
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (ssrcs); i++) {
    do {
      ssrcs[i] = g_random_int ();
      for (j = 0; j < i && ssrcs[j] != ssrcs[i]; j++)
        ;
    } while (ssrcs[i] == 0 || j < i);
  }
  call->alice.audio_ssrc = ssrcs[0];
  call->alice.video_ssrc = ssrcs[1];
  call->bob.audio_ssrc = ssrcs[2];
  call->bob.video_ssrc = ssrcs[3];
}

int
main (int argc, char **argv)
{
  GOptionContext *context;
  GError *error = NULL;
  Call call = {
    0,
  };
  gboolean ok = FALSE;

  context = g_option_context_new ("- an encrypted call through "
                                  "rtcdtlssrtpenc/rtcdtlssrtpdec");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("%s\n", error->message);
    g_error_free (error);
    g_option_context_free (context);
    return 2;
  }
  g_option_context_free (context);
  if (opt_seconds < 1) {
    g_printerr ("--seconds must be at least 1\n");
    return 2;
  }
  /* Without one, autovideosink may try sinks that crash (DirectFB). */
  if (opt_show && !g_getenv ("DISPLAY") && !g_getenv ("WAYLAND_DISPLAY")) {
    g_printerr ("--show needs a graphical session (DISPLAY or "
                "WAYLAND_DISPLAY)\n");
    return 2;
  }
  if (!find_plugin ())
    return 1;

  call.loop = g_main_loop_new (NULL, FALSE);
  call.alice.call = call.bob.call = &call;
  call.alice.name = "alice";
  call.bob.name = "bob";
  call.alice.is_client = TRUE;
  call.alice.keyed_after_ms = call.bob.keyed_after_ms = -1;
  choose_ssrcs (&call);

  if (!build_side (&call.alice) || !build_side (&call.bob))
    goto done;
  if (connect_ports (&call) && exchange_fingerprints (&call)) {
    call.start_us = g_get_monotonic_time ();
    if (set_state (&call, GST_STATE_PLAYING)) {
      call.tick_id = g_timeout_add (1000, on_tick, &call);
      call.handshake_id = g_timeout_add_seconds (HANDSHAKE_TIMEOUT_S,
          on_handshake_timeout, &call);
      g_main_loop_run (call.loop);
    }
  }
  ok = report (&call);

done:
  if (call.tick_id)
    g_source_remove (call.tick_id);
  if (call.handshake_id)
    g_source_remove (call.handshake_id);
  if (call.drain_id)
    g_source_remove (call.drain_id);
  free_side (&call.alice);
  free_side (&call.bob);
  g_free (call.failure);
  g_free (opt_profile);
  g_main_loop_unref (call.loop);
  return ok ? 0 : 1;
}
