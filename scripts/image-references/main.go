// Prints the kubelet's verdict on image references, for test/fixtures/image-references.tsv.
//
// It reads one candidate reference per line on stdin and writes one TSV row per candidate:
// the reference as a JSON string, then `accept` or `refuse`, then the kubelet's image string
// (accept) or the parser's error (refuse). The verdict is the kubelet's: EnsureImageExists
// (k8s.io/kubernetes v1.37.2, pkg/kubelet/images/image_manager.go) first calls
// applyDefaultImageTag, which calls parsers.ParseImageName (pkg/util/parsers/parsers.go), and an
// error there is ErrInvalidImageName for the container. Both functions are copied below as they
// are in v1.37.2 (importing k8s.io/kubernetes needs its staging replaces); the parser is the
// same module version the kubelet builds with, github.com/distribution/reference v0.6.0.
//
// Build offline from the module cache:
//
//	cd scripts/image-references && GOFLAGS=-mod=mod GOPROXY=off go run . < candidates.txt
package main

import (
	"bufio"
	"bytes"
	// The kubelet's parsers.go imports these for sha256, sha384 and sha512 digests: without
	// them go-digest reports those algorithms unavailable.
	_ "crypto/sha256"
	_ "crypto/sha512"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	dockerref "github.com/distribution/reference"
)

// parseImageName is parsers.ParseImageName of k8s.io/kubernetes v1.37.2.
func parseImageName(image string) (string, string, string, error) {
	named, err := dockerref.ParseNormalizedNamed(image)
	if err != nil {
		return "", "", "", fmt.Errorf("couldn't parse image name %q: %v", image, err)
	}

	repoToPull := named.Name()
	var tag, digest string

	tagged, ok := named.(dockerref.Tagged)
	if ok {
		tag = tagged.Tag()
	}

	digested, ok := named.(dockerref.Digested)
	if ok {
		digest = digested.Digest().String()
	}
	// If no tag was specified, use the default "latest".
	if len(tag) == 0 && len(digest) == 0 {
		tag = "latest"
	}
	return repoToPull, tag, digest, nil
}

// applyDefaultImageTag is the function of that name in pkg/kubelet/images/image_manager.go, v1.37.2.
func applyDefaultImageTag(image string) (string, error) {
	_, tag, digest, err := parseImageName(image)
	if err != nil {
		return "", err
	}
	if len(digest) == 0 && len(tag) > 0 && !strings.HasSuffix(image, ":"+tag) {
		image = image + ":" + tag
	}
	return image, nil
}

func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		ref := in.Text()
		if image, err := applyDefaultImageTag(ref); err != nil {
			fmt.Fprintf(out, "%s\trefuse\t%s\n", quote(ref), quote(err.Error()))
		} else {
			fmt.Fprintf(out, "%s\taccept\t%s\n", quote(ref), quote(image))
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
