package dev.hookengine.signing;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair for {@code v1a} signatures: the 32-byte private seed and the 32-byte public key.
 * Its {@code toString} shows only the public key.
 */
public final class Ed25519KeyPair {

    /** Standard Webhooks' prefix of an encoded private key: {@code whsk_} + base64(seed || public key). */
    public static final String SECRET_KEY_PREFIX = "whsk_";

    private final byte[] privateKey;
    private final byte[] publicKey;

    private Ed25519KeyPair(byte[] privateKey, byte[] publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** A new key pair from {@code random}. */
    public static Ed25519KeyPair generate(SecureRandom random) {
        byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
        random.nextBytes(seed);
        return fromPrivateKey(seed);
    }

    /**
     * The key pair of a 32-byte private key (seed); the public key is derived from it.
     *
     * @throws IllegalArgumentException when {@code privateKey} is not 32 bytes
     */
    public static Ed25519KeyPair fromPrivateKey(byte[] privateKey) {
        if (privateKey.length != Ed25519.SECRET_KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 private key has 32 bytes, not " + privateKey.length);
        }
        byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(privateKey, 0, publicKey, 0);
        return new Ed25519KeyPair(privateKey.clone(), publicKey);
    }

    /** The key pair of a base64-encoded 32-byte private key, as {@code SigningKey.privateKey} holds it. */
    public static Ed25519KeyPair fromBase64(String privateKey) {
        return fromPrivateKey(Base64.getDecoder().decode(Objects.requireNonNull(privateKey, "privateKey")));
    }

    /**
     * The key pair of a base64 private key and its base64 public key, as a store keeps them.
     * Derives the public key again and checks it (a scalar multiplication, done once per key and
     * cached by the caller), so that a corrupted row cannot make signatures nobody can verify.
     *
     * @throws IllegalArgumentException when the two halves do not belong together
     */
    public static Ed25519KeyPair fromBase64(String privateKey, String publicKey) {
        Ed25519KeyPair pair = fromBase64(privateKey);
        if (!pair.publicKeyBase64().equals(publicKey)) {
            throw new IllegalArgumentException("the stored public key does not belong to the stored private key");
        }
        return pair;
    }

    /**
     * Decodes Standard Webhooks' {@code whsk_} form: base64 of the seed followed by the public key.
     *
     * @throws IllegalArgumentException when it is malformed or its public half does not match its seed
     */
    public static Ed25519KeyPair fromSecretKey(String secretKey) {
        String encoded =
                secretKey.startsWith(SECRET_KEY_PREFIX) ? secretKey.substring(SECRET_KEY_PREFIX.length()) : secretKey;
        byte[] both = Base64.getDecoder().decode(encoded);
        if (both.length != Ed25519.SECRET_KEY_SIZE + Ed25519.PUBLIC_KEY_SIZE) {
            throw new IllegalArgumentException("a whsk_ key holds 64 bytes, not " + both.length);
        }
        Ed25519KeyPair pair = fromPrivateKey(Arrays.copyOf(both, Ed25519.SECRET_KEY_SIZE));
        if (!Arrays.equals(pair.publicKey, Arrays.copyOfRange(both, Ed25519.SECRET_KEY_SIZE, both.length))) {
            throw new IllegalArgumentException("the public half of the whsk_ key does not match its private half");
        }
        return pair;
    }

    /** The private key (seed), base64. Handle as a secret. */
    public String privateKeyBase64() {
        return Base64.getEncoder().encodeToString(privateKey);
    }

    /** The raw public key, base64. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey);
    }

    /** A copy of the raw 32-byte public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** Signs {@code length} bytes of {@code message} from {@code offset}; 64 bytes. */
    byte[] sign(byte[] message, int offset, int length) {
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(privateKey, 0, publicKey, 0, null, message, offset, length, signature, 0);
        return signature;
    }

    @Override
    public String toString() {
        return "Ed25519KeyPair[public=" + publicKeyBase64() + "]";
    }
}
