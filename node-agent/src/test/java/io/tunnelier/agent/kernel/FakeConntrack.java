package io.tunnelier.agent.kernel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An in-memory conntrack table: entries by original source and destination; deletes what the real
 * one would, counts it, and can fail the next call (a fault switch, like {@code FakeNftables}).
 */
public final class FakeConntrack implements Conntrack {
  /** One tracked flow, original direction. */
  public record Entry(InetAddress source, InetAddress destination) {}

  private final List<Entry> entries = new ArrayList<>();
  private final List<Set<InetAddress>> calls = new ArrayList<>();
  private boolean failNext;

  /** Tracks a flow from {@code source} to {@code destination} (address literals). */
  public synchronized FakeConntrack track(String source, String destination) {
    entries.add(new Entry(literal(source), literal(destination)));
    return this;
  }

  public synchronized void failNextDelete() {
    failNext = true;
  }

  @Override
  public synchronized int deleteByOriginalSource(Set<InetAddress> sources) throws IOException {
    calls.add(Set.copyOf(sources));
    if (failNext) {
      failNext = false;
      throw new IOException("injected: conntrack delete failed");
    }
    int before = entries.size();
    entries.removeIf(e -> sources.contains(e.source()));
    return before - entries.size();
  }

  /** The flows still tracked. */
  public synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** Every call's sources, in order. */
  public synchronized List<Set<InetAddress>> calls() {
    return List.copyOf(calls);
  }

  public static InetAddress literal(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }
}
