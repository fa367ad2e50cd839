#!/usr/bin/env bash
# Throughput (iperf3 TCP, 1 stream, 10 s, median of 3) and RTT of the userspace GRE datapath next
# to kernel VXLAN on the same two lab namespaces (one veth pair). Prints numbers; asserts nothing.
# As root:  e2e/bench/gre-benchmark.sh [seconds] [runs] [paths...]
#   paths: veth vxlan gre-raw gre-udp gre-raw-plain gre-udp-plain (default: all)
set -euo pipefail
source "$(dirname "$0")/../bin/lib.sh"
cd "$REPO_ROOT"

log "building node-agent and its test classpath"
./mvnw -B -q -pl node-agent -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >/dev/null
cp="node-agent/target/test-classes:node-agent/target/classes:$(cat node-agent/target/test-classpath.txt)"
exec java -Xmx512m -cp "$cp" io.tunnelier.agent.datapath.gre.GreBenchmark "$@"
