/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcsctpenc/rtcsctpdec over our DTLS pair: two peers in one pipeline,
 * each rtcsctpenc ! rtcdtlssrtpenc.data_sink and rtcdtlssrtpdec.data_src
 * ! rtcsctpdec, the DTLS outputs crossed through queues.
 */
#include <gst/check/gstcheck.h>
#include <gst/rtc/rtc.h>
#include <string.h>

#include "../common/rtcdatatest.h"
#include "../common/rtccheckmain.h"

typedef struct {
  GstElement *pipeline;
  GstElement *sctp_a, *sctp_b, *sdec_a, *sdec_b;
  GstElement *dtls[4]; /* enc a, dec a, enc b, dec b */
} Call;

static GstElement *
by_name (GstElement *pipeline, const gchar *name)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), name);

  fail_unless (e != NULL, "no element %s", name);
  gst_object_unref (e);
  return e;
}

static gboolean
dtls_connected (gpointer data)
{
  Call *c = data;
  guint i;

  for (i = 0; i < 4; i++) {
    gint state;
    g_object_get (c->dtls[i], "connection-state", &state, NULL);
    if (state != GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED)
      return FALSE;
  }
  return TRUE;
}

static gboolean
sctp_connected (gpointer data)
{
  Call *c = data;
  GstRtcSctpTransportState a, b;

  g_object_get (c->sctp_a, "state", &a, NULL);
  g_object_get (c->sctp_b, "state", &b, NULL);
  return a == GST_RTC_SCTP_TRANSPORT_STATE_CONNECTED
      && b == GST_RTC_SCTP_TRANSPORT_STATE_CONNECTED;
}

/* The SCTP elements join once DTLS is connected (as rtcbin adds them), so
 * the first INIT is not lost. */
static void
call_start (Call *c)
{
  static gint counter;
  gint n = g_atomic_int_add (&counter, 1);
  gchar *desc;
  GError *error = NULL;
  guint i;

  desc = g_strdup_printf ("rtcdtlssrtpenc name=de_a connection-id=sa%d "
                          "is-client=true "
                          "rtcdtlssrtpdec name=dd_a connection-id=sa%d "
                          "rtcdtlssrtpenc name=de_b connection-id=sb%d "
                          "is-client=false "
                          "rtcdtlssrtpdec name=dd_b connection-id=sb%d "
                          "de_a. ! queue ! dd_b. de_b. ! queue ! dd_a. "
                          "dd_a.rtp_src ! fakesink async=false dd_a.rtcp_src ! "
                          "fakesink "
                          "async=false dd_b.rtp_src ! fakesink async=false "
                          "dd_b.rtcp_src ! "
                          "fakesink async=false "
                          "rtcsctpenc name=se_a sctp-association-id=%d "
                          "is-client=true "
                          "remote-max-message-size=262144 ! de_a.data_sink "
                          "rtcsctpenc name=se_b sctp-association-id=%d "
                          "is-client=false "
                          "remote-max-message-size=262144 ! de_b.data_sink "
                          "dd_a.data_src ! rtcsctpdec name=sd_a "
                          "sctp-association-id=%d "
                          "dd_b.data_src ! rtcsctpdec name=sd_b "
                          "sctp-association-id=%d",
      n, n, n, n, 2 * n + 1, 2 * n + 2, 2 * n + 1, 2 * n + 2);
  c->pipeline = gst_parse_launch (desc, &error);
  fail_unless (c->pipeline != NULL, "%s", error ? error->message : "");
  g_free (desc);
  c->sctp_a = by_name (c->pipeline, "se_a");
  c->sctp_b = by_name (c->pipeline, "se_b");
  c->sdec_a = by_name (c->pipeline, "sd_a");
  c->sdec_b = by_name (c->pipeline, "sd_b");
  c->dtls[0] = by_name (c->pipeline, "de_a");
  c->dtls[1] = by_name (c->pipeline, "dd_a");
  c->dtls[2] = by_name (c->pipeline, "de_b");
  c->dtls[3] = by_name (c->pipeline, "dd_b");

  gst_element_set_locked_state (c->sctp_a, TRUE);
  gst_element_set_locked_state (c->sctp_b, TRUE);
  /* READY: the associations exist, channels can be made. */
  fail_unless (gst_element_set_state (c->sctp_a, GST_STATE_READY)
      == GST_STATE_CHANGE_SUCCESS);
  fail_unless (gst_element_set_state (c->sctp_b, GST_STATE_READY)
      == GST_STATE_CHANGE_SUCCESS);
  fail_unless (gst_element_set_state (c->pipeline, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);
  fail_unless (rtc_test_wait_until (dtls_connected, c, 5000));
  for (i = 0; i < 2; i++) {
    GstElement *e = i ? c->sctp_b : c->sctp_a;
    gst_element_set_locked_state (e, FALSE);
    fail_unless (gst_element_sync_state_with_parent (e));
  }
}

static void
call_stop (Call *c)
{
  gst_element_set_state (c->pipeline, GST_STATE_NULL);
  gst_object_unref (c->pipeline);
}

typedef struct {
  RtcDataTestInbox in; /* its lock also guards the fields below */
  GPtrArray *announced;
  gint closed;
} Box;

static void
box_init (Box *b)
{
  memset (b, 0, sizeof (*b));
  rtc_data_test_inbox_init (&b->in);
  b->announced = g_ptr_array_new_with_free_func (gst_object_unref);
}

static void
box_clear (Box *b)
{
  g_ptr_array_unref (b->announced);
  rtc_data_test_inbox_clear (&b->in);
}

static void
echo_data (GstRtcDataChannel *ch, GBytes *data, gpointer unused)
{
  g_signal_emit_by_name (ch, "send-data", data);
}

static void
on_close (GstRtcDataChannel *ch, Box *b)
{
  g_atomic_int_inc (&b->closed);
}

/* The peer's channels echo what they receive. */
static void
on_data_channel_echo (GstElement *enc, GstRtcDataChannel *ch, Box *b)
{
  g_signal_connect (ch, "on-message-string",
      G_CALLBACK (rtc_data_test_echo_string), NULL);
  g_signal_connect (ch, "on-message-data", G_CALLBACK (echo_data), NULL);
  g_signal_connect (ch, "on-close", G_CALLBACK (on_close), b);
  g_mutex_lock (&b->in.lock);
  g_ptr_array_add (b->announced, gst_object_ref (ch));
  g_mutex_unlock (&b->in.lock);
}

static void
watch (GstRtcDataChannel *ch, Box *b)
{
  g_signal_connect (ch, "on-message-string",
      G_CALLBACK (rtc_data_test_inbox_on_string), &b->in);
  g_signal_connect (ch, "on-message-data",
      G_CALLBACK (rtc_data_test_inbox_on_data), &b->in);
  g_signal_connect (ch, "on-close", G_CALLBACK (on_close), b);
}

typedef struct {
  Box *b;
  guint n;
} Wait;

static gboolean
closed_n (gpointer data)
{
  Wait *w = data;
  return (guint)g_atomic_int_get (&w->b->closed) >= w->n;
}

static void
echo_all_sizes (GstRtcDataChannel *ch, Box *box)
{
  static const gsize sizes[] = { 0, 1024, 16 * 1024, 64 * 1024, 256 * 1024 };
  guint i, n = rtc_data_test_inbox_count (&box->in);

  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    guint8 *bin = g_malloc (sizes[i]);
    gchar *str = g_malloc (sizes[i] + 1);
    GBytes *b;
    GList *l;
    gsize j;

    for (j = 0; j < sizes[i]; j++) {
      bin[j] = (j * 13 + i) & 0xff;
      str[j] = 'A' + (j + i) % 26;
    }
    str[sizes[i]] = 0;
    b = g_bytes_new_take (bin, sizes[i]);
    fail_unless (gst_rtc_data_channel_send_data_full (ch, b, NULL));
    fail_unless (gst_rtc_data_channel_send_string_full (ch, str, NULL));
    fail_unless (rtc_test_wait_count (rtc_data_test_inbox_count, &box->in,
                     n + 2, 10000),
        "size %u", (guint)sizes[i]);
    n += 2;
    g_mutex_lock (&box->in.lock);
    l = g_queue_peek_nth_link (&box->in.messages, n - 2);
    fail_unless (g_bytes_equal (l->data, b));
    fail_unless_equals_int (g_bytes_get_size (l->next->data), sizes[i] + 1);
    fail_unless (
        memcmp (g_bytes_get_data (l->next->data, NULL), str, sizes[i]) == 0);
    g_mutex_unlock (&box->in.lock);
    g_bytes_unref (b);
    g_free (str);
  }
}

GST_START_TEST (test_channels_each_way_echo)
{
  Call c;
  Box a, b, a_peer, b_peer;
  GstRtcDataChannel *from_a, *from_b, *neg_a, *neg_b;
  GstStructure *neg = gst_structure_new ("options", "negotiated",
      G_TYPE_BOOLEAN, TRUE, "id", G_TYPE_INT, 42, NULL);
  GstStructure *s;
  guint64 v;

  box_init (&a);
  box_init (&b);
  box_init (&a_peer);
  box_init (&b_peer);
  call_start (&c);
  g_signal_connect (c.sctp_b, "on-data-channel",
      G_CALLBACK (on_data_channel_echo), &b_peer);
  g_signal_connect (c.sctp_a, "on-data-channel",
      G_CALLBACK (on_data_channel_echo), &a_peer);

  g_signal_emit_by_name (c.sctp_a, "create-data-channel", "from-a", NULL,
      &from_a);
  g_signal_emit_by_name (c.sctp_b, "create-data-channel", "from-b", NULL,
      &from_b);
  g_signal_emit_by_name (c.sctp_a, "create-data-channel", "neg", neg, &neg_a);
  g_signal_emit_by_name (c.sctp_b, "create-data-channel", "neg", neg, &neg_b);
  fail_unless (from_a && from_b && neg_a && neg_b);
  fail_unless_equals_int (gst_rtc_data_channel_get_id (from_a) % 2, 0);
  fail_unless_equals_int (gst_rtc_data_channel_get_id (from_b) % 2, 1);
  watch (from_a, &a);
  watch (from_b, &b);
  /* The negotiated pair: b echoes what a sends. */
  g_signal_connect (neg_b, "on-message-string",
      G_CALLBACK (rtc_data_test_echo_string), NULL);
  g_signal_connect (neg_b, "on-message-data", G_CALLBACK (echo_data), NULL);
  {
    Box n;
    box_init (&n);
    watch (neg_a, &n);
    fail_unless (rtc_test_wait_until (sctp_connected, &c, 5000));
    fail_unless (rtc_data_test_wait_open (from_a, 5000));
    fail_unless (rtc_data_test_wait_open (from_b, 5000));
    fail_unless (rtc_data_test_wait_open (neg_a, 5000));
    fail_unless (rtc_data_test_wait_open (neg_b, 5000));

    echo_all_sizes (from_a, &a);
    echo_all_sizes (from_b, &b);
    echo_all_sizes (neg_a, &n);
    g_signal_handlers_disconnect_by_data (neg_a, &n);
    box_clear (&n);
  }
  fail_unless_equals_int (b_peer.announced->len, 1);
  fail_unless_equals_int (a_peer.announced->len, 1);

  g_object_get (c.sctp_b, "stats", &s, NULL);
  fail_unless (gst_structure_get_uint64 (s, "messages-received", &v));
  /* a's 10 and 10 on the negotiated channel, echoes of b's 10. */
  fail_unless_equals_uint64 (v, 30);
  gst_structure_free (s);
  g_object_get (c.sdec_a, "packets", &v, NULL);
  fail_unless (v > 0);

  /* Closing from a: both sides see on-close. */
  g_signal_emit_by_name (from_a, "close");
  {
    Wait w1 = { &a, 1 }, w2 = { &b_peer, 1 };
    fail_unless (rtc_test_wait_until (closed_n, &w1, 5000));
    fail_unless (rtc_test_wait_until (closed_n, &w2, 5000));
  }
  /* The peer vanishing (its encoder stopped: ABORT) closes the rest. */
  gst_element_set_state (c.sctp_b, GST_STATE_NULL);
  {
    Wait w = { &a_peer, 1 };
    fail_unless (rtc_test_wait_until (closed_n, &w, 5000));
  }
  /* Channels close one after the other: wait for this one too. */
  fail_unless (rtc_test_wait_until (rtc_data_test_is_closed, neg_a, 5000));

  g_signal_handlers_disconnect_by_data (from_a, &a);
  g_signal_handlers_disconnect_by_data (from_b, &b);
  call_stop (&c);
  gst_object_unref (from_a);
  gst_object_unref (from_b);
  gst_object_unref (neg_a);
  gst_object_unref (neg_b);
  gst_structure_free (neg);
  box_clear (&a);
  box_clear (&b);
  box_clear (&a_peer);
  box_clear (&b_peer);
}
GST_END_TEST;

GST_START_TEST (test_no_association_counted)
{
  GstElement *dec = gst_element_factory_make ("rtcsctpdec", NULL);
  GstPad *sink = gst_element_get_static_pad (dec, "sink");
  GstSegment seg;
  guint64 dropped;

  g_object_set (dec, "sctp-association-id", 999, NULL);
  gst_element_set_state (dec, GST_STATE_PLAYING);
  gst_pad_send_event (sink, gst_event_new_stream_start ("x"));
  gst_segment_init (&seg, GST_FORMAT_TIME);
  gst_pad_send_event (sink, gst_event_new_segment (&seg));
  fail_unless_equals_int (gst_pad_chain (sink,
                              gst_buffer_new_allocate (NULL, 64, NULL)),
      GST_FLOW_OK);
  g_object_get (dec, "dropped-packets", &dropped, NULL);
  fail_unless_equals_uint64 (dropped, 1);
  gst_element_set_state (dec, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (dec);
}
GST_END_TEST;

static Suite *
rtcsctp_suite (void)
{
  Suite *s = suite_create ("rtcsctp");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_channels_each_way_echo);
  tcase_add_test (tc, test_no_association_counted);
  return s;
}

RTC_CHECK_MAIN (rtcsctp);
