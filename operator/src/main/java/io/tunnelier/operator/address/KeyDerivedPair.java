package io.tunnelier.operator.address;

import io.tunnelier.api.keys.X25519Keys;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.TunnelSpec;
import io.tunnelier.api.v1alpha1.TunnelType;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The inner /31 of a WireGuard site-to-site tunnel, derived from both ends' public keys. The two
 * clusters run separate operators with separate pools, so neither can allocate a pair the other
 * knows about; both know both public keys (the user exchanges them), so both compute the same /31
 * from them, each taking its own half. Pure.
 *
 * <p>The pair's index in the pool is the first 8 bytes of SHA-256(lower key || higher key), raw
 * 32-byte keys ordered by unsigned lexicographic comparison, read as an unsigned number, modulo the
 * number of /31 pairs in the pool. The end with the lower key takes the even address, the other end
 * the odd one. Both clusters must use the same {@code siteToSiteAddressPool}.
 */
public final class KeyDerivedPair {
  private KeyDerivedPair() {}

  /**
   * Whether a Tunnel's addresses come from the keys: SiteToSite over WireGuard without {@code
   * spec.address}. GRE has no keys: there, the CRD requires spec.address.
   */
  public static boolean appliesTo(TunnelSpec spec) {
    return spec.getType() == TunnelType.SITE_TO_SITE
        && spec.getEncapsulation() == Encapsulation.WIREGUARD
        && (spec.getAddress() == null || spec.getAddress().isBlank());
  }

  /**
   * This end's addresses, or why there are none yet.
   *
   * @param ownPublicKey this end's public key (base64); null while its keys Secret does not exist
   * @param peerPublicKey {@code spec.peer.publicKey} (base64); null or blank when not given
   * @return {@link Assignment.Assigned}, {@link Assignment.PeerPublicKeyMissing} or {@link
   *     Assignment.WaitingForKeys}
   */
  public static Assignment assign(Cidr pool, String ownPublicKey, String peerPublicKey) {
    if (peerPublicKey == null || peerPublicKey.isBlank()) {
      return new Assignment.PeerPublicKeyMissing(false);
    }
    if (ownPublicKey == null) {
      return new Assignment.WaitingForKeys();
    }
    byte[] own = X25519Keys.publicKeyBytes(ownPublicKey);
    byte[] peer = X25519Keys.publicKeyBytes(peerPublicKey);
    if (Arrays.equals(own, peer)) {
      // Both ends would claim the same half: the user copied this end's key, not the other's.
      return new Assignment.PeerPublicKeyMissing(true);
    }
    return new Assignment.Assigned(derive(pool, own, peer));
  }

  /**
   * This end's pair: {@code local} is this end's address, {@code peer} the other end's. The other
   * cluster, calling this with the keys swapped, gets the mirror image.
   *
   * @param pool the site-to-site pool (its network is used)
   * @param ownPublicKey this end's raw 32-byte public key
   * @param peerPublicKey the other end's raw 32-byte public key, different from {@code
   *     ownPublicKey}
   */
  public static AddressPair derive(Cidr pool, byte[] ownPublicKey, byte[] peerPublicKey) {
    int order = Arrays.compareUnsigned(ownPublicKey, peerPublicKey);
    if (order == 0) {
      throw new IllegalArgumentException("both ends have the same public key");
    }
    boolean ownIsLower = order < 0;
    long index =
        Long.remainderUnsigned(
            pairHash(
                ownIsLower ? ownPublicKey : peerPublicKey,
                ownIsLower ? peerPublicKey : ownPublicKey),
            pool.addressCount() / 2);
    AddressPair even = AddressPair.ofPoolIndex(pool, index);
    return ownIsLower ? even : new AddressPair(even.peer(), even.local());
  }

  /** The first 8 bytes of SHA-256(lower || higher), big-endian. */
  private static long pairHash(byte[] lower, byte[] higher) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    sha256.update(lower);
    sha256.update(higher);
    return ByteBuffer.wrap(sha256.digest()).getLong();
  }
}
