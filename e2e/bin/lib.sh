# Shared by e2e/bin scripts: logging, the cache directory, and Go.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE_DIR="${TUNNELIER_CACHE_DIR:-$HOME/.cache/tunnelier}"
GO_VERSION="${TUNNELIER_GO_VERSION:-1.26.8}"

log() { echo "[tunnelier] $*" >&2; }

# Go builds the test control plane (kube-apiserver, etcd). Debian's Go is too old, so when no Go
# >= 1.26 is on PATH, fetch the official toolchain from the Go module proxy into the cache.
ensure_go() {
  if command -v go >/dev/null && go_ok "$(command -v go)"; then return; fi
  local dir="$CACHE_DIR/go/$GO_VERSION"
  if [[ ! -x "$dir/bin/go" ]]; then
    local arch; arch="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
    local mod="v0.0.1-go${GO_VERSION}.linux-${arch}"
    log "no Go >= 1.26 on PATH: fetching go${GO_VERSION} from proxy.golang.org into $dir"
    mkdir -p "$dir.tmp"
    curl -fsSL "https://proxy.golang.org/golang.org/toolchain/@v/${mod}.zip" -o "$dir.tmp/go.zip"
    (cd "$dir.tmp" && unzip -q go.zip && rm go.zip)
    rm -rf "$dir" && mv "$dir.tmp/golang.org/toolchain@${mod}" "$dir" && rm -rf "$dir.tmp"
    chmod +x "$dir"/bin/* "$dir"/pkg/tool/*/* 2>/dev/null || true
  fi
  export PATH="$dir/bin:$PATH"
  export GOTOOLCHAIN=local
}

go_ok() {
  local v; v="$("$1" env GOVERSION 2>/dev/null | sed 's/^go//')"
  [[ "$(printf '%s\n' 1.26 "$v" | sort -V | head -1)" == "1.26" ]]
}
