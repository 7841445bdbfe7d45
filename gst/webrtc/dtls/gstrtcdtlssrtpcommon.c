/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrtcdtlssrtpcommon.h"

#include "rtcdtlserror.h"

#include <string.h>

static void
install_session (RtcDtlsSrtpCommon *common, RtcSrtpSession *session)
{
  RtcSrtpSession *old;

  g_mutex_lock (&common->lock);
  old = g_atomic_pointer_exchange (&common->srtp, session);
  if (old)
    common->retired = g_slist_prepend (common->retired, old);
  g_mutex_unlock (&common->lock);
}

static void
on_connection_state (RtcDtlsConnection *conn, GParamSpec *pspec,
    RtcDtlsSrtpCommon *common)
{
  RtcDtlsConnectionState state = rtc_dtls_connection_get_state (conn);
  RtcSrtpSession *session = NULL;

  if (state == RTC_DTLS_CONNECTION_STATE_CONNECTED) {
    session = rtc_dtls_connection_get_srtp (conn, common->outbound);
    if (session)
      install_session (common, session);
  } else if (state == RTC_DTLS_CONNECTION_STATE_FAILED) {
    install_session (common, NULL);
  }
  g_atomic_int_set (&common->state, state);

  if (session && common->keys_ready)
    common->keys_ready (common->element);
  if (state == RTC_DTLS_CONNECTION_STATE_FAILED
      && rtc_dtls_connection_claim_error_report (conn)) {
    gchar *error = rtc_dtls_connection_dup_error (conn);

    GST_ELEMENT_ERROR (common->element, RESOURCE, OPEN_READ_WRITE,
        ("DTLS connection '%s' failed: %s", rtc_dtls_connection_get_id (conn),
            error ? error : "unknown reason"),
        (NULL));
    g_free (error);
  }
  g_object_notify (G_OBJECT (common->element), "connection-state");
}

static void
set_connection_id (RtcDtlsSrtpCommon *common, const gchar *id)
{
  RtcDtlsConnection *old;

  g_mutex_lock (&common->lock);
  old = common->conn;
  if (old)
    g_signal_handler_disconnect (old, common->notify_id);
  g_free (common->connection_id);
  common->connection_id = g_strdup (id);
  common->conn = id ? rtc_dtls_connection_acquire (id) : NULL;
  g_atomic_int_set (&common->state, RTC_DTLS_CONNECTION_STATE_NEW);
  if (common->conn)
    common->notify_id = g_signal_connect (common->conn, "notify::state",
        G_CALLBACK (on_connection_state), common);
  g_mutex_unlock (&common->lock);
  if (old)
    rtc_dtls_connection_release (old);
}

/**
 * rtc_dtls_srtp_common_ref_connection:
 *
 * Returns: (transfer full) (nullable): the paired connection, if a
 * connection-id was set.
 */
RtcDtlsConnection *
rtc_dtls_srtp_common_ref_connection (RtcDtlsSrtpCommon *common)
{
  RtcDtlsConnection *conn;

  g_mutex_lock (&common->lock);
  conn = common->conn ? g_object_ref (common->conn) : NULL;
  g_mutex_unlock (&common->lock);
  return conn;
}

void
rtc_dtls_srtp_common_install_properties (GObjectClass *klass)
{
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw_ready = rw | GST_PARAM_MUTABLE_READY;

  g_object_class_install_property (klass, RTC_DTLS_SRTP_PROP_CONNECTION_ID,
      g_param_spec_string ("connection-id", "Connection id",
          "Every encoder/decoder pair should have the same, unique, "
          "connection-id",
          NULL, rw_ready));
  g_object_class_install_property (klass, RTC_DTLS_SRTP_PROP_CONNECTION_STATE,
      g_param_spec_enum ("connection-state", "Connection state",
          "Current DTLS connection state", RTC_TYPE_DTLS_CONNECTION_STATE,
          RTC_DTLS_CONNECTION_STATE_NEW,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (klass, RTC_DTLS_SRTP_PROP_KEY,
      g_param_spec_boxed ("key", "Key",
          "SRTP master key followed by master salt; setting it (manual "
          "keying) disables DTLS",
          GST_TYPE_BUFFER, rw_ready));
  g_object_class_install_property (klass, RTC_DTLS_SRTP_PROP_SRTP_CIPHER,
      g_param_spec_string ("srtp-cipher", "SRTP cipher",
          "Manual keying: 'aes-128-icm', 'aes-128-gcm' or 'aes-256-gcm'", NULL,
          rw_ready));
  g_object_class_install_property (klass, RTC_DTLS_SRTP_PROP_SRTP_AUTH,
      g_param_spec_string ("srtp-auth", "SRTP auth",
          "Manual keying: 'hmac-sha1-80' or 'hmac-sha1-32' with "
          "aes-128-icm, 'null' with the GCM ciphers",
          NULL, rw_ready));
  g_object_class_install_property (klass, RTC_DTLS_SRTP_PROP_SRTCP_CIPHER,
      g_param_spec_string ("srtcp-cipher", "SRTCP cipher",
          "Manual keying: must equal srtp-cipher when set", NULL, rw_ready));
  g_object_class_install_property (klass, RTC_DTLS_SRTP_PROP_SRTCP_AUTH,
      g_param_spec_string ("srtcp-auth", "SRTCP auth",
          "Manual keying: 'hmac-sha1-80' with aes-128-icm, 'null' with GCM",
          NULL, rw_ready));
  g_object_class_install_property (klass, RTC_DTLS_SRTP_PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Packet counters, including dropped packets by reason",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

void
rtc_dtls_srtp_common_init (RtcDtlsSrtpCommon *common, GstElement *element,
    gboolean outbound)
{
  memset (common, 0, sizeof (*common));
  common->element = element;
  common->outbound = outbound;
  g_mutex_init (&common->lock);
}

void
rtc_dtls_srtp_common_finalize (RtcDtlsSrtpCommon *common)
{
  set_connection_id (common, NULL);
  rtc_dtls_srtp_common_stop (common);
  gst_clear_buffer (&common->key);
  g_free (common->srtp_cipher);
  g_free (common->srtp_auth);
  g_free (common->srtcp_cipher);
  g_free (common->srtcp_auth);
  g_mutex_clear (&common->lock);
}

static void
set_string (RtcDtlsSrtpCommon *common, gchar **field, const GValue *value)
{
  g_mutex_lock (&common->lock);
  g_free (*field);
  *field = g_value_dup_string (value);
  g_mutex_unlock (&common->lock);
}

gboolean
rtc_dtls_srtp_common_set_property (RtcDtlsSrtpCommon *common, guint prop_id,
    const GValue *value)
{
  switch (prop_id) {
    case RTC_DTLS_SRTP_PROP_CONNECTION_ID:
      set_connection_id (common, g_value_get_string (value));
      return TRUE;
    case RTC_DTLS_SRTP_PROP_KEY:
      g_mutex_lock (&common->lock);
      gst_buffer_replace (&common->key, g_value_get_boxed (value));
      g_mutex_unlock (&common->lock);
      return TRUE;
    case RTC_DTLS_SRTP_PROP_SRTP_CIPHER:
      set_string (common, &common->srtp_cipher, value);
      return TRUE;
    case RTC_DTLS_SRTP_PROP_SRTP_AUTH:
      set_string (common, &common->srtp_auth, value);
      return TRUE;
    case RTC_DTLS_SRTP_PROP_SRTCP_CIPHER:
      set_string (common, &common->srtcp_cipher, value);
      return TRUE;
    case RTC_DTLS_SRTP_PROP_SRTCP_AUTH:
      set_string (common, &common->srtcp_auth, value);
      return TRUE;
    default:
      return FALSE;
  }
}

#define STATS_FIELD(s, name, field) \
  gst_structure_set (s, name, G_TYPE_UINT64, \
      __atomic_load_n (&common->stats.field, __ATOMIC_RELAXED), NULL)

static GstStructure *
stats_to_structure (RtcDtlsSrtpCommon *common)
{
  GstStructure *s = gst_structure_new_empty (
      "application/x-rtc-dtls-srtp-stats");
  RtcSrtpSession *session = rtc_dtls_srtp_common_get_srtp (common);

  STATS_FIELD (s, "rtp-packets", rtp_packets);
  STATS_FIELD (s, "rtcp-packets", rtcp_packets);
  STATS_FIELD (s, "dtls-packets", dtls_packets);
  STATS_FIELD (s, "data-packets", data_packets);
  STATS_FIELD (s, "data-bytes", data_bytes);
  STATS_FIELD (s, "dropped-not-ready", dropped_not_ready);
  STATS_FIELD (s, "dropped-invalid", dropped_invalid);
  STATS_FIELD (s, "dropped-replay", dropped_replay);
  STATS_FIELD (s, "dropped-auth", dropped_auth);
  STATS_FIELD (s, "dropped-error", dropped_error);
  gst_structure_set (s, "srtp-profile", G_TYPE_STRING,
      rtc_srtp_profile_name (session ? rtc_srtp_session_get_profile (session)
                                     : RTC_SRTP_PROFILE_NONE),
      NULL);
  return s;
}

gboolean
rtc_dtls_srtp_common_get_property (RtcDtlsSrtpCommon *common, guint prop_id,
    GValue *value)
{
  switch (prop_id) {
    case RTC_DTLS_SRTP_PROP_CONNECTION_ID:
      g_mutex_lock (&common->lock);
      g_value_set_string (value, common->connection_id);
      g_mutex_unlock (&common->lock);
      return TRUE;
    case RTC_DTLS_SRTP_PROP_CONNECTION_STATE:
      g_value_set_enum (value, g_atomic_int_get (&common->state));
      return TRUE;
    case RTC_DTLS_SRTP_PROP_KEY:
      g_mutex_lock (&common->lock);
      g_value_set_boxed (value, common->key);
      g_mutex_unlock (&common->lock);
      return TRUE;
    case RTC_DTLS_SRTP_PROP_SRTP_CIPHER:
      g_value_set_string (value, common->srtp_cipher);
      return TRUE;
    case RTC_DTLS_SRTP_PROP_SRTP_AUTH:
      g_value_set_string (value, common->srtp_auth);
      return TRUE;
    case RTC_DTLS_SRTP_PROP_SRTCP_CIPHER:
      g_value_set_string (value, common->srtcp_cipher);
      return TRUE;
    case RTC_DTLS_SRTP_PROP_SRTCP_AUTH:
      g_value_set_string (value, common->srtcp_auth);
      return TRUE;
    case RTC_DTLS_SRTP_PROP_STATS:
      g_value_take_boxed (value, stats_to_structure (common));
      return TRUE;
    default:
      return FALSE;
  }
}

static gboolean
manual_keying_requested_locked (RtcDtlsSrtpCommon *common)
{
  return common->key || common->srtp_cipher || common->srtp_auth
      || common->srtcp_cipher || common->srtcp_auth;
}

/* Manual keying: one profile for SRTP and SRTCP, from srtpenc-style names. */
static RtcSrtpSession *
create_manual_session_locked (RtcDtlsSrtpCommon *common, GError **error)
{
  RtcSrtpProfile profile;
  GstMapInfo map;
  guint klen, slen;
  RtcSrtpSession *session = NULL;
  const gchar *want_rtcp_auth;

  profile = rtc_srtp_profile_from_params (common->srtp_cipher,
      common->srtp_auth, error);
  if (profile == RTC_SRTP_PROFILE_NONE)
    return NULL;
  /* SRTCP follows SRTP: same cipher, and the 80-bit tag unless AEAD. */
  want_rtcp_auth = rtc_srtp_profile_salt_length (profile) == 12
      ? "null"
      : "hmac-sha1-80";
  if ((common->srtcp_cipher
          && g_strcmp0 (common->srtcp_cipher, common->srtp_cipher) != 0)
      || (common->srtcp_auth
          && g_strcmp0 (common->srtcp_auth, want_rtcp_auth) != 0)) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT,
        "srtcp-cipher/srtcp-auth '%s'/'%s' do not fit srtp-cipher/srtp-auth "
        "'%s'/'%s': SRTCP must use '%s'/'%s'",
        common->srtcp_cipher, common->srtcp_auth, common->srtp_cipher,
        common->srtp_auth, common->srtp_cipher, want_rtcp_auth);
    return NULL;
  }
  klen = rtc_srtp_profile_key_length (profile);
  slen = rtc_srtp_profile_salt_length (profile);
  if (!common->key || !gst_buffer_map (common->key, &map, GST_MAP_READ)) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT,
        "Manual SRTP keying needs the key property (%u bytes of key and "
        "salt for %s)",
        klen + slen, rtc_srtp_profile_name (profile));
    return NULL;
  }
  if (map.size != klen + slen) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT,
        "SRTP key is %" G_GSIZE_FORMAT " bytes; %s needs %u (key %u + salt "
        "%u)",
        map.size, rtc_srtp_profile_name (profile), klen + slen, klen, slen);
  } else {
    session = rtc_srtp_session_new (profile, common->outbound, map.data,
        map.data + klen, error);
  }
  gst_buffer_unmap (common->key, &map);
  return session;
}

/**
 * rtc_dtls_srtp_common_prepare:
 * @manual: (out): whether manual keying (no DTLS) is in use
 *
 * Readies the element to stream: keys a manual session, or checks it has
 * a connection and takes the connection's keys if it already has them.
 * Posts an error message and returns %FALSE on misconfiguration.
 */
gboolean
rtc_dtls_srtp_common_prepare (RtcDtlsSrtpCommon *common, gboolean *manual)
{
  GError *error = NULL;
  RtcSrtpSession *session = NULL;
  RtcDtlsConnectionState state = RTC_DTLS_CONNECTION_STATE_NEW;
  gboolean ok = TRUE;

  g_mutex_lock (&common->lock);
  *manual = manual_keying_requested_locked (common);
  if (*manual) {
    session = create_manual_session_locked (common, &error);
    ok = session != NULL;
  } else if (!common->conn) {
    g_set_error (&error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT,
        "No connection-id set: the encoder and decoder of one DTLS "
        "connection must share a connection-id");
    ok = FALSE;
  } else {
    state = rtc_dtls_connection_get_state (common->conn);
    if (state == RTC_DTLS_CONNECTION_STATE_CONNECTED)
      session = rtc_dtls_connection_get_srtp (common->conn, common->outbound);
  }
  g_mutex_unlock (&common->lock);

  if (session)
    install_session (common, session);
  g_atomic_int_set (&common->state, state);
  if (!ok) {
    GST_ELEMENT_ERROR (common->element, LIBRARY, SETTINGS,
        ("%s", error->message), (NULL));
    g_error_free (error);
  }
  return ok;
}

/* Called once streaming has stopped: no thread holds a session now. */
void
rtc_dtls_srtp_common_stop (RtcDtlsSrtpCommon *common)
{
  GSList *retired;

  install_session (common, NULL);
  g_mutex_lock (&common->lock);
  retired = common->retired;
  common->retired = NULL;
  g_mutex_unlock (&common->lock);
  g_slist_free_full (retired, (GDestroyNotify)rtc_srtp_session_unref);
}

/**
 * rtc_dtls_srtp_store_output_events:
 *
 * Stores stream-start and a time segment on a source pad whose output is
 * made here rather than forwarded, so they precede its first buffer.
 */
void
rtc_dtls_srtp_store_output_events (GstPad *pad, const gchar *stream_id)
{
  GstEvent *event = gst_event_new_stream_start (stream_id);
  GstSegment segment;

  gst_pad_store_sticky_event (pad, event);
  gst_event_unref (event);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  event = gst_event_new_segment (&segment);
  gst_pad_store_sticky_event (pad, event);
  gst_event_unref (event);
}
