/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>

#include "dtls/gstrtcdtlssrtpdec.h"
#include "dtls/gstrtcdtlssrtpenc.h"
#include "dtls/rtcdtlserror.h"
#include "ice/gstrtcicesink.h"
#include "ice/gstrtcicesrc.h"
#include "rtcbin/gstrtcbin.h"
#include "sctp/gstrtcsctpdec.h"
#include "sctp/gstrtcsctpenc.h"

static gboolean
plugin_init (GstPlugin *plugin)
{
  gboolean ret = FALSE;

  /* Before anything else touches OpenSSL: see rtc_dtls_openssl_init(). */
  rtc_dtls_openssl_init ();
  ret |= GST_ELEMENT_REGISTER (rtcdtlssrtpenc, plugin);
  ret |= GST_ELEMENT_REGISTER (rtcdtlssrtpdec, plugin);
  ret |= GST_ELEMENT_REGISTER (rtcicesrc, plugin);
  ret |= GST_ELEMENT_REGISTER (rtcicesink, plugin);
  ret |= GST_ELEMENT_REGISTER (rtcbin, plugin);
  ret |= GST_ELEMENT_REGISTER (rtcsctpenc, plugin);
  ret |= GST_ELEMENT_REGISTER (rtcsctpdec, plugin);
  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, rtcwebrtc,
    "WebRTC endpoint: session element and its transports", plugin_init, VERSION,
    GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
