package io.tunnelier.agent.datapath.wireguard;

/**
 * Inner packets waiting for a session (wireguard-go's staged queue): a ring of {@link #CAPACITY}
 * reusable buffers; when full, the oldest packet makes room. Not thread-safe: the peer's lock
 * guards it.
 */
final class StagedPackets {
  static final int CAPACITY = 128;

  private final byte[][] packets = new byte[CAPACITY][];
  private final int[] lengths = new int[CAPACITY];
  private int head;
  private int count;

  boolean isEmpty() {
    return count == 0;
  }

  /** Keeps a copy of {@code buf[offset, offset+length)}; the oldest goes first when full. */
  void add(byte[] buf, int offset, int length) {
    if (count == CAPACITY) {
      head = (head + 1) % CAPACITY;
      count--;
    }
    int slot = (head + count) % CAPACITY;
    if (packets[slot] == null || packets[slot].length < length) {
      packets[slot] = new byte[Math.max(length, 2048)];
    }
    System.arraycopy(buf, offset, packets[slot], 0, length);
    lengths[slot] = length;
    count++;
  }

  /** Moves the oldest packet to {@code into[offset...]} and returns its length; not when empty. */
  int takeInto(byte[] into, int offset) {
    int length = lengths[head];
    System.arraycopy(packets[head], 0, into, offset, length);
    head = (head + 1) % CAPACITY;
    count--;
    return length;
  }

  void clear() {
    count = 0;
    head = 0;
  }
}
