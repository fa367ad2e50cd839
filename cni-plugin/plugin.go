package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"time"
)

const (
	maxConfigBytes = 1 << 20
	table          = "tunnelier_cni"
	// CNI spec error codes: 4 invalid environment variables, 5 I/O failure, 6 failed to decode
	// content, 7 invalid network config, 11 try again later.
	codeInvalidEnv     = 4
	codeIOFailure      = 5
	codeDecodeFailure  = 6
	codeInvalidConfig  = 7
	codeTryAgainLater  = 11
	defaultGuardedFile = "/var/lib/tunnelier/cni/guarded-namespaces"
	nftTimeout         = 10 * time.Second
)

var supportedVersions = []string{"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"}

// A Kubernetes object name or namespace (RFC 1123 subdomain) and a UID: what may go into an
// nftables comment without quoting trouble.
var (
	namespacePattern = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	uidPattern       = regexp.MustCompile(`^[0-9A-Za-z-]{1,64}$`)
)

type environment struct {
	command string
	args    string
}

// netConf is this plugin's entry in the chained configuration list.
type netConf struct {
	CNIVersion string `json:"cniVersion"`
	Name       string `json:"name"`
	Type       string `json:"type"`
	// GuardedNamespacesFile is written by the node agent: one namespace per line.
	GuardedNamespacesFile string          `json:"guardedNamespacesFile"`
	PrevResult            json.RawMessage `json:"prevResult"`
}

type prevResult struct {
	IPs []struct {
		Address string `json:"address"`
	} `json:"ips"`
}

type cniError struct {
	Code    int
	Msg     string
	Details string
}

func (e *cniError) Error() string { return e.Msg + ": " + e.Details }

func (e *cniError) json(version string) []byte {
	if version == "" {
		version = "1.0.0"
	}
	b, _ := json.Marshal(struct {
		CNIVersion string `json:"cniVersion"`
		Code       int    `json:"code"`
		Msg        string `json:"msg"`
		Details    string `json:"details,omitempty"`
	}{version, e.Code, e.Msg, e.Details})
	return b
}

type fileReader func(path string) ([]byte, error)

// nftRunner applies one nftables transaction (nft -f -), all of it or none.
type nftRunner func(script string) error

func readFile(path string) ([]byte, error) { return os.ReadFile(path) }

func execNft(script string) error {
	path, err := exec.LookPath("nft")
	if err != nil {
		for _, p := range []string{"/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft"} {
			if _, statErr := os.Stat(p); statErr == nil {
				path, err = p, nil
				break
			}
		}
	}
	if err != nil {
		return fmt.Errorf("no nft command on this node: %w", err)
	}
	cmd := exec.Command(path, "-f", "-")
	cmd.Stdin = strings.NewReader(script)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("nft -f - failed: %v: %s", err, strings.TrimSpace(stderr.String()))
		}
		return nil
	case <-time.After(nftTimeout):
		_ = cmd.Process.Kill()
		return fmt.Errorf("nft -f - did not finish within %s", nftTimeout)
	}
}

func versionOf(input []byte) string {
	var c struct {
		CNIVersion string `json:"cniVersion"`
	}
	_ = json.Unmarshal(input, &c)
	return c.CNIVersion
}

// run carries out one CNI command and returns what goes to stdout.
func run(env environment, input []byte, read fileReader, nft nftRunner) ([]byte, *cniError) {
	switch env.command {
	case "VERSION":
		b, _ := json.Marshal(struct {
			CNIVersion        string   `json:"cniVersion"`
			SupportedVersions []string `json:"supportedVersions"`
		}{"1.1.0", supportedVersions})
		return b, nil
	case "ADD":
		return add(env, input, read, nft)
	case "DEL", "CHECK", "GC", "STATUS":
		// DEL: a held element outlives its pod harmlessly; the next ADD of its IP replaces it, and
		// the agent releases what it no longer needs. CHECK, GC, STATUS: nothing to verify here.
		if _, err := parseConf(input); err != nil {
			return nil, err
		}
		return nil, nil
	case "":
		return nil, &cniError{Code: codeInvalidEnv, Msg: "tunnelier: CNI_COMMAND is not set", Details: "this program is a CNI plugin, run by the container runtime"}
	default:
		return nil, &cniError{Code: codeInvalidEnv, Msg: "tunnelier: unknown CNI_COMMAND", Details: env.command}
	}
}

func parseConf(input []byte) (*netConf, *cniError) {
	var conf netConf
	if err := json.Unmarshal(input, &conf); err != nil {
		return nil, &cniError{Code: codeDecodeFailure, Msg: "tunnelier: the network config is not JSON", Details: err.Error()}
	}
	if conf.GuardedNamespacesFile == "" {
		conf.GuardedNamespacesFile = defaultGuardedFile
	}
	return &conf, nil
}

func add(env environment, input []byte, read fileReader, nft nftRunner) ([]byte, *cniError) {
	conf, cerr := parseConf(input)
	if cerr != nil {
		return nil, cerr
	}
	if len(conf.PrevResult) == 0 || string(conf.PrevResult) == "null" {
		return nil, &cniError{Code: codeInvalidConfig, Msg: "tunnelier: no prevResult", Details: "tunnelier is a chained plugin: list it after the plugin that gives the pod its addresses"}
	}
	var prev prevResult
	if err := json.Unmarshal(conf.PrevResult, &prev); err != nil {
		return nil, &cniError{Code: codeDecodeFailure, Msg: "tunnelier: prevResult is not a CNI result", Details: err.Error()}
	}
	args := parseArgs(env.args)
	namespace, uid := args["K8S_POD_NAMESPACE"], args["K8S_POD_UID"]
	if namespace == "" {
		return conf.PrevResult, nil // not a Kubernetes pod: nothing selects it
	}
	guarded, err := guardedNamespaces(read, conf.GuardedNamespacesFile)
	if err != nil {
		// Which namespaces to hold is unknown: holding nothing could leak, so the runtime retries.
		return nil, &cniError{Code: codeTryAgainLater, Msg: "tunnelier: cannot read the guarded namespaces", Details: err.Error()}
	}
	if !guarded[namespace] {
		return conf.PrevResult, nil
	}
	if !namespacePattern.MatchString(namespace) || !uidPattern.MatchString(uid) {
		return nil, &cniError{Code: codeInvalidEnv, Msg: "tunnelier: CNI_ARGS has no valid K8S_POD_NAMESPACE and K8S_POD_UID", Details: env.args}
	}
	script, err := holdScript(prev, uid)
	if err != nil {
		return nil, &cniError{Code: codeInvalidConfig, Msg: "tunnelier: prevResult has an address that is not one", Details: err.Error()}
	}
	if script == "" {
		return conf.PrevResult, nil
	}
	if err := nft(script); err != nil {
		// Most often: the agent has not created its table yet on this node (it was never up since
		// boot). The runtime retries the sandbox; the pod starts once it can be held.
		return nil, &cniError{Code: codeTryAgainLater, Msg: "tunnelier: cannot hold the pod until the node agent has programmed it", Details: err.Error()}
	}
	return conf.PrevResult, nil
}

// parseArgs reads CNI_ARGS: "K1=V1;K2=V2".
func parseArgs(s string) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Split(s, ";") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			out[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return out
}

// guardedNamespaces reads the agent's file. No file: the agent has never run here with a Tunnel,
// so nothing is guarded.
func guardedNamespaces(read fileReader, path string) (map[string]bool, error) {
	data, err := read(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]bool{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			out[line] = true
		}
	}
	return out, nil
}

// holdScript puts each address into its family's hold set with the pod's UID as the element's
// comment (the agent releases an element only for the pod it names). An element left for the same
// address by an earlier pod is replaced: add (a no-op when present), delete, add.
func holdScript(prev prevResult, uid string) (string, error) {
	var addrs []netip.Addr
	for _, ip := range prev.IPs {
		prefix, err := netip.ParsePrefix(ip.Address)
		if err != nil {
			addr, err2 := netip.ParseAddr(ip.Address)
			if err2 != nil {
				return "", err
			}
			addrs = append(addrs, addr)
			continue
		}
		addrs = append(addrs, prefix.Addr())
	}
	sort.Slice(addrs, func(i, j int) bool { return addrs[i].Less(addrs[j]) })
	var b strings.Builder
	for _, a := range addrs {
		a = a.Unmap()
		set := "held4"
		if a.Is6() {
			set = "held6"
		}
		fmt.Fprintf(&b, "add element inet %s %s { %s }\n", table, set, a)
		fmt.Fprintf(&b, "delete element inet %s %s { %s }\n", table, set, a)
		fmt.Fprintf(&b, "add element inet %s %s { %s comment %q }\n", table, set, a, uid)
	}
	return b.String(), nil
}
