package io.tunnelier.agent.datapath.gre;

/**
 * The fields of one parsed GRE header (RFC 2784 with RFC 2890's key and sequence number). Mutable
 * and reused by a packet loop, so decoding allocates nothing.
 */
public final class GreHeader {
  public static final int PROTOCOL_IPV4 = 0x0800;
  public static final int PROTOCOL_IPV6 = 0x86DD;

  /** C: checksum present (RFC 2784). */
  public static final int FLAG_CHECKSUM = 0x8000;

  /** R: routing present (RFC 1701); must be 0 (RFC 2784). */
  public static final int FLAG_ROUTING = 0x4000;

  /** K: key present (RFC 2890). */
  public static final int FLAG_KEY = 0x2000;

  /** S: sequence number present (RFC 2890). */
  public static final int FLAG_SEQUENCE = 0x1000;

  /** s: strict source route (RFC 1701); must be 0. */
  public static final int FLAG_STRICT_ROUTE = 0x0800;

  /** The high bit of RFC 1701's recursion control, the last of bits 1-5; must be 0. */
  public static final int FLAG_RECURSION_HIGH = 0x0400;

  /** Bits 6-12: reserved, sent as zero and ignored on receipt (RFC 2784 2.3). */
  public static final int RESERVED0_IGNORED = 0x03F8;

  public static final int VERSION_MASK = 0x0007;

  /** The base header: flags and version, protocol type. */
  public static final int BASE_LENGTH = 4;

  public int protocol;
  public boolean hasChecksum;
  public boolean hasKey;
  public boolean hasSequence;

  /** The key as an unsigned 32-bit value, when {@link #hasKey}. */
  public long key;

  /** The sequence number as an unsigned 32-bit value, when {@link #hasSequence}. */
  public long sequence;

  /** Header length in bytes: 4, plus 4 for each of checksum, key, sequence. */
  public int length;

  /** Header length for the given optional fields. */
  public static int length(boolean checksum, boolean key, boolean sequence) {
    return BASE_LENGTH + (checksum ? 4 : 0) + (key ? 4 : 0) + (sequence ? 4 : 0);
  }
}
