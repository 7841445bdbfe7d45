/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * How every test program runs its suite. libcheck writes its results to
 * a pipe, fully buffered, and libgstcheck calls gst_deinit() at exit,
 * which waits for every streaming thread: after a check failed in no-fork
 * mode (valgrind runs) the failed test's pipelines still run, so the
 * program would wait there until its harness killed it, and the buffered
 * results saying what failed would be lost with it.
 */
#pragma once

#include <gst/check/gstcheck.h>
#include <stdio.h>
#include <unistd.h>

static inline int
rtc_check_run_suite (Suite *suite, const gchar *name, const gchar *file)
{
  int failed;

  setvbuf (stdout, NULL, _IOLBF, 0);
  failed = gst_check_run_suite (suite, name, file);
  if (failed > 0) {
    fflush (stdout);
    fflush (stderr);
    _exit (1);
  }
  return 0;
}

#define RTC_CHECK_MAIN(name) \
  int main (int argc, char **argv) \
  { \
    gst_check_init (&argc, &argv); \
    return rtc_check_run_suite (name##_suite (), #name, __FILE__); \
  }
