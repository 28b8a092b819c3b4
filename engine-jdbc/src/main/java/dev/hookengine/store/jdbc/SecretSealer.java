package dev.hookengine.store.jdbc;

import dev.hookengine.spi.KeyCipher;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Seals secrets before they are written and opens them after they are read, with the
 * {@link KeyCipher} the embedder supplies (AES-GCM with {@code AesGcmKeyCipher}). Every part of the
 * store that keeps a secret goes through it, so that the one rule of secrets at rest is kept in one
 * place: each ciphertext is bound to a context naming the kind of row, the organization and the row
 * id, so that a ciphertext copied to another row or column does not decrypt.
 *
 * <p>What is sealed:
 * <ul>
 *   <li>a config: its whole JSON ({@code config_data}), because auth secrets sit at several places in
 *       it and the signing secret beside them; {@code org_id}, {@code id}, {@code event_name},
 *       {@code creation_time} and {@code revision} are plain columns for the queries;</li>
 *   <li>its retired signing secrets: one ciphertext of their JSON ({@code retired_secrets});</li>
 *   <li>an organization variable's value; an Ed25519 private key.</li>
 * </ul>
 * A wrong master key, or an altered row, fails the read with an {@link IllegalStateException} naming
 * the row (never a secret): it never yields a wrong value. Events are not encrypted: they hold
 * payloads and responses as sent and received, no credentials.
 */
final class SecretSealer {

    // The kinds of row are part of every ciphertext's context: renaming one makes its rows unreadable.

    /** A config's JSON. */
    static final String CONFIG = "config";
    /** A config's retired signing secrets. */
    static final String RETIRED_SECRETS = "retired-secrets";
    /** An Ed25519 private key. */
    static final String SIGNING_KEY = "signing-key";
    /** An organization variable's value. */
    static final String VARIABLE = "variable";

    private final KeyCipher cipher;

    SecretSealer(KeyCipher cipher) {
        this.cipher = cipher;
    }

    /** {@code plain} encrypted, bound to row {@code rowId} of kind {@code kind} of organization {@code orgId}. */
    byte[] seal(byte[] plain, String kind, String orgId, String rowId) {
        return cipher.encrypt(plain, context(kind, orgId, rowId));
    }

    /** {@link #seal} of a string's UTF-8 bytes. */
    byte[] sealText(String plain, String kind, String orgId, String rowId) {
        return seal(plain.getBytes(StandardCharsets.UTF_8), kind, orgId, rowId);
    }

    /**
     * Decrypts what {@link #seal} made for the same row, naming the row when it fails (wrong master key
     * or altered data).
     *
     * @param what the row as an error message names it, such as {@code "config cfg-1"}
     * @throws IllegalStateException when the ciphertext does not open under this row's context
     */
    byte[] open(byte[] sealed, String kind, String orgId, String rowId, String what) {
        byte[] context = context(kind, orgId, rowId);
        try {
            return cipher.decrypt(sealed, context);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot decrypt " + what + " of organization " + orgId + ": " + e.getMessage(), e);
        }
    }

    /** {@link #open}, as the string whose UTF-8 bytes were sealed. */
    String openText(byte[] sealed, String kind, String orgId, String rowId, String what) {
        return new String(open(sealed, kind, orgId, rowId, what), StandardCharsets.UTF_8);
    }

    /**
     * The additional data a secret is bound to: a version tag, the kind of row, and each part
     * length-prefixed, so that no two different (kind, org, id) give the same bytes.
     */
    static byte[] context(String kind, String orgId, String rowId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : new String[] {"hookengine-jdbc/1", kind, orgId, rowId}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            out.write(bytes.length >>> 24);
            out.write(bytes.length >>> 16);
            out.write(bytes.length >>> 8);
            out.write(bytes.length);
            out.write(bytes, 0, bytes.length);
        }
        return out.toByteArray();
    }
}
