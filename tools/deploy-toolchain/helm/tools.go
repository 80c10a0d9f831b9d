//go:build tools

// The command this module builds; the build tag keeps it out of every normal build.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
