package io.tunnelier.e2e.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A process inside a node namespace reaches the API server as a ServiceAccount, over TLS. */
@ExtendWith(ControlPlaneExtension.class)
class ApiServerBridgeIT {
  @Test
  void kubectlInANodeNamespaceTalksToTheApiServer(ControlPlane controlPlane) throws Exception {
    try (ClusterLab cluster = ClusterLab.create(1, false);
        ApiServerBridge bridge = ApiServerBridge.start(controlPlane.url(), cluster.workDir())) {
      var node = cluster.node("node-a").ns();
      bridge.attach(node, cluster.workDir().resolve("bridge-node-a.log").toFile());
      Path kubeconfig =
          controlPlane.kubeconfigFor("default", "bridge-probe", ApiServerBridge.IN_NODE_URL);
      Path kubectl = Path.of(controlPlane.kubectlPath());
      var result =
          node.exec(
              kubectl.toString(),
              "--kubeconfig=" + kubeconfig,
              "auth",
              "whoami",
              "-o",
              "jsonpath={.status.userInfo.username}");
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.stdout()).contains("system:serviceaccount:default:bridge-probe");
      cluster.addPod("node-a", "pod-a1", Map.of());
    }
  }
}
