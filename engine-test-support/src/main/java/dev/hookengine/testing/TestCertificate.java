package dev.hookengine.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * A self-signed TLS certificate made by the test that uses it, for an https {@link TestReceiver}: its
 * {@link #keyStore()} for the receiver, its {@link #trustStore()} for the sender. Nothing is read from
 * or written to disk, and nothing outside the test trusts it.
 *
 * <p>Made with BouncyCastle's ASN.1 classes (bcprov, already the engine's dependency) and signed by
 * the JDK's ECDSA: the certificate is a plain X.509 v3 one, P-256, valid from an hour ago for a day,
 * with each name as a subject alternative name (an IP literal as an {@code iPAddress}, anything else
 * as a {@code dNSName}), which is what the JDK's hostname verification reads.
 *
 * @param certificate the certificate
 * @param key         its private key
 * @param hosts       the names it is for
 */
public record TestCertificate(X509Certificate certificate, PrivateKey key, List<String> hosts) {

    /** The password of both key stores; they never leave the test's memory. */
    public static final char[] PASSWORD = "hookengine-test".toCharArray();

    public TestCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        hosts = List.copyOf(hosts);
    }

    /** A certificate for {@code 127.0.0.1} and {@code localhost}: what a test's https receiver answers as. */
    public static TestCertificate forLoopback() {
        return forHosts("127.0.0.1", "localhost");
    }

    /** A fresh certificate and key for these names (IP literals or host names), at least one. */
    public static TestCertificate forHosts(String... hosts) {
        if (hosts.length == 0) {
            throw new IllegalArgumentException("a certificate needs at least one host");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair pair = generator.generateKeyPair();
            return new TestCertificate(selfSigned(pair, hosts), pair.getPrivate(), Arrays.asList(hosts));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not make a test certificate", e);
        }
    }

    /** A PKCS#12 store with the key and its certificate, for a server; password {@link #PASSWORD}. */
    public KeyStore keyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("receiver", key, PASSWORD, new Certificate[] {certificate});
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not build the key store", e);
        }
    }

    /** A PKCS#12 store trusting this certificate alone, for a client. */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("receiver", certificate);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not build the trust store", e);
        }
    }

    private static X509Certificate selfSigned(KeyPair pair, String... hosts)
            throws GeneralSecurityException, IOException {
        AlgorithmIdentifier algorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
        X500Name name = new X500Name("CN=" + hosts[0]);
        Instant now = Instant.now();
        V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
        tbs.setSerialNumber(new ASN1Integer(new BigInteger(64, new SecureRandom())));
        tbs.setSignature(algorithm);
        tbs.setIssuer(name);
        tbs.setSubject(name);
        tbs.setStartDate(new Time(Date.from(now.minus(Duration.ofHours(1)))));
        tbs.setEndDate(new Time(Date.from(now.plus(Duration.ofDays(1)))));
        tbs.setSubjectPublicKeyInfo(
                SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()));
        GeneralName[] names = Arrays.stream(hosts)
                .map(host -> new GeneralName(isIpLiteral(host) ? GeneralName.iPAddress : GeneralName.dNSName, host))
                .toArray(GeneralName[]::new);
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        tbs.setExtensions(extensions.generate());
        TBSCertificate toSign = tbs.generateTBSCertificate();

        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        signer.update(toSign.getEncoded(ASN1Encoding.DER));
        ASN1EncodableVector certificate = new ASN1EncodableVector();
        certificate.add(toSign);
        certificate.add(algorithm);
        certificate.add(new DERBitString(signer.sign()));
        byte[] der = new DERSequence(certificate).getEncoded(ASN1Encoding.DER);
        return (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }
}
