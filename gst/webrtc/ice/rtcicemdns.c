/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * A one-shot Multicast DNS querier (RFC 6762 5.1) for the `.local` names
 * that browsers put in host candidates instead of their addresses.
 *
 * Queries ask for A and AAAA in one message, with the QU bit, from an
 * ephemeral port (not 5353): responders then answer by unicast to that
 * port (RFC 6762 5.4 and 6.7), so no socket joins a multicast group or
 * shares port 5353 with the host's own responder. They go to 224.0.0.251
 * and, where the host has IPv6, ff02::fb, through the interface the
 * routing table picks for those groups.
 *
 * Everything runs on the GMainContext that was thread-default when the
 * resolver was created, without blocking: sockets are non-blocking and
 * watched by GSources. Sockets exist only while lookups are pending.
 * Concurrent lookups of one name share one query. Responses come from
 * anyone on the link, so the parser takes nothing on trust: a malformed,
 * truncated or oversized message, compression loops, wrong classes or
 * names are ignored, never followed.
 */
#include "rtcicemdns.h"
#include "rtcicecandidate.h"

#include <gst/gst.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (rtc_ice_mdns_debug);
#define GST_CAT_DEFAULT rtc_ice_mdns_debug

#define MDNS_PORT 5353
#define MDNS_GROUP_V4 "224.0.0.251"
#define MDNS_GROUP_V6 "ff02::fb"
#define DNS_HEADER_LEN 12
#define DNS_TYPE_A 1
#define DNS_TYPE_AAAA 28
#define DNS_CLASS_IN 1
/* Top bit of the class: "unicast response" in questions (QU), "cache
 * flush" in records. */
#define DNS_CLASS_TOP_BIT 0x8000
#define DNS_MAX_NAME 255
/* Compression pointers followed per name: real names need one or two;
 * the cap keeps a message of pointer chains from costing more than a few
 * thousand steps. */
#define DNS_MAX_JUMPS 16
/* Datagrams read per wake-up, so that a flood cannot starve the thread. */
#define MAX_READS_PER_DISPATCH 32

/* ---- wire format ---- */

static void
record_free (gpointer data)
{
  RtcIceMdnsRecord *r = data;

  g_free (r->name);
  g_object_unref (r->address);
  g_free (r);
}

static guint16
get16 (const guint8 *p)
{
  return (guint16)((p[0] << 8) | p[1]);
}

/* Reads the (possibly compressed) name at *pos into @out as lower-case
 * dotted text and moves *pos past it. *plain is cleared if a label holds
 * anything but letters, digits and hyphens: such a name can be no name we
 * asked for, and a '.' inside a label must not pass for a separator.
 * Compression pointers must point strictly before both the name and the
 * previous jump (so no loop), and at most DNS_MAX_JUMPS are followed. */
static gboolean
read_name (const guint8 *msg, gsize len, gsize *pos,
    gchar out[DNS_MAX_NAME + 1], gboolean *plain)
{
  gsize p = *pos, limit = *pos, n = 0;
  guint jumps = 0;

  *plain = TRUE;
  for (;;) {
    guint8 l;

    if (p >= len)
      return FALSE;
    l = msg[p];
    if ((l & 0xc0) == 0xc0) {
      gsize target;

      if (p + 1 >= len)
        return FALSE;
      target = ((gsize)(l & 0x3f) << 8) | msg[p + 1];
      if (target >= limit || ++jumps > DNS_MAX_JUMPS)
        return FALSE;
      if (jumps == 1)
        *pos = p + 2;
      limit = target;
      p = target;
      continue;
    }
    /* 0x40 and 0x80 label types are reserved (RFC 6891). */
    if (l & 0xc0)
      return FALSE;
    if (l == 0)
      break;
    if (p + 1 + l > len || n + l + 1 > DNS_MAX_NAME)
      return FALSE;
    if (n > 0)
      out[n++] = '.';
    for (gsize i = 0; i < l; i++) {
      gchar c = (gchar)msg[p + 1 + i];

      if (!g_ascii_isalnum (c) && c != '-')
        *plain = FALSE;
      out[n++] = g_ascii_tolower (c);
    }
    p += 1 + l;
  }
  out[n] = '\0';
  if (jumps == 0)
    *pos = p + 1;
  return TRUE;
}

/**
 * rtc_ice_mdns_parse_response:
 * @msg: (array length=len): a received DNS message
 * @len: its length
 *
 * Extracts the address records of a Multicast DNS response: A and AAAA
 * records of class IN with a non-zero TTL, in any section, whose owner
 * name is plain (letters, digits, hyphens). Other records are skipped. A
 * message that is not a response, has a non-zero opcode or rcode, is
 * longer than %RTC_ICE_MDNS_MAX_MESSAGE or is malformed anywhere
 * (truncated, bad compression, wrong record length) gives nothing.
 *
 * Returns: (transfer full) (nullable) (element-type RtcIceMdnsRecord): the
 *   records, possibly none, or %NULL if the message is to be ignored
 */
GPtrArray *
rtc_ice_mdns_parse_response (const guint8 *msg, gsize len)
{
  g_autoptr (GPtrArray) records = NULL;
  gchar name[DNS_MAX_NAME + 1];
  guint qdcount, rrcount, i;
  gboolean plain;
  guint16 flags;
  gsize pos = DNS_HEADER_LEN;

  if (len < DNS_HEADER_LEN || len > RTC_ICE_MDNS_MAX_MESSAGE)
    return NULL;
  flags = get16 (msg + 2);
  /* QR set, opcode 0 (RFC 6762 18.3), rcode 0 (18.11). */
  if (!(flags & 0x8000) || (flags & 0x7800) || (flags & 0x000f))
    return NULL;
  qdcount = get16 (msg + 4);
  rrcount = (guint)get16 (msg + 6) + get16 (msg + 8) + get16 (msg + 10);

  for (i = 0; i < qdcount; i++) {
    if (!read_name (msg, len, &pos, name, &plain) || pos + 4 > len)
      return NULL;
    pos += 4;
  }

  records = g_ptr_array_new_with_free_func (record_free);
  for (i = 0; i < rrcount; i++) {
    guint16 type, klass, rdlen;
    guint32 ttl;
    GInetAddress *addr = NULL;

    if (!read_name (msg, len, &pos, name, &plain) || pos + 10 > len)
      return NULL;
    type = get16 (msg + pos);
    klass = get16 (msg + pos + 2) & ~DNS_CLASS_TOP_BIT;
    ttl = ((guint32)get16 (msg + pos + 4) << 16) | get16 (msg + pos + 6);
    rdlen = get16 (msg + pos + 8);
    pos += 10;
    if (pos + rdlen > len)
      return NULL;
    if (type == DNS_TYPE_A && klass == DNS_CLASS_IN) {
      if (rdlen != 4)
        return NULL;
      addr = g_inet_address_new_from_bytes (msg + pos, G_SOCKET_FAMILY_IPV4);
    } else if (type == DNS_TYPE_AAAA && klass == DNS_CLASS_IN) {
      if (rdlen != 16)
        return NULL;
      addr = g_inet_address_new_from_bytes (msg + pos, G_SOCKET_FAMILY_IPV6);
    }
    pos += rdlen;
    /* TTL 0 is a goodbye: the name no longer has that address. */
    if (addr && plain && ttl > 0) {
      RtcIceMdnsRecord *r = g_new0 (RtcIceMdnsRecord, 1);

      r->name = g_strdup (name);
      r->address = g_steal_pointer (&addr);
      g_ptr_array_add (records, r);
    }
    g_clear_object (&addr);
  }
  return g_steal_pointer (&records);
}

static void
put16 (GByteArray *b, guint16 v)
{
  guint8 x[2] = { v >> 8, v & 0xff };

  g_byte_array_append (b, x, 2);
}

/**
 * rtc_ice_mdns_build_query:
 * @name: a name accepted by rtc_ice_is_mdns_name()
 *
 * Builds a one-shot query for the A and AAAA records of @name, both
 * questions with the QU bit set, ID 0 (RFC 6762 18.1).
 *
 * Returns: (transfer full): the message
 */
GBytes *
rtc_ice_mdns_build_query (const gchar *name)
{
  GByteArray *b = g_byte_array_sized_new (DNS_HEADER_LEN + 270);
  g_auto (GStrv) labels = NULL;
  guint i;

  g_return_val_if_fail (rtc_ice_is_mdns_name (name), NULL);
  put16 (b, 0);
  put16 (b, 0);
  put16 (b, 2);
  put16 (b, 0);
  put16 (b, 0);
  put16 (b, 0);
  labels = g_strsplit (name, ".", -1);
  for (i = 0; labels[i]; i++) {
    guint8 l = (guint8)strlen (labels[i]);

    g_byte_array_append (b, &l, 1);
    g_byte_array_append (b, (const guint8 *)labels[i], l);
  }
  g_byte_array_append (b, (const guint8 *)"", 1);
  put16 (b, DNS_TYPE_A);
  put16 (b, DNS_CLASS_TOP_BIT | DNS_CLASS_IN);
  /* The second question names the first by a pointer to offset 12. */
  put16 (b, 0xc000 | DNS_HEADER_LEN);
  put16 (b, DNS_TYPE_AAAA);
  put16 (b, DNS_CLASS_TOP_BIT | DNS_CLASS_IN);
  return g_byte_array_free_to_bytes (b);
}

/* ---- resolver ---- */

typedef struct {
  RtcIceMdnsResolver *resolver;
  gchar *name; /* lower case */
  GBytes *message;
  GList *tasks; /* GTask, each holding a reference */
  GSource *timer;
  guint sent;
} Query;

/* Task data: what a cancelled task needs to leave its query. */
typedef struct {
  gchar *name;
  GSource *cancel_source;
} Waiter;

struct _RtcIceMdnsResolver {
  GObject parent;

  GMainContext *context;
  /* IPv4 and IPv6; NULL while idle or where the family is unavailable. */
  GSocket *sockets[2];
  GSource *sources[2];
  GSocketAddress *groups[2];
  GHashTable *queries; /* name -> Query */
};

G_DEFINE_TYPE_WITH_CODE (RtcIceMdnsResolver, rtc_ice_mdns_resolver,
    G_TYPE_OBJECT,
    GST_DEBUG_CATEGORY_INIT (rtc_ice_mdns_debug, "rtcicemdns", 0,
        "ICE mDNS resolver"));

static void
waiter_free (gpointer data)
{
  Waiter *w = data;

  if (w->cancel_source) {
    g_source_destroy (w->cancel_source);
    g_source_unref (w->cancel_source);
  }
  g_free (w->name);
  g_free (w);
}

static void
query_free (gpointer data)
{
  Query *q = data;

  /* Only freed once its tasks were returned. */
  g_assert (q->tasks == NULL);
  if (q->timer) {
    g_source_destroy (q->timer);
    g_source_unref (q->timer);
  }
  g_bytes_unref (q->message);
  g_free (q->name);
  g_free (q);
}

static void
close_sockets (RtcIceMdnsResolver *self)
{
  for (guint i = 0; i < 2; i++) {
    if (self->sources[i]) {
      g_source_destroy (self->sources[i]);
      g_clear_pointer (&self->sources[i], g_source_unref);
    }
    if (self->sockets[i]) {
      g_socket_close (self->sockets[i], NULL);
      g_clear_object (&self->sockets[i]);
    }
  }
}

/* Detaches the waiter's cancellation watch and returns the task. */
static void
return_task (GTask *task, GInetAddress *addr, GError *error)
{
  Waiter *w = g_task_get_task_data (task);

  if (w->cancel_source) {
    g_source_destroy (w->cancel_source);
    g_clear_pointer (&w->cancel_source, g_source_unref);
  }
  if (addr)
    g_task_return_pointer (task, g_object_ref (addr), g_object_unref);
  else
    g_task_return_error (task, g_error_copy (error));
  g_object_unref (task);
}

/* Ends @q: removed first, as a task's callback may start a new lookup. */
static void
finish_query (RtcIceMdnsResolver *self, Query *q, GInetAddress *addr,
    GError *error)
{
  GList *tasks = g_steal_pointer (&q->tasks);

  g_hash_table_remove (self->queries, q->name);
  if (g_hash_table_size (self->queries) == 0)
    close_sockets (self);
  g_object_ref (self);
  for (GList *l = tasks; l; l = l->next)
    return_task (l->data, addr, error);
  g_list_free (tasks);
  g_object_unref (self);
}

/* A hostile answer could steer connectivity checks to a broadcast or
 * multicast group; a link-local IPv6 address is useless without the zone
 * it belongs to. */
static gboolean
is_usable_address (GInetAddress *addr)
{
  gboolean v4 = g_inet_address_get_family (addr) == G_SOCKET_FAMILY_IPV4;

  if (g_inet_address_get_is_any (addr) || g_inet_address_get_is_multicast (addr)
      || (!v4 && g_inet_address_get_is_link_local (addr)))
    return FALSE;
  if (v4) {
    const guint8 *b = g_inet_address_to_bytes (addr);

    return !(b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255);
  }
  return TRUE;
}

static void
handle_datagram (RtcIceMdnsResolver *self, const guint8 *buf, gsize len,
    GSocketAddress *from)
{
  g_autoptr (GPtrArray) records = NULL;
  guint16 port = 0;

  if (G_IS_INET_SOCKET_ADDRESS (from))
    port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (from));
  /* RFC 6762 6: responses not from port 5353 are silently ignored. */
  if (port != MDNS_PORT) {
    GST_DEBUG_OBJECT (self, "ignoring datagram from port %u", port);
    return;
  }
  records = rtc_ice_mdns_parse_response (buf, len);
  if (!records) {
    GST_DEBUG_OBJECT (self,
        "ignoring malformed response of %" G_GSIZE_FORMAT " bytes", len);
    return;
  }
  for (guint i = 0; i < records->len; i++) {
    RtcIceMdnsRecord *r = g_ptr_array_index (records, i);
    Query *q = g_hash_table_lookup (self->queries, r->name);
    gchar *s;

    if (!q)
      continue;
    s = g_inet_address_to_string (r->address);
    if (is_usable_address (r->address)) {
      GST_DEBUG_OBJECT (self, "%s is %s", r->name, s);
      finish_query (self, q, r->address, NULL);
    } else {
      GST_DEBUG_OBJECT (self, "ignoring unusable address %s for %s", s,
          r->name);
    }
    g_free (s);
  }
}

static gboolean
on_socket_readable (GSocket *socket, GIOCondition condition, gpointer data)
{
  RtcIceMdnsResolver *self = data;
  /* One byte more than the largest message, to see oversized ones. */
  guint8 buf[RTC_ICE_MDNS_MAX_MESSAGE + 1];

  for (guint i = 0; i < MAX_READS_PER_DISPATCH; i++) {
    GSocketAddress *from = NULL;
    GError *error = NULL;
    gssize n;

    n = g_socket_receive_from (socket, &from, (gchar *)buf, sizeof (buf), NULL,
        &error);
    if (n < 0) {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        GST_DEBUG_OBJECT (self, "receive: %s", error->message);
      g_error_free (error);
      break;
    }
    if ((gsize)n > RTC_ICE_MDNS_MAX_MESSAGE)
      GST_DEBUG_OBJECT (self, "ignoring oversized datagram");
    else
      handle_datagram (self, buf, (gsize)n, from);
    g_clear_object (&from);
    /* The last pending lookup may have been answered. */
    if (!self->sockets[0] && !self->sockets[1])
      break;
  }
  return G_SOURCE_CONTINUE;
}

static GSocket *
open_socket (RtcIceMdnsResolver *self, GSocketFamily family)
{
  g_autoptr (GSocketAddress) any = NULL;
  g_autoptr (GInetAddress) any_addr = g_inet_address_new_any (family);
  GError *error = NULL;
  GSocket *sock;

  sock = g_socket_new (family, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP,
      &error);
  any = g_inet_socket_address_new (any_addr, 0);
  if (sock && g_socket_bind (sock, any, FALSE, &error)) {
    g_socket_set_blocking (sock, FALSE);
    /* RFC 6762 11: sent with IP TTL 255. */
    g_socket_set_multicast_ttl (sock, 255);
    /* Responders on this very host answer too. */
    g_socket_set_multicast_loopback (sock, TRUE);
    return sock;
  }
  GST_DEBUG_OBJECT (self, "no IPv%d socket: %s",
      family == G_SOCKET_FAMILY_IPV4 ? 4 : 6, error->message);
  g_error_free (error);
  g_clear_object (&sock);
  return NULL;
}

static gboolean
open_sockets (RtcIceMdnsResolver *self)
{
  static const GSocketFamily families[] = { G_SOCKET_FAMILY_IPV4,
    G_SOCKET_FAMILY_IPV6 };

  for (guint i = 0; i < 2; i++) {
    if (self->sockets[i])
      continue;
    self->sockets[i] = open_socket (self, families[i]);
    if (!self->sockets[i])
      continue;
    self->sources[i] = g_socket_create_source (self->sockets[i], G_IO_IN, NULL);
    g_source_set_callback (self->sources[i], (GSourceFunc)on_socket_readable,
        self, NULL);
    g_source_attach (self->sources[i], self->context);
  }
  return self->sockets[0] || self->sockets[1];
}

static void
send_query (RtcIceMdnsResolver *self, Query *q)
{
  gsize len;
  const gchar *data = g_bytes_get_data (q->message, &len);

  q->sent++;
  GST_DEBUG_OBJECT (self, "query %u for %s", q->sent, q->name);
  for (guint i = 0; i < 2; i++) {
    GError *error = NULL;

    if (!self->sockets[i])
      continue;
    /* A family without a route to its group fails here; the other may
     * still be answered. */
    if (g_socket_send_to (self->sockets[i], self->groups[i], data, len, NULL,
            &error)
        < 0) {
      GST_DEBUG_OBJECT (self, "sending to IPv%d group: %s", i == 0 ? 4 : 6,
          error->message);
      g_error_free (error);
    }
  }
}

static gboolean
on_query_timer (gpointer data)
{
  Query *q = data;
  RtcIceMdnsResolver *self = q->resolver;
  GError *error;

  if (q->sent < RTC_ICE_MDNS_TRANSMISSIONS) {
    send_query (self, q);
    return G_SOURCE_CONTINUE;
  }
  GST_DEBUG_OBJECT (self, "no answer for %s", q->name);
  error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
      "No mDNS answer for %s within %d ms", q->name, RTC_ICE_MDNS_TIMEOUT_MS);
  finish_query (self, q, NULL, error);
  g_error_free (error);
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled (GCancellable *cancellable, gpointer data)
{
  GTask *task = data;
  RtcIceMdnsResolver *self = g_task_get_source_object (task);
  Waiter *w = g_task_get_task_data (task);
  Query *q = g_hash_table_lookup (self->queries, w->name);
  GError *error;

  GST_DEBUG_OBJECT (self, "lookup of %s cancelled", w->name);
  g_object_ref (self);
  q->tasks = g_list_remove (q->tasks, task);
  if (!q->tasks) {
    g_hash_table_remove (self->queries, w->name);
    if (g_hash_table_size (self->queries) == 0)
      close_sockets (self);
  }
  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
      "mDNS lookup cancelled");
  return_task (task, NULL, error);
  g_error_free (error);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/**
 * rtc_ice_mdns_resolver_new:
 *
 * Creates a resolver bound to the thread-default main context: it must be
 * used from that context's thread only, and completes lookups there.
 *
 * Returns: (transfer full): a new resolver
 */
RtcIceMdnsResolver *
rtc_ice_mdns_resolver_new (void)
{
  return g_object_new (RTC_TYPE_ICE_MDNS_RESOLVER, NULL);
}

/**
 * rtc_ice_mdns_resolver_lookup_async:
 * @self: a resolver
 * @name: an mDNS name such as `1f4712db-ea17-4bcf-a596-105139dfd8bf.local`
 * @cancellable: (nullable): cancels this lookup only
 * @callback: called with the result, in the resolver's context
 * @user_data: passed to @callback
 *
 * Resolves @name to an address: the first usable A or AAAA record
 * answered, within %RTC_ICE_MDNS_TIMEOUT_MS. Lookups of a name already
 * being resolved join that query.
 */
void
rtc_ice_mdns_resolver_lookup_async (RtcIceMdnsResolver *self, const gchar *name,
    GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  Waiter *w;
  Query *q;

  g_return_if_fail (RTC_IS_ICE_MDNS_RESOLVER (self));
  g_return_if_fail (g_main_context_is_owner (self->context));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rtc_ice_mdns_resolver_lookup_async);
  if (!name || !rtc_ice_is_mdns_name (name)) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "\"%s\" is not an mDNS name", name ? name : "(null)");
    g_object_unref (task);
    return;
  }
  if (g_task_return_error_if_cancelled (task)) {
    g_object_unref (task);
    return;
  }
  w = g_new0 (Waiter, 1);
  w->name = g_ascii_strdown (name, -1);
  g_task_set_task_data (task, w, waiter_free);

  q = g_hash_table_lookup (self->queries, w->name);
  if (!q) {
    if (!open_sockets (self)) {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
          "No socket to send mDNS queries from");
      g_object_unref (task);
      return;
    }
    q = g_new0 (Query, 1);
    q->resolver = self;
    q->name = g_strdup (w->name);
    q->message = rtc_ice_mdns_build_query (q->name);
    g_hash_table_insert (self->queries, q->name, q);
    send_query (self, q);
    q->timer = g_timeout_source_new (RTC_ICE_MDNS_RETRANSMIT_MS);
    g_source_set_callback (q->timer, on_query_timer, q, NULL);
    g_source_attach (q->timer, self->context);
  } else {
    GST_DEBUG_OBJECT (self, "joining the pending query for %s", q->name);
  }
  q->tasks = g_list_append (q->tasks, task);
  if (cancellable) {
    w->cancel_source = g_cancellable_source_new (cancellable);
    g_source_set_callback (w->cancel_source, (GSourceFunc)on_cancelled, task,
        NULL);
    g_source_attach (w->cancel_source, self->context);
  }
}

/**
 * rtc_ice_mdns_resolver_lookup_finish:
 * @self: a resolver
 * @result: the result given to the callback
 * @error: return location for a #GError: %G_IO_ERROR_TIMED_OUT without
 *   answer, %G_IO_ERROR_CANCELLED, %G_IO_ERROR_INVALID_ARGUMENT for a
 *   name that is not an mDNS name
 *
 * Returns: (transfer full) (nullable): the address, or %NULL on error
 */
GInetAddress *
rtc_ice_mdns_resolver_lookup_finish (RtcIceMdnsResolver *self,
    GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
rtc_ice_mdns_resolver_init (RtcIceMdnsResolver *self)
{
  GInetAddress *group;

  self->context = g_main_context_ref_thread_default ();
  self->queries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
      query_free);
  group = g_inet_address_new_from_string (MDNS_GROUP_V4);
  self->groups[0] = g_inet_socket_address_new (group, MDNS_PORT);
  g_object_unref (group);
  group = g_inet_address_new_from_string (MDNS_GROUP_V6);
  self->groups[1] = g_inet_socket_address_new (group, MDNS_PORT);
  g_object_unref (group);
}

static void
rtc_ice_mdns_resolver_finalize (GObject *object)
{
  RtcIceMdnsResolver *self = RTC_ICE_MDNS_RESOLVER (object);

  /* Pending tasks hold the resolver: none is left. */
  g_hash_table_unref (self->queries);
  close_sockets (self);
  g_object_unref (self->groups[0]);
  g_object_unref (self->groups[1]);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (rtc_ice_mdns_resolver_parent_class)->finalize (object);
}

static void
rtc_ice_mdns_resolver_class_init (RtcIceMdnsResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rtc_ice_mdns_resolver_finalize;
}
