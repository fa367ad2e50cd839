#!/usr/bin/env bash
# Builds the current wireguard-go from the Go module proxy, once per version, into
# ~/.cache/tunnelier/wireguard-go/<version>/, and prints the binary's path on stdout.
# Usage: build-wireguard-go.sh [version]   (default: latest; WIREGUARD_GO_VERSION also works)
set -euo pipefail
module=golang.zx2c4.com/wireguard
want="${1:-${WIREGUARD_GO_VERSION:-latest}}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/tunnelier/wireguard-go"
command -v go >/dev/null || { echo "go toolchain not found" >&2; exit 2; }
version=$(GOFLAGS=-mod=mod go list -m -f '{{.Version}}' "$module@$want")
dir="$cache/$version"
if [[ ! -x "$dir/wireguard" ]]; then
  mkdir -p "$dir"
  echo "building $module@$version into $dir" >&2
  GOBIN="$dir" CGO_ENABLED=0 go install "$module@$version" >&2
fi
echo "$dir/wireguard"
