package dev.hookengine.internal.config;

import dev.hookengine.FieldError;
import dev.hookengine.ValidationException;
import dev.hookengine.internal.EnvReferences;
import dev.hookengine.model.Secret;
import dev.hookengine.spi.VariableStore;
import java.util.List;

/**
 * The organization variables that {@code {{ env.NAME }}} references in configs resolve to at send
 * time: set, deleted and listed by name. Values are written only; nothing here ever reads one back.
 *
 * <p>A value may hold no control character but tab ({@link HeaderRules#isValidValue}): any variable
 * may be referenced from a header value, an auth field or a URL, where a line break would let a tenant
 * inject headers, and a value is written long before (and apart from) the configs that use it. A
 * multi-line text belongs in the payload, not in a variable. Values resolved at send time are checked
 * again, for variables stored before this rule.
 */
public final class OrgVariables {

    private final VariableStore store;

    public OrgVariables(VariableStore store) {
        this.store = store;
    }

    /**
     * Sets {@code name} to {@code value}.
     *
     * @throws ValidationException when the name is not a valid variable name, or the value is missing or
     *                             holds a control character other than tab
     */
    public void put(String orgId, String name, String value) {
        ConfigService.requireOrg(orgId);
        if (!EnvReferences.isValidName(name)) {
            throw new ValidationException(
                    "variable",
                    new FieldError(
                            "name",
                            "must be a letter or underscore followed by letters, digits or underscores, at most 128"));
        }
        if (value == null) {
            throw new ValidationException("variable", new FieldError("value", "is required"));
        }
        if (!HeaderRules.isValidValue(value)) { // never echoed: a value may be a secret
            throw new ValidationException("variable", new FieldError("value", ConfigValidator.CONTROL_CHARACTERS));
        }
        store.putVariable(orgId, name, Secret.of(value));
    }

    /** Deletes {@code name}; {@code false} when there was none. */
    public boolean delete(String orgId, String name) {
        ConfigService.requireOrg(orgId);
        return store.deleteVariable(orgId, name);
    }

    /** The names of the organization's variables, sorted. */
    public List<String> names(String orgId) {
        ConfigService.requireOrg(orgId);
        return store.variableNames(orgId);
    }
}
