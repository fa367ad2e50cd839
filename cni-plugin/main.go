// Command tunnelier-cni is Tunnelier's chained CNI plugin: it runs after the cluster's own CNI
// plugins and, for a pod in a namespace with an Egress Tunnel, puts the pod's IPs into the node's
// hold sets (nftables table inet tunnelier_cni) before the container runtime starts any of the
// pod's containers. Held traffic to anything but the cluster is dropped until the node agent has
// programmed the pod (kill switch, routes) and releases it, so a pod started while the agent is
// down or lagging sends nothing out of the node's own route. docs/how-it-works.md explains why a
// CNI plugin, and docs/agent.md how it is installed.
//
// It is written in Go, not Java like the rest of Tunnelier, because the container runtime runs
// it on the node for every pod, where no Java runtime can be assumed, and it must start in
// milliseconds. It keeps no state of its own: the agent writes the guarded namespaces to a file
// and owns the table; the plugin adds elements and passes its input's result on unchanged.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	input, err := io.ReadAll(io.LimitReader(os.Stdin, maxConfigBytes))
	if err != nil {
		fail(os.Stdout, &cniError{Code: codeIOFailure, Msg: "tunnelier: reading the network config", Details: err.Error()}, "")
	}
	env := environment{
		command: os.Getenv("CNI_COMMAND"),
		args:    os.Getenv("CNI_ARGS"),
	}
	out, cerr := run(env, input, readFile, execNft)
	if cerr != nil {
		fail(os.Stdout, cerr, versionOf(input))
	}
	if len(out) > 0 {
		os.Stdout.Write(out)
	}
}

func fail(w io.Writer, e *cniError, version string) {
	fmt.Fprintln(w, string(e.json(version)))
	os.Exit(1)
}
