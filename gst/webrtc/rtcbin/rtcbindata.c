/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcbin's data channels. The SCTP association lives in an rtcsctpenc
 * made (in READY, so channels can be created at once) when the first
 * channel is asked for or a remote offer brings a data section; its
 * state is locked until DTLS is connected, since SCTP packets sent
 * earlier are dropped by the DTLS encoder and a lost INIT is only
 * retransmitted a second later. The DTLS role is only known once
 * negotiated: channels made before then take ids of the right parity
 * when it is set.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "rtcbindata.h"

#include "rtcsctpassociation.h"
#include "rtcsctpchannel.h"

GST_DEBUG_CATEGORY_STATIC (rtc_bin_data_debug);
#define GST_CAT_DEFAULT rtc_bin_data_debug

/* rtcsctpenc's ids are process-wide; rtcbins take theirs from the upper
 * half so that hand-built pipelines keep the small ones. */
#define FIRST_ASSOCIATION_ID 0x8000

typedef struct {
  RtcBinData *data;
  GstRtcDataChannel *channel;
  guint index; /* the stats id: channel ids are reused once closed */
  gulong handler;
  gboolean opened, closed;
} Entry;

struct _RtcBinData {
  GstElement *bin;
  RtcBinDataChannelFunc on_data_channel;

  GMutex lock;
  GstElement *enc, *dec;
  gboolean linked; /* in the bin, on the DTLS elements' data pads */
  gboolean transport_up; /* DTLS connected */
  gboolean started; /* enc unlocked and on its way to PLAYING */
  gboolean closed;
  GPtrArray *entries; /* Entry, every channel of the session */
  guint opened, closed_count;
};

RtcBinData *
rtc_bin_data_new (GstElement *bin, RtcBinDataChannelFunc on_data_channel)
{
  static gsize debug_init;
  RtcBinData *data = g_new0 (RtcBinData, 1);

  if (g_once_init_enter (&debug_init)) {
    GST_DEBUG_CATEGORY_INIT (rtc_bin_data_debug, "rtcbindata", 0,
        "rtcbin data channels");
    g_once_init_leave (&debug_init, 1);
  }
  data->bin = bin;
  data->on_data_channel = on_data_channel;
  g_mutex_init (&data->lock);
  data->entries = g_ptr_array_new ();
  return data;
}

/* Any thread: counts the channel's W3C open and close once each. */
static void
on_ready_state (GstRtcDataChannel *channel, GParamSpec *pspec, Entry *e)
{
  GstRtcDataChannelState state = gst_rtc_data_channel_get_ready_state (channel);
  RtcBinData *data = e->data;

  g_mutex_lock (&data->lock);
  if (state == GST_RTC_DATA_CHANNEL_STATE_OPEN && !e->opened) {
    e->opened = TRUE;
    data->opened++;
  } else if (state == GST_RTC_DATA_CHANNEL_STATE_CLOSED && e->opened
      && !e->closed) {
    e->closed = TRUE;
    data->closed_count++;
  }
  g_mutex_unlock (&data->lock);
}

static void
track (RtcBinData *data, GstRtcDataChannel *channel)
{
  Entry *e = g_new0 (Entry, 1);

  e->data = data;
  e->channel = gst_object_ref (channel);
  g_mutex_lock (&data->lock);
  e->index = data->entries->len;
  g_ptr_array_add (data->entries, e);
  g_mutex_unlock (&data->lock);
  e->handler = g_signal_connect (channel, "notify::ready-state",
      G_CALLBACK (on_ready_state), e);
  /* A negotiated channel on a running association is open already. */
  on_ready_state (channel, NULL, e);
}

/* From the association's threads. */
static void
on_peer_channel (GstElement *enc, GstRtcDataChannel *channel, RtcBinData *data)
{
  track (data, channel);
  data->on_data_channel (data->bin, channel);
}

/* A free association id; the encoder refuses one in use anyway. */
static guint
pick_association_id (void)
{
  static gint next;
  guint i;

  for (i = 0; i < FIRST_ASSOCIATION_ID; i++) {
    guint id = FIRST_ASSOCIATION_ID
        + (guint)g_atomic_int_add (&next, 1) % FIRST_ASSOCIATION_ID;
    RtcSctpAssociation *assoc = rtc_sctp_association_lookup (id);

    if (!assoc)
      return id;
    g_object_unref (assoc);
  }
  return FIRST_ASSOCIATION_ID;
}

/* Data lock held. */
static gboolean
ensure_elements_locked (RtcBinData *data, GError **error)
{
  guint id;

  if (data->enc)
    return TRUE;
  data->enc = gst_element_factory_make ("rtcsctpenc", NULL);
  data->dec = gst_element_factory_make ("rtcsctpdec", NULL);
  if (!data->enc || !data->dec) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INTERNAL_FAILURE,
        "The rtcsctpenc or rtcsctpdec element is missing");
    g_clear_object (&data->enc);
    g_clear_object (&data->dec);
    return FALSE;
  }
  gst_object_ref_sink (data->enc);
  gst_object_ref_sink (data->dec);
  id = pick_association_id ();
  /* Until negotiated, guessed as the offerer, which an answer that
   * takes the active role (ours, browsers') makes the DTLS server. */
  g_object_set (data->enc, "sctp-association-id", id, "is-client", FALSE,
      "max-message-size", (guint)RTC_JSEP_DEFAULT_MAX_MESSAGE_SIZE, NULL);
  g_object_set (data->dec, "sctp-association-id", id, NULL);
  g_signal_connect (data->enc, "on-data-channel", G_CALLBACK (on_peer_channel),
      data);
  gst_element_set_locked_state (data->enc, TRUE);
  if (gst_element_set_state (data->enc, GST_STATE_READY)
      == GST_STATE_CHANGE_FAILURE) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INTERNAL_FAILURE,
        "Could not make an SCTP association (id %u)", id);
    g_signal_handlers_disconnect_by_data (data->enc, data);
    gst_element_set_state (data->enc, GST_STATE_NULL);
    g_clear_object (&data->enc);
    g_clear_object (&data->dec);
    return FALSE;
  }
  GST_DEBUG ("SCTP association %u for %s", id, GST_ELEMENT_NAME (data->bin));
  return TRUE;
}

GstRtcDataChannel *
rtc_bin_data_create_channel (RtcBinData *data, const gchar *label,
    const GstStructure *options, GError **error)
{
  RtcSctpAssociation *assoc = NULL;
  GstRtcDataChannel *channel;
  guint id;

  g_mutex_lock (&data->lock);
  if (data->closed) {
    g_mutex_unlock (&data->lock);
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE,
        "create-data-channel: the session is closed");
    return NULL;
  }
  if (!ensure_elements_locked (data, error)) {
    g_mutex_unlock (&data->lock);
    return NULL;
  }
  g_object_get (data->enc, "sctp-association-id", &id, NULL);
  assoc = rtc_sctp_association_lookup (id);
  g_mutex_unlock (&data->lock);
  if (!assoc) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE,
        "create-data-channel: the SCTP association is closed");
    return NULL;
  }
  channel = rtc_sctp_association_create_channel (assoc, label, options, error);
  g_object_unref (assoc);
  if (channel)
    track (data, channel);
  return channel;
}

gboolean
rtc_bin_data_apply (RtcBinData *data, const RtcJsepMedia *m,
    gboolean dtls_client, GError **error)
{
  GstElement *enc;
  gboolean started;

  g_mutex_lock (&data->lock);
  if (data->closed) {
    g_mutex_unlock (&data->lock);
    return TRUE;
  }
  if (!ensure_elements_locked (data, error)) {
    g_mutex_unlock (&data->lock);
    return FALSE;
  }
  enc = gst_object_ref (data->enc);
  started = data->started;
  g_mutex_unlock (&data->lock);

  /* A renegotiation keeps the role and ports of a running association. */
  if (!started)
    g_object_set (enc, "is-client", dtls_client, "remote-sctp-port",
        m->sctp_port, NULL);
  /* Beyond what a property holds is as good as no limit (0): the
   * association caps that at what usrsctp takes in one send. */
  g_object_set (enc, "remote-max-message-size",
      m->max_message_size > G_MAXINT32 ? 0u : (guint)m->max_message_size, NULL);
  GST_DEBUG ("data section: DTLS %s, peer port %u, peer max-message-size "
             "%" G_GUINT64_FORMAT,
      dtls_client ? "client" : "server", m->sctp_port, m->max_message_size);
  gst_object_unref (enc);
  return TRUE;
}

/* Data lock held: the encoder follows the bin once DTLS is up. */
static gboolean
want_start_locked (RtcBinData *data)
{
  if (!data->linked || !data->transport_up || data->started || data->closed)
    return FALSE;
  data->started = TRUE;
  return TRUE;
}

static void
start_enc (RtcBinData *data, GstElement *enc)
{
  GST_DEBUG ("starting the SCTP association of %s",
      GST_ELEMENT_NAME (data->bin));
  gst_element_set_locked_state (enc, FALSE);
  if (!gst_element_sync_state_with_parent (enc))
    GST_WARNING ("the SCTP association of %s did not start",
        GST_ELEMENT_NAME (data->bin));
}

gboolean
rtc_bin_data_link (RtcBinData *data, GstElement *dtls_enc, GstElement *dtls_dec,
    GError **error)
{
  GstElement *enc, *dec;
  gboolean start;

  g_mutex_lock (&data->lock);
  if (!data->enc || data->linked || data->closed) {
    g_mutex_unlock (&data->lock);
    return TRUE;
  }
  data->linked = TRUE;
  enc = gst_object_ref (data->enc);
  dec = gst_object_ref (data->dec);
  g_mutex_unlock (&data->lock);

  gst_bin_add_many (GST_BIN (data->bin), enc, dec, NULL);
  if (!gst_element_link_pads (enc, "src", dtls_enc, "data_sink")
      || !gst_element_link_pads (dtls_dec, "data_src", dec, "sink")) {
    g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_INTERNAL_FAILURE,
        "Could not link the SCTP elements to the DTLS transport");
    gst_object_unref (enc);
    gst_object_unref (dec);
    return FALSE;
  }
  gst_element_sync_state_with_parent (dec);

  g_mutex_lock (&data->lock);
  start = want_start_locked (data);
  g_mutex_unlock (&data->lock);
  if (start)
    start_enc (data, enc);
  gst_object_unref (enc);
  gst_object_unref (dec);
  return TRUE;
}

void
rtc_bin_data_start (RtcBinData *data)
{
  GstElement *enc = NULL;

  g_mutex_lock (&data->lock);
  data->transport_up = TRUE;
  if (want_start_locked (data))
    enc = gst_object_ref (data->enc);
  g_mutex_unlock (&data->lock);
  if (enc) {
    start_enc (data, enc);
    gst_object_unref (enc);
  }
}

void
rtc_bin_data_close (RtcBinData *data)
{
  GstElement *enc = NULL;

  g_mutex_lock (&data->lock);
  if (!data->closed && data->enc)
    enc = gst_object_ref (data->enc);
  data->closed = TRUE;
  g_mutex_unlock (&data->lock);
  if (!enc)
    return;
  /* Out of PLAYING the encoder sends an ABORT (the peer's channels close
   * at once) and every channel of ours closes. */
  GST_DEBUG ("closing the data channels of %s", GST_ELEMENT_NAME (data->bin));
  gst_element_set_locked_state (enc, TRUE);
  gst_element_set_state (enc, GST_STATE_NULL);
  gst_object_unref (enc);
}

static const gchar *
state_name (GstRtcDataChannelState state)
{
  switch (state) {
    case GST_RTC_DATA_CHANNEL_STATE_CONNECTING:
      return "connecting";
    case GST_RTC_DATA_CHANNEL_STATE_OPEN:
      return "open";
    case GST_RTC_DATA_CHANNEL_STATE_CLOSING:
      return "closing";
    default:
      return "closed";
  }
}

static GstStructure *
channel_stats (GstRtcDataChannel *channel, guint index, gdouble timestamp)
{
  RtcSctpChannelCounters c = { 0 };
  gchar *label = NULL, *protocol = NULL, *id;
  GstRtcDataChannelState state;
  GstStructure *s;

  if (RTC_IS_SCTP_CHANNEL (channel))
    rtc_sctp_channel_get_counters (RTC_SCTP_CHANNEL (channel), &c);
  g_object_get (channel, "label", &label, "protocol", &protocol, NULL);
  state = gst_rtc_data_channel_get_ready_state (channel);
  id = g_strdup_printf ("data-channel_%u", index);
  s = gst_structure_new ("data-channel", "type", GST_TYPE_RTC_STATS_TYPE,
      GST_RTC_STATS_DATA_CHANNEL, "timestamp", G_TYPE_DOUBLE, timestamp, "id",
      G_TYPE_STRING, id, "label", G_TYPE_STRING, label ? label : "", "protocol",
      G_TYPE_STRING, protocol ? protocol : "", "data-channel-identifier",
      G_TYPE_INT, gst_rtc_data_channel_get_id (channel), "state", G_TYPE_STRING,
      state_name (state), "messages-sent", G_TYPE_UINT,
      (guint)MIN (c.messages_sent, G_MAXUINT), "bytes-sent", G_TYPE_UINT64,
      c.bytes_sent, "messages-received", G_TYPE_UINT,
      (guint)MIN (c.messages_received, G_MAXUINT), "bytes-received",
      G_TYPE_UINT64, c.bytes_received, NULL);
  g_free (label);
  g_free (protocol);
  g_free (id);
  return s;
}

void
rtc_bin_data_add_stats (RtcBinData *data, GstStructure *report)
{
  GstStructure *pc = NULL;
  GPtrArray *channels = g_ptr_array_new_with_free_func (gst_object_unref);
  GArray *indexes = g_array_new (FALSE, FALSE, sizeof (guint));
  gdouble timestamp = 0;
  guint opened, closed, i;

  if (gst_structure_get (report, "peer-connection", GST_TYPE_STRUCTURE, &pc,
          NULL))
    gst_structure_get_double (pc, "timestamp", &timestamp);

  g_mutex_lock (&data->lock);
  for (i = 0; i < data->entries->len; i++) {
    Entry *e = g_ptr_array_index (data->entries, i);

    g_ptr_array_add (channels, gst_object_ref (e->channel));
    g_array_append_val (indexes, e->index);
  }
  opened = data->opened;
  closed = data->closed_count;
  g_mutex_unlock (&data->lock);

  /* Outside the lock: reading a channel takes its own. */
  for (i = 0; i < channels->len; i++) {
    GstStructure *s = channel_stats (g_ptr_array_index (channels, i),
        g_array_index (indexes, guint, i), timestamp);

    gst_structure_set (report, gst_structure_get_string (s, "id"),
        GST_TYPE_STRUCTURE, s, NULL);
    gst_structure_free (s);
  }
  if (pc) {
    gst_structure_set (pc, "data-channels-opened", G_TYPE_UINT, opened,
        "data-channels-closed", G_TYPE_UINT, closed, NULL);
    gst_structure_set (report, "peer-connection", GST_TYPE_STRUCTURE, pc, NULL);
    gst_structure_free (pc);
  }
  g_ptr_array_unref (channels);
  g_array_unref (indexes);
}

void
rtc_bin_data_free (RtcBinData *data)
{
  guint i;

  rtc_bin_data_close (data);
  for (i = 0; i < data->entries->len; i++) {
    Entry *e = g_ptr_array_index (data->entries, i);

    g_signal_handler_disconnect (e->channel, e->handler);
    gst_object_unref (e->channel);
    g_free (e);
  }
  g_ptr_array_unref (data->entries);
  if (data->enc) {
    g_signal_handlers_disconnect_by_data (data->enc, data);
    gst_element_set_state (data->enc, GST_STATE_NULL);
    gst_object_unref (data->enc);
  }
  if (data->dec) {
    gst_element_set_state (data->dec, GST_STATE_NULL);
    gst_object_unref (data->dec);
  }
  g_mutex_clear (&data->lock);
  g_free (data);
}
