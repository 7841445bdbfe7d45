/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Interoperability of rtcsctpenc/rtcsctpdec with gst-plugins-bad's
 * sctpenc/sctpdec (both on usrsctp). usrsctp is one stack per process and
 * gst-plugins-bad initialises it on its own, so its side runs in a child
 * process (this program with --bad-peer), the two joined by DTLS (our
 * rtcdtlssrtpenc/dec on both sides) over UDP on 127.0.0.1. bad's
 * elements do no DCEP: the child speaks it by hand (RFC 8832), through
 * the PPIDs of gst-plugins-bad's libgstsctp metas, and echoes every
 * message it gets on a channel we open; it also opens one itself and
 * checks that we echo.
 */
#include <gst/check/gstcheck.h>
#include <gst/rtc/rtc.h>
#include <gio/gio.h>
#include <dlfcn.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>

#include "rtcdcep.h"
#include "../common/rtcdatatest.h"
#include "../common/rtccheckmain.h"

/* ---- the child: gst-plugins-bad's side ---- */

typedef struct {
  GstMeta meta;
  guint32 ppid;
} SctpReceiveMeta; /* gst-plugins-bad's GstSctpReceiveMeta */

static GstMeta *(
    *add_send_meta) (GstBuffer *, guint32, gboolean, gint, guint32);
static GType (*receive_meta_api) (void);

typedef struct {
  guint stream;
  guint32 ppid;
  GBytes *data;
} Incoming;

static GAsyncQueue *incoming;
static gint established;
static GstElement *peer_pipeline, *bad_enc;
static GHashTable *stream_src; /* stream -> appsrc */

static GstFlowReturn
on_sample (GstElement *sink, gpointer data)
{
  GstSample *sample;
  GstBuffer *buf;
  GstMeta *meta;
  Incoming *in = g_new0 (Incoming, 1);
  GstMapInfo map;

  g_signal_emit_by_name (sink, "pull-sample", &sample);
  buf = gst_sample_get_buffer (sample);
  meta = gst_buffer_get_meta (buf, receive_meta_api ());
  in->stream = GPOINTER_TO_UINT (data);
  in->ppid = meta ? ((SctpReceiveMeta *)meta)->ppid : 0;
  gst_buffer_map (buf, &map, GST_MAP_READ);
  in->data = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (buf, &map);
  gst_sample_unref (sample);
  g_async_queue_push (incoming, in);
  return GST_FLOW_OK;
}

static void
on_pad_added (GstElement *dec, GstPad *pad, gpointer unused)
{
  GstElement *sink = gst_element_factory_make ("appsink", NULL);
  GstPad *sinkpad = gst_element_get_static_pad (sink, "sink");
  guint stream;

  sscanf (GST_PAD_NAME (pad), "src_%u", &stream);
  g_object_set (sink, "emit-signals", TRUE, "sync", FALSE, "async", FALSE,
      NULL);
  g_signal_connect (sink, "new-sample", G_CALLBACK (on_sample),
      GUINT_TO_POINTER (stream));
  gst_bin_add (GST_BIN (peer_pipeline), sink);
  gst_element_sync_state_with_parent (sink);
  gst_pad_link (pad, sinkpad);
  gst_object_unref (sinkpad);
}

static void
on_established (GstElement *enc, gboolean up, gpointer unused)
{
  g_atomic_int_set (&established, up);
}

/* An appsrc into sctpenc's sink_<stream>, made on first use. */
static void
peer_send (guint stream, guint32 ppid, const guint8 *data, gsize len)
{
  GstElement *src = g_hash_table_lookup (stream_src, GUINT_TO_POINTER (stream));
  GstBuffer *buf;
  GstFlowReturn ret;

  if (!src) {
    gchar *name = g_strdup_printf ("sink_%u", stream);
    GstPad *sinkpad = gst_element_request_pad (bad_enc,
        gst_element_get_pad_template (bad_enc, "sink_%u"), name, NULL);
    GstPad *srcpad;

    src = gst_element_factory_make ("appsrc", NULL);
    g_object_set (src, "format", GST_FORMAT_BYTES, NULL);
    gst_bin_add (GST_BIN (peer_pipeline), src);
    srcpad = gst_element_get_static_pad (src, "src");
    gst_pad_link (srcpad, sinkpad);
    gst_object_unref (srcpad);
    gst_object_unref (sinkpad);
    gst_element_sync_state_with_parent (src);
    g_hash_table_insert (stream_src, GUINT_TO_POINTER (stream), src);
    g_free (name);
  }
  buf = gst_buffer_new_memdup (data, len);
  add_send_meta (buf, ppid, TRUE, 0, 0);
  g_signal_emit_by_name (src, "push-buffer", buf, &ret);
  gst_buffer_unref (buf);
}

static gpointer
watch_stdin (gpointer unused)
{
  gchar line[64];

  while (fgets (line, sizeof (line), stdin))
    ;
  _exit (0); /* the test is done with us */
  return NULL;
}

static int
bad_peer_main (int listen_port, int send_port)
{
  void *lib = dlopen ("libgstsctp-1.0.so.0", RTLD_NOW);
  gchar *desc;
  GError *error = NULL;
  static const gchar hello[] = "hello from bad";
  RtcDcepOpen open = { TRUE, -1, -1, 256, (gchar *)"from-bad", (gchar *)"" };
  GBytes *open_msg;
  gint64 end;

  if (!lib) {
    g_printerr ("no libgstsctp-1.0: %s\n", dlerror ());
    return 2;
  }
  add_send_meta = dlsym (lib, "gst_sctp_buffer_add_send_meta");
  receive_meta_api = dlsym (lib, "gst_sctp_receive_meta_api_get_type");
  if (!add_send_meta || !receive_meta_api)
    return 2;
  incoming = g_async_queue_new ();
  stream_src = g_hash_table_new (NULL, NULL);

  desc = g_strdup_printf ("udpsrc address=127.0.0.1 port=%d ! rtcdtlssrtpdec "
                          "name=dd "
                          "connection-id=bad dd.rtp_src ! fakesink async=false "
                          "dd.rtcp_src ! "
                          "fakesink async=false dd.data_src ! sctpdec name=bd "
                          "sctp-association-id=7 local-sctp-port=5000 "
                          "sctpenc name=be sctp-association-id=7 "
                          "remote-sctp-port=5000 ! "
                          "de.data_sink rtcdtlssrtpenc name=de "
                          "connection-id=bad "
                          "is-client=false ! udpsink host=127.0.0.1 port=%d "
                          "async=false",
      listen_port, send_port);
  peer_pipeline = gst_parse_launch (desc, &error);
  g_free (desc);
  if (!peer_pipeline) {
    g_printerr ("child pipeline: %s\n", error->message);
    return 2;
  }
  bad_enc = gst_bin_get_by_name (GST_BIN (peer_pipeline), "be");
  {
    GstElement *bd = gst_bin_get_by_name (GST_BIN (peer_pipeline), "bd");
    g_signal_connect (bd, "pad-added", G_CALLBACK (on_pad_added), NULL);
    gst_object_unref (bd);
  }
  g_signal_connect (bad_enc, "sctp-association-established",
      G_CALLBACK (on_established), NULL);
  gst_element_set_state (peer_pipeline, GST_STATE_PLAYING);
  g_thread_unref (g_thread_new ("stdin", watch_stdin, NULL));
  g_print ("READY\n");
  fflush (stdout);

  end = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  while (!g_atomic_int_get (&established)) {
    if (g_get_monotonic_time () > end)
      return 3;
    g_usleep (1000);
  }
  /* We are the DTLS server: an odd stream. */
  open_msg = rtc_dcep_build_open (&open);
  peer_send (1, RTC_SCTP_PPID_DCEP, g_bytes_get_data (open_msg, NULL),
      g_bytes_get_size (open_msg));
  g_bytes_unref (open_msg);

  for (;;) {
    Incoming *in = g_async_queue_timeout_pop (incoming, G_USEC_PER_SEC);
    gsize len;
    const guint8 *d;

    if (!in) {
      if (g_get_monotonic_time () > end)
        return 3;
      continue;
    }
    d = g_bytes_get_data (in->data, &len);
    if (in->stream == 1) {
      if (in->ppid == RTC_SCTP_PPID_DCEP && rtc_dcep_is_ack (d, len)) {
        peer_send (1, RTC_SCTP_PPID_STRING, (const guint8 *)hello,
            strlen (hello));
      } else if (in->ppid == RTC_SCTP_PPID_STRING && len == strlen (hello)
          && memcmp (d, hello, len) == 0) {
        g_print ("ECHO-OK\n");
        fflush (stdout);
      }
    } else if (in->ppid == RTC_SCTP_PPID_DCEP) {
      RtcDcepOpen o;

      if (rtc_dcep_parse_open (d, len, &o, NULL)) {
        static const guint8 ack = RTC_DCEP_DATA_CHANNEL_ACK;
        peer_send (in->stream, RTC_SCTP_PPID_DCEP, &ack, 1);
        g_print ("OPENED %u %s\n", in->stream, o.label);
        fflush (stdout);
        rtc_dcep_open_clear (&o);
      }
    } else {
      peer_send (in->stream, in->ppid, d, len);
    }
    g_bytes_unref (in->data);
    g_free (in);
  }
}

/* ---- the test: our side ---- */

static gint announced;

static void
on_data_channel (GstElement *enc, GstRtcDataChannel *ch, gpointer unused)
{
  g_signal_connect (ch, "on-message-string",
      G_CALLBACK (rtc_data_test_echo_string), NULL);
  g_atomic_int_inc (&announced);
}

static gint
state_of (GstElement *e, const gchar *prop)
{
  gint state;

  g_object_get (e, prop, &state, NULL);
  return state;
}

static gchar *
read_line (GDataInputStream *in)
{
  gchar *line = g_data_input_stream_read_line (in, NULL, NULL, NULL);

  return line;
}

GST_START_TEST (test_channels_with_bad)
{
  gint port_a = 20000 + g_random_int_range (0, 20000);
  gint port_b = port_a + 1;
  gchar *exe = g_file_read_link ("/proc/self/exe", NULL);
  gchar *a_str = g_strdup_printf ("%d", port_b), *b_str;
  GSubprocess *child;
  GDataInputStream *out;
  GError *error = NULL;
  gchar *desc, *line;
  GstElement *pipeline, *enc, *dtls_enc, *dtls_dec;
  GstRtcDataChannel *ch;
  RtcDataTestInbox box;
  /* Not 256 KiB: gst-plugins-bad 1.22's sctpdec hands out the pieces
   * of a message usrsctp delivers partially (about 64 KiB each) as
   * separate buffers, so its echo of one 256 KiB message is four. */
  static const gsize sizes[] = { 0, 1024, 16 * 1024, 64 * 1024 };
  gint64 end;
  guint i, n = 0;
  gboolean echo_ok = FALSE, opened = FALSE;

  b_str = g_strdup_printf ("%d", port_a);
  /* The child listens on port_b and sends to port_a. */
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
          | G_SUBPROCESS_FLAGS_STDIN_PIPE,
      &error, exe, "--bad-peer", a_str, b_str, NULL);
  fail_unless (child != NULL, "%s", error ? error->message : "");
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = read_line (out);
  fail_unless_equals_string (line, "READY");
  g_free (line);

  desc = g_strdup_printf ("udpsrc address=127.0.0.1 port=%d ! rtcdtlssrtpdec "
                          "name=dd "
                          "connection-id=ours dd.rtp_src ! fakesink "
                          "async=false dd.rtcp_src ! "
                          "fakesink async=false dd.data_src ! rtcsctpdec "
                          "sctp-association-id=9 "
                          "rtcsctpenc name=se sctp-association-id=9 "
                          "is-client=true "
                          "remote-max-message-size=262144 ! de.data_sink "
                          "rtcdtlssrtpenc name=de connection-id=ours "
                          "is-client=true ! "
                          "udpsink host=127.0.0.1 port=%d async=false",
      port_a, port_b);
  pipeline = gst_parse_launch (desc, &error);
  fail_unless (pipeline != NULL, "%s", error ? error->message : "");
  g_free (desc);
  enc = gst_bin_get_by_name (GST_BIN (pipeline), "se");
  dtls_enc = gst_bin_get_by_name (GST_BIN (pipeline), "de");
  dtls_dec = gst_bin_get_by_name (GST_BIN (pipeline), "dd");
  g_signal_connect (enc, "on-data-channel", G_CALLBACK (on_data_channel), NULL);
  gst_element_set_locked_state (enc, TRUE);
  fail_unless (
      gst_element_set_state (enc, GST_STATE_READY) == GST_STATE_CHANGE_SUCCESS);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  end = g_get_monotonic_time () + RTC_TEST_MS (10000) * 1000;
  while (state_of (dtls_enc, "connection-state")
          != GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED
      || state_of (dtls_dec, "connection-state")
          != GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED) {
    fail_if (g_get_monotonic_time () > end, "DTLS did not connect");
    g_usleep (1000);
  }
  gst_element_set_locked_state (enc, FALSE);
  gst_element_sync_state_with_parent (enc);

  g_signal_emit_by_name (enc, "create-data-channel", "from-rtc", NULL, &ch);
  fail_unless (ch != NULL);
  rtc_data_test_inbox_init (&box);
  g_signal_connect (ch, "on-message-string",
      G_CALLBACK (rtc_data_test_inbox_on_string), &box);
  g_signal_connect (ch, "on-message-data",
      G_CALLBACK (rtc_data_test_inbox_on_data), &box);
  while (gst_rtc_data_channel_get_ready_state (ch)
      != GST_RTC_DATA_CHANNEL_STATE_OPEN) {
    fail_if (g_get_monotonic_time () > end, "our channel did not open");
    g_usleep (1000);
  }

  /* bad's side echoes everything we send on our channel. */
  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    guint8 *bin = g_malloc (sizes[i]);
    gchar *str = g_malloc (sizes[i] + 1);
    GBytes *b;
    GList *l;
    gsize j;

    for (j = 0; j < sizes[i]; j++) {
      bin[j] = (j * 31 + i) & 0xff;
      str[j] = 'a' + (j * 3 + i) % 26;
    }
    str[sizes[i]] = 0;
    b = g_bytes_new_take (bin, sizes[i]);
    fail_unless (gst_rtc_data_channel_send_data_full (ch, b, NULL));
    fail_unless (gst_rtc_data_channel_send_string_full (ch, str, NULL));
    n += 2;
    fail_unless (rtc_test_wait_count (rtc_data_test_inbox_count, &box, n,
                     10000),
        "no echo of %u bytes", (guint)sizes[i]);
    g_mutex_lock (&box.lock);
    l = g_queue_peek_nth_link (&box.messages, n - 2);
    fail_unless (g_bytes_equal (l->data, b), "binary %u: got %u bytes",
        (guint)sizes[i], (guint)g_bytes_get_size (l->data));
    fail_unless_equals_int (g_bytes_get_size (l->next->data), sizes[i] + 1);
    fail_unless (
        memcmp (g_bytes_get_data (l->next->data, NULL), str, sizes[i]) == 0);
    g_mutex_unlock (&box.lock);
    g_bytes_unref (b);
    g_free (str);
  }

  /* The channel bad opened: we announced it and echoed its message. */
  while (!(echo_ok && opened) && (line = read_line (out))) {
    if (g_str_equal (line, "ECHO-OK"))
      echo_ok = TRUE;
    else if (g_str_equal (line, "OPENED 0 from-rtc"))
      opened = TRUE;
    g_free (line);
  }
  fail_unless (opened, "bad's side did not see our DCEP open");
  fail_unless (echo_ok, "bad's side did not get its message echoed");
  fail_unless_equals_int (g_atomic_int_get (&announced), 1);

  g_output_stream_close (g_subprocess_get_stdin_pipe (child), NULL, NULL);
  fail_unless (g_subprocess_wait (child, NULL, NULL));
  g_signal_handlers_disconnect_by_data (ch, &box);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (ch);
  gst_object_unref (enc);
  gst_object_unref (dtls_enc);
  gst_object_unref (dtls_dec);
  gst_object_unref (pipeline);
  rtc_data_test_inbox_clear (&box);
  g_object_unref (out);
  g_object_unref (child);
  g_free (exe);
  g_free (a_str);
  g_free (b_str);
}
GST_END_TEST;

static Suite *
sctp_bad_suite (void)
{
  Suite *s = suite_create ("sctp-bad");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_channels_with_bad);
  return s;
}

int
main (int argc, char **argv)
{
  if (argc == 4 && g_str_equal (argv[1], "--bad-peer")) {
    gst_init (NULL, NULL);
    return bad_peer_main (atoi (argv[2]), atoi (argv[3]));
  }
  gst_check_init (&argc, &argv);
  return rtc_check_run_suite (sctp_bad_suite (), "sctp-bad", __FILE__);
}
