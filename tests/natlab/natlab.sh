#!/usr/bin/env bash
# NAT lab: a small fake internet in network namespaces, for NAT traversal tests.
#
#   natlab.sh up [--turn-user U] [--turn-pass P] [--realm R]
#                [--tls-cert CERT --tls-key KEY] [NAME=TYPE ...]
#   natlab.sh exec NS CMD [ARG...]   NS: pub, NAME (the LAN host) or r-NAME (its router)
#   natlab.sh info                   prints the lab as KEY=VALUE lines (shell-sourceable)
#   natlab.sh down
#
# TYPE is full (full cone), addr (address-restricted cone), port (port-restricted cone)
# or sym (symmetric). Default NATs: full=full addr=addr port=port sym=sym. Names are
# free, so full1=full full2=full puts two hosts behind independent NATs of one type.
# Every command works on the lab named by NATLAB_PREFIX (letters, digits, _); `up`
# picks one when it is unset and prints it first. Lab files (coturn config, log, pid)
# live in NATLAB_DIR, by default ${TMPDIR:-/tmp}/natlab-$NATLAB_PREFIX.
#
# Topology (only RFC 5737 documentation and RFC 1918 addresses, all inside the lab):
#
#   pub      bridge "inet": 203.0.113.1 (coturn :3478, tcp+udp) and 203.0.113.2 (a second
#            public address for probes); default route into a silent dead end.
#   r-NAME   NAT router: wan 203.0.113.(10+i) on pub's bridge, lan 10.0.i.1/24.
#   NAME     LAN host: eth0 10.0.i.2/24, default route via its router only.
#
# Needs root, ip (iproute2), nft (nftables), turnserver (coturn). Namespaces are made
# with `ip netns add`, which works inside `unshare -n` (the new namespaces are siblings,
# not children, of the caller's) and inside `unshare -m` (their /run/netns mounts then
# stay in that mount namespace). Nothing is created in the caller's network namespace.
set -euo pipefail

readonly PUB_NET=203.0.113        # RFC 5737 TEST-NET-3: the lab's "internet"
readonly PUB_IP=$PUB_NET.1        # coturn
readonly PUB_IP2=$PUB_NET.2       # alternate public address for RFC 5780-style probes
readonly TURN_PORT=3478
readonly TURN_TLS_PORT=5349

die() { echo "natlab: $*" >&2; exit 1; }

usage() {
	sed -n '2,12s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

check_prefix() {
	[[ ${NATLAB_PREFIX:-} =~ ^[A-Za-z0-9_]+$ ]] ||
		die "NATLAB_PREFIX must be set to letters, digits or _ (got '${NATLAB_PREFIX:-}')"
	P=$NATLAB_PREFIX
	DIR=${NATLAB_DIR:-${TMPDIR:-/tmp}/natlab-$P}
}

# The prefix never contains '-', so "$P-" matches this lab's namespaces and no other's.
lab_namespaces() {
	ip netns list | awk -v p="$P-" 'index($1, p) == 1 { print $1 }'
}

in_ns() {
	local ns=$1
	shift
	ip netns exec "$P-$ns" "$@"
}

# A namespace with lo up, IPv4 only (no link-local v6 addresses for ICE agents to
# gather, no router solicitations), no reverse-path filter (a NAT's inbound DNAT flows
# must not be judged by routes) and no forwarding until a router asks for it. A new
# namespace copies its IPv4 settings from the host's, so each is set explicitly.
new_ns() {
	local ns=$1
	ip netns add "$P-$ns"
	in_ns "$ns" sysctl -q -w \
		net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		net.ipv4.ip_forward=0
	ip -n "$P-$ns" link set lo up
}

nat_ruleset() {
	local type=$1 host=$2
	# Mapping: conntrack masquerade keeps the LAN host's source port whenever that is
	# free, which with one host per LAN is always: the same public ip:port for every
	# destination (endpoint-independent). "random" picks a new port per destination
	# (address-and-port-dependent: symmetric).
	local masq="masquerade"
	[ "$type" = sym ] && masq="masquerade random"
	# Filtering: without extra rules only replies matching a conntrack entry (the exact
	# remote ip:port the host sent to) come in: address-and-port-dependent. Full and
	# address-restricted cones remember, after source NAT (priority srcnat + 10 sees
	# the mapped port), which public ports (and remote addresses) the host sent from
	# (to), and DNAT new inbound flows that match back to the host. Mapped port ==
	# host port (see above), so DNAT need not rewrite the port. UDP only: TCP stays
	# port-restricted, as on most real NATs.
	local learn="" admit=""
	case $type in
	full)
		learn='set mapped { type inet_service; flags dynamic, timeout; timeout 2m; }
		chain learn { type filter hook postrouting priority srcnat + 10; policy accept;
			oifname "wan" update @mapped { udp sport }
		}'
		admit="iifname \"wan\" udp dport @mapped dnat to $host"
		;;
	addr)
		learn='set mapped { type inet_service . ipv4_addr; flags dynamic, timeout; timeout 2m; }
		chain learn { type filter hook postrouting priority srcnat + 10; policy accept;
			oifname "wan" update @mapped { udp sport . ip daddr }
		}'
		admit="iifname \"wan\" udp dport . ip saddr @mapped dnat to $host"
		;;
	esac
	cat <<-EOF
		table ip natlab {
			$learn
			chain prerouting { type nat hook prerouting priority dstnat; policy accept;
				$admit
			}
			chain postrouting { type nat hook postrouting priority srcnat; policy accept;
				oifname "wan" $masq
			}
			chain forward { type filter hook forward priority filter; policy drop;
				iifname "lan" oifname "wan" accept
				iifname "wan" oifname "lan" ct state established,related accept
				iifname "wan" oifname "lan" ct status dnat accept
			}
			# Unsolicited packets to the router are dropped silently, as real NATs do,
			# rather than answered with ICMP port unreachable.
			chain input { type filter hook input priority filter; policy accept;
				iifname "wan" ct state established,related accept
				iifname "wan" drop
			}
		}
	EOF
}

make_pub() {
	new_ns pub
	local ip="ip -n $P-pub"
	$ip link add name inet type bridge
	$ip addr add "$PUB_IP/24" dev inet
	$ip addr add "$PUB_IP2/24" dev inet
	$ip link set inet up
	# The silent dead end: traffic to any address outside the lab leaves through a
	# veth whose other end throws it away (no ARP: frames go to our own MAC, which the
	# peer drops as not for it). A blackhole/unreachable route would not do: local
	# senders get EINVAL/EHOSTUNREACH at once, and coturn drops a whole allocation on
	# such an error, where the real internet just loses the packet. Forwarding is off
	# here, so routed packets to unknown addresses are dropped silently too.
	$ip link add name void type veth peer name void-peer
	$ip link set void arp off
	$ip link set void up
	$ip link set void-peer up
	$ip route add default dev void
}

make_nat() {
	local name=$1 type=$2 i=$3
	local wan=$PUB_NET.$((10 + i)) lan=10.0.$i.1 host=10.0.$i.2
	new_ns "r-$name"
	new_ns "$name"
	ip -n "$P-pub" link add name "r-$name" type veth peer name wan netns "$P-r-$name"
	ip -n "$P-pub" link set "r-$name" master inet up
	ip -n "$P-r-$name" link add name lan type veth peer name eth0 netns "$P-$name"

	ip -n "$P-r-$name" addr add "$wan/24" dev wan
	ip -n "$P-r-$name" addr add "$lan/24" dev lan
	ip -n "$P-r-$name" link set wan up
	ip -n "$P-r-$name" link set lan up
	ip -n "$P-r-$name" route add default via "$PUB_IP"
	in_ns "r-$name" sysctl -q -w net.ipv4.ip_forward=1
	nat_ruleset "$type" "$host" | in_ns "r-$name" nft -f -

	ip -n "$P-$name" addr add "$host/24" dev eth0
	ip -n "$P-$name" link set eth0 up
	ip -n "$P-$name" route add default via "$lan"

	local T=${name^^}
	cat >>"$DIR/lab.env" <<-EOF
		NATLAB_${T}_TYPE=$type
		NATLAB_${T}_HOST_NETNS=/run/netns/$P-$name
		NATLAB_${T}_HOST_IP=$host
		NATLAB_${T}_ROUTER_NETNS=/run/netns/$P-r-$name
		NATLAB_${T}_PUBLIC_IP=$wan
	EOF
}

start_coturn() {
	local user=$1 pass=$2 realm=$3 cert=$4 key=$5
	local conf=$DIR/turnserver.conf
	cat >"$conf" <<-EOF
		listening-ip=$PUB_IP
		relay-ip=$PUB_IP
		listening-port=$TURN_PORT
		lt-cred-mech
		user=$user:$pass
		realm=$realm
		fingerprint
		no-cli
		no-multicast-peers
		log-file=$DIR/turnserver.log
		simple-log
		pidfile=$DIR/turnserver.pid
		userdb=$DIR/turndb
	EOF
	if [ -n "$cert" ]; then
		printf 'tls-listening-port=%s\ncert=%s\npkey=%s\n' "$TURN_TLS_PORT" "$cert" "$key" >>"$conf"
	else
		printf 'no-tls\nno-dtls\n' >>"$conf"
	fi
	# Own session and no inherited stdio: `up` returns while coturn runs, and a test
	# runner waiting for our output pipes to close must not wait for coturn.
	in_ns pub setsid turnserver -c "$conf" </dev/null >"$DIR/turnserver.out" 2>&1 &
	local pid=$! deadline=$((SECONDS + 10))
	until in_ns pub ss -Hlun "src $PUB_IP:$TURN_PORT" | grep -q .; do
		if ! kill -0 "$pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
			tail -n 20 "$DIR/turnserver.out" "$DIR/turnserver.log" >&2 || true
			die "coturn did not start listening on $PUB_IP:$TURN_PORT"
		fi
		sleep 0.1
	done
}

cmd_up() {
	local user=natlab pass=natlab realm=natlab.test cert="" key=""
	while [ $# -gt 0 ]; do
		case $1 in
		--turn-user) user=$2; shift 2 ;;
		--turn-pass) pass=$2; shift 2 ;;
		--realm) realm=$2; shift 2 ;;
		--tls-cert) cert=$(realpath "$2"); shift 2 ;;
		--tls-key) key=$(realpath "$2"); shift 2 ;;
		-*) usage ;;
		*) break ;;
		esac
	done
	[[ -z $cert$key || (-n $cert && -n $key) ]] || die "--tls-cert and --tls-key go together"
	[ $# -gt 0 ] || set -- full=full addr=addr port=port sym=sym
	local spec name type names=()
	for spec in "$@"; do
		name=${spec%%=*} type=${spec#*=}
		[[ $name =~ ^[a-z0-9]{1,12}$ && $name != pub ]] || die "bad NAT name '$name' in '$spec'"
		[[ $type =~ ^(full|addr|port|sym)$ ]] || die "bad NAT type '$type' in '$spec'"
		[[ " ${names[*]} " != *" $name "* ]] || die "NAT name '$name' given twice"
		names+=("$name")
	done
	[ ${#names[@]} -le 100 ] || die "at most 100 NATs"

	[ "$(id -u)" -eq 0 ] || die "needs root"
	NATLAB_PREFIX=${NATLAB_PREFIX:-nl$$}
	check_prefix
	[ -z "$(lab_namespaces)" ] || die "a lab with prefix $P already exists"
	[ ! -e "$DIR" ] || die "$DIR already exists"
	mkdir -m 700 "$DIR"
	# A half-built lab is torn down rather than left behind.
	trap 'cmd_down >/dev/null 2>&1 || true' EXIT

	local nats tls_port=""
	nats=$(IFS=,; echo "${names[*]}")
	[ -z "$cert" ] || tls_port=$TURN_TLS_PORT
	cat >"$DIR/lab.env" <<-EOF
		NATLAB_PREFIX=$P
		NATLAB_DIR=$DIR
		NATLAB_PUB_NETNS=/run/netns/$P-pub
		NATLAB_PUBLIC_IP=$PUB_IP
		NATLAB_PUBLIC_IP2=$PUB_IP2
		NATLAB_TURN_PORT=$TURN_PORT
		NATLAB_TURN_TLS_PORT=$tls_port
		NATLAB_TURN_USER=$user
		NATLAB_TURN_PASS=$pass
		NATLAB_TURN_REALM=$realm
		NATLAB_TURN_LOG=$DIR/turnserver.log
		NATLAB_NATS=$nats
	EOF
	make_pub
	local i=0
	for spec in "$@"; do
		i=$((i + 1))
		make_nat "${spec%%=*}" "${spec#*=}" "$i"
	done
	start_coturn "$user" "$pass" "$realm" "$cert" "$key"
	trap - EXIT
	cat "$DIR/lab.env"
}

any_alive() {
	local pid
	for pid; do
		kill -0 "$pid" 2>/dev/null && return 0
	done
	return 1
}

# Ends every process still inside the lab (coturn, probes, agents a test left), then
# deletes the namespaces; their interfaces and nftables rules go with them.
cmd_down() {
	check_prefix
	local ns pids deadline
	mapfile -t pids < <(for ns in $(lab_namespaces); do ip netns pids "$ns"; done)
	if [ ${#pids[@]} -gt 0 ]; then
		kill -TERM "${pids[@]}" 2>/dev/null || true
		deadline=$((SECONDS + 3))
		while any_alive "${pids[@]}" && [ $SECONDS -lt $deadline ]; do
			sleep 0.1
		done
		kill -KILL "${pids[@]}" 2>/dev/null || true
	fi
	for ns in $(lab_namespaces); do
		ip netns delete "$ns"
	done
	rm -rf "$DIR"
}

cmd_exec() {
	[ $# -ge 2 ] || usage
	check_prefix
	local ns=$1
	shift
	ip netns list | awk '{ print $1 }' | grep -qx -- "$P-$ns" || die "no namespace '$ns' in lab $P"
	exec ip netns exec "$P-$ns" "$@"
}

cmd_info() {
	check_prefix
	[ -f "$DIR/lab.env" ] || die "no lab $P (no $DIR/lab.env)"
	cat "$DIR/lab.env"
}

[ $# -ge 1 ] || usage
cmd=$1
shift
case $cmd in
up) cmd_up "$@" ;;
down) [ $# -eq 0 ] || usage; cmd_down ;;
exec) cmd_exec "$@" ;;
info) [ $# -eq 0 ] || usage; cmd_info ;;
*) usage ;;
esac
