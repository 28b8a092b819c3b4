package dev.hookengine.spi;

import dev.hookengine.model.Secret;
import java.util.List;
import java.util.Optional;

/**
 * Each organization's own variables, which {@code {{ env.NAME }}} references in URLs, headers and
 * auth fields resolve to at send time. Values are secrets: a store encrypts them at rest where it
 * can, and the engine never returns them.
 *
 * <p>Every method is scoped by organization. Implementations are thread-safe.
 */
public interface VariableStore {

    /**
     * Sets a variable, replacing any value it had.
     *
     * @throws IllegalArgumentException when {@code value} is {@link Secret#cleared()}: delete instead
     */
    void putVariable(String orgId, String name, Secret value);

    /** The variable's value, or empty when the organization has no variable of that name. */
    Optional<Secret> findVariable(String orgId, String name);

    /** @return {@code true} when a variable was deleted, {@code false} when there was none */
    boolean deleteVariable(String orgId, String name);

    /** Names of the organization's variables, sorted; empty when none. */
    List<String> variableNames(String orgId);
}
