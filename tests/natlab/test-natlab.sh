#!/usr/bin/env bash
# Proves the NAT lab behaves as its types say: builds the lab, classifies each NAT with
# probe.py (RFC 5780 mapping and filtering tests), checks coturn's STUN answer to each
# LAN host is that NAT's public address, relays through coturn with the lab's TURN
# credentials, checks the "internet" drops traffic to unknown addresses silently, and
# tears the lab down, leaving no namespace or process behind.
# Exit: 0 pass, 1 fail, 77 skip (not root, or ip/nft missing). Takes 15-25 s, 55 s at
# most.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
lab=$here/natlab.sh

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (network namespaces, nftables)"; exit 77; }
for tool in ip nft; do
	command -v "$tool" >/dev/null || { echo "SKIP: '$tool' not installed"; exit 77; }
done

passes=0 failures=0
pass() { passes=$((passes + 1)); }
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

for tool in python3 turnserver turnutils_stunclient turnutils_uclient turnutils_peer ss timeout; do
	command -v "$tool" >/dev/null || { fail "'$tool' not installed"; exit 1; }
done

export NATLAB_PREFIX=nlt$$
deadline=$((SECONDS + 55))

# Runs a command with a timeout of at most $1 seconds, less if the test's overall
# deadline comes sooner, so that the whole test stays bounded.
bounded() {
	local secs=$1 left=$((deadline - SECONDS))
	shift
	[ "$left" -lt "$secs" ] && secs=$left
	[ "$secs" -gt 0 ] || { echo "out of time before: $*"; return 124; }
	timeout -k 1 "$secs" "$@"
}

cleanup() {
	local rc=$?
	trap - EXIT
	if [ "$rc" -ne 0 ] || [ "$failures" -gt 0 ]; then
		for f in "${NATLAB_TURN_LOG:-}" "${NATLAB_DIR:-}/turnserver.out"; do
			# Leaves out the wrong-password check's expected auth errors.
			[ -f "$f" ] && { echo "--- tail of $f"; grep -v check_stun_auth "$f" | tail -n 30; }
		done
	fi
	timeout 20 "$lab" down || { echo "FAIL: natlab.sh down failed"; rc=1; }
	if ip netns list | grep -q "^$NATLAB_PREFIX-"; then
		echo "FAIL: namespaces left behind: $(ip netns list | grep "^$NATLAB_PREFIX-" | tr '\n' ' ')"
		rc=1
	fi
	[ "$failures" -eq 0 ] || rc=1
	# A run cut short (error, signal) counts as one failure even if no check failed.
	[ "$rc" -eq 0 ] || [ "$failures" -gt 0 ] || failures=1
	echo "natlab: $passes passed, $failures failed"
	exit "$rc"
}
trap cleanup EXIT
# An interrupted or timed-out run (meson sends SIGTERM) still tears the lab down.
trap 'exit 1' INT TERM HUP

bounded 20 "$lab" up >/dev/null
eval "$("$lab" info)"

# The probe server answers on both public addresses and two ports; its lifetime bounds
# it even if nothing stopped it (down does).
probe_port=7000 probe_alt_port=7001
"$lab" exec pub python3 "$here/probe.py" server \
	--ip "$NATLAB_PUBLIC_IP" --ip "$NATLAB_PUBLIC_IP2" \
	--port "$probe_port" --port "$probe_alt_port" --lifetime 50 >/dev/null &
until "$lab" exec pub ss -Hlun "src $NATLAB_PUBLIC_IP2:$probe_alt_port" | grep -q .; do
	[ $SECONDS -lt $deadline ] || { fail "probe server did not start"; exit 1; }
	sleep 0.1
done

declare -A expect_mapping=([full]=endpoint-independent [addr]=endpoint-independent
	[port]=endpoint-independent [sym]=address-and-port-dependent)
declare -A expect_filtering=([full]=endpoint-independent [addr]=address-dependent
	[port]=address-and-port-dependent [sym]=address-and-port-dependent)

# A string field of the probe's flat one-line JSON, "?" when it is missing.
probe_field() {
	local re="\"$1\": \"([^\"]*)\""
	[[ $2 =~ $re ]] && echo "${BASH_REMATCH[1]}" || echo "?"
}

IFS=, read -r -a nats <<<"$NATLAB_NATS"
for name in "${nats[@]}"; do
	T=${name^^}
	type_var=NATLAB_${T}_TYPE public_var=NATLAB_${T}_PUBLIC_IP
	type=${!type_var} public_ip=${!public_var}

	result=$(bounded 10 "$lab" exec "$name" python3 "$here/probe.py" client \
		--server "$NATLAB_PUBLIC_IP" --alt-server "$NATLAB_PUBLIC_IP2" \
		--port "$probe_port" --alt-port "$probe_alt_port" --timeout 1) || true
	nat=$(probe_field nat "$result") mapping=$(probe_field mapping "$result")
	filtering=$(probe_field filtering "$result") mapped=$(probe_field mapped "$result")
	verdict=ok
	if [ "$mapping" != "${expect_mapping[$type]}" ] ||
		[ "$filtering" != "${expect_filtering[$type]}" ] ||
		[ "${mapped%:*}" != "$public_ip" ]; then
		verdict="FAIL (want mapping=${expect_mapping[$type]} filtering=${expect_filtering[$type]} via $public_ip; probe said: ${result:-nothing})"
		failures=$((failures + 1))
	else
		pass
	fi
	printf '%-5s %-5s -> %-24s mapping=%-27s filtering=%-27s mapped=%s %s\n' \
		"$name" "$type" "$nat" "$mapping" "$filtering" "$mapped" "$verdict"

	# coturn's STUN binding answer must show the NAT's public address.
	stun=$(bounded 5 "$lab" exec "$name" turnutils_stunclient -p "$NATLAB_TURN_PORT" \
		"$NATLAB_PUBLIC_IP" 2>&1) || true
	reflexive=$(sed -n 's/.*UDP reflexive addr: \([0-9.]*\):.*/\1/p' <<<"$stun" | head -n 1)
	if [ "$reflexive" = "$public_ip" ]; then
		pass
	else
		fail "$name: coturn STUN reflexive address '${reflexive:-none}', want $public_ip"
	fi
done

# TURN: an allocation with the lab's credentials from behind the symmetric NAT (where
# ICE will need it) relays packets to an echo peer on the public side and back; a
# wrong password gets no allocation.
turn_host=sym
"$lab" exec pub turnutils_peer -L "$NATLAB_PUBLIC_IP2" -p 3480 >/dev/null 2>&1 &
turn=$(bounded 15 "$lab" exec "$turn_host" turnutils_uclient -u "$NATLAB_TURN_USER" \
	-w "$NATLAB_TURN_PASS" -e "$NATLAB_PUBLIC_IP2" -r 3480 -n 5 -m 1 -c \
	"$NATLAB_PUBLIC_IP" 2>&1) || true
if grep -q 'tot_recv_msgs=5$' <<<"$turn"; then
	echo "turn  relay from $turn_host via $NATLAB_PUBLIC_IP:$NATLAB_TURN_PORT: 5/5 echoed ok"
	pass
else
	fail "TURN relay from $turn_host: $(tail -n 3 <<<"$turn")"
fi
turn=$(bounded 10 "$lab" exec "$turn_host" turnutils_uclient -u "$NATLAB_TURN_USER" \
	-w "wrong-$NATLAB_TURN_PASS" -e "$NATLAB_PUBLIC_IP2" -r 3480 -n 1 -m 1 -c \
	"$NATLAB_PUBLIC_IP" 2>&1) || true
if grep -q 'Cannot complete Allocation' <<<"$turn"; then
	pass
else
	fail "TURN allocation with a wrong password was not refused"
fi

# The fake internet loses packets to addresses it has no route for, without an error
# to the sender (coturn would drop an allocation on ENETUNREACH): a LAN host's private
# address, and an address outside the lab.
if bounded 5 "$lab" exec pub python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for dest in sys.argv[1:]:
    s.sendto(b"lost", (dest, 9))' "$NATLAB_FULL_HOST_IP" 192.0.2.99 2>&1; then
	echo "pub   sends to unknown addresses are dropped silently: ok"
	pass
else
	fail "pub: sending to an address outside the lab gave an error"
fi
