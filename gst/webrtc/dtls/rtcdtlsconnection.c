/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * A DTLS 1.2 connection (RFC 6347) over in-memory datagrams, with the
 * DTLS-SRTP extension (RFC 5764). Pad-free: the elements hand it received
 * records and it hands back datagrams to send, so it can be tested and
 * fuzzed without a pipeline.
 *
 * An encoder and a decoder element share one connection through a
 * process-wide registry keyed by their common connection-id. Handshake
 * start and retransmission timers run on one GMainContext thread shared by
 * every connection in the process.
 */
#include "rtcdtlsconnection.h"
#include "rtcdtlserror.h"

#include <string.h>
#include <gst/gst.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

GST_DEBUG_CATEGORY_STATIC (rtc_dtls_connection_debug);
#define GST_CAT_DEFAULT rtc_dtls_connection_debug

/* Datagrams stay under a typical path MTU after UDP/IP and TURN overhead. */
#define DTLS_MTU 1200
/* Retransmission timer (RFC 6347 4.2.4.1): start at 100 ms rather than 1 s,
 * as loopback and LAN calls would otherwise wait a second for each lost
 * flight; back off by doubling up to 3 s. OpenSSL gives up after 12
 * timeouts of one flight. */
#define DTLS_INITIAL_TIMEOUT_US (100 * 1000)
#define DTLS_MAX_TIMEOUT_US (3 * 1000 * 1000)
#define DTLS_CIPHERS \
  "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" \
  "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" \
  "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:" \
  "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:" \
  "ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA"
#define SRTP_EXPORTER_LABEL "EXTRACTOR-dtls_srtp"

G_DEFINE_ENUM_TYPE (RtcDtlsConnectionState, rtc_dtls_connection_state,
    G_DEFINE_ENUM_VALUE (RTC_DTLS_CONNECTION_STATE_NEW, "new"),
    G_DEFINE_ENUM_VALUE (RTC_DTLS_CONNECTION_STATE_CLOSED, "closed"),
    G_DEFINE_ENUM_VALUE (RTC_DTLS_CONNECTION_STATE_FAILED, "failed"),
    G_DEFINE_ENUM_VALUE (RTC_DTLS_CONNECTION_STATE_CONNECTING, "connecting"),
    G_DEFINE_ENUM_VALUE (RTC_DTLS_CONNECTION_STATE_CONNECTED, "connected"));

typedef struct {
  RtcDtlsPacketFunc func;
  GObject *owner;
} PacketSink;

struct _RtcDtlsConnection {
  GObject parent;

  gchar *id;
  guint users; /* registry_lock */

  GMutex lock;
  RtcDtlsCertificate *cert;
  gchar *expected_fingerprint;
  gchar *peer_pem;
  X509 *peer_x509;
  gboolean is_client;
  SSL *ssl;
  gboolean handshake_done;
  RtcDtlsConnectionState state;
  gchar *error;
  gint error_reported; /* atomic */
  GSource *timer;
  guint generation; /* bumped on each start/stop */
  RtcSrtpSession *srtp_out, *srtp_in;

  /* The datagram OpenSSL is reading now, and what it wrote. */
  const guint8 *in_data;
  gsize in_len;
  GByteArray *out_datagram;
  GPtrArray *out; /* GBytes, datagrams to send */
  GPtrArray *app_in; /* GBytes, received application data */
  gboolean state_changed;

  PacketSink sender, receiver;
};

G_DEFINE_TYPE_WITH_CODE (RtcDtlsConnection, rtc_dtls_connection, G_TYPE_OBJECT,
    GST_DEBUG_CATEGORY_INIT (rtc_dtls_connection_debug, "rtcdtlsconnection", 0,
        "DTLS connection"));

enum {
  PROP_0,
  PROP_STATE,
};

static GParamSpec *state_pspec;

static GMutex registry_lock;
static GHashTable *registry;

/* ---- shared timer thread ---- */

static gpointer
timer_thread_main (gpointer data)
{
  GMainContext *ctx = data;
  GMainLoop *loop = g_main_loop_new (ctx, FALSE);

  g_main_context_push_thread_default (ctx);
  g_main_loop_run (loop);
  return NULL;
}

static GMainContext *
timer_context (void)
{
  static GMainContext *ctx;

  if (g_once_init_enter (&ctx)) {
    GMainContext *c = g_main_context_new ();

    g_thread_unref (g_thread_new ("rtc-dtls-timer", timer_thread_main, c));
    g_once_init_leave (&ctx, c);
  }
  return ctx;
}

/* ---- datagram BIO ---- */

static void
finish_out_datagram_locked (RtcDtlsConnection *conn)
{
  if (conn->out_datagram->len == 0)
    return;
  g_ptr_array_add (conn->out,
      g_bytes_new (conn->out_datagram->data, conn->out_datagram->len));
  g_byte_array_set_size (conn->out_datagram, 0);
}

/* OpenSSL writes one record per call; records of a flight are packed into
 * datagrams of at most DTLS_MTU bytes, which BIO_flush() closes. */
static int
bio_write (BIO *bio, const char *data, int len)
{
  RtcDtlsConnection *conn = BIO_get_data (bio);

  BIO_clear_retry_flags (bio);
  if (conn->out_datagram->len + len > DTLS_MTU)
    finish_out_datagram_locked (conn);
  g_byte_array_append (conn->out_datagram, (const guint8 *)data, len);
  return len;
}

static int
bio_read (BIO *bio, char *out, int size)
{
  RtcDtlsConnection *conn = BIO_get_data (bio);
  int n;

  BIO_clear_retry_flags (bio);
  if (!conn->in_data) {
    BIO_set_retry_read (bio);
    return -1;
  }
  n = MIN ((gsize)size, conn->in_len);
  memcpy (out, conn->in_data, n);
  conn->in_data = NULL;
  conn->in_len = 0;
  return n;
}

static long
bio_ctrl (BIO *bio, int cmd, long num, void *ptr)
{
  RtcDtlsConnection *conn = BIO_get_data (bio);

  switch (cmd) {
    case BIO_CTRL_FLUSH:
      finish_out_datagram_locked (conn);
      return 1;
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
      return DTLS_MTU;
    case BIO_CTRL_PENDING:
      return conn->in_data ? (long)conn->in_len : 0;
    case BIO_CTRL_WPENDING:
      return 0;
    default:
      return 0;
  }
}

static int
bio_create (BIO *bio)
{
  BIO_set_init (bio, 1);
  return 1;
}

static BIO_METHOD *
datagram_bio_method (void)
{
  static BIO_METHOD *method;

  if (g_once_init_enter (&method)) {
    BIO_METHOD *m = BIO_meth_new (BIO_get_new_index () | BIO_TYPE_SOURCE_SINK,
        "rtc-dtls-datagram");

    BIO_meth_set_write (m, bio_write);
    BIO_meth_set_read (m, bio_read);
    BIO_meth_set_ctrl (m, bio_ctrl);
    BIO_meth_set_create (m, bio_create);
    g_once_init_leave (&method, m);
  }
  return method;
}

/* ---- object ---- */

static void
rtc_dtls_connection_init (RtcDtlsConnection *conn)
{
  g_mutex_init (&conn->lock);
  conn->state = RTC_DTLS_CONNECTION_STATE_NEW;
  conn->out_datagram = g_byte_array_new ();
  conn->out = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  conn->app_in = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
}

static void
clear_packet_sink (PacketSink *sink)
{
  g_clear_object (&sink->owner);
  sink->func = NULL;
}

static void
cancel_timer_locked (RtcDtlsConnection *conn)
{
  if (conn->timer) {
    g_source_destroy (conn->timer);
    g_source_unref (conn->timer);
    conn->timer = NULL;
  }
}

static void
clear_session_locked (RtcDtlsConnection *conn)
{
  cancel_timer_locked (conn);
  g_clear_pointer (&conn->ssl, SSL_free);
  g_clear_pointer (&conn->peer_x509, X509_free);
  g_clear_pointer (&conn->peer_pem, g_free);
  g_clear_pointer (&conn->srtp_out, rtc_srtp_session_unref);
  g_clear_pointer (&conn->srtp_in, rtc_srtp_session_unref);
  g_clear_pointer (&conn->error, g_free);
  g_atomic_int_set (&conn->error_reported, 0);
  conn->handshake_done = FALSE;
  conn->in_data = NULL;
  g_byte_array_set_size (conn->out_datagram, 0);
  g_ptr_array_set_size (conn->out, 0);
  g_ptr_array_set_size (conn->app_in, 0);
  conn->generation++;
}

static void
rtc_dtls_connection_finalize (GObject *object)
{
  RtcDtlsConnection *conn = RTC_DTLS_CONNECTION (object);

  clear_session_locked (conn);
  clear_packet_sink (&conn->sender);
  clear_packet_sink (&conn->receiver);
  g_clear_pointer (&conn->cert, rtc_dtls_certificate_unref);
  g_free (conn->expected_fingerprint);
  g_free (conn->id);
  g_byte_array_unref (conn->out_datagram);
  g_ptr_array_unref (conn->out);
  g_ptr_array_unref (conn->app_in);
  g_mutex_clear (&conn->lock);
  G_OBJECT_CLASS (rtc_dtls_connection_parent_class)->finalize (object);
}

static void
rtc_dtls_connection_get_property (GObject *object, guint prop_id, GValue *value,
    GParamSpec *pspec)
{
  RtcDtlsConnection *conn = RTC_DTLS_CONNECTION (object);

  switch (prop_id) {
    case PROP_STATE:
      g_value_set_enum (value, rtc_dtls_connection_get_state (conn));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
rtc_dtls_connection_class_init (RtcDtlsConnectionClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->finalize = rtc_dtls_connection_finalize;
  gobject_class->get_property = rtc_dtls_connection_get_property;

  state_pspec = g_param_spec_enum ("state", "State", "Connection state",
      RTC_TYPE_DTLS_CONNECTION_STATE, RTC_DTLS_CONNECTION_STATE_NEW,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (gobject_class, PROP_STATE, state_pspec);
}

/**
 * rtc_dtls_connection_acquire:
 * @id: the connection-id an encoder and its decoder share
 *
 * Returns: (transfer full): the connection for @id, created on first use.
 * Pair each call with rtc_dtls_connection_release().
 */
RtcDtlsConnection *
rtc_dtls_connection_acquire (const gchar *id)
{
  RtcDtlsConnection *conn;

  rtc_dtls_openssl_init ();
  g_mutex_lock (&registry_lock);
  if (!registry)
    registry = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
        g_object_unref);
  conn = g_hash_table_lookup (registry, id);
  if (!conn) {
    conn = g_object_new (RTC_TYPE_DTLS_CONNECTION, NULL);
    conn->id = g_strdup (id);
    g_hash_table_insert (registry, conn->id, conn);
  }
  conn->users++;
  g_object_ref (conn);
  g_mutex_unlock (&registry_lock);
  return conn;
}

void
rtc_dtls_connection_release (RtcDtlsConnection *conn)
{
  g_mutex_lock (&registry_lock);
  if (--conn->users == 0)
    g_hash_table_remove (registry, conn->id);
  g_mutex_unlock (&registry_lock);
  g_object_unref (conn);
}

const gchar *
rtc_dtls_connection_get_id (RtcDtlsConnection *conn)
{
  return conn->id;
}

/* ---- state and output, delivered outside the lock ---- */

static void
set_state_locked (RtcDtlsConnection *conn, RtcDtlsConnectionState state)
{
  if (conn->state == state)
    return;
  GST_INFO ("connection %s: state %d -> %d", conn->id, conn->state, state);
  conn->state = state;
  conn->state_changed = TRUE;
}

static void fail_locked (RtcDtlsConnection *conn, const gchar *format, ...)
    G_GNUC_PRINTF (2, 3);

static void
fail_locked (RtcDtlsConnection *conn, const gchar *format, ...)
{
  va_list args;

  if (!conn->error) {
    va_start (args, format);
    conn->error = g_strdup_vprintf (format, args);
    va_end (args);
  }
  GST_WARNING ("connection %s failed: %s", conn->id, conn->error);
  /* Keys stop being offered the moment the connection fails. */
  g_clear_pointer (&conn->srtp_out, rtc_srtp_session_unref);
  g_clear_pointer (&conn->srtp_in, rtc_srtp_session_unref);
  set_state_locked (conn, RTC_DTLS_CONNECTION_STATE_FAILED);
}

typedef struct {
  GPtrArray *out, *app_in;
  PacketSink sender, receiver;
  gboolean state_changed;
} Deliveries;

/* Takes what the locked section produced so it can be delivered unlocked:
 * pushing downstream may loop back into this connection. */
static void
take_deliveries_locked (RtcDtlsConnection *conn, Deliveries *d)
{
  finish_out_datagram_locked (conn);
  memset (d, 0, sizeof (*d));
  if (conn->out->len) {
    d->out = conn->out;
    conn->out = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
    d->sender.func = conn->sender.func;
    d->sender.owner = conn->sender.owner ? g_object_ref (conn->sender.owner)
                                         : NULL;
  }
  if (conn->app_in->len) {
    d->app_in = conn->app_in;
    conn->app_in = g_ptr_array_new_with_free_func (
        (GDestroyNotify)g_bytes_unref);
    d->receiver.func = conn->receiver.func;
    d->receiver.owner = conn->receiver.owner
        ? g_object_ref (conn->receiver.owner)
        : NULL;
  }
  d->state_changed = conn->state_changed;
  conn->state_changed = FALSE;
}

static void
deliver_packets (GPtrArray *packets, PacketSink *sink)
{
  guint i;

  if (!packets)
    return;
  for (i = 0; sink->func && i < packets->len; i++) {
    gsize len;
    const guint8 *data = g_bytes_get_data (packets->pdata[i], &len);

    sink->func (sink->owner, data, len);
  }
  g_ptr_array_unref (packets);
  clear_packet_sink (sink);
}

static void
deliver (RtcDtlsConnection *conn, Deliveries *d)
{
  deliver_packets (d->out, &d->sender);
  deliver_packets (d->app_in, &d->receiver);
  if (d->state_changed)
    g_object_notify_by_pspec (G_OBJECT (conn), state_pspec);
}

/* Unlocks @conn and delivers what the locked section produced. */
static void
unlock_and_deliver (RtcDtlsConnection *conn)
{
  Deliveries d;

  take_deliveries_locked (conn, &d);
  g_mutex_unlock (&conn->lock);
  deliver (conn, &d);
}

/* ---- identity ---- */

/* A copy of a string field, taken under the lock that guards it. */
static gchar *
dup_locked (RtcDtlsConnection *conn, gchar *const *field)
{
  gchar *copy;

  g_mutex_lock (&conn->lock);
  copy = g_strdup (*field);
  g_mutex_unlock (&conn->lock);
  return copy;
}

void
rtc_dtls_connection_set_certificate (RtcDtlsConnection *conn,
    RtcDtlsCertificate *cert)
{
  g_mutex_lock (&conn->lock);
  g_clear_pointer (&conn->cert, rtc_dtls_certificate_unref);
  conn->cert = cert ? rtc_dtls_certificate_ref (cert) : NULL;
  g_mutex_unlock (&conn->lock);
}

static RtcDtlsCertificate *
ensure_certificate_locked (RtcDtlsConnection *conn, GError **error)
{
  if (!conn->cert)
    conn->cert = rtc_dtls_certificate_new_ecdsa (error);
  return conn->cert;
}

/**
 * rtc_dtls_connection_get_certificate:
 *
 * Returns: (transfer full): the local certificate, generated (ECDSA P-256)
 * on first use when none was set.
 */
RtcDtlsCertificate *
rtc_dtls_connection_get_certificate (RtcDtlsConnection *conn, GError **error)
{
  RtcDtlsCertificate *cert;

  g_mutex_lock (&conn->lock);
  cert = ensure_certificate_locked (conn, error);
  if (cert)
    rtc_dtls_certificate_ref (cert);
  g_mutex_unlock (&conn->lock);
  return cert;
}

static gboolean
check_peer_fingerprint_locked (RtcDtlsConnection *conn, X509 *peer)
{
  GError *err = NULL;

  if (!conn->expected_fingerprint
      || rtc_dtls_fingerprint_matches (peer, conn->expected_fingerprint, &err))
    return TRUE;
  g_free (conn->error);
  conn->error = g_strdup (err->message);
  g_error_free (err);
  return FALSE;
}

/**
 * rtc_dtls_connection_set_peer_fingerprint:
 * @fingerprint: (nullable): the fingerprint from the peer's SDP
 *
 * Sets the certificate fingerprint the peer must present. Set before the
 * handshake, a mismatch aborts it; set after, a mismatch fails the
 * connection and withdraws its keys.
 */
gboolean
rtc_dtls_connection_set_peer_fingerprint (RtcDtlsConnection *conn,
    const gchar *fingerprint, GError **error)
{
  if (fingerprint && !rtc_dtls_fingerprint_validate (fingerprint, error))
    return FALSE;
  g_mutex_lock (&conn->lock);
  g_free (conn->expected_fingerprint);
  conn->expected_fingerprint = g_strdup (fingerprint);
  if (conn->peer_x509 && conn->state == RTC_DTLS_CONNECTION_STATE_CONNECTED
      && !check_peer_fingerprint_locked (conn, conn->peer_x509))
    fail_locked (conn, "%s", conn->error);
  unlock_and_deliver (conn);
  return TRUE;
}

gchar *
rtc_dtls_connection_dup_peer_fingerprint (RtcDtlsConnection *conn)
{
  return dup_locked (conn, &conn->expected_fingerprint);
}

gchar *
rtc_dtls_connection_dup_peer_pem (RtcDtlsConnection *conn)
{
  return dup_locked (conn, &conn->peer_pem);
}

/* ---- where packets go ---- */

static void
set_packet_sink (RtcDtlsConnection *conn, PacketSink *sink,
    RtcDtlsPacketFunc func, gpointer owner)
{
  GObject *old;

  g_mutex_lock (&conn->lock);
  old = sink->owner;
  sink->func = func;
  sink->owner = owner ? g_object_ref (owner) : NULL;
  g_mutex_unlock (&conn->lock);
  g_clear_object (&old);
}

/**
 * rtc_dtls_connection_set_sender:
 * @owner: (nullable): a GObject kept alive while @func may run
 *
 * Sets where outgoing DTLS datagrams go (the encoder element).
 */
void
rtc_dtls_connection_set_sender (RtcDtlsConnection *conn, RtcDtlsPacketFunc func,
    gpointer owner)
{
  set_packet_sink (conn, &conn->sender, func, owner);
}

/**
 * rtc_dtls_connection_set_receiver:
 *
 * Sets where received application data goes (the decoder element).
 */
void
rtc_dtls_connection_set_receiver (RtcDtlsConnection *conn,
    RtcDtlsPacketFunc func, gpointer owner)
{
  set_packet_sink (conn, &conn->receiver, func, owner);
}

/* ---- handshake ---- */

static int
verify_peer (int preverify_ok, X509_STORE_CTX *store)
{
  SSL *ssl = X509_STORE_CTX_get_ex_data (store,
      SSL_get_ex_data_X509_STORE_CTX_idx ());
  RtcDtlsConnection *conn = SSL_get_app_data (ssl);

  /* WebRTC certificates are self-signed: the only check that matters is
   * the leaf's fingerprint against the one signalled in SDP. */
  if (X509_STORE_CTX_get_error_depth (store) != 0)
    return 1;
  if (check_peer_fingerprint_locked (conn,
          X509_STORE_CTX_get_current_cert (store)))
    return 1;
  /* Tells the peer "bad_certificate" rather than "unknown_ca". */
  X509_STORE_CTX_set_error (store, X509_V_ERR_CERT_REJECTED);
  return 0;
}

static unsigned int
dtls_timer (SSL *ssl, unsigned int timer_us)
{
  if (timer_us == 0)
    return DTLS_INITIAL_TIMEOUT_US;
  return MIN (timer_us * 2, DTLS_MAX_TIMEOUT_US);
}

static gboolean on_timer (gpointer data);

static void
schedule_timer_locked (RtcDtlsConnection *conn)
{
  struct timeval tv;
  guint ms;

  cancel_timer_locked (conn);
  if (!conn->ssl || conn->state == RTC_DTLS_CONNECTION_STATE_FAILED
      || DTLSv1_get_timeout (conn->ssl, &tv) != 1)
    return;
  ms = tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
  conn->timer = g_timeout_source_new (ms);
  g_source_set_callback (conn->timer, on_timer, g_object_ref (conn),
      g_object_unref);
  g_source_attach (conn->timer, timer_context ());
}

static void
export_srtp_keys_locked (RtcDtlsConnection *conn)
{
  const SRTP_PROTECTION_PROFILE *p = SSL_get_selected_srtp_profile (conn->ssl);
  RtcSrtpProfile profile;
  guint klen, slen;
  guint8 km[2 * (32 + 14)];
  const guint8 *client_key, *server_key, *client_salt, *server_salt;
  GError *err = NULL;

  if (!p) {
    /* Legal for a data-only DTLS transport; SRTP then stays unkeyed. */
    GST_INFO ("connection %s: peer negotiated no SRTP profile", conn->id);
    return;
  }
  profile = (RtcSrtpProfile)p->id;
  klen = rtc_srtp_profile_key_length (profile);
  slen = rtc_srtp_profile_salt_length (profile);
  if (klen == 0) {
    fail_locked (conn, "Peer selected unsupported SRTP profile 0x%04lx", p->id);
    return;
  }
  /* RFC 5764 4.2: client key, server key, client salt, server salt. */
  if (SSL_export_keying_material (conn->ssl, km, 2 * (klen + slen),
          SRTP_EXPORTER_LABEL, strlen (SRTP_EXPORTER_LABEL), NULL, 0, 0)
      != 1) {
    gchar *detail = rtc_dtls_openssl_error_string ();

    fail_locked (conn, "Could not export SRTP keys: %s", detail);
    g_free (detail);
    return;
  }
  client_key = km;
  server_key = km + klen;
  client_salt = km + 2 * klen;
  server_salt = km + 2 * klen + slen;

  conn->srtp_out = rtc_srtp_session_new (profile, TRUE,
      conn->is_client ? client_key : server_key,
      conn->is_client ? client_salt : server_salt, &err);
  if (conn->srtp_out)
    conn->srtp_in = rtc_srtp_session_new (profile, FALSE,
        conn->is_client ? server_key : client_key,
        conn->is_client ? server_salt : client_salt, &err);
  OPENSSL_cleanse (km, sizeof (km));
  if (err) {
    fail_locked (conn, "%s", err->message);
    g_error_free (err);
    return;
  }
  GST_INFO ("connection %s: SRTP keyed with %s", conn->id,
      rtc_srtp_profile_name (profile));
}

static void
handshake_complete_locked (RtcDtlsConnection *conn)
{
  X509 *peer = SSL_get1_peer_certificate (conn->ssl);

  conn->handshake_done = TRUE;
  if (!peer) {
    fail_locked (conn, "DTLS peer presented no certificate");
    return;
  }
  conn->peer_x509 = peer;
  conn->peer_pem = rtc_dtls_x509_to_pem (peer);
  /* verify_peer checked already; checked again so that no key is ever
   * exported for a peer that does not match. */
  if (!check_peer_fingerprint_locked (conn, peer)) {
    fail_locked (conn, "%s", conn->error);
    return;
  }
  export_srtp_keys_locked (conn);
  if (conn->state != RTC_DTLS_CONNECTION_STATE_FAILED)
    set_state_locked (conn, RTC_DTLS_CONNECTION_STATE_CONNECTED);
}

static void
fail_with_openssl_error_locked (RtcDtlsConnection *conn, const gchar *what)
{
  gchar *detail = rtc_dtls_openssl_error_string ();

  /* A failed fingerprint check already set the clearer message. */
  fail_locked (conn, "%s: %s", what, detail);
  g_free (detail);
}

static void
drive_handshake_locked (RtcDtlsConnection *conn)
{
  int ret = SSL_do_handshake (conn->ssl);

  if (ret == 1) {
    handshake_complete_locked (conn);
    return;
  }
  switch (SSL_get_error (conn->ssl, ret)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      break;
    default:
      fail_with_openssl_error_locked (conn, "DTLS handshake failed");
  }
}

static void
read_application_data_locked (RtcDtlsConnection *conn)
{
  guint8 buf[16384 + 256];

  while (conn->state == RTC_DTLS_CONNECTION_STATE_CONNECTED) {
    int n = SSL_read (conn->ssl, buf, sizeof (buf));

    if (n > 0) {
      g_ptr_array_add (conn->app_in, g_bytes_new (buf, n));
      continue;
    }
    switch (SSL_get_error (conn->ssl, n)) {
      case SSL_ERROR_WANT_READ:
      case SSL_ERROR_WANT_WRITE:
        return;
      case SSL_ERROR_ZERO_RETURN:
        /* RFC 5246 7.2.1: answer close_notify with our own. */
        GST_INFO ("connection %s: peer sent close_notify", conn->id);
        SSL_shutdown (conn->ssl);
        set_state_locked (conn, RTC_DTLS_CONNECTION_STATE_CLOSED);
        return;
      default:
        fail_with_openssl_error_locked (conn, "DTLS connection failed");
        return;
    }
  }
}

static gboolean
on_timer (gpointer data)
{
  RtcDtlsConnection *conn = g_object_ref (data);

  g_mutex_lock (&conn->lock);
  if (conn->timer == g_main_current_source ()) {
    g_source_unref (conn->timer);
    conn->timer = NULL;
    if (conn->ssl && conn->state == RTC_DTLS_CONNECTION_STATE_CONNECTING) {
      if (!conn->handshake_done && DTLSv1_handle_timeout (conn->ssl) < 0)
        fail_with_openssl_error_locked (conn, "DTLS handshake timed out");
    } else if (conn->ssl) {
      /* Final-flight retransmission after the handshake finished. */
      DTLSv1_handle_timeout (conn->ssl);
    }
    schedule_timer_locked (conn);
  }
  unlock_and_deliver (conn);
  g_object_unref (conn);
  return G_SOURCE_REMOVE;
}

typedef struct {
  RtcDtlsConnection *conn;
  guint generation;
} StartData;

static gboolean
on_start (gpointer data)
{
  StartData *sd = data;
  RtcDtlsConnection *conn = sd->conn;

  g_mutex_lock (&conn->lock);
  if (sd->generation == conn->generation && conn->ssl && !conn->handshake_done
      && conn->state == RTC_DTLS_CONNECTION_STATE_CONNECTING) {
    if (conn->is_client)
      drive_handshake_locked (conn);
    schedule_timer_locked (conn);
  }
  unlock_and_deliver (conn);
  return G_SOURCE_REMOVE;
}

static void
start_data_free (gpointer data)
{
  StartData *sd = data;

  g_object_unref (sd->conn);
  g_free (sd);
}

static SSL *
create_ssl_locked (RtcDtlsConnection *conn, const gchar *openssl_profiles,
    GError **error)
{
  SSL_CTX *ctx = SSL_CTX_new (DTLS_method ());
  SSL *ssl = NULL;
  BIO *bio;

  if (!ctx)
    goto failed;
  SSL_CTX_set_min_proto_version (ctx, DTLS1_2_VERSION);
  SSL_CTX_set_options (ctx,
      SSL_OP_NO_QUERY_MTU | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET);
  SSL_CTX_set_verify (ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
      verify_peer);
  /* SSL_CTX_set_tlsext_use_srtp() returns 0 on success. */
  if (!SSL_CTX_set_cipher_list (ctx, DTLS_CIPHERS)
      || SSL_CTX_set_tlsext_use_srtp (ctx, openssl_profiles) != 0
      || SSL_CTX_use_certificate (ctx,
             rtc_dtls_certificate_get_x509 (conn->cert))
          != 1
      || SSL_CTX_use_PrivateKey (ctx, rtc_dtls_certificate_get_key (conn->cert))
          != 1)
    goto failed;

  ssl = SSL_new (ctx);
  if (!ssl)
    goto failed;
  SSL_set_app_data (ssl, conn);
  bio = BIO_new (datagram_bio_method ());
  BIO_set_data (bio, conn);
  SSL_set_bio (ssl, bio, bio);
  DTLS_set_link_mtu (ssl, DTLS_MTU);
  DTLS_set_timer_cb (ssl, dtls_timer);
  if (conn->is_client)
    SSL_set_connect_state (ssl);
  else
    SSL_set_accept_state (ssl);
  SSL_CTX_free (ctx);
  return ssl;

failed : {
  gchar *detail = rtc_dtls_openssl_error_string ();

  g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_HANDSHAKE,
      "Could not set up DTLS: %s", detail);
  g_free (detail);
  SSL_CTX_free (ctx);
  return NULL;
}
}

/**
 * rtc_dtls_connection_start:
 * @is_client: %TRUE to send the ClientHello, %FALSE to wait for one
 * @srtp_profiles: colon-separated DTLS-SRTP profiles, most preferred first
 *
 * (Re)starts the handshake. The client's first flight is sent from the
 * shared timer thread, not from the caller.
 */
gboolean
rtc_dtls_connection_start (RtcDtlsConnection *conn, gboolean is_client,
    const gchar *srtp_profiles, GError **error)
{
  gchar *openssl_profiles;
  StartData *sd;
  GSource *source;

  if (!rtc_srtp_init (error))
    return FALSE;
  openssl_profiles = rtc_srtp_profiles_to_openssl (srtp_profiles
          ? srtp_profiles
          : RTC_SRTP_DEFAULT_PROFILES,
      error);
  if (!openssl_profiles)
    return FALSE;

  g_mutex_lock (&conn->lock);
  clear_session_locked (conn);
  conn->is_client = is_client;
  if (ensure_certificate_locked (conn, error))
    conn->ssl = create_ssl_locked (conn, openssl_profiles, error);
  g_free (openssl_profiles);
  if (!conn->ssl) {
    g_mutex_unlock (&conn->lock);
    return FALSE;
  }
  set_state_locked (conn, RTC_DTLS_CONNECTION_STATE_CONNECTING);

  sd = g_new0 (StartData, 1);
  sd->conn = g_object_ref (conn);
  sd->generation = conn->generation;
  source = g_idle_source_new ();
  g_source_set_callback (source, on_start, sd, start_data_free);
  g_source_attach (source, timer_context ());
  g_source_unref (source);
  unlock_and_deliver (conn);
  return TRUE;
}

/**
 * rtc_dtls_connection_close:
 *
 * Sends close_notify if connected; the connection is closed afterwards.
 */
void
rtc_dtls_connection_close (RtcDtlsConnection *conn)
{
  g_mutex_lock (&conn->lock);
  if (conn->ssl && conn->state == RTC_DTLS_CONNECTION_STATE_CONNECTED) {
    SSL_shutdown (conn->ssl);
    ERR_clear_error ();
    set_state_locked (conn, RTC_DTLS_CONNECTION_STATE_CLOSED);
  }
  unlock_and_deliver (conn);
}

/**
 * rtc_dtls_connection_stop:
 *
 * Drops the DTLS session and its keys; a later start begins afresh.
 */
void
rtc_dtls_connection_stop (RtcDtlsConnection *conn)
{
  g_mutex_lock (&conn->lock);
  clear_session_locked (conn);
  if (conn->state != RTC_DTLS_CONNECTION_STATE_NEW
      && conn->state != RTC_DTLS_CONNECTION_STATE_FAILED)
    set_state_locked (conn, RTC_DTLS_CONNECTION_STATE_CLOSED);
  unlock_and_deliver (conn);
}

/**
 * rtc_dtls_connection_process:
 * @data: one received datagram classified as DTLS
 *
 * Returns: %FALSE if the connection is not started or has ended, so the
 * record was dropped unread.
 */
gboolean
rtc_dtls_connection_process (RtcDtlsConnection *conn, const guint8 *data,
    gsize len)
{
  gboolean accepted = FALSE;

  g_mutex_lock (&conn->lock);
  if (conn->ssl
      && (conn->state == RTC_DTLS_CONNECTION_STATE_CONNECTING
          || conn->state == RTC_DTLS_CONNECTION_STATE_CONNECTED)) {
    accepted = TRUE;
    conn->in_data = data;
    conn->in_len = len;
    if (!conn->handshake_done)
      drive_handshake_locked (conn);
    if (conn->handshake_done)
      read_application_data_locked (conn);
    /* A record OpenSSL did not want is dropped, as DTLS does. */
    conn->in_data = NULL;
    schedule_timer_locked (conn);
  }
  ERR_clear_error ();
  unlock_and_deliver (conn);
  return accepted;
}

/**
 * rtc_dtls_connection_send_data:
 *
 * Encrypts one application-data message into a DTLS record and sends it.
 */
gboolean
rtc_dtls_connection_send_data (RtcDtlsConnection *conn, const guint8 *data,
    gsize len, GError **error)
{
  gboolean ok = FALSE;

  g_mutex_lock (&conn->lock);
  if (!conn->ssl || conn->state != RTC_DTLS_CONNECTION_STATE_CONNECTED) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_STATE,
        "Cannot send application data: DTLS connection is not connected");
  } else if (len == 0 || len > SSL3_RT_MAX_PLAIN_LENGTH) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT,
        "Application data of %" G_GSIZE_FORMAT " bytes: a DTLS record "
        "carries 1 to %d",
        len, SSL3_RT_MAX_PLAIN_LENGTH);
  } else if (SSL_write (conn->ssl, data, len) != (int)len) {
    gchar *detail = rtc_dtls_openssl_error_string ();

    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_STATE,
        "DTLS write failed: %s", detail);
    g_free (detail);
  } else {
    ok = TRUE;
  }
  unlock_and_deliver (conn);
  return ok;
}

RtcDtlsConnectionState
rtc_dtls_connection_get_state (RtcDtlsConnection *conn)
{
  RtcDtlsConnectionState state;

  g_mutex_lock (&conn->lock);
  state = conn->state;
  g_mutex_unlock (&conn->lock);
  return state;
}

gchar *
rtc_dtls_connection_dup_error (RtcDtlsConnection *conn)
{
  return dup_locked (conn, &conn->error);
}

/**
 * rtc_dtls_connection_claim_error_report:
 *
 * Returns: %TRUE for exactly one caller per failure, so that an encoder
 * and its decoder post one error message between them.
 */
gboolean
rtc_dtls_connection_claim_error_report (RtcDtlsConnection *conn)
{
  return g_atomic_int_compare_and_exchange (&conn->error_reported, 0, 1);
}

/**
 * rtc_dtls_connection_get_srtp:
 * @outbound: %TRUE for the protecting session, %FALSE for the unprotecting
 *
 * Returns: (transfer full) (nullable): the SRTP session keyed by the
 * handshake, or %NULL while there is none.
 */
RtcSrtpSession *
rtc_dtls_connection_get_srtp (RtcDtlsConnection *conn, gboolean outbound)
{
  RtcSrtpSession *s;

  g_mutex_lock (&conn->lock);
  s = outbound ? conn->srtp_out : conn->srtp_in;
  if (s)
    rtc_srtp_session_ref (s);
  g_mutex_unlock (&conn->lock);
  return s;
}

/**
 * rtc_dtls_connection_dup_tls_info:
 * @cipher: (out) (transfer full) (optional): the IANA name of the
 *   negotiated cipher suite (`TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256`)
 * @version: (out) (transfer full) (optional): the protocol version as 4
 *   upper-case hex digits of its wire value (`FEFD` for DTLS 1.2), as the
 *   W3C `tlsVersion` stat gives it
 *
 * Returns: %TRUE once the handshake completed, else the outputs are %NULL
 */
gboolean
rtc_dtls_connection_dup_tls_info (RtcDtlsConnection *conn, gchar **cipher,
    gchar **version)
{
  const SSL_CIPHER *c = NULL;
  gboolean ok;

  g_mutex_lock (&conn->lock);
  ok = conn->ssl && conn->state == RTC_DTLS_CONNECTION_STATE_CONNECTED
      && (c = SSL_get_current_cipher (conn->ssl));
  if (cipher)
    *cipher = ok ? g_strdup (SSL_CIPHER_standard_name (c)) : NULL;
  if (version)
    *version = ok
        ? g_strdup_printf ("%04X", (guint)SSL_version (conn->ssl) & 0xffff)
        : NULL;
  g_mutex_unlock (&conn->lock);
  return ok;
}
