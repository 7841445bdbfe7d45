/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * rtc_jsep_negotiation_needed(): the W3C check, on the offerer's and on
 * the answerer's side, for new, changed, stopped transceivers and a data
 * channel.
 */
#include "jseptestutil.h"
#include "../common/rtccheckmain.h"

static GstSDPMessage *
make_offer (RtcJsepSession *s)
{
  GError *error = NULL;
  GstSDPMessage *offer = rtc_jsep_create_offer (s, NULL, NULL, &error);

  fail_unless (offer != NULL, "%s", error ? error->message : "");
  return offer;
}

/* A re-offer, taking @previous as both current descriptions (what an
 * offerer talking to itself would have). */
static GstSDPMessage *
make_reoffer (RtcJsepSession *s, const GstSDPMessage *previous)
{
  GError *error = NULL;
  GstSDPMessage *offer = rtc_jsep_create_offer (s, previous, previous, &error);

  fail_unless (offer != NULL, "%s", error ? error->message : "");
  return offer;
}

static GstSDPMessage *
make_answer (RtcJsepSession *s, const GstSDPMessage *offer)
{
  GError *error = NULL;
  GstSDPMessage *answer;

  fail_unless (rtc_jsep_session_apply_remote_offer (s, offer, &error), "%s",
      error ? error->message : "");
  answer = rtc_jsep_create_answer (s, offer, &error);
  fail_unless (answer != NULL, "%s", error ? error->message : "");
  return answer;
}

GST_START_TEST (test_offerer)
{
  RtcJsepSession *s = test_session ();
  RtcJsepTransceiver *t, *t2;
  GstSDPMessage *offer, *reoffer, *recycled;

  /* Nothing at all: nothing to negotiate. */
  fail_if (rtc_jsep_negotiation_needed (s, NULL, TRUE, NULL));

  t = rtc_jsep_session_add_transceiver (s, GST_RTC_KIND_AUDIO,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, NULL);
  fail_unless (rtc_jsep_negotiation_needed (s, NULL, TRUE, NULL));

  offer = make_offer (s);
  /* Our offer as the current local description: in sync. */
  fail_if (rtc_jsep_negotiation_needed (s, offer, TRUE, NULL));

  /* A changed direction, then back. */
  t->direction = GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
  fail_unless (rtc_jsep_negotiation_needed (s, offer, TRUE, NULL));
  t->direction = GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;
  fail_if (rtc_jsep_negotiation_needed (s, offer, TRUE, NULL));

  /* A stopped transceiver whose m-line is still accepted needs an offer
   * rejecting it; once one did, nothing more. */
  t->stopped = TRUE;
  fail_unless (rtc_jsep_negotiation_needed (s, offer, TRUE, NULL));
  reoffer = make_reoffer (s, offer);
  fail_unless (
      gst_sdp_media_get_port (gst_sdp_message_get_media (reoffer, 0)) == 0);
  fail_if (rtc_jsep_negotiation_needed (s, reoffer, TRUE, NULL));

  /* A new transceiver, not in the description; once offered it recycles
   * the stopped one's m-line and nothing more is needed. */
  t2 = rtc_jsep_session_add_transceiver (s, GST_RTC_KIND_VIDEO,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY, NULL);
  fail_unless (rtc_jsep_negotiation_needed (s, reoffer, TRUE, NULL));
  recycled = make_reoffer (s, reoffer);
  fail_unless_equals_int (t2->mline, 0);
  fail_unless_equals_int (gst_sdp_message_medias_len (recycled), 1);
  fail_if (rtc_jsep_negotiation_needed (s, recycled, TRUE, NULL));

  gst_sdp_message_free (recycled);
  gst_sdp_message_free (reoffer);
  gst_sdp_message_free (offer);
  rtc_jsep_session_free (s);
}

GST_END_TEST;

GST_START_TEST (test_answerer)
{
  RtcJsepSession *offerer = test_session (), *answerer = test_session ();
  RtcJsepTransceiver *t;
  GstSDPMessage *offer, *answer, *reoffer, *reanswer;

  rtc_jsep_session_add_transceiver (offerer, GST_RTC_KIND_AUDIO,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY, NULL);
  offer = make_offer (offerer);
  answer = make_answer (answerer, offer);
  fail_unless_equals_int (answerer->transceivers->len, 1);
  t = g_ptr_array_index (answerer->transceivers, 0);

  /* Made by the offer, it only receives and answered recvonly. */
  fail_if (rtc_jsep_negotiation_needed (answerer, answer, FALSE, offer));
  /* Wanting sendrecv: the answer to a sendonly offer is still recvonly,
   * nothing to renegotiate. */
  t->direction = GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;
  fail_if (rtc_jsep_negotiation_needed (answerer, answer, FALSE, offer));
  /* Wanting inactive: the answer would change. */
  t->direction = GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE;
  fail_unless (rtc_jsep_negotiation_needed (answerer, answer, FALSE, offer));
  t->direction = GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;

  /* The offerer stops its transceiver: the re-offer rejects the m-line,
   * which stops ours; answered, nothing is left to negotiate. */
  ((RtcJsepTransceiver *)g_ptr_array_index (offerer->transceivers, 0))->stopped
      = TRUE;
  reoffer = rtc_jsep_create_offer (offerer, offer, answer, NULL);
  fail_unless (reoffer != NULL);
  reanswer = make_answer (answerer, reoffer);
  fail_unless (t->stopped);
  fail_if (rtc_jsep_negotiation_needed (answerer, reanswer, FALSE, reoffer));

  /* A transceiver the answerer adds mid-call needs an offer of its own. */
  rtc_jsep_session_add_transceiver (answerer, GST_RTC_KIND_VIDEO,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, NULL);
  fail_unless (
      rtc_jsep_negotiation_needed (answerer, reanswer, FALSE, reoffer));

  gst_sdp_message_free (reoffer);
  gst_sdp_message_free (reanswer);
  gst_sdp_message_free (offer);
  gst_sdp_message_free (answer);
  rtc_jsep_session_free (offerer);
  rtc_jsep_session_free (answerer);
}

GST_END_TEST;

GST_START_TEST (test_data_channel)
{
  RtcJsepSession *s = test_session ();
  GstSDPMessage *offer;

  s->data_channel = TRUE;
  fail_unless (rtc_jsep_negotiation_needed (s, NULL, TRUE, NULL));
  offer = make_offer (s);
  fail_if (rtc_jsep_negotiation_needed (s, offer, TRUE, NULL));
  gst_sdp_message_free (offer);
  rtc_jsep_session_free (s);
}

GST_END_TEST;

static Suite *
jsep_needed_suite (void)
{
  Suite *s = suite_create ("jsep-needed");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_offerer);
  tcase_add_test (tc, test_answerer);
  tcase_add_test (tc, test_data_channel);
  return s;
}

RTC_CHECK_MAIN (jsep_needed);
