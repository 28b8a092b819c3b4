package dev.hookengine.internal;

import java.security.SecureRandom;

/**
 * Short, URL-safe, unguessable ids: {@value #LENGTH} characters of {@code [0-9a-z]} (about 82 bits),
 * in the spec's style ({@code 7hj28aasgag2gha2}). Unguessable matters: a config id appears in URLs,
 * and must not let one tenant probe for another's.
 */
public final class Ids {

    public static final int LENGTH = 16;

    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private final SecureRandom random;

    public Ids(SecureRandom random) {
        this.random = random;
    }

    /** A new id. */
    public String next() {
        char[] id = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }
}
