#!/usr/bin/env python3
"""UDP probe that classifies a NAT's mapping and filtering behaviour (RFC 4787, RFC 5780).

server: run on the public side with two addresses and two ports; it listens on all four
        address:port combinations and answers each request with the source address:port
        it saw, from the socket the request asks for (the same one, the other port, or the
        other address and the other port: RFC 5780's CHANGE-REQUEST).
client: run behind the NAT; prints one JSON line, e.g.
        {"nat": "port-restricted-cone", "mapping": "endpoint-independent",
         "filtering": "address-and-port-dependent", "local": ..., "mapped": ...}
        and exits 0, or prints {"error": ...} and exits 1 when the server never answers.

Requests and answers are small JSON datagrams; stdlib only.
"""
import argparse
import json
import selectors
import socket
import sys
import time

EI = "endpoint-independent"
AD = "address-dependent"
APD = "address-and-port-dependent"


def addr_str(addr):
    return f"{addr[0]}:{addr[1]}"


def serve(args):
    ips, ports = args.ip, args.port
    socks = {}
    sel = selectors.DefaultSelector()
    for ip in ips:
        for port in ports:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind((ip, port))
            socks[(ip, port)] = s
            sel.register(s, selectors.EVENT_READ)

    def other(values, v):
        return values[1] if v == values[0] else values[0]

    # Bounded life: a server that nobody stops still goes away.
    deadline = time.monotonic() + args.lifetime
    while (left := deadline - time.monotonic()) > 0:
        for key, _ in sel.select(timeout=left):
            s = key.fileobj
            data, peer = s.recvfrom(2048)
            try:
                req = json.loads(data)
                ip, port = s.getsockname()
                reply_from = {
                    "same": (ip, port),
                    "change-port": (ip, other(ports, port)),
                    "change-ip-port": (other(ips, ip), other(ports, port)),
                }[req["reply-from"]]
                answer = {"id": req["id"], "mapped": addr_str(peer)}
            except (ValueError, KeyError, TypeError):
                continue  # not one of ours: ignore, as a STUN server would
            socks[reply_from].sendto(json.dumps(answer).encode(), peer)


class Client:
    def __init__(self, timeout):
        self.timeout = timeout
        self.next_id = 0

    def query(self, sock, dest, reply_from="same"):
        """Mapped address the server saw, or None if no answer came within the timeout.

        The request is repeated a few times within the timeout, so one lost datagram
        does not look like filtering; answers to earlier requests are ignored by id.
        """
        self.next_id += 1
        req = json.dumps({"id": self.next_id, "reply-from": reply_from}).encode()
        deadline = time.monotonic() + self.timeout
        resend = 0.0
        while (left := deadline - time.monotonic()) > 0:
            if time.monotonic() >= resend:
                sock.sendto(req, dest)
                resend = time.monotonic() + self.timeout / 4
            sock.settimeout(min(left, max(resend - time.monotonic(), 0.001)))
            try:
                data, _ = sock.recvfrom(2048)
            except socket.timeout:
                continue
            try:
                answer = json.loads(data)
                if answer["id"] == self.next_id:
                    return answer["mapped"]
            except (ValueError, KeyError, TypeError):
                pass
        return None


def nat_name(local, mapped, mapping, filtering):
    if mapped == local:
        return "open"
    if mapping != EI:
        return "symmetric"
    return {EI: "full-cone", AD: "address-restricted-cone",
            APD: "port-restricted-cone"}[filtering]


def classify(args):
    primary = (args.server, args.port)
    # Source address: the one the host's routes pick towards the server.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(primary)
        local_ip = s.getsockname()[0]

    def fresh_socket():
        # A new local port has a new NAT mapping: no earlier test opened its filter.
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((local_ip, 0))
        return s

    client = Client(args.timeout)
    # Mapping (RFC 5780 4.3): same mapping towards another address? another port?
    with fresh_socket() as s:
        local = addr_str(s.getsockname())
        m1 = client.query(s, primary)
        if m1 is None:
            return {"error": f"no answer from {addr_str(primary)}", "local": local}
        m2 = client.query(s, (args.alt_server, args.port))
        m3 = m2 if m2 == m1 else client.query(s, (args.alt_server, args.alt_port))
        if None in (m2, m3):
            return {"error": "no answer from the alternate address", "local": local}
        mapping = EI if m2 == m1 else AD if m3 == m2 else APD
    # Filtering (RFC 5780 4.4): does an answer from another address and port, or from
    # the same address and another port, get in?
    with fresh_socket() as s:
        if client.query(s, primary) is None:
            return {"error": f"no answer from {addr_str(primary)}", "local": local}
        if client.query(s, primary, "change-ip-port") is not None:
            filtering = EI
        elif client.query(s, primary, "change-port") is not None:
            filtering = AD
        else:
            filtering = APD
    return {"nat": nat_name(local, m1, mapping, filtering), "mapping": mapping,
            "filtering": filtering, "local": local, "mapped": m1,
            "mapped_other_endpoints": sorted({m2, m3} - {m1})}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="mode", required=True)
    srv = sub.add_parser("server", help="answer probes (public side)")
    srv.add_argument("--ip", action="append", required=True,
                     help="public address; give it twice")
    srv.add_argument("--port", type=int, action="append", required=True,
                     help="UDP port; give it twice")
    srv.add_argument("--lifetime", type=float, default=60,
                     help="exit after this many seconds (default 60)")
    cli = sub.add_parser("client", help="classify the NAT in front of this host")
    cli.add_argument("--server", required=True, help="server's primary address")
    cli.add_argument("--alt-server", required=True, help="server's other address")
    cli.add_argument("--port", type=int, required=True, help="server's primary port")
    cli.add_argument("--alt-port", type=int, required=True, help="server's other port")
    cli.add_argument("--timeout", type=float, default=1.0,
                     help="seconds to wait for each answer (default 1)")
    args = p.parse_args()
    if args.mode == "server":
        if len(args.ip) != 2 or len(args.port) != 2 or len(set(args.ip)) != 2 \
                or len(set(args.port)) != 2:
            p.error("server needs two different --ip and two different --port")
        serve(args)
        return 0
    result = classify(args)
    print(json.dumps(result), flush=True)
    return 1 if "error" in result else 0


if __name__ == "__main__":
    sys.exit(main())
