//go:build tools

// Package tools pins the CNI plugin that ../prepare.sh builds, so that "go mod tidy" keeps its
// modules in go.mod and go.sum.
package tools

import _ "github.com/containernetworking/plugins/plugins/meta/flannel"
