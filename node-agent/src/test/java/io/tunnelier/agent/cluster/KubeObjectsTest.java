package io.tunnelier.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.tunnelier.agent.plan.PodInfo;
import org.junit.jupiter.api.Test;

/** A dual-stack pod: its IPv4 address for the rules, its IPv6 ones for the kill switch. */
class KubeObjectsTest {
  static Pod pod(String podIp, String... podIps) {
    Pod p =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("scraping")
            .withName("scraper")
            .endMetadata()
            .withNewSpec()
            .withNodeName("node-b")
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .withPodIP(podIp)
            .endStatus()
            .build();
    p.getStatus()
        .setPodIPs(
            java.util.Arrays.stream(podIps)
                .map(ip -> new io.fabric8.kubernetes.api.model.PodIP(ip))
                .toList());
    return p;
  }

  @Test
  void dualStackPodKeepsBothFamilies() {
    PodInfo p = KubeObjects.pod(pod("100.64.2.7", "100.64.2.7", "FD00:64:2:0:0:0:0:7"));
    assertThat(p.ip()).isEqualTo("100.64.2.7");
    assertThat(p.ipv6()).containsExactly("fd00:64:2::7");
  }

  @Test
  void ipv6PrimaryPodHasBothFamiliesToo() {
    PodInfo p = KubeObjects.pod(pod("fd00:64:2::7", "fd00:64:2::7", "100.64.2.7"));
    assertThat(p.ip()).isEqualTo("100.64.2.7");
    assertThat(p.ipv6()).containsExactly("fd00:64:2::7");
  }

  @Test
  void ipv6OnlyPodHasNoIpv4() {
    PodInfo p = KubeObjects.pod(pod("fd00:64:2::7", "fd00:64:2::7"));
    assertThat(p.ip()).isNull();
    assertThat(p.ipv6()).containsExactly("fd00:64:2::7");
  }

  @Test
  void ipv4OnlyPodHasNoIpv6() {
    assertThat(KubeObjects.pod(pod("100.64.2.7", "100.64.2.7")).ipv6()).isEmpty();
  }

  @Test
  void dualStackNodeKeepsBothPodCidrsAndItsIpv4InternalIp() {
    var node =
        new io.fabric8.kubernetes.api.model.NodeBuilder()
            .withNewMetadata()
            .withName("node-b")
            .endMetadata()
            .withNewSpec()
            .withPodCIDR("100.64.2.0/24")
            .withPodCIDRs("100.64.2.0/24", "fd00:64:2::/64")
            .endSpec()
            .withNewStatus()
            .addNewAddress("2001:db8:0:1::12", "InternalIP")
            .addNewAddress("192.0.2.12", "InternalIP")
            .endStatus()
            .build();
    var info = KubeObjects.node(node);
    // Site-to-site offers and routes both families; the VXLAN hop runs over IPv4.
    assertThat(info.podCidrs()).containsExactly("100.64.2.0/24", "fd00:64:2::/64");
    assertThat(info.internalIp()).isEqualTo("192.0.2.12");
    // Kept out of egress like the IPv4 one.
    assertThat(info.internalIp6()).isEqualTo("2001:db8:0:1::12");
  }

  @Test
  void aKeysTextIsWipedOnceDecoded() {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) 5);
    byte[] text =
        (" " + java.util.Base64.getEncoder().encodeToString(key) + "\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(KubeObjects.decodeKey(text)).isEqualTo(key);
    assertThat(text).containsOnly((byte) 0);

    byte[] shortKey =
        java.util.Base64.getEncoder()
            .encode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    assertThat(KubeObjects.decodeKey(shortKey)).isNull();
    assertThat(shortKey).containsOnly((byte) 0);
    assertThat(KubeObjects.decodeKey("not base64!".getBytes())).isNull();
    assertThat(KubeObjects.decodeKey(" \n".getBytes())).isNull();
  }
}
