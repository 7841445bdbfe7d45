/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Data channels through rtcbin: two rtcbins in one process, offer/answer
 * and trickle through the action signals, SCTP over their DTLS transport.
 */
#include "../common/rtcbintest.h"
#include "../common/rtcdatatest.h"
#include "../common/rtccheckmain.h"

/* What one channel end saw. Handlers run on the transport's threads:
 * they record, the test thread checks. */
typedef struct {
  GMutex lock;
  GCond cond;
  gint open, close, error, low;
  guint64 low_max_amount; /* the largest buffered-amount at a low event */
  GPtrArray *messages; /* GBytes; strings keep no NUL */
  GArray *is_string;
  gboolean echo;
  GError *last_error;
} Probe;

static void
probe_signal (Probe *p)
{
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

static void
on_open (GstRtcDataChannel *ch, Probe *p)
{
  g_mutex_lock (&p->lock);
  p->open++;
  probe_signal (p);
}

static void
on_close (GstRtcDataChannel *ch, Probe *p)
{
  g_mutex_lock (&p->lock);
  p->close++;
  probe_signal (p);
}

static void
on_error (GstRtcDataChannel *ch, GError *error, Probe *p)
{
  g_mutex_lock (&p->lock);
  p->error++;
  probe_signal (p);
}

static void
on_low (GstRtcDataChannel *ch, Probe *p)
{
  guint64 amount = gst_rtc_data_channel_get_buffered_amount (ch);

  g_mutex_lock (&p->lock);
  p->low++;
  p->low_max_amount = MAX (p->low_max_amount, amount);
  probe_signal (p);
}

static void
record (Probe *p, GBytes *bytes, gboolean is_string)
{
  g_mutex_lock (&p->lock);
  g_ptr_array_add (p->messages, g_bytes_ref (bytes));
  g_array_append_val (p->is_string, is_string);
  probe_signal (p);
}

static void
on_string (GstRtcDataChannel *ch, const gchar *str, Probe *p)
{
  GBytes *bytes = g_bytes_new (str, str ? strlen (str) : 0);

  record (p, bytes, TRUE);
  if (p->echo)
    g_signal_emit_by_name (ch, "send-string", str);
  g_bytes_unref (bytes);
}

static void
on_data (GstRtcDataChannel *ch, GBytes *data, Probe *p)
{
  GBytes *bytes = data ? g_bytes_ref (data) : g_bytes_new (NULL, 0);

  record (p, bytes, FALSE);
  if (p->echo)
    g_signal_emit_by_name (ch, "send-data", bytes);
  g_bytes_unref (bytes);
}

static void
probe_free (Probe *p)
{
  g_ptr_array_unref (p->messages);
  g_array_unref (p->is_string);
  g_mutex_clear (&p->lock);
  g_cond_clear (&p->cond);
  g_free (p);
}

/* Attaches a probe to @ch (freed with it). */
static Probe *
probe (GstRtcDataChannel *ch, gboolean echo)
{
  Probe *p = g_new0 (Probe, 1);

  g_mutex_init (&p->lock);
  g_cond_init (&p->cond);
  p->messages = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  p->is_string = g_array_new (FALSE, FALSE, sizeof (gboolean));
  p->echo = echo;
  g_signal_connect (ch, "on-open", G_CALLBACK (on_open), p);
  g_signal_connect (ch, "on-close", G_CALLBACK (on_close), p);
  g_signal_connect (ch, "on-error", G_CALLBACK (on_error), p);
  g_signal_connect (ch, "on-buffered-amount-low", G_CALLBACK (on_low), p);
  g_signal_connect (ch, "on-message-string", G_CALLBACK (on_string), p);
  g_signal_connect (ch, "on-message-data", G_CALLBACK (on_data), p);
  g_object_set_data_full (G_OBJECT (ch), "probe", p,
      (GDestroyNotify)probe_free);
  return p;
}

static Probe *
probe_of (GstRtcDataChannel *ch)
{
  Probe *p = g_object_get_data (G_OBJECT (ch), "probe");

  fail_unless (p != NULL);
  return p;
}

/* Waits until *@counter (under the probe's lock) reaches @n. */
static gboolean
probe_wait (Probe *p, gint *counter, gint n, guint ms)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;
  gboolean ok;

  g_mutex_lock (&p->lock);
  while (*counter < n && g_cond_wait_until (&p->cond, &p->lock, end))
    ;
  ok = *counter >= n;
  g_mutex_unlock (&p->lock);
  return ok;
}

static gboolean
probe_wait_messages (Probe *p, guint n, guint ms)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;
  gboolean ok;

  g_mutex_lock (&p->lock);
  while (p->messages->len < n && g_cond_wait_until (&p->cond, &p->lock, end))
    ;
  ok = p->messages->len >= n;
  g_mutex_unlock (&p->lock);
  return ok;
}

static guint
probe_n_messages (Probe *p)
{
  guint n;

  g_mutex_lock (&p->lock);
  n = p->messages->len;
  g_mutex_unlock (&p->lock);
  return n;
}

/* The channels a peer opened towards one rtcbin, probed on arrival (the
 * signal comes before their on-open). */
typedef struct {
  GMutex lock;
  GPtrArray *channels;
  gboolean echo;
} Remote;

static void
on_data_channel (GstElement *bin, GstRtcDataChannel *ch, Remote *r)
{
  probe (ch, r->echo);
  g_mutex_lock (&r->lock);
  g_ptr_array_add (r->channels, gst_object_ref (ch));
  g_mutex_unlock (&r->lock);
}

static guint
remote_count (gpointer data)
{
  Remote *r = data;
  guint n;

  g_mutex_lock (&r->lock);
  n = r->channels->len;
  g_mutex_unlock (&r->lock);
  return n;
}

static gboolean
remote_wait (Remote *r, guint n, guint ms)
{
  return rtc_test_wait_count (remote_count, r, n, ms);
}

static GstRtcDataChannel *
remote_get (Remote *r, guint i)
{
  GstRtcDataChannel *ch;

  g_mutex_lock (&r->lock);
  fail_unless (i < r->channels->len);
  ch = g_ptr_array_index (r->channels, i);
  g_mutex_unlock (&r->lock);
  return ch;
}

/* Two rtcbins, each watching the channels the other opens. */
typedef struct {
  GstElement *a, *b;
  Remote ra, rb; /* opened by the peer of a, of b */
  gint needed_a;
} Pair;

static void
pair_init (Pair *p, gboolean echo_a, gboolean echo_b)
{
  memset (p, 0, sizeof (*p));
  p->a = rtcbin_test_new ("a");
  p->b = rtcbin_test_new ("b");
  g_mutex_init (&p->ra.lock);
  g_mutex_init (&p->rb.lock);
  p->ra.channels = g_ptr_array_new_with_free_func (gst_object_unref);
  p->rb.channels = g_ptr_array_new_with_free_func (gst_object_unref);
  p->ra.echo = echo_a;
  p->rb.echo = echo_b;
  g_signal_connect (p->a, "on-data-channel", G_CALLBACK (on_data_channel),
      &p->ra);
  g_signal_connect (p->b, "on-data-channel", G_CALLBACK (on_data_channel),
      &p->rb);
  g_signal_connect (p->a, "on-negotiation-needed",
      G_CALLBACK (rtcbin_test_count_signal), &p->needed_a);
  rtcbin_test_trickle (p->a, p->b);
  fail_unless (gst_element_set_state (p->a, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);
  fail_unless (gst_element_set_state (p->b, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);
}

/* a offers, b answers; both connected. */
static void
pair_connect (Pair *p, GstSDPMessage **offer_sdp)
{
  rtcbin_test_negotiate_sdp (p->a, p->b, offer_sdp);
  fail_unless (rtcbin_test_wait_enum (p->a, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));
  fail_unless (rtcbin_test_wait_enum (p->b, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));
}

static void
pair_clear (Pair *p)
{
  gst_element_set_state (p->a, GST_STATE_NULL);
  gst_element_set_state (p->b, GST_STATE_NULL);
  gst_object_unref (p->a);
  gst_object_unref (p->b);
  g_ptr_array_unref (p->ra.channels);
  g_ptr_array_unref (p->rb.channels);
  g_mutex_clear (&p->ra.lock);
  g_mutex_clear (&p->rb.lock);
}

static GstRtcDataChannel *
create (GstElement *bin, const gchar *label, GstStructure *options)
{
  GstRtcDataChannel *ch = NULL;

  g_signal_emit_by_name (bin, "create-data-channel", label, options, &ch);
  if (options)
    gst_structure_free (options);
  return ch;
}

static gint
ready_state (GstRtcDataChannel *ch)
{
  return gst_rtc_data_channel_get_ready_state (ch);
}

/* A message of @size bytes whose content depends on @seed; a valid
 * UTF-8 (ASCII) string when @text. */
static GBytes *
pattern (gsize size, guint seed, gboolean text)
{
  guint8 *d = g_malloc (size + 1);
  gsize i;

  for (i = 0; i < size; i++)
    d[i] = text ? 'a' + (i * 7 + seed) % 26 : (guint8)(i * 31 + seed);
  d[size] = 0;
  return g_bytes_new_take (d, size);
}

static void
send_msg (GstRtcDataChannel *ch, GBytes *msg, gboolean text)
{
  GError *error = NULL;
  gboolean ok;

  if (text)
    ok = gst_rtc_data_channel_send_string_full (ch,
        g_bytes_get_size (msg) ? g_bytes_get_data (msg, NULL) : "", &error);
  else
    ok = gst_rtc_data_channel_send_data_full (ch, msg, &error);
  fail_unless (ok, "send failed: %s", error ? error->message : "");
}

static const gsize sizes[] = { 0, 1024, 16384, 65536, 262144 };

/* Sends every size as string and binary on @ch, whose peer echoes; all
 * must come back intact and in order. */
static void
echo_all_sizes (GstRtcDataChannel *ch)
{
  Probe *p = probe_of (ch);
  guint base = probe_n_messages (p), i, k = 0;
  GPtrArray *sent = g_ptr_array_new_with_free_func (
      (GDestroyNotify)g_bytes_unref);

  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    gint text;

    for (text = 1; text >= 0; text--) {
      GBytes *msg = pattern (sizes[i], i * 2 + text, text);

      send_msg (ch, msg, text);
      g_ptr_array_add (sent, msg);
    }
  }
  fail_unless (probe_wait_messages (p, base + sent->len, 10000),
      "%u of %u echoes", probe_n_messages (p) - base, sent->len);
  g_mutex_lock (&p->lock);
  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    gint text;

    for (text = 1; text >= 0; text--, k++) {
      GBytes *got = g_ptr_array_index (p->messages, base + k);

      fail_unless_equals_int (g_array_index (p->is_string, gboolean, base + k),
          text);
      fail_unless (g_bytes_equal (got, g_ptr_array_index (sent, k)),
          "echo %u (%" G_GSIZE_FORMAT " bytes, %s) differs: %" G_GSIZE_FORMAT
          " bytes",
          k, sizes[i], text ? "string" : "binary", g_bytes_get_size (got));
    }
  }
  g_mutex_unlock (&p->lock);
  g_ptr_array_unref (sent);
}

static const GstSDPMedia *
data_media (const GstSDPMessage *sdp, guint *idx)
{
  guint i;

  for (i = 0; i < gst_sdp_message_medias_len (sdp); i++) {
    const GstSDPMedia *m = gst_sdp_message_get_media (sdp, i);

    if (!g_strcmp0 (gst_sdp_media_get_media (m), "application")) {
      if (idx)
        *idx = i;
      return m;
    }
  }
  return NULL;
}

static void
check_data_section (const GstSDPMessage *sdp)
{
  const GstSDPMedia *m = data_media (sdp, NULL);

  fail_unless (m != NULL, "no m=application section");
  fail_unless_equals_string (gst_sdp_media_get_proto (m), "UDP/DTLS/SCTP");
  fail_unless_equals_int (gst_sdp_media_formats_len (m), 1);
  fail_unless_equals_string (gst_sdp_media_get_format (m, 0),
      "webrtc-datachannel");
  fail_unless_equals_string (gst_sdp_media_get_attribute_val (m, "sctp-port"),
      "5000");
  fail_unless_equals_string (gst_sdp_media_get_attribute_val (m,
                                 "max-message-size"),
      "262144");
}

/* In-band channels opened by either side of a data-only call; every
 * size echoed both ways; the W3C negotiation-needed on the first one. */
GST_START_TEST (test_inband_both_ways)
{
  Pair p;
  GstRtcDataChannel *ca, *cb, *peer_a, *peer_b;
  GstSDPMessage *offer = NULL;
  gint64 t0, t_connected;
  gchar *label = NULL, *protocol = NULL;

  pair_init (&p, TRUE, TRUE);
  ca = create (p.a, "from-a",
      gst_structure_new ("options", "protocol", G_TYPE_STRING, "chat", NULL));
  fail_unless (ca != NULL);
  probe (ca, FALSE);
  fail_unless_equals_int (ready_state (ca),
      GST_RTC_DATA_CHANNEL_STATE_CONNECTING);
  fail_unless (rtcbin_test_wait_int (&p.needed_a, 1, 5000));
  /* A second channel needs no second negotiation. */
  gst_object_unref (create (p.a, "second", NULL));
  rtcbin_test_flush (p.a);
  fail_unless_equals_int (g_atomic_int_get (&p.needed_a), 1);

  t0 = g_get_monotonic_time ();
  pair_connect (&p, &offer);
  t_connected = g_get_monotonic_time ();
  check_data_section (offer);
  fail_unless_equals_int (gst_sdp_message_medias_len (offer), 1);
  gst_sdp_message_free (offer);
  {
    GstRtcSessionDescription *answer = NULL;

    g_object_get (p.b, "current-local-description", &answer, NULL);
    fail_unless (answer != NULL);
    check_data_section (answer->sdp);
    gst_rtc_session_description_free (answer);
  }

  fail_unless (probe_wait (probe_of (ca), &probe_of (ca)->open, 1, 10000));
  fail_unless (remote_wait (&p.rb, 2, 10000));
  peer_b = remote_get (&p.rb, 0);
  fail_unless (
      probe_wait (probe_of (peer_b), &probe_of (peer_b)->open, 1, 10000));
  GST_INFO ("create-offer to both ends open: %.1f ms (both connected, "
            "seen by polling: %.1f ms)",
      (g_get_monotonic_time () - t0) / 1000.0, (t_connected - t0) / 1000.0);
  /* b answered with the active role: b is the DTLS client (even ids), a
   * the server (odd). */
  fail_unless_equals_int (gst_rtc_data_channel_get_id (ca) % 2, 1);
  fail_unless_equals_int (gst_rtc_data_channel_get_id (peer_b),
      gst_rtc_data_channel_get_id (ca));
  g_object_get (peer_b, "label", &label, "protocol", &protocol, NULL);
  fail_unless_equals_string (label, "from-a");
  fail_unless_equals_string (protocol, "chat");
  g_free (label);
  g_free (protocol);
  echo_all_sizes (ca);

  /* b opens one on the running association. */
  cb = create (p.b, "from-b", NULL);
  fail_unless (cb != NULL);
  probe (cb, FALSE);
  fail_unless_equals_int (gst_rtc_data_channel_get_id (cb) % 2, 0);
  /* Made on a running association: its on-open may come before a probe
   * is attached. */
  fail_unless (rtc_data_test_wait_open (cb, 10000));
  fail_unless (remote_wait (&p.ra, 1, 10000));
  peer_a = remote_get (&p.ra, 0);
  fail_unless_equals_int (gst_rtc_data_channel_get_id (peer_a),
      gst_rtc_data_channel_get_id (cb));
  echo_all_sizes (cb);

  /* Only the channel of b was announced to a, both of a's to b. */
  fail_unless_equals_int (remote_count (&p.ra), 1);
  fail_unless_equals_int (remote_count (&p.rb), 2);
  gst_object_unref (ca);
  gst_object_unref (cb);
  pair_clear (&p);
}

GST_END_TEST;

static GstStructure *
negotiated_options (gint id)
{
  return gst_structure_new ("options", "negotiated", G_TYPE_BOOLEAN, TRUE, "id",
      G_TYPE_INT, id, NULL);
}

/* Negotiated channels, made on both sides before the call, open without
 * DCEP and carry every size; no on-data-channel for them. */
GST_START_TEST (test_negotiated)
{
  Pair p;
  GstRtcDataChannel *ca, *cb;

  pair_init (&p, FALSE, TRUE);
  ca = create (p.a, "neg", negotiated_options (7));
  cb = create (p.b, "neg", negotiated_options (7));
  fail_unless (ca != NULL && cb != NULL);
  probe (ca, FALSE);
  probe (cb, TRUE);
  /* The id is the application's, and taken. */
  fail_unless (create (p.a, "again", negotiated_options (7)) == NULL);
  /* Bad options make no channel. */
  fail_unless (create (p.a, "bad",
                   gst_structure_new ("options", "negotiated", G_TYPE_BOOLEAN,
                       TRUE, NULL))
      == NULL);
  fail_unless (create (p.a, "bad",
                   gst_structure_new ("options", "max-retransmits", G_TYPE_INT,
                       1, "max-packet-lifetime", G_TYPE_INT, 10, NULL))
      == NULL);
  fail_unless (
      create (p.a, "bad",
          gst_structure_new ("options", "ordered", G_TYPE_STRING, "yes", NULL))
      == NULL);
  pair_connect (&p, NULL);
  fail_unless (probe_wait (probe_of (ca), &probe_of (ca)->open, 1, 10000));
  fail_unless (probe_wait (probe_of (cb), &probe_of (cb)->open, 1, 10000));
  fail_unless_equals_int (gst_rtc_data_channel_get_id (ca), 7);
  echo_all_sizes (ca);
  fail_unless_equals_int (remote_count (&p.ra), 0);
  fail_unless_equals_int (remote_count (&p.rb), 0);
  gst_object_unref (ca);
  gst_object_unref (cb);
  pair_clear (&p);
}

GST_END_TEST;

/* Connects @p with a channel from a, telling a that b's
 * a=max-message-size is @limit (NULL: none at all); returns a's end and
 * sets @peer to b's. */
static GstRtcDataChannel *
connect_with_peer_limit (Pair *p, const gchar *limit, GstRtcDataChannel **peer)
{
  GstRtcDataChannel *ca;
  GstRtcSessionDescription *offer, *answer, *munged;
  GstSDPMessage *sdp;
  GstSDPMedia *m;
  guint idx, i;

  ca = create (p->a, "limits", NULL);
  probe (ca, FALSE);
  offer = rtcbin_test_create (p->a, "create-offer", NULL, NULL);
  rtcbin_test_set_ok (p->a, "set-local-description", offer);
  rtcbin_test_set_ok (p->b, "set-remote-description", offer);
  answer = rtcbin_test_create (p->b, "create-answer", NULL, NULL);
  rtcbin_test_set_ok (p->b, "set-local-description", answer);
  gst_sdp_message_copy (answer->sdp, &sdp);
  fail_unless (data_media (sdp, &idx) != NULL);
  m = (GstSDPMedia *)gst_sdp_message_get_media (sdp, idx);
  for (i = 0; i < gst_sdp_media_attributes_len (m); i++) {
    const GstSDPAttribute *attr = gst_sdp_media_get_attribute (m, i);

    if (!g_strcmp0 (attr->key, "max-message-size")) {
      GstSDPAttribute repl;

      if (limit) {
        gst_sdp_attribute_set (&repl, "max-message-size", limit);
        gst_sdp_media_replace_attribute (m, i, &repl);
      } else {
        gst_sdp_media_remove_attribute (m, i);
      }
      break;
    }
  }
  munged = gst_rtc_session_description_new (GST_RTC_SDP_TYPE_ANSWER, sdp);
  rtcbin_test_set_ok (p->a, "set-remote-description", munged);
  fail_unless (rtcbin_test_wait_ice (p->a, 10000));
  fail_unless (probe_wait (probe_of (ca), &probe_of (ca)->open, 1, 10000));
  fail_unless (remote_wait (&p->rb, 1, 10000));
  *peer = remote_get (&p->rb, 0);
  fail_unless (
      probe_wait (probe_of (*peer), &probe_of (*peer)->open, 1, 10000));
  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (answer);
  gst_rtc_session_description_free (munged);
  return ca;
}

/* A send of @size bytes on @ch fails, naming max-message-size, with
 * nothing buffered. */
static void
check_too_big (GstRtcDataChannel *ch, gsize size)
{
  GBytes *big = pattern (size, 1, FALSE);
  GError *error = NULL;

  fail_if (gst_rtc_data_channel_send_data_full (ch, big, &error));
  fail_unless (
      g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR));
  fail_unless (strstr (error->message, "max-message-size") != NULL, "%s",
      error->message);
  g_clear_error (&error);
  fail_unless_equals_int (gst_rtc_data_channel_get_buffered_amount (ch), 0);
  g_bytes_unref (big);
}

/* Ours is advertised (262144) and enforced by the peer; the peer's, made
 * smaller in its answer, is obeyed: a larger send fails with nothing
 * sent. */
GST_START_TEST (test_max_message_size)
{
  Pair p;
  GstRtcDataChannel *ca, *cb;
  GBytes *big;

  pair_init (&p, FALSE, FALSE);
  /* a is told b takes 4096 bytes at most. */
  ca = connect_with_peer_limit (&p, "4096", &cb);
  check_too_big (ca, 4097);
  /* At the limit it goes; then it is the only thing b received. */
  big = pattern (4096, 2, FALSE);
  send_msg (ca, big, FALSE);
  fail_unless (probe_wait_messages (probe_of (cb), 1, 10000));
  g_usleep (RTC_TEST_MS (100) * 1000);
  fail_unless_equals_int (probe_n_messages (probe_of (cb)), 1);
  fail_unless (
      g_bytes_equal (g_ptr_array_index (probe_of (cb)->messages, 0), big));
  g_bytes_unref (big);
  /* b was told 262144 by a: one byte more fails there. */
  check_too_big (cb, 262145);
  gst_object_unref (ca);
  pair_clear (&p);
}

GST_END_TEST;

/* A peer whose SDP says nothing takes 64 KiB (RFC 8841 6.1). */
GST_START_TEST (test_max_message_size_absent)
{
  Pair p;
  GstRtcDataChannel *ca, *cb;
  GBytes *msg;

  pair_init (&p, FALSE, FALSE);
  ca = connect_with_peer_limit (&p, NULL, &cb);
  check_too_big (ca, 65537);
  msg = pattern (65536, 4, TRUE);
  send_msg (ca, msg, TRUE);
  fail_unless (probe_wait_messages (probe_of (cb), 1, 10000));
  fail_unless (
      g_bytes_equal (g_ptr_array_index (probe_of (cb)->messages, 0), msg));
  g_bytes_unref (msg);
  gst_object_unref (ca);
  pair_clear (&p);
}

GST_END_TEST;

/* Unordered channels without retransmissions or with a lifetime deliver
 * everything on a lossless path. */
GST_START_TEST (test_unordered_partial)
{
  Pair p;
  GstRtcDataChannel *c0, *c1, *r0, *r1;
  guint i, n = 100;

  pair_init (&p, FALSE, FALSE);
  c0 = create (p.a, "rtx0",
      gst_structure_new ("options", "ordered", G_TYPE_BOOLEAN, FALSE,
          "max-retransmits", G_TYPE_INT, 0, NULL));
  c1 = create (p.a, "life",
      gst_structure_new ("options", "ordered", G_TYPE_BOOLEAN, FALSE,
          "max-packet-lifetime", G_TYPE_INT, 500, NULL));
  fail_unless (c0 && c1);
  probe (c0, FALSE);
  probe (c1, FALSE);
  pair_connect (&p, NULL);
  fail_unless (probe_wait (probe_of (c0), &probe_of (c0)->open, 1, 10000));
  fail_unless (probe_wait (probe_of (c1), &probe_of (c1)->open, 1, 10000));
  fail_unless (remote_wait (&p.rb, 2, 10000));
  r0 = remote_get (&p.rb, 0);
  r1 = remote_get (&p.rb, 1);
  {
    gboolean ordered;
    gint rtx, life;
    gchar *label;

    g_object_get (r0, "label", &label, NULL);
    if (!g_strcmp0 (label, "life")) {
      GstRtcDataChannel *t = r0;
      r0 = r1;
      r1 = t;
    }
    g_free (label);
    g_object_get (r0, "ordered", &ordered, "max-retransmits", &rtx, NULL);
    fail_if (ordered);
    fail_unless_equals_int (rtx, 0);
    g_object_get (r1, "ordered", &ordered, "max-packet-lifetime", &life, NULL);
    fail_if (ordered);
    fail_unless_equals_int (life, 500);
  }
  /* Let the DCEP acknowledgements come: then sends go unordered. */
  g_usleep (RTC_TEST_MS (50) * 1000);
  for (i = 0; i < n; i++) {
    GBytes *msg = pattern (1000, i, FALSE);

    send_msg (c0, msg, FALSE);
    send_msg (c1, msg, FALSE);
    g_bytes_unref (msg);
  }
  fail_unless (probe_wait_messages (probe_of (r0), n, 10000));
  fail_unless (probe_wait_messages (probe_of (r1), n, 10000));
  gst_object_unref (c0);
  gst_object_unref (c1);
  pair_clear (&p);
}

GST_END_TEST;

/* Data beside audio and video: one BUNDLE group holds all three. */
GST_START_TEST (test_bundled_with_media)
{
  Pair p;
  GstRtcDataChannel *ca;
  GstRtcRtpTransceiver *t1, *t2;
  GstSDPMessage *offer = NULL;
  const gchar *group;
  guint idx, i;

  pair_init (&p, FALSE, TRUE);
  t1 = rtcbin_test_add_transceiver (p.a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS);
  t2 = rtcbin_test_add_transceiver (p.a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_VP8_CAPS);
  ca = create (p.a, "beside-media", NULL);
  probe (ca, FALSE);
  pair_connect (&p, &offer);
  fail_unless_equals_int (gst_sdp_message_medias_len (offer), 3);
  check_data_section (offer);
  fail_unless (data_media (offer, &idx) != NULL);
  fail_unless_equals_int (idx, 2);
  group = gst_sdp_message_get_attribute_val (offer, "group");
  fail_unless (group && g_str_has_prefix (group, "BUNDLE "));
  for (i = 0; i < 3; i++) {
    const gchar *mid
        = gst_sdp_media_get_attribute_val (gst_sdp_message_get_media (offer, i),
            "mid");
    gchar **mids = g_strsplit (group + 7, " ", -1);

    fail_unless (g_strv_contains ((const gchar *const *)mids, mid),
        "mid %s not in %s", mid, group);
    g_strfreev (mids);
  }
  gst_sdp_message_free (offer);
  fail_unless (probe_wait (probe_of (ca), &probe_of (ca)->open, 1, 10000));
  echo_all_sizes (ca);
  gst_object_unref (t1);
  gst_object_unref (t2);
  gst_object_unref (ca);
  pair_clear (&p);
}

GST_END_TEST;

/* A channel asked for in a running media-only call: negotiation is
 * needed again, the data section joins the running transport and the
 * association starts at once (DTLS is up already). */
GST_START_TEST (test_added_by_renegotiation)
{
  Pair p;
  GstRtcDataChannel *ca;
  GstRtcRtpTransceiver *t;
  GstSDPMessage *offer = NULL;

  pair_init (&p, FALSE, TRUE);
  t = rtcbin_test_add_transceiver (p.a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS);
  fail_unless (rtcbin_test_wait_int (&p.needed_a, 1, 5000));
  pair_connect (&p, &offer);
  fail_unless (data_media (offer, NULL) == NULL);
  gst_sdp_message_free (offer);

  ca = create (p.a, "later", NULL);
  fail_unless (ca != NULL);
  probe (ca, FALSE);
  fail_unless (rtcbin_test_wait_int (&p.needed_a, 2, 5000));
  rtcbin_test_negotiate_sdp (p.a, p.b, &offer);
  fail_unless_equals_int (gst_sdp_message_medias_len (offer), 2);
  check_data_section (offer);
  gst_sdp_message_free (offer);
  fail_unless (probe_wait (probe_of (ca), &probe_of (ca)->open, 1, 10000));
  /* a kept the server role of the first exchange: odd ids. */
  fail_unless_equals_int (gst_rtc_data_channel_get_id (ca) % 2, 1);
  echo_all_sizes (ca);
  gst_object_unref (t);
  gst_object_unref (ca);
  pair_clear (&p);
}

GST_END_TEST;

static gint
count_state (GPtrArray *channels, GstRtcDataChannelState state)
{
  guint i;
  gint n = 0;

  for (i = 0; i < channels->len; i++)
    n += ready_state (g_ptr_array_index (channels, i)) == (gint)state;
  return n;
}

static gboolean
all_in_state (GPtrArray *channels, GstRtcDataChannelState state, guint ms)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;

  while (count_state (channels, state) < (gint)channels->len) {
    if (g_get_monotonic_time () > end)
      return FALSE;
    g_usleep (2000);
  }
  return TRUE;
}

static void
pc_counts (GstElement *bin, guint *opened, guint *closed)
{
  GstStructure *stats = rtcbin_test_get_stats (bin, NULL), *pc = NULL;

  fail_unless (gst_structure_get (stats, "peer-connection", GST_TYPE_STRUCTURE,
      &pc, NULL));
  fail_unless (gst_structure_get_uint (pc, "data-channels-opened", opened));
  fail_unless (gst_structure_get_uint (pc, "data-channels-closed", closed));
  gst_structure_free (pc);
  gst_structure_free (stats);
}

/* 500 channels opened and closed on one connection, every end seeing
 * both; the W3C counts agree. */
GST_START_TEST (test_500_channels)
{
  Pair p;
  GPtrArray *mine = g_ptr_array_new_with_free_func (gst_object_unref);
  gint64 t0;
  guint i, opened, closed, n = 500;

  pair_init (&p, FALSE, FALSE);
  gst_object_unref (create (p.a, "first", NULL));
  pair_connect (&p, NULL);
  fail_unless (remote_wait (&p.rb, 1, 10000));

  t0 = g_get_monotonic_time ();
  for (i = 1; i < n; i++) {
    gchar *label = g_strdup_printf ("ch%u", i);
    GstRtcDataChannel *ch = create (p.a, label, NULL);

    fail_unless (ch != NULL, "channel %u", i);
    g_ptr_array_add (mine, ch);
    g_free (label);
  }
  fail_unless (remote_wait (&p.rb, n, 20000), "%u of %u announced",
      remote_count (&p.rb), n);
  fail_unless (all_in_state (mine, GST_RTC_DATA_CHANNEL_STATE_OPEN, 20000));
  fail_unless (
      all_in_state (p.rb.channels, GST_RTC_DATA_CHANNEL_STATE_OPEN, 20000));
  GST_INFO ("%u channels open on both sides in %.0f ms", n - 1,
      (g_get_monotonic_time () - t0) / 1000.0);

  t0 = g_get_monotonic_time ();
  for (i = 0; i < mine->len; i++)
    g_signal_emit_by_name (g_ptr_array_index (mine, i), "close");
  /* The first one, closed from b's side. */
  g_signal_emit_by_name (remote_get (&p.rb, 0), "close");
  fail_unless (all_in_state (mine, GST_RTC_DATA_CHANNEL_STATE_CLOSED, 20000),
      "%d of %u closed", count_state (mine, GST_RTC_DATA_CHANNEL_STATE_CLOSED),
      mine->len);
  fail_unless (
      all_in_state (p.rb.channels, GST_RTC_DATA_CHANNEL_STATE_CLOSED, 20000));
  GST_INFO ("closed in %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  for (i = 0; i < n; i++) {
    Probe *pr = probe_of (remote_get (&p.rb, i));

    fail_unless (probe_wait (pr, &pr->close, 1, 5000));
    fail_unless_equals_int (pr->open, 1);
    fail_unless_equals_int (pr->close, 1);
  }
  pc_counts (p.a, &opened, &closed);
  fail_unless_equals_int (opened, n);
  fail_unless_equals_int (closed, n);
  pc_counts (p.b, &opened, &closed);
  fail_unless_equals_int (opened, n);
  fail_unless_equals_int (closed, n);
  g_ptr_array_unref (mine);
  pair_clear (&p);
}

GST_END_TEST;

/* W3C bufferedAmount under a fast sender pacing itself on
 * on-buffered-amount-low: the amount counts what send accepted and SCTP
 * did not take yet; the event fires when it falls to the threshold, and
 * never while idle. */
GST_START_TEST (test_buffered_amount)
{
  Pair p;
  GstRtcDataChannel *ca, *cb;
  Probe *pa;
  guint64 peak = 0, threshold = 256 * 1024, high = 1024 * 1024;
  guint i, n = 48, waits = 0;
  gint low;

  pair_init (&p, FALSE, FALSE);
  ca = create (p.a, "fast", NULL);
  pa = probe (ca, FALSE);
  g_object_set (ca, "buffered-amount-low-threshold", threshold, NULL);
  pair_connect (&p, NULL);
  fail_unless (probe_wait (pa, &pa->open, 1, 10000));
  fail_unless (remote_wait (&p.rb, 1, 10000));
  cb = remote_get (&p.rb, 0);

  for (i = 0; i < n; i++) {
    GBytes *msg = pattern (65536, i, FALSE);
    guint64 before = gst_rtc_data_channel_get_buffered_amount (ca), after;

    g_mutex_lock (&pa->lock);
    low = pa->low;
    g_mutex_unlock (&pa->lock);
    send_msg (ca, msg, FALSE);
    after = gst_rtc_data_channel_get_buffered_amount (ca);
    /* Grows by at most the message, whatever SCTP took meanwhile. */
    fail_unless (after <= before + 65536);
    peak = MAX (peak, after);
    g_bytes_unref (msg);
    /* Above the high-water mark: wait for the event, which must come
     * (the amount is above the threshold, SCTP drains it). */
    if (after > high) {
      fail_unless (probe_wait (pa, &pa->low, low + 1, 10000),
          "no on-buffered-amount-low at %" G_GUINT64_FORMAT, after);
      waits++;
    }
  }
  /* 3 MiB against a 1 MiB SCTP send buffer: the sender had to wait. */
  fail_unless (peak > high, "peak %" G_GUINT64_FORMAT, peak);
  fail_unless (waits > 0);
  fail_unless (probe_wait_messages (probe_of (cb), n, 20000));
  fail_unless_equals_int (gst_rtc_data_channel_get_buffered_amount (ca), 0);
  g_mutex_lock (&pa->lock);
  low = pa->low;
  /* Each event saw the amount at or under the threshold. */
  fail_unless (pa->low_max_amount <= threshold, "event at %" G_GUINT64_FORMAT,
      pa->low_max_amount);
  fail_unless (low >= (gint)waits);
  g_mutex_unlock (&pa->lock);
  /* Nothing buffered, nothing crosses: no event while idle. */
  g_usleep (RTC_TEST_MS (50) * 1000);
  g_mutex_lock (&pa->lock);
  fail_unless_equals_int (pa->low, low);
  g_mutex_unlock (&pa->lock);
  /* In order, intact. */
  for (i = 0; i < n; i++) {
    GBytes *msg = pattern (65536, i, FALSE);

    fail_unless (g_bytes_equal (g_ptr_array_index (probe_of (cb)->messages, i),
                     msg),
        "message %u", i);
    g_bytes_unref (msg);
  }
  gst_object_unref (ca);
  pair_clear (&p);
}

GST_END_TEST;

/* A close from either side closes both ends; a peer that stops closes
 * every channel; stats count messages and bytes consistently. */
GST_START_TEST (test_close_and_stats)
{
  Pair p;
  GstRtcDataChannel *c1, *c2, *r1 = NULL, *r2 = NULL;
  GstStructure *sa, *sb;
  guint i, found = 0;
  gint text;

  pair_init (&p, FALSE, TRUE);
  c1 = create (p.a, "one",
      gst_structure_new ("options", "protocol", G_TYPE_STRING, "p1", NULL));
  c2 = create (p.a, "two", NULL);
  probe (c1, FALSE);
  probe (c2, FALSE);
  pair_connect (&p, NULL);
  fail_unless (probe_wait (probe_of (c1), &probe_of (c1)->open, 1, 10000));
  fail_unless (probe_wait (probe_of (c2), &probe_of (c2)->open, 1, 10000));
  fail_unless (remote_wait (&p.rb, 2, 10000));
  for (i = 0; i < 2; i++) {
    GstRtcDataChannel *r = remote_get (&p.rb, i);

    if (gst_rtc_data_channel_get_id (r) == gst_rtc_data_channel_get_id (c1))
      r1 = r;
    else
      r2 = r;
  }
  fail_unless (r1 && r2);
  /* 3 strings and 3 binaries of 1000 bytes on c1, echoed. */
  for (i = 0; i < 3; i++)
    for (text = 0; text < 2; text++) {
      GBytes *msg = pattern (1000, i, text);

      send_msg (c1, msg, text);
      g_bytes_unref (msg);
    }
  fail_unless (probe_wait_messages (probe_of (c1), 6, 10000));

  sa = rtcbin_test_get_stats (p.a, NULL);
  sb = rtcbin_test_get_stats (p.b, NULL);
  for (i = 0; i < (guint)gst_structure_n_fields (sa); i++) {
    const gchar *name = gst_structure_nth_field_name (sa, i);
    GstStructure *e = NULL, *peer = NULL;
    gint ident;
    const gchar *label;
    guint ms, mr, ms_b, mr_b;
    guint64 bs, br, bs_b, br_b;

    if (!g_str_has_prefix (name, "data-channel"))
      continue;
    fail_unless (gst_structure_get (sa, name, GST_TYPE_STRUCTURE, &e, NULL));
    fail_unless_equals_string (gst_structure_get_name (e), "data-channel");
    fail_unless (gst_structure_get_int (e, "data-channel-identifier", &ident));
    label = gst_structure_get_string (e, "label");
    fail_unless_equals_string (gst_structure_get_string (e, "state"), "open");
    fail_unless (gst_structure_get (e, "messages-sent", G_TYPE_UINT, &ms,
        "messages-received", G_TYPE_UINT, &mr, "bytes-sent", G_TYPE_UINT64, &bs,
        "bytes-received", G_TYPE_UINT64, &br, NULL));
    /* b's entry of the same stream mirrors it. */
    {
      guint j;

      for (j = 0; j < (guint)gst_structure_n_fields (sb); j++) {
        const gchar *n2 = gst_structure_nth_field_name (sb, j);
        GstStructure *f = NULL;
        gint id2;

        if (!g_str_has_prefix (n2, "data-channel"))
          continue;
        gst_structure_get (sb, n2, GST_TYPE_STRUCTURE, &f, NULL);
        if (gst_structure_get_int (f, "data-channel-identifier", &id2)
            && id2 == ident)
          peer = f;
        else
          gst_structure_free (f);
      }
    }
    fail_unless (peer != NULL, "b has no entry for stream %d", ident);
    fail_unless_equals_string (gst_structure_get_string (peer, "label"), label);
    fail_unless (gst_structure_get (peer, "messages-sent", G_TYPE_UINT, &ms_b,
        "messages-received", G_TYPE_UINT, &mr_b, "bytes-sent", G_TYPE_UINT64,
        &bs_b, "bytes-received", G_TYPE_UINT64, &br_b, NULL));
    if (!g_strcmp0 (label, "one")) {
      fail_unless_equals_string (gst_structure_get_string (e, "protocol"),
          "p1");
      fail_unless_equals_int (ms, 6);
      fail_unless_equals_int (mr, 6);
      fail_unless_equals_uint64 (bs, 6000);
      fail_unless_equals_uint64 (br, 6000);
    } else {
      fail_unless_equals_int (ms, 0);
      fail_unless_equals_int (mr, 0);
    }
    fail_unless_equals_int (ms, mr_b);
    fail_unless_equals_int (mr, ms_b);
    fail_unless_equals_uint64 (bs, br_b);
    fail_unless_equals_uint64 (br, bs_b);
    found++;
    gst_structure_free (peer);
    gst_structure_free (e);
  }
  fail_unless_equals_int (found, 2);
  gst_structure_free (sa);
  gst_structure_free (sb);

  /* Closed from the receiving side: both ends close. */
  g_signal_emit_by_name (r1, "close");
  fail_unless (probe_wait (probe_of (c1), &probe_of (c1)->close, 1, 5000));
  fail_unless (probe_wait (probe_of (r1), &probe_of (r1)->close, 1, 5000));
  fail_unless_equals_int (ready_state (c1), GST_RTC_DATA_CHANNEL_STATE_CLOSED);
  fail_unless_equals_int (ready_state (c2), GST_RTC_DATA_CHANNEL_STATE_OPEN);
  {
    guint opened, closed;

    pc_counts (p.a, &opened, &closed);
    fail_unless_equals_int (opened, 2);
    fail_unless_equals_int (closed, 1);
  }

  /* b stops: a's remaining channel closes at once (the ABORT), not at
   * the consent timeout. */
  gst_element_set_state (p.b, GST_STATE_NULL);
  fail_unless (probe_wait (probe_of (c2), &probe_of (c2)->close, 1, 3000));
  fail_unless (probe_wait (probe_of (r2), &probe_of (r2)->close, 1, 3000));
  fail_unless_equals_int (probe_of (c2)->close, 1);
  /* A closed session makes no channel. */
  fail_unless (create (p.b, "late", NULL) == NULL);
  gst_object_unref (c1);
  gst_object_unref (c2);
  pair_clear (&p);
}

GST_END_TEST;

/* Stopping the offering session closes its channels on both ends; the
 * application may hold them, closed, after the session is gone. */
GST_START_TEST (test_stop_outlived)
{
  Pair p;
  GstRtcDataChannel *ca;

  pair_init (&p, FALSE, FALSE);
  ca = create (p.a, "held", NULL);
  probe (ca, FALSE);
  pair_connect (&p, NULL);
  fail_unless (probe_wait (probe_of (ca), &probe_of (ca)->open, 1, 10000));
  fail_unless (remote_wait (&p.rb, 1, 10000));
  gst_element_set_state (p.a, GST_STATE_NULL);
  fail_unless (probe_wait (probe_of (ca), &probe_of (ca)->close, 1, 3000));
  fail_unless_equals_int (ready_state (ca), GST_RTC_DATA_CHANNEL_STATE_CLOSED);
  fail_unless (probe_wait (probe_of (remote_get (&p.rb, 0)),
      &probe_of (remote_get (&p.rb, 0))->close, 1, 3000));
  pair_clear (&p);
  /* The channel outlives its session, closed. */
  fail_if (gst_rtc_data_channel_send_string_full (ca, "x", NULL));
  gst_object_unref (ca);
}

GST_END_TEST;

static Suite *
rtcbin_data_suite (void)
{
  Suite *s = suite_create ("rtcbin-data");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_inband_both_ways);
  tcase_add_test (tc, test_negotiated);
  tcase_add_test (tc, test_max_message_size);
  tcase_add_test (tc, test_max_message_size_absent);
  tcase_add_test (tc, test_unordered_partial);
  tcase_add_test (tc, test_bundled_with_media);
  tcase_add_test (tc, test_added_by_renegotiation);
  tcase_add_test (tc, test_500_channels);
  tcase_add_test (tc, test_buffered_amount);
  tcase_add_test (tc, test_close_and_stats);
  tcase_add_test (tc, test_stop_outlived);
  return s;
}

RTC_CHECK_MAIN (rtcbin_data);
