#!/usr/bin/env bash
# Tunnelier's two images from this checkout's jars, with its own Dockerfiles, on a machine without a
# registry: JARS=prebuilt takes operator/target, node-agent/target and cni-plugin/target (run
# `./mvnw -pl cni-plugin,operator,node-agent -am package -DskipTests` first), RUNTIME_IMAGE is the Java
# runtime image e2e/kind/prepare.sh built from Debian packages. --network none: nothing is fetched.
#
#   e2e/kind/images.sh [TAG]     tunnelier/operator:TAG and tunnelier/node-agent:TAG (TAG: dev)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib.sh"
cd "$REPO_ROOT"

TAG="${1:-dev}"
DOCKER="$(command -v /usr/bin/docker || command -v docker)"
runtime="$("$REPO_ROOT/e2e/kind/prepare.sh" | sed -n 's/^RUNTIME_IMAGE=//p')"

[[ -x cni-plugin/target/tunnelier-cni ]] || { log "cni-plugin/target/tunnelier-cni is missing: run ./mvnw -pl cni-plugin package -DskipTests"; exit 1; }
for module in operator node-agent; do
  jar="$module/target/$module.jar"
  [[ -f "$jar" ]] || { log "$jar is missing: run ./mvnw -pl operator,node-agent -am package -DskipTests"; exit 1; }
  start=$SECONDS
  DOCKER_BUILDKIT=1 "$DOCKER" build --quiet --network none \
    --build-arg JARS=prebuilt --build-arg RUNTIME_IMAGE="$runtime" \
    -f "$module/Dockerfile" -t "tunnelier/$module:$TAG" . >/dev/null
  log "built tunnelier/$module:$TAG ($module/Dockerfile, JARS=prebuilt, RUNTIME_IMAGE=$runtime) in $((SECONDS - start))s"
done
