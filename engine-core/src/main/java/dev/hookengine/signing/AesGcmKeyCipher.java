package dev.hookengine.signing;

import dev.hookengine.spi.KeyCipher;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The standard {@link KeyCipher}: AES-256-GCM under a 32-byte master key the embedder supplies.
 *
 * <p>Each ciphertext is {@code version (1 byte) || nonce (12 random bytes) || ciphertext || tag (16 bytes)};
 * the context is authenticated as additional data. A wrong key, a wrong context or a changed byte
 * fails decryption with an {@link IllegalStateException}: it never yields a wrong plaintext.
 */
public final class AesGcmKeyCipher implements KeyCipher {

    /** Length of the master key. */
    public static final int KEY_BYTES = 32;

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random;

    private AesGcmKeyCipher(byte[] key, SecureRandom random) {
        this.key = new SecretKeySpec(key, "AES");
        this.random = random;
    }

    /**
     * A cipher under {@code masterKey}.
     *
     * @throws IllegalArgumentException when the key is not 32 bytes
     */
    public static AesGcmKeyCipher of(byte[] masterKey) {
        Objects.requireNonNull(masterKey, "masterKey");
        if (masterKey.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                    "the master key must be " + KEY_BYTES + " bytes, was " + masterKey.length);
        }
        return new AesGcmKeyCipher(masterKey.clone(), new SecureRandom());
    }

    /**
     * A cipher under a base64-encoded 32-byte master key, as configuration usually holds it.
     *
     * @throws IllegalArgumentException when it is not base64 of 32 bytes (the message never shows the key)
     */
    public static AesGcmKeyCipher ofBase64(String masterKey) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder()
                    .decode(Objects.requireNonNull(masterKey, "masterKey").strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the master key is not base64");
        }
        return of(decoded);
    }

    /** A new random master key, base64-encoded, for first-time setup. */
    public static String generateBase64Key(SecureRandom random) {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context);
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = new byte[1 + NONCE_BYTES + sealed.length];
            out[0] = VERSION;
            System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, 1 + NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] context) {
        if (ciphertext.length < 1 + NONCE_BYTES + TAG_BITS / 8 || ciphertext[0] != VERSION) {
            throw new IllegalStateException("not a hookengine AES-GCM ciphertext (version or length)");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    key,
                    new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(ciphertext, 1, 1 + NONCE_BYTES)));
            cipher.updateAAD(context);
            return cipher.doFinal(ciphertext, 1 + NONCE_BYTES, ciphertext.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException(
                    "cannot decrypt a stored secret: the master key is not the one it was encrypted with, or the data was altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    @Override
    public String toString() {
        return "AesGcmKeyCipher[***]";
    }
}
