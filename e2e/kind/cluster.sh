#!/usr/bin/env bash
# A kind cluster on this machine, from what e2e/kind/prepare.sh built: one control plane and two
# workers on the Docker network "tunnelier-kind" (198.51.100.0/24, a lab range; Docker hands out
# 198.51.100.0/25, the lab's fixed containers sit above; and 2001:db8:198::/64, Docker handing out
# 2001:db8:198::/80), flannel, kube-proxy in nftables mode, pod and service subnets inside
# 100.64.0.0/10, and the given images loaded into every node. A POD_SUBNET and SERVICE_SUBNET of
# two entries, IPv4 then IPv6 (e.g. 100.70.0.0/16,fd00:70::/56 and 100.71.0.0/16,fd00:71::/112),
# make the cluster dual-stack: kind's `ipFamily: dual`, flannel with an IPv6 network too.
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
  if docker network inspect "$NETWORK" >/dev/null 2>&1 &&
    [[ "$(docker network inspect -f '{{.EnableIPv6}}' "$NETWORK")" != true ]]; then
    docker network rm "$NETWORK" >/dev/null # left by an older run, without IPv6
  fi
  if ! docker network inspect "$NETWORK" >/dev/null 2>&1; then
    docker network create --driver=bridge --ipv6 \
      --subnet=198.51.100.0/24 --ip-range=198.51.100.0/25 --gateway=198.51.100.1 \
      --subnet=2001:db8:198::/64 --ip-range=2001:db8:198::/80 --gateway=2001:db8:198::1 \
      "$NETWORK" >/dev/null
  fi
  "$KIND" delete cluster --name "$name" --kubeconfig "$kubeconfig" >/dev/null 2>&1 || true
  local config; config="$(mktemp)"
  local cni="$REPO_ROOT/e2e/target/kind/$name-flannel.yaml"
  if [[ "$pods" == *,* ]]; then
    mkdir -p "$(dirname "$cni")"
    local net_conf='"Network": "'"${pods%%,*}"'",\n      "IPv6Network": "'"${pods#*,}"'",\n      "EnableIPv6": true,'
    sed -e '1{/would you kindly template/d}' \
      -e 's|"Network": "{{ .PodSubnet }}",|'"$net_conf"'|' "$REPO_ROOT/e2e/kind/flannel.yaml" >"$cni"
    grep -q IPv6Network "$cni" || { log "could not render flannel's net-conf.json for $pods"; exit 1; }
  fi
  {
    printf 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n'
    printf 'networking:\n  podSubnet: %s\n  serviceSubnet: %s\n  kubeProxyMode: nftables\n' "$pods" "$services"
    [[ "$pods" == *,* ]] && printf '  ipFamily: dual\n'

    if [[ ! -f /sys/fs/cgroup/cgroup.controllers ]]; then
      # Kubernetes 1.35+ refuses cgroup v1 unless told otherwise.
      printf 'kubeadmConfigPatches:\n  - |\n    kind: KubeletConfiguration\n    failCgroupV1: false\n'
    fi
    printf 'nodes:\n  - role: control-plane\n'
    if [[ "$pods" == *,* ]]; then
      # kind fills flannel's one "Network" with POD_SUBNET as written, and flannel needs the IPv6
      # network apart: the manifest, rendered here, takes the place of the node image's.
      printf '    extraMounts:\n      - hostPath: %s\n        containerPath: /kind/manifests/default-cni.yaml\n        readOnly: true\n' "$cni"
    fi
    printf '  - role: worker\n  - role: worker\n'
  } >"$config"
  local start=$SECONDS
  "$KIND" create cluster --name "$name" --image "$NODE_IMAGE" --config "$config" \
    --kubeconfig "$kubeconfig" --wait 5m
  rm -f "$config"
  # Nodes turn Ready as soon as flannel's init container wrote the CNI config, even when flanneld
  # itself cannot start: the cluster is up when flannel and CoreDNS are.
  "$KUBECTL" --kubeconfig "$kubeconfig" -n kube-flannel rollout status ds/kube-flannel-ds --timeout=180s >&2
  "$KUBECTL" --kubeconfig "$kubeconfig" -n kube-system rollout status deploy/coredns --timeout=180s >&2
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
