#!/usr/bin/env python3
"""ICE across every pair of NAT types in the NAT lab.

Builds the lab with two LAN hosts behind independent NATs of each type (full, addr,
port, sym), then for every unordered pair of types (10 pairs, same-type ones included)
runs ice-peer in two LAN namespaces, wiring each one's signalling lines (stdout) to the
other's stdin, with coturn as STUN and TURN server. Prints a table and fails if

  - a pair does not connect, or does not carry every packet intact both ways;
  - a pair that needs no relay used one: every pair except sym<->port and sym<->sym
    can connect directly through the NATs, with server- or peer-reflexive candidates;
  - a pair that needs a relay did not use one (the lab's NATs would then be weaker
    than their types say);
  - a peer gathered no server-reflexive candidate at its NAT's public address (STUN
    from coturn) or no relay candidate (TURN from coturn).

One exception: addr<->sym may end up relayed. Its only direct path is the symmetric
side's check, from a new mapping, to the restricted side's reflexive address, which the
restricted NAT admits only once its own host has sent to the symmetric NAT's address.
When the symmetric side's first check comes before that, it is filtered and succeeds
only on retransmission, and by then libnice (regular nomination) has nominated the best
pair among the first two valid ones, which involve the relay. So addr<->sym also runs
without a TURN server, where it must connect directly: the path exists and ICE finds
it.

A pair "used a relay" when any candidate of either side's selected pair is of type
relay or at coturn's address: a peer-reflexive candidate learnt from a check that came
through the relay is a relayed path too.

Pairs run concurrently, but no LAN host runs two peers at once, so each pair has its
NATs to itself. The lab is torn down at the end, also on failure or SIGTERM.
Exit: 0 pass, 1 fail, 77 skip (not root, or ip/nft missing).
"""
import argparse
import asyncio
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.join(HERE, "natlab.sh")
TYPES = ("full", "addr", "port", "sym")
HOSTS = [f"{t}{i}" for t in TYPES for i in (1, 2)]

# (controlling host, controlled host, with a TURN server). Same-type pairs first, then
# the cross pairs spread over both hosts of each type: three rounds in which no host is
# used twice, the fewest possible (each type takes part in five host slots and has two
# hosts; the last round has room for addr<->sym without TURN).
PAIRS = [
    ("full1", "full2", True), ("addr1", "addr2", True), ("port1", "port2", True),
    ("sym1", "sym2", True),
    ("full1", "addr1", True), ("sym1", "port1", True), ("port2", "full2", True),
    ("addr2", "sym2", True),
    ("full1", "sym1", True), ("port1", "addr1", True), ("addr2", "sym2", False),
]

# Symmetric NATs map each destination to a new port; only a filter that ignores the
# remote port (full, addr) lets the new port in. Port-restricted and symmetric filters
# admit only the exact address:port they sent to, which the other, symmetric, side
# cannot predict.
NEEDS_RELAY = {frozenset(("sym", "port")), frozenset(("sym",))}
# Direct, or relayed when libnice nominates before the direct pair is valid (above).
EITHER = {frozenset(("addr", "sym"))}


def expectation(types, turn):
    kind = frozenset(types)
    if not turn:
        return "direct"
    if kind in NEEDS_RELAY:
        return "relay"
    return "either" if kind in EITHER else "direct"


INTERRUPTS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
# Peers running now; on a signal they are killed and no pair starts after.
RUNNING = set()
INTERRUPTED = False


def interrupt_matrix():
    global INTERRUPTED
    INTERRUPTED = True
    print("FAIL: interrupted", flush=True)
    for proc in RUNNING:
        if proc.returncode is None:
            proc.kill()

CANDIDATE_RE = re.compile(
    r"^candidate:\S+ \d+ (\S+) \d+ (\S+) (\d+) typ (\S+)")


def host_type(host):
    return host.rstrip("0123456789")


def lab(*args, **kw):
    return subprocess.run([LAB, *args], check=True, text=True, **kw)


class Peer:
    def __init__(self, host, role):
        self.host, self.role = host, role
        self.lines = []  # everything it printed, for the failure log
        self.candidates = []  # (protocol, address, port, type)
        self.connected_ms = None
        self.selected = None  # (ltype, laddr, rtype, raddr)
        self.resent = 0
        self.result = "no result"
        self.rc = None
        self.stderr = ""

    def parse(self, line):
        self.lines.append(line)
        if line.startswith("candidate "):
            m = CANDIDATE_RE.match(line[len("candidate "):])
            if m:
                self.candidates.append((m[1].lower(), m[2], int(m[3]), m[4]))
        elif line.startswith("# connected "):
            self.connected_ms = int(line.split()[2])
        elif line.startswith("# selected ") and line != "# selected none":
            f = line.split()
            self.selected = (f[2], f[3], f[4], f[5])
        elif line.startswith("# packets "):
            m = re.search(r"resent=(\d+)", line)
            self.resent = int(m[1]) if m else 0
        elif line.startswith("# result "):
            self.result = line[len("# result "):]


async def forward(src, dst_proc, peer):
    """Reads src's lines into peer; hands signalling lines to dst_proc's stdin."""
    while True:
        raw = await src.readline()
        if not raw:
            break
        line = raw.decode(errors="replace").rstrip("\n")
        peer.parse(line)
        if line.startswith("#") or dst_proc.stdin.is_closing():
            continue
        try:
            dst_proc.stdin.write((line + "\n").encode())
            await dst_proc.stdin.drain()
        except (BrokenPipeError, ConnectionResetError):
            pass
    # The peer sees it gone: a side that still waits for it fails at once.
    if not dst_proc.stdin.is_closing():
        dst_proc.stdin.close()


async def run_pair(args, info, a, b, use_turn, locks):
    peers = [Peer(a, "controlling"), Peer(b, "controlled")]
    pub = info["NATLAB_PUBLIC_IP"]
    turn = (f"turn://{info['NATLAB_TURN_USER']}:{info['NATLAB_TURN_PASS']}@{pub}:"
            f"{info['NATLAB_TURN_PORT']}?transport=udp")
    async with locks[a], locks[b]:
        start = time.monotonic()
        procs = []
        if INTERRUPTED:
            for p in peers:
                p.result = "not run: interrupted"
            return peers, 0.0
        for p in peers:
            cmd = [LAB, "exec", p.host, *args.wrapper, args.peer, "--role", p.role,
                   "--stun", f"stun://{pub}:{info['NATLAB_TURN_PORT']}",
                   *(["--turn", turn] if use_turn else []),
                   "--packets", str(args.packets), "--timeout", str(args.peer_timeout)]
            procs.append(await asyncio.create_subprocess_exec(
                *cmd, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE))
            RUNNING.add(procs[-1])
        tasks = [
            forward(procs[0].stdout, procs[1], peers[0]),
            forward(procs[1].stdout, procs[0], peers[1]),
        ]
        tasks += [p.stderr.read() for p in procs]
        tasks += [p.wait() for p in procs]
        try:
            async with asyncio.timeout(args.peer_timeout + 10):
                res = await asyncio.gather(*tasks)
            for i, p in enumerate(peers):
                p.stderr = res[2 + i].decode(errors="replace")
                p.rc = res[4 + i]
        except TimeoutError:
            for p in peers:
                p.result = f"fail: still running after {args.peer_timeout + 10} s"
        finally:
            for pr in procs:
                if pr.returncode is None:
                    pr.kill()
                    await pr.wait()
            RUNNING.difference_update(procs)
        elapsed = time.monotonic() - start
    if args.log_dir:
        for p in peers:
            name = f"{a}-{b}" + ("" if use_turn else "-noturn")
            path = os.path.join(args.log_dir, f"{name}.{p.host}.log")
            with open(path, "w") as f:
                f.write("\n".join(p.lines) + "\n--- stderr\n" + p.stderr)
    return peers, elapsed


def relayed(peer, coturn_ip):
    if not peer.selected:
        return False
    ltype, laddr, rtype, raddr = peer.selected
    return ("relay" in (ltype, rtype) or laddr.rsplit(":", 1)[0] == coturn_ip
            or raddr.rsplit(":", 1)[0] == coturn_ip)


def check_pair(info, peers, use_turn):
    """Problems of one pair, as strings."""
    problems = []
    coturn = info["NATLAB_PUBLIC_IP"]
    if any(p.rc is None and p.result.startswith("not run") for p in peers):
        return [peers[0].result]
    for p in peers:
        public = info[f"NATLAB_{p.host.upper()}_PUBLIC_IP"]
        if p.rc != 0 or p.result != "ok":
            problems.append(f"{p.host}: {p.result} (exit {p.rc})")
        if not any(c[3] == "srflx" and c[1] == public for c in p.candidates):
            problems.append(f"{p.host}: no srflx candidate at its NAT's {public}")
        if use_turn and not any(c[3] == "relay" and c[1] == coturn for c in p.candidates):
            problems.append(f"{p.host}: no relay candidate from coturn {coturn}")
    if all(p.selected for p in peers):
        used = any(relayed(p, coturn) for p in peers)
        want = expectation([host_type(p.host) for p in peers], use_turn)
        if used and want == "direct":
            problems.append("relayed, but these NATs connect directly")
        elif not used and want == "relay":
            problems.append("direct, but these NATs need a relay: the lab's NATs "
                            "are weaker than their types")
    elif not problems:
        problems.append("no selected pair reported")
    return problems


def pair_kind(sel):
    return f"{sel[0]}>{sel[2]}" if sel else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--peer", required=True, help="the ice-peer program")
    ap.add_argument("--wrapper", default="",
                    help="command to run each peer under, e.g. 'valgrind -q'")
    ap.add_argument("--packets", type=int, default=300)
    ap.add_argument("--peer-timeout", type=int, default=20)
    ap.add_argument("--only", action="append", default=[], metavar="TYPE-TYPE",
                    help="run only these pairs of NAT types, e.g. addr-sym (repeatable)")
    ap.add_argument("--log-dir", help="write each peer's output and log there")
    args = ap.parse_args()
    args.wrapper = shlex.split(args.wrapper)
    args.peer = os.path.abspath(args.peer)

    if os.geteuid() != 0:
        print("SKIP: needs root (network namespaces, nftables)")
        return 77
    for tool in ("ip", "nft"):
        if not shutil.which(tool):
            print(f"SKIP: '{tool}' not installed")
            return 77
    if not shutil.which("turnserver"):
        print("FAIL: 'turnserver' (coturn) not installed")
        return 1

    os.environ["NATLAB_PREFIX"] = f"nlm{os.getpid()}"
    # SIGTERM (meson's timeout) unwinds through the finally below; while the
    # matrix runs, it ends the running pairs instead (interrupt_matrix).
    def interrupted(signum, frame):
        print(f"FAIL: interrupted by signal {signum}", flush=True)
        sys.exit(1)

    for sig in INTERRUPTS:
        signal.signal(sig, interrupted)
    began = time.monotonic()
    rc = 1
    try:
        lab("up", *[f"{h}={host_type(h)}" for h in HOSTS], stdout=subprocess.DEVNULL,
            timeout=60)
        info = dict(line.split("=", 1) for line in
                    lab("info", capture_output=True).stdout.splitlines())
        lab_secs = time.monotonic() - began
        rc = asyncio.run(run_matrix(args, info))
        print(f"lab up in {lab_secs:.1f} s, matrix and lab {time.monotonic() - began:.1f} s")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        print(f"FAIL: {e}")
    finally:
        down = subprocess.run([LAB, "down"], timeout=30)
        left = [ns for ns in subprocess.run(["ip", "netns", "list"], capture_output=True,
                                            text=True).stdout.split()
                if ns.startswith(os.environ["NATLAB_PREFIX"] + "-")]
        if down.returncode != 0 or left:
            print(f"FAIL: teardown (natlab.sh down exit {down.returncode}, "
                  f"namespaces left: {left})")
            rc = 1
    return rc


async def run_matrix(args, info):
    loop = asyncio.get_running_loop()
    for sig in INTERRUPTS:
        loop.add_signal_handler(sig, interrupt_matrix)
    locks = {h: asyncio.Lock() for h in HOSTS}
    only = {frozenset(o.split("-", 1)) for o in args.only}
    pairs = [(a, b, t) for a, b, t in PAIRS
             if not only or frozenset((host_type(a), host_type(b))) in only]
    started = time.monotonic()
    results = await asyncio.gather(*(run_pair(args, info, a, b, t, locks)
                                     for a, b, t in pairs))
    total = time.monotonic() - started

    failures = 0
    print(f"{'NAT-A':5} {'NAT-B':5} {'TURN':4} {'A: local>remote':16} "
          f"{'B: local>remote':16} {'relay':5} {'expect':6} {'connect':>8} {'resent':>6} "
          f"{'run':>5}  verdict")
    for (a, b, use_turn), (peers, elapsed) in zip(pairs, results):
        problems = check_pair(info, peers, use_turn)
        used = all(p.selected for p in peers) and any(
            relayed(p, info["NATLAB_PUBLIC_IP"]) for p in peers)
        ms = [p.connected_ms for p in peers]
        connect = f"{max(ms)} ms" if None not in ms else "-"
        want = expectation((host_type(a), host_type(b)), use_turn)
        print(f"{host_type(a):5} {host_type(b):5} {'yes' if use_turn else 'no':4} "
              f"{pair_kind(peers[0].selected):16} {pair_kind(peers[1].selected):16} "
              f"{'yes' if used else 'no':5} {want:6} {connect:>8} "
              f"{sum(p.resent for p in peers):6} {elapsed:4.1f}s  "
              f"{'ok' if not problems else 'FAIL'}")
        if problems:
            failures += 1
            for pr in problems:
                print(f"    {pr}")
            for p in peers:
                print(f"    --- {p.host} ({p.role}) output:")
                for line in p.lines + p.stderr.splitlines()[-20:]:
                    print(f"      {line}")
    print(f"matrix: {len(results) - failures} of {len(results)} pairs ok in {total:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
