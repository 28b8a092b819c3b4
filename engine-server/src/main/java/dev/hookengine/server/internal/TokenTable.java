package dev.hookengine.server.internal;

import dev.hookengine.server.Authenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Authenticator#ofTokens}: a fixed token table. Tokens are kept as SHA-256 digests and every
 * lookup compares against all of them with {@link MessageDigest#isEqual}, so neither the time taken
 * nor an early exit tells a caller how close its guess was.
 */
public final class TokenTable implements Authenticator {

    private record Entry(byte[] digest, String organization) {}

    private final List<Entry> entries;

    public TokenTable(Map<String, String> organizationByToken) {
        this.entries = organizationByToken.entrySet().stream()
                .map(entry -> {
                    if (entry.getKey() == null || entry.getKey().isBlank()) {
                        throw new IllegalArgumentException("an API token must not be blank");
                    }
                    if (entry.getValue() == null || entry.getValue().isBlank()) {
                        throw new IllegalArgumentException("the organization of an API token must not be blank");
                    }
                    return new Entry(digest(entry.getKey()), entry.getValue());
                })
                .toList();
    }

    @Override
    public Optional<String> organization(String bearerToken) {
        byte[] presented = digest(bearerToken);
        String found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), presented) && found == null) {
                found = entry.organization();
            }
        }
        return Optional.ofNullable(found);
    }

    @Override
    public String toString() {
        // Never the tokens: this may be logged with the server's settings.
        return "TokenTable[" + entries.size() + " tokens]";
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
