#!/usr/bin/env bash
# `npm test`: the type check, the tools the tests run for real (etcd, kube-apiserver and kubectl
# for test/e2e, Helm for test/chart; built once from the Go module proxy and cached, see
# docs/e2e.md), then every jest suite. Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
npx tsc --noEmit
bash scripts/tools/install-cluster-tools.sh >/dev/null
bash scripts/tools/install-helm.sh >/dev/null
exec node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js "$@"
