#!/usr/bin/env bash
# A kind cluster on this machine, from what e2e/kind/prepare.sh built: one control plane and two
# workers on the Docker network "tunnelier-kind" (198.51.100.0/24, a lab range; Docker hands out
# 198.51.100.0/25, the lab's fixed containers sit above), flannel, kube-proxy in nftables mode,
# pod and service subnets inside 100.64.0.0/10, and the given images loaded into every node.
#
#   e2e/kind/cluster.sh up NAME POD_SUBNET SERVICE_SUBNET KUBECONFIG [IMAGE...]
#   e2e/kind/cluster.sh down NAME           the cluster (its node containers)
#   e2e/kind/cluster.sh network-down        the network, once no container uses it
#
# e.g. e2e/kind/cluster.sh up tunnelier 100.70.0.0/16 100.71.0.0/16 ~/.kube/tunnelier \
#        tunnelier/operator:dev tunnelier/node-agent:dev
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib.sh"

NETWORK=tunnelier-kind
eval "$("$REPO_ROOT/e2e/kind/prepare.sh" | grep -E '^[A-Z_]+=')"
# kind calls `docker`: the CLI that matches the engine, first on its PATH.
export PATH="$(dirname "$(command -v /usr/bin/docker || command -v docker)"):$PATH"
export KIND_EXPERIMENTAL_DOCKER_NETWORK="$NETWORK"

up() {
  local name="$1" pods="$2" services="$3" kubeconfig="$4"
  shift 4
  if ! docker network inspect "$NETWORK" >/dev/null 2>&1; then
    docker network create --driver=bridge --subnet=198.51.100.0/24 --ip-range=198.51.100.0/25 \
      --gateway=198.51.100.1 "$NETWORK" >/dev/null
  fi
  "$KIND" delete cluster --name "$name" --kubeconfig "$kubeconfig" >/dev/null 2>&1 || true
  local config; config="$(mktemp)"
  {
    printf 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n'
    printf 'networking:\n  podSubnet: %s\n  serviceSubnet: %s\n  kubeProxyMode: nftables\n' "$pods" "$services"
    if [[ ! -f /sys/fs/cgroup/cgroup.controllers ]]; then
      # Kubernetes 1.35+ refuses cgroup v1 unless told otherwise.
      printf 'kubeadmConfigPatches:\n  - |\n    kind: KubeletConfiguration\n    failCgroupV1: false\n'
    fi
    printf 'nodes:\n  - role: control-plane\n  - role: worker\n  - role: worker\n'
  } >"$config"
  local start=$SECONDS
  "$KIND" create cluster --name "$name" --image "$NODE_IMAGE" --config "$config" \
    --kubeconfig "$kubeconfig" --wait 5m
  rm -f "$config"
  log "kind cluster $name up in $((SECONDS - start))s (pods $pods, services $services)"
  if (($#)); then
    start=$SECONDS
    "$KIND" load docker-image --name "$name" "$@"
    log "loaded $* into $name in $((SECONDS - start))s"
  fi
}

case "${1:-}" in
  up) shift; (($# >= 4)) || { echo "usage: $0 up NAME POD_SUBNET SERVICE_SUBNET KUBECONFIG [IMAGE...]" >&2; exit 2; }; up "$@" ;;
  down) "$KIND" delete cluster --name "${2:?name}" ;;
  network-down) docker network rm "$NETWORK" >/dev/null 2>&1 || true ;;
  *) echo "usage: $0 up|down|network-down ..." >&2; exit 2 ;;
esac
