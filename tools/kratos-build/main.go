// Command kratos runs the unmodified Ory Kratos CLI from the pinned module.
package main

import (
	"os"

	"github.com/ory/kratos/cmd"
)

func main() {
	os.Exit(cmd.Execute())
}
