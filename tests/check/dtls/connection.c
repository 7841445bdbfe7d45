/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of the pad-free DTLS connection: two connections exchange
 * datagrams in memory, with loss, hostile records and wrong identities.
 */
#include <gst/check/gstcheck.h>
#include <string.h>

#include "rtcdtlsconnection.h"
#include "rtcdtlserror.h"

#include <openssl/pem.h>
#include "../common/rtccheckmain.h"

/* Forwards datagrams from one connection to its peer, dropping the first
 * drop_first of them to imitate lost flights. Holds the peer: a flight may
 * still be on its way from the timer thread when a test ends. */
typedef struct {
  RtcDtlsConnection *to; /* owned */
  gint drop_first;
  gint dropped, forwarded;
} Link;

typedef struct {
  GObject parent;
  Link link;
} LinkObject;

typedef GObjectClass LinkObjectClass;
static GType link_object_get_type (void);
G_DEFINE_TYPE (LinkObject, link_object, G_TYPE_OBJECT);

static void
link_object_init (LinkObject *o)
{
}

static void
link_object_finalize (GObject *object)
{
  g_object_unref (((LinkObject *)object)->link.to);
  G_OBJECT_CLASS (link_object_parent_class)->finalize (object);
}

static void
link_object_class_init (LinkObjectClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = link_object_finalize;
}

static void
forward (gpointer owner, const guint8 *data, gsize len)
{
  Link *link = &((LinkObject *)owner)->link;

  if (g_atomic_int_add (&link->dropped, 0) < link->drop_first) {
    g_atomic_int_inc (&link->dropped);
    return;
  }
  g_atomic_int_inc (&link->forwarded);
  rtc_dtls_connection_process (link->to, data, len);
}

typedef struct {
  GMutex lock;
  GPtrArray *messages;
} Received;

typedef struct {
  GObject parent;
  Received r;
} ReceivedObject;

typedef GObjectClass ReceivedObjectClass;
static GType received_object_get_type (void);
G_DEFINE_TYPE (ReceivedObject, received_object, G_TYPE_OBJECT);

static void
received_object_init (ReceivedObject *o)
{
  g_mutex_init (&o->r.lock);
  o->r.messages = g_ptr_array_new_with_free_func (
      (GDestroyNotify)g_bytes_unref);
}

static void
received_object_finalize (GObject *object)
{
  ReceivedObject *o = (ReceivedObject *)object;

  g_ptr_array_unref (o->r.messages);
  g_mutex_clear (&o->r.lock);
  G_OBJECT_CLASS (received_object_parent_class)->finalize (object);
}

static void
received_object_class_init (ReceivedObjectClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = received_object_finalize;
}

static void
receive (gpointer owner, const guint8 *data, gsize len)
{
  Received *r = &((ReceivedObject *)owner)->r;

  g_mutex_lock (&r->lock);
  g_ptr_array_add (r->messages, g_bytes_new (data, len));
  g_mutex_unlock (&r->lock);
}

typedef struct {
  RtcDtlsConnection *a, *b; /* a is the client */
  LinkObject *ab, *ba;
  ReceivedObject *ra, *rb;
} Pair;

static void
pair_init (Pair *p, gint drop_ab, gint drop_ba)
{
  static gint counter;
  gint n = g_atomic_int_add (&counter, 1);
  gchar *ida = g_strdup_printf ("conn-test-a-%d", n);
  gchar *idb = g_strdup_printf ("conn-test-b-%d", n);

  p->a = rtc_dtls_connection_acquire (ida);
  p->b = rtc_dtls_connection_acquire (idb);
  g_free (ida);
  g_free (idb);
  p->ab = g_object_new (link_object_get_type (), NULL);
  p->ba = g_object_new (link_object_get_type (), NULL);
  p->ab->link.to = g_object_ref (p->b);
  p->ab->link.drop_first = drop_ab;
  p->ba->link.to = g_object_ref (p->a);
  p->ba->link.drop_first = drop_ba;
  p->ra = g_object_new (received_object_get_type (), NULL);
  p->rb = g_object_new (received_object_get_type (), NULL);
  rtc_dtls_connection_set_sender (p->a, forward, p->ab);
  rtc_dtls_connection_set_sender (p->b, forward, p->ba);
  rtc_dtls_connection_set_receiver (p->a, receive, p->ra);
  rtc_dtls_connection_set_receiver (p->b, receive, p->rb);
}

static void
pair_start (Pair *p, const gchar *client_profiles, const gchar *server_profiles)
{
  GError *error = NULL;

  fail_unless (rtc_dtls_connection_start (p->b, FALSE, server_profiles, &error),
      "%s", error ? error->message : "");
  fail_unless (rtc_dtls_connection_start (p->a, TRUE, client_profiles, &error),
      "%s", error ? error->message : "");
}

static void
pair_clear (Pair *p)
{
  rtc_dtls_connection_stop (p->a);
  rtc_dtls_connection_stop (p->b);
  rtc_dtls_connection_set_sender (p->a, NULL, NULL);
  rtc_dtls_connection_set_sender (p->b, NULL, NULL);
  rtc_dtls_connection_set_receiver (p->a, NULL, NULL);
  rtc_dtls_connection_set_receiver (p->b, NULL, NULL);
  rtc_dtls_connection_release (p->a);
  rtc_dtls_connection_release (p->b);
  g_object_unref (p->ab);
  g_object_unref (p->ba);
  g_object_unref (p->ra);
  g_object_unref (p->rb);
}

/* Waits (bounded) until both connections leave the connecting state. */
static gboolean
wait_settled (Pair *p, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (g_get_monotonic_time () < end) {
    RtcDtlsConnectionState sa = rtc_dtls_connection_get_state (p->a);
    RtcDtlsConnectionState sb = rtc_dtls_connection_get_state (p->b);

    if ((sa == RTC_DTLS_CONNECTION_STATE_CONNECTED
            || sa == RTC_DTLS_CONNECTION_STATE_FAILED)
        && (sb == RTC_DTLS_CONNECTION_STATE_CONNECTED
            || sb == RTC_DTLS_CONNECTION_STATE_FAILED))
      return TRUE;
    g_usleep (1000);
  }
  return FALSE;
}

static void
assert_srtp_keys_pair_up (RtcDtlsConnection *tx_conn,
    RtcDtlsConnection *rx_conn)
{
  RtcSrtpSession *tx = rtc_dtls_connection_get_srtp (tx_conn, TRUE);
  RtcSrtpSession *rx = rtc_dtls_connection_get_srtp (rx_conn, FALSE);
  guint8 pkt[128] = { 0x80, 96, 0, 1, 0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef };
  gsize len = 100;

  fail_unless (tx && rx);
  memset (pkt + 12, 0x42, 88);
  fail_unless_equals_int (rtc_srtp_session_protect (tx, FALSE, pkt, &len),
      RTC_SRTP_OK);
  fail_unless_equals_int (rtc_srtp_session_unprotect (rx, FALSE, pkt, &len),
      RTC_SRTP_OK);
  fail_unless_equals_int (len, 100);
  fail_unless_equals_int (pkt[99], 0x42);
  rtc_srtp_session_unref (tx);
  rtc_srtp_session_unref (rx);
}

GST_START_TEST (test_handshake_keys_and_data)
{
  Pair p;
  GError *error = NULL;
  const guint8 msg[] = "hello over DTLS";

  pair_init (&p, 0, 0);
  pair_start (&p, NULL, NULL);
  fail_unless (wait_settled (&p, 5000));
  fail_unless_equals_int (rtc_dtls_connection_get_state (p.a),
      RTC_DTLS_CONNECTION_STATE_CONNECTED);
  fail_unless_equals_int (rtc_dtls_connection_get_state (p.b),
      RTC_DTLS_CONNECTION_STATE_CONNECTED);

  /* Client's outbound keys are the server's inbound ones, and back. */
  assert_srtp_keys_pair_up (p.a, p.b);
  assert_srtp_keys_pair_up (p.b, p.a);
  /* AEAD is preferred by default. */
  {
    RtcSrtpSession *s = rtc_dtls_connection_get_srtp (p.a, TRUE);

    fail_unless_equals_int (rtc_srtp_session_get_profile (s),
        RTC_SRTP_PROFILE_AEAD_AES_128_GCM);
    rtc_srtp_session_unref (s);
  }

  /* Each side sees the other's certificate. */
  {
    gchar *peer_pem = rtc_dtls_connection_dup_peer_pem (p.a);
    RtcDtlsCertificate *cert = rtc_dtls_connection_get_certificate (p.b, NULL);

    fail_unless_equals_string (peer_pem, rtc_dtls_certificate_get_pem (cert));
    g_free (peer_pem);
    rtc_dtls_certificate_unref (cert);
  }

  fail_unless (rtc_dtls_connection_send_data (p.a, msg, sizeof (msg), &error));
  fail_unless (rtc_dtls_connection_send_data (p.b, msg, 5, &error));
  fail_unless_equals_int (p.rb->r.messages->len, 1);
  fail_unless_equals_int (g_bytes_get_size (p.rb->r.messages->pdata[0]),
      sizeof (msg));
  fail_unless (memcmp (g_bytes_get_data (p.rb->r.messages->pdata[0], NULL), msg,
                   sizeof (msg))
      == 0);
  fail_unless_equals_int (p.ra->r.messages->len, 1);
  fail_unless_equals_int (g_bytes_get_size (p.ra->r.messages->pdata[0]), 5);

  /* Oversized or empty messages are refused with a clear error. */
  {
    guint8 *big = g_malloc0 (20000);

    fail_if (rtc_dtls_connection_send_data (p.a, big, 20000, &error));
    fail_unless (g_error_matches (error, RTC_DTLS_ERROR,
        RTC_DTLS_ERROR_INVALID_ARGUMENT));
    g_clear_error (&error);
    g_free (big);
  }

  /* close_notify reaches the peer. */
  rtc_dtls_connection_close (p.a);
  fail_unless_equals_int (rtc_dtls_connection_get_state (p.a),
      RTC_DTLS_CONNECTION_STATE_CLOSED);
  fail_unless_equals_int (rtc_dtls_connection_get_state (p.b),
      RTC_DTLS_CONNECTION_STATE_CLOSED);
  pair_clear (&p);
}

GST_END_TEST;

GST_START_TEST (test_profile_preference)
{
  Pair p;
  RtcSrtpSession *s;

  /* The server's order decides among profiles both sides accept. */
  pair_init (&p, 0, 0);
  pair_start (&p, "AEAD_AES_128_GCM:AES_CM_128_HMAC_SHA1_32:AEAD_AES_256_GCM",
      "AEAD_AES_256_GCM:AES_CM_128_HMAC_SHA1_32");
  fail_unless (wait_settled (&p, 5000));
  s = rtc_dtls_connection_get_srtp (p.b, TRUE);
  fail_unless (s != NULL);
  fail_unless_equals_int (rtc_srtp_session_get_profile (s),
      RTC_SRTP_PROFILE_AEAD_AES_256_GCM);
  rtc_srtp_session_unref (s);
  assert_srtp_keys_pair_up (p.a, p.b);
  pair_clear (&p);
}

GST_END_TEST;

GST_START_TEST (test_lost_flights_retransmitted)
{
  Pair p;

  /* Lose the ClientHello twice and the server's first flight once. */
  pair_init (&p, 2, 1);
  pair_start (&p, NULL, NULL);
  fail_unless (wait_settled (&p, 8000));
  fail_unless_equals_int (rtc_dtls_connection_get_state (p.a),
      RTC_DTLS_CONNECTION_STATE_CONNECTED);
  fail_unless_equals_int (rtc_dtls_connection_get_state (p.b),
      RTC_DTLS_CONNECTION_STATE_CONNECTED);
  fail_unless_equals_int (p.ab->link.dropped, 2);
  fail_unless_equals_int (p.ba->link.dropped, 1);
  assert_srtp_keys_pair_up (p.a, p.b);
  pair_clear (&p);
}

GST_END_TEST;

GST_START_TEST (test_fingerprint_mismatch_rejected)
{
  Pair p;
  RtcDtlsCertificate *other = rtc_dtls_certificate_new_ecdsa (NULL);
  gchar *error;

  pair_init (&p, 0, 0);
  /* The server expects another certificate than the client's. */
  fail_unless (rtc_dtls_connection_set_peer_fingerprint (p.b,
      rtc_dtls_certificate_get_fingerprint (other), NULL));
  pair_start (&p, NULL, NULL);
  fail_unless (wait_settled (&p, 5000));
  fail_unless_equals_int (rtc_dtls_connection_get_state (p.b),
      RTC_DTLS_CONNECTION_STATE_FAILED);
  error = rtc_dtls_connection_dup_error (p.b);
  fail_unless (error && strstr (error, "does not match"), "%s", error);
  g_free (error);
  /* No keys on either side. */
  fail_unless (rtc_dtls_connection_get_srtp (p.b, FALSE) == NULL);
  fail_unless (rtc_dtls_connection_get_srtp (p.b, TRUE) == NULL);
  fail_unless (rtc_dtls_connection_get_srtp (p.a, TRUE) == NULL);
  rtc_dtls_certificate_unref (other);
  pair_clear (&p);
}

GST_END_TEST;

GST_START_TEST (test_fingerprint_match_accepted)
{
  Pair p;
  RtcDtlsCertificate *ca, *cb;
  GError *error = NULL;

  pair_init (&p, 0, 0);
  ca = rtc_dtls_connection_get_certificate (p.a, NULL);
  cb = rtc_dtls_connection_get_certificate (p.b, NULL);
  fail_unless (rtc_dtls_connection_set_peer_fingerprint (p.b,
      rtc_dtls_certificate_get_fingerprint (ca), NULL));
  /* Hex case does not matter (RFC 8122 uses upper case, some send lower). */
  {
    gchar *lower = g_ascii_strdown (rtc_dtls_certificate_get_fingerprint (cb),
        -1);

    fail_unless (rtc_dtls_connection_set_peer_fingerprint (p.a, lower, NULL));
    g_free (lower);
  }
  fail_if (
      rtc_dtls_connection_set_peer_fingerprint (p.a, "sha-256 00:11", &error));
  fail_unless (strstr (error->message, "needs 32 octets") != NULL);
  g_clear_error (&error);
  fail_if (rtc_dtls_connection_set_peer_fingerprint (p.a, "md5 00:11", &error));
  g_clear_error (&error);

  pair_start (&p, NULL, NULL);
  fail_unless (wait_settled (&p, 5000));
  fail_unless_equals_int (rtc_dtls_connection_get_state (p.a),
      RTC_DTLS_CONNECTION_STATE_CONNECTED);
  fail_unless_equals_int (rtc_dtls_connection_get_state (p.b),
      RTC_DTLS_CONNECTION_STATE_CONNECTED);

  /* A fingerprint that arrives late and differs withdraws the keys. */
  {
    RtcDtlsCertificate *other = rtc_dtls_certificate_new_ecdsa (NULL);

    fail_unless (rtc_dtls_connection_set_peer_fingerprint (p.a,
        rtc_dtls_certificate_get_fingerprint (other), NULL));
    fail_unless_equals_int (rtc_dtls_connection_get_state (p.a),
        RTC_DTLS_CONNECTION_STATE_FAILED);
    fail_unless (rtc_dtls_connection_get_srtp (p.a, TRUE) == NULL);
    rtc_dtls_certificate_unref (other);
  }
  rtc_dtls_certificate_unref (ca);
  rtc_dtls_certificate_unref (cb);
  pair_clear (&p);
}

GST_END_TEST;

GST_START_TEST (test_hostile_records)
{
  Pair p;
  GRand *rand = g_rand_new_with_seed (1234);
  guint8 rec[300];
  guint i, j;
  const guint8 msg[] = "still alive";

  pair_init (&p, 0, 0);
  /* Garbage before the handshake, to a server that has not started. */
  for (i = 0; i < 200; i++) {
    for (j = 0; j < sizeof (rec); j++)
      rec[j] = g_rand_int (rand);
    rec[0] = 20 + g_rand_int_range (rand, 0, 44);
    fail_if (rtc_dtls_connection_process (p.b, rec,
        g_rand_int_range (rand, 13, sizeof (rec))));
  }
  pair_start (&p, NULL, NULL);
  fail_unless (wait_settled (&p, 5000));
  fail_unless_equals_int (rtc_dtls_connection_get_state (p.b),
      RTC_DTLS_CONNECTION_STATE_CONNECTED);

  /* Random records, and records with a valid header but bad content, once
   * connected: dropped by DTLS without harming the session. */
  for (i = 0; i < 2000; i++) {
    gsize len = g_rand_int_range (rand, 13, sizeof (rec));

    for (j = 0; j < len; j++)
      rec[j] = g_rand_int (rand);
    rec[0] = (i % 2) ? 23 : 20 + g_rand_int_range (rand, 0, 44);
    rec[1] = 0xfe;
    rec[2] = 0xfd;
    rec[3] = 0;
    rec[4] = 1; /* epoch 1 */
    rec[11] = (len - 13) >> 8;
    rec[12] = (len - 13) & 0xff;
    rtc_dtls_connection_process (p.b, rec, len);
  }
  fail_unless_equals_int (rtc_dtls_connection_get_state (p.b),
      RTC_DTLS_CONNECTION_STATE_CONNECTED);
  fail_unless (rtc_dtls_connection_send_data (p.a, msg, sizeof (msg), NULL));
  fail_unless_equals_int (p.rb->r.messages->len, 1);
  assert_srtp_keys_pair_up (p.a, p.b);
  g_rand_free (rand);
  pair_clear (&p);
}

GST_END_TEST;

GST_START_TEST (test_certificate_pem)
{
  RtcDtlsCertificate *cert = rtc_dtls_certificate_new_ecdsa (NULL);
  RtcDtlsCertificate *loaded;
  GError *error = NULL;
  gchar *pem;
  BIO *bio = BIO_new (BIO_s_mem ());
  BUF_MEM *mem;

  /* Certificate + key in one PEM text, as the pem property takes it. */
  PEM_write_bio_X509 (bio, rtc_dtls_certificate_get_x509 (cert));
  PEM_write_bio_PrivateKey (bio, rtc_dtls_certificate_get_key (cert), NULL,
      NULL, 0, NULL, NULL);
  BIO_get_mem_ptr (bio, &mem);
  pem = g_strndup (mem->data, mem->length);
  BIO_free (bio);

  loaded = rtc_dtls_certificate_new_from_pem (pem, &error);
  fail_unless (loaded != NULL, "%s", error ? error->message : "");
  fail_unless_equals_string (rtc_dtls_certificate_get_fingerprint (loaded),
      rtc_dtls_certificate_get_fingerprint (cert));
  fail_unless (g_str_has_prefix (rtc_dtls_certificate_get_fingerprint (cert),
      "sha-256 "));
  fail_unless_equals_int (strlen (rtc_dtls_certificate_get_fingerprint (cert)),
      strlen ("sha-256 ") + 32 * 3 - 1);

  /* A certificate without its key is refused. */
  fail_if (
      rtc_dtls_certificate_new_from_pem (rtc_dtls_certificate_get_pem (cert),
          &error));
  fail_unless (strstr (error->message, "no private key") != NULL);
  g_clear_error (&error);
  fail_if (rtc_dtls_certificate_new_from_pem ("garbage", &error));
  g_clear_error (&error);

  g_free (pem);
  rtc_dtls_certificate_unref (loaded);
  rtc_dtls_certificate_unref (cert);
}

GST_END_TEST;

static Suite *
connection_suite (void)
{
  Suite *s = suite_create ("rtcdtlsconnection");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_handshake_keys_and_data);
  tcase_add_test (tc, test_profile_preference);
  tcase_add_test (tc, test_lost_flights_retransmitted);
  tcase_add_test (tc, test_fingerprint_mismatch_rejected);
  tcase_add_test (tc, test_fingerprint_match_accepted);
  tcase_add_test (tc, test_hostile_records);
  tcase_add_test (tc, test_certificate_pem);
  return s;
}

RTC_CHECK_MAIN (connection);
