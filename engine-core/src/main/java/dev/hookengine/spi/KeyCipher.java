package dev.hookengine.spi;

/**
 * Encrypts secrets at rest: the auth secrets and signing secrets of configs, organization
 * variables, Ed25519 private keys. A store that writes them somewhere durable (the JDBC store)
 * seals them with a cipher the embedder supplies; {@code AesGcmKeyCipher} is the standard one.
 *
 * <p>Implementations are thread-safe, authenticate what they decrypt, and never log or put key
 * material or plaintext in exception messages.
 */
public interface KeyCipher {

    /**
     * Encrypts {@code plaintext}, bound to {@code context} (for example the organization and row it
     * belongs to), so that a ciphertext copied to another row does not decrypt.
     *
     * @return everything needed to decrypt with the same key and context
     */
    byte[] encrypt(byte[] plaintext, byte[] context);

    /**
     * Decrypts what {@link #encrypt} made with the same key and context.
     *
     * @throws IllegalStateException when the key is not the one that encrypted, the context differs
     *                               or the ciphertext was altered: never a wrong plaintext
     */
    byte[] decrypt(byte[] ciphertext, byte[] context);
}
