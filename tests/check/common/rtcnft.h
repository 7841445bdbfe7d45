/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * nftables rules for tests that silence a peer on loopback. The rules must
 * never reach the host's firewall: rtc_nft_assert_private_netns() accepts
 * only a namespace whose one interface is loopback (scripts/netns-run.sh).
 * Tables are named by the caller, so tests running at once in the same
 * namespace do not touch each other's. Needs CAP_NET_ADMIN in the
 * namespace (netns-run.sh gives it) and libnftables.
 */
#pragma once

#include <gst/check/gstcheck.h>
#include <net/if.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <string.h>

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

/* Runs @rules (nft syntax) in-process through libnftables, failing the
 * test if they fail; with @output, what nft printed. In-process, a change
 * takes effect within a millisecond or so, where spawning nft took from
 * 100 ms to over half a second on a loaded machine, too long for the
 * silences between consent checks. */
static inline gchar *
rtc_nft_run (const gchar *rules, gboolean output)
{
  struct nft_ctx *ctx;
  gchar *out = NULL;

  rtc_nft_assert_private_netns ();
  ctx = nft_ctx_new (NFT_CTX_DEFAULT);
  fail_unless (ctx != NULL);
  fail_unless (nft_ctx_buffer_output (ctx) == 0);
  fail_unless (nft_ctx_buffer_error (ctx) == 0);
  fail_unless (nft_run_cmd_from_buffer (ctx, rules) == 0, "nft failed: %s\n%s",
      nft_ctx_get_error_buffer (ctx), rules);
  if (output)
    out = g_strdup (nft_ctx_get_output_buffer (ctx));
  nft_ctx_free (ctx);
  return out;
}

static inline void
rtc_nft (const gchar *rules)
{
  rtc_nft_run (rules, FALSE);
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
 * are Binding requests. Read with rtc_nft_counters(). */
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

/* Reads the @n counters named @names of @table. */
static inline void
rtc_nft_counters (const gchar *table, const gchar **names, guint64 *values,
    guint n)
{
  gchar *cmd = g_strdup_printf ("list table inet %s", table);
  gchar *out = rtc_nft_run (cmd, TRUE);
  guint i;

  fail_unless (out != NULL);
  for (i = 0; i < n; i++) {
    gchar *head = g_strdup_printf ("counter %s {", names[i]);
    const gchar *at = strstr (out, head);

    at = at ? strstr (at, "packets ") : NULL;
    fail_unless (at
            && sscanf (at, "packets %" G_GUINT64_FORMAT, &values[i]) == 1,
        "no counter %s in\n%s", names[i], out);
    g_free (head);
  }
  g_free (out);
  g_free (cmd);
}

static inline void
rtc_nft_delete_table (const gchar *table)
{
  gchar *rules = g_strdup_printf ("delete table inet %s\n", table);

  rtc_nft (rules);
  g_free (rules);
}
