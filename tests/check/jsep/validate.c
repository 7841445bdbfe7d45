/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Validation of remote descriptions: every rule with its message, and a
 * mutation fuzz over browser-shaped and self-made descriptions.
 */
#include "jseptestutil.h"
#include "../common/rtctestutil.h"
#include "../common/rtccheckmain.h"

static void
check_valid (const gchar *text, GstRtcSDPType type, const gchar *offer_text)
{
  GstSDPMessage *msg = test_parse (text);
  GstSDPMessage *offer = offer_text ? test_parse (offer_text) : NULL;
  GError *error = NULL;

  fail_unless (rtc_jsep_validate (msg, type, offer, &error), "%s",
      error ? error->message : "");
  gst_sdp_message_free (msg);
  if (offer)
    gst_sdp_message_free (offer);
}

GST_START_TEST (test_validate_browsers)
{
  check_valid (chrome_offer, GST_RTC_SDP_TYPE_OFFER, NULL);
  check_valid (firefox_offer, GST_RTC_SDP_TYPE_OFFER, NULL);
}

GST_END_TEST;

typedef struct {
  const gchar *from;
  const gchar *to;
  GstRtcError code;
  const gchar *message;
} Mutation;

#define SYNTAX GST_RTC_ERROR_SDP_SYNTAX_ERROR
#define FP_LINE "a=fingerprint:" TEST_FP_REMOTE "\r\n"

/* One rule per row: a change to the Chrome offer and the error it must
 * give. */
static const Mutation offer_errors[] = {
  { "a=ice-ufrag:Xk3p\r\n", "", SYNTAX, "m-line 0 (mid 0) has no a=ice-ufrag" },
  { "a=ice-ufrag:Xk3p", "a=ice-ufrag:Xk", SYNTAX,
      "m-line 0 (mid 0): invalid a=ice-ufrag 'Xk' (4 to 256 ice-chars)" },
  { "a=ice-ufrag:Xk3p", "a=ice-ufrag:Xk3p;", SYNTAX,
      "m-line 0 (mid 0): invalid a=ice-ufrag 'Xk3p;' (4 to 256 ice-chars)" },
  { "a=ice-pwd:Q9sFv2kLm8NpR4tYw6zB1cD7\r\n", "", SYNTAX,
      "m-line 0 (mid 0) has no a=ice-pwd" },
  { "a=ice-pwd:Q9sFv2kLm8NpR4tYw6zB1cD7", "a=ice-pwd:short", SYNTAX,
      "m-line 0 (mid 0): invalid a=ice-pwd (22 to 256 ice-chars)" },
  { FP_LINE, "", SYNTAX, "m-line 0 (mid 0) has no a=fingerprint" },
  { "a=fingerprint:sha-256 3B:8C", "a=fingerprint:sha-256 3B:8C:", SYNTAX,
      "m-line 0 (mid 0): malformed a=fingerprint 'sha-256 3B:8C::1E:55:0A:9D:"
      "44:71:6F:02:B8:E3:19:C4:7A:50:D6:2E:93:81:0F:6B:A7:35:C2:48:E9:1D:76:"
      "04:BF:5A'" },
  { "a=fingerprint:sha-256", "a=fingerprint:sha-1", SYNTAX,
      "m-line 0 (mid 0): malformed a=fingerprint 'sha-1 "
      "3B:8C:1E:55:0A:9D:"
      "44:71:6F:02:B8:E3:19:C4:7A:50:D6:2E:93:81:0F:6B:A7:35:C2:48:E9:1D:76:"
      "04:BF:5A'" },
  { "a=fingerprint:sha-256", "a=fingerprint:md5", SYNTAX,
      "m-line 0 (mid 0): malformed a=fingerprint 'md5 3B:8C:1E:55:0A:9D:"
      "44:71:6F:02:B8:E3:19:C4:7A:50:D6:2E:93:81:0F:6B:A7:35:C2:48:E9:1D:76:"
      "04:BF:5A'" },
  { "a=fingerprint:sha-256 3B", "a=fingerprint:sha-256 3G", SYNTAX,
      "m-line 0 (mid 0): malformed a=fingerprint 'sha-256 3G:8C:1E:55:0A:9D:"
      "44:71:6F:02:B8:E3:19:C4:7A:50:D6:2E:93:81:0F:6B:A7:35:C2:48:E9:1D:76:"
      "04:BF:5A'" },
  { "a=setup:actpass", "a=setup:holdconn", SYNTAX,
      "m-line 0 (mid 0): bad a=setup value 'holdconn'" },
  { "a=setup:actpass\r\n", "", SYNTAX, "m-line 0 (mid 0) has no a=setup" },
  { "a=mid:1", "a=mid:0", SYNTAX, "Duplicate mid '0' (m-lines 0 and 1)" },
  { "a=mid:1\r\n", "", SYNTAX, "BUNDLE group references unknown mid '1'" },
  { "a=mid:0", "a=mid:a b", SYNTAX,
      "m-line 0: invalid mid 'a b' (1 to 32 token characters)" },
  { "a=mid:0", "a=mid:", SYNTAX,
      "m-line 0: invalid mid '' (1 to 32 token characters)" },
  { "a=mid:0", "a=mid:0123456789012345678901234567890123", SYNTAX,
      "m-line 0: invalid mid '0123456789012345678901234567890123' (1 to 32 "
      "token characters)" },
  { "SAVPF 111 63", "SAVPF 111 abc", SYNTAX,
      "m-line 0 (mid 0): m-line payload type 'abc' is not a number from 0 to "
      "127" },
  { "SAVPF 111 63", "SAVPF 111 200", SYNTAX,
      "m-line 0 (mid 0): m-line payload type '200' is not a number from 0 to "
      "127" },
  { "SAVPF 111 63", "SAVPF 111 111", SYNTAX,
      "m-line 0 (mid 0): Payload type 111 is listed twice" },
  { "SAVPF 111 63", "SAVPF 111 72", SYNTAX,
      "m-line 0 (mid 0): payload type 72 collides with RTCP packet types "
      "under rtcp-mux (RFC 5761)" },
  { "SAVPF 111 63", "SAVPF 111 120", SYNTAX,
      "m-line 0 (mid 0): dynamic payload type 120 has no a=rtpmap" },
  { "a=rtpmap:111 opus/48000/2", "a=rtpmap:111 opus", SYNTAX,
      "m-line 0 (mid 0): Malformed a=rtpmap:111 opus" },
  { "a=rtpmap:111 opus/48000/2", "a=rtpmap:111 opus/0/2", SYNTAX,
      "m-line 0 (mid 0): Malformed a=rtpmap:111 opus/0/2" },
  { "a=rtpmap:111 opus/48000/2", "a=rtpmap:111 op us/48000/2", SYNTAX,
      "m-line 0 (mid 0): Malformed a=rtpmap:111 op us/48000/2" },
  { "a=rtcp-mux\r\n", "", SYNTAX,
      "m-line 0 (mid 0) lacks a=rtcp-mux, which WebRTC requires" },
  { "m=audio 49203 UDP/TLS/RTP/SAVPF", "m=audio 49203 RTP/AVP", SYNTAX,
      "m-line 0 (mid 0): unsupported protocol RTP/AVP (WebRTC media is "
      "UDP/TLS/RTP/SAVPF)" },
  { "BUNDLE 0 1 2", "BUNDLE 0 1 2 7", SYNTAX,
      "BUNDLE group references unknown mid '7'" },
  { "a=group:BUNDLE 0 1 2", "a=group:BUNDLE 0 1\r\na=group:BUNDLE 2 1", SYNTAX,
      "mid '1' is in two BUNDLE groups" },
  { "a=group:BUNDLE 0 1 2", "a=group:BUNDLE", SYNTAX, "Empty BUNDLE group" },
  { "a=extmap:1 urn", "a=extmap:0 urn", SYNTAX,
      "m-line 0: invalid a=extmap:0 urn:ietf:params:rtp-hdrext:"
      "ssrc-audio-level (id 1-14 or 16-255 and a URI)" },
  { "a=extmap:1 urn", "a=extmap:15 urn", SYNTAX,
      "m-line 0: invalid a=extmap:15 urn:ietf:params:rtp-hdrext:"
      "ssrc-audio-level (id 1-14 or 16-255 and a URI)" },
  { "a=extmap:1 urn", "a=extmap:2 urn", SYNTAX,
      "m-line 0: extmap id 2 is used twice" },
  { "a=extmap:14 urn", "a=extmap:1 urn", SYNTAX,
      "m-line 1: extmap id 1 means urn:ietf:params:rtp-hdrext:toffset here "
      "but urn:ietf:params:rtp-hdrext:ssrc-audio-level in another m-line of "
      "its BUNDLE group" },
  { "a=ssrc:1001 cname", "a=ssrc:x1001 cname", SYNTAX,
      "m-line 0: invalid a=ssrc:x1001 cname:chromecname" },
  { "a=ssrc:1001 cname", "a=ssrc:4294967296 cname", SYNTAX,
      "m-line 0: invalid a=ssrc:4294967296 cname:chromecname" },
  { "a=ssrc-group:FID 2001 2002", "a=ssrc-group:FID 2001", SYNTAX,
      "m-line 1: invalid a=ssrc-group:FID 2001" },
  { "a=sctp-port:5000", "a=sctp-port:70000", SYNTAX,
      "m-line 2 (mid 2): invalid a=sctp-port:70000" },
  { "a=max-message-size:262144", "a=max-message-size:-1", SYNTAX,
      "m-line 2 (mid 2): invalid a=max-message-size:-1" },
  { "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
      "m=application 9 UDP/DTLS/SCTP", SYNTAX, "m-line 2 has no format" },
};

static void
check_error (const gchar *text, GstRtcSDPType type, const gchar *offer_text,
    GstRtcError code, const gchar *message)
{
  GstSDPMessage *msg = test_parse (text);
  GstSDPMessage *offer = offer_text ? test_parse (offer_text) : NULL;
  GError *error = NULL;

  fail_if (rtc_jsep_validate (msg, type, offer, &error), "accepted: %s",
      message);
  fail_unless (error != NULL);
  fail_unless (error->domain == GST_RTC_ERROR);
  fail_unless_equals_string (error->message, message);
  fail_unless_equals_int (error->code, code);
  g_error_free (error);
  gst_sdp_message_free (msg);
  if (offer)
    gst_sdp_message_free (offer);
}

GST_START_TEST (test_validate_offer_errors)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (offer_errors); i++) {
    const Mutation *m = &offer_errors[i];
    gchar *text = test_replace (chrome_offer, m->from, m->to);

    check_error (text, GST_RTC_SDP_TYPE_OFFER, NULL, m->code, m->message);
    g_free (text);
  }

  /* Without BUNDLE, an accepted m-line still needs its mid. */
  {
    gchar *t1 = test_replace (chrome_offer, "a=group:BUNDLE 0 1 2\r\n", "");
    gchar *t2 = test_replace (t1, "a=mid:1\r\n", "");
    check_error (t2, GST_RTC_SDP_TYPE_OFFER, NULL, SYNTAX,
        "m-line 1 has no a=mid");
    g_free (t1);
    g_free (t2);
  }
}

GST_END_TEST;

GST_START_TEST (test_validate_bundle_pt_collision)
{
  /* 111 is Opus in the audio m-line and VP8 in the bundled video one. */
  gchar *t1 = test_replace (chrome_offer, "SAVPF 96 97 102",
      "SAVPF 111 96 97 102");
  gchar *t2 = test_replace (t1, "a=rtpmap:96 VP8/90000",
      "a=rtpmap:111 VP8/90000\r\na=rtpmap:96 VP8/90000");
  gchar *t3;

  check_error (t2, GST_RTC_SDP_TYPE_OFFER, NULL, SYNTAX,
      "Payload type 111 is OPUS/48000 in mid 0 but VP8/90000 in mid 1 of the "
      "same BUNDLE group");
  /* Out of the BUNDLE group the same types are fine. */
  t3 = test_replace (t2, "BUNDLE 0 1 2", "BUNDLE 0 2");
  check_valid (t3, GST_RTC_SDP_TYPE_OFFER, NULL);
  g_free (t1);
  g_free (t2);
  g_free (t3);
}

GST_END_TEST;

/* Descriptions made by the core itself, for the answer rules. */
static void
make_pair (gchar **offer_text, gchar **answer_text)
{
  RtcJsepSession *a = test_session (), *b = test_session ();
  GstSDPMessage *offer, *answer;

  rtc_jsep_session_add_transceiver (a, GST_RTC_KIND_AUDIO,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY, NULL);
  rtc_jsep_session_add_transceiver (a, GST_RTC_KIND_VIDEO,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, NULL);
  a->bundle_policy = GST_RTC_BUNDLE_POLICY_MAX_COMPAT;
  offer = rtc_jsep_create_offer (a, NULL, NULL, NULL);
  answer = rtc_jsep_create_answer (b, offer, NULL);
  fail_unless (offer && answer);
  *offer_text = gst_sdp_message_as_text (offer);
  *answer_text = gst_sdp_message_as_text (answer);
  gst_sdp_message_free (offer);
  gst_sdp_message_free (answer);
  rtc_jsep_session_free (a);
  rtc_jsep_session_free (b);
}

#define MODIF GST_RTC_ERROR_INVALID_MODIFICATION

GST_START_TEST (test_validate_answer_errors)
{
  gchar *offer, *answer, *t, *t2, *cut;

  make_pair (&offer, &answer);
  check_valid (answer, GST_RTC_SDP_TYPE_ANSWER, offer);
  check_valid (answer, GST_RTC_SDP_TYPE_PRANSWER, offer);

  t = test_replace (answer, "a=setup:active", "a=setup:actpass");
  check_error (t, GST_RTC_SDP_TYPE_ANSWER, offer, SYNTAX,
      "m-line 0 (mid 0): an answer cannot use a=setup:actpass");
  g_free (t);

  /* Drop the video m-line. */
  cut = g_strdup (answer);
  *strstr (cut, "m=video") = '\0';
  t = test_replace (cut, "BUNDLE 0 1", "BUNDLE 0");
  check_error (t, GST_RTC_SDP_TYPE_ANSWER, offer, MODIF,
      "The answer has 1 m-lines but the offer has 2");
  g_free (t);
  g_free (cut);

  t = test_replace (answer, "m=video", "m=audio");
  check_error (t, GST_RTC_SDP_TYPE_ANSWER, offer, MODIF,
      "Answer m-line 1 is audio but the offer's is video");
  g_free (t);

  t = test_replace (answer, "a=mid:1", "a=mid:7");
  t2 = test_replace (t, "BUNDLE 0 1", "BUNDLE 0 7");
  check_error (t2, GST_RTC_SDP_TYPE_ANSWER, offer, MODIF,
      "Answer m-line 1 has mid '7' but the offer's is '1'");
  g_free (t);
  g_free (t2);

  /* The offer sends audio only: the answer cannot send it. */
  t = test_replace (answer, "a=recvonly", "a=sendrecv");
  check_error (t, GST_RTC_SDP_TYPE_ANSWER, offer, MODIF,
      "Answer direction sendrecv on m-line 0 does not fit the offered "
      "sendonly");
  g_free (t);

  t = test_replace (answer, "UDP/TLS/RTP/SAVPF 97", "UDP/TLS/RTP/SAVPF 120 97");
  t2 = test_replace (t, "a=rtpmap:97",
      "a=rtpmap:120 VP8/90000\r\n"
      "a=rtpmap:97");
  check_error (t2, GST_RTC_SDP_TYPE_ANSWER, offer, MODIF,
      "Answer m-line 1 uses payload type 120, which the offer did not have");
  g_free (t);
  g_free (t2);

  /* The answer accepts an m-line the offer rejected. */
  t = test_replace (offer, "m=video 9", "m=video 0");
  t2 = test_replace (t, "BUNDLE 0 1", "BUNDLE 0");
  check_error (answer, GST_RTC_SDP_TYPE_ANSWER, t2, MODIF,
      "The answer accepts m-line 1, which the offer rejected");
  g_free (t);
  g_free (t2);

  /* The offer did not bundle the two. */
  t = test_replace (offer, "a=group:BUNDLE 0 1",
      "a=group:BUNDLE 0\r\n"
      "a=group:BUNDLE 1");
  check_error (answer, GST_RTC_SDP_TYPE_ANSWER, t, MODIF,
      "The answer bundles mid '1', which the offer did not offer in that "
      "BUNDLE group");
  g_free (t);

  g_free (offer);
  g_free (answer);
}

GST_END_TEST;

static void
parse_error (const gchar *text, gssize len, const gchar *message)
{
  GError *error = NULL;

  fail_unless (rtc_jsep_parse_sdp (text, len, &error) == NULL);
  fail_unless (g_error_matches (error, GST_RTC_ERROR, SYNTAX));
  fail_unless_equals_string (error->message, message);
  g_error_free (error);
}

GST_START_TEST (test_validate_sizes)
{
  GString *big = g_string_new ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n"
                               "t=0 0\r\n");
  gchar *text;
  guint i;

  parse_error (NULL, -1, "No SDP text");
  parse_error ("v=0\r\0o=- 1", 10, "SDP contains a NUL byte");
  parse_error ("v=0\r\ns=\xff\r\n", -1, "SDP is not valid UTF-8");
  parse_error ("hello", -1, "SDP does not start with a v= line");
  parse_error ("v=1\r\n", -1, "SDP version is not 0");
  text = g_strnfill (RTC_JSEP_MAX_SDP_SIZE + 1, 'a');
  parse_error (text, -1,
      "SDP of 262145 bytes is larger than the 262144 "
      "allowed");
  g_free (text);

  for (i = 0; i < RTC_JSEP_MAX_MEDIA + 1; i++)
    g_string_append (big, "m=audio 0 UDP/TLS/RTP/SAVPF 0\r\n");
  check_error (big->str, GST_RTC_SDP_TYPE_OFFER, NULL, SYNTAX,
      "Too many m-lines (129, at most 128)");
  g_string_truncate (big, strstr (big->str, "m=") - big->str);
  g_string_append (big, "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n");
  for (i = 0; i < RTC_JSEP_MAX_ATTRIBUTES + 1; i++)
    g_string_append (big, "a=x\r\n");
  check_error (big->str, GST_RTC_SDP_TYPE_OFFER, NULL, SYNTAX,
      "m-line 0 has too many attributes (1025)");
  g_string_free (big, TRUE);

  /* More SSRCs than any real sender: 2 + 64 in the video m-line. */
  big = g_string_new (NULL);
  for (i = 0; i < RTC_JSEP_MAX_SSRCS; i++)
    g_string_append_printf (big, "a=ssrc:%u cname:x\r\n", 5000 + i);
  g_string_append (big, "m=application");
  text = test_replace (chrome_offer, "m=application", big->str);
  check_error (text, GST_RTC_SDP_TYPE_OFFER, NULL, SYNTAX,
      "m-line 1 announces more than 64 SSRCs");
  g_free (text);
  g_string_free (big, TRUE);

  /* Wrong arguments. */
  {
    GError *error = NULL;
    GstSDPMessage *msg = test_parse (chrome_offer);
    fail_if (rtc_jsep_validate (NULL, GST_RTC_SDP_TYPE_OFFER, NULL, &error));
    fail_unless (
        g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR));
    g_clear_error (&error);
    fail_if (rtc_jsep_validate (msg, GST_RTC_SDP_TYPE_ROLLBACK, NULL, &error));
    fail_unless_equals_string (error->message,
        "Cannot validate an SDP of type 4");
    g_clear_error (&error);
    gst_sdp_message_free (msg);
  }
}

GST_END_TEST;

/* Mutation fuzz: lines of valid descriptions deleted, duplicated,
 * swapped, truncated, or with a token replaced by a hostile value. Each
 * result must parse or fail with an error, validate or fail with an
 * error, and, when valid, be answered; and that answer must pass our own
 * validation and negotiation. Seeded, so a failure reproduces; bounded
 * in time, since sanitizers slow it down tenfold or more. */
static const gchar *const hostile[] = {
  "0",
  "-1",
  "65535",
  "65536",
  "4294967296",
  "127",
  "128",
  "64",
  "",
  " ",
  ":",
  "/",
  "*",
  "a=",
  "m=",
  "BUNDLE",
  "actpass",
  "active",
  "passive",
  "sendonly",
  "recvonly",
  "inactive",
  "99999999999999999999999",
  "apt=96",
  "apt=999",
  "profile-level-id=zzzzzz",
  "webrtc-datachannel",
  "UDP/DTLS/SCTP",
  "rtx/90000",
  "H264/90000",
  "opus/48000/2",
  "\xc3\xa9",
  "0-15",
  "FID",
};

static gchar *
mutate (GRand *rand, const gchar *seed)
{
  gchar **lines = g_strsplit (seed, "\r\n", -1);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  guint n = g_strv_length (lines), i, k, rounds = g_rand_int_range (rand, 1, 5);
  gchar *text;

  for (i = 0; i < n; i++)
    g_ptr_array_add (out, g_strdup (lines[i]));
  g_strfreev (lines);
  for (k = 0; k < rounds && out->len > 1; k++) {
    guint at = g_rand_int_range (rand, 0, out->len);
    gchar *line = g_ptr_array_index (out, at);
    gsize len = strlen (line);

    switch (g_rand_int_range (rand, 0, 6)) {
      case 0:
        g_ptr_array_remove_index (out, at);
        break;
      case 1:
        g_ptr_array_insert (out, g_rand_int_range (rand, 0, out->len),
            g_strdup (line));
        break;
      case 2: {
        guint other = g_rand_int_range (rand, 0, out->len);
        out->pdata[at] = out->pdata[other];
        out->pdata[other] = line;
        break;
      }
      case 3:
        if (len > 0)
          line[g_rand_int_range (rand, 0, len)] = '\0';
        break;
      case 4: {
        /* Replace one space- or colon-separated token. */
        gchar **tok = g_strsplit_set (line, " :=;/", -1);
        guint nt = g_strv_length (tok);
        if (nt > 0) {
          guint t = g_rand_int_range (rand, 0, nt);
          const gchar *h
              = hostile[g_rand_int_range (rand, 0, G_N_ELEMENTS (hostile))];
          gchar *pos = strstr (line, tok[t]);
          if (pos && *tok[t]) {
            gchar *nl = g_strdup_printf ("%.*s%s%s", (int)(pos - line), line, h,
                pos + strlen (tok[t]));
            g_free (out->pdata[at]);
            out->pdata[at] = nl;
          }
        }
        g_strfreev (tok);
        break;
      }
      default:
        /* Flip a byte to a random printable or high byte. */
        if (len > 0)
          line[g_rand_int_range (rand, 0, len)] = (gchar)g_rand_int_range (rand,
              1, 256);
        break;
    }
  }
  g_ptr_array_add (out, NULL);
  text = g_strjoinv ("\r\n", (gchar **)out->pdata);
  g_ptr_array_unref (out);
  return text;
}

/* Every m-line we accepted keeps its place and kind in our re-offer;
 * rejected ones may be recycled, new transceivers appended. */
static void
check_reoffer (const GstSDPMessage *reoffer, const GstSDPMessage *answer,
    const GstSDPMessage *offer)
{
  guint i, n = gst_sdp_message_medias_len (offer);

  fail_unless (gst_sdp_message_medias_len (reoffer) >= n);
  for (i = 0; i < n; i++) {
    const GstSDPMedia *a = gst_sdp_message_get_media (answer, i);
    const GstSDPMedia *r = gst_sdp_message_get_media (reoffer, i);

    if (gst_sdp_media_get_port (a) != 0)
      fail_unless_equals_string (gst_sdp_media_get_media (r),
          gst_sdp_media_get_media (a));
  }
}

GST_START_TEST (test_fuzz)
{
  /* RTC_JSEP_FUZZ_SEED and RTC_JSEP_FUZZ_ITERATIONS run a longer or
   * different campaign on demand (the time budget then stays out). */
  const gchar *env_seed = g_getenv ("RTC_JSEP_FUZZ_SEED");
  const gchar *env_iter = g_getenv ("RTC_JSEP_FUZZ_ITERATIONS");
  guint32 seed = env_seed ? strtoul (env_seed, NULL, 0) : 0x6a736570;
  GRand *rand = g_rand_new_with_seed (seed);
  gchar *our_offer, *our_answer;
  const gchar *seeds[4];
  guint iterations = 10000 / MIN (rtc_test_timeout_scale (), 20), i;
  gint64 budget = env_iter
      ? G_MAXINT64
      : 20 * G_USEC_PER_SEC * MIN (rtc_test_timeout_scale (), 2);
  guint parsed = 0, valid = 0, answered = 0, reoffered = 0;
  gint64 start = g_get_monotonic_time ();

  /* The self-made seeds carry random SSRCs and ids: fix them too. */
  g_random_set_seed (seed);
  if (env_iter)
    iterations = strtoul (env_iter, NULL, 0);
  make_pair (&our_offer, &our_answer);
  seeds[0] = chrome_offer;
  seeds[1] = firefox_offer;
  seeds[2] = our_offer;
  seeds[3] = our_answer;

  for (i = 0; i < iterations && g_get_monotonic_time () - start < budget; i++) {
    guint which = g_rand_int_range (rand, 0, 4);
    gchar *text = mutate (rand, seeds[which]);
    GError *error = NULL;
    GstSDPMessage *msg = rtc_jsep_parse_sdp (text, -1, &error);

    if (!msg) {
      fail_unless (error != NULL && error->domain == GST_RTC_ERROR);
      g_clear_error (&error);
      g_free (text);
      continue;
    }
    parsed++;
    if (which == 3) {
      GstSDPMessage *offer = test_parse (our_offer);
      RtcJsepNegotiation *neg;

      if (rtc_jsep_validate (msg, GST_RTC_SDP_TYPE_ANSWER, offer, &error)) {
        valid++;
        neg = rtc_jsep_negotiate (offer, msg, TRUE, &error);
        fail_unless (neg != NULL, "%s\n%s", error ? error->message : "", text);
        fail_unless_equals_int (neg->media->len, 2);
        rtc_jsep_negotiation_free (neg);
      } else {
        fail_unless (error != NULL && error->domain == GST_RTC_ERROR);
        g_clear_error (&error);
      }
      gst_sdp_message_free (offer);
    } else if (rtc_jsep_validate (msg, GST_RTC_SDP_TYPE_OFFER, NULL, &error)) {
      RtcJsepSession *s = test_session ();
      GstSDPMessage *answer, *reoffer;

      valid++;
      rtc_jsep_session_add_transceiver (s, GST_RTC_KIND_VIDEO,
          GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, NULL);
      /* Half the time the mutated offer is a re-offer after the intact
       * one, which reaches the association and modification rules. */
      if (g_rand_boolean (rand)) {
        GstSDPMessage *first = test_parse (seeds[which]);
        answer = rtc_jsep_create_answer (s, first, NULL);
        fail_unless (answer != NULL);
        gst_sdp_message_free (answer);
        gst_sdp_message_free (first);
        reoffered++;
      }
      answer = rtc_jsep_create_answer (s, msg, &error);
      if (answer) {
        RtcJsepNegotiation *neg;

        answered++;
        /* Our answer to any valid offer must itself be valid. */
        neg = rtc_jsep_negotiate (msg, answer, FALSE, &error);
        fail_unless (neg != NULL, "%s\n%s", error ? error->message : "", text);
        rtc_jsep_negotiation_free (neg);
        /* And so must our re-offer built on that exchange. */
        reoffer = rtc_jsep_create_offer (s, answer, msg, &error);
        fail_unless (reoffer != NULL, "%s\n%s", error ? error->message : "",
            text);
        fail_unless (rtc_jsep_validate (reoffer, GST_RTC_SDP_TYPE_OFFER, NULL,
                         &error),
            "%s\n%s", error ? error->message : "", text);
        check_reoffer (reoffer, answer, msg);
        gst_sdp_message_free (reoffer);
        gst_sdp_message_free (answer);
      } else {
        fail_unless (error != NULL && error->domain == GST_RTC_ERROR);
        g_clear_error (&error);
      }
      rtc_jsep_session_free (s);
    } else {
      fail_unless (error != NULL && error->domain == GST_RTC_ERROR);
      g_clear_error (&error);
    }
    gst_sdp_message_free (msg);
    g_free (text);
  }
  iterations = i;
  GST_INFO ("%u mutations: %u parsed, %u valid (%u as re-offers), "
            "%u answered in %" G_GINT64_FORMAT " ms",
      iterations, parsed, valid, reoffered, answered,
      (g_get_monotonic_time () - start) / 1000);
  fail_unless (iterations >= 500, "only %u mutations in the time budget",
      iterations);
  /* The mutations must reach every stage, not just the parser. */
  fail_unless (parsed > iterations / 2);
  fail_unless (valid > iterations / 20);
  fail_unless (answered > iterations / 40);
  g_rand_free (rand);
  g_free (our_offer);
  g_free (our_answer);
}

GST_END_TEST;

static Suite *
jsep_validate_suite (void)
{
  Suite *s = suite_create ("jsep-validate");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_validate_browsers);
  tcase_add_test (tc, test_validate_offer_errors);
  tcase_add_test (tc, test_validate_bundle_pt_collision);
  tcase_add_test (tc, test_validate_answer_errors);
  tcase_add_test (tc, test_validate_sizes);
  tcase_add_test (tc, test_fuzz);
  return s;
}

RTC_CHECK_MAIN (jsep_validate);
