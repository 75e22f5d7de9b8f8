#!/usr/bin/env bash
# Builds the binaries of the end-to-end test cluster, once per machine, from the Go module proxy:
#   kube-apiserver and kubectl  (k8s.io/kubernetes, pinned by scripts/tools/kube-apiserver/go.mod+go.sum)
#   etcd                        (go.etcd.io/etcd/server/v3, pinned by scripts/tools/etcd/go.mod+go.sum)
# into ${ROLLSAFE_TOOLS_CACHE:-$HOME/.cache/rollsafe-tools}/<key>/bin, where <key> hashes the wrapper
# go.mod/go.sum files, the Go version and this script. A later run with the same key builds nothing.
# Concurrent runs take a lock (flock), so only one of them builds.
#
# stdout: the bin directory, as the last line (`bin=$(scripts/tools/install-cluster-tools.sh | tail -n1)`).
# stderr: progress and timings.
# Cold build: about 10-20 minutes on 2 cores (see docs/e2e.md); the Go build cache it leaves
# (~3 GB, in `go env GOCACHE`) is not needed afterwards and may be cleaned with `go clean -cache`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
kube_dir="$here/kube-apiserver"
etcd_dir="$here/etcd"
binaries=(kube-apiserver kubectl etcd)

log() { printf '[install-cluster-tools] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

go_bin="$(command -v go || true)"
if [ -z "$go_bin" ] && [ -x /usr/local/go/bin/go ]; then go_bin=/usr/local/go/bin/go; fi
[ -n "$go_bin" ] || die "no Go toolchain (need Go >= $(sed -n 's/^go //p' "$kube_dir/go.mod"); looked in PATH and /usr/local/go/bin)"
command -v flock >/dev/null || die "flock not found (Debian: apt-get install util-linux)"

# Never let the build reach anything but the module proxy: no toolchain download, no go.sum edits.
# The checksum database (sum.golang.org) is not reachable from every machine this project runs on;
# it is not needed either: -mod=readonly makes every module be checked against the committed go.sum,
# and a module missing from go.sum an error instead of a lookup.
export GOTOOLCHAIN=local GOSUMDB=off GOFLAGS="-mod=readonly -trimpath -buildvcs=false" CGO_ENABLED=0
go_version="$("$go_bin" env GOVERSION)"

key="$(
  {
    echo "$go_version $("$go_bin" env GOOS GOARCH | tr '\n' ' ')"
    cat "$here/install-cluster-tools.sh" "$kube_dir/go.mod" "$kube_dir/go.sum" "$etcd_dir/go.mod" "$etcd_dir/go.sum"
  } | sha256sum | cut -c1-16
)"
cache_root="${ROLLSAFE_TOOLS_CACHE:-$HOME/.cache/rollsafe-tools}"
dir="$cache_root/$key"
bin="$dir/bin"

complete() { for b in "${binaries[@]}"; do [ -x "$bin/$b" ] || return 1; done; }

if complete; then
  log "cached: $bin"
  echo "$bin"
  exit 0
fi

mkdir -p "$cache_root"
exec 9>"$cache_root/$key.lock"
if ! flock -n 9; then
  log "another run is building $key; waiting for it"
  flock 9
fi
if complete; then # built by the run we waited for
  log "cached: $bin"
  echo "$bin"
  exit 0
fi

module_field() { # module_field DIR MODULE FIELD
  (cd "$1" && "$go_bin" list -m -f "{{.$3}}" "$2")
}
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

staging="$dir/staging.$$"
rm -rf "$staging"
mkdir -p "$staging"
trap 'rm -rf "$staging"' EXIT
log "building into $bin with $go_version (key $key); a cold build takes 10-20 minutes on 2 cores"

# kube-apiserver + kubectl in one go build: they share most packages.
kube_version="$(module_field "$kube_dir" k8s.io/kubernetes Version)"
kube_time="$(cd "$kube_dir" && "$go_bin" list -m -f '{{if .Time}}{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}{{end}}' k8s.io/kubernetes)"
[[ "$kube_version" =~ ^v([0-9]+)\.([0-9]+)\.[0-9]+$ ]] || die "unexpected k8s.io/kubernetes version $kube_version"
ldflags="-s -w"
# Both version packages must be stamped, or /version and `kubectl version` report v0.0.0-master.
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $p.gitVersion=$kube_version -X $p.gitMajor=${BASH_REMATCH[1]} -X $p.gitMinor=${BASH_REMATCH[2]}"
  ldflags+=" -X $p.gitTreeState=clean -X $p.buildDate=${kube_time:-1970-01-01T00:00:00Z}"
done
t0=$(date +%s)
log "downloading modules for k8s.io/kubernetes $kube_version"
(cd "$kube_dir" && "$go_bin" mod download) >&2
log "modules ready after $(elapsed "$t0"); compiling kube-apiserver and kubectl"
t1=$(date +%s)
(cd "$kube_dir" && "$go_bin" build -ldflags "$ldflags" -o "$staging/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl) >&2
log "kube-apiserver + kubectl compiled in $(elapsed "$t1")"

etcd_version="$(module_field "$etcd_dir" go.etcd.io/etcd/server/v3 Version)"
t2=$(date +%s)
log "downloading and compiling etcd $etcd_version"
(cd "$etcd_dir" && "$go_bin" mod download && "$go_bin" build -ldflags "-s -w" -o "$staging/etcd" go.etcd.io/etcd/server/v3) >&2
log "etcd built in $(elapsed "$t2")"

# Smoke-check what was built before publishing it (output captured first: grep -q closing the
# pipe early would make the command fail with SIGPIPE under pipefail).
v="$("$staging/kube-apiserver" --version)"
[ "$v" = "Kubernetes $kube_version" ] || die "kube-apiserver --version says '$v', expected 'Kubernetes $kube_version'"
v="$("$staging/kubectl" version --client -o yaml)"
grep -q "gitVersion: $kube_version" <<<"$v" || die "kubectl version --client does not report $kube_version: $v"
v="$("$staging/etcd" --version)"
grep -q "^etcd Version: ${etcd_version#v}\$" <<<"$v" || die "etcd --version does not report ${etcd_version#v}: $v"

rm -rf "$bin"
mv "$staging" "$bin" # last step: a bin directory exists only when complete
trap - EXIT
{
  echo "k8s.io/kubernetes $kube_version"
  echo "go.etcd.io/etcd/server/v3 $etcd_version"
  echo "$go_version"
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(elapsed "$t0")"
} > "$dir/VERSIONS"
log "done in $(elapsed "$t0"): $(cd "$bin" && du -sh "${binaries[@]}" | tr '\t\n' ': ')"
echo "$bin"
