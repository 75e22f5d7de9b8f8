#!/usr/bin/env bash
# End-to-end tests against a real API server: builds (or finds cached) etcd, kube-apiserver and
# kubectl, then runs the jest files under test/e2e. Extra arguments go to jest, e.g.
#   scripts/e2e.sh -t 'legacy'              # one test by name
#   scripts/e2e.sh test/e2e/incidents     # one file (any path under test/ replaces the default test/e2e)
# docs/e2e.md has the details (cache location, timings, cleaning).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The build is done here, before jest, so its 10-20 minutes (cold) are not spent inside a test's timeout.
bash scripts/tools/install-cluster-tools.sh >/dev/null

# Only the e2e files, unless a path under test/ is given. Three workers unless told otherwise:
# the files mostly wait on their own cluster, so on 2 cores they finish sooner side by side
# (measured: 86 s instead of 107 s for three files) than one after the other (jest's default there).
paths=(test/e2e)
workers=(--maxWorkers=3)
for a in "$@"; do
  case "$a" in
    test/*) paths=() ;;
    -w | -w* | --maxWorkers* | -i | --runInBand) workers=() ;;
  esac
done
set -- "${paths[@]}" "${workers[@]}" "$@"
exec node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js "$@"
