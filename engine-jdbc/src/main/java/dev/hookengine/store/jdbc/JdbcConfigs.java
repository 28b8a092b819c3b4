package dev.hookengine.store.jdbc;

import static dev.hookengine.store.jdbc.ConcurrentWrites.isIntegrityViolation;
import static dev.hookengine.store.jdbc.JdbcTables.millis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.hookengine.model.Secret;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.ConfigStore;
import dev.hookengine.spi.RetiredSecret;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.store.support.StoreArguments;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;

/**
 * The {@link ConfigStore} of {@link JdbcWebhookStore}: one row per config, its JSON sealed whole
 * ({@link SecretSealer}), beside the plain columns the queries need. A replace is an
 * {@code UPDATE ... WHERE revision = expected}, so that of two writers of one revision the database
 * lets one win; a rotation locks the row ({@code SELECT ... FOR UPDATE}) for its read-modify-write.
 */
final class JdbcConfigs implements ConfigStore {

    private final DSLContext ctx;
    private final JdbcTables t;
    private final SecretSealer sealer;
    private final ObjectMapper mapper;
    private final JdbcRatePermits permits;

    JdbcConfigs(DSLContext ctx, JdbcTables tables, SecretSealer sealer, ObjectMapper mapper, JdbcRatePermits permits) {
        this.ctx = ctx;
        this.t = tables;
        this.sealer = sealer;
        this.mapper = mapper;
        this.permits = permits;
    }

    @Override
    public boolean insertConfig(String orgId, WebhookConfig config) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(config.id(), "config.id");
        try {
            ctx.insertInto(t.configs, t.cOrg, t.cId, t.cEventName, t.cCreationTime, t.cRevision, t.cData)
                    .values(
                            orgId,
                            config.id(),
                            config.eventName(),
                            millis(config.creationTime()),
                            1L,
                            sealConfig(orgId, config))
                    .execute();
            return true;
        } catch (DataAccessException e) {
            if (isIntegrityViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<StoredConfig> findConfig(String orgId, String configId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(configId, "configId");
        return ctx.select(t.cOrg, t.cId, t.cRevision, t.cData, t.cRetired)
                .from(t.configs)
                .where(t.cOrg.eq(orgId), t.cId.eq(configId))
                .fetchOptional()
                .map(this::toStoredConfig);
    }

    @Override
    public List<StoredConfig> listConfigs(String orgId, String eventName) {
        Objects.requireNonNull(orgId, "orgId");
        Condition condition = t.cOrg.eq(orgId);
        if (eventName != null) {
            condition = condition.and(t.cEventName.eq(eventName));
        }
        return ctx.select(t.cOrg, t.cId, t.cRevision, t.cData, t.cRetired)
                .from(t.configs)
                .where(condition)
                .orderBy(t.cCreationTime.asc().nullsLast(), t.cId.asc())
                .fetch(this::toStoredConfig);
    }

    @Override
    public Optional<StoredConfig> replaceConfig(String orgId, WebhookConfig config, long expectedRevision) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(config.id(), "config.id");
        byte[] sealed = sealConfig(orgId, config);
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            int updated = tx.update(t.configs)
                    .set(t.cData, sealed)
                    .set(t.cEventName, config.eventName())
                    .set(t.cCreationTime, millis(config.creationTime()))
                    .set(t.cRevision, expectedRevision + 1)
                    .where(t.cOrg.eq(orgId), t.cId.eq(config.id()), t.cRevision.eq(expectedRevision))
                    .execute();
            if (updated == 0) {
                return Optional.empty();
            }
            byte[] retired = tx.select(t.cRetired)
                    .from(t.configs)
                    .where(t.cOrg.eq(orgId), t.cId.eq(config.id()))
                    .fetchOne(t.cRetired);
            return Optional.of(
                    new StoredConfig(orgId, config, expectedRevision + 1, openRetired(orgId, config.id(), retired)));
        });
    }

    @Override
    public Optional<StoredConfig> rotateSigningSecret(
            String orgId, String configId, Secret newSecret, Instant previousExpiresAt, Instant now) {
        StoreArguments.requireSecretRotation(orgId, configId, newSecret, previousExpiresAt, now);
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Optional<StoredConfig> found = tx.select(t.cOrg, t.cId, t.cRevision, t.cData, t.cRetired)
                    .from(t.configs)
                    .where(t.cOrg.eq(orgId), t.cId.eq(configId))
                    .forUpdate()
                    .fetchOptional()
                    .map(this::toStoredConfig);
            if (found.isEmpty()) {
                return Optional.<StoredConfig>empty();
            }
            StoredConfig current = found.get();
            List<RetiredSecret> retired = new ArrayList<>();
            Secret previous = current.config().signingSecret();
            if (previous != null && !previous.isCleared()) {
                retired.add(new RetiredSecret(previous, previousExpiresAt));
            }
            current.retiredSecrets().stream()
                    .filter(secret -> secret.isActiveAt(now))
                    .forEach(retired::add);
            WebhookConfig rotated =
                    current.config().toBuilder().signingSecret(newSecret).build();
            long revision = current.revision() + 1;
            tx.update(t.configs)
                    .set(t.cData, sealConfig(orgId, rotated))
                    .set(t.cRetired, sealRetired(orgId, configId, retired))
                    .set(t.cRevision, revision)
                    .where(t.cOrg.eq(orgId), t.cId.eq(configId))
                    .execute();
            return Optional.of(new StoredConfig(orgId, rotated, revision, retired));
        });
    }

    @Override
    public boolean deleteConfig(String orgId, String configId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(configId, "configId");
        // the config and its rate permits go together
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            boolean deleted = tx.deleteFrom(t.configs)
                            .where(t.cOrg.eq(orgId), t.cId.eq(configId))
                            .execute()
                    > 0;
            if (deleted) {
                permits.forget(tx, orgId, configId);
            }
            return deleted;
        });
    }

    private StoredConfig toStoredConfig(Record record) {
        String orgId = record.get(t.cOrg);
        String id = record.get(t.cId);
        byte[] plain = sealer.open(record.get(t.cData), SecretSealer.CONFIG, orgId, id, "config " + id);
        WebhookConfig config;
        try {
            config = mapper.readValue(plain, WebhookConfig.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("config " + id + " of organization " + orgId + " is not readable JSON", e);
        }
        return new StoredConfig(orgId, config, record.get(t.cRevision), openRetired(orgId, id, record.get(t.cRetired)));
    }

    private byte[] sealConfig(String orgId, WebhookConfig config) {
        try {
            return sealer.seal(mapper.writeValueAsBytes(config), SecretSealer.CONFIG, orgId, config.id());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("config " + config.id() + " cannot be written as JSON", e);
        }
    }

    private byte[] sealRetired(String orgId, String configId, List<RetiredSecret> retired) {
        if (retired.isEmpty()) {
            return null;
        }
        ArrayNode array = mapper.createArrayNode();
        for (RetiredSecret secret : retired) {
            array.addObject()
                    .put("secret", secret.secret().reveal())
                    .put("expires_at", secret.expiresAt().toEpochMilli());
        }
        try {
            return sealer.seal(mapper.writeValueAsBytes(array), SecretSealer.RETIRED_SECRETS, orgId, configId);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("retired secrets cannot be written as JSON", e);
        }
    }

    private List<RetiredSecret> openRetired(String orgId, String configId, byte[] sealed) {
        if (sealed == null) {
            return List.of();
        }
        byte[] plain = sealer.open(
                sealed, SecretSealer.RETIRED_SECRETS, orgId, configId, "retired signing secrets of config " + configId);
        try {
            List<RetiredSecret> retired = new ArrayList<>();
            for (JsonNode node : mapper.readTree(plain)) {
                retired.add(new RetiredSecret(
                        Secret.of(node.get("secret").asText()),
                        Instant.ofEpochMilli(node.get("expires_at").asLong())));
            }
            return retired;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("retired secrets of config " + configId + " are not readable JSON", e);
        }
    }
}
