package io.tunnelier.agent.kernel;

/** A permanent neighbour entry on one of our links: {@code ip neigh replace IP lladdr MAC}. */
public record Neighbor(String dev, String ip, String mac) {
  public Key key() {
    return new Key(dev, ip);
  }

  public record Key(String dev, String ip) {}
}
