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
#include "rtctestutil.h"
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

/* libnice sends a consent check every 4 to 6 s (RFC 7675 5 s ± 20 %). */
#define RTC_NFT_CONSENT_INTERVAL_MIN_MS 4000
#define RTC_NFT_CONSENT_INTERVAL_MAX_MS 6000

/* The consent counters of rtc_nft_count_consent(): answers to A's consent
 * checks (B to A), B's consent checks (B to A) and the answers to them (A
 * to B). */
static inline void
rtc_nft_consent_counters (const gchar *table, guint64 values[3])
{
  const gchar *names[] = { "a_answers", "b_requests", "b_answers" };

  rtc_nft_counters (table, names, values, 3);
}

/* Counts, in @table, the consent traffic between A on @a_port and B on
 * @b_port (see rtc_nft_consent_counters()). */
static inline void
rtc_nft_count_consent (const gchar *table, guint a_port, guint b_port)
{
  rtc_nft_count_stun (table, "a_answers", b_port, a_port, 0x0101);
  rtc_nft_count_stun (table, "b_requests", b_port, a_port, 0x0001);
  rtc_nft_count_stun (table, "b_answers", a_port, b_port, 0x0101);
}

/* The shortest window a silence needs for a transport to say
 * `disconnected`: its 2 s silence bound and two 100 ms ticks. */
#define RTC_NFT_NOTICE_WINDOW_MS 2200
/* Margin for removing the rules and a late poll. */
#define RTC_NFT_MARGIN_MS 200
/* How far apart the two sides' consent checks may be for such a window to
 * fit after both and before either side's next. */
#define RTC_NFT_LULL_SLACK_MS \
  (RTC_NFT_CONSENT_INTERVAL_MIN_MS - RTC_NFT_MARGIN_MS \
      - RTC_NFT_NOTICE_WINDOW_MS)
/* How long a test may wait for such a lull. libnice draws each side's
 * interval on its own, so the two sides' checks drift apart and back like
 * a random walk: in 50 000 simulated runs of 4-6 s intervals from a common
 * start, no lull within 1.6 s came in 25 s in 0.8 % of them, in 60 s in
 * 0.04 %. Not scaled: the checks keep libnice's times under sanitizers. */
#define RTC_NFT_LULL_WAIT_MS 60000

/* Polls @table's consent counters until A's consent check was answered and
 * B sent one, within RTC_NFT_LULL_SLACK_MS of each other, the older at most
 * that long ago; fails the test at @deadline (monotonic, us). Returns the
 * time a silence must end by (RTC_NFT_MARGIN_MS before the earliest time
 * either side can send its next check, counted from the poll before the
 * older check was seen), so that the silence loses no check. */
static inline gint64
rtc_nft_wait_consent_lull (const gchar *table, gint64 deadline)
{
  guint64 v[3], prev[3];
  gint64 at[2] = { 0, 0 }, polled, now;
  guint i;

  rtc_nft_consent_counters (table, prev);
  polled = g_get_monotonic_time ();
  for (;;) {
    g_usleep (5000);
    rtc_nft_consent_counters (table, v);
    now = g_get_monotonic_time ();
    for (i = 0; i < 2; i++)
      if (v[i] != prev[i])
        at[i] = polled;
    memcpy (prev, v, sizeof (v));
    polled = now;
    if (at[0] && at[1]
        && now - MIN (at[0], at[1]) <= RTC_NFT_LULL_SLACK_MS * 1000)
      return MIN (at[0], at[1])
          + (RTC_NFT_CONSENT_INTERVAL_MIN_MS - RTC_NFT_MARGIN_MS) * 1000;
    fail_unless (now < deadline, "no lull between consent checks");
  }
}

/* Waits until each side's next consent check is answered: consent is fresh
 * again on both, and no expiry caused by an earlier silence can come any
 * more. */
static inline void
rtc_nft_wait_consent_answered (const gchar *table)
{
  guint64 before[3], now[3];
  gint64 end = g_get_monotonic_time ()
      + RTC_TEST_MS (RTC_NFT_CONSENT_INTERVAL_MAX_MS + 1000) * 1000;

  rtc_nft_consent_counters (table, before);
  do {
    fail_unless (g_get_monotonic_time () < end, "no consent answer");
    g_usleep (10000);
    rtc_nft_consent_counters (table, now);
  } while (now[0] == before[0] || now[2] == before[2]);
}
