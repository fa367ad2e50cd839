package io.tunnelier.api.peerconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The file the standalone agent runs from ({@code node-agent standalone --config peer.yaml}) on a
 * VPS or on a remote end without Kubernetes. The operator renders one tunnel's entry into the
 * {@code <name>-peer-config} Secret; a VPS serving several clusters lists several tunnels.
 *
 * <pre>
 * apiVersion: tunnelier.io/v1alpha1
 * kind: StandaloneConfig
 * tunnels:
 * - name: scraping/egress-nyc
 *   ...
 * </pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StandaloneConfig {
  public static final String API_VERSION = "tunnelier.io/v1alpha1";
  public static final String KIND = "StandaloneConfig";

  private String apiVersion = API_VERSION;
  private String kind = KIND;
  private List<StandaloneTunnel> tunnels;

  public String getApiVersion() {
    return apiVersion;
  }

  public void setApiVersion(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public List<StandaloneTunnel> getTunnels() {
    return tunnels;
  }

  public void setTunnels(List<StandaloneTunnel> tunnels) {
    this.tunnels = tunnels;
  }
}
