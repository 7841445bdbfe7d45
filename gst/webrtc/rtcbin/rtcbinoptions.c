/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * create-offer reads `ice-restart` (boolean), the one option webrtcbin
 * 1.22 reads; create-answer reads none (webrtcbin neither). Other fields
 * are ignored, as webrtcbin does, so that options written for it keep
 * working; a known field of the wrong type is an error rather than a
 * silent default.
 */
#include "rtcbinoptions.h"

#include <gst/rtc/rtc.h>

GST_DEBUG_CATEGORY_STATIC (rtc_bin_options_debug);
#define GST_CAT_DEFAULT rtc_bin_options_debug

static void
debug_init (void)
{
  static gsize done;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (rtc_bin_options_debug, "rtcbinoptions", 0,
        "rtcbin offer/answer options");
    g_once_init_leave (&done, 1);
  }
}

static gboolean
log_ignored (GQuark field, const GValue *value, gpointer user_data)
{
  const gchar *const *known = user_data;

  if (!known || !g_strv_contains (known, g_quark_to_string (field)))
    GST_INFO ("%s option %s is not used", known ? "offer" : "answer",
        g_quark_to_string (field));
  return TRUE;
}

/**
 * rtc_bin_offer_options_parse:
 * @options: (nullable): the create-offer options
 * @out: the options read, defaults for those absent
 * @error: a %GST_RTC_ERROR_TYPE_ERROR naming a field of the wrong type
 *
 * Returns: %FALSE with @error set if a known field has the wrong type
 */
gboolean
rtc_bin_offer_options_parse (const GstStructure *options,
    RtcBinOfferOptions *out, GError **error)
{
  static const gchar *const known[] = { "ice-restart", NULL };
  const GValue *v;

  debug_init ();
  out->ice_restart = FALSE;
  if (!options)
    return TRUE;
  gst_structure_foreach (options, log_ignored, (gpointer)known);
  v = gst_structure_get_value (options, "ice-restart");
  if (v) {
    if (!G_VALUE_HOLDS_BOOLEAN (v)) {
      g_set_error (error, GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR,
          "create-offer: option ice-restart must be a boolean, not %s",
          G_VALUE_TYPE_NAME (v));
      return FALSE;
    }
    out->ice_restart = g_value_get_boolean (v);
  }
  return TRUE;
}

/**
 * rtc_bin_answer_options_parse:
 * @options: (nullable): the create-answer options
 * @error: unused: every field is ignored
 *
 * Returns: %TRUE
 */
gboolean
rtc_bin_answer_options_parse (const GstStructure *options, GError **error)
{
  debug_init ();
  if (options)
    gst_structure_foreach (options, log_ignored, NULL);
  return TRUE;
}
