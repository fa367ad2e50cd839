package io.tunnelier.e2e.controlplane;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throwaway certificate authority for one control plane: the API server's serving certificate,
 * client certificates (the API server trusts this CA for client auth) and the service-account
 * signing key. Fresh per run, so nothing secret is kept on disk beyond the run.
 */
final class Pki {
  /** A certificate with its key, PEM-encoded, as the Kubernetes components read them. */
  record Pem(String certificate, String privateKey) {}

  /** A bare key pair, PEM-encoded. */
  record KeyPairPem(String publicKey, String privateKey) {}

  private static final Duration VALIDITY = Duration.ofDays(30);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair caKey;
  private final X509Certificate caCert;

  private Pki(KeyPair caKey, X509Certificate caCert) {
    this.caKey = caKey;
    this.caCert = caCert;
  }

  static Pki create() {
    KeyPair key = newKey();
    X500Name name = name("tunnelier-e2e-ca", null);
    X509v3CertificateBuilder builder = builder(name, name, key);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
    } catch (CertIOException e) {
      throw new IllegalStateException(e);
    }
    return new Pki(key, sign(builder, key));
  }

  String caPem() {
    return pem(caCert);
  }

  /** Serving certificate for an API server reached as 127.0.0.1/localhost. */
  Pem server(String commonName) {
    GeneralNames sans =
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.dNSName, "kubernetes.default.svc"),
            });
    return issue(name(commonName, null), KeyPurposeId.id_kp_serverAuth, sans);
  }

  /** Client certificate: Kubernetes reads CN as user name and O as group. */
  Pem client(String user, String group) {
    return issue(name(user, group), KeyPurposeId.id_kp_clientAuth, null);
  }

  /** Key pair the API server signs (private) and verifies (public) service-account tokens with. */
  static KeyPairPem signingKey() {
    KeyPair key = newKey();
    return new KeyPairPem(pem(key.getPublic()), privateKeyPem(key));
  }

  /** TLS context trusting only this CA, for probing the API server before any client exists. */
  SSLContext trustingSslContext() {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("ca", caCert);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), RANDOM);
      return ssl;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void write(Path file, String content) {
    try {
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file, e);
    }
  }

  private Pem issue(X500Name subject, KeyPurposeId purpose, GeneralNames sans) {
    KeyPair key = newKey();
    X500Name issuer = X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded());
    X509v3CertificateBuilder builder = builder(issuer, subject, key);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      if (sans != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, sans);
      }
    } catch (CertIOException e) {
      throw new IllegalStateException(e);
    }
    return new Pem(pem(sign(builder, caKey)), privateKeyPem(key));
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair key) {
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(64, RANDOM).abs(),
        Date.from(Instant.now().minus(Duration.ofHours(1))),
        Date.from(Instant.now().plus(VALIDITY)),
        subject,
        key.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X500Name name(String commonName, String organization) {
    X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
    if (organization != null) {
      name.addRDN(BCStyle.O, organization);
    }
    return name.addRDN(BCStyle.CN, commonName).build();
  }

  /** ECDSA P-256: all components accept it, and it is generated ~50x faster than RSA-2048. */
  private static KeyPair newKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * SEC1 "EC PRIVATE KEY" with the curve named inside, as Go's x509.ParseECPrivateKey needs (the
   * JDK's encoding names the curve only in the PKCS#8 wrapper).
   */
  private static String privateKeyPem(KeyPair key) {
    try {
      ECPrivateKey sec1 =
          new ECPrivateKey(
              256,
              ((java.security.interfaces.ECPrivateKey) key.getPrivate()).getS(),
              SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()).getPublicKeyData(),
              SECObjectIdentifiers.secp256r1);
      return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }
}
