package dev.hookengine.store.memory;

import static dev.hookengine.store.memory.Locking.locked;

import dev.hookengine.model.Secret;
import dev.hookengine.spi.VariableStore;
import dev.hookengine.store.support.StoreArguments;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link VariableStore} of {@link InMemoryWebhookStore}: each organization's variables in a
 * sorted map, under a lock of their own. Values are kept as they are, unencrypted: they never leave
 * the process.
 */
final class InMemoryVariables implements VariableStore {

    private final ReentrantLock variableLock = new ReentrantLock();
    private final Map<String, TreeMap<String, Secret>> variables = new HashMap<>();

    @Override
    public void putVariable(String orgId, String name, Secret value) {
        StoreArguments.requireVariable(orgId, name, value);
        locked(
                variableLock,
                () -> variables.computeIfAbsent(orgId, org -> new TreeMap<>()).put(name, value));
    }

    @Override
    public Optional<Secret> findVariable(String orgId, String name) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(name, "name");
        return locked(variableLock, () -> {
            TreeMap<String, Secret> ofOrg = variables.get(orgId);
            return Optional.ofNullable(ofOrg == null ? null : ofOrg.get(name));
        });
    }

    @Override
    public boolean deleteVariable(String orgId, String name) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(name, "name");
        return locked(variableLock, () -> {
            TreeMap<String, Secret> ofOrg = variables.get(orgId);
            if (ofOrg == null || ofOrg.remove(name) == null) {
                return false;
            }
            if (ofOrg.isEmpty()) {
                variables.remove(orgId);
            }
            return true;
        });
    }

    @Override
    public List<String> variableNames(String orgId) {
        Objects.requireNonNull(orgId, "orgId");
        return locked(variableLock, () -> {
            TreeMap<String, Secret> ofOrg = variables.get(orgId);
            return ofOrg == null ? List.of() : List.copyOf(ofOrg.keySet());
        });
    }
}
