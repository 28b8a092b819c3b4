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

    /**
     * SHA-256, looked up once. Every request is authenticated, and {@link MessageDigest#getInstance}
     * searches the security providers and instantiates the implementation reflectively on each call
     * (in the server's profile, as many samples as the hashing itself). This one is never updated:
     * each digest is taken on a clone of it, so it is shared by request threads without a lock.
     */
    private final MessageDigest sha256 = newSha256();

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

    private byte[] digest(String token) {
        return freshSha256().digest(token.getBytes(StandardCharsets.UTF_8));
    }

    private MessageDigest freshSha256() {
        try {
            return (MessageDigest) sha256.clone();
        } catch (CloneNotSupportedException e) {
            // The JDK's SHA-256 can be cloned; a provider's that cannot is looked up each time.
            return newSha256();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
