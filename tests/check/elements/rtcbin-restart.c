/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * ICE restarts and consent through rtcbin, two rtcbins in one process on
 * 127.0.0.1 with Opus and VP8 flowing both ways:
 *
 * - a restart started by either side (`ice-restart` create-offer option;
 *   the other side answers a remote offer with new credentials) while
 *   media flows: the longest gap between buffers leaving the receivers'
 *   src pads stays under GAP_BOUND_MS, ICE and the connection stay
 *   connected, DTLS is not redone, new candidates and end-of-candidates
 *   are signalled for the new credentials and get-stats shows the new
 *   selected pair;
 * - the peer silenced (nftables rules inside the private namespace the
 *   suite runs in, scripts/netns-run.sh): `disconnected`, then `failed`
 *   when consent expires, in the ICE layer's times; an ICE restart then
 *   brings the call back;
 * - the peer silenced and heard again before consent expires:
 *   `disconnected`, then `connected`, never `failed`;
 * - the restart checks without media (test_restart_signalling), which
 *   valgrind can run.
 *
 * Figures (gaps, times) are printed for docs/ice.md.
 */
#include "../common/rtcbintest.h"
#include "../common/rtcnft.h"

#include <stdio.h>
#include "../common/rtccheckmain.h"

#define OPUS_SEND "audiotestsrc is-live=true ! opusenc ! rtpopuspay pt=96 ! "
#define VP8_SEND \
  "videotestsrc is-live=true ! video/x-raw,width=160,height=120," \
  "framerate=30/1 ! vp8enc deadline=1 ! rtpvp8pay pt=97 ! "

/* The longest receive gap a restart may cause: the old pair carries the
 * media until the new one is selected, so a gap is the packet interval
 * (20 ms audio, 33 ms video) plus scheduling jitter; the bound leaves a
 * wide margin for a loaded machine. */
#define GAP_BOUND_MS 250
/* After the new pair is selected, the gap window goes on this long. */
#define GAP_TAIL_MS 500
#define RESTARTS_PER_SIDE 3
/* The ICE layer: 2 s of silence after steady traffic is `disconnected`
 * (checked every 100 ms); libnice 0.1.21 fails the component 10 s after
 * the last consent answer, which came at most one check interval (6 s)
 * before the silence. */
#define SILENCE_MS 2000
#define TICK_MS 100
#define CONSENT_EXPIRY_MS 10000
/* How much earlier than those times a state may come: the last packets
 * before the cut may have left late, from a sender the machine starved
 * (more so under sanitizers). */
#define EARLY_SLACK_MS 250

#define DROP_TABLE "rtcbinrestartdrop"
#define COUNT_TABLE "rtcbinrestartcount"

enum { AUDIO, VIDEO };

typedef struct {
  gint state;
  gint64 at;
} StateChange;

typedef struct {
  const gchar *name;
  GstElement *pipe, *bin;
  GstElement *dtls_enc, *dtls_dec;
  RtcBinTestCounts counts;
  GMutex lock;
  /* Arrival times (µs) of the buffers leaving the src pads, by kind. */
  GArray *arrivals[2];
  GArray *ice_log, *pc_log;
  gint dtls_changes;
  gint candidates;
  gint end_of_candidates;
} Peer;

typedef struct {
  Peer a, b;
} Call;

/* ---- observers ---- */

static void
log_arrival (Peer *p, guint kind)
{
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&p->lock);
  g_array_append_val (p->arrivals[kind], now);
  g_mutex_unlock (&p->lock);
}

static GstPadProbeReturn
on_audio_out (GstPad *pad, GstPadProbeInfo *info, gpointer p)
{
  log_arrival (p, AUDIO);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_video_out (GstPad *pad, GstPadProbeInfo *info, gpointer p)
{
  log_arrival (p, VIDEO);
  return GST_PAD_PROBE_OK;
}

/* pad-added: decoded as rtcbintest.h does, with the arrivals logged. */
static void
on_pad_added (GstElement *bin, GstPad *pad, Peer *p)
{
  GstCaps *caps;
  gboolean audio;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  caps = gst_pad_query_caps (pad, NULL);
  audio = g_strcmp0 (gst_structure_get_string (gst_caps_get_structure (caps, 0),
                         "media"),
              "audio")
      == 0;
  gst_caps_unref (caps);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER,
      audio ? on_audio_out : on_video_out, p, NULL);
  rtcbin_test_decode_pad (bin, pad, &p->counts);
}

static void
log_state (Peer *p, GArray *log, gint state)
{
  StateChange c = { state, g_get_monotonic_time () };

  g_mutex_lock (&p->lock);
  g_array_append_val (log, c);
  g_mutex_unlock (&p->lock);
}

static void
on_ice_state (GstElement *bin, GParamSpec *pspec, Peer *p)
{
  log_state (p, p->ice_log, rtcbin_test_enum (bin, "ice-connection-state"));
}

static void
on_pc_state (GstElement *bin, GParamSpec *pspec, Peer *p)
{
  log_state (p, p->pc_log, rtcbin_test_enum (bin, "connection-state"));
}

static void
on_dtls_state (GstElement *dtls, GParamSpec *pspec, Peer *p)
{
  g_atomic_int_inc (&p->dtls_changes);
}

static void
on_candidate (GstElement *bin, guint mline, const gchar *candidate, Peer *p)
{
  if (candidate && *candidate)
    g_atomic_int_inc (&p->candidates);
  else
    g_atomic_int_inc (&p->end_of_candidates);
}

static guint
log_len (Peer *p, GArray *log)
{
  guint n;

  g_mutex_lock (&p->lock);
  n = log->len;
  g_mutex_unlock (&p->lock);
  return n;
}

/* The @n th change of @log from @mark on, -1 if there is none. */
static gint
log_nth (Peer *p, GArray *log, guint mark, guint n, gint64 *at)
{
  gint state = -1;

  g_mutex_lock (&p->lock);
  if (mark + n < log->len) {
    state = g_array_index (log, StateChange, mark + n).state;
    if (at)
      *at = g_array_index (log, StateChange, mark + n).at;
  }
  g_mutex_unlock (&p->lock);
  return state;
}

static gboolean
ice_up (gint s)
{
  return s == GST_RTC_ICE_CONNECTION_STATE_CONNECTED
      || s == GST_RTC_ICE_CONNECTION_STATE_COMPLETED;
}

/* The first change to @state in @log from @mark on, 0 if none; for
 * GST_RTC_ICE_CONNECTION_STATE_CONNECTED, to connected or completed. */
static gint64
log_first (Peer *p, GArray *log, guint mark, gint state)
{
  gint64 at = 0;
  guint i;

  g_mutex_lock (&p->lock);
  for (i = mark; i < log->len && !at; i++)
    if (g_array_index (log, StateChange, i).state == state
        || (log == p->ice_log && state == GST_RTC_ICE_CONNECTION_STATE_CONNECTED
            && ice_up (g_array_index (log, StateChange, i).state)))
      at = g_array_index (log, StateChange, i).at;
  g_mutex_unlock (&p->lock);
  return at;
}

/* Waits until @end (µs, monotonic) at the latest. */
static gint64
log_wait_until (Peer *p, GArray *log, guint mark, gint state, gint64 end)
{
  gint64 at;

  while (
      !(at = log_first (p, log, mark, state)) && g_get_monotonic_time () < end)
    g_usleep (2000);
  return at;
}

static gint64
log_wait (Peer *p, GArray *log, guint mark, gint state, guint64 ms)
{
  return log_wait_until (p, log, mark, state,
      g_get_monotonic_time () + RTC_TEST_MS (ms) * 1000);
}

/* The longest gap between two buffers of @kind that ends after @from and
 * starts before @to (a silence running past @to counts up to now). */
static gint64
max_gap (Peer *p, guint kind, gint64 from, gint64 to)
{
  GArray *t = p->arrivals[kind];
  gint64 gap = 0, last;
  guint i;

  g_mutex_lock (&p->lock);
  fail_unless (t->len > 1);
  for (i = 1; i < t->len; i++) {
    gint64 a = g_array_index (t, gint64, i - 1),
           b = g_array_index (t, gint64, i);

    if (b > from && a < to)
      gap = MAX (gap, b - a);
  }
  last = g_array_index (t, gint64, t->len - 1);
  if (last < to)
    gap = MAX (gap, g_get_monotonic_time () - last);
  g_mutex_unlock (&p->lock);
  return gap;
}

/* The longest gap of any of both peers' four src pads, in ms. */
static gint64
call_max_gap (Call *call, gint64 from, gint64 to)
{
  gint64 gap = 0;

  gap = MAX (gap, max_gap (&call->a, AUDIO, from, to));
  gap = MAX (gap, max_gap (&call->a, VIDEO, from, to));
  gap = MAX (gap, max_gap (&call->b, AUDIO, from, to));
  gap = MAX (gap, max_gap (&call->b, VIDEO, from, to));
  return gap / 1000;
}

static GstElement *
child_by_factory (GstElement *bin, const gchar *factory)
{
  GstIterator *it = gst_bin_iterate_elements (GST_BIN (bin));
  GValue item = G_VALUE_INIT;
  GstElement *found = NULL;
  gboolean done = FALSE;

  while (!done && !found) {
    switch (gst_iterator_next (it, &item)) {
      case GST_ITERATOR_OK: {
        GstElement *e = g_value_get_object (&item);
        GstElementFactory *f = gst_element_get_factory (e);

        if (f && g_str_equal (GST_OBJECT_NAME (f), factory))
          found = gst_object_ref (e);
        g_value_reset (&item);
        break;
      }
      case GST_ITERATOR_RESYNC:
        gst_iterator_resync (it);
        break;
      default:
        done = TRUE;
        break;
    }
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  return found;
}

/* ---- the call ---- */

/* What every peer starts with, before its pipeline. */
static void
peer_reset (Peer *p, const gchar *name)
{
  guint i;

  memset (p, 0, sizeof (*p));
  p->name = name;
  g_mutex_init (&p->lock);
  for (i = 0; i < 2; i++)
    p->arrivals[i] = g_array_new (FALSE, FALSE, sizeof (gint64));
  p->ice_log = g_array_new (FALSE, FALSE, sizeof (StateChange));
  p->pc_log = g_array_new (FALSE, FALSE, sizeof (StateChange));
}

/* Logs @p's state changes and forwards its candidates. */
static void
peer_watch (Peer *p)
{
  g_signal_connect (p->bin, "notify::ice-connection-state",
      G_CALLBACK (on_ice_state), p);
  g_signal_connect (p->bin, "notify::connection-state",
      G_CALLBACK (on_pc_state), p);
  g_signal_connect (p->bin, "on-ice-candidate", G_CALLBACK (on_candidate), p);
}

static void
peer_init (Peer *p, const gchar *name)
{
  gchar *desc = g_strdup_printf (OPUS_SEND "rtcbin name=%s " VP8_SEND "%s.",
      name, name);
  GError *error = NULL;

  peer_reset (p, name);
  p->pipe = gst_parse_launch (desc, &error);
  fail_unless (p->pipe != NULL, "%s", error ? error->message : "");
  g_free (desc);
  p->bin = gst_bin_get_by_name (GST_BIN (p->pipe), name);
  rtcbin_test_restrict (p->bin);
  p->counts.pipeline = p->pipe;
  g_signal_connect (p->bin, "pad-added", G_CALLBACK (on_pad_added), p);
  peer_watch (p);
}

/* A pipeline with an rtcbin alone (transceivers from add-transceiver). */
static void
peer_init_bare (Peer *p, const gchar *name)
{
  peer_reset (p, name);
  p->pipe = gst_pipeline_new (NULL);
  p->bin = rtcbin_test_new (name);
  gst_bin_add (GST_BIN (p->pipe), gst_object_ref (p->bin));
  peer_watch (p);
}

static void
peer_clear (Peer *p)
{
  guint i;

  fail_unless_equals_int (g_atomic_int_get (&p->counts.link_failures), 0);
  gst_element_set_state (p->pipe, GST_STATE_NULL);
  if (p->dtls_enc) {
    g_signal_handlers_disconnect_by_data (p->dtls_enc, p);
    g_signal_handlers_disconnect_by_data (p->dtls_dec, p);
    gst_object_unref (p->dtls_enc);
    gst_object_unref (p->dtls_dec);
  }
  g_signal_handlers_disconnect_by_data (p->bin, p);
  gst_object_unref (p->bin);
  gst_object_unref (p->pipe);
  for (i = 0; i < 2; i++)
    g_array_unref (p->arrivals[i]);
  g_array_unref (p->ice_log);
  g_array_unref (p->pc_log);
  g_mutex_clear (&p->lock);
}

/* Both peers decoded at least @audio audio and @video video buffers more
 * than they had. */
static void
wait_media (Call *call, gint audio, gint video, guint64 ms)
{
  gint aa = g_atomic_int_get (&call->a.counts.audio) + audio;
  gint av = g_atomic_int_get (&call->a.counts.video) + video;
  gint ba = g_atomic_int_get (&call->b.counts.audio) + audio;
  gint bv = g_atomic_int_get (&call->b.counts.video) + video;

  fail_unless (rtcbin_test_wait_int (&call->a.counts.audio, aa, ms));
  fail_unless (rtcbin_test_wait_int (&call->a.counts.video, av, ms));
  fail_unless (rtcbin_test_wait_int (&call->b.counts.audio, ba, ms));
  fail_unless (rtcbin_test_wait_int (&call->b.counts.video, bv, ms));
}

static void
watch_dtls (Peer *p)
{
  p->dtls_enc = child_by_factory (p->bin, "rtcdtlssrtpenc");
  p->dtls_dec = child_by_factory (p->bin, "rtcdtlssrtpdec");
  fail_unless (p->dtls_enc && p->dtls_dec);
  g_signal_connect (p->dtls_enc, "notify::connection-state",
      G_CALLBACK (on_dtls_state), p);
  g_signal_connect (p->dtls_dec, "notify::connection-state",
      G_CALLBACK (on_dtls_state), p);
}

static void dtls_settle (Peer *a, Peer *b);

/* a and b each send Opus and VP8, all decoded; a offers; the DTLS
 * handshake's last retransmissions are over. */
static void
call_start (Call *call)
{
  peer_init (&call->a, "a");
  peer_init (&call->b, "b");
  rtcbin_test_trickle (call->a.bin, call->b.bin);
  gst_element_set_state (call->a.pipe, GST_STATE_PLAYING);
  gst_element_set_state (call->b.pipe, GST_STATE_PLAYING);
  fail_unless (rtcbin_test_wait_transceivers (call->a.bin, 2, 5000));
  fail_unless (rtcbin_test_wait_transceivers (call->b.bin, 2, 5000));
  rtcbin_test_negotiate (call->a.bin, call->b.bin);
  fail_unless (rtcbin_test_wait_enum (call->a.bin, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));
  fail_unless (rtcbin_test_wait_enum (call->b.bin, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));
  fail_unless_equals_int (rtcbin_test_n_transceivers (call->a.bin), 2);
  fail_unless_equals_int (rtcbin_test_n_transceivers (call->b.bin), 2);
  watch_dtls (&call->a);
  watch_dtls (&call->b);
  wait_media (call, 25, 10, 15000);
  dtls_settle (&call->a, &call->b);
}

static void
call_stop (Call *call)
{
  peer_clear (&call->a);
  peer_clear (&call->b);
}

/* ---- stats ---- */

/* What get-stats says of the transport and its selected pair. */
typedef struct {
  gchar *ice_state, *dtls_state, *local_ufrag, *remote_cert;
  gchar *pair, *pair_state, *pair_local_ufrag, *pair_remote_ufrag;
  guint local_port, remote_port;
  guint restarts;
} Selected;

static void
selected_clear (Selected *s)
{
  g_free (s->ice_state);
  g_free (s->dtls_state);
  g_free (s->local_ufrag);
  g_free (s->remote_cert);
  g_free (s->pair);
  g_free (s->pair_state);
  g_free (s->pair_local_ufrag);
  g_free (s->pair_remote_ufrag);
  memset (s, 0, sizeof (*s));
}

static void
selected_get (GstElement *bin, Selected *sel)
{
  GstStructure *report = rtcbin_test_get_stats (bin, NULL);
  const GstStructure *t = rtcbin_test_stats_entry (report, "transport"), *pair,
                     *l, *r;
  GstStructure *ice = NULL;

  memset (sel, 0, sizeof (*sel));
  sel->ice_state = g_strdup (gst_structure_get_string (t, "ice-state"));
  sel->dtls_state = g_strdup (gst_structure_get_string (t, "dtls-state"));
  sel->local_ufrag = g_strdup (
      gst_structure_get_string (t, "ice-local-username-fragment"));
  sel->remote_cert = g_strdup (
      gst_structure_get_string (t, "remote-certificate-id"));
  fail_unless (gst_structure_get (t, "gst-ice-transport-stats",
      GST_TYPE_STRUCTURE, &ice, NULL));
  fail_unless (gst_structure_get_uint (ice, "restarts", &sel->restarts));
  gst_structure_free (ice);
  sel->pair = g_strdup (
      gst_structure_get_string (t, "selected-candidate-pair-id"));
  if (sel->pair) {
    pair = rtcbin_test_stats_entry (report, sel->pair);
    sel->pair_state = g_strdup (gst_structure_get_string (pair, "state"));
    l = rtcbin_test_stats_entry (report,
        gst_structure_get_string (pair, "local-candidate-id"));
    r = rtcbin_test_stats_entry (report,
        gst_structure_get_string (pair, "remote-candidate-id"));
    sel->pair_local_ufrag = g_strdup (
        gst_structure_get_string (l, "username-fragment"));
    sel->pair_remote_ufrag = g_strdup (
        gst_structure_get_string (r, "username-fragment"));
    fail_unless_equals_string (gst_structure_get_string (l, "protocol"), "udp");
    fail_unless (gst_structure_get_uint (l, "port", &sel->local_port));
    fail_unless (gst_structure_get_uint (r, "port", &sel->remote_port));
  }
  gst_structure_free (report);
}

/* The selected pair of @bin was checked with @local / @remote ufrags. */
static gboolean
pair_of_generation (GstElement *bin, const gchar *local, const gchar *remote)
{
  Selected s;
  gboolean done;

  selected_get (bin, &s);
  done = g_strcmp0 (s.pair_local_ufrag, local) == 0
      && g_strcmp0 (s.pair_remote_ufrag, remote) == 0;
  selected_clear (&s);
  return done;
}

/* ---- DTLS ---- */

typedef struct {
  guint64 dtls_packets, dropped_auth;
  gchar *peer_pem;
} DtlsSnapshot;

static void
dtls_snapshot (Peer *p, DtlsSnapshot *snap)
{
  GstStructure *s = NULL;

  g_object_get (p->dtls_dec, "stats", &s, "peer-pem", &snap->peer_pem, NULL);
  fail_unless (s != NULL);
  fail_unless (
      gst_structure_get_uint64 (s, "dtls-packets", &snap->dtls_packets));
  fail_unless (
      gst_structure_get_uint64 (s, "dropped-auth", &snap->dropped_auth));
  gst_structure_free (s);
  fail_unless (snap->peer_pem != NULL);
}

/* Waits until no DTLS record has reached @a or @b for longer than DTLS's
 * first retransmission interval (1 s, wall clock): on a slow machine
 * (valgrind) the end of the handshake is retransmitted after `connected`,
 * and those records are not a new handshake. */
static void
dtls_settle (Peer *a, Peer *b)
{
  DtlsSnapshot sa, sb;
  guint64 last_a = G_MAXUINT64, last_b = G_MAXUINT64;
  gint64 end = g_get_monotonic_time () + RTC_TEST_MS (30000) * 1000;

  for (;;) {
    dtls_snapshot (a, &sa);
    dtls_snapshot (b, &sb);
    g_free (sa.peer_pem);
    g_free (sb.peer_pem);
    if (sa.dtls_packets == last_a && sb.dtls_packets == last_b)
      return;
    last_a = sa.dtls_packets;
    last_b = sb.dtls_packets;
    fail_unless (g_get_monotonic_time () < end, "DTLS records keep coming");
    g_usleep (1500 * 1000);
  }
}

/* The handshake was not redone: no DTLS record arrived since @before, the
 * peer's certificate is the same, both elements stayed connected, and
 * every SRTP packet still authenticates with the first keys. */
static void
dtls_unchanged (Peer *p, DtlsSnapshot *before)
{
  DtlsSnapshot now;

  dtls_snapshot (p, &now);
  fail_unless_equals_uint64 (now.dtls_packets, before->dtls_packets);
  fail_unless_equals_uint64 (now.dropped_auth, before->dropped_auth);
  fail_unless_equals_string (now.peer_pem, before->peer_pem);
  fail_unless_equals_int (g_atomic_int_get (&p->dtls_changes), 0);
  fail_unless_equals_int (rtcbin_test_enum (p->dtls_enc, "connection-state"),
      rtcbin_test_enum (p->dtls_dec, "connection-state"));
  g_free (now.peer_pem);
  g_free (before->peer_pem);
}

/* ---- restart ---- */

static gchar *
sdp_ufrag (const GstSDPMessage *sdp)
{
  const GstSDPMedia *m = gst_sdp_message_get_media (sdp, 0);
  const gchar *v = m ? gst_sdp_media_get_attribute_val (m, "ice-ufrag") : NULL;

  if (!v)
    v = gst_sdp_message_get_attribute_val (sdp, "ice-ufrag");
  return g_strdup (v);
}

/* The current local description of @p carries @ufrag, candidates and
 * end-of-candidates. */
static gboolean
local_description_complete (Peer *p, const gchar *ufrag)
{
  GstRtcSessionDescription *desc = NULL;
  gboolean ok;
  gchar *u;

  g_object_get (p->bin, "current-local-description", &desc, NULL);
  if (!desc)
    return FALSE;
  u = sdp_ufrag (desc->sdp);
  ok = g_strcmp0 (u, ufrag) == 0
      && rtcbin_test_has_attr (desc, 0, "candidate", NULL)
      && rtcbin_test_has_attr (desc, 0, "end-of-candidates", NULL);
  g_free (u);
  gst_rtc_session_description_free (desc);
  return ok;
}

typedef struct {
  gint64 started, answered, selected; /* µs, monotonic */
  gchar *x_ufrag, *y_ufrag; /* the new credentials */
  gchar *x_old, *y_old;
} Restart;

static void
restart_clear (Restart *r)
{
  g_free (r->x_ufrag);
  g_free (r->y_ufrag);
  g_free (r->x_old);
  g_free (r->y_old);
}

/* No candidate of @p was signalled since @candidates were: those of a
 * restart wait for the local description with the new credentials. */
static void
no_candidate_yet (Peer *p, gint candidates, gint end_of_candidates)
{
  /* The transport signals them from the ICE thread; then the session
   * thread handles them, in order before the flush. */
  g_usleep (RTC_TEST_MS (50) * 1000);
  rtcbin_test_flush (p->bin);
  fail_unless_equals_int (g_atomic_int_get (&p->candidates), candidates);
  fail_unless_equals_int (g_atomic_int_get (&p->end_of_candidates),
      end_of_candidates);
}

/* @x restarts ICE with the `ice-restart` option; @y answers the offer
 * with new credentials of its own. Returns once both sides selected a
 * pair of the new generation. */
static void
restart (Peer *x, Peer *y, Restart *r)
{
  GstStructure *options = gst_structure_new ("options", "ice-restart",
      G_TYPE_BOOLEAN, TRUE, NULL);
  GstRtcSessionDescription *offer, *answer;
  Selected sx, sy;
  gint64 end;
  gint cand_x, cand_y, eoc_x, eoc_y;

  memset (r, 0, sizeof (*r));
  selected_get (x->bin, &sx);
  selected_get (y->bin, &sy);
  r->x_old = g_strdup (sx.local_ufrag);
  r->y_old = g_strdup (sy.local_ufrag);
  selected_clear (&sx);
  selected_clear (&sy);

  cand_x = g_atomic_int_get (&x->candidates);
  cand_y = g_atomic_int_get (&y->candidates);
  eoc_x = g_atomic_int_get (&x->end_of_candidates);
  eoc_y = g_atomic_int_get (&y->end_of_candidates);
  r->started = g_get_monotonic_time ();
  offer = rtcbin_test_create (x->bin, "create-offer", options, NULL);
  gst_structure_free (options);
  r->x_ufrag = sdp_ufrag (offer->sdp);
  fail_unless (r->x_ufrag != NULL);
  fail_if (g_strcmp0 (r->x_ufrag, r->x_old) == 0, "no new ufrag");
  no_candidate_yet (x, cand_x, eoc_x);
  rtcbin_test_set_ok (x->bin, "set-local-description", offer);
  rtcbin_test_set_ok (y->bin, "set-remote-description", offer);
  no_candidate_yet (y, cand_y, eoc_y);
  answer = rtcbin_test_create (y->bin, "create-answer", NULL, NULL);
  r->y_ufrag = sdp_ufrag (answer->sdp);
  fail_unless (r->y_ufrag != NULL);
  fail_if (g_strcmp0 (r->y_ufrag, r->y_old) == 0,
      "the answer to a restart keeps its ufrag");
  r->answered = g_get_monotonic_time ();
  rtcbin_test_set_ok (y->bin, "set-local-description", answer);
  rtcbin_test_set_ok (x->bin, "set-remote-description", answer);
  gst_rtc_session_description_free (offer);
  gst_rtc_session_description_free (answer);

  end = g_get_monotonic_time () + RTC_TEST_MS (5000) * 1000;
  while (!(pair_of_generation (x->bin, r->x_ufrag, r->y_ufrag)
             && pair_of_generation (y->bin, r->y_ufrag, r->x_ufrag))
      && g_get_monotonic_time () < end)
    g_usleep (5000);
  r->selected = g_get_monotonic_time ();
  fail_unless (pair_of_generation (x->bin, r->x_ufrag, r->y_ufrag),
      "%s: no pair of the new generation", x->name);
  fail_unless (pair_of_generation (y->bin, r->y_ufrag, r->x_ufrag),
      "%s: no pair of the new generation", y->name);
}

/* The transport of @p after a restart to @ufrag (its @n th). */
static void
check_stats_after (Peer *p, const gchar *ufrag, const gchar *old_pair,
    const gchar *old_cert, guint n)
{
  Selected s;

  selected_get (p->bin, &s);
  fail_unless (g_strcmp0 (s.ice_state, "connected") == 0
          || g_strcmp0 (s.ice_state, "completed") == 0,
      "%s: ice-state %s", p->name, s.ice_state);
  fail_unless_equals_string (s.dtls_state, "connected");
  fail_unless_equals_string (s.local_ufrag, ufrag);
  fail_unless_equals_string (s.pair_state, "succeeded");
  fail_if (g_strcmp0 (s.pair, old_pair) == 0, "%s: pair id %s unchanged",
      p->name, s.pair);
  fail_unless_equals_string (s.remote_cert, old_cert);
  fail_unless_equals_int (s.restarts, n);
  selected_clear (&s);
}

static int
cmp_i64 (const void *a, const void *b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return x < y ? -1 : x > y;
}

static gint64
median (GArray *v)
{
  g_array_sort (v, cmp_i64);
  return g_array_index (v, gint64, v->len / 2);
}

/* @x restarts ICE (its @n th restart) and @y follows; then neither ICE
 * nor the connection left connected, DTLS was not redone, both signalled
 * their candidates and end-of-candidates for the new credentials, and
 * get-stats shows the new pair. */
static void
restart_checked (Peer *x, Peer *y, guint n, Restart *r)
{
  DtlsSnapshot dx, dy;
  Selected sx, sy;
  guint ice_x = log_len (x, x->ice_log), ice_y = log_len (y, y->ice_log);
  guint pc_x = log_len (x, x->pc_log), pc_y = log_len (y, y->pc_log);
  gint cand_x = g_atomic_int_get (&x->candidates);
  gint cand_y = g_atomic_int_get (&y->candidates);
  gint eoc_x = g_atomic_int_get (&x->end_of_candidates);
  gint eoc_y = g_atomic_int_get (&y->end_of_candidates);
  gint s, j;

  dtls_snapshot (x, &dx);
  dtls_snapshot (y, &dy);
  selected_get (x->bin, &sx);
  selected_get (y->bin, &sy);
  fail_unless (sx.pair != NULL && sy.pair != NULL);

  restart (x, y, r);

  /* ICE and the connection stayed up throughout. */
  for (j = 0; (s = log_nth (x, x->ice_log, ice_x, j, NULL)) >= 0; j++)
    fail_unless (ice_up (s), "%s: ice-connection-state %d", x->name, s);
  for (j = 0; (s = log_nth (y, y->ice_log, ice_y, j, NULL)) >= 0; j++)
    fail_unless (ice_up (s), "%s: ice-connection-state %d", y->name, s);
  fail_unless_equals_int (log_len (x, x->pc_log), pc_x);
  fail_unless_equals_int (log_len (y, y->pc_log), pc_y);
  fail_unless_equals_int (rtcbin_test_enum (x->bin, "connection-state"),
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED);
  fail_unless_equals_int (rtcbin_test_enum (y->bin, "connection-state"),
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED);
  dtls_unchanged (x, &dx);
  dtls_unchanged (y, &dy);

  /* Candidates signalled again for the new credentials, then the end of
   * candidates, on both sides (right after each set its description). */
  fail_unless (rtcbin_test_wait_int (&x->end_of_candidates, eoc_x + 1, 2000));
  fail_unless (rtcbin_test_wait_int (&y->end_of_candidates, eoc_y + 1, 2000));
  fail_unless (g_atomic_int_get (&x->candidates) > cand_x);
  fail_unless (g_atomic_int_get (&y->candidates) > cand_y);
  fail_unless_equals_int (g_atomic_int_get (&x->end_of_candidates), eoc_x + 1);
  fail_unless_equals_int (g_atomic_int_get (&y->end_of_candidates), eoc_y + 1);
  fail_unless (local_description_complete (x, r->x_ufrag));
  fail_unless (local_description_complete (y, r->y_ufrag));

  check_stats_after (x, r->x_ufrag, sx.pair, sx.remote_cert, n);
  check_stats_after (y, r->y_ufrag, sy.pair, sy.remote_cert, n);
  selected_clear (&sx);
  selected_clear (&sy);
}

/* @x restarts ICE RESTARTS_PER_SIDE times while both send Opus and VP8. */
static void
restarts_while_flowing (gboolean offerer_restarts)
{
  Call call;
  Peer *x, *y;
  GArray *gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  GArray *base = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint i;

  call_start (&call);
  x = offerer_restarts ? &call.a : &call.b;
  y = offerer_restarts ? &call.b : &call.a;
  /* Past the start: jitter buffers settled. */
  g_usleep (500 * 1000);

  for (i = 1; i <= RESTARTS_PER_SIDE; i++) {
    Restart r;
    gint64 gap, baseline, window_end;

    restart_checked (x, y, i, &r);
    /* Media goes on past the window. */
    window_end = r.selected + GAP_TAIL_MS * 1000;
    while (g_get_monotonic_time () < window_end)
      g_usleep (5000);
    gap = call_max_gap (&call, r.started, window_end);
    /* The same span just before, for comparison. */
    baseline = call_max_gap (&call, r.started - (window_end - r.started),
        r.started);
    printf ("restart by %s #%u: new pair %" G_GINT64_FORMAT
            " ms after the answer, longest receive gap %" G_GINT64_FORMAT
            " ms (before: %" G_GINT64_FORMAT " ms)\n",
        offerer_restarts ? "offerer" : "answerer", i,
        (r.selected - r.answered) / 1000, gap, baseline);
    g_array_append_val (gaps, gap);
    g_array_append_val (base, baseline);
    /* What the restart adds to the longest gap the call shows anyway: on
     * a loaded machine (sanitizers, parallel tests) scheduling alone
     * makes gaps of hundreds of ms, with or without a restart. */
    fail_unless (gap < (gint64)RTC_TEST_MS (GAP_BOUND_MS) + baseline,
        "receive gap %" G_GINT64_FORMAT " ms (before: %" G_GINT64_FORMAT " ms)",
        gap, baseline);
    restart_clear (&r);
  }
  wait_media (&call, 25, 10, 5000);
  printf ("restart by %s: median longest gap %" G_GINT64_FORMAT
          " ms (without restart %" G_GINT64_FORMAT " ms)\n",
      offerer_restarts ? "offerer" : "answerer", median (gaps), median (base));
  g_array_unref (gaps);
  g_array_unref (base);
  call_stop (&call);
}

GST_START_TEST (test_restart_by_offerer)
{
  restarts_while_flowing (TRUE);
}

GST_END_TEST;

GST_START_TEST (test_restart_by_answerer)
{
  restarts_while_flowing (FALSE);
}

GST_END_TEST;

/* The same checks without media, so that they also run under valgrind
 * (whose pace starves live encoders): the offerer restarts, then the
 * answerer. */
GST_START_TEST (test_restart_signalling)
{
  Peer a, b;
  Restart r;

  peer_init_bare (&a, "a");
  peer_init_bare (&b, "b");
  gst_object_unref (rtcbin_test_add_transceiver (a.bin,
      GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, RTCBIN_TEST_OPUS_CAPS));
  rtcbin_test_trickle (a.bin, b.bin);
  gst_element_set_state (a.pipe, GST_STATE_PLAYING);
  gst_element_set_state (b.pipe, GST_STATE_PLAYING);
  rtcbin_test_negotiate (a.bin, b.bin);
  fail_unless (rtcbin_test_wait_enum (a.bin, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));
  fail_unless (rtcbin_test_wait_enum (b.bin, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 10000));
  watch_dtls (&a);
  watch_dtls (&b);
  dtls_settle (&a, &b);

  restart_checked (&a, &b, 1, &r);
  restart_clear (&r);
  restart_checked (&b, &a, 2, &r);
  restart_clear (&r);
  peer_clear (&a);
  peer_clear (&b);
}

GST_END_TEST;

/* ---- consent ---- */

/* The UDP ports of a's selected pair: a's and b's. */
static void
selected_ports (Peer *a, guint *a_port, guint *b_port)
{
  Selected s;

  selected_get (a->bin, &s);
  fail_unless (s.pair != NULL);
  *a_port = s.local_port;
  *b_port = s.remote_port;
  selected_clear (&s);
}

static void
check_pair_failed (Peer *p)
{
  Selected s;

  selected_get (p->bin, &s);
  fail_unless_equals_string (s.ice_state, "failed");
  fail_unless_equals_string (s.dtls_state, "connected");
  fail_unless_equals_string (s.pair_state, "failed");
  selected_clear (&s);
}

/* The peer gone both ways: each side `disconnected`, then `failed`, in
 * both ice-connection-state and connection-state; DTLS stays connected.
 * Let through again, an ICE restart from a brings both back, through
 * checking/connecting, with media decoded on both sides and no new DTLS
 * handshake. */
GST_START_TEST (test_consent_failed_then_restart)
{
  Call call;
  guint a_port, b_port, ice_a, ice_b, pc_a, pc_b;
  gint64 t0, disc_a, disc_b, pc_disc_a, fail_a, fail_b, pc_fail_a, at;
  DtlsSnapshot da, db;
  Restart r;
  Peer *p;
  guint i;

  rtc_nft_assert_private_netns ();
  call_start (&call);
  /* Over a second of media: the transports have seen a steady flow. */
  g_usleep (1500 * 1000);
  selected_ports (&call.a, &a_port, &b_port);
  dtls_snapshot (&call.a, &da);
  dtls_snapshot (&call.b, &db);
  ice_a = log_len (&call.a, call.a.ice_log);
  ice_b = log_len (&call.b, call.b.ice_log);
  pc_a = log_len (&call.a, call.a.pc_log);
  pc_b = log_len (&call.b, call.b.pc_log);

  rtc_nft_drop_udp (DROP_TABLE, b_port, a_port, TRUE);
  t0 = g_get_monotonic_time ();
  disc_a = log_wait (&call.a, call.a.ice_log, ice_a,
      GST_RTC_ICE_CONNECTION_STATE_DISCONNECTED, SILENCE_MS + 1000);
  disc_b = log_wait (&call.b, call.b.ice_log, ice_b,
      GST_RTC_ICE_CONNECTION_STATE_DISCONNECTED, SILENCE_MS + 1000);
  fail_unless (disc_a && disc_b, "not disconnected");
  pc_disc_a = log_wait (&call.a, call.a.pc_log, pc_a,
      GST_RTC_PEER_CONNECTION_STATE_DISCONNECTED, 1000);
  fail_unless (pc_disc_a);
  fail_a = log_wait (&call.a, call.a.ice_log, ice_a,
      GST_RTC_ICE_CONNECTION_STATE_FAILED, CONSENT_EXPIRY_MS + 1000);
  fail_b = log_wait (&call.b, call.b.ice_log, ice_b,
      GST_RTC_ICE_CONNECTION_STATE_FAILED, CONSENT_EXPIRY_MS + 1000);
  fail_unless (fail_a && fail_b, "not failed");
  pc_fail_a = log_wait (&call.a, call.a.pc_log, pc_a,
      GST_RTC_PEER_CONNECTION_STATE_FAILED, 1000);
  fail_unless (pc_fail_a);
  printf ("peer silenced: a disconnected after %" G_GINT64_FORMAT
          " ms (connection-state %" G_GINT64_FORMAT
          " ms), b after %" G_GINT64_FORMAT
          " ms; failed after %" G_GINT64_FORMAT
          " ms (connection-state %" G_GINT64_FORMAT " ms) and %" G_GINT64_FORMAT
          " ms\n",
      (disc_a - t0) / 1000, (pc_disc_a - t0) / 1000, (disc_b - t0) / 1000,
      (fail_a - t0) / 1000, (pc_fail_a - t0) / 1000, (fail_b - t0) / 1000);
  /* Not much before the silence bound: the last packets may have been
   * handled a little before the rules went in. */
  fail_unless ((disc_a - t0) / 1000
      >= SILENCE_MS - (gint64)RTC_TEST_MS (EARLY_SLACK_MS));
  fail_unless ((disc_b - t0) / 1000
      >= SILENCE_MS - (gint64)RTC_TEST_MS (EARLY_SLACK_MS));
  fail_unless ((disc_a - t0) / 1000
      <= (gint64)RTC_TEST_MS (SILENCE_MS + 2 * TICK_MS + 200));
  fail_unless ((disc_b - t0) / 1000
      <= (gint64)RTC_TEST_MS (SILENCE_MS + 2 * TICK_MS + 200));
  fail_unless ((fail_a - t0) / 1000 >= CONSENT_EXPIRY_MS
          - RTC_NFT_CONSENT_INTERVAL_MAX_MS
          - (gint64)RTC_TEST_MS (EARLY_SLACK_MS));
  fail_unless (
      (fail_a - t0) / 1000 <= (gint64)RTC_TEST_MS (CONSENT_EXPIRY_MS + 500));
  fail_unless (
      (fail_b - t0) / 1000 <= (gint64)RTC_TEST_MS (CONSENT_EXPIRY_MS + 500));
  /* connected -> disconnected -> failed and nothing else, for ICE and
   * the connection, on both sides. */
  for (i = 0; i < 2; i++) {
    guint ice = i ? ice_b : ice_a, pc = i ? pc_b : pc_a;

    p = i ? &call.b : &call.a;
    fail_unless_equals_int (log_nth (p, p->ice_log, ice, 0, NULL),
        GST_RTC_ICE_CONNECTION_STATE_DISCONNECTED);
    fail_unless_equals_int (log_nth (p, p->ice_log, ice, 1, NULL),
        GST_RTC_ICE_CONNECTION_STATE_FAILED);
    fail_unless_equals_int (log_len (p, p->ice_log), ice + 2);
    fail_unless_equals_int (log_nth (p, p->pc_log, pc, 0, &at),
        GST_RTC_PEER_CONNECTION_STATE_DISCONNECTED);
    fail_unless_equals_int (log_nth (p, p->pc_log, pc, 1, NULL),
        GST_RTC_PEER_CONNECTION_STATE_FAILED);
    fail_unless_equals_int (log_len (p, p->pc_log), pc + 2);
    check_pair_failed (p);
  }

  /* Reachable again: a restart is the way out of `failed`. */
  rtc_nft_delete_table (DROP_TABLE);
  ice_a = log_len (&call.a, call.a.ice_log);
  ice_b = log_len (&call.b, call.b.ice_log);
  pc_a = log_len (&call.a, call.a.pc_log);
  pc_b = log_len (&call.b, call.b.pc_log);
  restart (&call.a, &call.b, &r);
  fail_unless (rtcbin_test_wait_enum (call.a.bin, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 5000));
  fail_unless (rtcbin_test_wait_enum (call.b.bin, "connection-state",
      GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 5000));
  printf ("restart after failure: connected again %" G_GINT64_FORMAT
          " ms after the answer\n",
      (g_get_monotonic_time () - r.answered) / 1000);
  for (i = 0; i < 2; i++) {
    guint ice = i ? ice_b : ice_a, pc = i ? pc_b : pc_a;
    gint s;

    p = i ? &call.b : &call.a;
    /* W3C: checking, then connected (and maybe completed). */
    fail_unless_equals_int (log_nth (p, p->ice_log, ice, 0, NULL),
        GST_RTC_ICE_CONNECTION_STATE_CHECKING);
    fail_unless_equals_int (log_nth (p, p->ice_log, ice, 1, NULL),
        GST_RTC_ICE_CONNECTION_STATE_CONNECTED);
    s = log_nth (p, p->ice_log, ice, 2, NULL);
    fail_unless (s < 0 || s == GST_RTC_ICE_CONNECTION_STATE_COMPLETED);
    fail_unless_equals_int (log_nth (p, p->pc_log, pc, 0, NULL),
        GST_RTC_PEER_CONNECTION_STATE_CONNECTING);
    fail_unless_equals_int (log_nth (p, p->pc_log, pc, 1, NULL),
        GST_RTC_PEER_CONNECTION_STATE_CONNECTED);
    fail_unless_equals_int (log_len (p, p->pc_log), pc + 2);
  }
  wait_media (&call, 25, 10, 5000);
  dtls_unchanged (&call.a, &da);
  dtls_unchanged (&call.b, &db);
  restart_clear (&r);
  call_stop (&call);
}

GST_END_TEST;

/* Silences tried before giving up: one is void when the machine is too
 * slow to notice it before the next consent checks are due. */
#define SILENCE_ATTEMPTS 8

/* Both ways silenced between consent checks until both sides say
 * `disconnected` (ICE and connection state), then let through again:
 * `connected` on the first packet after the silence, never `failed`, and
 * still connected once each side's next consent check is answered; media
 * goes on. */
GST_START_TEST (test_silence_then_back)
{
  Call call;
  guint a_port, b_port, ice[2], pc[2], i, attempt;
  gint64 t0, end, quiet_end, deadline, disc[2], back[2], pc_back[2];
  Peer *p;

  rtc_nft_assert_private_netns ();
  call_start (&call);
  g_usleep (1500 * 1000);
  selected_ports (&call.a, &a_port, &b_port);
  rtc_nft_count_consent (COUNT_TABLE, a_port, b_port);
  deadline = g_get_monotonic_time () + RTC_NFT_LULL_WAIT_MS * 1000;
  for (attempt = 0;; attempt++) {
    gboolean noticed = TRUE;

    quiet_end = rtc_nft_wait_consent_lull (COUNT_TABLE, deadline);
    for (i = 0; i < 2; i++) {
      p = i ? &call.b : &call.a;
      ice[i] = log_len (p, p->ice_log);
      pc[i] = log_len (p, p->pc_log);
    }
    rtc_nft_drop_udp (DROP_TABLE, b_port, a_port, TRUE);
    t0 = g_get_monotonic_time ();
    if (quiet_end - t0 >= RTC_NFT_NOTICE_WINDOW_MS * 1000) {
      /* Not a moment past quiet_end, whatever the scale of the test's
       * timeouts: the next consent checks are due. */
      for (i = 0; i < 2; i++) {
        p = i ? &call.b : &call.a;
        disc[i] = log_wait_until (p, p->ice_log, ice[i],
            GST_RTC_ICE_CONNECTION_STATE_DISCONNECTED, quiet_end);
        noticed = noticed && disc[i]
            && log_wait_until (p, p->pc_log, pc[i],
                GST_RTC_PEER_CONNECTION_STATE_DISCONNECTED, quiet_end);
      }
      if (noticed)
        break;
    }
    /* Too late for this lull (a slow poll), or the silence not noticed
     * before the next checks are due (a starved machine): let through at
     * once and try again once both are connected. */
    rtc_nft_delete_table (DROP_TABLE);
    fail_unless (attempt + 1 < SILENCE_ATTEMPTS,
        "no silence between consent checks noticed");
    fail_unless (rtcbin_test_wait_enum (call.a.bin, "connection-state",
        GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 2000));
    fail_unless (rtcbin_test_wait_enum (call.b.bin, "connection-state",
        GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 2000));
  }
  rtc_nft_delete_table (DROP_TABLE);
  end = g_get_monotonic_time ();
  for (i = 0; i < 2; i++) {
    p = i ? &call.b : &call.a;
    back[i] = log_wait (p, p->ice_log, ice[i] + 1,
        GST_RTC_ICE_CONNECTION_STATE_CONNECTED, 1000);
    pc_back[i] = log_wait (p, p->pc_log, pc[i] + 1,
        GST_RTC_PEER_CONNECTION_STATE_CONNECTED, 1000);
    fail_unless (back[i] && pc_back[i], "%s not connected again", p->name);
  }
  printf ("silence of %" G_GINT64_FORMAT
          " ms: disconnected after %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT
          " ms, connected %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT
          " ms after the rules went (connection-state %" G_GINT64_FORMAT
          " / %" G_GINT64_FORMAT " ms; attempt %u)\n",
      (end - t0) / 1000, (disc[0] - t0) / 1000, (disc[1] - t0) / 1000,
      (back[0] - end) / 1000, (back[1] - end) / 1000, (pc_back[0] - end) / 1000,
      (pc_back[1] - end) / 1000, attempt + 1);

  /* Each side's next consent check is answered: consent is fresh again
   * and no expiry of this silence can come any more. */
  rtc_nft_wait_consent_answered (COUNT_TABLE);
  /* A state change would be on the session thread by now. */
  g_usleep (200 * 1000);
  for (i = 0; i < 2; i++) {
    p = i ? &call.b : &call.a;
    fail_unless ((disc[i] - t0) / 1000
        >= SILENCE_MS - (gint64)RTC_TEST_MS (EARLY_SLACK_MS));
    fail_unless ((disc[i] - t0) / 1000
        <= (gint64)RTC_TEST_MS (SILENCE_MS + 2 * TICK_MS + 200));
    fail_unless (ice_up (rtcbin_test_enum (p->bin, "ice-connection-state")));
    fail_unless_equals_int (rtcbin_test_enum (p->bin, "connection-state"),
        GST_RTC_PEER_CONNECTION_STATE_CONNECTED);
    fail_if (
        log_first (p, p->ice_log, ice[i], GST_RTC_ICE_CONNECTION_STATE_FAILED));
    fail_unless_equals_int (log_nth (p, p->ice_log, ice[i], 0, NULL),
        GST_RTC_ICE_CONNECTION_STATE_DISCONNECTED);
    fail_unless_equals_int (log_nth (p, p->pc_log, pc[i], 0, NULL),
        GST_RTC_PEER_CONNECTION_STATE_DISCONNECTED);
    fail_unless_equals_int (log_nth (p, p->pc_log, pc[i], 1, NULL),
        GST_RTC_PEER_CONNECTION_STATE_CONNECTED);
    fail_unless_equals_int (log_len (p, p->pc_log), pc[i] + 2);
  }
  wait_media (&call, 25, 10, 5000);
  rtc_nft_delete_table (COUNT_TABLE);
  call_stop (&call);
}

GST_END_TEST;

static Suite *
rtcbin_restart_suite (void)
{
  Suite *s = suite_create ("rtcbin-restart");
  TCase *tc = tcase_create ("general");

  /* The consent tests wait for real consent timers, over 10 s, and
   * test_silence_then_back for a lull between them (RTC_NFT_LULL_WAIT_MS). */
  tcase_set_timeout (tc,
      40 * rtc_test_timeout_scale () + RTC_NFT_LULL_WAIT_MS / 1000);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_restart_signalling);
  tcase_add_test (tc, test_restart_by_offerer);
  tcase_add_test (tc, test_restart_by_answerer);
  tcase_add_test (tc, test_consent_failed_then_restart);
  tcase_add_test (tc, test_silence_then_back);
  return s;
}

RTC_CHECK_MAIN (rtcbin_restart);
