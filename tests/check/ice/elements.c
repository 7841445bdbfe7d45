/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcicesink / rtcicesrc between two connected transports, both ways:
 *   appsrc ! rtcicesink (A) ... (B) rtcicesrc ! appsink
 *   appsrc ! rtcicesink (B) ... (A) rtcicesrc ! appsink
 */
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>

#include "icetestutil.h"

#define N_PACKETS 100
#define PACKET_SIZE 1000
#define PULL_TIMEOUT (RTC_TEST_MS (2000) * GST_MSECOND)

static GstElement *
by_name (GstElement *pipeline, const gchar *name)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), name);

  fail_unless (e != NULL, "no element %s", name);
  /* The pipeline keeps it alive. */
  gst_object_unref (e);
  return e;
}

static GstBuffer *
make_packet (guint8 sender, guint seq)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, PACKET_SIZE, NULL);
  GstMapInfo map;
  guint i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  map.data[0] = 0x80;
  map.data[1] = sender;
  map.data[2] = seq >> 8;
  map.data[3] = seq & 0xff;
  for (i = 4; i < PACKET_SIZE; i++)
    map.data[i] = (guint8)(i + seq + sender);
  gst_buffer_unmap (buf, &map);
  return buf;
}

static void
pull_all (GstElement *appsink, guint8 sender)
{
  gboolean seen[N_PACKETS] = { FALSE };
  guint n;

  for (n = 0; n < N_PACKETS; n++) {
    GstSample *sample = gst_app_sink_try_pull_sample (GST_APP_SINK (appsink),
        PULL_TIMEOUT);
    GstBuffer *buf, *expected;
    guint seq;
    GstMapInfo map;

    fail_unless (sample != NULL, "only %u of %u packets from %c", n, N_PACKETS,
        sender);
    buf = gst_sample_get_buffer (sample);
    fail_unless (GST_BUFFER_PTS_IS_VALID (buf), "live source timestamps");
    gst_buffer_map (buf, &map, GST_MAP_READ);
    fail_unless_equals_int (map.size, PACKET_SIZE);
    fail_unless_equals_int (map.data[1], sender);
    seq = (map.data[2] << 8) | map.data[3];
    fail_unless (seq < N_PACKETS && !seen[seq], "bad or duplicate seq %u", seq);
    seen[seq] = TRUE;
    expected = make_packet (sender, seq);
    fail_unless (gst_buffer_memcmp (expected, 0, map.data, map.size) == 0,
        "packet %u corrupted", seq);
    gst_buffer_unref (expected);
    gst_buffer_unmap (buf, &map);
    gst_sample_unref (sample);
  }
}

GST_START_TEST (test_pipeline_both_ways)
{
  IcePeer a, b;
  GstElement *pipeline;
  GstElement *in_a, *in_b;
  GError *error = NULL;
  GType type;
  guint seq;

  pipeline = gst_parse_launch ("appsrc name=in_a format=time ! rtcicesink "
                               "name=sink_a "
                               "rtcicesrc name=src_b ! appsink name=out_b "
                               "sync=false async=false "
                               "appsrc name=in_b format=time ! rtcicesink "
                               "name=sink_b "
                               "rtcicesrc name=src_a ! appsink name=out_a "
                               "sync=false async=false",
      &error);
  fail_unless (pipeline != NULL, "%s", error ? error->message : "");
  /* The transport type of the plugin, which the elements check against. */
  type = g_type_from_name ("RtcIceTransport");
  fail_unless (type != 0);
  ice_peer_init (&a, &b, TRUE, type);
  ice_peer_init (&b, &a, FALSE, type);
  g_object_set (by_name (pipeline, "sink_a"), "transport", a.t, NULL);
  g_object_set (by_name (pipeline, "src_a"), "transport", a.t, NULL);
  g_object_set (by_name (pipeline, "sink_b"), "transport", b.t, NULL);
  g_object_set (by_name (pipeline, "src_b"), "transport", b.t, NULL);
  in_a = by_name (pipeline, "in_a");
  in_b = by_name (pipeline, "in_b");

  /* The network sinks do not wait for preroll: the pipeline reaches
   * PLAYING before anything can flow. */
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);
  {
    GstState state;
    GstStateChangeReturn ret = gst_element_get_state (pipeline, &state, NULL,
        RTC_TEST_MS (5000) * GST_MSECOND);

    fail_unless (
        ret == GST_STATE_CHANGE_SUCCESS || ret == GST_STATE_CHANGE_NO_PREROLL);
    fail_unless_equals_int (state, GST_STATE_PLAYING);
  }

  ice_connect (&a, &b);

  for (seq = 0; seq < N_PACKETS; seq++) {
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (in_a),
                                make_packet ('a', seq)),
        GST_FLOW_OK);
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (in_b),
                                make_packet ('b', seq)),
        GST_FLOW_OK);
    g_usleep (500);
  }
  pull_all (by_name (pipeline, "out_b"), 'a');
  pull_all (by_name (pipeline, "out_a"), 'b');

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (pipeline);
  ice_peer_clear (&a);
  ice_peer_clear (&b);
}

GST_END_TEST;

/* A counter of the transport's `stats` (the plugin's type: the test's own
 * copy of the core is not that one). */
static guint64
plugin_stat (IcePeer *p, const gchar *name)
{
  GstStructure *stats = NULL;
  guint64 v = G_MAXUINT64;

  g_object_get (p->t, "stats", &stats, NULL);
  fail_unless (stats != NULL);
  fail_unless (gst_structure_get_uint64 (stats, name, &v));
  gst_structure_free (stats);
  return v;
}

/* Packets sent before the transport has a pair: the last eight wait in
 * the sink and leave once a pair is selected, in order; older ones are
 * dropped and counted. */
GST_START_TEST (test_sink_holds_until_connected)
{
  IcePeer a, b;
  GstElement *pipeline, *in, *out;
  GError *error = NULL;
  GType type;
  guint seq;

  pipeline = gst_parse_launch ("appsrc name=in format=time ! rtcicesink "
                               "name=sink rtcicesrc name=src ! appsink "
                               "name=out sync=false async=false",
      &error);
  fail_unless (pipeline != NULL, "%s", error ? error->message : "");
  type = g_type_from_name ("RtcIceTransport");
  fail_unless (type != 0);
  ice_peer_init (&a, &b, TRUE, type);
  ice_peer_init (&b, &a, FALSE, type);
  g_object_set (by_name (pipeline, "sink"), "transport", a.t, NULL);
  g_object_set (by_name (pipeline, "src"), "transport", b.t, NULL);
  in = by_name (pipeline, "in");
  out = by_name (pipeline, "out");
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);

  for (seq = 0; seq < 10; seq++)
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (in),
                                make_packet ('a', seq)),
        GST_FLOW_OK);
  /* All ten reach the sink (appsrc pushes from its own thread). */
  {
    gint64 end = g_get_monotonic_time () + RTC_TEST_MS (2000) * 1000;

    while (
        plugin_stat (&a, "send-dropped") < 2 && g_get_monotonic_time () < end)
      g_usleep (1000);
  }
  fail_unless_equals_int (plugin_stat (&a, "send-dropped"), 2);
  fail_unless_equals_int (plugin_stat (&a, "packets-sent"), 0);

  ice_connect (&a, &b);
  for (seq = 2; seq < 10; seq++) {
    GstSample *sample = gst_app_sink_try_pull_sample (GST_APP_SINK (out),
        PULL_TIMEOUT);
    GstMapInfo map;

    fail_unless (sample != NULL, "packet %u not received", seq);
    gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ);
    fail_unless_equals_int ((map.data[2] << 8) | map.data[3], seq);
    gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
    gst_sample_unref (sample);
  }
  fail_unless_equals_int (plugin_stat (&a, "packets-sent"), 8);
  fail_unless_equals_int (plugin_stat (&a, "send-dropped"), 2);

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (pipeline);
  ice_peer_clear (&a);
  ice_peer_clear (&b);
}

GST_END_TEST;

GST_START_TEST (test_no_transport_is_an_error)
{
  GstElement *e;

  e = gst_element_factory_make ("rtcicesrc", NULL);
  fail_unless (e != NULL);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_object_unref (e);

  e = gst_element_factory_make ("rtcicesink", NULL);
  fail_unless (e != NULL);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_sink_defaults)
{
  GstElement *e = gst_element_factory_make ("rtcicesink", NULL);
  gboolean async, sync;

  g_object_get (e, "async", &async, "sync", &sync, NULL);
  fail_if (async);
  fail_if (sync);
  gst_object_unref (e);
}

GST_END_TEST;

static Suite *
ice_elements_suite (void)
{
  Suite *s = suite_create ("ice-elements");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_pipeline_both_ways);
  tcase_add_test (tc, test_sink_holds_until_connected);
  tcase_add_test (tc, test_no_transport_is_an_error);
  tcase_add_test (tc, test_sink_defaults);
  return s;
}

RTC_CHECK_MAIN (ice_elements);
