#!/usr/bin/env bash
# Throughput and RTT of WireGuard implementations on the same pair of lab namespaces:
# Tunnelier's userspace datapath (Java) and wireguard-go (Debian's, and the current one built
# from the Go module proxy). Both ends run the same implementation. iperf3 TCP, one stream,
# SECONDS s, median of RUNS; ping RTT average of 50 pings after the transfers. Prints numbers and ratios; asserts
# nothing. Needs root, iproute2, iperf3, wireguard-tools, a built node-agent
# (./mvnw -B -pl node-agent -am package -DskipTests).
# Usage: e2e/bench/wireguard-bench.sh [SECONDS=10] [RUNS=3] [IMPLS="tunnelier debian current"]
#   (IMPLS may also name tunnelier2: Tunnelier with each batch's crypto split over two threads)
set -euo pipefail
secs="${1:-10}"
runs="${2:-3}"
impls="${3:-tunnelier debian current}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
# WireGuardMain is a test tool: it lives in test-classes, not in the shipped jar.
cp="$root/node-agent/target/classes:$root/node-agent/target/test-classes:$root/node-agent/target/lib/*"
[[ -d "$root/node-agent/target/lib" && -d "$root/node-agent/target/test-classes" ]] || { echo "build first: ./mvnw -B -pl node-agent -am package -DskipTests" >&2; exit 2; }
java_opts="${JAVA_OPTS:-}"
prefix="tlbench$$-"
work="$(mktemp -d)"
pids=()

cleanup() {
  for pid in "${pids[@]:-}"; do [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true; done
  sleep 0.3
  for ns in a b; do
    if ip netns list | grep -q "^$prefix$ns"; then
      for pid in $(ip netns pids "$prefix$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
      ip netns del "$prefix$ns" 2>/dev/null || true
    fi
    # A killed wireguard-go leaves its control socket behind (it is outside the namespace).
    rm -f "/var/run/wireguard/wgb$$$ns.sock"
  done
  pids=()
}
trap 'cleanup; rm -rf "$work"' EXIT

nsx() { local ns="$1"; shift; ip netns exec "$prefix$ns" "$@"; }

lab() {
  ip netns add "${prefix}a"; ip netns add "${prefix}b"
  nsx a ip link set lo up; nsx b ip link set lo up
  ip link add veth0 netns "${prefix}a" type veth peer name veth0 netns "${prefix}b"
  nsx a ip addr add 192.0.2.1/24 dev veth0; nsx a ip link set veth0 up
  nsx b ip addr add 192.0.2.2/24 dev veth0; nsx b ip link set veth0 up
}

wait_dev() { for _ in $(seq 200); do nsx "$1" ip link show "$2" >/dev/null 2>&1 && return 0; sleep 0.05; done; echo "no $2 in $1" >&2; return 1; }

# start_end NS IMPL OWN_KEY PEER_PUB OWN_INNER PEER_INNER [ENDPOINT]
# Device names are unique per run: wireguard-go's control socket /var/run/wireguard/<dev>.sock
# is shared by all namespaces.
start_end() {
  local ns="$1" impl="$2" key="$3" peerpub="$4" inner="$5" peerinner="$6" endpoint="${7:-}"
  local dev="wgb$$$ns"
  if [[ "$impl" == tunnelier* ]]; then
    local extra=""
    # tunnelier2: the same with each batch's crypto split over two threads (Splitter).
    [[ "$impl" == tunnelier2 ]] && extra="-Dtunnelier.wireguard.parallel=true"
    echo "$key" > "$work/$ns.key"
    local args=(--device "$dev" --private-key-file "$work/$ns.key" --peer-public-key "$peerpub"
      --listen-port 51820 --datapath userspace --mtu 1420 --offloads "${OFFLOADS:-true}")
    [[ -n "$endpoint" ]] && args+=(--endpoint "$endpoint")
    # shellcheck disable=SC2086
    nsx "$ns" java $java_opts $extra -cp "$cp" io.tunnelier.agent.datapath.wireguard.WireGuardMain "${args[@]}" \
      > "$work/$ns-java.log" 2>&1 &
    pids+=($!)
    wait_dev "$ns" "$dev"
  else
    local bin="/usr/bin/wireguard-go"
    [[ "$impl" == current ]] && bin="$("$root/e2e/bench/build-wireguard-go.sh")"
    nsx "$ns" "$bin" -f "$dev" > "$work/$ns-wg.log" 2>&1 &
    pids+=($!)
    wait_dev "$ns" "$dev"
    {
      printf '[Interface]\nPrivateKey = %s\nListenPort = 51820\n[Peer]\nPublicKey = %s\nAllowedIPs = %s/32\n' \
        "$key" "$peerpub" "$peerinner"
      [[ -n "$endpoint" ]] && printf 'Endpoint = %s\n' "$endpoint"
    } > "$work/$ns.conf"
    nsx "$ns" wg setconf "$dev" "$work/$ns.conf"
    nsx "$ns" ip link set "$dev" mtu 1420 up
  fi
  nsx "$ns" ip addr add "$inner/30" dev "$dev"
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A tput rtt
# Other work on the machine skews every number; say how busy it was.
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
for impl in $impls; do
  lab
  ka="$(wg genkey)"; kb="$(wg genkey)"
  start_end b "$impl" "$kb" "$(echo "$ka" | wg pubkey)" 100.64.0.2 100.64.0.1
  start_end a "$impl" "$ka" "$(echo "$kb" | wg pubkey)" 100.64.0.1 100.64.0.2 192.0.2.2:51820
  nsx a ping -c 3 -W 5 100.64.0.2 >/dev/null
  nsx b iperf3 -s -D --logfile "$work/iperf3-server.log"
  sleep 0.5
  results=()
  for r in $(seq "$runs"); do
    gbps="$(nsx a iperf3 -c 100.64.0.2 -t "$secs" -J | /usr/bin/python3 -c \
      'import json,sys; print("%.3f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9))')"
    results+=("$gbps")
    echo "  $impl run $r: $gbps Gbit/s" >&2
  done
  tput[$impl]="$(printf '%s\n' "${results[@]}" | median)"
  # RTT after the transfers, so a JIT-compiled implementation is measured warm, like a busy tunnel.
  rtt[$impl]="$(nsx a ping -c 50 -i 0.02 -q 100.64.0.2 | awk -F/ '/rtt|round-trip/ {print $5}')"
  cleanup
done

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
printf '\n%-12s %14s %12s\n' implementation "Gbit/s (1 st)" "RTT avg ms"
for impl in $impls; do printf '%-12s %14s %12s\n' "$impl" "${tput[$impl]}" "${rtt[$impl]}"; done
if [[ -n "${tput[tunnelier]:-}" ]]; then
  for ref in debian current; do
    if [[ -n "${tput[$ref]:-}" ]]; then
      /usr/bin/python3 -c "print('tunnelier / $ref wireguard-go: %.2fx throughput (target %s), RTT %+.3f ms' % (${tput[tunnelier]}/${tput[$ref]}, '>= 2x' if '$ref'=='debian' else '>= 1x', ${rtt[tunnelier]}-${rtt[$ref]}))"
    fi
  done
fi
