/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * TURN over TLS (RFC 5766 2.1, RFC 8656 3.1) for libnice. libnice 0.1.21
 * has no TLS of its own: in RFC 5245 mode its TURN_TLS relay type opens a
 * plain TCP connection (the "pseudo-SSL" wrapper is a fixed fake handshake
 * for Google Talk and MS OC only). So the transport gives libnice
 * TURN-over-TCP to this bridge, which relays the bytes of each accepted
 * connection over its own TLS connection to the real server, verifying the
 * server's certificate and name.
 *
 * The listener is bound to the loopback address of the server's family
 * (127.0.0.1 or ::1, ephemeral port), so that nothing off the host can use
 * it and libnice pairs it with its host candidates of that family. libnice
 * binds its TCP socket to a host candidate's address (possibly not
 * loopback) before connecting: Linux routes any local source to a loopback
 * destination over `lo`, so this works for every local address (tested
 * with a non-loopback one).
 *
 * Everything runs on the owner's GMainContext with non-blocking sockets and
 * OpenSSL on memory BIOs (so that socket I/O goes through GSocket, which
 * never raises SIGPIPE). Each direction buffers at most BUF_SIZE plaintext
 * plus BUF_SIZE ciphertext: a side that stops reading stops the other.
 */
#include "rtciceturntls.h"
#include "rtcdtlserror.h"

#include <gst/gst.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (rtc_ice_turn_tls_debug);
#define GST_CAT_DEFAULT rtc_ice_turn_tls_debug

#define BUF_SIZE (64 * 1024)
/* libnice opens one connection per host candidate (UDP and TCP-active, per
 * local address); beyond this, something else is connecting. */
#define MAX_CONNECTIONS 16

typedef enum {
  CONN_CONNECTING,
  CONN_HANDSHAKE,
  CONN_RELAY,
  CONN_FAILED,
} ConnState;

typedef struct {
  RtcIceTurnTls *bridge;
  ConnState state;
  GSocket *client; /* libnice's connection to us */
  GSocket *server; /* ours to the TURN server */
  SSL *ssl;
  BIO *net_in, *net_out; /* ciphertext from / to the server */
  GSource *source;
  gpointer client_tag, server_tag;
  gboolean client_eof, server_eof;
  guint8 up[BUF_SIZE]; /* plaintext from libnice, for SSL_write */
  gsize up_len;
  guint8 down[BUF_SIZE]; /* plaintext from SSL_read, for libnice */
  gsize down_len;
  guint8 out[16 * 1024]; /* ciphertext taken from net_out, being sent */
  gsize out_off, out_len;
} Conn;

struct _RtcIceTurnTls {
  GMainContext *context;
  GInetSocketAddress *server;
  gchar *server_name; /* for logs and errors: host:port */
  SSL_CTX *ctx;
  gchar *host;
  gboolean host_is_ip;
  GSocket *listener;
  GSource *accept_source;
  GList *conns;
  gchar *error;
};

static void
conn_free (Conn *c)
{
  RtcIceTurnTls *b = c->bridge;

  b->conns = g_list_remove (b->conns, c);
  g_source_destroy (c->source);
  g_source_unref (c->source);
  g_socket_close (c->client, NULL);
  g_socket_close (c->server, NULL);
  g_object_unref (c->client);
  g_object_unref (c->server);
  /* Frees both BIOs, which SSL_set_bio() handed over. */
  SSL_free (c->ssl);
  g_free (c);
}

static gboolean conn_drain (Conn *c);

/* A failure before the relay works is the server's or the network's: kept
 * (the first one) for the transport's candidate error. libnice's side then
 * stays open and its requests are refused (conn_drain()): were it closed,
 * libnice 0.1.21 would drop the pending allocation without ever ending the
 * gathering (discovery_prune_socket()). Returns whether @c still exists. */
static gboolean conn_fail (Conn *c, const gchar *format, ...)
    G_GNUC_PRINTF (2, 3);

static gboolean
conn_fail (Conn *c, const gchar *format, ...)
{
  RtcIceTurnTls *b = c->bridge;
  va_list args;
  gchar *msg;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  if (c->state == CONN_RELAY) {
    GST_INFO ("TURN over TLS to %s: %s", b->server_name, msg);
    g_free (msg);
    conn_free (c);
    return FALSE;
  }
  GST_WARNING ("TURN over TLS to %s: %s", b->server_name, msg);
  if (!b->error)
    b->error = g_steal_pointer (&msg);
  g_free (msg);
  c->state = CONN_FAILED;
  g_source_remove_unix_fd (c->source, c->server_tag);
  c->server_tag = NULL;
  g_socket_close (c->server, NULL);
  c->down_len = 0;
  /* What libnice sent already is answered now. */
  return conn_drain (c);
}

static gboolean
handshake_failed (Conn *c)
{
  long verify = SSL_get_verify_result (c->ssl);
  gboolean alive;
  gchar *detail;

  if (verify != X509_V_OK) {
    ERR_clear_error ();
    return conn_fail (c, "certificate not trusted: %s",
        X509_verify_cert_error_string (verify));
  }
  detail = rtc_dtls_openssl_error_string ();
  alive = conn_fail (c, "TLS handshake failed: %s", detail);
  g_free (detail);
  return alive;
}

/* CRC-32 (ISO 3309, as STUN's FINGERPRINT uses), bitwise: it runs for a
 * handful of small messages per failed server. */
static guint32
crc32 (const guint8 *data, gsize len)
{
  guint32 crc = 0xffffffff;
  gsize i;
  gint bit;

  for (i = 0; i < len; i++) {
    crc ^= data[i];
    for (bit = 0; bit < 8; bit++)
      crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc;
}

/* After a failure, libnice's requests get error responses, so that it
 * concludes the allocation at once instead of on its transaction timeout:
 * 400, the only final error libnice's STUN agent accepts without
 * MESSAGE-INTEGRITY (which the bridge, without the credentials' key,
 * cannot add), with the FINGERPRINT its ICE mode requires. Anything else
 * libnice sends is dropped. */
static void
reply_refused (Conn *c)
{
  /* A multiple of 4 bytes: no padding. */
  static const gchar reason[] = "TURN over TLS failed";
  const gsize error_len = 4 + 4 + sizeof (reason) - 1;
  gsize off = 0;

  G_STATIC_ASSERT ((sizeof (reason) - 1) % 4 == 0);

  while (c->up_len - off >= 20) {
    const guint8 *m = c->up + off;
    gsize len = 20 + ((m[2] << 8) | m[3]);
    guint16 type = (m[0] << 8) | m[1];
    guint8 reply[20 + 4 + 4 + sizeof (reason) - 1 + 8];
    guint32 fingerprint;

    if (len > BUF_SIZE || (m[0] & 0xc0) != 0
        || memcmp (m + 4, "\x21\x12\xa4\x42", 4) != 0) {
      /* Not STUN (or ChannelData, which a failed allocation cannot
       * send): nothing to answer. */
      off = c->up_len;
      break;
    }
    if (c->up_len - off < len)
      break;
    off += len;
    if ((type & 0x0110) != 0)
      continue; /* not a request */
    /* Same method, error class, same magic cookie and transaction. */
    type |= 0x0110;
    reply[0] = type >> 8;
    reply[1] = type & 0xff;
    reply[2] = 0;
    reply[3] = error_len + 8;
    memcpy (reply + 4, m + 4, 16);
    /* ERROR-CODE (RFC 8489 14.8): 400. */
    reply[20] = 0x00;
    reply[21] = 0x09;
    reply[22] = 0;
    reply[23] = 4 + sizeof (reason) - 1;
    reply[24] = reply[25] = 0;
    reply[26] = 4;
    reply[27] = 0;
    memcpy (reply + 28, reason, sizeof (reason) - 1);
    /* FINGERPRINT (RFC 8489 14.7), over all that precedes it. */
    reply[20 + error_len] = 0x80;
    reply[20 + error_len + 1] = 0x28;
    reply[20 + error_len + 2] = 0;
    reply[20 + error_len + 3] = 4;
    fingerprint = crc32 (reply, 20 + error_len) ^ 0x5354554e;
    reply[20 + error_len + 4] = fingerprint >> 24;
    reply[20 + error_len + 5] = (fingerprint >> 16) & 0xff;
    reply[20 + error_len + 6] = (fingerprint >> 8) & 0xff;
    reply[20 + error_len + 7] = fingerprint & 0xff;
    /* Best effort: on a full socket, libnice times out instead. */
    g_socket_send (c->client, (const gchar *)reply, sizeof (reply), NULL, NULL);
  }
  memmove (c->up, c->up + off, c->up_len - off);
  c->up_len -= off;
}

/* After a failure: answers libnice until it closes. */
static gboolean
conn_drain (Conn *c)
{
  GError *error = NULL;
  gssize n;

  for (;;) {
    reply_refused (c);
    if (c->up_len == BUF_SIZE)
      c->up_len = 0;
    n = g_socket_receive (c->client, (gchar *)c->up + c->up_len,
        BUF_SIZE - c->up_len, NULL, &error);
    if (n <= 0)
      break;
    c->up_len += n;
  }
  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
    g_error_free (error);
    return TRUE;
  }
  g_clear_error (&error);
  conn_free (c);
  return FALSE;
}

/* A call on the server socket failed with *@error, which is cleared:
 * %TRUE if it only would have blocked; otherwise the connection is failed
 * and *@lives says whether @c still exists. */
static gboolean
conn_server_would_block (Conn *c, GError **error, gboolean *lives)
{
  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
    g_clear_error (error);
    return TRUE;
  }
  *lives = conn_fail (c, "connection lost: %s", (*error)->message);
  g_clear_error (error);
  return FALSE;
}

/* Moves bytes wherever they can go without blocking; FALSE if @c was
 * freed. Each step reports whether it moved anything, and the loop ends
 * when none did, so every wait below is for the socket. */
static gboolean
conn_pump (Conn *c)
{
  gboolean progress = TRUE, lives;
  GError *error = NULL;

  if (c->state == CONN_FAILED)
    return conn_drain (c);

  while (progress) {
    gssize n;
    gint r;

    progress = FALSE;

    if (c->state == CONN_CONNECTING) {
      if (!g_socket_condition_check (c->server, G_IO_OUT | G_IO_ERR))
        return TRUE;
      if (!g_socket_check_connect_result (c->server, &error)) {
        gboolean alive = conn_fail (c, "cannot connect: %s", error->message);

        g_error_free (error);
        return alive;
      }
      c->state = CONN_HANDSHAKE;
      progress = TRUE;
    }

    /* From libnice, kept until TLS can take it. */
    if (!c->client_eof && c->up_len < BUF_SIZE) {
      n = g_socket_receive (c->client, (gchar *)c->up + c->up_len,
          BUF_SIZE - c->up_len, NULL, &error);
      if (n > 0) {
        c->up_len += n;
        progress = TRUE;
      } else if (n == 0) {
        c->client_eof = TRUE;
        progress = TRUE;
      } else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
        g_clear_error (&error);
      } else {
        GST_DEBUG ("local side: %s", error->message);
        g_error_free (error);
        conn_free (c);
        return FALSE;
      }
    }

    /* From the server into OpenSSL, bounded. */
    if (c->state != CONN_CONNECTING && !c->server_eof
        && BIO_ctrl_pending (c->net_in) < BUF_SIZE) {
      guint8 buf[16 * 1024];

      n = g_socket_receive (c->server, (gchar *)buf, sizeof (buf), NULL,
          &error);
      if (n > 0) {
        BIO_write (c->net_in, buf, (int)n);
        progress = TRUE;
      } else if (n == 0) {
        /* OpenSSL then sees the end of the stream. */
        BIO_set_mem_eof_return (c->net_in, 0);
        c->server_eof = TRUE;
        progress = TRUE;
      } else if (!conn_server_would_block (c, &error, &lives)) {
        return lives;
      }
    }

    if (c->state == CONN_HANDSHAKE) {
      r = SSL_do_handshake (c->ssl);
      if (r == 1) {
        GST_INFO ("TLS to %s established (%s, %s)", c->bridge->server_name,
            SSL_get_version (c->ssl), SSL_get_cipher_name (c->ssl));
        c->state = CONN_RELAY;
        progress = TRUE;
      } else if (SSL_get_error (c->ssl, r) != SSL_ERROR_WANT_READ) {
        return handshake_failed (c);
      } else if (c->server_eof) {
        return conn_fail (c, "connection closed during the TLS handshake");
      }
    }

    if (c->state == CONN_RELAY) {
      if (c->up_len > 0 && BIO_ctrl_pending (c->net_out) < BUF_SIZE) {
        r = SSL_write (c->ssl, c->up, (int)c->up_len);
        if (r <= 0) {
          gchar *detail = rtc_dtls_openssl_error_string ();

          GST_INFO ("TLS write to %s failed: %s", c->bridge->server_name,
              detail);
          g_free (detail);
          conn_free (c);
          return FALSE;
        }
        memmove (c->up, c->up + r, c->up_len - r);
        c->up_len -= r;
        progress = TRUE;
      }
      if (c->down_len < BUF_SIZE) {
        r = SSL_read (c->ssl, c->down + c->down_len,
            (int)(BUF_SIZE - c->down_len));
        if (r > 0) {
          c->down_len += r;
          progress = TRUE;
        } else if (SSL_get_error (c->ssl, r) != SSL_ERROR_WANT_READ
            && c->down_len == 0) {
          /* The server closed (close_notify or EOF) or broke the stream:
           * once libnice has what came before, it sees the end too. */
          GST_DEBUG ("TLS to %s ended", c->bridge->server_name);
          ERR_clear_error ();
          conn_free (c);
          return FALSE;
        }
      }
      if (c->down_len > 0) {
        n = g_socket_send (c->client, (const gchar *)c->down, c->down_len, NULL,
            &error);
        if (n > 0) {
          memmove (c->down, c->down + n, c->down_len - n);
          c->down_len -= n;
          progress = TRUE;
        } else if (g_error_matches (error, G_IO_ERROR,
                       G_IO_ERROR_WOULD_BLOCK)) {
          g_clear_error (&error);
        } else {
          GST_DEBUG ("local side: %s", error ? error->message : "closed");
          g_clear_error (&error);
          conn_free (c);
          return FALSE;
        }
      }
      if (c->client_eof && c->up_len == 0 && c->out_len == 0) {
        /* libnice is done with the server: say so, best effort. */
        SSL_shutdown (c->ssl);
        c->out_len = BIO_read (c->net_out, c->out, sizeof (c->out));
        if ((gint)c->out_len > 0)
          g_socket_send (c->server, (const gchar *)c->out, c->out_len, NULL,
              NULL);
        conn_free (c);
        return FALSE;
      }
    }

    /* OpenSSL's output to the server. */
    if (c->out_off == c->out_len && BIO_ctrl_pending (c->net_out) > 0) {
      r = BIO_read (c->net_out, c->out, sizeof (c->out));
      c->out_off = 0;
      c->out_len = r > 0 ? r : 0;
    }
    if (c->out_off < c->out_len) {
      n = g_socket_send (c->server, (const gchar *)c->out + c->out_off,
          c->out_len - c->out_off, NULL, &error);
      if (n > 0) {
        c->out_off += n;
        if (c->out_off == c->out_len)
          c->out_off = c->out_len = 0;
        progress = TRUE;
      } else if (!conn_server_would_block (c, &error, &lives)) {
        return lives;
      }
    }
  }

  if (c->state == CONN_HANDSHAKE && c->client_eof) {
    /* libnice gave up on this server before TLS was up. */
    conn_free (c);
    return FALSE;
  }
  return TRUE;
}

/* What each socket must be waited for, from the state pump left. */
static void
conn_update_conditions (Conn *c)
{
  GIOCondition client = 0, server = 0;

  if (c->state == CONN_FAILED) {
    g_source_modify_unix_fd (c->source, c->client_tag, G_IO_IN);
    return;
  }
  if (!c->client_eof && c->up_len < BUF_SIZE)
    client |= G_IO_IN;
  if (c->down_len > 0)
    client |= G_IO_OUT;
  if (c->state == CONN_CONNECTING) {
    server = G_IO_OUT;
  } else {
    if (!c->server_eof && BIO_ctrl_pending (c->net_in) < BUF_SIZE)
      server |= G_IO_IN;
    if (c->out_off < c->out_len)
      server |= G_IO_OUT;
  }
  g_source_modify_unix_fd (c->source, c->client_tag, client);
  g_source_modify_unix_fd (c->source, c->server_tag, server);
}

static gboolean
conn_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  Conn *c = user_data;

  if (conn_pump (c))
    conn_update_conditions (c);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs conn_source_funcs = {
  NULL,
  NULL,
  conn_dispatch,
  NULL,
  NULL,
  NULL,
};

/* Aborts on allocation failure, as GLib does. */
static SSL *
new_ssl (RtcIceTurnTls *b, BIO **net_in, BIO **net_out)
{
  SSL *ssl = SSL_new (b->ctx);

  g_assert (ssl != NULL);
  SSL_set_connect_state (ssl);
  SSL_set_mode (ssl, SSL_MODE_ENABLE_PARTIAL_WRITE);
  if (b->host_is_ip) {
    /* No SNI for addresses (RFC 6066 3); the certificate must name the
     * address in an IP subjectAltName. */
    X509_VERIFY_PARAM_set1_ip_asc (SSL_get0_param (ssl), b->host);
  } else {
    SSL_set_tlsext_host_name (ssl, b->host);
    SSL_set1_host (ssl, b->host);
    SSL_set_hostflags (ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  }
  SSL_set_verify (ssl, SSL_VERIFY_PEER, NULL);
  *net_in = BIO_new (BIO_s_mem ());
  *net_out = BIO_new (BIO_s_mem ());
  SSL_set_bio (ssl, *net_in, *net_out);
  return ssl;
}

static void
accept_one (RtcIceTurnTls *b, GSocket *client)
{
  GError *error = NULL;
  GSocket *server;
  Conn *c;

  if (g_list_length (b->conns) >= MAX_CONNECTIONS) {
    GST_WARNING ("refusing connection for %s: %d open", b->server_name,
        MAX_CONNECTIONS);
    g_object_unref (client);
    return;
  }
  server = g_socket_new (g_socket_address_get_family (
                             G_SOCKET_ADDRESS (b->server)),
      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  if (!server) {
    GST_WARNING ("no socket for %s: %s", b->server_name, error->message);
    g_error_free (error);
    g_object_unref (client);
    return;
  }
  g_socket_set_blocking (client, FALSE);
  g_socket_set_blocking (server, FALSE);

  c = g_new0 (Conn, 1);
  c->bridge = b;
  c->client = client;
  c->server = server;
  c->ssl = new_ssl (b, &c->net_in, &c->net_out);
  c->source = g_source_new (&conn_source_funcs, sizeof (GSource));
  g_source_set_name (c->source, "rtc-turn-tls");
  g_source_set_callback (c->source, NULL, c, NULL);
  c->client_tag = g_source_add_unix_fd (c->source, g_socket_get_fd (client),
      G_IO_IN);
  c->server_tag = g_source_add_unix_fd (c->source, g_socket_get_fd (server),
      G_IO_OUT);
  g_source_attach (c->source, b->context);
  b->conns = g_list_prepend (b->conns, c);

  if (!g_socket_connect (server, G_SOCKET_ADDRESS (b->server), NULL, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING)) {
    if (conn_fail (c, "cannot connect: %s", error->message))
      conn_update_conditions (c);
    g_error_free (error);
    return;
  }
  g_clear_error (&error);
  GST_DEBUG ("relaying a connection to %s over TLS", b->server_name);
  if (conn_pump (c))
    conn_update_conditions (c);
}

static gboolean
on_accept (GSocket *listener, GIOCondition condition, gpointer data)
{
  RtcIceTurnTls *b = data;
  GSocket *client;
  GError *error = NULL;

  while ((client = g_socket_accept (listener, NULL, &error)))
    accept_one (b, client);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    GST_WARNING ("accept for %s: %s", b->server_name, error->message);
  g_error_free (error);
  return G_SOURCE_CONTINUE;
}

/**
 * rtc_ice_turn_tls_new:
 * @context: the context the bridge runs on; call every other function of
 *   the bridge there
 * @server: the TURN server's resolved address and port
 * @host: the host of the server's URI: the name (sent as SNI) or address
 *   the certificate must carry
 * @ca_file: (nullable): a PEM file of trust anchors added to the system's
 * @error: return location for a #GError
 *
 * Starts listening on an ephemeral loopback port. Give libnice TURN over
 * TCP to rtc_ice_turn_tls_get_address() and rtc_ice_turn_tls_get_port().
 *
 * Returns: (transfer full) (nullable): the bridge, or %NULL if @ca_file
 *   cannot be loaded or no socket can be made
 */
RtcIceTurnTls *
rtc_ice_turn_tls_new (GMainContext *context, GInetSocketAddress *server,
    const gchar *host, const gchar *ca_file, GError **error)
{
  RtcIceTurnTls *b;
  GInetAddress *lo, *addr;
  GSocketAddress *bind_addr;
  GSocketFamily family;
  gchar *s;

  static gsize debug_init;
  if (g_once_init_enter (&debug_init)) {
    GST_DEBUG_CATEGORY_INIT (rtc_ice_turn_tls_debug, "rtciceturntls", 0,
        "TURN over TLS bridge");
    g_once_init_leave (&debug_init, 1);
  }
  rtc_dtls_openssl_init ();

  b = g_new0 (RtcIceTurnTls, 1);
  b->context = g_main_context_ref (context);
  b->server = g_object_ref (server);
  addr = g_inet_socket_address_get_address (server);
  s = g_inet_address_to_string (addr);
  b->server_name = g_strdup_printf (g_inet_address_get_family (addr)
              == G_SOCKET_FAMILY_IPV6
          ? "[%s]:%u"
          : "%s:%u",
      s, g_inet_socket_address_get_port (server));
  g_free (s);
  b->host = g_strdup (host);
  addr = g_inet_address_new_from_string (host);
  b->host_is_ip = addr != NULL;
  g_clear_object (&addr);

  b->ctx = SSL_CTX_new (TLS_client_method ());
  if (!b->ctx) {
    s = rtc_dtls_openssl_error_string ();
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no TLS context: %s", s);
    g_free (s);
    rtc_ice_turn_tls_free (b);
    return NULL;
  }
  SSL_CTX_set_min_proto_version (b->ctx, TLS1_2_VERSION);
  /* The system's trust anchors from OpenSSL's hashed directory, read
   * lazily, issuer by issuer, during verification: the bundle file would be
   * parsed whole, here on the ICE thread, for every bridge. */
  SSL_CTX_set_default_verify_dir (b->ctx);
  if (ca_file && !SSL_CTX_load_verify_file (b->ctx, ca_file)) {
    s = rtc_dtls_openssl_error_string ();
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "cannot load trust anchors from %s: %s", ca_file, s);
    g_free (s);
    rtc_ice_turn_tls_free (b);
    return NULL;
  }

  family = g_socket_address_get_family (G_SOCKET_ADDRESS (server));
  b->listener = g_socket_new (family, G_SOCKET_TYPE_STREAM,
      G_SOCKET_PROTOCOL_TCP, error);
  if (!b->listener) {
    rtc_ice_turn_tls_free (b);
    return NULL;
  }
  g_socket_set_blocking (b->listener, FALSE);
  lo = g_inet_address_new_loopback (family);
  bind_addr = g_inet_socket_address_new (lo, 0);
  g_object_unref (lo);
  if (!g_socket_bind (b->listener, bind_addr, FALSE, error)
      || !g_socket_listen (b->listener, error)) {
    g_object_unref (bind_addr);
    rtc_ice_turn_tls_free (b);
    return NULL;
  }
  g_object_unref (bind_addr);
  b->accept_source = g_socket_create_source (b->listener, G_IO_IN, NULL);
  g_source_set_callback (b->accept_source, (GSourceFunc)on_accept, b, NULL);
  g_source_attach (b->accept_source, context);
  GST_DEBUG ("bridge on port %u for %s (%s)", rtc_ice_turn_tls_get_port (b),
      b->server_name, host);
  return b;
}

/**
 * rtc_ice_turn_tls_get_address:
 * @bridge: a bridge
 *
 * Returns: (transfer full): the loopback address the bridge listens on
 */
gchar *
rtc_ice_turn_tls_get_address (RtcIceTurnTls *bridge)
{
  GInetAddress *lo = g_inet_address_new_loopback (
      g_socket_get_family (bridge->listener));
  gchar *s = g_inet_address_to_string (lo);

  g_object_unref (lo);
  return s;
}

/**
 * rtc_ice_turn_tls_get_port:
 * @bridge: a bridge
 *
 * Returns: the port the bridge listens on
 */
guint16
rtc_ice_turn_tls_get_port (RtcIceTurnTls *bridge)
{
  GSocketAddress *addr = g_socket_get_local_address (bridge->listener, NULL);
  guint16 port = 0;

  if (addr) {
    port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (addr));
    g_object_unref (addr);
  }
  return port;
}

/**
 * rtc_ice_turn_tls_get_error:
 * @bridge: a bridge
 *
 * Returns: (nullable): why the first connection that failed before its TLS
 *   session was up failed (connection refused, certificate not trusted,
 *   handshake failure), or %NULL if none did
 */
const gchar *
rtc_ice_turn_tls_get_error (RtcIceTurnTls *bridge)
{
  return bridge->error;
}

/**
 * rtc_ice_turn_tls_free:
 * @bridge: (nullable): a bridge
 *
 * Closes the listener and every connection. Call it on the bridge's
 * context once libnice no longer needs the server (after its TURN
 * allocations were released).
 */
void
rtc_ice_turn_tls_free (RtcIceTurnTls *bridge)
{
  if (!bridge)
    return;
  while (bridge->conns)
    conn_free (bridge->conns->data);
  if (bridge->accept_source) {
    g_source_destroy (bridge->accept_source);
    g_source_unref (bridge->accept_source);
  }
  if (bridge->listener) {
    g_socket_close (bridge->listener, NULL);
    g_object_unref (bridge->listener);
  }
  SSL_CTX_free (bridge->ctx);
  g_main_context_unref (bridge->context);
  g_object_unref (bridge->server);
  g_free (bridge->server_name);
  g_free (bridge->host);
  g_free (bridge->error);
  g_free (bridge);
}
