/* gst-rtc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One SCTP association (RFC 4960) on usrsctp in AF_CONN mode, carrying
 * WebRTC data channels (RFC 8831, DCEP RFC 8832). Packets leave through
 * the output function and arrive through rtc_sctp_association_input():
 * the caller carries them over DTLS, never the kernel.
 */
#pragma once

#include <gst/gst.h>
#include <gst/rtc/rtc.h>

G_BEGIN_DECLS

#define RTC_TYPE_SCTP_ASSOCIATION (rtc_sctp_association_get_type ())
G_DECLARE_FINAL_TYPE (RtcSctpAssociation, rtc_sctp_association, RTC,
    SCTP_ASSOCIATION, GObject)

/* What we advertise (a=max-message-size) and accept. */
#define RTC_SCTP_DEFAULT_MAX_MESSAGE_SIZE (256 * 1024)
/* RFC 8841 6.1: the peer's limit when its SDP says nothing. */
#define RTC_SCTP_DEFAULT_REMOTE_MAX_MESSAGE_SIZE 65536
#define RTC_SCTP_DEFAULT_PORT 5000
/* Streams each way: ids 0 to 1023. */
#define RTC_SCTP_MAX_STREAMS 1024

/* Called with usrsctp locks held, from any thread (the caller of
 * input/send, or the SCTP timer thread): it must not block and must not
 * feed a packet back into any association synchronously; queue it. */
typedef void (
    *RtcSctpOutputFunc) (const guint8 *packet, gsize len, gpointer user_data);

RtcSctpAssociation *rtc_sctp_association_new (gboolean dtls_client,
    guint16 local_port, guint16 remote_port);

/* Elements find each other's association by id; NULL if none. */
RtcSctpAssociation *rtc_sctp_association_lookup (guint id);
void rtc_sctp_association_register (RtcSctpAssociation *assoc, guint id);
void rtc_sctp_association_unregister (RtcSctpAssociation *assoc);

void rtc_sctp_association_set_output (RtcSctpAssociation *assoc,
    RtcSctpOutputFunc func, gpointer user_data, GDestroyNotify notify);

/* Output batches: packets that leave while the calling thread is between
 * begin and end (input, sending) are "deferred": the output function may
 * queue them without waking anyone, as @flush (if set) is called once on
 * that thread after the batch's last packet, outside usrsctp and the
 * association's locks. Batches nest; only the outermost one counts. */
typedef void (*RtcSctpOutputFlushFunc) (gpointer user_data);
void rtc_sctp_association_set_output_flush (RtcSctpAssociation *assoc,
    RtcSctpOutputFlushFunc flush);
void rtc_sctp_association_begin_output_batch (RtcSctpAssociation *assoc);
void rtc_sctp_association_end_output_batch (RtcSctpAssociation *assoc);
/* From an output function: whether this packet's flush comes later. */
gboolean rtc_sctp_association_output_is_deferred (void);

/* @local: the largest message we accept (what we advertise); @remote:
 * the peer's a=max-message-size, 0 for no limit. */
void rtc_sctp_association_set_max_message_size (RtcSctpAssociation *assoc,
    guint32 local, guint32 remote);

/* Before start(): the DTLS role (in-band channels made before it was
 * known move to an id of its parity) and the peer's SCTP port. */
void rtc_sctp_association_set_role (RtcSctpAssociation *assoc,
    gboolean dtls_client, guint16 remote_port);

gboolean rtc_sctp_association_start (RtcSctpAssociation *assoc, GError **error);
void rtc_sctp_association_input (RtcSctpAssociation *assoc,
    const guint8 *packet, gsize len);
/* Aborts the association (an ABORT chunk goes out): every channel closes. */
void rtc_sctp_association_abort (RtcSctpAssociation *assoc);

GstRtcDataChannel *
rtc_sctp_association_create_channel (RtcSctpAssociation *assoc,
    const gchar *label, const GstStructure *options, GError **error);

GstRtcSctpTransportState rtc_sctp_association_get_state (
    RtcSctpAssociation *assoc);
/* Whether the peer agreed to I-DATA (RFC 8260). */
gboolean rtc_sctp_association_get_interleaving (RtcSctpAssociation *assoc);
GstStructure *rtc_sctp_association_get_stats (RtcSctpAssociation *assoc);

/* Sends one message as is (no DCEP, no checks, no queue): for tests of
 * hostile input. */
gboolean rtc_sctp_association_send_raw (RtcSctpAssociation *assoc, guint16 sid,
    guint32 ppid, const guint8 *data, gsize len);

G_END_DECLS

G_BEGIN_DECLS
/* For RtcSctpChannel. */
struct _RtcSctpChannel;
gboolean rtc_sctp_association_channel_send (RtcSctpAssociation *assoc,
    struct _RtcSctpChannel *channel, GBytes *data, gboolean is_string,
    GError **error);
void rtc_sctp_association_channel_close (RtcSctpAssociation *assoc,
    struct _RtcSctpChannel *channel);
G_END_DECLS
