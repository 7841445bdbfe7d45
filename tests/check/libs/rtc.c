/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libgstrtc's public types: session descriptions own and deep-copy their
 * SDP, every enumeration has webrtcbin's values and nicks, transceiver
 * properties notify on change only and refuse invalid values, codec
 * preferences are held by reference, and the error domain is registered.
 */
#include <gst/check/gstcheck.h>
#include <gst/rtc/rtc.h>
#include <dlfcn.h>
#include <string.h>
#include "../common/rtccheckmain.h"

static const gchar offer_text[]
    = "v=0\r\n"
      "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
      "s=-\r\n"
      "t=0 0\r\n"
      "a=group:BUNDLE 0\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
      "c=IN IP4 0.0.0.0\r\n"
      "a=mid:0\r\n"
      "a=sendrecv\r\n"
      "a=rtpmap:111 opus/48000/2\r\n";

static GstSDPMessage *
parse_sdp (const gchar *text)
{
  GstSDPMessage *sdp;

  fail_unless_equals_int (gst_sdp_message_new (&sdp), GST_SDP_OK);
  fail_unless_equals_int (gst_sdp_message_parse_buffer ((const guint8 *)text,
                              strlen (text), sdp),
      GST_SDP_OK);
  return sdp;
}

GST_START_TEST (test_session_description_copy_free)
{
  GstRtcSessionDescription *desc, *copy, *boxed;
  GstSDPMessage *sdp = parse_sdp (offer_text);
  gchar *text, *copy_text;
  GValue value = G_VALUE_INIT;

  desc = gst_rtc_session_description_new (GST_RTC_SDP_TYPE_OFFER, sdp);
  fail_unless (desc->sdp == sdp);
  fail_unless_equals_int (desc->type, GST_RTC_SDP_TYPE_OFFER);
  text = gst_sdp_message_as_text (desc->sdp);

  /* A copy owns its own SDP and outlives the original. */
  copy = gst_rtc_session_description_copy (desc);
  fail_unless (copy != desc);
  fail_unless (copy->sdp != NULL && copy->sdp != desc->sdp);
  gst_rtc_session_description_free (desc);
  fail_unless_equals_int (copy->type, GST_RTC_SDP_TYPE_OFFER);
  copy_text = gst_sdp_message_as_text (copy->sdp);
  fail_unless_equals_string (copy_text, text);
  fail_unless_equals_string (gst_sdp_message_get_media (copy->sdp, 0)->media,
      "audio");
  g_free (copy_text);

  /* The boxed type copies the same way (this is how signals and
   * GstPromise replies carry descriptions). */
  g_value_init (&value, GST_TYPE_RTC_SESSION_DESCRIPTION);
  g_value_set_boxed (&value, copy);
  boxed = g_value_get_boxed (&value);
  fail_unless (boxed != copy && boxed->sdp != copy->sdp);
  gst_rtc_session_description_free (copy);
  copy_text = gst_sdp_message_as_text (boxed->sdp);
  fail_unless_equals_string (copy_text, text);
  g_free (copy_text);
  g_value_unset (&value);
  g_free (text);

  /* A rollback needs no SDP; NULL goes through copy and free. */
  desc = gst_rtc_session_description_new (GST_RTC_SDP_TYPE_ROLLBACK, NULL);
  copy = gst_rtc_session_description_copy (desc);
  fail_unless (copy != NULL && copy->sdp == NULL);
  fail_unless_equals_int (copy->type, GST_RTC_SDP_TYPE_ROLLBACK);
  gst_rtc_session_description_free (copy);
  gst_rtc_session_description_free (desc);
  fail_unless (gst_rtc_session_description_copy (NULL) == NULL);
  gst_rtc_session_description_free (NULL);
}
GST_END_TEST;

GST_START_TEST (test_sdp_type_to_string)
{
  GEnumClass *klass = g_type_class_ref (GST_TYPE_RTC_SDP_TYPE);
  guint i;

  fail_unless_equals_string (gst_rtc_sdp_type_to_string (
                                 GST_RTC_SDP_TYPE_OFFER),
      "offer");
  fail_unless_equals_string (gst_rtc_sdp_type_to_string (
                                 GST_RTC_SDP_TYPE_PRANSWER),
      "pranswer");
  fail_unless_equals_string (gst_rtc_sdp_type_to_string (
                                 GST_RTC_SDP_TYPE_ANSWER),
      "answer");
  fail_unless_equals_string (gst_rtc_sdp_type_to_string (
                                 GST_RTC_SDP_TYPE_ROLLBACK),
      "rollback");
  /* Out-of-range values (0 is never a type) read as "unknown". */
  fail_unless_equals_string (gst_rtc_sdp_type_to_string (0), "unknown");
  fail_unless_equals_string (gst_rtc_sdp_type_to_string (99), "unknown");
  fail_unless_equals_string (gst_rtc_sdp_type_to_string (-1), "unknown");

  /* The string is the nick, so either can name a type. */
  fail_unless_equals_int (klass->n_values, 4);
  for (i = 0; i < klass->n_values; i++) {
    fail_unless_equals_string (gst_rtc_sdp_type_to_string (
                                   klass->values[i].value),
        klass->values[i].value_nick);
  }
  g_type_class_unref (klass);
}
GST_END_TEST;

typedef struct {
  GType (*get_type) (void);
  const gchar *webrtc_get_type; /* webrtcbin's counterpart */
  gint first; /* value of the first nick */
  const gchar *nicks; /* space-separated, in value order */
} EnumSpec;

static const EnumSpec enums[] = {
  { gst_rtc_sdp_type_get_type, "gst_webrtc_sdp_type_get_type", 1,
      "offer pranswer answer rollback" },
  { gst_rtc_signaling_state_get_type, "gst_webrtc_signaling_state_get_type", 0,
      "stable closed have-local-offer have-remote-offer have-local-pranswer "
      "have-remote-pranswer" },
  { gst_rtc_ice_connection_state_get_type,
      "gst_webrtc_ice_connection_state_get_type", 0,
      "new checking connected completed failed disconnected closed" },
  { gst_rtc_ice_gathering_state_get_type,
      "gst_webrtc_ice_gathering_state_get_type", 0, "new gathering complete" },
  { gst_rtc_peer_connection_state_get_type,
      "gst_webrtc_peer_connection_state_get_type", 0,
      "new connecting connected disconnected failed closed" },
  { gst_rtc_bundle_policy_get_type, "gst_webrtc_bundle_policy_get_type", 0,
      "none balanced max-compat max-bundle" },
  { gst_rtc_ice_transport_policy_get_type,
      "gst_webrtc_ice_transport_policy_get_type", 0, "all relay" },
  { gst_rtc_rtp_transceiver_direction_get_type,
      "gst_webrtc_rtp_transceiver_direction_get_type", 0,
      "none inactive sendonly recvonly sendrecv" },
  { gst_rtc_data_channel_state_get_type,
      "gst_webrtc_data_channel_state_get_type", 1,
      "connecting open closing closed" },
  { gst_rtc_ice_role_get_type, "gst_webrtc_ice_role_get_type", 0,
      "controlled controlling" },
  { gst_rtc_dtls_setup_get_type, "gst_webrtc_dtls_setup_get_type", 0,
      "none actpass active passive" },
  { gst_rtc_kind_get_type, "gst_webrtc_kind_get_type", 0,
      "unknown audio video" },
  { gst_rtc_priority_type_get_type, "gst_webrtc_priority_type_get_type", 1,
      "very-low low medium high" },
  { gst_rtc_ice_component_get_type, "gst_webrtc_ice_component_get_type", 0,
      "rtp rtcp" },
  { gst_rtc_dtls_transport_state_get_type,
      "gst_webrtc_dtls_transport_state_get_type", 0,
      "new closed failed connecting connected" },
  { gst_rtc_sctp_transport_state_get_type,
      "gst_webrtc_sctp_transport_state_get_type", 0,
      "new connecting connected closed" },
  { gst_rtc_fec_type_get_type, "gst_webrtc_fec_type_get_type", 0,
      "none ulp-red" },
  { gst_rtc_stats_type_get_type, "gst_webrtc_stats_type_get_type", 1,
      "codec inbound-rtp outbound-rtp remote-inbound-rtp remote-outbound-rtp "
      "csrc peer-connection data-channel stream transport candidate-pair "
      "local-candidate remote-candidate certificate" },
  { gst_rtc_error_get_type, "gst_webrtc_error_get_type", 0,
      "data-channel-failure dtls-failure fingerprint-failure sctp-failure "
      "sdp-syntax-error hardware-encoder-not-available encoder-error "
      "invalid-state internal-failure invalid-modification type-error" },
};

/* Each nick maps to its value and back, values are consecutive from the
 * expected first one, and nothing else is registered. */
GST_START_TEST (test_enum_nicks)
{
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (enums); i++) {
    GEnumClass *klass = g_type_class_ref (enums[i].get_type ());
    gchar **nicks = g_strsplit (enums[i].nicks, " ", -1);

    fail_unless_equals_int (klass->n_values, g_strv_length (nicks));
    for (j = 0; nicks[j] != NULL; j++) {
      GEnumValue *v = g_enum_get_value_by_nick (klass, nicks[j]);

      fail_unless (v != NULL, "%s has no nick %s",
          g_type_name (G_TYPE_FROM_CLASS (klass)), nicks[j]);
      fail_unless_equals_int (v->value, enums[i].first + (gint)j);
      fail_unless_equals_string (g_enum_get_value (klass, v->value)->value_nick,
          nicks[j]);
    }
    g_strfreev (nicks);
    g_type_class_unref (klass);
  }
}
GST_END_TEST;

/* The point of the library is that a webrtcbin application ports by
 * renaming: check value, nick and C name (GST_WEBRTC_X is GST_RTC_X) of
 * every enumeration against gst-plugins-bad's own library, loaded at run
 * time because its headers are not a build dependency. */
GST_START_TEST (test_enums_match_webrtcbin)
{
  void *lib = dlopen ("libgstwebrtc-1.0.so.0", RTLD_NOW | RTLD_LOCAL);
  guint i, j;

  fail_unless (lib != NULL, "gst-plugins-bad's libgstwebrtc: %s", dlerror ());
  for (i = 0; i < G_N_ELEMENTS (enums); i++) {
    GType (*webrtc_get_type) (void) = dlsym (lib, enums[i].webrtc_get_type);
    GEnumClass *ours, *theirs;

    fail_unless (webrtc_get_type != NULL, "%s", enums[i].webrtc_get_type);
    ours = g_type_class_ref (enums[i].get_type ());
    theirs = g_type_class_ref (webrtc_get_type ());
    fail_unless_equals_int (ours->n_values, theirs->n_values);
    for (j = 0; j < theirs->n_values; j++) {
      const GEnumValue *t = &theirs->values[j];
      const GEnumValue *o = g_enum_get_value (ours, t->value);
      gchar *renamed;

      fail_unless (o != NULL, "%s has no value %d",
          g_type_name (G_TYPE_FROM_CLASS (ours)), t->value);
      fail_unless_equals_string (o->value_nick, t->value_nick);
      fail_unless (g_str_has_prefix (t->value_name, "GST_WEBRTC_"));
      renamed = g_strconcat ("GST_RTC_", t->value_name + strlen ("GST_WEBRTC_"),
          NULL);
      fail_unless_equals_string (o->value_name, renamed);
      g_free (renamed);
    }
    g_type_class_unref (theirs);
    g_type_class_unref (ours);
  }
  /* Not dlclose()d: its types stay registered for the process. */
}
GST_END_TEST;

GST_START_TEST (test_error_quark)
{
  GError *error;
  GEnumClass *klass;

  fail_unless (GST_RTC_ERROR != 0);
  fail_unless_equals_int (GST_RTC_ERROR, gst_rtc_error_quark ());
  fail_unless_equals_string (g_quark_to_string (GST_RTC_ERROR),
      "gst-rtc-error-quark");
  fail_unless (GST_RTC_ERROR != g_quark_from_string ("gst-webrtc-error-quark"));

  error = g_error_new (GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE,
      "cannot %s in state %s", "create-answer", "stable");
  fail_unless (
      g_error_matches (error, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE));
  fail_if (g_error_matches (error, GST_RTC_ERROR,
      GST_RTC_ERROR_INVALID_MODIFICATION));
  fail_unless_equals_string (error->message,
      "cannot create-answer in state stable");
  g_error_free (error);

  klass = g_type_class_ref (GST_TYPE_RTC_ERROR);
  fail_unless_equals_int (g_enum_get_value_by_nick (klass,
                              "fingerprint-failure")
                              ->value,
      GST_RTC_ERROR_FINGERPRINT_FAILURE);
  g_type_class_unref (klass);
}
GST_END_TEST;

/* Counts "notify" per property name. */
static void
on_notify (GObject *object, GParamSpec *pspec, GHashTable *counts)
{
  g_hash_table_insert (counts, (gpointer)pspec->name,
      GUINT_TO_POINTER (
          GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name)) + 1));
}

static guint
take_count (GHashTable *counts, const gchar *name)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));

  g_hash_table_remove (counts, name);
  return n;
}

static GstRtcRtpTransceiver *
new_transceiver (void)
{
  return gst_object_ref_sink (
      g_object_new (GST_TYPE_RTC_RTP_TRANSCEIVER, NULL));
}

GST_START_TEST (test_transceiver_defaults)
{
  GstRtcRtpTransceiver *trans = new_transceiver ();
  GstRtcRtpSender *sender = NULL;
  GstRtcRtpReceiver *receiver = NULL;
  GstObject *transport = (GstObject *)0x1;
  GstCaps *caps = (GstCaps *)0x1;
  gchar *mid = (gchar *)"unset";
  guint mline = 0;
  GstRtcRtpTransceiverDirection dir = 99, cur = 99;
  GstRtcKind kind = 99;

  g_object_get (trans, "sender", &sender, "receiver", &receiver, "mid", &mid,
      "mlineindex", &mline, "direction", &dir, "current-direction", &cur,
      "kind", &kind, "codec-preferences", &caps, NULL);
  fail_unless (mid == NULL);
  fail_unless_equals_int (mline, G_MAXUINT);
  fail_unless_equals_int (dir, GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE);
  fail_unless_equals_int (cur, GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE);
  fail_unless_equals_int (kind, GST_RTC_KIND_UNKNOWN);
  fail_unless (caps == NULL);

  /* Sender and receiver are made for it and know their transceiver. */
  fail_unless (GST_IS_RTC_RTP_SENDER (sender));
  fail_unless (GST_IS_RTC_RTP_RECEIVER (receiver));
  fail_unless (sender == gst_rtc_rtp_transceiver_get_sender (trans));
  fail_unless (receiver == gst_rtc_rtp_transceiver_get_receiver (trans));
  fail_unless (GST_OBJECT_PARENT (sender) == GST_OBJECT (trans));
  fail_unless (GST_OBJECT_PARENT (receiver) == GST_OBJECT (trans));
  fail_unless_equals_int (gst_rtc_rtp_sender_get_priority (sender),
      GST_RTC_PRIORITY_TYPE_LOW);
  g_object_get (sender, "transport", &transport, NULL);
  fail_unless (transport == NULL);

  gst_object_unref (sender);
  gst_object_unref (receiver);
  gst_object_unref (trans);
}
GST_END_TEST;

GST_START_TEST (test_transceiver_notify)
{
  GstRtcRtpTransceiver *trans = new_transceiver ();
  GHashTable *counts = g_hash_table_new (g_str_hash, g_str_equal);
  GstRtcRtpTransceiverDirection dir;
  guint mline;
  gchar *mid;

  g_signal_connect (trans, "notify", G_CALLBACK (on_notify), counts);

  /* Each change notifies once; setting the same value again does not. */
  g_object_set (trans, "direction", GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV,
      NULL);
  fail_unless_equals_int (take_count (counts, "direction"), 1);
  g_object_set (trans, "direction", GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV,
      NULL);
  fail_unless_equals_int (take_count (counts, "direction"), 0);
  fail_unless (gst_rtc_rtp_transceiver_set_direction (trans,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY));
  fail_unless_equals_int (take_count (counts, "direction"), 1);
  g_object_get (trans, "direction", &dir, NULL);
  fail_unless_equals_int (dir, GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY);

  fail_unless (gst_rtc_rtp_transceiver_set_mid (trans, "audio0"));
  fail_unless (gst_rtc_rtp_transceiver_set_mid (trans, "audio0"));
  fail_unless_equals_int (take_count (counts, "mid"), 1);
  g_object_get (trans, "mid", &mid, NULL);
  fail_unless_equals_string (mid, "audio0");
  g_free (mid);
  fail_unless (gst_rtc_rtp_transceiver_set_mid (trans, NULL));
  fail_unless_equals_int (take_count (counts, "mid"), 1);
  fail_unless (gst_rtc_rtp_transceiver_get_mid (trans) == NULL);

  gst_rtc_rtp_transceiver_set_mlineindex (trans, 2);
  gst_rtc_rtp_transceiver_set_mlineindex (trans, 2);
  fail_unless_equals_int (take_count (counts, "mlineindex"), 1);
  g_object_get (trans, "mlineindex", &mline, NULL);
  fail_unless_equals_int (mline, 2);

  gst_rtc_rtp_transceiver_set_current_direction (trans,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY);
  gst_rtc_rtp_transceiver_set_current_direction (trans,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY);
  fail_unless_equals_int (take_count (counts, "current-direction"), 1);
  fail_unless_equals_int (gst_rtc_rtp_transceiver_get_current_direction (trans),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY);

  gst_rtc_rtp_transceiver_set_kind (trans, GST_RTC_KIND_VIDEO);
  gst_rtc_rtp_transceiver_set_kind (trans, GST_RTC_KIND_VIDEO);
  fail_unless_equals_int (take_count (counts, "kind"), 1);
  fail_unless_equals_int (gst_rtc_rtp_transceiver_get_kind (trans),
      GST_RTC_KIND_VIDEO);

  /* Nothing else was notified. */
  fail_unless_equals_int (g_hash_table_size (counts), 0);

  g_signal_handlers_disconnect_by_func (trans, on_notify, counts);
  g_hash_table_unref (counts);
  gst_object_unref (trans);
}
GST_END_TEST;

/* stop(): stopping at once, once; the direction is final; the session
 * element's set_stopped() finishes it. */
GST_START_TEST (test_transceiver_stop)
{
  GstRtcRtpTransceiver *trans = new_transceiver ();
  GHashTable *counts = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean stopping, stopped;

  fail_unless (gst_rtc_rtp_transceiver_set_direction (trans,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV));
  fail_unless (gst_rtc_rtp_transceiver_set_mid (trans, "0"));
  gst_rtc_rtp_transceiver_set_current_direction (trans,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  g_signal_connect (trans, "notify", G_CALLBACK (on_notify), counts);
  fail_if (gst_rtc_rtp_transceiver_is_stopping (trans));
  fail_if (gst_rtc_rtp_transceiver_is_stopped (trans));

  g_signal_emit_by_name (trans, "stop");
  fail_unless_equals_int (take_count (counts, "stopping"), 1);
  gst_rtc_rtp_transceiver_stop (trans);
  fail_unless_equals_int (take_count (counts, "stopping"), 0);
  g_object_get (trans, "stopping", &stopping, "stopped", &stopped, NULL);
  fail_unless (stopping);
  fail_if (stopped);
  fail_if (gst_rtc_rtp_transceiver_set_direction (trans,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY));
  fail_unless_equals_int (gst_rtc_rtp_transceiver_get_direction (trans),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  fail_unless_equals_int (g_hash_table_size (counts), 0);

  gst_rtc_rtp_transceiver_set_stopped (trans);
  gst_rtc_rtp_transceiver_set_stopped (trans);
  fail_unless_equals_int (take_count (counts, "stopped"), 1);
  fail_unless_equals_int (take_count (counts, "mid"), 1);
  fail_unless_equals_int (take_count (counts, "current-direction"), 1);
  fail_unless_equals_int (g_hash_table_size (counts), 0);
  fail_unless (gst_rtc_rtp_transceiver_is_stopped (trans));
  fail_unless (gst_rtc_rtp_transceiver_get_mid (trans) == NULL);
  fail_unless_equals_int (gst_rtc_rtp_transceiver_get_current_direction (trans),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE);

  g_signal_handlers_disconnect_by_func (trans, on_notify, counts);
  g_hash_table_unref (counts);
  gst_object_unref (trans);
}
GST_END_TEST;

GST_START_TEST (test_transceiver_validate)
{
  GstRtcRtpTransceiver *trans = new_transceiver ();
  GHashTable *counts = g_hash_table_new (g_str_hash, g_str_equal);
  const gchar *bad_mids[] = { "", "a b", "mid\n", "a:b", "a\"b", "\xc3\xa9" };
  const gchar *bad_caps[] = { "ANY", "EMPTY", "video/x-raw",
    "application/x-rtp, encoding-name=VP8; audio/x-raw" };
  GstCaps *good = gst_caps_from_string (
      "application/x-rtp, media=video, encoding-name=VP8, payload=96");
  GstCaps *caps;
  gchar *mid;
  guint i;

  fail_unless (gst_rtc_rtp_transceiver_set_direction (trans,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY));
  fail_unless (gst_rtc_rtp_transceiver_set_mid (trans, "v!#$%&'*+-.^_`{|}~1"));
  fail_unless (gst_rtc_rtp_transceiver_set_codec_preferences (trans, good));
  g_signal_connect (trans, "notify", G_CALLBACK (on_notify), counts);

  /* "none" is not a direction one can ask for. */
  fail_if (gst_rtc_rtp_transceiver_set_direction (trans,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE));
  fail_if (gst_rtc_rtp_transceiver_set_direction (trans, 42));
  ASSERT_WARNING (g_object_set (trans, "direction",
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE, NULL));
  fail_unless_equals_int (gst_rtc_rtp_transceiver_get_direction (trans),
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY);

  /* A mid is an SDP token: a remote description may carry anything. */
  for (i = 0; i < G_N_ELEMENTS (bad_mids); i++)
    fail_if (gst_rtc_rtp_transceiver_set_mid (trans, bad_mids[i]), "%s",
        bad_mids[i]);
  mid = gst_rtc_rtp_transceiver_get_mid (trans);
  fail_unless_equals_string (mid, "v!#$%&'*+-.^_`{|}~1");
  g_free (mid);

  /* Codec preferences are RTP caps, one structure per codec. */
  for (i = 0; i < G_N_ELEMENTS (bad_caps); i++) {
    GstCaps *bad = gst_caps_from_string (bad_caps[i]);

    fail_unless (bad != NULL);
    fail_if (gst_rtc_rtp_transceiver_set_codec_preferences (trans, bad), "%s",
        bad_caps[i]);
    ASSERT_WARNING (g_object_set (trans, "codec-preferences", bad, NULL));
    gst_caps_unref (bad);
  }
  caps = gst_rtc_rtp_transceiver_get_codec_preferences (trans);
  fail_unless (caps == good);
  gst_caps_unref (caps);

  /* Refused values changed nothing, so nothing was notified. */
  fail_unless_equals_int (g_hash_table_size (counts), 0);

  g_signal_handlers_disconnect_by_func (trans, on_notify, counts);
  g_hash_table_unref (counts);
  gst_caps_unref (good);
  gst_object_unref (trans);
}
GST_END_TEST;

GST_START_TEST (test_codec_preferences_ref)
{
  GstRtcRtpTransceiver *trans = new_transceiver ();
  GHashTable *counts = g_hash_table_new (g_str_hash, g_str_equal);
  GstCaps *caps = gst_caps_from_string (
      "application/x-rtp, media=audio, encoding-name=OPUS, payload=111");
  GstCaps *same, *got = NULL, *mine;

  g_signal_connect (trans, "notify", G_CALLBACK (on_notify), counts);

  /* The transceiver keeps a reference, not a copy. */
  g_object_set (trans, "codec-preferences", caps, NULL);
  fail_unless_equals_int (take_count (counts, "codec-preferences"), 1);
  ASSERT_MINI_OBJECT_REFCOUNT (caps, "caps", 2);
  g_object_get (trans, "codec-preferences", &got, NULL);
  fail_unless (got == caps);
  ASSERT_MINI_OBJECT_REFCOUNT (caps, "caps", 3);
  gst_caps_unref (got);

  /* Shared caps are not writable: the application's later edits go to a
   * copy and never reach the transceiver. */
  mine = gst_caps_make_writable (gst_caps_ref (caps));
  fail_unless (mine != caps);
  gst_caps_set_simple (mine, "payload", G_TYPE_INT, 100, NULL);
  got = gst_rtc_rtp_transceiver_get_codec_preferences (trans);
  fail_unless (got == caps);
  fail_unless (gst_structure_has_field_typed (gst_caps_get_structure (got, 0),
      "payload", G_TYPE_INT));
  {
    gint pt = 0;

    gst_structure_get_int (gst_caps_get_structure (got, 0), "payload", &pt);
    fail_unless_equals_int (pt, 111);
  }
  gst_caps_unref (got);
  gst_caps_unref (mine);

  /* Equal caps replace the reference without a notify. */
  same = gst_caps_copy (caps);
  g_object_set (trans, "codec-preferences", same, NULL);
  fail_unless_equals_int (take_count (counts, "codec-preferences"), 0);
  ASSERT_MINI_OBJECT_REFCOUNT (caps, "caps", 1);
  ASSERT_MINI_OBJECT_REFCOUNT (same, "same", 2);

  /* NULL drops it. */
  g_object_set (trans, "codec-preferences", NULL, NULL);
  fail_unless_equals_int (take_count (counts, "codec-preferences"), 1);
  ASSERT_MINI_OBJECT_REFCOUNT (same, "same", 1);

  /* The transceiver's reference goes with it. */
  gst_rtc_rtp_transceiver_set_codec_preferences (trans, caps);
  ASSERT_MINI_OBJECT_REFCOUNT (caps, "caps", 2);
  g_signal_handlers_disconnect_by_func (trans, on_notify, counts);
  gst_object_unref (trans);
  ASSERT_MINI_OBJECT_REFCOUNT (caps, "caps", 1);

  g_hash_table_unref (counts);
  gst_caps_unref (same);
  gst_caps_unref (caps);
}
GST_END_TEST;

GST_START_TEST (test_sender_receiver)
{
  GstRtcRtpSender *sender = gst_object_ref_sink (gst_rtc_rtp_sender_new ());
  GstRtcRtpReceiver *receiver = gst_object_ref_sink (
      gst_rtc_rtp_receiver_new ());
  GstObject *transport = gst_object_ref_sink (
      g_object_new (GST_TYPE_BIN, "name", "dtls0", NULL));
  GHashTable *counts = g_hash_table_new (g_str_hash, g_str_equal);
  GstRtcRtpTransceiver *trans, *other;
  GstObject *got;
  GstRtcPriorityType priority = 0;

  /* Given halves are used, and parented to the transceiver. */
  trans = gst_object_ref_sink (g_object_new (GST_TYPE_RTC_RTP_TRANSCEIVER,
      "sender", sender, "receiver", receiver, "mlineindex", 1, NULL));
  fail_unless (gst_rtc_rtp_transceiver_get_sender (trans) == sender);
  fail_unless (gst_rtc_rtp_transceiver_get_receiver (trans) == receiver);
  fail_unless (GST_OBJECT_PARENT (sender) == GST_OBJECT (trans));
  fail_unless_equals_int (gst_rtc_rtp_transceiver_get_mlineindex (trans), 1);

  /* A sender belongs to one transceiver only. */
  ASSERT_WARNING (other = g_object_new (GST_TYPE_RTC_RTP_TRANSCEIVER, "sender",
                      sender, NULL));
  fail_unless (GST_OBJECT_PARENT (sender) == GST_OBJECT (trans));
  gst_object_unref (gst_object_ref_sink (other));
  fail_unless (GST_OBJECT_PARENT (sender) == GST_OBJECT (trans));

  g_signal_connect (sender, "notify", G_CALLBACK (on_notify), counts);
  g_signal_connect (receiver, "notify", G_CALLBACK (on_notify), counts);
  gst_rtc_rtp_sender_set_transport (sender, transport);
  gst_rtc_rtp_sender_set_transport (sender, transport);
  gst_rtc_rtp_receiver_set_transport (receiver, transport);
  fail_unless_equals_int (take_count (counts, "transport"), 2);
  ASSERT_OBJECT_REFCOUNT (transport, "transport", 3);
  g_object_get (receiver, "transport", &got, NULL);
  fail_unless (got == transport);
  gst_object_unref (got);

  g_object_set (sender, "priority", GST_RTC_PRIORITY_TYPE_HIGH, NULL);
  g_object_set (sender, "priority", GST_RTC_PRIORITY_TYPE_HIGH, NULL);
  fail_unless_equals_int (take_count (counts, "priority"), 1);
  g_object_get (sender, "priority", &priority, NULL);
  fail_unless_equals_int (priority, GST_RTC_PRIORITY_TYPE_HIGH);
  fail_unless_equals_int (g_hash_table_size (counts), 0);
  g_signal_handlers_disconnect_by_func (sender, on_notify, counts);
  g_signal_handlers_disconnect_by_func (receiver, on_notify, counts);

  /* The transceiver lets go of its halves, which release the transport
   * when they go. */
  gst_object_unref (trans);
  fail_unless (GST_OBJECT_PARENT (sender) == NULL);
  fail_unless (GST_OBJECT_PARENT (receiver) == NULL);
  ASSERT_OBJECT_REFCOUNT (sender, "sender", 1);
  ASSERT_OBJECT_REFCOUNT (receiver, "receiver", 1);
  gst_object_unref (sender);
  gst_object_unref (receiver);
  ASSERT_OBJECT_REFCOUNT (transport, "transport", 1);
  gst_object_unref (transport);
  g_hash_table_unref (counts);
}
GST_END_TEST;

/* rtcbin derives its transceiver from this one; a subclass keeps the
 * base properties and can add its own. */
typedef struct {
  GstRtcRtpTransceiver parent;
  gboolean do_nack;
} TestTransceiver;

typedef struct {
  GstRtcRtpTransceiverClass parent_class;
} TestTransceiverClass;

static GType test_transceiver_get_type (void);
G_DEFINE_TYPE (TestTransceiver, test_transceiver, GST_TYPE_RTC_RTP_TRANSCEIVER);

static void
test_transceiver_class_init (TestTransceiverClass *klass)
{
}

static void
test_transceiver_init (TestTransceiver *self)
{
  self->do_nack = TRUE;
}

GST_START_TEST (test_transceiver_subclass)
{
  GstRtcRtpTransceiver *trans = gst_object_ref_sink (
      g_object_new (test_transceiver_get_type (), "direction",
          GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, "mlineindex", 0, NULL));
  GstRtcRtpTransceiverDirection dir = 0;

  fail_unless (GST_IS_RTC_RTP_TRANSCEIVER (trans));
  fail_unless (((TestTransceiver *)trans)->do_nack);
  g_object_get (trans, "direction", &dir, NULL);
  fail_unless_equals_int (dir, GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  fail_unless_equals_int (gst_rtc_rtp_transceiver_get_mlineindex (trans), 0);
  fail_unless (GST_OBJECT_PARENT (gst_rtc_rtp_transceiver_get_sender (trans))
      == GST_OBJECT (trans));
  gst_object_unref (trans);
}
GST_END_TEST;

static Suite *
rtc_suite (void)
{
  Suite *s = suite_create ("rtc");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_session_description_copy_free);
  tcase_add_test (tc, test_sdp_type_to_string);
  tcase_add_test (tc, test_enum_nicks);
  tcase_add_test (tc, test_enums_match_webrtcbin);
  tcase_add_test (tc, test_error_quark);
  tcase_add_test (tc, test_transceiver_defaults);
  tcase_add_test (tc, test_transceiver_notify);
  tcase_add_test (tc, test_transceiver_stop);
  tcase_add_test (tc, test_transceiver_validate);
  tcase_add_test (tc, test_codec_preferences_ref);
  tcase_add_test (tc, test_sender_receiver);
  tcase_add_test (tc, test_transceiver_subclass);
  return s;
}

RTC_CHECK_MAIN (rtc);
