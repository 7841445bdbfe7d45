/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/rtc/rtc_fwd.h>

/**
 * gst_rtc_error_quark:
 *
 * Returns: the #GQuark of the #GST_RTC_ERROR domain.
 */
GQuark
gst_rtc_error_quark (void)
{
  return g_quark_from_static_string ("gst-rtc-error-quark");
}
