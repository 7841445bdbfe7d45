/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * createOffer (RFC 8829 5.2): one m-line per transceiver and one for data
 * channels, in a stable order across renegotiations, payload types that
 * never collide within the description and that keep their previous
 * values, header extension ids likewise, and a BUNDLE group per the
 * session's policy.
 */
#include "rtcjsepcodec.h"
#include "rtcjsepsdp.h"

#include <string.h>

/* One m-line of the offer being built. */
typedef struct {
  RtcJsepTransceiver *trans;
  gboolean data;
  const GstSDPMedia *prev;
  GPtrArray *codecs;
  GPtrArray *prev_codecs;
} Slot;

static void
slot_clear (Slot *slot)
{
  g_clear_pointer (&slot->codecs, g_ptr_array_unref);
  g_clear_pointer (&slot->prev_codecs, g_ptr_array_unref);
}

static gboolean
mid_in_use (RtcJsepSession *session, const GstSDPMessage *prev_local,
    const GstSDPMessage *prev_remote, const gchar *mid)
{
  return rtc_jsep_session_find_mid (session, mid)
      || !g_strcmp0 (session->data_mid, mid)
      || (prev_local && rtc_jsep_find_mid (prev_local, mid) >= 0)
      || (prev_remote && rtc_jsep_find_mid (prev_remote, mid) >= 0);
}

/* JSEP 5.2.1: mids are short and unique; browsers count from "0". */
static gchar *
new_mid (RtcJsepSession *session, const GstSDPMessage *prev_local,
    const GstSDPMessage *prev_remote)
{
  guint n;

  for (n = 0;; n++) {
    gchar *mid = g_strdup_printf ("%u", n);
    if (!mid_in_use (session, prev_local, prev_remote, mid))
      return mid;
    g_free (mid);
  }
}

/* The previous m-line of slot @idx, from our last description or, when
 * we have none, the peer's. */
static const GstSDPMedia *
previous_media (const GstSDPMessage *prev_local,
    const GstSDPMessage *prev_remote, guint idx)
{
  if (prev_local && idx < gst_sdp_message_medias_len (prev_local))
    return gst_sdp_message_get_media (prev_local, idx);
  if (prev_remote && idx < gst_sdp_message_medias_len (prev_remote))
    return gst_sdp_message_get_media (prev_remote, idx);
  return NULL;
}

/* JSEP 5.2.2: an m-line rejected in the current descriptions whose
 * transceiver is stopped (or gone) may take a new transceiver, with a
 * new mid, instead of growing the description. */
static gint
recyclable_slot (GArray *slots, const GstSDPMessage *prev_local,
    const GstSDPMessage *prev_remote)
{
  guint i;

  for (i = 0; i < slots->len; i++) {
    Slot *slot = &g_array_index (slots, Slot, i);

    if (slot->data || (slot->trans && !slot->trans->stopped))
      continue;
    if (prev_local
        && (i >= gst_sdp_message_medias_len (prev_local)
            || !rtc_jsep_media_is_rejected (prev_local, i)))
      continue;
    if (prev_remote
        && (i >= gst_sdp_message_medias_len (prev_remote)
            || !rtc_jsep_media_is_rejected (prev_remote, i)))
      continue;
    if (!prev_local && !prev_remote)
      continue;
    return i;
  }
  return -1;
}

/* Places transceivers and the data section into m-line slots: those
 * already with an m-line keep it, new ones take a recyclable slot or are
 * appended (JSEP 5.2.2). */
static GArray *
assign_slots (RtcJsepSession *session, const GstSDPMessage *prev_local,
    const GstSDPMessage *prev_remote, GError **error)
{
  GArray *slots = g_array_new (FALSE, TRUE, sizeof (Slot));
  guint n = 0, i;
  gint recycled;

  g_array_set_clear_func (slots, (GDestroyNotify)slot_clear);
  if (prev_local)
    n = gst_sdp_message_medias_len (prev_local);
  if (prev_remote)
    n = MAX (n, gst_sdp_message_medias_len (prev_remote));
  for (i = 0; i < session->transceivers->len; i++) {
    RtcJsepTransceiver *t = g_ptr_array_index (session->transceivers, i);
    if (t->mline >= 0)
      n = MAX (n, (guint)t->mline + 1);
  }
  if (session->data_mline >= 0)
    n = MAX (n, (guint)session->data_mline + 1);
  if (n > RTC_JSEP_MAX_MEDIA) {
    g_array_unref (slots);
    return rtc_jsep_error (error, GST_RTC_ERROR_INTERNAL_FAILURE,
        "Too many m-lines (%u)", n);
  }
  g_array_set_size (slots, n);

  for (i = 0; i < session->transceivers->len; i++) {
    RtcJsepTransceiver *t = g_ptr_array_index (session->transceivers, i);
    Slot *slot;

    if (t->mline < 0)
      continue;
    slot = &g_array_index (slots, Slot, t->mline);
    if (slot->trans) {
      g_array_unref (slots);
      return rtc_jsep_error (error, GST_RTC_ERROR_INTERNAL_FAILURE,
          "Two transceivers claim m-line %d", t->mline);
    }
    slot->trans = t;
  }
  if (session->data_mline >= 0) {
    Slot *slot = &g_array_index (slots, Slot, session->data_mline);
    if (slot->trans) {
      g_array_unref (slots);
      return rtc_jsep_error (error, GST_RTC_ERROR_INTERNAL_FAILURE,
          "The data section and a transceiver claim m-line %d",
          session->data_mline);
    }
    slot->data = TRUE;
  }

  for (i = 0; i < session->transceivers->len; i++) {
    RtcJsepTransceiver *t = g_ptr_array_index (session->transceivers, i);
    Slot slot = { 0 };

    if (t->mline >= 0 || t->stopped)
      continue;
    if ((recycled = recyclable_slot (slots, prev_local, prev_remote)) >= 0) {
      Slot *old = &g_array_index (slots, Slot, recycled);
      /* The stopped transceiver leaves the description for good. */
      if (old->trans)
        old->trans->mline = -1;
      old->trans = t;
      t->mline = recycled;
      if (!t->mid)
        t->mid = new_mid (session, prev_local, prev_remote);
      continue;
    }
    if (slots->len >= RTC_JSEP_MAX_MEDIA) {
      g_array_unref (slots);
      return rtc_jsep_error (error, GST_RTC_ERROR_INTERNAL_FAILURE,
          "Too many m-lines");
    }
    t->mline = slots->len;
    if (!t->mid)
      t->mid = new_mid (session, prev_local, prev_remote);
    slot.trans = t;
    g_array_append_val (slots, slot);
  }
  if (session->data_channel && session->data_mline < 0) {
    Slot slot = { 0 };

    session->data_mline = slots->len;
    if (!session->data_mid)
      session->data_mid = new_mid (session, prev_local, prev_remote);
    slot.data = TRUE;
    g_array_append_val (slots, slot);
  }
  for (i = 0; i < slots->len; i++) {
    Slot *slot = &g_array_index (slots, Slot, i);
    slot->prev = previous_media (prev_local, prev_remote, i);
  }
  return slots;
}

/* The payload type @codec had in the previous m-line, with its RTX. */
static gint
previous_pt (const Slot *slot, const RtcJsepCodec *codec, gint *rtx_pt)
{
  guint i;

  *rtx_pt = -1;
  if (!slot->prev_codecs)
    return -1;
  for (i = 0; i < slot->prev_codecs->len; i++) {
    RtcJsepCodec *prev = g_ptr_array_index (slot->prev_codecs, i);
    RtcJsepCodec *m = rtc_jsep_codec_match (codec, prev);

    if (m) {
      rtc_jsep_codec_free (m);
      *rtx_pt = prev->rtx_pt;
      return prev->pt;
    }
  }
  return -1;
}

/* Gives every codec (and RTX stream) of every live slot its payload
 * type: first those keeping a previous one, then the rest. */
static gboolean
allocate_pts (GArray *slots, GPtrArray *rtx_configs, GError **error)
{
  RtcJsepPtAllocator alloc = { { NULL } };
  guint pass, i, j;

  for (pass = 0; pass < 3; pass++) {
    for (i = 0; i < slots->len; i++) {
      Slot *slot = &g_array_index (slots, Slot, i);

      for (j = 0; slot->codecs && j < slot->codecs->len; j++) {
        RtcJsepCodec *c = g_ptr_array_index (slot->codecs, j);
        gint prev_rtx, prev = previous_pt (slot, c, &prev_rtx);
        gint pt;

        if (pass == 0 && prev >= 0) {
          pt = rtc_jsep_pt_allocate (&alloc, c, prev);
        } else if (pass == 1 && prev < 0) {
          pt = rtc_jsep_pt_allocate (&alloc, c, c->pt);
        } else if (pass == 2 && c->rtx_pt != -1) {
          /* RTX configurations are "rtx/clock apt=PT" (RFC 4588 8.6). */
          RtcJsepCodec *rtx = g_new0 (RtcJsepCodec, 1);
          gchar *apt = g_strdup_printf ("%d", c->pt);

          rtx->name = g_strdup ("RTX");
          rtx->clock_rate = c->clock_rate;
          rtx->pt = rtx->rtx_pt = -1;
          rtx->fmtp = gst_structure_new ("fmtp", "apt", G_TYPE_STRING, apt,
              NULL);
          g_free (apt);
          g_ptr_array_add (rtx_configs, rtx);
          c->rtx_pt = rtc_jsep_pt_allocate (&alloc, rtx, prev_rtx);
          if (c->rtx_pt < 0)
            goto exhausted;
          continue;
        } else {
          continue;
        }
        if (pt < 0)
          goto exhausted;
        c->pt = pt;
      }
    }
  }
  return TRUE;

exhausted:
  rtc_jsep_error (error, GST_RTC_ERROR_INTERNAL_FAILURE,
      "Out of payload types: the codecs of all m-lines need more than the "
      "61 dynamic payload types");
  return FALSE;
}

/* Header extensions of @kind we offer, with the ids browsers use. */
static const struct {
  const gchar *uri;
  guint id;
  gboolean audio;
  gboolean video;
} offered_exts[] = {
  { RTC_JSEP_EXT_AUDIO_LEVEL, 1, TRUE, FALSE },
  { RTC_JSEP_EXT_ABS_SEND_TIME, 2, FALSE, TRUE },
  { RTC_JSEP_EXT_TWCC, 3, TRUE, TRUE },
  { RTC_JSEP_EXT_MID, 4, TRUE, TRUE },
};

/* Header extension ids of the previous descriptions, so that a URI keeps
 * its id (an id that changes meaning breaks bundled demuxing). */
static void
collect_ext_ids (const GstSDPMessage *msg, gchar **uri_of_id)
{
  guint i, j;

  for (i = 0; msg && i < gst_sdp_message_medias_len (msg); i++) {
    const GstSDPMedia *m = gst_sdp_message_get_media (msg, i);
    for (j = 0; j < gst_sdp_media_attributes_len (m); j++) {
      const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, j);
      const gchar *sp;
      guint64 id;
      gchar *num;
      gboolean ok;

      if (!a->key || !g_str_equal (a->key, "extmap") || !a->value
          || !(sp = strchr (a->value, ' ')))
        continue;
      num = g_strndup (a->value, strcspn (a->value, " /"));
      ok = rtc_jsep_parse_uint (num, 14, &id) && id > 0;
      g_free (num);
      if (ok && !uri_of_id[id])
        uri_of_id[id] = g_strndup (sp + 1, strcspn (sp + 1, " "));
    }
  }
}

/* The id of @uri in this offer: the one it already has, else @preferred
 * if free, else the first free one-byte id; 0 when none is left. */
static guint
ext_id (gchar **uri_of_id, const gchar *uri, guint preferred)
{
  guint id;

  for (id = 1; id <= 14; id++) {
    if (!g_strcmp0 (uri_of_id[id], uri))
      return id;
  }
  if (preferred >= 1 && preferred <= 14 && !uri_of_id[preferred]) {
    uri_of_id[preferred] = g_strdup (uri);
    return preferred;
  }
  for (id = 1; id <= 14; id++) {
    if (!uri_of_id[id]) {
      uri_of_id[id] = g_strdup (uri);
      return id;
    }
  }
  return 0;
}

static void
add_extmap (GPtrArray *exts, gchar **uri_of_id, const gchar *uri,
    guint preferred)
{
  guint id = ext_id (uri_of_id, uri, preferred), i;
  gchar *value;

  if (!id)
    return;
  value = g_strdup_printf ("%u %s", id, uri);
  for (i = 0; i < exts->len; i++) {
    if (!g_strcmp0 (g_ptr_array_index (exts, i), value)) {
      g_free (value);
      return;
    }
  }
  g_ptr_array_add (exts, value);
}

/* Our header extensions for @kind, then those the transceiver's codec
 * caps ask for. */
static GPtrArray *
offer_extmaps (const RtcJsepTransceiver *t, gchar **uri_of_id)
{
  GPtrArray *exts = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *wanted = rtc_jsep_caps_extmaps (t->codecs);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (offered_exts); i++) {
    if (t->kind == GST_RTC_KIND_AUDIO ? offered_exts[i].audio
                                      : offered_exts[i].video)
      add_extmap (exts, uri_of_id, offered_exts[i].uri, offered_exts[i].id);
  }
  for (i = 0; i < wanted->len; i++) {
    RtcJsepExtmap *e = g_ptr_array_index (wanted, i);
    add_extmap (exts, uri_of_id, e->uri, e->id);
  }
  g_ptr_array_unref (wanted);
  return exts;
}

static const gchar *
kind_name (GstRtcKind kind)
{
  return kind == GST_RTC_KIND_AUDIO ? "audio" : "video";
}

/* A rejected or stopped m-line: port 0, the previous payload types (an
 * m= line needs one), the mid and `inactive`; no transport (JSEP 5.2.2). */
static void
write_dead_media (GstSDPMedia *media, const Slot *slot)
{
  const GstSDPMedia *prev = slot->prev;
  const gchar *mid = slot->trans ? slot->trans->mid : NULL;
  guint i;

  if (prev) {
    gst_sdp_media_set_media (media, gst_sdp_media_get_media (prev));
    gst_sdp_media_set_proto (media, gst_sdp_media_get_proto (prev));
    for (i = 0; i < gst_sdp_media_formats_len (prev); i++)
      gst_sdp_media_add_format (media, gst_sdp_media_get_format (prev, i));
    if (!mid)
      mid = gst_sdp_media_get_attribute_val (prev, "mid");
  } else {
    /* A slot nothing describes any more: reject it as audio. */
    gst_sdp_media_set_media (media,
        kind_name (slot->trans ? slot->trans->kind : GST_RTC_KIND_AUDIO));
    gst_sdp_media_set_proto (media, "UDP/TLS/RTP/SAVPF");
  }
  if (gst_sdp_media_formats_len (media) == 0)
    gst_sdp_media_add_format (media, "0");
  gst_sdp_media_set_port_info (media, 0, 0);
  if (mid)
    gst_sdp_media_add_attribute (media, "mid", mid);
  gst_sdp_media_add_attribute (media, "inactive", "");
}

static gboolean
slot_is_live (const Slot *slot)
{
  return slot->data || (slot->trans && !slot->trans->stopped);
}

static const gchar *
slot_mid (RtcJsepSession *session, const Slot *slot)
{
  return slot->data ? session->data_mid : slot->trans->mid;
}

/*
 * rtc_jsep_create_offer:
 * @previous_local: (nullable): our current local description
 * @previous_remote: (nullable): the peer's current description
 *
 * Builds an offer from @session. Transceivers without an m-line get the
 * next one and a mid; those already placed keep their slot, and a slot
 * no transceiver claims any more stays as a rejected m-line. In a first
 * offer, the policy decides which m-lines are `bundle-only` (JSEP
 * 5.2.1): all but the first for max-bundle, all but the first of each
 * media type for balanced, none for max-compat.
 *
 * Returns: (transfer full): the offer, or %NULL with @error when the
 * codec preferences are invalid or the payload types run out.
 */
GstSDPMessage *
rtc_jsep_create_offer (RtcJsepSession *session,
    const GstSDPMessage *previous_local, const GstSDPMessage *previous_remote,
    GError **error)
{
  GPtrArray *rtx_configs = NULL, *bundle;
  gchar *uri_of_id[15] = { NULL };
  gboolean first_offer = !previous_local && !previous_remote;
  gboolean seen_kind[3] = { FALSE };
  GstSDPMessage *msg = NULL;
  GArray *slots;
  guint i;

  rtc_jsep_debug_init ();
  g_return_val_if_fail (session != NULL, NULL);
  if (!(slots = assign_slots (session, previous_local, previous_remote, error)))
    return NULL;

  for (i = 0; i < slots->len; i++) {
    Slot *slot = &g_array_index (slots, Slot, i);
    RtcJsepTransceiver *t = slot->trans;
    GstCaps *caps;
    guint j;

    if (!t || t->stopped)
      continue;
    caps = t->codecs ? gst_caps_ref (t->codecs)
                     : rtc_jsep_default_codecs (t->kind);
    slot->codecs = rtc_jsep_codecs_from_caps (caps, t->kind, error);
    gst_caps_unref (caps);
    if (!slot->codecs) {
      g_prefix_error (error, "Transceiver %s: ", t->mid);
      goto out;
    }
    for (j = 0; j < slot->codecs->len; j++) {
      RtcJsepCodec *c = g_ptr_array_index (slot->codecs, j);
      /* -2: wants an RTX payload type, allocated after the primaries. */
      c->rtx_pt = t->rtx && t->kind == GST_RTC_KIND_VIDEO ? -2 : -1;
    }
    if (slot->prev && rtc_jsep_kind_from_media (slot->prev) == t->kind)
      slot->prev_codecs = rtc_jsep_codecs_from_media (slot->prev, NULL);
  }
  rtx_configs = g_ptr_array_new_with_free_func (
      (GDestroyNotify)rtc_jsep_codec_free);
  if (!allocate_pts (slots, rtx_configs, error))
    goto out;

  collect_ext_ids (previous_local, uri_of_id);
  collect_ext_ids (previous_remote, uri_of_id);
  msg = rtc_jsep_new_message (session);
  bundle = g_ptr_array_new ();
  for (i = 0; i < slots->len; i++) {
    Slot *slot = &g_array_index (slots, Slot, i);
    GstSDPMedia m = { 0, }, *media = &m;
    guint kind_idx;

    /* init() reuses the arrays it finds, so it needs zeroed memory. */
    gst_sdp_media_init (media);
    if (!slot_is_live (slot)) {
      write_dead_media (media, slot);
    } else if (slot->data) {
      rtc_jsep_write_data_media (media, session, "actpass");
    } else {
      GPtrArray *exts = offer_extmaps (slot->trans, uri_of_id);

      rtc_jsep_transceiver_ensure_ssrc (slot->trans);
      gst_sdp_media_set_media (media, kind_name (slot->trans->kind));
      gst_sdp_media_set_port_info (media, 9, 0);
      gst_sdp_media_set_proto (media, "UDP/TLS/RTP/SAVPF");
      rtc_jsep_write_rtp_media (media, session, slot->trans, slot->codecs, exts,
          slot->trans->direction, "actpass", TRUE);
      g_ptr_array_unref (exts);
    }

    if (slot_is_live (slot)
        && session->bundle_policy != GST_RTC_BUNDLE_POLICY_NONE) {
      kind_idx = slot->data ? 0 : slot->trans->kind;
      if (first_offer && bundle->len > 0
          && (session->bundle_policy == GST_RTC_BUNDLE_POLICY_MAX_BUNDLE
              || (session->bundle_policy == GST_RTC_BUNDLE_POLICY_BALANCED
                  && seen_kind[kind_idx]))) {
        gst_sdp_media_set_port_info (media, 0, 0);
        gst_sdp_media_add_attribute (media, "bundle-only", "");
      }
      seen_kind[kind_idx] = TRUE;
      g_ptr_array_add (bundle, (gpointer)slot_mid (session, slot));
    }
    /* Takes over the contents of the stack media. */
    gst_sdp_message_add_media (msg, media);
  }
  if (bundle->len > 0) {
    GString *group = g_string_new ("BUNDLE");
    for (i = 0; i < bundle->len; i++)
      g_string_append_printf (group, " %s",
          (const gchar *)g_ptr_array_index (bundle, i));
    gst_sdp_message_add_attribute (msg, "group", group->str);
    g_string_free (group, TRUE);
  }
  g_ptr_array_unref (bundle);
  gst_sdp_message_add_attribute (msg, "msid-semantic", "WMS *");

out:
  for (i = 0; i < G_N_ELEMENTS (uri_of_id); i++)
    g_free (uri_of_id[i]);
  g_array_unref (slots);
  if (rtx_configs)
    g_ptr_array_unref (rtx_configs);
  return msg;
}
