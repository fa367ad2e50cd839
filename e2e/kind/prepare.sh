#!/usr/bin/env bash
# Everything kind clusters need on this machine, built here from Debian packages and Go modules
# (no container registry is needed), cached under ~/.cache/tunnelier/kind, reused when present:
#
#   - a Docker engine (e2e/kind/docker.sh), kind itself (sigs.k8s.io/kind from the Go proxy);
#   - the Kubernetes release of the test control plane (e2e/controlplane/build.sh), with kubeadm,
#     kubelet, kube-proxy and kube-scheduler;
#   - a kind node image assembled as `kind build node-image` would: a Debian base with systemd and
#     kind's own base files, containerd and its shim (Go proxy), runc and the CNI plugins (Debian),
#     and in its containerd the images kubeadm expects, under exactly the names
#     `kubeadm config images list` prints, built from those binaries (pause from e2e/kind/pause,
#     CoreDNS from the Go proxy), plus flannel (the CNI, e2e/kind/flannel.yaml);
#   - a Debian base image with a Java runtime for Tunnelier's images (build args of their
#     Dockerfiles), also the lab's "internet" containers and test pods (curl, python3, nft, ping).
#
# Progress goes to stderr. The last lines of stdout are KEY=VALUE pairs for the tests:
# KIND, KUBECTL, NODE_IMAGE, RUNTIME_IMAGE, TOOLS_IMAGE.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib.sh"
HERE="$REPO_ROOT/e2e/kind"

KIND_VERSION=v0.33.0
CONTAINERD_VERSION=v2.3.4          # the one kind v0.33.0's base image builds
FLANNEL_VERSION=v0.28.10
CNI_FLANNEL_PLUGIN_VERSION=v0.9.1  # containernetworking/plugins' last release with the flannel plugin
DEBIAN_SUITE=bookworm
DEBIAN_MIRROR="${TUNNELIER_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

KIND_DIR="$CACHE_DIR/kind"
BIN="$KIND_DIR/bin"
mkdir -p "$BIN"
export GOCACHE="$CACHE_DIR/go-build" GOMODCACHE="$CACHE_DIR/go-mod" GOTOOLCHAIN=local
DOCKER="$(command -v /usr/bin/docker || command -v docker)"
export DOCKER_BUILDKIT=1

step() { # step NAME: a progress line with the time the previous step took
  local now=$SECONDS
  [[ -n "${STEP_NAME:-}" ]] && log "$STEP_NAME done in $((now - STEP_START))s"
  STEP_NAME="$1" STEP_START=$now
  [[ -n "$1" ]] && log "$1 ..."
  return 0
}
have_image() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

"$HERE/docker.sh" start

# ---- binaries (Go) ---------------------------------------------------------------------------

go_install() { # go_install NAME MODULE@VERSION [go build flags...]: into $BIN, once
  local name="$1" pkg="$2"
  shift 2
  [[ -x "$BIN/$name" ]] && return
  step "building $name ($pkg)"
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && GOBIN="$tmp" CGO_ENABLED="${CGO:-0}" GOFLAGS=-mod=mod go install -trimpath "$@" "$pkg")
  mv "$tmp/$(basename "${pkg%@*}")" "$BIN/$name"
  rm -rf "$tmp"
}

go_install kind "sigs.k8s.io/kind@$KIND_VERSION"
ctr_ldflags="-s -w -X github.com/containerd/containerd/v2/version.Version=$CONTAINERD_VERSION"
for c in containerd ctr containerd-shim-runc-v2; do
  go_install "$c" "github.com/containerd/containerd/v2/cmd/$c@$CONTAINERD_VERSION" \
    -tags "no_aufs no_zfs no_btrfs no_devmapper" -ldflags="$ctr_ldflags"
done

# The pause image's program: our own few lines (e2e/kind/pause), as the real one is C.
if [[ ! -x "$BIN/pause" || "$HERE/pause/main.go" -nt "$BIN/pause" ]]; then
  step "building pause (e2e/kind/pause)"
  (cd "$HERE/pause" && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$BIN/pause" .)
fi

# flannel's CNI plugin left containernetworking/plugins for a repository the Go proxy does not
# serve; the last release that has it works with today's flanneld (it reads subnet.env and
# delegates to the bridge plugin).
if [[ ! -x "$BIN/flannel-cni" ]]; then
  step "building the flannel CNI plugin (containernetworking/plugins $CNI_FLANNEL_PLUGIN_VERSION)"
  (cd "$HERE/cni" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -ldflags="-s -w" \
    -o "$BIN/flannel-cni" github.com/containernetworking/plugins/plugins/meta/flannel)
fi

# flanneld from its module, without the Tencent Cloud backend: that SDK is not served by the Go
# proxy, and kind uses the VXLAN backend. cgo: flannel's UDP backend needs it.
if [[ ! -x "$BIN/flanneld" ]]; then
  step "building flanneld $FLANNEL_VERSION (without the Tencent Cloud backend)"
  src="$KIND_DIR/src/flannel-$FLANNEL_VERSION"
  rm -rf "$src" && mkdir -p "$(dirname "$src")"
  dir="$(GOFLAGS=-mod=mod go mod download -json "github.com/flannel-io/flannel@$FLANNEL_VERSION" \
    | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  cp -r "$dir" "$src" && chmod -R u+w "$src"
  sed -i '/flannel\/pkg\/backend\/tencentvpc"/d' "$src/main.go"
  rm -rf "$src/pkg/backend/tencentvpc"
  (cd "$src" && GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 \
    && CGO_ENABLED=1 go build -trimpath \
      -ldflags="-s -w -X github.com/flannel-io/flannel/pkg/version.Version=$FLANNEL_VERSION" \
      -o "$BIN/flanneld" .)
  rm -rf "$src"
fi

# Kubernetes: the test control plane's release, and the node's commands of the same release.
# (Named explicitly: TUNNELIER_K8S_ASSETS, ready binaries for the lab tests, is not used here, so
# that every image is of the one release kubeadm expects.)
K8S_BIN="$("$REPO_ROOT/e2e/controlplane/build.sh" kube-apiserver kube-controller-manager kubectl etcd \
  kubeadm kubelet kube-proxy kube-scheduler | tail -1)"
K8S_VERSION="$("$K8S_BIN/kubeadm" version -o short)"
mapfile -t KUBEADM_IMAGES < <("$K8S_BIN/kubeadm" config images list --kubernetes-version "$K8S_VERSION" 2>/dev/null)
image_named() { printf '%s\n' "${KUBEADM_IMAGES[@]}" | grep "/$1:"; }
COREDNS_IMAGE="$(image_named coredns)"
PAUSE_IMAGE="$(image_named pause)"
go_install coredns "github.com/coredns/coredns@${COREDNS_IMAGE##*:}" -ldflags="-s -w"

# ---- images ----------------------------------------------------------------------------------

# Each image is tagged with a hash of what it is made of, so a change rebuilds only what it touches.
key() { cat "$@" | sha256sum | cut -c1-12; }
# Binaries (hundreds of MB) by path, size and time: they change only when rebuilt.
stamp() { stat -L -c '%n %s %Y' "$@"; }
caps="$(awk '/^CapBnd/ {print $2}' /proc/self/status)"

# One Debian rootfs (minbase) for every image but the node: the Kubernetes components, flannel,
# the Java runtime of Tunnelier's images, the lab's containers. Shared, so containerd stores it once.
BASE_PACKAGES=ca-certificates,iproute2,iptables,nftables,conntrack,curl,python3,iputils-ping,procps
BASE_IMAGE="tunnelier-kind/base:$(key <(echo "$DEBIAN_SUITE $BASE_PACKAGES"))"
if ! have_image "$BASE_IMAGE"; then
  step "building $BASE_IMAGE (mmdebstrap $DEBIAN_SUITE minbase: $BASE_PACKAGES)"
  mmdebstrap --quiet --variant=minbase --include="$BASE_PACKAGES" \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/usr/share/doc/* "$1"/usr/share/man/*' \
    "$DEBIAN_SUITE" - "$DEBIAN_MIRROR" | "$DOCKER" import - "$BASE_IMAGE" >/dev/null
fi

# The Java runtime: a jlinked Java 25 where this machine has a JDK 25 (the published images run
# eclipse-temurin:25-jre), else Debian's Java 17 runtime.
jdk="${TUNNELIER_IMAGE_JDK:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)}"
RUNTIME_IMAGE="tunnelier-kind/jre:$(key <(echo "$BASE_IMAGE $jdk"; cat "$jdk/release" 2>/dev/null))"
if ! have_image "$RUNTIME_IMAGE"; then
  ctx="$(mktemp -d)"
  if [[ -n "$jdk" && -x "$jdk/bin/jlink" ]]; then
    step "building $RUNTIME_IMAGE (Java runtime linked from $jdk)"
    # Every module but the tools that link images (a JDK without jmods cannot link those) and the
    # incubator ones (each java start would warn about them).
    "$jdk/bin/jlink" --add-modules "$("$jdk/bin/java" --list-modules | sed 's/@.*//' \
      | grep -vx -e jdk.jlink -e jdk.jpackage -e 'jdk.incubator.*' | paste -sd, -)" \
      --strip-debug --no-man-pages --no-header-files --compress=zip-6 --output "$ctx/openjdk"
    printf 'FROM %s\nCOPY openjdk /opt/java/openjdk\n' "$BASE_IMAGE" >"$ctx/Dockerfile"
  else
    step "building $RUNTIME_IMAGE (Debian's openjdk-17-jre-headless: no JDK 25 here)"
    mmdebstrap --quiet --variant=minbase --include="$BASE_PACKAGES,openjdk-17-jre-headless" \
      --customize-hook='ln -s /usr/lib/jvm/java-17-openjdk-amd64 "$1"/opt/java-17' \
      "$DEBIAN_SUITE" - "$DEBIAN_MIRROR" | "$DOCKER" import - "$RUNTIME_IMAGE.rootfs" >/dev/null
    printf 'FROM %s\nRUN mkdir -p /opt/java && ln -s /opt/java-17 /opt/java/openjdk\n' \
      "$RUNTIME_IMAGE.rootfs" >"$ctx/Dockerfile"
  fi
  printf 'ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n' >>"$ctx/Dockerfile"
  "$DOCKER" build -q --network none -t "$RUNTIME_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
fi

component_image() { # component_image NAME BINARY TARGET [ENTRYPOINT]: rebuilt when the binary changes
  local name="$1" binary="$2" target="$3" entry="${4:-}"
  local k; k="$(key <(echo "$BASE_IMAGE $target $entry"; stamp "$binary"))"
  have_image "$name" && [[ "$("$DOCKER" image inspect -f '{{index .Config.Labels "tunnelier.key"}}' "$name")" == "$k" ]] && return
  local ctx; ctx="$(mktemp -d)"
  cp "$binary" "$ctx/bin"
  {
    [[ "$name" == "$PAUSE_IMAGE" ]] && echo "FROM scratch" || echo "FROM $BASE_IMAGE"
    echo "COPY bin $target"
    echo "LABEL tunnelier.key=$k"
    [[ -n "$entry" ]] && echo "ENTRYPOINT [\"$entry\"]"
  } >"$ctx/Dockerfile"
  "$DOCKER" build -q --network none -t "$name" "$ctx" >/dev/null
  rm -rf "$ctx"
}

FLANNEL_IMAGE="ghcr.io/flannel-io/flannel:$FLANNEL_VERSION"
step "building the images kubeadm expects (${#KUBEADM_IMAGES[@]}) and flannel's"
for image in "${KUBEADM_IMAGES[@]}"; do
  case "$image" in
    */kube-apiserver:* | */kube-controller-manager:* | */kube-scheduler:* | */kube-proxy:*)
      c="${image##*/}"; c="${c%%:*}"
      component_image "$image" "$K8S_BIN/$c" "/usr/local/bin/$c" ;;
    */etcd:*) component_image "$image" "$K8S_BIN/etcd" /usr/local/bin/etcd ;;
    */coredns:*) component_image "$image" "$BIN/coredns" /coredns /coredns ;;
    */pause:*) component_image "$image" "$BIN/pause" /pause /pause ;;
    *) log "kubeadm lists an image this script does not know how to build: $image"; exit 1 ;;
  esac
done
component_image "$FLANNEL_IMAGE" "$BIN/flanneld" /opt/bin/flanneld /opt/bin/flanneld

# The node image: kind's base image, then what `kind build node-image` adds.
NODE_BASE="tunnelier-kind/node-base:$(key "$HERE/node/"* <(echo "$KIND_VERSION $DEBIAN_SUITE $caps"))"
NODE_IMAGE="tunnelier-kind/node:$K8S_VERSION-$(key <(echo "$NODE_BASE"; "$DOCKER" image inspect -f '{{.Id}}' \
  "${KUBEADM_IMAGES[@]}" "$FLANNEL_IMAGE"; stamp "$BIN/"{containerd,ctr,containerd-shim-runc-v2,flannel-cni} \
  "$K8S_BIN/"{kubeadm,kubelet,kubectl}) "$HERE/flannel.yaml")"
if ! have_image "$NODE_IMAGE"; then
  kind_files="$(GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/kind@$KIND_VERSION" \
    | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')/images/base/files"
  if ! have_image "$NODE_BASE"; then
    step "building $NODE_BASE (mmdebstrap $DEBIAN_SUITE with systemd, runc, CNI plugins; kind $KIND_VERSION's base files)"
    NODE_PACKAGES=systemd,dbus,conntrack,iptables,nftables,iproute2,ethtool,util-linux,mount,kmod
    NODE_PACKAGES+=,libseccomp2,pigz,bash,ca-certificates,curl,jq,procps,runc,containernetworking-plugins
    restrict_oom=false
    (( (16#$caps >> 24) & 1 )) || restrict_oom=true
    mmdebstrap --quiet --variant=minbase --include="$NODE_PACKAGES" \
      --customize-hook="copy-in $kind_files/usr/local/bin/entrypoint $kind_files/usr/local/bin/clean-install /usr/local/bin/" \
      --customize-hook="mkdir -p \"\$1/kind/bin\" \"\$1/etc/containerd\" \"\$1/etc/systemd/system/kubelet.service.d\" \"\$1/etc/kubernetes/manifests\" \"\$1/opt/cni/bin\"" \
      --customize-hook="copy-in $kind_files/kind/bin/create-kubelet-cgroup-v2.sh $kind_files/kind/bin/mount-product-files.sh $kind_files/kind/bin/undo-mount-hacks.sh /kind/bin/" \
      --customize-hook="copy-in $kind_files/etc/crictl.yaml /etc/" \
      --customize-hook="copy-in $kind_files/etc/default/kubelet /etc/default/" \
      --customize-hook="copy-in $kind_files/etc/sysctl.d/10-network-magic.conf $kind_files/etc/sysctl.d/10-network-security.conf /etc/sysctl.d/" \
      --customize-hook="copy-in $kind_files/etc/systemd/system/containerd.service $kind_files/etc/systemd/system/kubelet.service $kind_files/etc/systemd/system/kubelet.slice $kind_files/etc/systemd/system/undo-mount-hacks.service /etc/systemd/system/" \
      --customize-hook="copy-in $kind_files/etc/systemd/system/kubelet.service.d/10-kubeadm.conf $kind_files/etc/systemd/system/kubelet.service.d/11-kind.conf /etc/systemd/system/kubelet.service.d/" \
      --customize-hook="upload $HERE/node/containerd-config.toml /etc/containerd/config.toml" \
      --customize-hook="copy-in $HERE/node/setup.sh /tmp/" \
      --customize-hook="chroot \"\$1\" sh /tmp/setup.sh '$PAUSE_IMAGE' $restrict_oom" \
      "$DEBIAN_SUITE" - "$DEBIAN_MIRROR" \
      | "$DOCKER" import - "$NODE_BASE.rootfs" >/dev/null
    # What kind's base image says of itself: systemd in a container, stopped by SIGRTMIN+3.
    printf 'FROM %s\nENV container=docker\nSTOPSIGNAL SIGRTMIN+3\nENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]\n' \
      "$NODE_BASE.rootfs" | "$DOCKER" build -q --network none -t "$NODE_BASE" - >/dev/null
    "$DOCKER" rmi "$NODE_BASE.rootfs" >/dev/null
  fi

  step "assembling $NODE_IMAGE (binaries, CNI, images in containerd)"
  node="tunnelier-node-build-$$"
  trap '"$DOCKER" rm -f "$node" >/dev/null 2>&1 || true' EXIT
  "$DOCKER" run -d --name "$node" --network none --privileged --entrypoint sleep "$NODE_BASE" infinity >/dev/null
  for b in kubeadm kubelet kubectl; do "$DOCKER" cp "$K8S_BIN/$b" "$node:/usr/bin/$b"; done
  for b in containerd ctr containerd-shim-runc-v2; do "$DOCKER" cp "$BIN/$b" "$node:/usr/local/bin/$b"; done
  "$DOCKER" cp "$BIN/flannel-cni" "$node:/opt/cni/bin/flannel"
  "$DOCKER" exec "$node" sh -c 'for p in bridge host-local loopback portmap; do ln -sf /usr/lib/cni/$p /opt/cni/bin/$p; done'
  "$DOCKER" exec -i "$node" sh -c 'mkdir -p /kind/manifests && cat > /kind/manifests/default-cni.yaml' <"$HERE/flannel.yaml"
  "$DOCKER" exec "$node" sh -c "echo $K8S_VERSION > /kind/version"
  # The base runtime spec kind gives containerd: its product-files hook, no rlimits.
  "$DOCKER" exec "$node" sh -c 'ctr oci spec \
    | jq ".hooks.createContainer[.hooks.createContainer | length] |= . + {\"path\": \"/kind/bin/mount-product-files.sh\"}" \
    | jq "del(.process.rlimits)" > /etc/containerd/cri-base.json'
  "$DOCKER" exec -d "$node" sh -c 'containerd >/var/log/containerd-build.log 2>&1'
  for _ in $(seq 1 30); do
    "$DOCKER" exec "$node" ctr version >/dev/null 2>&1 && break
    sleep 1
  done
  "$DOCKER" save "${KUBEADM_IMAGES[@]}" "$FLANNEL_IMAGE" | "$DOCKER" exec -i "$node" \
    ctr --namespace=k8s.io images import --label=io.cri-containerd.pinned=pinned --all-platforms --no-unpack --digests - >/dev/null
  "$DOCKER" exec "$node" sh -c 'pkill containerd; while pgrep -x containerd >/dev/null; do sleep 0.2; done; rm -f /var/log/containerd-build.log'
  "$DOCKER" commit \
    -c 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' -c 'CMD []' \
    "$node" "$NODE_IMAGE" >/dev/null
  "$DOCKER" rm -f "$node" >/dev/null
  trap - EXIT
fi
step ""

# Earlier versions of these images are gigabytes each: keep only the current ones.
current=" $BASE_IMAGE $RUNTIME_IMAGE $NODE_BASE $NODE_IMAGE "
"$DOCKER" images --format '{{.Repository}}:{{.Tag}}' 'tunnelier-kind/*' | while read -r image; do
  [[ "$current" == *" $image "* ]] || "$DOCKER" rmi "$image" >/dev/null 2>&1 || true
done
"$DOCKER" image prune -f --filter label=tunnelier.key >/dev/null

echo "KIND=$BIN/kind"
echo "KUBECTL=$K8S_BIN/kubectl"
echo "NODE_IMAGE=$NODE_IMAGE"
echo "RUNTIME_IMAGE=$RUNTIME_IMAGE"
echo "TOOLS_IMAGE=$BASE_IMAGE"
