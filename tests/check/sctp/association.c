/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of the SCTP data channel core: DCEP parsing, and two
 * associations connected in memory (no DTLS) by a forwarding thread.
 */
#include <gst/check/gstcheck.h>
#include <string.h>

#include "rtcdcep.h"
#include "rtcsctpassociation.h"
#include "../common/rtcdatatest.h"
#include "../common/rtccheckmain.h"

/* ---- the in-memory link ---- */

typedef struct {
  RtcSctpAssociation *to;
  GBytes *packet;
} Packet;

typedef struct {
  RtcSctpAssociation *client, *server;
  GAsyncQueue *queue;
  GThread *thread;
  gint cut; /* atomic: packets are dropped (a peer that vanished) */
  gint drop_every; /* atomic: drop every Nth packet to the server (0: none) */
  gint drop_max; /* ... up to this many */
  gint to_server, dropped;
} Link;

typedef struct {
  Link *link;
  RtcSctpAssociation *to;
} LinkEnd;

static gpointer
pump (gpointer data)
{
  Link *link = data;

  for (;;) {
    Packet *p = g_async_queue_pop (link->queue);
    gsize len;
    const guint8 *d;

    if (!p->to) {
      g_free (p);
      return NULL;
    }
    d = g_bytes_get_data (p->packet, &len);
    if (p->to == link->server && g_atomic_int_get (&link->drop_every)
        && ++link->to_server % g_atomic_int_get (&link->drop_every) == 0
        && link->dropped < link->drop_max) {
      link->dropped++; /* lost */
    } else if (!g_atomic_int_get (&link->cut)) {
      rtc_sctp_association_input (p->to, d, len);
    }
    g_bytes_unref (p->packet);
    g_free (p);
  }
}

static void
output (const guint8 *packet, gsize len, gpointer user_data)
{
  LinkEnd *end = user_data;
  Packet *p = g_new0 (Packet, 1);

  p->to = end->to;
  p->packet = g_bytes_new (packet, len);
  g_async_queue_push (end->link->queue, p);
}

static void
free_packet (gpointer data)
{
  Packet *p = data;

  if (p->packet)
    g_bytes_unref (p->packet);
  g_free (p);
}

static Link *
link_new (guint32 max_message_size)
{
  Link *link = g_new0 (Link, 1);
  LinkEnd *c = g_new0 (LinkEnd, 1), *s = g_new0 (LinkEnd, 1);

  link->client = rtc_sctp_association_new (TRUE, 5000, 5000);
  link->server = rtc_sctp_association_new (FALSE, 5000, 5000);
  rtc_sctp_association_set_max_message_size (link->client, 256 * 1024,
      max_message_size);
  rtc_sctp_association_set_max_message_size (link->server, 256 * 1024,
      max_message_size);
  link->queue = g_async_queue_new_full (free_packet);
  c->link = s->link = link;
  c->to = link->server;
  s->to = link->client;
  rtc_sctp_association_set_output (link->client, output, c, g_free);
  rtc_sctp_association_set_output (link->server, output, s, g_free);
  link->thread = g_thread_new ("sctp-link", pump, link);
  return link;
}

static gboolean
both_connected (gpointer data)
{
  Link *link = data;

  return rtc_sctp_association_get_state (link->client)
      == GST_RTC_SCTP_TRANSPORT_STATE_CONNECTED
      && rtc_sctp_association_get_state (link->server)
      == GST_RTC_SCTP_TRANSPORT_STATE_CONNECTED;
}

static Link *
link_connected (guint32 max_message_size)
{
  Link *link = link_new (max_message_size);

  fail_unless (rtc_sctp_association_start (link->client, NULL));
  fail_unless (rtc_sctp_association_start (link->server, NULL));
  fail_unless (rtc_test_wait_until (both_connected, link, 5000));
  return link;
}

static void
link_free (Link *link)
{
  Packet *stop = g_new0 (Packet, 1);

  /* Stop the pump before the associations go: it feeds them. */
  g_async_queue_push_front (link->queue, stop);
  g_thread_join (link->thread);
  /* A queued drain may hold an association a little longer: detach the
   * link now. */
  rtc_sctp_association_set_output (link->client, NULL, NULL, NULL);
  rtc_sctp_association_set_output (link->server, NULL, NULL, NULL);
  g_object_unref (link->client);
  g_object_unref (link->server);
  g_async_queue_unref (link->queue);
  g_free (link);
}

static guint64
stat (RtcSctpAssociation *assoc, const gchar *name)
{
  GstStructure *s = rtc_sctp_association_get_stats (assoc);
  guint64 v = 0;

  fail_unless (gst_structure_get_uint64 (s, name, &v), "no %s", name);
  gst_structure_free (s);
  return v;
}

/* ---- what a channel saw ---- */

typedef struct {
  GMutex lock;
  GQueue messages; /* GBytes; strings carry a trailing "S" marker byte */
  gint opened, closed, errors, low;
  gboolean echo;
} Seen;

static void
on_open (GstRtcDataChannel *ch, Seen *seen)
{
  g_atomic_int_inc (&seen->opened);
}

static void
on_close (GstRtcDataChannel *ch, Seen *seen)
{
  g_atomic_int_inc (&seen->closed);
}

static void
on_error (GstRtcDataChannel *ch, GError *error, Seen *seen)
{
  g_atomic_int_inc (&seen->errors);
}

static void
on_low (GstRtcDataChannel *ch, Seen *seen)
{
  g_atomic_int_inc (&seen->low);
}

static void
on_string (GstRtcDataChannel *ch, const gchar *str, Seen *seen)
{
  gsize len = strlen (str);
  gchar *copy = g_malloc (len + 1);

  memcpy (copy, str, len);
  copy[len] = 'S';
  g_mutex_lock (&seen->lock);
  g_queue_push_tail (&seen->messages, g_bytes_new_take (copy, len + 1));
  g_mutex_unlock (&seen->lock);
  if (seen->echo)
    fail_unless (gst_rtc_data_channel_send_string_full (ch, str, NULL));
}

static void
on_data (GstRtcDataChannel *ch, GBytes *data, Seen *seen)
{
  g_mutex_lock (&seen->lock);
  g_queue_push_tail (&seen->messages, g_bytes_ref (data));
  g_mutex_unlock (&seen->lock);
  if (seen->echo)
    fail_unless (gst_rtc_data_channel_send_data_full (ch, data, NULL));
}

static Seen *
watch (GstRtcDataChannel *ch)
{
  Seen *seen = g_new0 (Seen, 1);

  g_mutex_init (&seen->lock);
  g_signal_connect (ch, "on-open", G_CALLBACK (on_open), seen);
  g_signal_connect (ch, "on-close", G_CALLBACK (on_close), seen);
  g_signal_connect (ch, "on-error", G_CALLBACK (on_error), seen);
  g_signal_connect (ch, "on-message-string", G_CALLBACK (on_string), seen);
  g_signal_connect (ch, "on-message-data", G_CALLBACK (on_data), seen);
  g_signal_connect (ch, "on-buffered-amount-low", G_CALLBACK (on_low), seen);
  g_object_set_data_full (G_OBJECT (ch), "seen", seen, NULL);
  return seen;
}

static void
seen_free (Seen *seen)
{
  g_queue_clear_full (&seen->messages, (GDestroyNotify)g_bytes_unref);
  g_mutex_clear (&seen->lock);
  g_free (seen);
}

static guint
seen_count (gpointer data)
{
  Seen *seen = data;
  guint n;

  g_mutex_lock (&seen->lock);
  n = seen->messages.length;
  g_mutex_unlock (&seen->lock);
  return n;
}

static gboolean
wait_messages (Seen *seen, guint n, guint ms)
{
  return rtc_test_wait_count (seen_count, seen, n, ms);
}

/* Peer-opened channels land here, each watched. */
typedef struct {
  GMutex lock;
  GPtrArray *channels;
  gboolean echo;
} Announced;

static void
on_data_channel (RtcSctpAssociation *assoc, GstRtcDataChannel *ch, Announced *a)
{
  Seen *seen = watch (ch);

  seen->echo = a->echo;
  g_mutex_lock (&a->lock);
  g_ptr_array_add (a->channels, gst_object_ref (ch));
  g_mutex_unlock (&a->lock);
}

static Announced *
announced_new (RtcSctpAssociation *assoc, gboolean echo)
{
  Announced *a = g_new0 (Announced, 1);

  g_mutex_init (&a->lock);
  a->channels = g_ptr_array_new ();
  a->echo = echo;
  g_signal_connect (assoc, "on-data-channel", G_CALLBACK (on_data_channel), a);
  return a;
}

static guint
announced_count (gpointer data)
{
  Announced *a = data;
  guint n;

  g_mutex_lock (&a->lock);
  n = a->channels->len;
  g_mutex_unlock (&a->lock);
  return n;
}

static GstRtcDataChannel *
announced_get (Announced *a, guint i)
{
  GstRtcDataChannel *ch;

  g_mutex_lock (&a->lock);
  ch = i < a->channels->len ? g_ptr_array_index (a->channels, i) : NULL;
  g_mutex_unlock (&a->lock);
  return ch;
}

static void
announced_free (Announced *a)
{
  guint i;

  for (i = 0; i < a->channels->len; i++) {
    GstRtcDataChannel *ch = g_ptr_array_index (a->channels, i);
    Seen *seen = g_object_get_data (G_OBJECT (ch), "seen");

    g_signal_handlers_disconnect_matched (ch, G_SIGNAL_MATCH_DATA, 0, 0, NULL,
        NULL, seen);
    seen_free (seen);
    gst_object_unref (ch);
  }
  g_ptr_array_unref (a->channels);
  g_mutex_clear (&a->lock);
  g_free (a);
}

static gboolean
atomic_ge (gint *value, gint n, guint ms)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;

  while (g_atomic_int_get (value) < n) {
    if (g_get_monotonic_time () > end)
      return FALSE;
    g_usleep (1000);
  }
  return TRUE;
}

/* on-open may come before a handler is connected: the state is what
 * counts. */
static gboolean
is_open (GstRtcDataChannel *ch)
{
  return rtc_data_test_wait_open (ch, 5000);
}

static GstRtcDataChannel *
create (RtcSctpAssociation *assoc, const gchar *label, const gchar *options)
{
  GstStructure *s = options ? gst_structure_from_string (options, NULL) : NULL;
  GError *error = NULL;
  GstRtcDataChannel *ch;

  ch = rtc_sctp_association_create_channel (assoc, label, s, &error);
  fail_unless (ch != NULL, "create: %s", error ? error->message : "?");
  if (s)
    gst_structure_free (s);
  return ch;
}

static void
release (GstRtcDataChannel *ch)
{
  Seen *seen = g_object_get_data (G_OBJECT (ch), "seen");

  g_signal_handlers_disconnect_matched (ch, G_SIGNAL_MATCH_DATA, 0, 0, NULL,
      NULL, seen);
  if (seen)
    seen_free (seen);
  gst_object_unref (ch);
}

/* ---- DCEP ---- */

GST_START_TEST (test_dcep_roundtrip_and_strict_parse)
{
  RtcDcepOpen open = { 0 }, parsed;
  GBytes *msg;
  gsize len;
  const guint8 *d;
  guint8 bad[64];
  GError *error = NULL;

  open.ordered = FALSE;
  open.max_retransmits = 3;
  open.max_packet_lifetime = -1;
  open.priority = 512;
  open.label = (gchar *)"chat";
  open.protocol = (gchar *)"proto";
  msg = rtc_dcep_build_open (&open);
  d = g_bytes_get_data (msg, &len);
  fail_unless_equals_int (len, 12 + 4 + 5);
  fail_unless_equals_int (d[1], 0x81);
  fail_unless (rtc_dcep_parse_open (d, len, &parsed, NULL));
  fail_unless (!parsed.ordered);
  fail_unless_equals_int (parsed.max_retransmits, 3);
  fail_unless_equals_int (parsed.max_packet_lifetime, -1);
  fail_unless_equals_int (parsed.priority, 512);
  fail_unless_equals_string (parsed.label, "chat");
  fail_unless_equals_string (parsed.protocol, "proto");
  rtc_dcep_open_clear (&parsed);

  /* Truncated, padded, unknown channel type, bad UTF-8, not an open. */
  fail_if (rtc_dcep_parse_open (d, len - 1, &parsed, &error));
  fail_unless (error != NULL);
  g_clear_error (&error);
  memcpy (bad, d, len);
  bad[len] = 0;
  fail_if (rtc_dcep_parse_open (bad, len + 1, &parsed, NULL));
  bad[1] = 0x03;
  fail_if (rtc_dcep_parse_open (bad, len, &parsed, NULL));
  memcpy (bad, d, len);
  bad[12] = 0xff;
  fail_if (rtc_dcep_parse_open (bad, len, &parsed, NULL));
  fail_if (rtc_dcep_parse_open (d, 11, &parsed, NULL));
  bad[0] = RTC_DCEP_DATA_CHANNEL_ACK;
  fail_if (rtc_dcep_parse_open (bad, len, &parsed, NULL));
  fail_unless (rtc_dcep_is_ack (bad, 1));
  fail_if (rtc_dcep_is_ack (bad, 2));
  g_bytes_unref (msg);

  /* Timed, ordered. */
  open.ordered = TRUE;
  open.max_retransmits = -1;
  open.max_packet_lifetime = 250;
  open.label = NULL;
  open.protocol = NULL;
  msg = rtc_dcep_build_open (&open);
  d = g_bytes_get_data (msg, &len);
  fail_unless_equals_int (d[1], 0x02);
  fail_unless (rtc_dcep_parse_open (d, len, &parsed, NULL));
  fail_unless (parsed.ordered);
  fail_unless_equals_int (parsed.max_packet_lifetime, 250);
  fail_unless_equals_string (parsed.label, "");
  rtc_dcep_open_clear (&parsed);
  g_bytes_unref (msg);

  fail_unless_equals_int (rtc_dcep_priority_from_wire (
                              rtc_dcep_priority_to_wire (
                                  GST_RTC_PRIORITY_TYPE_HIGH)),
      GST_RTC_PRIORITY_TYPE_HIGH);
  fail_unless_equals_int (rtc_dcep_priority_from_wire (100),
      GST_RTC_PRIORITY_TYPE_VERY_LOW);
}
GST_END_TEST;

/* ---- channels ---- */

static void
check_open_in_band (gboolean from_client)
{
  Link *link = link_connected (256 * 1024);
  RtcSctpAssociation *opener = from_client ? link->client : link->server;
  RtcSctpAssociation *other = from_client ? link->server : link->client;
  Announced *a = announced_new (other, TRUE);
  GstRtcDataChannel *ch, *remote;
  Seen *seen;
  gchar *label = NULL, *protocol = NULL;
  gboolean ordered;
  gint rtx, id;
  GstRtcPriorityType priority;

  ch = create (opener, "in-band",
      "options, protocol=(string)p1, ordered=(boolean)false, "
      "max-retransmits=(int)5, priority=(int)4");
  seen = watch (ch);
  id = gst_rtc_data_channel_get_id (ch);
  /* RFC 8832 6: DTLS client even, server odd. */
  fail_unless_equals_int (id % 2, from_client ? 0 : 1);
  fail_unless (is_open (ch));
  fail_unless (rtc_test_wait_count (announced_count, a, 1, 5000));
  remote = announced_get (a, 0);
  g_object_get (remote, "label", &label, "protocol", &protocol, "ordered",
      &ordered, "max-retransmits", &rtx, "id", &id, "priority", &priority,
      "negotiated", &from_client, NULL);
  fail_unless_equals_string (label, "in-band");
  fail_unless_equals_string (protocol, "p1");
  fail_unless (!ordered);
  fail_unless_equals_int (rtx, 5);
  fail_unless_equals_int (id, gst_rtc_data_channel_get_id (ch));
  fail_unless_equals_int (priority, GST_RTC_PRIORITY_TYPE_HIGH);
  fail_unless (!from_client);
  fail_unless_equals_int (gst_rtc_data_channel_get_ready_state (remote),
      GST_RTC_DATA_CHANNEL_STATE_OPEN);
  g_free (label);
  g_free (protocol);

  fail_unless (gst_rtc_data_channel_send_string_full (ch, "hello", NULL));
  fail_unless (wait_messages (seen, 1, 5000));
  fail_unless (g_bytes_get_size (g_queue_peek_head (&seen->messages)) == 6);
  fail_unless (
      memcmp (g_bytes_get_data (g_queue_peek_head (&seen->messages), NULL),
          "helloS", 6)
      == 0);

  /* Stop the traffic first: a handler may still be running. */
  link_free (link);
  release (ch);
  announced_free (a);
}

GST_START_TEST (test_open_in_band_from_client)
{
  check_open_in_band (TRUE);
}
GST_END_TEST;

GST_START_TEST (test_open_in_band_from_server)
{
  check_open_in_band (FALSE);
}
GST_END_TEST;

GST_START_TEST (test_negotiated)
{
  Link *link = link_new (256 * 1024);
  GstRtcDataChannel *c, *s;
  Seen *cs, *ss;
  GError *error = NULL;
  GstStructure *opts;

  /* Made before the association is up: they open when it is. */
  c = create (link->client, "neg", "o, negotiated=(boolean)true, id=(int)7");
  s = create (link->server, "neg", "o, negotiated=(boolean)true, id=(int)7");
  cs = watch (c);
  ss = watch (s);
  fail_unless_equals_int (gst_rtc_data_channel_get_ready_state (c),
      GST_RTC_DATA_CHANNEL_STATE_CONNECTING);
  fail_if (gst_rtc_data_channel_send_string_full (c, "early", &error));
  fail_unless (
      g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE));
  g_clear_error (&error);

  /* An id in use, and negotiated without an id, are refused. */
  opts = gst_structure_from_string ("o, negotiated=(boolean)true, id=(int)7",
      NULL);
  fail_if (
      rtc_sctp_association_create_channel (link->client, "x", opts, &error));
  g_clear_error (&error);
  gst_structure_free (opts);
  opts = gst_structure_from_string ("o, negotiated=(boolean)true", NULL);
  fail_if (
      rtc_sctp_association_create_channel (link->client, "x", opts, &error));
  fail_unless (
      g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR));
  g_clear_error (&error);
  gst_structure_free (opts);

  fail_unless (rtc_sctp_association_start (link->client, NULL));
  fail_unless (rtc_sctp_association_start (link->server, NULL));
  fail_unless (is_open (c));
  fail_unless (is_open (s));
  fail_unless (gst_rtc_data_channel_send_string_full (c, "to server", NULL));
  fail_unless (gst_rtc_data_channel_send_string_full (s, "to client", NULL));
  fail_unless (wait_messages (ss, 1, 5000));
  fail_unless (wait_messages (cs, 1, 5000));
  fail_unless_equals_int (stat (link->client, "dropped-unopened-stream"), 0);

  /* Stop the traffic first: a handler may still be running. */
  link_free (link);
  release (c);
  release (s);
}
GST_END_TEST;

static void
check_echo (gboolean from_client)
{
  static const gsize sizes[] = { 0, 1024, 16 * 1024, 64 * 1024, 256 * 1024 };
  Link *link = link_connected (256 * 1024);
  Announced *a = announced_new (from_client ? link->server : link->client,
      TRUE);
  GstRtcDataChannel *ch;
  Seen *seen;
  guint i, n = 0;
  GList *l;

  ch = create (from_client ? link->client : link->server, "echo", NULL);
  seen = watch (ch);
  fail_unless (is_open (ch));
  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    guint8 *bin = g_malloc (sizes[i]);
    gchar *str = g_malloc (sizes[i] + 1);
    gsize j;
    GBytes *b;

    for (j = 0; j < sizes[i]; j++) {
      bin[j] = (j * 7 + i) & 0xff;
      str[j] = 'a' + (j + i) % 26;
    }
    str[sizes[i]] = 0;
    b = g_bytes_new_take (bin, sizes[i]);
    fail_unless (gst_rtc_data_channel_send_data_full (ch, b, NULL));
    fail_unless (gst_rtc_data_channel_send_string_full (ch, str, NULL));
    n += 2;
    fail_unless (wait_messages (seen, n, 10000), "size %u", sizes[i]);
    l = g_queue_peek_nth_link (&seen->messages, n - 2);
    fail_unless (g_bytes_equal (l->data, b), "binary %u", sizes[i]);
    fail_unless_equals_int (g_bytes_get_size (l->next->data), sizes[i] + 1);
    fail_unless (
        memcmp (g_bytes_get_data (l->next->data, NULL), str, sizes[i]) == 0);
    g_bytes_unref (b);
    g_free (str);
  }
  fail_unless_equals_uint64 (stat (link->client, "dropped-oversize"), 0);
  /* Stop the traffic first: a handler may still be running. */
  link_free (link);
  release (ch);
  announced_free (a);
}

GST_START_TEST (test_echo_sizes_client_opens)
{
  check_echo (TRUE);
}
GST_END_TEST;

GST_START_TEST (test_echo_sizes_server_opens)
{
  check_echo (FALSE);
}
GST_END_TEST;

GST_START_TEST (test_over_limit_send_fails)
{
  /* The peer advertised 64 KiB. */
  Link *link = link_connected (64 * 1024);
  Announced *a = announced_new (link->server, FALSE);
  GstRtcDataChannel *ch;
  Seen *rseen;
  GError *error = NULL;
  GBytes *big = g_bytes_new_take (g_malloc0 (64 * 1024 + 1), 64 * 1024 + 1);
  GBytes *max = g_bytes_new_take (g_malloc0 (64 * 1024), 64 * 1024);

  ch = create (link->client, "limit", NULL);
  watch (ch);
  fail_unless (is_open (ch));
  fail_unless (rtc_test_wait_count (announced_count, a, 1, 5000));
  rseen = g_object_get_data (G_OBJECT (announced_get (a, 0)), "seen");

  fail_if (gst_rtc_data_channel_send_data_full (ch, big, &error));
  fail_unless (
      g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR));
  fail_unless (strstr (error->message, "max-message-size") != NULL);
  g_clear_error (&error);
  fail_unless_equals_uint64 (gst_rtc_data_channel_get_buffered_amount (ch), 0);
  /* Exactly the limit goes; the refused one never arrives. */
  fail_unless (gst_rtc_data_channel_send_data_full (ch, max, NULL));
  fail_unless (gst_rtc_data_channel_send_string_full (ch, "after", NULL));
  fail_unless (wait_messages (rseen, 2, 5000));
  fail_unless_equals_int (g_bytes_get_size (
                              g_queue_peek_head (&rseen->messages)),
      64 * 1024);
  fail_unless_equals_uint64 (stat (link->client, "messages-sent"), 2);
  fail_unless_equals_uint64 (stat (link->server, "messages-received"), 2);

  /* Stop the traffic first: a handler may still be running. */
  link_free (link);
  g_bytes_unref (big);
  g_bytes_unref (max);
  release (ch);
  announced_free (a);
}
GST_END_TEST;

GST_START_TEST (test_unordered_partial_reliability)
{
  Link *link = link_connected (256 * 1024);
  Announced *a = announced_new (link->server, FALSE);
  GstRtcDataChannel *rtx, *timed;
  Seen *r1 = NULL, *r2 = NULL;
  guint i;
  gint v;

  rtx = create (link->client, "rtx",
      "o, ordered=(boolean)false, max-retransmits=(int)0");
  timed = create (link->client, "timed",
      "o, ordered=(boolean)false, max-packet-lifetime=(int)500");
  watch (rtx);
  watch (timed);
  fail_unless (is_open (rtx));
  fail_unless (is_open (timed));
  fail_unless (rtc_test_wait_count (announced_count, a, 2, 5000));
  for (i = 0; i < 2; i++) {
    GstRtcDataChannel *r = announced_get (a, i);
    gboolean ordered;
    gchar *label;

    g_object_get (r, "ordered", &ordered, "label", &label, NULL);
    fail_if (ordered);
    if (g_str_equal (label, "rtx")) {
      g_object_get (r, "max-retransmits", &v, NULL);
      fail_unless_equals_int (v, 0);
      r1 = g_object_get_data (G_OBJECT (r), "seen");
    } else {
      g_object_get (r, "max-packet-lifetime", &v, NULL);
      fail_unless_equals_int (v, 500);
      r2 = g_object_get_data (G_OBJECT (r), "seen");
    }
    g_free (label);
  }
  for (i = 0; i < 200; i++) {
    gchar *m = g_strdup_printf ("m%u", i);
    fail_unless (gst_rtc_data_channel_send_string_full (rtx, m, NULL));
    fail_unless (gst_rtc_data_channel_send_string_full (timed, m, NULL));
    g_free (m);
  }
  /* In memory nothing is lost: all arrive (in any order). */
  fail_unless (wait_messages (r1, 200, 5000));
  fail_unless (wait_messages (r2, 200, 5000));
  /* Stop the traffic first: a handler may still be running. */
  link_free (link);
  release (rtx);
  release (timed);
  announced_free (a);
}
GST_END_TEST;

/* Lossy path, no retransmission: messages are lost whole, never cut or
 * glued to others. 4 packets of the 60 8 KiB messages are lost. */
GST_START_TEST (test_partial_reliability_under_loss)
{
  Link *link = link_connected (256 * 1024);
  Announced *a = announced_new (link->server, FALSE);
  GstRtcDataChannel *ch;
  Seen *r;
  guint i, n = 60, got;
  gboolean *seen_index = g_new0 (gboolean, n);

  ch = create (link->client, "lossy",
      "o, ordered=(boolean)false, max-retransmits=(int)0");
  fail_unless (is_open (ch));
  fail_unless (rtc_test_wait_count (announced_count, a, 1, 5000));
  r = g_object_get_data (G_OBJECT (announced_get (a, 0)), "seen");

  /* A few losses: each costs the lost messages and, at worst, a
   * retransmission timeout for the FORWARD-TSN. */
  link->drop_max = 4;
  g_atomic_int_set (&link->drop_every, 20);
  for (i = 0; i < n; i++) {
    GBytes *b = g_bytes_new_take (g_malloc (8192), 8192);
    memset ((guint8 *)g_bytes_get_data (b, NULL), i, 8192);
    fail_unless (gst_rtc_data_channel_send_data_full (ch, b, NULL));
    g_bytes_unref (b);
  }
  /* The last message arrives unless it was hit; wait for quiet. */
  {
    guint last = 0, still = 0;
    while (still < 20) {
      g_usleep (RTC_TEST_MS (25) * 1000);
      got = seen_count (r);
      still = got == last ? still + 1 : 0;
      last = got;
    }
  }
  got = seen_count (r);
  fail_unless (got >= n - 8 && got < n, "%u of %u delivered", got, n);
  g_mutex_lock (&r->lock);
  for (i = 0; i < got; i++) {
    GBytes *m = g_queue_peek_nth (&r->messages, i);
    const guint8 *d = g_bytes_get_data (m, NULL);
    gsize j;

    fail_unless_equals_int (g_bytes_get_size (m), 8192);
    for (j = 1; j < 8192; j++)
      fail_unless (d[j] == d[0], "message %u mixes two messages", i);
    fail_if (seen_index[d[0]], "message %u delivered twice", d[0]);
    seen_index[d[0]] = TRUE;
  }
  g_mutex_unlock (&r->lock);

  link_free (link);
  release (ch);
  announced_free (a);
  g_free (seen_index);
}
GST_END_TEST;

static gboolean
all_closed (gpointer data)
{
  GPtrArray *arr = data;
  guint i;

  for (i = 0; i < arr->len; i++)
    if (gst_rtc_data_channel_get_ready_state (g_ptr_array_index (arr, i))
        != GST_RTC_DATA_CHANNEL_STATE_CLOSED)
      return FALSE;
  return TRUE;
}

static gboolean
all_open (gpointer data)
{
  GPtrArray *arr = data;
  guint i;

  for (i = 0; i < arr->len; i++)
    if (gst_rtc_data_channel_get_ready_state (g_ptr_array_index (arr, i))
        != GST_RTC_DATA_CHANNEL_STATE_OPEN)
      return FALSE;
  return TRUE;
}

GST_START_TEST (test_500_channels)
{
  Link *link = link_connected (256 * 1024);
  Announced *a = announced_new (link->server, FALSE);
  GPtrArray *local = g_ptr_array_new_with_free_func (gst_object_unref);
  guint i;

  for (i = 0; i < 500; i++) {
    gchar *label = g_strdup_printf ("ch%u", i);
    g_ptr_array_add (local, create (link->client, label, NULL));
    g_free (label);
  }
  fail_unless (rtc_test_wait_until (all_open, local, 20000));
  fail_unless (rtc_test_wait_count (announced_count, a, 500, 20000));
  fail_unless (rtc_test_wait_until (all_open, a->channels, 20000));
  for (i = 0; i < 500; i++)
    gst_rtc_data_channel_close (g_ptr_array_index (local, i));
  fail_unless (rtc_test_wait_until (all_closed, local, 20000));
  fail_unless (rtc_test_wait_until (all_closed, a->channels, 20000));
  {
    GstStructure *s = rtc_sctp_association_get_stats (link->client);
    guint n;
    gst_structure_get_uint (s, "channels", &n);
    fail_unless_equals_int (n, 0);
    gst_structure_free (s);
  }
  /* Stop the traffic first: a handler may still be running. */
  link_free (link);
  g_ptr_array_unref (local);
  announced_free (a);
}
GST_END_TEST;

GST_START_TEST (test_close_both_sides)
{
  Link *link = link_connected (256 * 1024);
  Announced *a = announced_new (link->client, FALSE);
  GstRtcDataChannel *ch, *remote, *again;
  Seen *seen, *rseen;
  gint id;

  ch = create (link->server, "closing", NULL);
  seen = watch (ch);
  fail_unless (is_open (ch));
  fail_unless (rtc_test_wait_count (announced_count, a, 1, 5000));
  remote = announced_get (a, 0);
  rseen = g_object_get_data (G_OBJECT (remote), "seen");
  id = gst_rtc_data_channel_get_id (ch);

  /* Queued messages still go before the reset. */
  fail_unless (gst_rtc_data_channel_send_string_full (ch, "last", NULL));
  g_signal_emit_by_name (ch, "close");
  fail_unless (atomic_ge (&seen->closed, 1, 5000));
  fail_unless (atomic_ge (&rseen->closed, 1, 5000));
  fail_unless_equals_int (seen_count (rseen), 1);
  fail_unless_equals_int (gst_rtc_data_channel_get_ready_state (remote),
      GST_RTC_DATA_CHANNEL_STATE_CLOSED);
  fail_if (gst_rtc_data_channel_send_string_full (ch, "x", NULL));
  fail_unless_equals_int (seen->errors, 0);

  /* Both directions reset: the id is free again. */
  again = create (link->server, "again", NULL);
  fail_unless_equals_int (gst_rtc_data_channel_get_id (again), id);

  /* Stop the traffic first: a handler may still be running. */
  link_free (link);
  release (again);
  release (ch);
  announced_free (a);
}
GST_END_TEST;

GST_START_TEST (test_buffered_amount_low)
{
  Link *link = link_connected (256 * 1024);
  Announced *a = announced_new (link->server, FALSE);
  GstRtcDataChannel *ch;
  Seen *seen, *rseen;
  GBytes *msg = g_bytes_new_take (g_malloc0 (64 * 1024), 64 * 1024);
  guint64 max_buffered = 0, threshold = 256 * 1024;
  guint i, n = 64;

  ch = create (link->client, "fast", NULL);
  seen = watch (ch);
  g_object_set (ch, "buffered-amount-low-threshold", threshold, NULL);
  fail_unless (is_open (ch));
  fail_unless (rtc_test_wait_count (announced_count, a, 1, 5000));
  rseen = g_object_get_data (G_OBJECT (announced_get (a, 0)), "seen");

  /* 4 MiB at once: more than usrsctp's 1 MiB send buffer takes. */
  for (i = 0; i < n; i++) {
    fail_unless (gst_rtc_data_channel_send_data_full (ch, msg, NULL));
    max_buffered = MAX (max_buffered,
        gst_rtc_data_channel_get_buffered_amount (ch));
  }
  fail_unless (max_buffered > threshold, "buffered %" G_GUINT64_FORMAT,
      max_buffered);
  fail_unless (wait_messages (rseen, n, 20000));
  fail_unless (atomic_ge (&seen->low, 1, 5000));
  /* Once per crossing. */
  fail_unless_equals_int (g_atomic_int_get (&seen->low), 1);
  fail_unless_equals_uint64 (gst_rtc_data_channel_get_buffered_amount (ch), 0);
  for (i = 0; i < n; i++)
    fail_unless (g_bytes_equal (g_queue_peek_nth (&rseen->messages, i), msg));

  /* Stop the traffic first: a handler may still be running. */
  link_free (link);
  g_bytes_unref (msg);
  release (ch);
  announced_free (a);
}
GST_END_TEST;

GST_START_TEST (test_interleaving)
{
  Link *link = link_connected (256 * 1024);
  Announced *a = announced_new (link->server, FALSE);
  GstRtcDataChannel *bulk, *chat;
  Seen *r1 = NULL, *r2 = NULL;
  GBytes *big = g_bytes_new_take (g_malloc0 (256 * 1024), 256 * 1024);
  guint i;
  gint64 small_at = 0;

  fail_unless (rtc_sctp_association_get_interleaving (link->client));
  fail_unless (rtc_sctp_association_get_interleaving (link->server));
  bulk = create (link->client, "bulk", NULL);
  chat = create (link->client, "chat", NULL);
  watch (bulk);
  watch (chat);
  fail_unless (is_open (bulk));
  fail_unless (is_open (chat));
  fail_unless (rtc_test_wait_count (announced_count, a, 2, 5000));
  for (i = 0; i < 2; i++) {
    GstRtcDataChannel *r = announced_get (a, i);
    gchar *label;
    g_object_get (r, "label", &label, NULL);
    if (g_str_equal (label, "bulk"))
      r1 = g_object_get_data (G_OBJECT (r), "seen");
    else
      r2 = g_object_get_data (G_OBJECT (r), "seen");
    g_free (label);
  }
  /* Four big messages queued, then a small one on another channel: with
   * I-DATA it overtakes them. */
  for (i = 0; i < 4; i++)
    fail_unless (gst_rtc_data_channel_send_data_full (bulk, big, NULL));
  fail_unless (gst_rtc_data_channel_send_string_full (chat, "ping", NULL));
  fail_unless (wait_messages (r2, 1, 5000));
  small_at = seen_count (r1);
  fail_unless (small_at < 4, "the small message waited for %d big ones",
      (gint)small_at);
  fail_unless (wait_messages (r1, 4, 10000));
  /* Stop the traffic first: a handler may still be running. */
  link_free (link);
  g_bytes_unref (big);
  release (bulk);
  release (chat);
  announced_free (a);
}
GST_END_TEST;

GST_START_TEST (test_hostile_input)
{
  Link *link = link_connected (256 * 1024);
  Announced *a = announced_new (link->client, FALSE);
  GstRtcDataChannel *ch;
  Seen *rseen;
  static const guint8 garbage[] = { 0x03, 0x00, 0x01 };
  static const guint8 bad_utf8[] = { 'a', 0xc3, 0x28 };
  guint8 *big = g_malloc0 (2000);
  RtcDcepOpen open = { TRUE, -1, -1, 256, (gchar *)"evil", (gchar *)"" };
  GBytes *open_msg = rtc_dcep_build_open (&open);
  gsize open_len;
  const guint8 *open_data = g_bytes_get_data (open_msg, &open_len);
  guint16 sid;

  ch = create (link->server, "target", NULL);
  watch (ch);
  fail_unless (is_open (ch));
  fail_unless (rtc_test_wait_count (announced_count, a, 1, 5000));
  rseen = g_object_get_data (G_OBJECT (announced_get (a, 0)), "seen");
  sid = gst_rtc_data_channel_get_id (ch);

  /* Malformed DCEP; an open of the wrong parity (the server must use odd
   * ids); an open on a stream in use; an ACK nobody asked for. */
  fail_unless (rtc_sctp_association_send_raw (link->server, 11, 50, garbage,
      sizeof (garbage)));
  fail_unless (rtc_sctp_association_send_raw (link->server, 12, 50, open_data,
      open_len));
  fail_unless (rtc_sctp_association_send_raw (link->server, sid, 50, open_data,
      open_len));
  fail_unless (rtc_sctp_association_send_raw (link->server, 13, 50,
      (const guint8 *)"\x02", 1));
  /* Unknown PPID; DATA on a stream never opened; bad UTF-8; over our
   * limit (the client accepts 1000 bytes now). */
  fail_unless (rtc_sctp_association_send_raw (link->server, sid, 99,
      (const guint8 *)"x", 1));
  fail_unless (rtc_sctp_association_send_raw (link->server, 21, 51,
      (const guint8 *)"x", 1));
  fail_unless (rtc_sctp_association_send_raw (link->server, sid, 51, bad_utf8,
      sizeof (bad_utf8)));
  rtc_sctp_association_set_max_message_size (link->client, 1000, 256 * 1024);
  fail_unless (
      rtc_sctp_association_send_raw (link->server, sid, 53, big, 2000));
  /* And then a good one, which must still arrive. */
  fail_unless (gst_rtc_data_channel_send_string_full (ch, "fine", NULL));
  fail_unless (wait_messages (rseen, 1, 5000));
  g_usleep (RTC_TEST_MS (50) * 1000);

  fail_unless_equals_int (seen_count (rseen), 1);
  fail_unless_equals_uint64 (stat (link->client, "dropped-dcep-invalid"), 4);
  fail_unless_equals_uint64 (stat (link->client, "dropped-unknown-ppid"), 1);
  fail_unless_equals_uint64 (stat (link->client, "dropped-unopened-stream"), 1);
  fail_unless_equals_uint64 (stat (link->client, "dropped-invalid-utf8"), 1);
  fail_unless_equals_uint64 (stat (link->client, "dropped-oversize"), 1);
  fail_unless_equals_int (announced_count (a), 1);
  fail_unless_equals_int (gst_rtc_data_channel_get_ready_state (ch),
      GST_RTC_DATA_CHANNEL_STATE_OPEN);

  /* Stop the traffic first: a handler may still be running. */
  link_free (link);
  g_bytes_unref (open_msg);
  g_free (big);
  release (ch);
  announced_free (a);
}
GST_END_TEST;

GST_START_TEST (test_peer_abort_closes_all)
{
  Link *link = link_connected (256 * 1024);
  Announced *a = announced_new (link->server, FALSE);
  GstRtcDataChannel *c1, *c2;
  Seen *s1, *s2;

  c1 = create (link->client, "one", NULL);
  c2 = create (link->server, "two", NULL);
  s1 = watch (c1);
  s2 = watch (c2);
  fail_unless (is_open (c1));
  fail_unless (is_open (c2));

  rtc_sctp_association_abort (link->client);
  /* Our own side closes without an error; the peer sees the abort. */
  fail_unless (atomic_ge (&s1->closed, 1, 1000));
  fail_unless (atomic_ge (&s2->closed, 1, 5000));
  fail_unless_equals_int (s1->errors, 0);
  fail_unless_equals_int (s2->errors, 1);
  fail_unless_equals_int (rtc_sctp_association_get_state (link->server),
      GST_RTC_SCTP_TRANSPORT_STATE_CLOSED);
  fail_if (
      rtc_sctp_association_create_channel (link->server, "late", NULL, NULL));

  /* Stop the traffic first: a handler may still be running. */
  link_free (link);
  release (c1);
  release (c2);
  announced_free (a);
}
GST_END_TEST;

/* The role set before start (rtcbin learns it from the answer, after
 * channels were made): in-band channels move to ids of its parity,
 * negotiated ones keep theirs, and once started the role is fixed. */
GST_START_TEST (test_set_role_before_start)
{
  Link *link = link_new (256 * 1024);
  Announced *a = announced_new (link->server, FALSE);
  GstRtcDataChannel *c1, *c2, *neg;
  gint notified = 0;
  gchar *label;
  guint i;

  /* Made as if it were the server. */
  rtc_sctp_association_set_role (link->client, FALSE, 5000);
  c1 = create (link->client, "one", NULL);
  c2 = create (link->client, "two", NULL);
  neg = create (link->client, "neg", "o, negotiated=(boolean)true, id=(int)9");
  fail_unless_equals_int (gst_rtc_data_channel_get_id (c1), 1);
  fail_unless_equals_int (gst_rtc_data_channel_get_id (c2), 3);
  g_signal_connect_swapped (c1, "notify::id", G_CALLBACK (g_atomic_int_inc),
      &notified);
  rtc_sctp_association_set_role (link->client, TRUE, 5000);
  fail_unless_equals_int (gst_rtc_data_channel_get_id (c1) % 2, 0);
  fail_unless_equals_int (gst_rtc_data_channel_get_id (c2) % 2, 0);
  fail_unless (
      gst_rtc_data_channel_get_id (c1) != gst_rtc_data_channel_get_id (c2));
  fail_unless_equals_int (gst_rtc_data_channel_get_id (neg), 9);
  fail_unless_equals_int (g_atomic_int_get (&notified), 1);

  fail_unless (rtc_sctp_association_start (link->client, NULL));
  fail_unless (rtc_sctp_association_start (link->server, NULL));
  fail_unless (is_open (c1));
  fail_unless (is_open (c2));
  fail_unless (rtc_test_wait_count (announced_count, a, 2, 5000));
  /* The peer sees them on the ids they moved to. */
  for (i = 0; i < 2; i++) {
    GstRtcDataChannel *r = announced_get (a, i);

    g_object_get (r, "label", &label, NULL);
    fail_unless_equals_int (gst_rtc_data_channel_get_id (r),
        gst_rtc_data_channel_get_id (g_str_equal (label, "one") ? c1 : c2));
    g_free (label);
  }
  /* Started: the role stays. */
  rtc_sctp_association_set_role (link->client, FALSE, 5000);
  fail_unless_equals_int (gst_rtc_data_channel_get_id (c1) % 2, 0);

  link_free (link);
  g_signal_handlers_disconnect_by_data (c1, &notified);
  release (c1);
  release (c2);
  release (neg);
  announced_free (a);
}
GST_END_TEST;

static Suite *
association_suite (void)
{
  Suite *s = suite_create ("rtcsctpassociation");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_dcep_roundtrip_and_strict_parse);
  tcase_add_test (tc, test_open_in_band_from_client);
  tcase_add_test (tc, test_open_in_band_from_server);
  tcase_add_test (tc, test_negotiated);
  tcase_add_test (tc, test_echo_sizes_client_opens);
  tcase_add_test (tc, test_echo_sizes_server_opens);
  tcase_add_test (tc, test_over_limit_send_fails);
  tcase_add_test (tc, test_unordered_partial_reliability);
  tcase_add_test (tc, test_partial_reliability_under_loss);
  tcase_add_test (tc, test_500_channels);
  tcase_add_test (tc, test_close_both_sides);
  tcase_add_test (tc, test_buffered_amount_low);
  tcase_add_test (tc, test_interleaving);
  tcase_add_test (tc, test_hostile_input);
  tcase_add_test (tc, test_peer_abort_closes_all);
  tcase_add_test (tc, test_set_role_before_start);
  return s;
}

RTC_CHECK_MAIN (association);
