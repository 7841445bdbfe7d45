/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Helpers shared by the test programs.
 */
#pragma once

#include <glib.h>
#include <stdlib.h>

/* Waits in tests are bounded; under valgrind everything runs many times
 * slower, so its test setup stretches them with RTC_TEST_TIMEOUT_SCALE. */
static inline guint
rtc_test_timeout_scale (void)
{
  const gchar *s = g_getenv ("RTC_TEST_TIMEOUT_SCALE");

  return s && atoi (s) > 0 ? (guint)atoi (s) : 1;
}

/* A test timeout in milliseconds, scaled. */
#define RTC_TEST_MS(ms) ((guint64)(ms)*rtc_test_timeout_scale ())

/* Polls @cond every millisecond until it holds or @ms (scaled) pass. */
static inline gboolean
rtc_test_wait_until (gboolean (*cond) (gpointer), gpointer data, guint ms)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;

  while (!cond (data)) {
    if (g_get_monotonic_time () > end)
      return FALSE;
    g_usleep (1000);
  }
  return TRUE;
}

/* Polls @count (of @data) every millisecond until it reaches @n or @ms
 * (scaled) pass. */
static inline gboolean
rtc_test_wait_count (guint (*count) (gpointer), gpointer data, guint n,
    guint ms)
{
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000;

  while (count (data) < n) {
    if (g_get_monotonic_time () > end)
      return FALSE;
    g_usleep (1000);
  }
  return TRUE;
}
