#!/usr/bin/env bash
# Makes this machine able to build, run and test the project: Node 24, a Docker
# engine with Compose v2 and buildx (BuildKit), base images when no image registry answers, Chromium
# for the browser tests, k6 for the load tests, actionlint for the workflows,
# schemathesis for the API's fuzz test, and (root on Linux) the local Kubernetes
# cluster the Kubernetes rehearsal runs on (about 20 min the first time;
# PROVISION_KUBERNETES=0 leaves it out).
# Idempotent and silent when nothing is missing (a developer laptop with Docker
# Desktop and Node 24 sees no output at all).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/node.sh"
bash "$here/docker.sh"
bash "$here/compose.sh"
bash "$here/base-images.sh"
bash "$here/chromium.sh"
bash "$here/k6.sh"
bash "$here/actionlint.sh"
bash "$here/schemathesis.sh"
bash "$here/kubernetes.sh"
