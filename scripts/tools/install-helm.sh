#!/usr/bin/env bash
# Builds Helm from its Go module with this machine's Go and caches the binary.
#
#   scripts/tools/install-helm.sh          # prints the directory holding `helm` on the last line
#
# Nothing is downloaded except through the Go module proxy, and every module is checked against
# go.sum / the checksum database, so the version below pins the whole build. The cache entry's key
# is a hash of the Helm version, `go version` and this script, so changing any of them builds anew.
# Concurrent callers (parallel jest workers, two checkouts) wait on one flock and build once.
#
# Environment:
#   ROLLSAFE_TOOLS_CACHE  cache root (default: $HOME/.cache/rollsafe-tools)
set -euo pipefail

HELM_VERSION=v3.22.0
HELM_MODULE=helm.sh/helm/v3

command -v go >/dev/null || { echo "install-helm: go is not on PATH; Helm is built from source with Go" >&2; exit 1; }
command -v flock >/dev/null || { echo "install-helm: flock (util-linux) is not on PATH" >&2; exit 1; }

cache_root="${ROLLSAFE_TOOLS_CACHE:-$HOME/.cache/rollsafe-tools}"
script_path="${BASH_SOURCE[0]}"
key="$(
  {
    echo "helm ${HELM_VERSION}"
    go version
    cat "$script_path"
  } | sha256sum | cut -c1-16
)"
dest="${cache_root}/helm-${key}"
bin_dir="${dest}/bin"

mkdir -p "$cache_root"
exec 9>"${cache_root}/helm-${key}.lock"
flock 9

if [[ -x "${bin_dir}/helm" ]]; then
  echo "$bin_dir"
  exit 0
fi

echo "install-helm: building Helm ${HELM_VERSION} with $(go version) (a few minutes the first time)" >&2
start=$SECONDS

# Kubernetes version that `helm template`/`helm lint` assume without a cluster: Helm's Makefile takes
# it from the client-go it is built with (v0.X.Y -> 1.X); a plain `go install` would leave 1.20.
gomod="$(go mod download -json "${HELM_MODULE}@${HELM_VERSION}" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
client_go="$(awk '$1 == "k8s.io/client-go" { print $2 }' "$gomod")"
[[ "$client_go" =~ ^v0\.([0-9]+)\. ]] || { echo "install-helm: cannot read the client-go version from $gomod" >&2; exit 1; }
k8s_minor="${BASH_REMATCH[1]}"

ldflags="-s -w"
ldflags+=" -X ${HELM_MODULE}/internal/version.version=${HELM_VERSION}"
ldflags+=" -X ${HELM_MODULE}/internal/version.gitTreeState=clean"
for pkg in pkg/lint/rules pkg/chartutil; do
  ldflags+=" -X ${HELM_MODULE}/${pkg}.k8sVersionMajor=1 -X ${HELM_MODULE}/${pkg}.k8sVersionMinor=${k8s_minor}"
done

tmp="$(mktemp -d "${cache_root}/.helm-build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "${tmp}/bin"
# GOFLAGS from the environment (e.g. -mod=vendor) must not leak into a module-mode `go install`.
GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOBIN="${tmp}/bin" \
  go install -trimpath -ldflags "$ldflags" "${HELM_MODULE}/cmd/helm@${HELM_VERSION}" >&2

got="$("${tmp}/bin/helm" version --template '{{.Version}}')"
[[ "$got" == "$HELM_VERSION" ]] || { echo "install-helm: built helm reports ${got}, expected ${HELM_VERSION}" >&2; exit 1; }

rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
echo "install-helm: Helm ${HELM_VERSION} built in $((SECONDS - start)) s -> ${bin_dir}" >&2
echo "$bin_dir"
