package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"strings"
	"testing"
)

const podArgs = "IgnoreUnknown=1;K8S_POD_NAMESPACE=scraping;K8S_POD_NAME=scraper-0;K8S_POD_INFRA_CONTAINER_ID=abc;K8S_POD_UID=0b1c2d3e-aaaa-bbbb-cccc-1234567890ab"

const chained = `{"cniVersion":"1.0.0","name":"cbr0","type":"tunnelier","guardedNamespacesFile":"/g",
 "prevResult":{"cniVersion":"1.0.0","interfaces":[{"name":"eth0"}],
  "ips":[{"address":"fd00:10::5/64","interface":0},{"address":"100.64.1.5/24","gateway":"100.64.1.1","interface":0}]}}`

func files(content string) fileReader {
	return func(path string) ([]byte, error) {
		if path != "/g" {
			return nil, fs.ErrNotExist
		}
		return []byte(content), nil
	}
}

type recorder struct {
	scripts []string
	err     error
}

func (r *recorder) run(script string) error {
	r.scripts = append(r.scripts, script)
	return r.err
}

func prevOf(t *testing.T, input string) string {
	t.Helper()
	var c struct {
		PrevResult json.RawMessage `json:"prevResult"`
	}
	if err := json.Unmarshal([]byte(input), &c); err != nil {
		t.Fatal(err)
	}
	return string(c.PrevResult)
}

func TestAddHoldsAGuardedNamespacesPodAndPassesTheResultOn(t *testing.T) {
	nft := &recorder{}
	out, err := run(environment{"ADD", podArgs}, []byte(chained), files("# by the agent\nscraping\nother\n"), nft.run)
	if err != nil {
		t.Fatalf("ADD failed: %v", err)
	}
	if string(out) != prevOf(t, chained) {
		t.Errorf("stdout = %s, want prevResult unchanged", out)
	}
	want := `add element inet tunnelier_cni held4 { 100.64.1.5 }
delete element inet tunnelier_cni held4 { 100.64.1.5 }
add element inet tunnelier_cni held4 { 100.64.1.5 comment "0b1c2d3e-aaaa-bbbb-cccc-1234567890ab" }
add element inet tunnelier_cni held6 { fd00:10::5 }
delete element inet tunnelier_cni held6 { fd00:10::5 }
add element inet tunnelier_cni held6 { fd00:10::5 comment "0b1c2d3e-aaaa-bbbb-cccc-1234567890ab" }
`
	if len(nft.scripts) != 1 || nft.scripts[0] != want {
		t.Errorf("nft scripts = %q, want one:\n%s", nft.scripts, want)
	}
}

func TestAddLeavesOtherNamespacesAlone(t *testing.T) {
	nft := &recorder{}
	out, err := run(environment{"ADD", strings.Replace(podArgs, "=scraping", "=web", 1)}, []byte(chained), files("scraping\n"), nft.run)
	if err != nil || string(out) != prevOf(t, chained) || len(nft.scripts) != 0 {
		t.Errorf("ADD in an unguarded namespace: out=%s err=%v scripts=%q", out, err, nft.scripts)
	}
}

func TestWithoutTheAgentsFileNothingIsGuarded(t *testing.T) {
	nft := &recorder{}
	out, err := run(environment{"ADD", podArgs}, []byte(strings.Replace(chained, `"/g"`, `"/absent"`, 1)), files("scraping"), nft.run)
	if err != nil || len(out) == 0 || len(nft.scripts) != 0 {
		t.Errorf("out=%s err=%v scripts=%q", out, err, nft.scripts)
	}
}

func TestAnUnreadableFileOrARefusedHoldMakesTheRuntimeTryAgain(t *testing.T) {
	unreadable := func(string) ([]byte, error) { return nil, errors.New("permission denied") }
	_, err := run(environment{"ADD", podArgs}, []byte(chained), unreadable, (&recorder{}).run)
	if err == nil || err.Code != codeTryAgainLater {
		t.Errorf("unreadable file: %v", err)
	}
	refused := &recorder{err: errors.New("Error: No such file or directory; did you mean table 'tunnelier'?")}
	_, err = run(environment{"ADD", podArgs}, []byte(chained), files("scraping"), refused.run)
	if err == nil || err.Code != codeTryAgainLater || !strings.Contains(err.Details, "No such file") {
		t.Errorf("refused hold: %v", err)
	}
	var decoded map[string]any
	if jerr := json.Unmarshal(err.json("1.0.0"), &decoded); jerr != nil || decoded["code"] != float64(11) || decoded["cniVersion"] != "1.0.0" {
		t.Errorf("error JSON = %s", err.json("1.0.0"))
	}
}

func TestBadInputGetsTheSpecsErrorCodes(t *testing.T) {
	cases := []struct {
		name  string
		env   environment
		input string
		code  int
	}{
		{"not JSON", environment{"ADD", podArgs}, "{", codeDecodeFailure},
		{"not chained", environment{"ADD", podArgs}, `{"cniVersion":"1.0.0","type":"tunnelier","guardedNamespacesFile":"/g"}`, codeInvalidConfig},
		{"bad address", environment{"ADD", podArgs}, strings.Replace(chained, "100.64.1.5/24", "100.64.1/24", 1), codeInvalidConfig},
		{"no UID", environment{"ADD", strings.Replace(podArgs, "K8S_POD_UID", "X", 1)}, chained, codeInvalidEnv},
		{"quote in UID", environment{"ADD", podArgs + `"`}, chained, codeInvalidEnv},
		{"no command", environment{"", podArgs}, chained, codeInvalidEnv},
		{"unknown command", environment{"FROB", podArgs}, chained, codeInvalidEnv},
	}
	for _, c := range cases {
		nft := &recorder{}
		_, err := run(c.env, []byte(c.input), files("scraping"), nft.run)
		if err == nil || err.Code != c.code {
			t.Errorf("%s: err = %v, want code %d", c.name, err, c.code)
		}
		if len(nft.scripts) != 0 {
			t.Errorf("%s: ran nft: %q", c.name, nft.scripts)
		}
	}
}

func TestNonPodsAndOtherCommandsChangeNothing(t *testing.T) {
	for _, env := range []environment{{"ADD", "IgnoreUnknown=1"}, {"DEL", podArgs}, {"CHECK", podArgs}, {"GC", ""}, {"STATUS", ""}} {
		nft := &recorder{}
		if _, err := run(env, []byte(chained), files("scraping"), nft.run); err != nil || len(nft.scripts) != 0 {
			t.Errorf("%v: err=%v scripts=%q", env, err, nft.scripts)
		}
	}
	out, err := run(environment{"VERSION", ""}, nil, files(""), (&recorder{}).run)
	if err != nil || !strings.Contains(string(out), `"supportedVersions":["0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]`) {
		t.Errorf("VERSION: %s %v", out, err)
	}
}
