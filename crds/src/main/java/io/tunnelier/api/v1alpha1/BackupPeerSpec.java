package io.tunnelier.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A VPS the gateway fails over to when the ones before it are unhealthy: a {@link PeerSpec} with a
 * name, which names its inner addresses, its {@code <tunnel>-peer-config-<name>} Secret and its
 * entry in status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupPeerSpec extends PeerSpec {
  /** The name the primary peer ({@code spec.peer}) has in status. */
  public static final String PRIMARY = "primary";

  @Required
  @Size(min = 1, max = 20)
  @ValidationRule(
      value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
      message =
          "backupPeers[].name must be a DNS label: lower-case letters, digits and '-', such as"
              + " vps-fra; it is part of a Secret's name")
  @ValidationRule(
      value = "self != '" + PRIMARY + "'",
      message = "backupPeers[].name may not be 'primary': status names spec.peer so")
  @JsonPropertyDescription(
      "Names this VPS in status, Events and its <tunnel>-peer-config-<name> Secret.")
  private String name;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
