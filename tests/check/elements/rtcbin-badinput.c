/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtcbin fed bad descriptions and calls in the wrong state: each gets a
 * promise error with a clear domain, code and message, nothing changes,
 * and a valid negotiation on the same element works afterwards.
 */
#include "../common/rtcbintest.h"
#include "../common/rtccheckmain.h"

/* Two sessions trickling to each other, a with an Opus transceiver. */
typedef struct {
  GstElement *a, *b;
  GstRtcRtpTransceiver *t;
} Pair;

static Pair
pair_new (void)
{
  Pair p;

  p.a = rtcbin_test_new ("a");
  p.b = rtcbin_test_new ("b");
  p.t = rtcbin_test_add_transceiver (p.a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS);
  rtcbin_test_trickle (p.a, p.b);
  return p;
}

static void
pair_free (Pair *p)
{
  gst_object_unref (p->t);
  gst_object_unref (p->a);
  gst_object_unref (p->b);
}

/* @error (freed) is @code of GST_RTC_ERROR and its message has @word1
 * and @word2. */
static void
check_error (GError *error, GstRtcError code, const gchar *word1,
    const gchar *word2)
{
  fail_unless (error != NULL);
  fail_unless (error->domain == GST_RTC_ERROR, "domain %s",
      g_quark_to_string (error->domain));
  fail_unless_equals_int (error->code, code);
  fail_unless (strstr (error->message, word1) != NULL, "'%s' not in: %s", word1,
      error->message);
  fail_unless (!word2 || strstr (error->message, word2) != NULL,
      "'%s' not in: %s", word2, error->message);
  g_error_free (error);
}

/* After the bad input: a full offer/answer from @a to @b, ICE connects. */
static void
check_still_works (GstElement *a, GstElement *b)
{
  rtcbin_test_negotiate (a, b);
  fail_unless (rtcbin_test_wait_ice (a, 10000));
  fail_unless (rtcbin_test_wait_ice (b, 10000));
}

/* A copy of @desc's SDP text without the lines starting with @drop (if
 * not NULL) and with @line added after the first line starting with
 * @after (if not NULL; it must be there). */
static GstRtcSessionDescription *
edit_lines (const GstRtcSessionDescription *desc, const gchar *drop,
    const gchar *after, const gchar *line)
{
  gchar *text = gst_sdp_message_as_text (desc->sdp);
  gchar **lines = g_strsplit (text, "\r\n", -1);
  GString *out = g_string_new (NULL);
  GstRtcSessionDescription *res;
  gboolean added = FALSE;
  guint i;

  for (i = 0; lines[i]; i++) {
    if (!*lines[i] || (drop && g_str_has_prefix (lines[i], drop)))
      continue;
    g_string_append_printf (out, "%s\r\n", lines[i]);
    if (after && !added && g_str_has_prefix (lines[i], after)) {
      g_string_append_printf (out, "%s\r\n", line);
      added = TRUE;
    }
  }
  fail_unless (!after || added);
  res = rtcbin_test_desc (desc->type, out->str);
  g_string_free (out, TRUE);
  g_strfreev (lines);
  g_free (text);
  return res;
}

static GstRtcSessionDescription *
without_lines (const GstRtcSessionDescription *desc, const gchar *prefix)
{
  return edit_lines (desc, prefix, NULL, NULL);
}

static GstRtcSessionDescription *
with_line (const GstRtcSessionDescription *desc, const gchar *after,
    const gchar *line)
{
  return edit_lines (desc, NULL, after, line);
}

/* @desc's SDP text with @from replaced by @to, which must be there. */
static GstRtcSessionDescription *
replaced (const GstRtcSessionDescription *desc, const gchar *from,
    const gchar *to)
{
  gchar *text = gst_sdp_message_as_text (desc->sdp);
  gchar **parts = g_strsplit (text, from, -1);
  gchar *out;
  GstRtcSessionDescription *res;

  fail_unless (g_strv_length (parts) >= 2, "%s not in %s", from, text);
  out = g_strjoinv (to, parts);
  res = rtcbin_test_desc (desc->type, out);
  g_free (out);
  g_strfreev (parts);
  g_free (text);
  return res;
}

GST_START_TEST (test_missing_fingerprint)
{
  Pair p = pair_new ();
  GstElement *a = p.a, *b = p.b;
  GstRtcSessionDescription *offer, *bad;

  offer = rtcbin_test_create (a, "create-offer", NULL, NULL);
  bad = without_lines (offer, "a=fingerprint");
  check_error (rtcbin_test_set (b, "set-remote-description", bad),
      GST_RTC_ERROR_SDP_SYNTAX_ERROR, "fingerprint", "m-line 0");
  fail_unless_equals_int (rtcbin_test_enum (b, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);
  fail_unless_equals_int (rtcbin_test_n_transceivers (b), 0);

  gst_rtc_session_description_free (bad);
  gst_rtc_session_description_free (offer);
  check_still_works (a, b);
  pair_free (&p);
}

GST_END_TEST;

/* Unknown attributes are ignored (RFC 8866 5.13); a garbled known one is
 * an error naming it. */
GST_START_TEST (test_unknown_and_garbled_lines)
{
  Pair p = pair_new ();
  GstElement *a = p.a, *b = p.b;
  GstRtcSessionDescription *offer, *bad;
  GError *error;

  offer = rtcbin_test_create (a, "create-offer", NULL, NULL);

  bad = replaced (offer, "OPUS/48000/2", "OPUS/fast");
  check_error (rtcbin_test_set (b, "set-remote-description", bad),
      GST_RTC_ERROR_SDP_SYNTAX_ERROR, "rtpmap", NULL);
  gst_rtc_session_description_free (bad);

  bad = replaced (offer, "a=setup:actpass", "a=setup:sideways");
  error = rtcbin_test_set (b, "set-remote-description", bad);
  check_error (error, GST_RTC_ERROR_SDP_SYNTAX_ERROR, "setup", NULL);
  error = NULL;
  gst_rtc_session_description_free (bad);

  {
    GstRtcSessionDescription *no_ufrag = without_lines (offer, "a=ice-ufrag");

    bad = with_line (no_ufrag, "a=mid:", "a=ice-ufrag:a b");
    gst_rtc_session_description_free (no_ufrag);
  }
  error = rtcbin_test_set (b, "set-remote-description", bad);
  check_error (error, GST_RTC_ERROR_SDP_SYNTAX_ERROR, "ice", NULL);
  error = NULL;
  gst_rtc_session_description_free (bad);
  fail_unless_equals_int (rtcbin_test_enum (b, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);

  /* Attributes nobody knows are no reason to refuse an offer. */
  bad = with_line (offer, "a=mid:", "a=x-made-up-attribute:42 whatever");
  error = rtcbin_test_set (b, "set-remote-description", bad);
  fail_unless (error == NULL, "%s", error ? error->message : "");
  gst_rtc_session_description_free (bad);
  {
    /* Start over on b with the real offer: a local answer to the
     * pending one, then the normal exchange. */
    GstRtcSessionDescription *answer = rtcbin_test_create (b, "create-answer",
        NULL, NULL);

    fail_unless (answer != NULL);
    fail_unless (rtcbin_test_set (a, "set-local-description", offer) == NULL);
    rtcbin_test_finish (a, b, answer);
    gst_rtc_session_description_free (answer);
  }

  gst_rtc_session_description_free (offer);
  pair_free (&p);
}

GST_END_TEST;

/* An answer with fewer m-lines than the offer is refused. */
GST_START_TEST (test_answer_mline_count)
{
  Pair p = pair_new ();
  GstElement *a = p.a, *b = p.b;
  GstRtcRtpTransceiver *t2 = rtcbin_test_add_transceiver (a,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_VP8_CAPS);
  GstRtcSessionDescription *offer, *answer, *bad;

  offer = rtcbin_test_create (a, "create-offer", NULL, NULL);
  fail_unless (rtcbin_test_set (a, "set-local-description", offer) == NULL);
  fail_unless (rtcbin_test_set (b, "set-remote-description", offer) == NULL);
  answer = rtcbin_test_create (b, "create-answer", NULL, NULL);
  fail_unless_equals_int (gst_sdp_message_medias_len (answer->sdp), 2);

  {
    /* The answer cut before its second m-line. */
    gchar *text = gst_sdp_message_as_text (answer->sdp);
    gchar *second = strstr (strstr (text, "\r\nm=") + 2, "\r\nm=");

    gchar *cut, **parts;

    fail_unless (second != NULL);
    second[2] = '\0';
    /* Still a consistent SDP: the BUNDLE group names what is left. */
    parts = g_strsplit (text, "a=group:BUNDLE 0 1", -1);
    cut = g_strjoinv ("a=group:BUNDLE 0", parts);
    bad = rtcbin_test_desc (GST_RTC_SDP_TYPE_ANSWER, cut);
    g_strfreev (parts);
    g_free (cut);
    g_free (text);
  }
  check_error (rtcbin_test_set (a, "set-remote-description", bad),
      GST_RTC_ERROR_INVALID_MODIFICATION, "m-line", "2");
  fail_unless_equals_int (rtcbin_test_enum (a, "signaling-state"),
      GST_RTC_SIGNALING_STATE_HAVE_LOCAL_OFFER);
  gst_rtc_session_description_free (bad);

  /* The right answer still completes the exchange. */
  rtcbin_test_finish (a, b, answer);

  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (answer);
  gst_object_unref (t2);
  pair_free (&p);
}

GST_END_TEST;

/* An offer whose only codec we do not have: create-answer says so, with
 * the codec; with one good m-line beside it, that m-line alone is
 * rejected. */
GST_START_TEST (test_unsupported_codec_only)
{
  Pair p = pair_new ();
  GstElement *a = p.a, *b = p.b;
  GstRtcSessionDescription *offer, *bad, *answer;
  GError *error = NULL;

  offer = rtcbin_test_create (a, "create-offer", NULL, NULL);
  bad = replaced (offer, "OPUS/48000/2", "G729/8000");
  fail_unless (rtcbin_test_set (b, "set-remote-description", bad) == NULL);
  fail_unless (rtcbin_test_create (b, "create-answer", NULL, &error) == NULL);
  check_error (error, GST_RTC_ERROR_INTERNAL_FAILURE, "codec", "G729/8000");
  error = NULL;
  fail_unless_equals_int (rtcbin_test_enum (b, "signaling-state"),
      GST_RTC_SIGNALING_STATE_HAVE_REMOTE_OFFER);
  gst_rtc_session_description_free (bad);

  /* b answers the real offer: the same element still negotiates. */
  fail_unless (rtcbin_test_set (b, "set-remote-description", offer) == NULL);
  answer = rtcbin_test_create (b, "create-answer", NULL, NULL);
  fail_unless (
      gst_sdp_media_get_port (gst_sdp_message_get_media (answer->sdp, 0)) != 0);
  fail_unless (rtcbin_test_set (a, "set-local-description", offer) == NULL);
  rtcbin_test_finish (a, b, answer);

  gst_rtc_session_description_free (answer);
  gst_rtc_session_description_free (offer);
  pair_free (&p);
}

GST_END_TEST;

/* An audio m-line with one payload type. */
#define AUDIO_MLINE(pt, mid, rtpmap) \
  "m=audio 9 UDP/TLS/RTP/SAVPF " pt "\r\n" \
  "c=IN IP4 0.0.0.0\r\n" RTCBIN_TEST_SDP_ICE RTCBIN_TEST_SDP_DTLS "a=mid:" mid \
  "\r\n" \
  "a=sendrecv\r\n" \
  "a=rtcp-mux\r\n" \
  "a=rtpmap:" pt " " rtpmap "\r\n"

GST_START_TEST (test_unsupported_codec_beside_good)
{
  GstElement *b = rtcbin_test_new ("b");
  GstRtcSessionDescription *offer, *answer;

  /* Opus on m-line 0, only G729 on m-line 1. */
  offer = rtcbin_test_desc (GST_RTC_SDP_TYPE_OFFER,
      "v=0\r\n"
      "o=- 1 1 IN IP4 0.0.0.0\r\n"
      "s=-\r\n"
      "t=0 0\r\n"
      "a=group:BUNDLE 0 1\r\n" AUDIO_MLINE ("111", "0", "opus/48000/2")
          AUDIO_MLINE ("18", "1", "G729/8000"));
  fail_unless (rtcbin_test_set (b, "set-remote-description", offer) == NULL);
  answer = rtcbin_test_create (b, "create-answer", NULL, NULL);
  fail_unless_equals_int (gst_sdp_message_medias_len (answer->sdp), 2);
  fail_unless (
      gst_sdp_media_get_port (gst_sdp_message_get_media (answer->sdp, 0)) != 0);
  fail_unless_equals_int (gst_sdp_media_get_port (
                              gst_sdp_message_get_media (answer->sdp, 1)),
      0);
  fail_unless (rtcbin_test_set (b, "set-local-description", answer) == NULL);
  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (answer);
  gst_object_unref (b);
}

GST_END_TEST;

/* Calls the signaling state does not allow. */
GST_START_TEST (test_wrong_state_calls)
{
  Pair p = pair_new ();
  GstElement *a = p.a, *b = p.b;
  GstRtcSessionDescription *offer, *answer, *as_answer;
  GError *error = NULL;

  /* create-answer in stable. */
  fail_unless (rtcbin_test_create (a, "create-answer", NULL, &error) == NULL);
  check_error (error, GST_RTC_ERROR_INVALID_STATE, "create-answer",
      "remote offer");
  error = NULL;

  offer = rtcbin_test_create (a, "create-offer", NULL, NULL);
  as_answer = gst_rtc_session_description_copy (offer);
  as_answer->type = GST_RTC_SDP_TYPE_ANSWER;

  /* set-remote-description(answer) and set-local-description(answer) in
   * stable. */
  check_error (rtcbin_test_set (a, "set-remote-description", as_answer),
      GST_RTC_ERROR_INVALID_STATE, "answer", "stable");
  check_error (rtcbin_test_set (a, "set-local-description", as_answer),
      GST_RTC_ERROR_INVALID_STATE, "answer", "stable");

  /* set-local-description(offer) in have-remote-offer. */
  fail_unless (rtcbin_test_set (b, "set-remote-description", offer) == NULL);
  check_error (rtcbin_test_set (b, "set-local-description", offer),
      GST_RTC_ERROR_INVALID_STATE, "offer", "have-remote-offer");
  /* set-remote-description(answer) in have-remote-offer. */
  check_error (rtcbin_test_set (b, "set-remote-description", as_answer),
      GST_RTC_ERROR_INVALID_STATE, "answer", "have-remote-offer");

  /* A pranswer needs the peer's offer, and is checked as an answer: the
   * offer's actpass cannot be one. */
  {
    GstRtcSessionDescription *pr = gst_rtc_session_description_copy (offer);

    pr->type = GST_RTC_SDP_TYPE_PRANSWER;
    check_error (rtcbin_test_set (a, "set-remote-description", pr),
        GST_RTC_ERROR_INVALID_STATE, "pranswer", "stable");
    check_error (rtcbin_test_set (b, "set-local-description", pr),
        GST_RTC_ERROR_SDP_SYNTAX_ERROR, "actpass", NULL);
    gst_rtc_session_description_free (pr);
  }
  fail_unless_equals_int (rtcbin_test_enum (a, "signaling-state"),
      GST_RTC_SIGNALING_STATE_STABLE);
  fail_unless_equals_int (rtcbin_test_enum (b, "signaling-state"),
      GST_RTC_SIGNALING_STATE_HAVE_REMOTE_OFFER);

  /* The exchange goes on from there. */
  answer = rtcbin_test_create (b, "create-answer", NULL, NULL);
  fail_unless (rtcbin_test_set (a, "set-local-description", offer) == NULL);
  rtcbin_test_finish (a, b, answer);

  /* And a second exchange on the same elements. */
  rtcbin_test_negotiate (a, b);

  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (as_answer);
  gst_rtc_session_description_free (answer);
  pair_free (&p);
}

GST_END_TEST;

static Suite *
rtcbin_badinput_suite (void)
{
  Suite *s = suite_create ("rtcbin-badinput");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_missing_fingerprint);
  tcase_add_test (tc, test_unknown_and_garbled_lines);
  tcase_add_test (tc, test_answer_mline_count);
  tcase_add_test (tc, test_unsupported_codec_only);
  tcase_add_test (tc, test_unsupported_codec_beside_good);
  tcase_add_test (tc, test_wrong_state_calls);
  return s;
}

RTC_CHECK_MAIN (rtcbin_badinput);
