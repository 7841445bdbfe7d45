/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * Rollback for rtcbin (RFC 8829 4.1.10.2, W3C webrtc "rollback"): an
 * offer, local or remote, is applied to the JSEP model as it comes
 * (create-offer places transceivers, a remote offer places and makes
 * them), so returning to stable means putting back the placements of the
 * last stable state and dropping what the pending remote offer made. The
 * placements are saved each time the session becomes stable; between two
 * saves only offers move them.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "rtcbinrollback.h"

GST_DEBUG_CATEGORY_STATIC (rtc_bin_rollback_debug);
#define GST_CAT_DEFAULT rtc_bin_rollback_debug

typedef struct {
  gchar *mid;
  gint mline;
} Placement;

struct _RtcBinRollback {
  /* GstRtcRtpTransceiver (reffed) -> Placement, at the last stable state */
  GHashTable *placements;
  gchar *data_mid;
  gint data_mline;
  /* Transceivers the pending remote offer made (reffed). */
  GPtrArray *created;
};

static void
placement_free (gpointer p)
{
  g_free (((Placement *)p)->mid);
  g_free (p);
}

RtcBinRollback *
rtc_bin_rollback_new (void)
{
  RtcBinRollback *rb = g_new0 (RtcBinRollback, 1);

  if (g_once_init_enter (&rtc_bin_rollback_debug)) {
    GstDebugCategory *cat = NULL;

    GST_DEBUG_CATEGORY_INIT (cat, "rtcbinrollback", 0, "rtcbin rollback");
    g_once_init_leave (&rtc_bin_rollback_debug, cat);
  }
  rb->placements = g_hash_table_new_full (NULL, NULL, gst_object_unref,
      placement_free);
  rb->data_mline = -1;
  rb->created = g_ptr_array_new_with_free_func (gst_object_unref);
  return rb;
}

void
rtc_bin_rollback_free (RtcBinRollback *rb)
{
  if (!rb)
    return;
  g_hash_table_unref (rb->placements);
  g_free (rb->data_mid);
  g_ptr_array_unref (rb->created);
  g_free (rb);
}

/*
 * rtc_bin_rollback_save:
 * @jsep: (nullable): the model, %NULL before the session has one
 * @transceivers: (element-type GstRtcRtpTransceiver): the element's
 *
 * Remembers the placements of the stable state the session just entered;
 * nothing is pending any more.
 */
void
rtc_bin_rollback_save (RtcBinRollback *rb, const RtcJsepSession *jsep,
    GPtrArray *transceivers)
{
  guint i;

  g_hash_table_remove_all (rb->placements);
  g_ptr_array_set_size (rb->created, 0);
  for (i = 0; i < transceivers->len; i++) {
    GstRtcRtpTransceiver *trans = g_ptr_array_index (transceivers, i);
    RtcJsepTransceiver *jt = g_object_get_data (G_OBJECT (trans),
        "rtcbin-jsep");
    Placement *p;

    if (!jt || jt->mline < 0)
      continue;
    p = g_new0 (Placement, 1);
    p->mid = g_strdup (jt->mid);
    p->mline = jt->mline;
    g_hash_table_insert (rb->placements, gst_object_ref (trans), p);
  }
  g_clear_pointer (&rb->data_mid, g_free);
  rb->data_mline = -1;
  if (jsep) {
    rb->data_mid = g_strdup (jsep->data_mid);
    rb->data_mline = jsep->data_mline;
  }
}

/* A transceiver the remote offer being applied made: a rollback of that
 * offer removes it (W3C: unless a track was attached to it meanwhile). */
void
rtc_bin_rollback_note_created (RtcBinRollback *rb, GstRtcRtpTransceiver *trans)
{
  g_ptr_array_add (rb->created, gst_object_ref (trans));
}

/*
 * rtc_bin_rollback_restore:
 * @transceivers: (element-type GstRtcRtpTransceiver): the element's
 *
 * Puts back the placements of the last stable state in @jsep and in the
 * transceivers' `mid` and `mlineindex` (a transceiver first placed since
 * then has neither again), and removes from @jsep the transceivers the
 * pending remote offer made, and any JSEP transceiver without an element
 * twin (left by a remote offer that failed half way). Call without the
 * element's lock: the transceivers notify.
 *
 * Returns: (transfer full) (element-type GstRtcRtpTransceiver): the
 *   transceivers the element must drop from its list
 */
GPtrArray *
rtc_bin_rollback_restore (RtcBinRollback *rb, RtcJsepSession *jsep,
    GPtrArray *transceivers)
{
  GPtrArray *removed = g_ptr_array_new_with_free_func (gst_object_unref);
  g_autoptr (GPtrArray) kept = g_ptr_array_new ();
  guint i;

  for (i = 0; i < transceivers->len; i++) {
    GstRtcRtpTransceiver *trans = g_ptr_array_index (transceivers, i);
    RtcJsepTransceiver *jt = g_object_get_data (G_OBJECT (trans),
        "rtcbin-jsep");
    Placement *p;

    if (!jt)
      continue;
    p = g_hash_table_lookup (rb->placements, trans);
    if (!p && g_ptr_array_find (rb->created, trans, NULL)
        && !g_object_get_data (G_OBJECT (trans), "rtcbin-sinkpad")) {
      GST_DEBUG ("removing the transceiver of mid %s", jt->mid);
      g_object_set_data (G_OBJECT (trans), "rtcbin-jsep", NULL);
      g_ptr_array_add (removed, gst_object_ref (trans));
      continue;
    }
    g_ptr_array_add (kept, jt);
    g_free (jt->mid);
    jt->mid = p ? g_strdup (p->mid) : NULL;
    jt->mline = p ? p->mline : -1;
    gst_rtc_rtp_transceiver_set_mid (trans, jt->mid);
    gst_rtc_rtp_transceiver_set_mlineindex (trans,
        jt->mline >= 0 ? (guint)jt->mline : G_MAXUINT);
  }
  /* The model owns (and frees) every transceiver the element gave up. */
  for (i = jsep->transceivers->len; i-- > 0;) {
    if (!g_ptr_array_find (kept, g_ptr_array_index (jsep->transceivers, i),
            NULL))
      g_ptr_array_remove_index (jsep->transceivers, i);
  }
  g_free (jsep->data_mid);
  jsep->data_mid = g_strdup (rb->data_mid);
  jsep->data_mline = rb->data_mline;
  g_ptr_array_set_size (rb->created, 0);
  return removed;
}
