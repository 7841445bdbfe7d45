/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * H.264 offer/answer (RFC 6184 8.1, 8.2.2): profile-level-id decoding
 * into a profile and a level, the profile and packetization-mode match,
 * and the level an answer states.
 */
#include "rtcjsepcodec.h"

#include <string.h>

/* RFC 6184 8.1 profile-level-id: profile_idc, profile-iop (the
 * constraint_set flags), level_idc. The profile is recognised from
 * profile_idc and the constraint flags, as H.264 Annex A defines them;
 * anything else is refused so that it never matches. */
gboolean
rtc_jsep_h264_parse_profile_level_id (const gchar *str,
    RtcJsepH264Profile *profile, guint *level_idc, gboolean *level_1b)
{
  static const struct {
    guint8 idc;
    guint8 mask;
    guint8 value;
    RtcJsepH264Profile profile;
  } table[] = {
    /* mask/value over profile-iop; the low 4 bits must be zero. */
    { 0x42, 0x4f, 0x40, RTC_JSEP_H264_CONSTRAINED_BASELINE },
    { 0x4d, 0x8f, 0x80, RTC_JSEP_H264_CONSTRAINED_BASELINE },
    { 0x58, 0xcf, 0xc0, RTC_JSEP_H264_CONSTRAINED_BASELINE },
    { 0x42, 0x4f, 0x00, RTC_JSEP_H264_BASELINE },
    { 0x58, 0xcf, 0x80, RTC_JSEP_H264_BASELINE },
    { 0x4d, 0xaf, 0x00, RTC_JSEP_H264_MAIN },
    { 0x64, 0xff, 0x00, RTC_JSEP_H264_HIGH },
    { 0x64, 0xff, 0x0c, RTC_JSEP_H264_CONSTRAINED_HIGH },
    { 0xf4, 0xff, 0x00, RTC_JSEP_H264_PREDICTIVE_HIGH_444 },
  };
  guint8 idc, iop, level;
  gchar *end;
  guint64 v;
  guint i;

  if (!str || strlen (str) != 6 || !g_ascii_isxdigit (str[0]))
    return FALSE;
  v = g_ascii_strtoull (str, &end, 16);
  if (*end)
    return FALSE;
  idc = v >> 16;
  iop = (v >> 8) & 0xff;
  level = v & 0xff;
  for (i = 0; i < G_N_ELEMENTS (table); i++) {
    if (table[i].idc == idc && (iop & table[i].mask) == table[i].value)
      break;
  }
  if (i == G_N_ELEMENTS (table) || level == 0)
    return FALSE;
  *profile = table[i].profile;
  /* Level 1b: level_idc 11 with constraint_set3 in the Baseline, Main
   * and Extended profiles (H.264 A.3.1), or level_idc 9. */
  *level_1b = level == 9
      || (level == 11 && (iop & 0x10)
          && (idc == 0x42 || idc == 0x4d || idc == 0x58));
  *level_idc = level == 9 ? 11 : level;
  return TRUE;
}

/* Levels in decoding-capability order: 1b sits between 1 and 1.1. */
static guint
level_rank (guint level_idc, gboolean level_1b)
{
  if (level_1b)
    return 10 * 2 + 1;
  return level_idc * 2;
}

static gboolean
h264_asymmetry (const RtcJsepCodec *c)
{
  return !g_strcmp0 (rtc_jsep_codec_get_fmtp (c, "level-asymmetry-allowed"),
      "1");
}

/* The peer's profile bytes with the agreed level, so that the peer
 * recognises its own profile. Level 1b is level_idc 9 in the High
 * profiles and 11 with constraint_set3 (0x10) in the others. */
static gchar *
h264_profile_level_id (const gchar *remote, guint level, gboolean level_1b)
{
  guint64 v = g_ascii_strtoull (remote, NULL, 16);
  guint idc = v >> 16, iop = (v >> 8) & 0xff;
  gboolean high = idc == 0x64 || idc == 0xf4;

  if (level_1b && high) {
    level = 9;
  } else if (level_1b) {
    level = 11;
    iop |= 0x10;
  } else if (!high) {
    iop &= ~0x10;
  }
  return g_strdup_printf ("%02x%02x%02x", idc, iop, level);
}

/* RFC 6184 8.2.2: equal profiles and packetization modes are one
 * configuration; the level is then agreed on separately. A parameter
 * our caps leave out accepts what the peer offers. On a match, sets the
 * profile-level-id and packetization-mode of @answer's fmtp and drops
 * the peer's in-band parameter sets from it. */
gboolean
rtc_jsep_h264_match (const RtcJsepCodec *local, const RtcJsepCodec *remote,
    RtcJsepCodec *answer)
{
  const gchar *lpm = rtc_jsep_codec_get_fmtp (local, "packetization-mode");
  const gchar *rpm = rtc_jsep_codec_get_fmtp (remote, "packetization-mode");
  const gchar *lplid = rtc_jsep_codec_get_fmtp (local, "profile-level-id");
  const gchar *rplid = rtc_jsep_codec_get_fmtp (remote, "profile-level-id");
  RtcJsepH264Profile lp, rp;
  guint ll, rl, level;
  gboolean l1b, r1b, b1;
  gchar *plid;

  if (g_strcmp0 (rpm ? rpm : "0", lpm ? lpm : (rpm ? rpm : "0")) != 0)
    return FALSE;
  /* RFC 6184 8.1: absent profile-level-id means 42000A. */
  if (!rtc_jsep_h264_parse_profile_level_id (rplid ? rplid : "42000a", &rp, &rl,
          &r1b))
    return FALSE;
  if (!lplid) {
    lp = rp;
    ll = rl;
    l1b = r1b;
  } else if (!rtc_jsep_h264_parse_profile_level_id (lplid, &lp, &ll, &l1b)) {
    return FALSE;
  }
  if (lp != rp)
    return FALSE;

  /* Both allow asymmetry: we announce the level we can receive.
   * Otherwise both directions use the lower one. */
  if (h264_asymmetry (local) && h264_asymmetry (remote)) {
    level = ll;
    b1 = l1b;
  } else if (level_rank (ll, l1b) <= level_rank (rl, r1b)) {
    level = ll;
    b1 = l1b;
  } else {
    level = rl;
    b1 = r1b;
  }
  plid = h264_profile_level_id (rplid ? rplid : "42000a", level, b1);
  gst_structure_set (answer->fmtp, "profile-level-id", G_TYPE_STRING, plid,
      "packetization-mode", G_TYPE_STRING, rpm ? rpm : "0", NULL);
  gst_structure_remove_field (answer->fmtp, "sprop-parameter-sets");
  g_free (plid);
  return TRUE;
}
