// Command etcd is etcd's server, built from the release Kubernetes v1.36.3
// uses, so the e2e control plane does not depend on a distribution package.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
