package dev.hookengine.server;

import dev.hookengine.server.internal.TokenTable;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the bearer token of a request to the organization it acts for: the REST server's one
 * authentication hook. Every route but the public key, {@code /health} and {@code /metrics} asks it.
 *
 * <p>An implementation must be thread-safe and must not throw for an unknown or malformed token:
 * it answers empty, and the server answers 401. It should compare tokens in constant time.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * The organization {@code bearerToken} belongs to.
     *
     * @param bearerToken the token after {@code Bearer }, never {@code null} or blank
     * @return the organization id, or empty when the token is not valid
     */
    Optional<String> organization(String bearerToken);

    /**
     * A fixed table of tokens, each belonging to one organization, compared in constant time.
     *
     * @param organizationByToken token to organization id; neither blank
     * @throws IllegalArgumentException when a token or an organization id is blank
     */
    static Authenticator ofTokens(Map<String, String> organizationByToken) {
        return new TokenTable(organizationByToken);
    }
}
