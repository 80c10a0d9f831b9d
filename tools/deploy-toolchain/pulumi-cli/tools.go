//go:build tools

// The command this module builds; the build tag keeps it out of every normal build.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
