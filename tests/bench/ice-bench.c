/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * On-demand benchmark of our ICE transport (RtcIceTransport with
 * rtcicesink/rtcicesrc) against libnice's own nicesink/nicesrc on
 * NiceAgents set up the same way (RFC 5245 mode, trickle, regular
 * nomination, consent freshness, one component, host candidates on
 * 127.0.0.1), in one process and one run:
 *
 * - first packet: from starting gathering on both sides to the first
 *   packet received through a connected pair, each way; candidates are
 *   trickled as `candidate:` strings, as a signalling channel would;
 * - receive path: CPU time per 1200-byte packet pushed from one side's
 *   sink to the other side's source, without the sending thread's share.
 *
 * It fails (exit 1) when a pair does not connect or a packet is lost or
 * altered, never on the performance goals, which it only reports.
 * See README.md for how to run it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <nice/agent.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "benchutil.h"

#define PACKET_SIZE 1200
#define COMPONENT_ID 1
/* While waiting for the first packet, each side sends one this often:
 * the granularity of the first-packet figure. */
#define PROBE_INTERVAL_US 250
#define CONNECT_TIMEOUT_S 10
/* Packets in flight on the receive-path run: well under what a loopback
 * socket's default receive buffer holds, so that none is dropped there. */
#define WINDOW 32
#define WARMUP_PACKETS 2000

#define GOAL_FIRST_PACKET_MS 20.0
#define GOAL_CPU_RATIO 1.0

typedef struct {
  const gchar *name;
  const gchar *sink_factory, *src_factory;
} Impl;

enum { OURS, NICE, N_IMPLS };

static const Impl impls[N_IMPLS] = {
  { "ours", "rtcicesink", "rtcicesrc" },
  { "nice", "nicesink", "nicesrc" },
};

/* What side i's source delivered: packets from side 1 - i. */
typedef struct {
  GMutex lock;
  GCond cond;
  gint64 first_us; /* monotonic time of the first packet, 0 before */
  guint64 received, malformed;
  guint32 next_seq;
  gboolean check_seq; /* off while probing: probes are not counted */
} Inbox;

/* Two ICE endpoints, 0 controlling and 1 controlled, each with a sink that
 * a pad we own pushes into and a source that ends in a pad we own, in one
 * pipeline. */
typedef struct {
  const Impl *impl;
  GstElement *pipeline;
  GObject *peer[2]; /* RtcIceTransport or NiceAgent */
  guint stream[2]; /* NiceAgent stream ids */
  gpointer link[2]; /* the reference's signalling, per side */
  GstPad *out[2]; /* ours -> side i's sink */
  GstPad *in[2]; /* side i's source -> ours */
  Inbox inbox[2];
  guint32 sent[2];
} Pair;

static GType transport_type;
static GMainContext *nice_ctx;

/* ---- the reference agents' thread ---- */

static gpointer
nice_thread_main (gpointer data)
{
  GMainLoop *loop = g_main_loop_new (nice_ctx, FALSE);

  g_main_loop_run (loop);
  return NULL;
}

/* Like the rtc-ice thread of our transports: one context for every
 * reference agent, run by one thread. */
static void
start_nice_thread (void)
{
  nice_ctx = g_main_context_new ();
  g_thread_unref (g_thread_new ("nice-ref", nice_thread_main, NULL));
}

/* ---- packets and the pads we own ---- */

static GstBuffer *
make_packet (guint8 sender, guint32 seq)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, PACKET_SIZE, NULL);
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  memset (map.data, sender, PACKET_SIZE);
  map.data[0] = 0x80; /* RTP version 2: never taken for STUN */
  GST_WRITE_UINT32_BE (map.data + 4, seq);
  gst_buffer_unmap (buf, &map);
  return buf;
}

static GstFlowReturn
in_chain (GstPad *pad, GstObject *parent, GstBuffer *buf)
{
  Inbox *inbox = gst_pad_get_element_private (pad);
  guint8 head[8];

  g_mutex_lock (&inbox->lock);
  if (!inbox->first_us)
    inbox->first_us = g_get_monotonic_time ();
  if (inbox->check_seq) {
    if (gst_buffer_get_size (buf) != PACKET_SIZE
        || gst_buffer_extract (buf, 0, head, 8) != 8
        || GST_READ_UINT32_BE (head + 4) != inbox->next_seq)
      inbox->malformed++;
    inbox->next_seq++;
    inbox->received++;
  }
  g_cond_signal (&inbox->cond);
  g_mutex_unlock (&inbox->lock);
  gst_buffer_unref (buf);
  return GST_FLOW_OK;
}

static gboolean
in_event (GstPad *pad, GstObject *parent, GstEvent *event)
{
  gst_event_unref (event);
  return TRUE;
}

static void
push_or_fail (Pair *pair, guint side, GstBuffer *buf)
{
  GstFlowReturn ret = gst_pad_push (pair->out[side], buf);

  if (ret != GST_FLOW_OK)
    bench_fail ("%s: push returned %s", pair->impl->name,
        gst_flow_get_name (ret));
}

static void
push_stream_events (GstPad *pad)
{
  GstSegment segment;

  gst_pad_push_event (pad, gst_event_new_stream_start ("bench"));
  gst_pad_push_event (pad,
      gst_event_new_caps (gst_caps_new_empty_simple ("application/x-rtp")));
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (pad, gst_event_new_segment (&segment));
}

/* ---- signalling: ours through the transport's signals ---- */

static void
ours_on_candidate (GObject *t, guint component, const gchar *line,
    GObject *other)
{
  gboolean ok = FALSE;

  g_signal_emit_by_name (other, "add-remote-candidate", line, &ok);
  if (!ok)
    bench_fail ("ours: candidate %s refused", line);
}

static void
ours_on_end_of_candidates (GObject *t, GObject *other)
{
  g_signal_emit_by_name (other, "end-of-remote-candidates");
}

static void
ours_init (Pair *pair)
{
  const gchar *loopback[] = { "127.0.0.1", NULL };
  guint i;

  for (i = 0; i < 2; i++)
    pair->peer[i] = g_object_new (transport_type, "controlling", i == 0,
        "local-addresses", loopback, NULL);
  for (i = 0; i < 2; i++) {
    gchar *ufrag, *pwd;
    gboolean ok = FALSE;

    g_signal_connect (pair->peer[i], "on-ice-candidate",
        G_CALLBACK (ours_on_candidate), pair->peer[1 - i]);
    g_signal_connect (pair->peer[i], "on-end-of-candidates",
        G_CALLBACK (ours_on_end_of_candidates), pair->peer[1 - i]);
    g_object_get (pair->peer[i], "local-ufrag", &ufrag, "local-pwd", &pwd,
        NULL);
    g_signal_emit_by_name (pair->peer[1 - i], "set-remote-credentials", ufrag,
        pwd, &ok);
    if (!ok)
      bench_fail ("ours: credentials refused");
    g_free (ufrag);
    g_free (pwd);
  }
}

static void
ours_gather (Pair *pair)
{
  guint i;

  for (i = 0; i < 2; i++) {
    gboolean ok = FALSE;

    g_signal_emit_by_name (pair->peer[i], "gather", &ok);
    if (!ok)
      bench_fail ("ours: gathering did not start");
  }
}

/* ---- signalling: the reference's NiceAgents, the same way ---- */

typedef struct {
  NiceAgent *to;
  guint stream;
} NiceLink;

/* Through SDP strings, as ours are. */
static void
nice_on_candidate (NiceAgent *agent, NiceCandidate *cand, NiceLink *link)
{
  gchar *sdp = nice_agent_generate_local_candidate_sdp (agent, cand);
  NiceCandidate *remote = nice_agent_parse_remote_candidate_sdp (link->to,
      link->stream, sdp);
  GSList list = { remote, NULL };

  if (!remote
      || nice_agent_set_remote_candidates (link->to, link->stream, COMPONENT_ID,
             &list)
          != 1)
    bench_fail ("nice: candidate %s refused", sdp);
  nice_candidate_free (remote);
  g_free (sdp);
}

static void
nice_on_gathering_done (NiceAgent *agent, guint stream, NiceLink *link)
{
  nice_agent_peer_candidate_gathering_done (link->to, link->stream);
}

static void
nice_init (Pair *pair)
{
  NiceAddress loopback;
  NiceAgent *agent[2];
  guint i;

  nice_address_init (&loopback);
  nice_address_set_from_string (&loopback, "127.0.0.1");
  for (i = 0; i < 2; i++) {
    agent[i] = nice_agent_new_full (nice_ctx, NICE_COMPATIBILITY_RFC5245,
        NICE_AGENT_OPTION_ICE_TRICKLE | NICE_AGENT_OPTION_REGULAR_NOMINATION
            | NICE_AGENT_OPTION_CONSENT_FRESHNESS);
    g_object_set (agent[i], "upnp", FALSE, "controlling-mode", i == 0, NULL);
    pair->stream[i] = nice_agent_add_stream (agent[i], 1);
    nice_agent_add_local_address (agent[i], &loopback);
    pair->peer[i] = G_OBJECT (agent[i]);
  }
  for (i = 0; i < 2; i++) {
    NiceLink *link = g_new (NiceLink, 1);
    gchar *ufrag, *pwd;

    link->to = agent[1 - i];
    link->stream = pair->stream[1 - i];
    pair->link[i] = link;
    g_signal_connect_data (agent[i], "new-candidate-full",
        G_CALLBACK (nice_on_candidate), link, (GClosureNotify)g_free, 0);
    g_signal_connect (agent[i], "candidate-gathering-done",
        G_CALLBACK (nice_on_gathering_done), link);
    nice_agent_get_local_credentials (agent[i], pair->stream[i], &ufrag, &pwd);
    nice_agent_set_remote_credentials (agent[1 - i], pair->stream[1 - i], ufrag,
        pwd);
    g_free (ufrag);
    g_free (pwd);
  }
}

static gboolean
nice_gather_in_thread (gpointer data)
{
  Pair *pair = data;
  guint i;

  for (i = 0; i < 2; i++)
    if (!nice_agent_gather_candidates (NICE_AGENT (pair->peer[i]),
            pair->stream[i]))
      bench_fail ("nice: gathering did not start");
  return G_SOURCE_REMOVE;
}

/* On the agents' thread, as our transports gather on theirs. */
static void
nice_gather (Pair *pair)
{
  g_main_context_invoke (nice_ctx, nice_gather_in_thread, pair);
}

/* ---- a pair ---- */

static GstElement *
make_element (const gchar *factory)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  if (!e)
    bench_fail ("Could not create %s", factory);
  return e;
}

static void
pair_init (Pair *pair, const Impl *impl)
{
  guint i;

  memset (pair, 0, sizeof (*pair));
  pair->impl = impl;
  if (impl == &impls[OURS])
    ours_init (pair);
  else
    nice_init (pair);

  pair->pipeline = gst_pipeline_new (NULL);
  for (i = 0; i < 2; i++) {
    GstElement *sink = make_element (impl->sink_factory);
    GstElement *src = make_element (impl->src_factory);
    GstPad *pad;

    if (impl == &impls[OURS]) {
      g_object_set (sink, "transport", pair->peer[i], NULL);
      g_object_set (src, "transport", pair->peer[i], NULL);
    } else {
      g_object_set (sink, "agent", pair->peer[i], "stream", pair->stream[i],
          "component", COMPONENT_ID, "async", FALSE, "sync", FALSE, NULL);
      g_object_set (src, "agent", pair->peer[i], "stream", pair->stream[i],
          "component", COMPONENT_ID, NULL);
    }
    gst_bin_add_many (GST_BIN (pair->pipeline), sink, src, NULL);

    pair->out[i] = gst_pad_new ("bench_out", GST_PAD_SRC);
    gst_pad_set_active (pair->out[i], TRUE);
    pad = gst_element_get_static_pad (sink, "sink");
    if (gst_pad_link (pair->out[i], pad) != GST_PAD_LINK_OK)
      bench_fail ("Could not link to %s", impl->sink_factory);
    gst_object_unref (pad);

    g_mutex_init (&pair->inbox[i].lock);
    g_cond_init (&pair->inbox[i].cond);
    pair->in[i] = gst_pad_new ("bench_in", GST_PAD_SINK);
    gst_pad_set_element_private (pair->in[i], &pair->inbox[i]);
    gst_pad_set_chain_function (pair->in[i], in_chain);
    gst_pad_set_event_function (pair->in[i], in_event);
    gst_pad_set_active (pair->in[i], TRUE);
    pad = gst_element_get_static_pad (src, "src");
    if (gst_pad_link (pad, pair->in[i]) != GST_PAD_LINK_OK)
      bench_fail ("Could not link from %s", impl->src_factory);
    gst_object_unref (pad);
  }
  if (gst_element_set_state (pair->pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE)
    bench_fail ("%s: could not start the pipeline", impl->name);
  for (i = 0; i < 2; i++)
    push_stream_events (pair->out[i]);
}

static void
pair_clear (Pair *pair)
{
  guint i;

  gst_element_set_state (pair->pipeline, GST_STATE_NULL);
  gst_object_unref (pair->pipeline);
  for (i = 0; i < 2; i++) {
    /* Ours pass the other transport, the reference a NiceLink, freed
     * with its handler. */
    g_signal_handlers_disconnect_by_data (pair->peer[i],
        pair->impl == &impls[OURS] ? (gpointer)pair->peer[1 - i]
                                   : pair->link[i]);
  }
  /* Unreffed, not closed: both implementations close their agent when
   * it is freed. */
  for (i = 0; i < 2; i++) {
    g_object_unref (pair->peer[i]);
    gst_pad_set_active (pair->out[i], FALSE);
    gst_pad_set_active (pair->in[i], FALSE);
    gst_object_unref (pair->out[i]);
    gst_object_unref (pair->in[i]);
    g_mutex_clear (&pair->inbox[i].lock);
    g_cond_clear (&pair->inbox[i].cond);
  }
}

static gint64
first_us (Pair *pair, guint side)
{
  gint64 t;

  g_mutex_lock (&pair->inbox[side].lock);
  t = pair->inbox[side].first_us;
  g_mutex_unlock (&pair->inbox[side].lock);
  return t;
}

/* Starts gathering on both sides and, from then on, sends a probe each
 * way every PROBE_INTERVAL_US until each side has received one (a sink
 * drops what it is given before its pair is connected). Returns the
 * milliseconds to the first packet at side 1 (controlled, from the
 * controlling side) and at side 0. */
static void
measure_first_packet (const Impl *impl, gdouble *to_controlled,
    gdouble *to_controlling)
{
  gint64 start, deadline, t[2];
  Pair pair;
  guint i;

  pair_init (&pair, impl);
  start = g_get_monotonic_time ();
  if (impl == &impls[OURS])
    ours_gather (&pair);
  else
    nice_gather (&pair);
  deadline = start + CONNECT_TIMEOUT_S * G_TIME_SPAN_SECOND;
  do {
    for (i = 0; i < 2; i++) {
      t[1 - i] = first_us (&pair, 1 - i);
      if (!t[1 - i])
        push_or_fail (&pair, i, make_packet (i, 0));
    }
    if (t[0] && t[1])
      break;
    g_usleep (PROBE_INTERVAL_US);
  } while (g_get_monotonic_time () < deadline);
  if (!t[0] || !t[1])
    bench_fail ("%s: no packet %s within %d s", impl->name,
        t[1] ? "to the controlling side" : "to the controlled side",
        CONNECT_TIMEOUT_S);
  pair_clear (&pair);
  *to_controlled = (t[1] - start) / 1000.0;
  *to_controlling = (t[0] - start) / 1000.0;
}

/* Side 0 sends @n packets to side 1, at most WINDOW in flight. */
static void
send_windowed (Pair *pair, guint n)
{
  Inbox *inbox = &pair->inbox[1];
  guint i;

  for (i = 0; i < n; i++) {
    gint64 deadline = g_get_monotonic_time () + 2 * G_TIME_SPAN_SECOND;

    g_mutex_lock (&inbox->lock);
    while (pair->sent[0] - inbox->received >= WINDOW
        && g_cond_wait_until (&inbox->cond, &inbox->lock, deadline))
      ;
    if (pair->sent[0] - inbox->received >= WINDOW)
      bench_fail ("%s: %" G_GUINT64_FORMAT
                  " of %u packets arrived, then none for "
                  "2 s (lost?)",
          pair->impl->name, inbox->received, pair->sent[0]);
    g_mutex_unlock (&inbox->lock);
    push_or_fail (pair, 0, make_packet (0, pair->sent[0]++));
  }
}

static void
wait_all_received (Pair *pair)
{
  Inbox *inbox = &pair->inbox[1];
  gint64 deadline = g_get_monotonic_time () + 2 * G_TIME_SPAN_SECOND;

  g_mutex_lock (&inbox->lock);
  while (inbox->received < pair->sent[0]
      && g_cond_wait_until (&inbox->cond, &inbox->lock, deadline))
    ;
  if (inbox->received != pair->sent[0] || inbox->malformed)
    bench_fail ("%s: %u packets sent, %" G_GUINT64_FORMAT
                " arrived, %" G_GUINT64_FORMAT " out of order or altered",
        pair->impl->name, pair->sent[0], inbox->received, inbox->malformed);
  g_mutex_unlock (&inbox->lock);
}

typedef struct {
  gdouble rx_us_per_packet; /* process CPU minus the sending thread's */
  gdouble total_us_per_packet;
} CpuSample;

/* Connects a pair, then pushes @n packets from side 0's sink to side 1's
 * source. The sending thread (this one) pays for the sink and for the
 * kernel's loopback delivery; everything else the process spends is the
 * receive path: the agent reading the socket and the source handing the
 * packet downstream. */
static CpuSample
measure_receive_cpu (const Impl *impl, guint n)
{
  gdouble process, thread;
  CpuSample s;
  Pair pair;
  guint i;

  pair_init (&pair, impl);
  if (impl == &impls[OURS])
    ours_gather (&pair);
  else
    nice_gather (&pair);
  /* Connected once a probe arrives; probes are not counted. */
  for (i = 0; !first_us (&pair, 1); i++) {
    if (i > CONNECT_TIMEOUT_S * 1000)
      bench_fail ("%s: did not connect within %d s", impl->name,
          CONNECT_TIMEOUT_S);
    push_or_fail (&pair, 0, make_packet (0, G_MAXUINT32));
    g_usleep (1000);
  }
  /* A probe still in flight would be counted as a packet. */
  g_usleep (50000);
  g_mutex_lock (&pair.inbox[1].lock);
  pair.inbox[1].check_seq = TRUE;
  g_mutex_unlock (&pair.inbox[1].lock);

  send_windowed (&pair, WARMUP_PACKETS);
  wait_all_received (&pair);
  process = bench_clock_seconds (CLOCK_PROCESS_CPUTIME_ID);
  thread = bench_clock_seconds (CLOCK_THREAD_CPUTIME_ID);
  send_windowed (&pair, n);
  wait_all_received (&pair);
  thread = bench_clock_seconds (CLOCK_THREAD_CPUTIME_ID) - thread;
  process = bench_clock_seconds (CLOCK_PROCESS_CPUTIME_ID) - process;
  pair_clear (&pair);

  s.rx_us_per_packet = (process - thread) * 1e6 / n;
  s.total_us_per_packet = process * 1e6 / n;
  return s;
}

int
main (int argc, char **argv)
{
  gint runs = 20, packets = 200000, rounds = 5;
  GOptionEntry entries[] = {
    { "runs", 'r', 0, G_OPTION_ARG_INT, &runs,
        "Connections per implementation for the first packet (default 20)",
        "N" },
    { "packets", 'n', 0, G_OPTION_ARG_INT, &packets,
        "Packets per receive-path round (default 200000)", "N" },
    { "rounds", 'R', 0, G_OPTION_ARG_INT, &rounds,
        "Receive-path rounds per implementation (default 5)", "N" },
    { NULL }
  };
  GOptionContext *ctx = g_option_context_new (
      "- ICE benchmark, rtcicesink/rtcicesrc against libnice's "
      "nicesink/nicesrc");
  GError *error = NULL;
  gdouble *first[N_IMPLS][2], first_median[N_IMPLS][2];
  gdouble *rx[N_IMPLS], *total[N_IMPLS], rx_median[N_IMPLS],
      total_median[N_IMPLS];
  GstElement *probe;
  GstPlugin *plugin;
  gchar *nice_version;
  gint r, k;
  guint i;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    bench_fail ("%s", error->message);
  g_option_context_free (ctx);
  if (runs <= 0 || packets <= 0 || rounds <= 0)
    bench_fail ("--runs, --packets and --rounds must be positive");

  /* Loads the plugin, which registers the transport type. */
  probe = gst_element_factory_make ("rtcicesrc", NULL);
  if (!probe)
    bench_fail ("rtcicesrc not found: set GST_PLUGIN_PATH_1_0 to the build's "
                "gst/webrtc directory");
  gst_object_unref (probe);
  transport_type = g_type_from_name ("RtcIceTransport");
  probe = gst_element_factory_make ("nicesrc", NULL);
  if (!probe) {
    g_print ("SKIP: libnice's GStreamer elements (Debian gstreamer1.0-nice) "
             "are needed as the reference\n");
    return 77;
  }
  plugin = gst_plugin_feature_get_plugin (
      GST_PLUGIN_FEATURE (gst_element_get_factory (probe)));
  nice_version = g_strdup (plugin ? gst_plugin_get_version (plugin) : "?");
  g_clear_object (&plugin);
  gst_object_unref (probe);
  start_nice_thread ();

  for (i = 0; i < N_IMPLS; i++) {
    first[i][0] = g_new (gdouble, runs);
    first[i][1] = g_new (gdouble, runs);
    rx[i] = g_new (gdouble, rounds);
    total[i] = g_new (gdouble, rounds);
  }

  /* One untimed connection each first, to load and warm up; then runs
   * alternate which implementation goes first, so that drift in the
   * machine's load does not favour one of them. */
  for (i = 0; i < N_IMPLS; i++) {
    gdouble a, b;

    measure_first_packet (&impls[i], &a, &b);
  }
  g_printerr ("first packet: %d connections each\n", runs);
  for (r = 0; r < runs; r++)
    for (k = 0; k < N_IMPLS; k++) {
      i = (k + r) % N_IMPLS;
      measure_first_packet (&impls[i], &first[i][0][r], &first[i][1][r]);
    }
  for (r = 0; r < rounds; r++) {
    g_printerr ("receive path round %d/%d\n", r + 1, rounds);
    for (k = 0; k < N_IMPLS; k++) {
      CpuSample s;

      i = (k + r) % N_IMPLS;
      s = measure_receive_cpu (&impls[i], packets);
      rx[i][r] = s.rx_us_per_packet;
      total[i][r] = s.total_us_per_packet;
    }
  }
  for (i = 0; i < N_IMPLS; i++) {
    first_median[i][0] = bench_median (first[i][0], runs);
    first_median[i][1] = bench_median (first[i][1], runs);
    rx_median[i] = bench_median (rx[i], rounds);
    total_median[i] = bench_median (total[i], rounds);
  }

  g_print ("\nICE benchmark: ours = RtcIceTransport + rtcicesink/rtcicesrc, "
           "nice = libnice %s nicesink/nicesrc\n",
      nice_version);
  g_print ("loopback host candidates (127.0.0.1, UDP and TCP), trickled; "
           "first packet: median of %d connections (probe every %d us); "
           "receive path: %d-byte packets, %d per round after %d warm-up, "
           "median of %d rounds; %u CPUs\n\n",
      runs, PROBE_INTERVAL_US, PACKET_SIZE, packets, WARMUP_PACKETS, rounds,
      g_get_num_processors ());
  bench_print_header ("nice");
  bench_print_row ("first packet ms, controlling -> controlled",
      first_median[OURS][0], first_median[NICE][0], "%.1f",
      "from gathering on both sides");
  bench_print_row ("first packet ms, controlled -> controlling",
      first_median[OURS][1], first_median[NICE][1], "%.1f", NULL);
  bench_print_row ("receive path CPU us/packet", rx_median[OURS],
      rx_median[NICE], "%.2f",
      "process CPU minus the sending thread's; lower is better");
  bench_print_row ("whole process CPU us/packet", total_median[OURS],
      total_median[NICE], "%.2f", "sending thread and kernel loopback too");

  g_print ("\ngoal: ours first packet <= %.0f ms: %s (%.1f ms)\n",
      GOAL_FIRST_PACKET_MS,
      bench_met (first_median[OURS][0] <= GOAL_FIRST_PACKET_MS),
      first_median[OURS][0]);
  g_print ("goal: ours receive-path CPU per packet <= nice's: %s (%.2fx)\n",
      bench_met (rx_median[OURS] <= GOAL_CPU_RATIO * rx_median[NICE]),
      rx_median[OURS] / rx_median[NICE]);

  for (i = 0; i < N_IMPLS; i++) {
    g_free (first[i][0]);
    g_free (first[i][1]);
    g_free (rx[i]);
    g_free (total[i]);
  }
  g_free (nice_version);
  return 0;
}
