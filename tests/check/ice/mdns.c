/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * mDNS `.local` remote candidates: the response parser on crafted and
 * fuzzed messages, the querier against a fake responder (A, AAAA,
 * timeout, merged and cancelled lookups, hostile answers), and transports
 * that connect through a resolved name, do not stall on an unresolvable
 * one and cancel lookups when closed.
 *
 * The program moves itself into a private network namespace whose
 * loopback carries IPv4 multicast and where a veth pair carries IPv6
 * multicast, so real queries to 224.0.0.251 and ff02::fb reach the fake
 * responder and nothing reaches the host's network.
 */
#define _GNU_SOURCE
#include <sched.h>

#include <netinet/in.h>
#include <stdio.h>

#include "icetestutil.h"
#include "rtcicemdns.h"

/* The veth pair main() makes for IPv6 multicast, which loopback does not
 * carry. */
#define VETH_QUERIER "mdnsq0"
#define VETH_RESPONDER "mdnsr0"

/* ---- DNS messages ---- */

static void
put16 (GByteArray *b, guint16 v)
{
  guint8 x[2] = { v >> 8, v & 0xff };

  g_byte_array_append (b, x, 2);
}

static void
put32 (GByteArray *b, guint32 v)
{
  put16 (b, v >> 16);
  put16 (b, v & 0xffff);
}

static GByteArray *
msg_new (guint16 flags, guint16 qd, guint16 an, guint16 ns, guint16 ar)
{
  GByteArray *b = g_byte_array_new ();

  put16 (b, 0);
  put16 (b, flags);
  put16 (b, qd);
  put16 (b, an);
  put16 (b, ns);
  put16 (b, ar);
  return b;
}

static void
put_name (GByteArray *b, const gchar *name)
{
  gchar **labels = g_strsplit (name, ".", -1);

  for (guint i = 0; labels[i]; i++) {
    guint8 l = strlen (labels[i]);

    g_byte_array_append (b, &l, 1);
    g_byte_array_append (b, (guint8 *)labels[i], l);
  }
  g_byte_array_append (b, (guint8 *)"", 1);
  g_strfreev (labels);
}

static void
put_rr_tail (GByteArray *b, guint16 type, guint16 klass, guint32 ttl,
    const guint8 *rdata, guint16 rdlen)
{
  put16 (b, type);
  put16 (b, klass);
  put32 (b, ttl);
  put16 (b, rdlen);
  g_byte_array_append (b, rdata, rdlen);
}

/* A or AAAA (by the address family) answer for @name, as responders send
 * them: cache-flush bit set, TTL 120. */
static GByteArray *
answer (const gchar *name, const gchar *ip, guint16 klass, guint32 ttl)
{
  GInetAddress *addr = g_inet_address_new_from_string (ip);
  gboolean v4 = g_inet_address_get_family (addr) == G_SOCKET_FAMILY_IPV4;
  GByteArray *b = msg_new (0x8400, 0, 1, 0, 0);

  put_name (b, name);
  put_rr_tail (b, v4 ? 1 : 28, klass, ttl, g_inet_address_to_bytes (addr),
      v4 ? 4 : 16);
  g_object_unref (addr);
  return b;
}

static GBytes *
answer_bytes (const gchar *name, const gchar *ip)
{
  return g_byte_array_free_to_bytes (answer (name, ip, 0x8001, 120));
}

/* Extends @b with zeroes to @len bytes. */
static void
pad (GByteArray *b, guint len)
{
  guint old = b->len;

  g_byte_array_set_size (b, len);
  memset (b->data + old, 0, len - old);
}

/* Parses and returns the records as "name=address" lines, or NULL. */
static gchar *
parse (const guint8 *data, gsize len)
{
  GPtrArray *records = rtc_ice_mdns_parse_response (data, len);
  GString *s;

  if (!records)
    return NULL;
  s = g_string_new (NULL);
  for (guint i = 0; i < records->len; i++) {
    RtcIceMdnsRecord *r = g_ptr_array_index (records, i);
    gchar *ip = g_inet_address_to_string (r->address);

    g_string_append_printf (s, "%s%s=%s", i ? "\n" : "", r->name, ip);
    g_free (ip);
  }
  g_ptr_array_unref (records);
  return g_string_free (s, FALSE);
}

static gchar *
parse_array (GByteArray *b)
{
  gchar *s = parse (b->data, b->len);

  g_byte_array_unref (b);
  return s;
}

#define fail_unless_parses_to(b, expected) \
  G_STMT_START \
  { \
    gchar *got_ = parse_array (b); \
    fail_unless_equals_string (got_, expected); \
    g_free (got_); \
  } \
  G_STMT_END

GST_START_TEST (test_parse_valid)
{
  GByteArray *b;
  guint8 v4[4] = { 192, 0, 2, 1 };
  GBytes *q;
  const guint8 *d;
  gsize len;

  fail_unless_parses_to (answer ("Abc-1.local", "192.0.2.7", 0x8001, 120),
      "abc-1.local=192.0.2.7");
  fail_unless_parses_to (answer ("abc-1.local", "2001:db8::7", 1, 1),
      "abc-1.local=2001:db8::7");

  /* A question echoed, then an answer in the additional section whose
   * name points at it, and an unrelated TXT record skipped. */
  b = msg_new (0x8400, 1, 0, 1, 1);
  put_name (b, "x.local");
  put16 (b, 1);
  put16 (b, 1);
  put_name (b, "txt.local");
  put_rr_tail (b, 16, 1, 120, (const guint8 *)"\003abc", 4);
  put16 (b, 0xc00c);
  put_rr_tail (b, 1, 0x8001, 120, v4, 4);
  fail_unless_parses_to (b, "x.local=192.0.2.1");

  /* A pointer to a suffix: "host." + pointer to "local". */
  b = msg_new (0x8400, 1, 1, 0, 0);
  put_name (b, "y.local");
  put16 (b, 1);
  put16 (b, 1);
  g_byte_array_append (b, (const guint8 *)"\004host", 5);
  put16 (b, 0xc00c + 2);
  put_rr_tail (b, 1, 1, 120, v4, 4);
  fail_unless_parses_to (b, "host.local=192.0.2.1");

  /* Skipped, message still valid: wrong class, TTL 0 (goodbye), a label
   * with a dot or other characters, an unknown type. */
  fail_unless_parses_to (answer ("a.local", "192.0.2.1", 3, 120), "");
  fail_unless_parses_to (answer ("a.local", "192.0.2.1", 0x8001, 0), "");
  b = msg_new (0x8400, 0, 2, 0, 0);
  g_byte_array_append (b, (const guint8 *)"\003a.b\005local\0", 11);
  put_rr_tail (b, 1, 1, 120, v4, 4);
  g_byte_array_append (b, (const guint8 *)"\003a\0b\005local\0", 11);
  put_rr_tail (b, 1, 1, 120, v4, 4);
  fail_unless_parses_to (b, "");

  /* The query asks A and AAAA with the QU bit. */
  q = rtc_ice_mdns_build_query ("Ab-1.local");
  d = g_bytes_get_data (q, &len);
  fail_unless_equals_int (len, 12 + 12 + 4 + 2 + 4);
  fail_unless (memcmp (d, "\0\0\0\0\0\2\0\0\0\0\0\0", 12) == 0);
  fail_unless (memcmp (d + 12, "\004Ab-1\005local\0\0\1\x80\1", 16) == 0);
  fail_unless (memcmp (d + 28, "\xc0\x0c\0\x1c\x80\1", 6) == 0);
  g_bytes_unref (q);
}

GST_END_TEST;

GST_START_TEST (test_parse_hostile)
{
  GByteArray *b, *full;
  guint8 v4[4] = { 10, 6, 6, 6 };
  guint i, prev;

  /* Every truncation of a valid answer is refused. */
  full = answer ("trunc.local", "10.6.6.6", 1, 120);
  for (i = 0; i < full->len; i++)
    fail_if (rtc_ice_mdns_parse_response (full->data, i), "length %u", i);
  g_byte_array_unref (full);

  /* Queries, opcodes and error rcodes are not responses to take. */
  fail_unless_parses_to (answer ("a.local", "10.6.6.6", 1, 120),
      "a.local=10.6.6.6");
  b = answer ("a.local", "10.6.6.6", 1, 120);
  b->data[2] = 0x00;
  fail_unless_parses_to (b, NULL);
  b = answer ("a.local", "10.6.6.6", 1, 120);
  b->data[2] = 0x80 | (2 << 3);
  fail_unless_parses_to (b, NULL);
  b = answer ("a.local", "10.6.6.6", 1, 120);
  b->data[3] = 0x03;
  fail_unless_parses_to (b, NULL);

  /* Compression: to itself, a two-pointer loop, forwards, past the end. */
  b = msg_new (0x8400, 0, 1, 0, 0);
  put16 (b, 0xc00c);
  put_rr_tail (b, 1, 1, 120, v4, 4);
  fail_unless_parses_to (b, NULL);
  b = msg_new (0x8400, 1, 1, 0, 0);
  put16 (b, 0xc00c + 6);
  put16 (b, 1);
  put16 (b, 1);
  put16 (b, 0xc00c);
  put_rr_tail (b, 1, 1, 120, v4, 4);
  fail_unless_parses_to (b, NULL);
  b = msg_new (0x8400, 0, 1, 0, 0);
  put16 (b, 0xc00c + 2);
  put_name (b, "fwd.local");
  put_rr_tail (b, 1, 1, 120, v4, 4);
  fail_unless_parses_to (b, NULL);
  b = msg_new (0x8400, 0, 1, 0, 0);
  put16 (b, 0xffff);
  put_rr_tail (b, 1, 1, 120, v4, 4);
  fail_unless_parses_to (b, NULL);
  /* A label running into a pointer back to its own start. */
  b = msg_new (0x8400, 0, 1, 0, 0);
  g_byte_array_append (b, (const guint8 *)"\001a", 2);
  put16 (b, 0xc00c);
  put_rr_tail (b, 1, 1, 120, v4, 4);
  fail_unless_parses_to (b, NULL);

  /* Names over 255 bytes, even when built from legal backward pointers. */
  b = msg_new (0x8400, 0, 1, 0, 0);
  for (i = 0; i < 130; i++)
    g_byte_array_append (b, (const guint8 *)"\001a", 2);
  put_name (b, "local");
  put_rr_tail (b, 1, 1, 120, v4, 4);
  fail_unless_parses_to (b, NULL);
  b = msg_new (0x8400, 40, 1, 0, 0);
  g_byte_array_append (b, (const guint8 *)"\077", 1);
  for (i = 0; i < 63; i++)
    g_byte_array_append (b, (const guint8 *)"x", 1);
  g_byte_array_append (b, (const guint8 *)"\0\0\1\0\1", 5);
  for (i = 1; i < 40; i++) {
    g_byte_array_append (b, (const guint8 *)"\077", 1);
    for (guint j = 0; j < 63; j++)
      g_byte_array_append (b, (const guint8 *)"x", 1);
    /* Points at the previous question's name. */
    put16 (b, 0xc00c + (i - 1) * 69);
    put16 (b, 1);
    put16 (b, 1);
  }
  fail_unless_parses_to (b, NULL);

  /* Questions whose names each point at the one before: legal, but a
   * chain of 99 jumps is refused. */
  b = msg_new (0x8400, 100, 1, 0, 0);
  put_name (b, "chain.local");
  put16 (b, 1);
  put16 (b, 1);
  for (i = 1, prev = 12; i < 100; i++) {
    guint here = b->len;

    put16 (b, 0xc000 | prev);
    put16 (b, 1);
    put16 (b, 1);
    prev = here;
  }
  put16 (b, 0xc000 | prev);
  put_rr_tail (b, 1, 1, 120, v4, 4);
  fail_unless_parses_to (b, NULL);

  /* Reserved label types, bad record lengths, counts beyond the data. */
  b = msg_new (0x8400, 0, 1, 0, 0);
  g_byte_array_append (b,
      (const guint8 *)"\x41"
                      "a",
      2);
  put_rr_tail (b, 1, 1, 120, v4, 4);
  fail_unless_parses_to (b, NULL);
  b = msg_new (0x8400, 0, 1, 0, 0);
  put_name (b, "a.local");
  put_rr_tail (b, 1, 1, 120, v4, 3);
  fail_unless_parses_to (b, NULL);
  b = msg_new (0x8400, 0, 1, 0, 0);
  put_name (b, "a.local");
  put_rr_tail (b, 28, 1, 120, v4, 4);
  fail_unless_parses_to (b, NULL);
  b = answer ("a.local", "10.6.6.6", 1, 120);
  b->data[7] = 2;
  fail_unless_parses_to (b, NULL);
  b = answer ("a.local", "10.6.6.6", 1, 120);
  b->data[b->len - 5] = 0x40;
  fail_unless_parses_to (b, NULL);

  /* Over the mDNS maximum size, even if what precedes is valid. */
  b = answer ("a.local", "10.6.6.6", 1, 120);
  pad (b, RTC_ICE_MDNS_MAX_MESSAGE + 1);
  fail_unless_parses_to (b, NULL);
}

GST_END_TEST;

/* Random messages and mutations of valid ones: never a crash, and what is
 * taken is a plain name with an address. */
GST_START_TEST (test_parse_fuzz)
{
  GRand *rand = g_rand_new_with_seed (6762);
  GByteArray *seeds[3];
  guint i, j, taken = 0;

  seeds[0] = answer ("1f4712db-ea17-4bcf-a596-105139dfd8bf.local", "192.0.2.1",
      0x8001, 120);
  seeds[1] = answer ("v6.local", "2001:db8::1", 1, 120);
  seeds[2] = msg_new (0x8400, 1, 1, 0, 0);
  put_name (seeds[2], "q.local");
  put16 (seeds[2], 1);
  put16 (seeds[2], 1);
  put16 (seeds[2], 0xc00c);
  put_rr_tail (seeds[2], 1, 1, 120, (const guint8 *)"\1\2\3\4", 4);

  for (i = 0; i < 50000; i++) {
    GByteArray *m = g_byte_array_new ();
    GPtrArray *records;

    if (i % 5 == 0) {
      guint len = g_rand_int_range (rand, 0, 600);

      for (j = 0; j < len; j++) {
        guint8 c = g_rand_int_range (rand, 0, 256);

        g_byte_array_append (m, &c, 1);
      }
      /* Mostly responses, so that the parser gets past the header. */
      if (len > 3)
        m->data[2] |= 0x80;
    } else {
      GByteArray *seed = seeds[i % 3];
      guint n = g_rand_int_range (rand, 1, 4);

      g_byte_array_append (m, seed->data, seed->len);
      for (j = 0; j < n; j++)
        m->data[g_rand_int_range (rand, 0, m->len)] = g_rand_int_range (rand, 0,
            256);
      if (g_rand_boolean (rand))
        g_byte_array_set_size (m, g_rand_int_range (rand, 0, m->len + 1));
    }
    records = rtc_ice_mdns_parse_response (m->data, m->len);
    for (j = 0; records && j < records->len; j++) {
      RtcIceMdnsRecord *r = g_ptr_array_index (records, j);

      fail_unless (strlen (r->name) <= 255);
      fail_unless (strspn (r->name, "abcdefghijklmnopqrstuvwxyz0123456789-.")
          == strlen (r->name));
      fail_unless (G_IS_INET_ADDRESS (r->address));
      taken++;
    }
    if (records)
      g_ptr_array_unref (records);
    g_byte_array_unref (m);
  }
  /* Mutations that leave a record intact are still taken. */
  fail_unless (taken > 1000, "%u", taken);
  for (i = 0; i < 3; i++)
    g_byte_array_unref (seeds[i]);
  g_rand_free (rand);
}

GST_END_TEST;

/* ---- fake responder ---- */

typedef struct {
  GBytes *data;
  gboolean wrong_port;
} Reply;

typedef struct {
  GPtrArray *replies; /* Reply */
  guint skip; /* queries left unanswered before replying */
  gboolean v6_only; /* answer queries to ff02::fb, not 224.0.0.251 */
  guint queries, queries6;
} FakeName;

typedef struct {
  GThread *thread;
  GSocket *sock, *sock6, *wrong_port;
  GMutex lock;
  GHashTable *names; /* lower-case name -> FakeName */
  guint queries;
  /* Set if a query was not as RFC 6762 5.1 one-shot queries should be. */
  gchar *bad_query;
  gboolean stop;
} Responder;

static void
reply_free (gpointer data)
{
  Reply *r = data;

  g_bytes_unref (r->data);
  g_free (r);
}

static void
fake_name_free (gpointer data)
{
  FakeName *n = data;

  g_ptr_array_unref (n->replies);
  g_free (n);
}

static FakeName *
responder_name (Responder *r, const gchar *name)
{
  FakeName *n = g_hash_table_lookup (r->names, name);

  if (!n) {
    n = g_new0 (FakeName, 1);
    n->replies = g_ptr_array_new_with_free_func (reply_free);
    g_hash_table_insert (r->names, g_ascii_strdown (name, -1), n);
  }
  return n;
}

/* Queues @data (taken) to be sent in answer to each query for @name. */
static void
responder_add (Responder *r, const gchar *name, GBytes *data,
    gboolean wrong_port)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->data = data;
  reply->wrong_port = wrong_port;
  g_mutex_lock (&r->lock);
  g_ptr_array_add (responder_name (r, name)->replies, reply);
  g_mutex_unlock (&r->lock);
}

static guint
responder_queries (Responder *r, const gchar *name)
{
  FakeName *n;
  guint count;

  g_mutex_lock (&r->lock);
  n = name ? g_hash_table_lookup (r->names, name) : NULL;
  count = name ? (n ? n->queries : 0) : r->queries;
  g_mutex_unlock (&r->lock);
  return count;
}

/* Checks a query: ours are the first name in full, then a pointer to it,
 * asking A then AAAA, each with the QU bit. Returns the name or NULL. */
static gchar *
check_query (const guint8 *d, gsize len, GSocketAddress *from, gchar **bad)
{
  GString *name = g_string_new (NULL);
  gsize p = 12;

  if (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (from)) == 5353)
    *bad = g_strdup ("query sent from port 5353");
  if (len < 12 || d[2] != 0 || d[5] != 2) {
    *bad = g_strdup ("not a two-question query");
    goto fail;
  }
  while (p < len && d[p] != 0 && d[p] < 64 && p + 1 + d[p] < len) {
    g_string_append_printf (name, "%s%.*s", name->len ? "." : "", d[p],
        (const gchar *)d + p + 1);
    p += 1 + d[p];
  }
  if (p + 1 + 4 + 6 != len
      || memcmp (d + p + 1, "\0\1\x80\1\xc0\x0c\0\x1c\x80\1", 10) != 0) {
    *bad = g_strdup ("not A + AAAA with QU bits");
    goto fail;
  }
  {
    gchar *lower = g_ascii_strdown (name->str, -1);

    g_string_free (name, TRUE);
    return lower;
  }

fail:
  g_string_free (name, TRUE);
  return NULL;
}

static void
responder_receive (Responder *r, GSocket *sock, gboolean v6)
{
  guint8 buf[9100];
  GSocketAddress *from = NULL;
  GPtrArray *replies = NULL;
  gchar *name, *bad = NULL;
  gssize n;

  n = g_socket_receive_from (sock, &from, (gchar *)buf, sizeof (buf), NULL,
      NULL);
  if (n < 0)
    return;
  name = check_query (buf, n, from, &bad);
  g_mutex_lock (&r->lock);
  if (!v6)
    r->queries++;
  if (bad && !r->bad_query)
    r->bad_query = g_steal_pointer (&bad);
  if (name) {
    FakeName *fn = responder_name (r, name);

    if (v6)
      fn->queries6++;
    else
      fn->queries++;
    if (fn->v6_only == v6) {
      if (fn->skip > 0)
        fn->skip--;
      else
        replies = g_ptr_array_ref (fn->replies);
    }
  }
  g_mutex_unlock (&r->lock);
  for (guint i = 0; replies && i < replies->len; i++) {
    Reply *reply = g_ptr_array_index (replies, i);
    gsize len;
    const gchar *d = g_bytes_get_data (reply->data, &len);

    fail_unless (g_socket_send_to (reply->wrong_port ? r->wrong_port : sock,
                     from, d, len, NULL, NULL)
        == (gssize)len);
  }
  if (replies)
    g_ptr_array_unref (replies);
  g_free (name);
  g_free (bad);
  g_object_unref (from);
}

static gpointer
responder_main (gpointer data)
{
  Responder *r = data;

  for (;;) {
    GPollFD fds[2] = {
      { g_socket_get_fd (r->sock), G_IO_IN, 0 },
      { g_socket_get_fd (r->sock6), G_IO_IN, 0 },
    };
    gboolean stop;

    g_mutex_lock (&r->lock);
    stop = r->stop;
    g_mutex_unlock (&r->lock);
    if (stop)
      break;
    if (g_poll (fds, 2, 20) <= 0)
      continue;
    if (fds[0].revents & G_IO_IN)
      responder_receive (r, r->sock, FALSE);
    if (fds[1].revents & G_IO_IN)
      responder_receive (r, r->sock6, TRUE);
  }
  return NULL;
}

/* Port 5353 on every address, joined to 224.0.0.251 on loopback and to
 * ff02::fb on both ends of the veth pair made by main(). */
static Responder *
responder_start (void)
{
  Responder *r = g_new0 (Responder, 1);
  GInetAddress *any = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GInetAddress *group = g_inet_address_new_from_string ("224.0.0.251");
  GInetAddress *any6;
  GSocketAddress *sa;
  GError *error = NULL;

  g_mutex_init (&r->lock);
  r->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      fake_name_free);
  r->sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, &error);
  fail_unless (r->sock, "%s", error ? error->message : "");
  sa = g_inet_socket_address_new (any, 5353);
  fail_unless (g_socket_bind (r->sock, sa, TRUE, &error), "%s",
      error ? error->message : "");
  g_object_unref (sa);
  fail_unless (g_socket_join_multicast_group (r->sock, group, FALSE, "lo",
                   &error),
      "%s", error ? error->message : "");
  g_object_unref (group);
  r->sock6 = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, &error);
  fail_unless (r->sock6, "%s", error ? error->message : "");
  fail_unless (
      g_socket_set_option (r->sock6, IPPROTO_IPV6, IPV6_V6ONLY, 1, NULL));
  any6 = g_inet_address_new_any (G_SOCKET_FAMILY_IPV6);
  sa = g_inet_socket_address_new (any6, 5353);
  fail_unless (g_socket_bind (r->sock6, sa, TRUE, &error), "%s",
      error ? error->message : "");
  g_object_unref (sa);
  g_object_unref (any6);
  group = g_inet_address_new_from_string ("ff02::fb");
  fail_unless (g_socket_join_multicast_group (r->sock6, group, FALSE,
                   VETH_QUERIER, &error),
      "%s", error ? error->message : "");
  fail_unless (g_socket_join_multicast_group (r->sock6, group, FALSE,
                   VETH_RESPONDER, &error),
      "%s", error ? error->message : "");
  r->wrong_port = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, NULL);
  sa = g_inet_socket_address_new (lo, 0);
  fail_unless (g_socket_bind (r->wrong_port, sa, FALSE, NULL));
  g_object_unref (sa);
  g_object_unref (any);
  g_object_unref (lo);
  g_object_unref (group);
  r->thread = g_thread_new ("mdns-responder", responder_main, r);
  return r;
}

static void
responder_stop (Responder *r)
{
  g_mutex_lock (&r->lock);
  r->stop = TRUE;
  g_mutex_unlock (&r->lock);
  g_thread_join (r->thread);
  fail_if (r->bad_query, "%s", r->bad_query);
  g_object_unref (r->sock);
  g_object_unref (r->sock6);
  g_object_unref (r->wrong_port);
  g_hash_table_unref (r->names);
  g_mutex_clear (&r->lock);
  g_free (r);
}

/* ---- querier ---- */

typedef struct {
  GInetAddress *addr;
  GError *error;
  gboolean done;
  gint64 elapsed_ms;
  gint64 start;
} Lookup;

static void
on_lookup_done (GObject *resolver, GAsyncResult *result, gpointer data)
{
  Lookup *l = data;

  l->addr = rtc_ice_mdns_resolver_lookup_finish (RTC_ICE_MDNS_RESOLVER (
                                                     resolver),
      result, &l->error);
  l->done = TRUE;
  l->elapsed_ms = (g_get_monotonic_time () - l->start) / 1000;
}

static void
lookup_start (RtcIceMdnsResolver *res, const gchar *name,
    GCancellable *cancellable, Lookup *l)
{
  memset (l, 0, sizeof (*l));
  l->start = g_get_monotonic_time ();
  rtc_ice_mdns_resolver_lookup_async (res, name, cancellable, on_lookup_done,
      l);
}

/* Iterates the test's context until @l is done or @ms (scaled) pass. */
static gboolean
lookup_wait (Lookup *l, guint64 ms)
{
  gint64 deadline = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;

  while (!l->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (g_main_context_get_thread_default (), FALSE),
        g_usleep (1000);
  return l->done;
}

/* Iterates the test's context for @ms, unscaled: for what must not happen
 * within protocol timers. */
static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (g_main_context_get_thread_default (), FALSE),
        g_usleep (1000);
}

static gchar *
lookup_result (Lookup *l)
{
  gchar *s;

  fail_unless (l->done);
  if (!l->addr)
    return g_strdup_printf ("error: %s", l->error->message);
  s = g_inet_address_to_string (l->addr);
  g_object_unref (l->addr);
  return s;
}

/* The resolver must be used from its context's owner. */
static GMainContext *
test_context_new (void)
{
  GMainContext *ctx = g_main_context_new ();

  g_main_context_push_thread_default (ctx);
  fail_unless (g_main_context_acquire (ctx));
  return ctx;
}

static void
test_context_free (GMainContext *ctx)
{
  /* Let cancelled or finished sources go. */
  while (g_main_context_iteration (ctx, FALSE))
    ;
  g_main_context_release (ctx);
  g_main_context_pop_thread_default (ctx);
  g_main_context_unref (ctx);
}

GST_START_TEST (test_resolve)
{
  GMainContext *ctx = test_context_new ();
  Responder *r = responder_start ();
  RtcIceMdnsResolver *res = rtc_ice_mdns_resolver_new ();
  Lookup l4, l6, bad;
  gchar *s;

  responder_add (r, "v4-name.local",
      answer_bytes ("v4-name.local", "192.0.2.7"), FALSE);
  responder_add (r, "v6-name.local",
      answer_bytes ("V6-NAME.local", "2001:db8::7"), FALSE);
  lookup_start (res, "v4-name.local", NULL, &l4);
  lookup_start (res, "V6-Name.local", NULL, &l6);
  lookup_start (res, "example.com", NULL, &bad);
  fail_unless (lookup_wait (&l4, 2000));
  fail_unless (lookup_wait (&l6, 2000));
  fail_unless (lookup_wait (&bad, 100));
  s = lookup_result (&l4);
  fail_unless_equals_string (s, "192.0.2.7");
  g_free (s);
  s = lookup_result (&l6);
  fail_unless_equals_string (s, "2001:db8::7");
  g_free (s);
  fail_unless (
      g_error_matches (bad.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT));
  g_error_free (bad.error);
  /* Answered at the first transmission: never retransmitted. */
  fail_unless_equals_int (responder_queries (r, "v4-name.local"), 1);
  fail_unless_equals_int (responder_queries (r, "v6-name.local"), 1);

  g_object_unref (res);
  responder_stop (r);
  test_context_free (ctx);
}

GST_END_TEST;

/* A name answered over IPv6 only: the query reaches ff02::fb too, and
 * the unicast answer to it is taken. */
GST_START_TEST (test_resolve_ipv6)
{
  GMainContext *ctx = test_context_new ();
  Responder *r = responder_start ();
  RtcIceMdnsResolver *res = rtc_ice_mdns_resolver_new ();
  Lookup l;
  gchar *s;

  responder_add (r, "v6-only.local",
      answer_bytes ("v6-only.local", "2001:db8::6"), FALSE);
  g_mutex_lock (&r->lock);
  responder_name (r, "v6-only.local")->v6_only = TRUE;
  g_mutex_unlock (&r->lock);
  lookup_start (res, "v6-only.local", NULL, &l);
  fail_unless (lookup_wait (&l, RTC_ICE_MDNS_TIMEOUT_MS));
  s = lookup_result (&l);
  fail_unless_equals_string (s, "2001:db8::6");
  g_free (s);
  g_mutex_lock (&r->lock);
  fail_unless (responder_name (r, "v6-only.local")->queries6 >= 1);
  g_mutex_unlock (&r->lock);

  g_object_unref (res);
  responder_stop (r);
  test_context_free (ctx);
}

GST_END_TEST;

/* No answer: given up after the documented bound, having sent the
 * documented number of queries. */
GST_START_TEST (test_timeout)
{
  GMainContext *ctx = test_context_new ();
  Responder *r = responder_start ();
  RtcIceMdnsResolver *res = rtc_ice_mdns_resolver_new ();
  Lookup l;

  lookup_start (res, "nobody-home.local", NULL, &l);
  fail_unless (lookup_wait (&l, RTC_ICE_MDNS_TIMEOUT_MS + 1000));
  fail_unless (g_error_matches (l.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT),
      "%s", l.error ? l.error->message : "resolved");
  g_error_free (l.error);
  fail_unless (l.elapsed_ms >= RTC_ICE_MDNS_TIMEOUT_MS - 50
          && l.elapsed_ms < RTC_ICE_MDNS_TIMEOUT_MS + RTC_TEST_MS (500),
      "%" G_GINT64_FORMAT, l.elapsed_ms);
  fail_unless_equals_int (responder_queries (r, "nobody-home.local"),
      RTC_ICE_MDNS_TRANSMISSIONS);

  g_object_unref (res);
  responder_stop (r);
  test_context_free (ctx);
}

GST_END_TEST;

/* Lookups of one name share one query; cancelling one leaves the other,
 * answered at the retransmission. */
GST_START_TEST (test_merge_and_cancel)
{
  GMainContext *ctx = test_context_new ();
  Responder *r = responder_start ();
  RtcIceMdnsResolver *res = rtc_ice_mdns_resolver_new ();
  GCancellable *cancel = g_cancellable_new ();
  Lookup a, b, c;
  gchar *s;

  responder_add (r, "shared.local", answer_bytes ("shared.local", "192.0.2.8"),
      FALSE);
  g_mutex_lock (&r->lock);
  responder_name (r, "shared.local")->skip = 1;
  g_mutex_unlock (&r->lock);
  lookup_start (res, "shared.local", cancel, &a);
  lookup_start (res, "SHARED.local", NULL, &b);
  lookup_start (res, "shared.local", NULL, &c);
  g_cancellable_cancel (cancel);
  fail_unless (lookup_wait (&a, 200));
  fail_unless (g_error_matches (a.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_error_free (a.error);
  fail_unless (lookup_wait (&b, 3000));
  fail_unless (lookup_wait (&c, 100));
  s = lookup_result (&b);
  fail_unless_equals_string (s, "192.0.2.8");
  g_free (s);
  s = lookup_result (&c);
  fail_unless_equals_string (s, "192.0.2.8");
  g_free (s);
  fail_unless (b.elapsed_ms >= RTC_ICE_MDNS_RETRANSMIT_MS - 50);
  fail_unless_equals_int (responder_queries (r, "shared.local"), 2);

  /* A lookup cancelled alone stops its query: no more transmissions. */
  g_cancellable_reset (cancel);
  lookup_start (res, "alone.local", cancel, &a);
  g_cancellable_cancel (cancel);
  fail_unless (lookup_wait (&a, 200));
  fail_unless (g_error_matches (a.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_error_free (a.error);
  lookup_start (res, "after.local", NULL, &c);
  iterate_for (RTC_ICE_MDNS_RETRANSMIT_MS + 500);
  fail_if (c.done);
  fail_unless_equals_int (responder_queries (r, "alone.local"), 1);
  fail_unless_equals_int (responder_queries (r, "after.local"), 2);
  fail_unless (lookup_wait (&c, RTC_ICE_MDNS_TIMEOUT_MS));
  g_error_free (c.error);

  g_object_unref (cancel);
  g_object_unref (res);
  responder_stop (r);
  test_context_free (ctx);
}

GST_END_TEST;

static GBytes *
take_bytes (GByteArray *b)
{
  return g_byte_array_free_to_bytes (b);
}

/* Garbage and hostile answers, all naming 10.6.6.6 or worse, come before
 * the one valid answer: only that one is taken. */
GST_START_TEST (test_hostile_responses)
{
  GMainContext *ctx = test_context_new ();
  Responder *r = responder_start ();
  RtcIceMdnsResolver *res = rtc_ice_mdns_resolver_new ();
  const gchar *name = "target.local";
  GByteArray *b;
  GRand *rand = g_rand_new_with_seed (5353);
  Lookup l;
  gchar *s;
  guint i;

  for (i = 0; i < 20; i++) {
    guint len = g_rand_int_range (rand, 1, 1500);
    guint8 *junk = g_malloc (len);

    for (guint j = 0; j < len; j++)
      junk[j] = g_rand_int_range (rand, 0, 256);
    responder_add (r, name, g_bytes_new_take (junk, len), FALSE);
  }
  b = answer (name, "10.6.6.6", 1, 120);
  g_byte_array_set_size (b, b->len - 1);
  responder_add (r, name, take_bytes (b), FALSE);
  b = msg_new (0x8400, 0, 1, 0, 0);
  put16 (b, 0xc00c);
  put_rr_tail (b, 1, 1, 120, (const guint8 *)"\12\6\6\6", 4);
  responder_add (r, name, take_bytes (b), FALSE);
  responder_add (r, name, take_bytes (answer (name, "10.6.6.6", 3, 120)),
      FALSE);
  responder_add (r, name, take_bytes (answer (name, "10.6.6.6", 1, 0)), FALSE);
  responder_add (r, name, answer_bytes ("target.local.evil", "10.6.6.6"),
      FALSE);
  responder_add (r, name, answer_bytes ("other.local", "10.6.6.6"), FALSE);
  responder_add (r, name, answer_bytes (name, "10.6.6.6"), TRUE);
  b = answer (name, "10.6.6.6", 1, 120);
  b->data[2] = 0;
  responder_add (r, name, take_bytes (b), FALSE);
  b = answer (name, "10.6.6.6", 1, 120);
  pad (b, RTC_ICE_MDNS_MAX_MESSAGE + 1);
  responder_add (r, name, take_bytes (b), FALSE);
  responder_add (r, name, answer_bytes (name, "224.0.0.251"), FALSE);
  responder_add (r, name, answer_bytes (name, "255.255.255.255"), FALSE);
  responder_add (r, name, answer_bytes (name, "0.0.0.0"), FALSE);
  responder_add (r, name, answer_bytes (name, "fe80::1"), FALSE);
  responder_add (r, name, answer_bytes (name, "::"), FALSE);
  responder_add (r, name, answer_bytes (name, "192.0.2.9"), FALSE);

  lookup_start (res, name, NULL, &l);
  fail_unless (lookup_wait (&l, 2000));
  s = lookup_result (&l);
  fail_unless_equals_string (s, "192.0.2.9");
  g_free (s);
  fail_unless_equals_int (responder_queries (r, name), 1);

  g_rand_free (rand);
  g_object_unref (res);
  responder_stop (r);
  test_context_free (ctx);
}

GST_END_TEST;

/* ---- transports ---- */

/* Candidate line with its connection address replaced by @name. */
static gchar *
with_address (const gchar *line, const gchar *name)
{
  gchar **f = g_strsplit (line, " ", -1);
  gchar *out;

  fail_unless (g_strv_length (f) >= 8);
  g_free (f[4]);
  f[4] = g_strdup (name);
  out = g_strjoinv (" ", f);
  g_strfreev (f);
  return out;
}

static void
on_failed (GObject *t, GParamSpec *pspec, gboolean *failed)
{
  RtcIceTransportState s;

  g_object_get (t, "state", &s, NULL);
  if (s == RTC_ICE_TRANSPORT_STATE_FAILED)
    *failed = TRUE;
}

/* Sets up @a (controlling) and @b with credentials exchanged and both
 * sides' candidates held: @a's never reach @b, so the only way to
 * connect is for @a to check the candidates the test gives it. */
static void
peers_gather (IcePeer *a, IcePeer *b)
{
  ice_peer_init (a, b, TRUE, RTC_TYPE_ICE_TRANSPORT);
  ice_peer_init (b, a, FALSE, RTC_TYPE_ICE_TRANSPORT);
  a->hold = b->hold = TRUE;
  ice_peer_give_credentials (a, b);
  ice_peer_give_credentials (b, a);
  fail_unless (ice_gather (a));
  fail_unless (ice_gather (b));
  fail_unless (ice_wait (b, ice_gathering_complete, 5000));
  fail_unless (b->held->len > 0);
}

/* B's host candidates reach A only as an mDNS name, announced with
 * end-of-candidates at once: A resolves it, connects over it and data
 * flows. */
GST_START_TEST (test_transport_resolves_local)
{
  const gchar *name = "0b5c3e9a-1d2f-4a6b-8c7d-9e0f1a2b3c4d.local";
  Responder *r = responder_start ();
  RtcIceCandidate *remote = NULL;
  gboolean failed = FALSE;
  GHashTable *ports = g_hash_table_new (NULL, NULL);
  IcePeer a, b;
  guint i;

  responder_add (r, name, answer_bytes (name, "127.0.0.1"), FALSE);
  peers_gather (&a, &b);
  g_signal_connect (a.t, "notify::state", G_CALLBACK (on_failed), &failed);
  for (i = 0; i < b.held->len; i++) {
    const gchar *line = g_ptr_array_index (b.held, i);
    gchar *hidden = with_address (line, name);
    RtcIceCandidate *c = rtc_ice_candidate_parse (line, NULL);

    fail_unless_equals_string (c->address, "127.0.0.1");
    g_hash_table_add (ports, GUINT_TO_POINTER (c->port));
    fail_unless (rtc_ice_transport_add_remote_candidate (a.t, hidden, NULL),
        "%s", hidden);
    rtc_ice_candidate_free (c);
    g_free (hidden);
  }
  rtc_ice_transport_end_of_remote_candidates (a.t);

  fail_unless (ice_wait (&a, ice_is_connected, 5000), "A not connected");
  fail_unless (ice_wait (&b, ice_is_connected, 5000), "B not connected");
  fail_unless (rtc_ice_transport_get_selected_pair (a.t, NULL, &remote));
  fail_unless_equals_string (remote->address, "127.0.0.1");
  /* One of B's host candidates, not a peer-reflexive one learnt from B. */
  fail_unless (g_hash_table_contains (ports, GUINT_TO_POINTER (remote->port)));
  fail_unless (remote->type == RTC_ICE_CANDIDATE_TYPE_HOST);
  g_hash_table_unref (ports);
  rtc_ice_candidate_free (remote);
  ice_packets_exchange (&a, &b, 10, ice_packet_len_max);
  /* Each answered at its first transmission (lookups that overlap share
   * one; later ones ask again). */
  fail_unless (responder_queries (r, name) >= 1);
  fail_unless (responder_queries (r, name) <= b.held->len);
  fail_unless_equals_int (ice_stat (&a, "mdns-unresolved"), 0);
  /* End-of-candidates waited for the name instead of failing A. */
  fail_if (failed);

  g_signal_handlers_disconnect_by_data (a.t, &failed);
  ice_peer_clear (&a);
  ice_peer_clear (&b);
  responder_stop (r);
}

GST_END_TEST;

#define N_FLOOD (RTC_ICE_MDNS_MAX_PENDING + 4)

static gboolean
all_unresolved (IcePeer *p)
{
  return ice_stat (p, "mdns-unresolved") >= N_FLOOD;
}

static guint
responder_names_queried (Responder *r)
{
  GHashTableIter iter;
  FakeName *n;
  guint count = 0;

  g_mutex_lock (&r->lock);
  g_hash_table_iter_init (&iter, r->names);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&n))
    count += n->queries > 0;
  g_mutex_unlock (&r->lock);
  return count;
}

/* An unanswered name beside B's real candidates: A connects over the
 * real ones without waiting for the lookup, which then ends as
 * unresolved, counted, without disturbing the connection. Names beyond
 * the pending limit are dropped and counted without a query. */
GST_START_TEST (test_transport_unresolvable)
{
  const gchar *name = "nobody-home.local";
  Responder *r = responder_start ();
  gint64 start, connected_ms;
  IcePeer a, b;
  guint i;

  peers_gather (&a, &b);
  start = g_get_monotonic_time ();
  fail_unless (rtc_ice_transport_add_remote_candidate (a.t,
      "candidate:9 1 udp 2122260223 nobody-home.local 50000 typ host", NULL));
  /* A peer signalling a flood of names: beyond the limit, they are not
   * looked up at all. */
  for (i = 1; i < N_FLOOD; i++) {
    gchar *line = g_strdup_printf ("candidate:9 1 udp 2122260223 "
                                   "flood-%u.local 50000 typ host",
        i);

    fail_unless (rtc_ice_transport_add_remote_candidate (a.t, line, NULL));
    g_free (line);
  }
  for (i = 0; i < b.held->len; i++)
    fail_unless (rtc_ice_transport_add_remote_candidate (a.t,
        g_ptr_array_index (b.held, i), NULL));
  rtc_ice_transport_end_of_remote_candidates (a.t);
  fail_unless (ice_wait (&a, ice_is_connected, 5000), "A not connected");
  connected_ms = (g_get_monotonic_time () - start) / 1000;
  GST_INFO ("connected in %" G_GINT64_FORMAT " ms", connected_ms);
  /* Only meaningful at full speed: under valgrind connecting itself may
   * take longer than the lookup. */
  if (rtc_test_timeout_scale () == 1)
    fail_unless (connected_ms < RTC_ICE_MDNS_TIMEOUT_MS / 2,
        "connecting took %" G_GINT64_FORMAT " ms", connected_ms);
  ice_packets_exchange (&a, &b, 10, ice_packet_len_max);

  fail_unless (ice_wait (&a, all_unresolved, RTC_ICE_MDNS_TIMEOUT_MS + 2000));
  fail_unless_equals_int (ice_stat (&a, "mdns-unresolved"), N_FLOOD);
  fail_unless_equals_int (responder_queries (r, name),
      RTC_ICE_MDNS_TRANSMISSIONS);
  fail_unless_equals_int (responder_names_queried (r),
      RTC_ICE_MDNS_MAX_PENDING);
  fail_unless (ice_is_connected (&a));

  ice_peer_clear (&a);
  ice_peer_clear (&b);
  responder_stop (r);
}

GST_END_TEST;

static guint
wait_queries (Responder *r, const gchar *name, guint n)
{
  gint64 deadline = g_get_monotonic_time () + RTC_TEST_MS (2000) * 1000;

  while (responder_queries (r, name) < n && g_get_monotonic_time () < deadline)
    g_usleep (2000);
  return responder_queries (r, name);
}

/* Closing (or dropping) a transport during a lookup cancels it: no more
 * queries, the transport is finalized, nothing leaks (checked under
 * valgrind and ASan). */
GST_START_TEST (test_close_during_lookup)
{
  Responder *r = responder_start ();
  RtcIceTransport *closed = rtc_ice_transport_new ();
  RtcIceTransport *dropped = rtc_ice_transport_new ();
  gpointer closed_ptr = closed, dropped_ptr = dropped;

  g_object_add_weak_pointer (G_OBJECT (closed), &closed_ptr);
  g_object_add_weak_pointer (G_OBJECT (dropped), &dropped_ptr);
  fail_unless (rtc_ice_transport_add_remote_candidate (closed,
      "candidate:1 1 udp 2122260223 closed-1.local 5000 typ host", NULL));
  fail_unless (rtc_ice_transport_add_remote_candidate (dropped,
      "candidate:1 1 udp 2122260223 dropped-1.local 5000 typ host", NULL));
  fail_unless_equals_int (wait_queries (r, "closed-1.local", 1), 1);
  fail_unless_equals_int (wait_queries (r, "dropped-1.local", 1), 1);

  rtc_ice_transport_close (closed);
  g_object_unref (closed);
  g_object_unref (dropped);
  /* Past every retransmission the lookups would have made. */
  g_usleep ((RTC_ICE_MDNS_TIMEOUT_MS + 500) * 1000);
  fail_unless_equals_int (responder_queries (r, "closed-1.local"), 1);
  fail_unless_equals_int (responder_queries (r, "dropped-1.local"), 1);
  {
    gint64 deadline = g_get_monotonic_time () + RTC_TEST_MS (2000) * 1000;

    while ((closed_ptr || dropped_ptr) && g_get_monotonic_time () < deadline)
      g_usleep (2000);
  }
  fail_if (closed_ptr, "closed transport not finalized");
  fail_if (dropped_ptr, "dropped transport not finalized");
  responder_stop (r);
}

GST_END_TEST;

static Suite *
ice_mdns_suite (void)
{
  Suite *s = suite_create ("ice-mdns");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_parse_valid);
  tcase_add_test (tc, test_parse_hostile);
  tcase_add_test (tc, test_parse_fuzz);
  tcase_add_test (tc, test_resolve);
  tcase_add_test (tc, test_resolve_ipv6);
  tcase_add_test (tc, test_timeout);
  tcase_add_test (tc, test_merge_and_cancel);
  tcase_add_test (tc, test_hostile_responses);
  tcase_add_test (tc, test_transport_resolves_local);
  tcase_add_test (tc, test_transport_unresolvable);
  tcase_add_test (tc, test_close_during_lookup);
  return s;
}

static void
run (const gchar *cmd)
{
  gchar *out = NULL, *err = NULL;
  gint status = -1;
  gchar **argv = g_strsplit (cmd, " ", -1);

  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
          &err, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", cmd, err ? err : "");
  g_free (out);
  g_free (err);
  g_strfreev (argv);
}

int
main (int argc, char **argv)
{
  FILE *dad;

  /* A network namespace of our own, before any thread exists (namespaces
   * are per thread): loopback up, carrying IPv4 multicast, with the mDNS
   * group routed to it from 127.0.0.1. Tests run as root (or as root of a
   * user namespace, see scripts/netns-run.sh). */
  if (unshare (CLONE_NEWNET) != 0)
    g_error ("unshare(CLONE_NEWNET): %s", g_strerror (errno));
  run ("ip link set lo up multicast on");
  run ("ip route add 224.0.0.0/4 dev lo src 127.0.0.1");
  /* IPv6: link-local addresses at once, without duplicate detection. */
  dad = fopen ("/proc/sys/net/ipv6/conf/default/accept_dad", "w");
  if (!dad || fputs ("0", dad) < 0 || fclose (dad) != 0)
    g_error ("cannot turn duplicate address detection off");
  run ("ip link add " VETH_QUERIER " type veth peer name " VETH_RESPONDER);
  run ("ip link set " VETH_QUERIER " up");
  run ("ip link set " VETH_RESPONDER " up");

  g_setenv ("GST_REGISTRY_UPDATE", "no", TRUE);
  gst_check_init (&argc, &argv);
  return rtc_check_run_suite (ice_mdns_suite (), "ice_mdns", __FILE__);
}
