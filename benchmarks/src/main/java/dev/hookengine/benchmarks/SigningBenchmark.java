package dev.hookengine.benchmarks;

import dev.hookengine.signing.Ed25519KeyPair;
import dev.hookengine.signing.HmacKey;
import dev.hookengine.signing.SigningSecrets;
import dev.hookengine.signing.WebhookSigner;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Signing one 1 KiB message the Standard Webhooks way: {@code v1} (HMAC-SHA256) and {@code v1a}
 * (Ed25519 through BouncyCastle's low-level implementation), each producing the full header value,
 * and for comparison the same Ed25519 signature through the JDK's {@code Signature} provider.
 *
 * <p>DESIGN budgets ("Quality bars"): {@code v1} of 1 KiB about 1 µs; {@code v1a} about 40 µs; and
 * "the JDK's is ~17x slower to sign", which {@link #v1aJdk} checks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SigningBenchmark {

    private static final String MESSAGE_ID = "msg_2Lf8d0pCqK4xY7cS9vNwQb1Ze3";
    private static final long TIMESTAMP = 1_764_230_400L;
    /** The DER PKCS#8 header of an Ed25519 private key (RFC 8410), followed by the 32-byte seed. */
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private final WebhookSigner signer = new WebhookSigner();
    private byte[] body;
    private List<HmacKey> hmac;
    private List<Ed25519KeyPair> ed25519;
    private byte[] content;
    private Signature jdk;

    @Setup
    public void setUp() throws Exception {
        SecureRandom random = new SecureRandom();
        body = new byte[1024];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        hmac = List.of(HmacKey.fromSecret(SigningSecrets.generate(random, 32)));
        Ed25519KeyPair pair = Ed25519KeyPair.generate(random);
        ed25519 = List.of(pair);

        byte[] seed = Base64.getDecoder().decode(pair.privateKeyBase64());
        byte[] pkcs8 = new byte[PKCS8_PREFIX.length + seed.length];
        System.arraycopy(PKCS8_PREFIX, 0, pkcs8, 0, PKCS8_PREFIX.length);
        System.arraycopy(seed, 0, pkcs8, PKCS8_PREFIX.length, seed.length);
        PrivateKey privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        jdk = Signature.getInstance("Ed25519");
        jdk.initSign(privateKey);
        String prefix = MESSAGE_ID + "." + TIMESTAMP + ".";
        content = new byte[prefix.length() + body.length];
        System.arraycopy(prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, content, 0, prefix.length());
        System.arraycopy(body, 0, content, prefix.length(), body.length);

        // Both providers must produce the same signature (Ed25519 is deterministic).
        String ours =
                signer.sign(MESSAGE_ID, TIMESTAMP, body, ed25519, List.of()).substring("v1a,".length());
        String theirs = Base64.getEncoder().encodeToString(v1aJdk());
        if (!ours.equals(theirs)) {
            throw new IllegalStateException("BouncyCastle and the JDK disagree on the signature");
        }
    }

    @Benchmark
    public String v1() {
        return signer.sign(MESSAGE_ID, TIMESTAMP, body, List.of(), hmac);
    }

    @Benchmark
    public String v1a() {
        return signer.sign(MESSAGE_ID, TIMESTAMP, body, ed25519, List.of());
    }

    @Benchmark
    public String both() {
        return signer.sign(MESSAGE_ID, TIMESTAMP, body, ed25519, hmac);
    }

    /** The JDK's Ed25519 on the same signed content, for comparison with {@link #v1a}. */
    @Benchmark
    public byte[] v1aJdk() throws Exception {
        jdk.update(content);
        return jdk.sign();
    }
}
