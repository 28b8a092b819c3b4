package dev.hookengine.spi;

import dev.hookengine.model.Secret;
import java.util.List;
import java.util.Optional;

/**
 * Each organization's own variables, which {@code {{ env.NAME }}} references in URLs, headers and
 * auth fields resolve to at send time. Values are secrets: a store encrypts them at rest where it
 * can, and the engine never returns them.
 *
 * <p>Every method is scoped by organization. Implementations are thread-safe and safe across processes
 * that share the store: every write is atomic. Every argument is required: a {@code null} one throws
 * {@link NullPointerException}.
 */
public interface VariableStore {

    /**
     * Sets a variable, replacing any value it had. Of concurrent puts of one name, one value stays.
     *
     * @throws IllegalArgumentException when {@code value} is {@link Secret#cleared()}: delete instead
     */
    void putVariable(String orgId, String name, Secret value);

    /**
     * The variable's value.
     *
     * @return the value last put, or empty when the organization has no variable of that name
     */
    Optional<Secret> findVariable(String orgId, String name);

    /**
     * Deletes a variable.
     *
     * @return {@code true} when a variable was deleted, {@code false} when there was none
     */
    boolean deleteVariable(String orgId, String name);

    /**
     * Names of the organization's variables.
     *
     * @return sorted; empty when none
     */
    List<String> variableNames(String orgId);
}
