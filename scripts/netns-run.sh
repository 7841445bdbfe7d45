#!/usr/bin/env bash
# Runs a command in a private network namespace whose only interface is
# loopback: test traffic cannot leave the machine, and anything that tries
# to reach another address fails instead of leaking.
set -euo pipefail
unshare_args=(-n)
[ "$(id -u)" -eq 0 ] || unshare_args=(-r -n)
exec unshare "${unshare_args[@]}" -- sh -c 'ip link set lo up && exec "$@"' sh "$@"
