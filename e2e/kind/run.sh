#!/usr/bin/env bash
# The end-to-end scenarios in kind clusters, where Docker exists (not on the development machines
# of this project, which have no Docker engine: there, KindIT reports the skip and why).
#
#   e2e/kind/run.sh            build images, create clusters, install, run, delete everything
#   KEEP=1 e2e/kind/run.sh     keep the clusters and containers for a look afterwards
#
# Needs: docker (engine running), kind, kubectl, helm. Exit code 3 means "cannot run here".
set -euo pipefail
cd "$(dirname "$0")/../.."

log() { echo "[kind] $*" >&2; }
skip() { log "SKIPPED: $*"; exit 3; }

for tool in docker kind kubectl helm; do
  command -v "$tool" >/dev/null || skip "$tool is not installed"
done
docker info >/dev/null 2>&1 || skip "no Docker engine answers (docker info failed)"

TAG="${TAG:-e2e}"
CLUSTER_A="${CLUSTER_A:-tunnelier-a}"
CLUSTER_B="${CLUSTER_B:-tunnelier-b}"
OPERATOR_IMAGE="tunnelier/operator:$TAG"
AGENT_IMAGE="tunnelier/node-agent:$TAG"

cleanup() {
  [[ "${KEEP:-}" == 1 ]] && { log "KEEP=1: leaving clusters and containers"; return; }
  kind delete cluster --name "$CLUSTER_A" >/dev/null 2>&1 || true
  kind delete cluster --name "$CLUSTER_B" >/dev/null 2>&1 || true
  docker rm -f tunnelier-vps tunnelier-web >/dev/null 2>&1 || true
}
trap cleanup EXIT

log "building images"
docker build -q -t "$OPERATOR_IMAGE" -f operator/Dockerfile . >/dev/null
docker build -q -t "$AGENT_IMAGE" -f node-agent/Dockerfile . >/dev/null

install() { # cluster, pod subnet (distinct per cluster: site-to-site routes one to the other)
  local cluster="$1" pod_subnet="$2"
  { cat e2e/kind/cluster.yaml; printf 'networking:\n  podSubnet: "%s"\n' "$pod_subnet"; } \
    | kind create cluster --name "$cluster" --config=- --wait 120s
  kind load docker-image --name "$cluster" "$OPERATOR_IMAGE" "$AGENT_IMAGE"
  helm install tunnelier charts/tunnelier --kube-context "kind-$cluster" \
    -n tunnelier-system --create-namespace --wait \
    --set image.repository=tunnelier/operator --set image.tag="$TAG" --set image.pullPolicy=Never \
    --set agent.image.repository=tunnelier/node-agent --set agent.image.tag="$TAG" \
    --set agent.image.pullPolicy=Never
}

install "$CLUSTER_A" 10.244.0.0/16

# The "internet": an echo server and a VPS, as containers on kind's Docker network.
docker run -d --name tunnelier-web --network kind \
  -v "$PWD/e2e/src/test/resources/lab/echo_server.py:/echo.py:ro" \
  python:3-alpine python /echo.py 0.0.0.0 8080 >/dev/null
WEB_IP="$(docker inspect -f '{{.NetworkSettings.Networks.kind.IPAddress}}' tunnelier-web)"

log "scenario: egress through a VPS (WireGuard)"
k() { kubectl --context "kind-$CLUSTER_A" "$@"; }
docker run -d --name tunnelier-vps --network kind --cap-add NET_ADMIN --cap-add NET_RAW \
  --device /dev/net/tun --entrypoint sleep "$AGENT_IMAGE" infinity >/dev/null
VPS_IP="$(docker inspect -f '{{.NetworkSettings.Networks.kind.IPAddress}}' tunnelier-vps)"
k create namespace scraping
sed -e "s/203.0.113.10:51820/$VPS_IP:51820/" -e 's#destinations: \["0.0.0.0/0"\]#destinations: ["'"$WEB_IP"'/32"]#' \
  examples/egress-wireguard.yaml | k apply -f -
k -n scraping wait --for=jsonpath='{.status.tunnelAddress}' tunnel/egress-nyc --timeout=120s >/dev/null \
  || k -n scraping wait --for=condition=Progressing tunnel/egress-nyc --timeout=60s
k -n scraping get secret egress-nyc-peer-config -o jsonpath='{.data.peer\.yaml}' | base64 -d \
  | docker exec -i tunnelier-vps sh -c 'cat > /tmp/peer.yaml'
docker exec -d tunnelier-vps java -jar /opt/tunnelier/node-agent.jar standalone --config /tmp/peer.yaml
k -n scraping wait --for=condition=Ready tunnel/egress-nyc --timeout=180s
k -n scraping run scraper --image=curlimages/curl --labels=app=scraper --restart=Never \
  --command -- sh -c "sleep 5; curl -s --max-time 10 http://$WEB_IP:8080/"
k -n scraping run other --image=curlimages/curl --restart=Never \
  --command -- sh -c "sleep 5; curl -s --max-time 10 http://$WEB_IP:8080/"
k -n scraping wait --for=jsonpath='{.status.phase}'=Succeeded pod/scraper pod/other --timeout=120s
seen_selected="$(k -n scraping logs scraper | tail -1)"
seen_other="$(k -n scraping logs other | tail -1)"
log "web saw the selected pod as $seen_selected (VPS: $VPS_IP), the other as $seen_other"
[[ "$seen_selected" == "$VPS_IP" ]] || { log "FAIL: selected pod did not leave through the VPS"; exit 1; }
[[ "$seen_other" != "$VPS_IP" ]] || { log "FAIL: unselected pod left through the VPS"; exit 1; }
k -n scraping get tunnels

log "scenario: site-to-site between $CLUSTER_A and $CLUSTER_B"
install "$CLUSTER_B" 10.245.0.0/16
kb() { kubectl --context "kind-$CLUSTER_B" "$@"; }
gw_ip() { docker inspect -f '{{.NetworkSettings.Networks.kind.IPAddress}}' "$1-worker"; }
pod_cidr() { kubectl --context "kind-$1" get node "$1-worker" -o jsonpath='{.spec.podCIDR}'; }
site() { # context, name, peer endpoint, remote CIDR, peer public key
  cat <<YAML | kubectl --context "$1" apply -f -
apiVersion: tunnelier.io/v1alpha1
kind: Tunnel
metadata: {name: $2, namespace: default}
spec:
  type: SiteToSite
  peer: {endpoint: "$3:51820", publicKey: "$5"}
  gateway: {nodeSelector: {tunnelier.io/gateway: "true"}}
  siteToSite: {remoteCIDRs: ["$4"]}
YAML
}
if [[ "$(pod_cidr "$CLUSTER_A")" == "$(pod_cidr "$CLUSTER_B")" ]]; then
  log "FAIL: both kind clusters got pod CIDR $(pod_cidr "$CLUSTER_A") despite distinct podSubnets"
  exit 1
fi
site "kind-$CLUSTER_A" to-b "$(gw_ip "$CLUSTER_B")" "$(pod_cidr "$CLUSTER_B")" ""
site "kind-$CLUSTER_B" to-a "$(gw_ip "$CLUSTER_A")" "$(pod_cidr "$CLUSTER_A")" \
  "$(k get tunnel to-b -o jsonpath='{.status.publicKey}')"
site "kind-$CLUSTER_A" to-b "$(gw_ip "$CLUSTER_B")" "$(pod_cidr "$CLUSTER_B")" \
  "$(kb get tunnel to-a -o jsonpath='{.status.publicKey}')"
k wait --for=condition=Ready tunnel/to-b --timeout=180s
kb wait --for=condition=Ready tunnel/to-a --timeout=180s
kb run target --image=python:3-alpine --restart=Never --command -- python -m http.server 8080
kb wait --for=condition=Ready pod/target --timeout=120s
TARGET_IP="$(kb get pod target -o jsonpath='{.status.podIP}')"
k run probe --image=curlimages/curl --restart=Never --command -- \
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://$TARGET_IP:8080/"
k wait --for=jsonpath='{.status.phase}'=Succeeded pod/probe --timeout=120s
[[ "$(k logs probe)" == 200 ]] || { log "FAIL: cluster A could not reach a pod in B by pod IP"; exit 1; }
log "PASS"
