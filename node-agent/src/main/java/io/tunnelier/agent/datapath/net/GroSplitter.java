package io.tunnelier.agent.datapath.net;

/**
 * Cuts the messages of one {@code recvmmsg} with UDP GRO into their datagrams, one batch slot each,
 * over as many receives as it takes. Pure and allocation-free: it walks lengths, the caller moves
 * the bytes ({@link UdpSocket}).
 *
 * <ul>
 *   <li>A message of {@code length} bytes for which the kernel reported GRO segment size {@code s}
 *       holds datagrams of {@code s} bytes, the last one possibly shorter; with no segment size
 *       ({@code s <= 0}, or not below the length) it is one datagram.
 *   <li>An empty message (anyone who reaches the port may send an empty datagram) takes one empty
 *       slot, which the datapath drops and counts as truncated. So does a datagram larger than a
 *       slot ({@link #slotLength()} 0).
 *   <li>A message stays whole in one batch, so that its segments can be re-merged; only a message
 *       that alone holds more datagrams than a batch has slots continues in the next batch.
 *   <li>A message with a negative length (no kernel reports one) holds nothing.
 * </ul>
 *
 * <p>Use: {@link #start} after each {@code recvmmsg}, then {@code while (next(count, capacity,
 * maxPacket)) { fill slot count from message(), offset(), slotLength(); count++; }}; receive again
 * when {@link #pending} is false.
 */
final class GroSplitter {
  /** The received messages: their lengths and reported GRO segment sizes. */
  interface Messages {
    int length(int message);

    /** The segment size the kernel reported ({@code UDP_GRO} control message); 0: none. */
    int groSegment(int message);
  }

  private final Messages messages;
  private int received;
  private int message;
  private int offset;
  private boolean entered; // length and segment below are the current message's
  private int length;
  private int segment;

  // The datagram the last successful next() stepped over.
  private int datagramMessage;
  private int datagramOffset;
  private int datagramLength;
  private int slotLength;

  GroSplitter(Messages messages) {
    this.messages = messages;
  }

  /** A new receive of {@code received} messages (0 or more) replaces whatever was left. */
  void start(int received) {
    this.received = Math.max(0, received);
    message = 0;
    offset = 0;
    entered = false;
  }

  /** Whether datagrams of the last receive are still to be handed out. */
  boolean pending() {
    while (message < received) {
      enter();
      if (length >= 0) {
        return true;
      }
      nextMessage(); // holds nothing (no kernel reports a negative length)
    }
    return false;
  }

  /**
   * Steps to the datagram for slot {@code slot} of a batch with {@code capacity} slots of up to
   * {@code maxPacket} bytes each.
   *
   * @return false when this batch ends here: it is full, the next message would not fit whole, or
   *     every message was handed out
   */
  boolean next(int slot, int capacity, int maxPacket) {
    if (slot >= capacity || !pending()) {
      return false;
    }
    if (offset == 0 && slot > 0 && datagramsIn(length, segment) > capacity - slot) {
      return false;
    }
    if (length == 0) {
      step(0, 0);
      nextMessage();
      return true;
    }
    int len = Math.min(segment, length - offset); // 1..segment: offset < length, segment >= 1
    step(len, len > maxPacket ? 0 : len);
    offset += len;
    if (offset >= length) {
      nextMessage();
    }
    return true;
  }

  private void enter() {
    if (!entered) {
      length = messages.length(message);
      segment = segmentSize(length, messages.groSegment(message));
      entered = true;
    }
  }

  private void step(int len, int slotLen) {
    datagramMessage = message;
    datagramOffset = offset;
    datagramLength = len;
    slotLength = slotLen;
  }

  private void nextMessage() {
    message++;
    offset = 0;
    entered = false;
  }

  /** The message the datagram is in. */
  int message() {
    return datagramMessage;
  }

  /** Where the datagram starts in its message. */
  int offset() {
    return datagramOffset;
  }

  /** The datagram's length in its message (0: an empty message). */
  int length() {
    return datagramLength;
  }

  /** What the slot gets: the datagram's length, or 0 (dropped) when empty or larger than a slot. */
  int slotLength() {
    return slotLength;
  }

  /**
   * The size of each datagram in a received message of {@code length} bytes for which the kernel
   * reported GRO segment size {@code groSegment} (0 or less: none, the message is one datagram).
   * Never 0 unless the message is empty.
   */
  static int segmentSize(int length, int groSegment) {
    return groSegment > 0 && groSegment < length ? groSegment : length;
  }

  /**
   * How many datagrams (batch slots) a received message holds; an empty one takes one slot. Exact
   * for every int (no overflow near {@code Integer.MAX_VALUE}).
   */
  static int datagramsIn(int length, int segment) {
    if (length <= 0 || segment <= 0) {
      return 1;
    }
    return length / segment + (length % segment == 0 ? 0 : 1);
  }
}
