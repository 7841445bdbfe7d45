/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

/**
 * GST_RTC_API:
 *
 * Marks a symbol as part of libgstrtc's public API. The library is built
 * with hidden visibility, so only symbols carrying this are exported.
 */
#ifndef GST_RTC_API
#ifdef BUILDING_GST_RTC
#define GST_RTC_API GST_API_EXPORT
#else
#define GST_RTC_API GST_API_IMPORT
#endif
#endif
