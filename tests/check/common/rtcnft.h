/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * nftables rules for tests that silence a peer on loopback. The rules must
 * never reach the host's firewall: rtc_nft_assert_private_netns() accepts
 * only a namespace whose one interface is loopback (scripts/netns-run.sh).
 * Tables are named by the caller, so tests running at once in the same
 * namespace do not touch each other's.
 */
#pragma once

#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static inline void
rtc_nft_assert_private_netns (void)
{
  struct if_nameindex *ifs = if_nameindex (), *i;

  fail_unless (ifs != NULL);
  for (i = ifs; i->if_index; i++)
    fail_unless (g_str_equal (i->if_name, "lo"),
        "interface %s: run inside scripts/netns-run.sh", i->if_name);
  if_freenameindex (ifs);
}

/* Runs `nft -f` on @rules, failing the test if nft does. */
static inline void
rtc_nft (const gchar *rules)
{
  gchar *path = NULL, *out = NULL, *err = NULL;
  const gchar *argv[] = { "nft", "-f", NULL, NULL };
  gint fd, status = -1;
  GError *error = NULL;

  rtc_nft_assert_private_netns ();
  fd = g_file_open_tmp ("rtc-nft-XXXXXX.nft", &path, &error);
  fail_unless (fd >= 0, "%s", error ? error->message : "");
  close (fd);
  fail_unless (g_file_set_contents (path, rules, -1, NULL));
  argv[2] = path;
  fail_unless (g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH,
                   NULL, NULL, &out, &err, &status, &error),
      "nft: %s", error ? error->message : "");
  fail_unless (g_spawn_check_wait_status (status, NULL), "nft failed: %s\n%s",
      err, rules);
  g_unlink (path);
  g_free (path);
  g_free (out);
  g_free (err);
}

/* Drops UDP from port @from to port @to (loopback: both ends are ours);
 * with @both_ways also the reverse. */
static inline void
rtc_nft_drop_udp (const gchar *table, guint from, guint to, gboolean both_ways)
{
  gchar *reverse = both_ways
      ? g_strdup_printf ("    udp sport %u udp dport %u drop\n", to, from)
      : g_strdup ("");
  gchar *rules = g_strdup_printf ("table inet %s {\n"
                                  "  chain input {\n"
                                  "    type filter hook input priority 0;\n"
                                  "    udp sport %u udp dport %u drop\n"
                                  "%s"
                                  "  }\n"
                                  "}\n",
      table, from, to, reverse);

  rtc_nft (rules);
  g_free (rules);
  g_free (reverse);
}

/* Counts, in counter @name of @table, the STUN messages of @type (0x0001
 * a Binding request, 0x0101 its success response: the first two bytes
 * after the 8-byte UDP header) from port @from to port @to; consent checks
 * are Binding requests. Read with rtc_nft_counter(). */
static inline void
rtc_nft_count_stun (const gchar *table, const gchar *name, guint from, guint to,
    guint type)
{
  gchar *rules = g_strdup_printf ("add table inet %s\n"
                                  "add counter inet %s %s\n"
                                  "add chain inet %s input { type filter "
                                  "hook input priority -10; }\n"
                                  "add rule inet %s input udp sport %u "
                                  "udp dport %u @th,64,16 0x%04x "
                                  "counter name %s\n",
      table, table, name, table, table, from, to, type, name);

  rtc_nft (rules);
  g_free (rules);
}

static inline guint64
rtc_nft_counter (const gchar *table, const gchar *name)
{
  gchar *out = NULL;
  const gchar *argv[] = { "nft", "list", "counter", "inet", table, name, NULL };
  const gchar *at;
  guint64 n = 0;

  fail_unless (g_spawn_sync (NULL, (gchar **)argv, NULL,
      G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
      NULL, NULL));
  at = out ? strstr (out, "packets ") : NULL;
  fail_unless (at && sscanf (at, "packets %" G_GUINT64_FORMAT, &n) == 1);
  g_free (out);
  return n;
}

static inline void
rtc_nft_delete_table (const gchar *table)
{
  gchar *rules = g_strdup_printf ("delete table inet %s\n", table);

  rtc_nft (rules);
  g_free (rules);
}
