//go:build tools

// The command this module builds; the build tag keeps it out of every normal build.
package tools

import _ "sigs.k8s.io/cri-tools/cmd/crictl"
