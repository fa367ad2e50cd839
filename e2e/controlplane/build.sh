#!/usr/bin/env bash
# Builds the Kubernetes control plane the e2e tests run (kube-apiserver,
# kube-controller-manager, kubectl, etcd) from Go modules, once, into a cache
# outside the repository. Binaries already in the cache are not rebuilt.
#
#   build.sh                      the control plane of the lab tests
#   build.sh kubeadm kubelet ...  other commands of the same release (the kind node image's)
#
# Env:
#   TUNNELIER_K8S_ASSETS  directory with ready binaries (setup-envtest layout:
#                         kube-apiserver, etcd, kubectl; kube-controller-manager
#                         optional); when set, nothing is built.
#   TUNNELIER_CACHE_DIR   cache root (default ~/.cache/tunnelier).
#
# Progress goes to stderr; the last line of stdout is the bin directory.
set -euo pipefail

K8S_VERSION=v1.36.3
K8S_MAJOR=1
K8S_MINOR=36

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { echo "[controlplane] $*" >&2; }

wanted=("$@")
((${#wanted[@]})) || wanted=(kube-apiserver kube-controller-manager kubectl etcd)

if [[ -n "${TUNNELIER_K8S_ASSETS:-}" && $# -eq 0 ]]; then
  assets="$(cd "$TUNNELIER_K8S_ASSETS" && pwd)"
  for b in kube-apiserver etcd kubectl; do
    [[ -x "$assets/$b" ]] || { log "TUNNELIER_K8S_ASSETS=$assets has no executable $b"; exit 1; }
  done
  log "using ready binaries from TUNNELIER_K8S_ASSETS=$assets (nothing built)"
  echo "$assets"
  exit 0
fi

cache="${TUNNELIER_CACHE_DIR:-$HOME/.cache/tunnelier}"
bin="$cache/k8s/$K8S_VERSION/bin"
mkdir -p "$bin"

missing=()
for b in "${wanted[@]}"; do
  [[ -x "$bin/$b" ]] || missing+=("$b")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  log "binaries cached in $bin"
  echo "$bin"
  exit 0
fi

need_go_msg="Go >= 1.26 is needed to build the test control plane; or set TUNNELIER_K8S_ASSETS to a directory with ready binaries (envtest layout)"
if ! command -v go >/dev/null 2>&1; then
  log "$need_go_msg"
  exit 2
fi
go_minor="$(GOTOOLCHAIN=local go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')"
if [[ -z "$go_minor" || "$go_minor" -lt 26 ]]; then
  log "found $(GOTOOLCHAIN=local go env GOVERSION). $need_go_msg"
  exit 2
fi

# Serialize concurrent builds (e.g. two test JVMs) on the same cache.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/k8s/$K8S_VERSION/.build.lock"
  flock 9
fi

# Own build and module caches, so rebuilds after a partial run are fast and the
# user's Go caches are left alone. -mod=readonly: the committed go.mod/go.sum
# are complete, and a build must never rewrite them. Static binaries: no C
# toolchain needed.
export GOCACHE="$cache/go-build"
export GOMODCACHE="$cache/go-mod"
export GOFLAGS="-mod=readonly -buildvcs=false"
export GOTOOLCHAIN=local
export CGO_ENABLED=0

build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
version_x=""
# Both packages carry the version: component-base for /version and the
# binaries' --version, client-go for kubectl's client version and user agent.
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  version_x+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=$K8S_MAJOR"
  version_x+=" -X $pkg.gitMinor=$K8S_MINOR -X $pkg.gitTreeState=archive -X $pkg.gitCommit="
  version_x+=" -X $pkg.buildDate=$build_date"
done

# build NAME MODULE_DIR PACKAGE [EXTRA_LDFLAGS]: builds into a temp name first
# so an interrupted build never leaves a binary that looks cached.
build() {
  local name="$1" dir="$2" pkg="$3" extra="${4:-}" start=$SECONDS
  log "building $name ($pkg) ..."
  if (cd "$dir" && go build -trimpath -ldflags="-s -w$extra" -o "$bin/.$name.tmp" "$pkg"); then
    mv -f "$bin/.$name.tmp" "$bin/$name"
    log "built $name in $((SECONDS - start))s"
  else
    rm -f "$bin/.$name.tmp"
    log "building $name failed after $((SECONDS - start))s"
    return 1
  fi
}

total=$SECONDS
for b in "${missing[@]}"; do
  [[ -x "$bin/$b" ]] && continue # built meanwhile by another process
  case "$b" in
    etcd)
      if build etcd "$here/etcd" .; then
        log "using etcd built from go.etcd.io/etcd/server/v3 v3.6.8"
      elif [[ -x /usr/bin/etcd ]]; then
        ln -sf /usr/bin/etcd "$bin/etcd"
        log "using Debian's /usr/bin/etcd instead ($(/usr/bin/etcd --version 2>/dev/null | head -1))"
      else
        log "no etcd: the build failed and /usr/bin/etcd is missing (apt-get install etcd-server)"
        exit 1
      fi
      ;;
    *) build "$b" "$here/kube" "k8s.io/kubernetes/cmd/$b" "$version_x" ;;
  esac
done
log "control plane binaries ready in $bin ($((SECONDS - total))s)"
echo "$bin"
