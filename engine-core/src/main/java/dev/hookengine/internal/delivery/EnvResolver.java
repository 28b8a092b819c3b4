package dev.hookengine.internal.delivery;

import dev.hookengine.internal.EnvReferences;
import dev.hookengine.model.Secret;
import dev.hookengine.spi.VariableStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves {@code {{ env.NAME }}} references at send time from one organization's own variables,
 * never from the process environment (that would hand a tenant the server's secrets). One instance
 * serves one delivery attempt and reads each variable once.
 */
final class EnvResolver {

    private final VariableStore variables;
    private final String orgId;
    private final Map<String, Optional<Secret>> read = new HashMap<>();

    EnvResolver(VariableStore variables, String orgId) {
        this.variables = variables;
        this.orgId = orgId;
    }

    /**
     * {@code value} with every reference replaced by its variable's value.
     *
     * @throws MissingVariableException naming the first variable the organization does not have
     */
    String resolve(String value) {
        if (value == null || !EnvReferences.containsReference(value)) {
            return value;
        }
        // One pass over the original text: a variable's value is never itself read as a reference.
        return EnvReferences.replaceEach(
                value,
                name -> read.computeIfAbsent(name, n -> variables.findVariable(orgId, n))
                        .orElseThrow(() -> new MissingVariableException(name))
                        .reveal());
    }

    /**
     * A referenced variable does not exist in the organization; the delivery fails, naming it
     * ({@link dev.hookengine.OutcomeCode#MISSING_VARIABLE}).
     */
    static final class MissingVariableException extends RuntimeException {
        MissingVariableException(String name) {
            super("variable '" + name + "' referenced as {{ env." + name + " }} is not set for the organization");
        }
    }
}
