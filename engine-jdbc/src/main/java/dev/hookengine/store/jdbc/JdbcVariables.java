package dev.hookengine.store.jdbc;

import static dev.hookengine.store.jdbc.ConcurrentWrites.MAX_RETRIES;
import static dev.hookengine.store.jdbc.ConcurrentWrites.isIntegrityViolation;

import dev.hookengine.model.Secret;
import dev.hookengine.spi.VariableStore;
import dev.hookengine.store.support.StoreArguments;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * The {@link VariableStore} of {@link JdbcWebhookStore}: one row per variable, its value sealed
 * ({@link SecretSealer}). A put updates, and inserts when there was nothing to update; an insert
 * that loses to a concurrent one updates again.
 */
final class JdbcVariables implements VariableStore {

    private final DSLContext ctx;
    private final JdbcTables t;
    private final SecretSealer sealer;

    JdbcVariables(DSLContext ctx, JdbcTables tables, SecretSealer sealer) {
        this.ctx = ctx;
        this.t = tables;
        this.sealer = sealer;
    }

    @Override
    public void putVariable(String orgId, String name, Secret value) {
        StoreArguments.requireVariable(orgId, name, value);
        byte[] sealed = sealer.sealText(value.reveal(), SecretSealer.VARIABLE, orgId, name);
        for (int attempt = 0; ; attempt++) {
            int updated = ctx.update(t.variables)
                    .set(t.vValue, sealed)
                    .where(t.vOrg.eq(orgId), t.vName.eq(name))
                    .execute();
            if (updated > 0) {
                return;
            }
            try {
                ctx.insertInto(t.variables, t.vOrg, t.vName, t.vValue)
                        .values(orgId, name, sealed)
                        .execute();
                return;
            } catch (DataAccessException e) {
                // inserted concurrently: update it
                if (!isIntegrityViolation(e) || attempt >= MAX_RETRIES) {
                    throw e;
                }
            }
        }
    }

    @Override
    public Optional<Secret> findVariable(String orgId, String name) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(name, "name");
        return ctx.select(t.vValue)
                .from(t.variables)
                .where(t.vOrg.eq(orgId), t.vName.eq(name))
                .fetchOptional(t.vValue)
                .map(stored ->
                        Secret.of(sealer.openText(stored, SecretSealer.VARIABLE, orgId, name, "variable " + name)));
    }

    @Override
    public boolean deleteVariable(String orgId, String name) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(name, "name");
        return ctx.deleteFrom(t.variables)
                        .where(t.vOrg.eq(orgId), t.vName.eq(name))
                        .execute()
                > 0;
    }

    @Override
    public List<String> variableNames(String orgId) {
        Objects.requireNonNull(orgId, "orgId");
        return ctx.select(t.vName)
                .from(t.variables)
                .where(t.vOrg.eq(orgId))
                .orderBy(t.vName.asc())
                .fetch(t.vName);
    }
}
