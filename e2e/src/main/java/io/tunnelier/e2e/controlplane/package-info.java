/**
 * A real kube-apiserver and etcd for tests: binaries from TUNNELIER_K8S_ASSETS or built once from
 * Go modules by e2e/controlplane/build.sh (Binaries), with their own PKI and audit log, started on
 * first use and shared by the whole test run (ControlPlaneExtension); ManagedProcess stops every
 * process it starts, also on failure.
 */
package io.tunnelier.e2e.controlplane;
