package dev.hookengine.store.jdbc;

import static dev.hookengine.store.jdbc.ConcurrentWrites.isIntegrityViolation;
import static dev.hookengine.store.jdbc.JdbcTables.millis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.hookengine.model.ConfigControls;
import dev.hookengine.model.Secret;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.ConfigStore;
import dev.hookengine.spi.DeliveryQueue;
import dev.hookengine.spi.FailingConfig;
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
            ctx.insertInto(t.configs, t.cOrg, t.cId, t.cEventName, t.cCreationTime, t.cRevision, t.cData, t.cEnabled)
                    .values(
                            orgId,
                            config.id(),
                            config.eventName(),
                            millis(config.creationTime()),
                            1L,
                            sealConfig(orgId, config),
                            enabled(config))
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
        return ctx.select(t.cOrg, t.cId, t.cRevision, t.cData, t.cRetired, t.cControls)
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
        return ctx.select(t.cOrg, t.cId, t.cRevision, t.cData, t.cRetired, t.cControls)
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
            // Whether this enables a disabled config, read under the row's lock, which the update takes
            // anyway (locks in the order config row, then health row: see V7__config_health.sql). A
            // config not written since V7 (enabled NULL) was never disabled by the engine's sweep: its
            // health is kept.
            boolean enabling = enabled(config)
                    && tx.select(t.cEnabled)
                            .from(t.configs)
                            .where(t.cOrg.eq(orgId), t.cId.eq(config.id()), t.cRevision.eq(expectedRevision))
                            .forUpdate()
                            .fetchOptional(t.cEnabled)
                            .map(Boolean.FALSE::equals)
                            .orElse(false);
            int updated = tx.update(t.configs)
                    .set(t.cData, sealed)
                    .set(t.cEventName, config.eventName())
                    .set(t.cCreationTime, millis(config.creationTime()))
                    .set(t.cRevision, expectedRevision + 1)
                    .set(t.cEnabled, enabled(config))
                    .where(t.cOrg.eq(orgId), t.cId.eq(config.id()), t.cRevision.eq(expectedRevision))
                    .execute();
            if (updated == 0) {
                return Optional.empty();
            }
            if (enabling) {
                // enabled again: its health starts over, so that no sweep disables it for the old streak
                tx.update(t.configHealth)
                        .setNull(t.hFailingSince)
                        .set(t.hFailedAttempts, 0)
                        .where(t.hOrg.eq(orgId), t.hConfig.eq(config.id()))
                        .execute();
            }
            Record kept = tx.select(t.cRetired, t.cControls)
                    .from(t.configs)
                    .where(t.cOrg.eq(orgId), t.cId.eq(config.id()))
                    .fetchOne();
            return Optional.of(new StoredConfig(
                    orgId,
                    config,
                    expectedRevision + 1,
                    openRetired(orgId, config.id(), kept.get(t.cRetired)),
                    readControls(kept.get(t.cControls))));
        });
    }

    @Override
    public Optional<StoredConfig> rotateSigningSecret(
            String orgId, String configId, Secret newSecret, Instant previousExpiresAt, Instant now) {
        StoreArguments.requireSecretRotation(orgId, configId, newSecret, previousExpiresAt, now);
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Optional<StoredConfig> found = tx.select(t.cOrg, t.cId, t.cRevision, t.cData, t.cRetired, t.cControls)
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
            return Optional.of(new StoredConfig(orgId, rotated, revision, retired, current.controls()));
        });
    }

    /**
     * One transaction: the compare-and-set on the revision, then, when the pause changes, the move of
     * the config's jobs. A job appended by a node that had not seen the pause yet is kept from claims
     * by the claim's own condition on {@code paused}, and made due by the resume like the parked ones
     * (it is due already).
     */
    @Override
    public Optional<StoredConfig> replaceControls(
            String orgId, String configId, ConfigControls controls, long expectedRevision, Instant now) {
        StoreArguments.requireControls(orgId, configId, controls, now);
        String json = writeControls(controls);
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Optional<StoredConfig> found = tx.select(t.cOrg, t.cId, t.cRevision, t.cData, t.cRetired, t.cControls)
                    .from(t.configs)
                    .where(t.cOrg.eq(orgId), t.cId.eq(configId), t.cRevision.eq(expectedRevision))
                    .forUpdate()
                    .fetchOptional()
                    .map(this::toStoredConfig);
            if (found.isEmpty()) {
                return Optional.<StoredConfig>empty();
            }
            StoredConfig current = found.get();
            tx.update(t.configs)
                    .set(t.cControls, json)
                    .set(t.cPaused, controls.paused())
                    .set(t.cRevision, expectedRevision + 1)
                    .where(t.cOrg.eq(orgId), t.cId.eq(configId))
                    .execute();
            if (controls.paused() && !current.controls().paused()) {
                parkJobs(tx, orgId, configId, now);
            } else if (!controls.paused() && current.controls().paused()) {
                unparkJobs(tx, orgId, configId, now);
            }
            return Optional.of(new StoredConfig(
                    orgId, current.config(), expectedRevision + 1, current.retiredSecrets(), controls));
        });
    }

    /** Parks the config's queued jobs that no live lease holds. */
    private void parkJobs(DSLContext tx, String orgId, String configId, Instant now) {
        long nowMillis = now.toEpochMilli();
        tx.update(t.jobs)
                .set(t.jDueAt, DeliveryQueue.PARKED.toEpochMilli())
                .where(t.jOrg.eq(orgId), t.jConfig.eq(configId))
                .and(t.jLeaseToken.isNull().or(t.jLeaseExpiresAt.le(nowMillis)))
                .execute();
    }

    /**
     * Makes the config's parked jobs, and its unleased ones due already, due at {@code now}: one due
     * time, so that their {@code seq} alone orders them.
     */
    private void unparkJobs(DSLContext tx, String orgId, String configId, Instant now) {
        long nowMillis = now.toEpochMilli();
        tx.update(t.jobs)
                .set(t.jDueAt, nowMillis)
                .where(t.jOrg.eq(orgId), t.jConfig.eq(configId))
                .and(t.jDueAt.eq(DeliveryQueue.PARKED.toEpochMilli()).or(t.jDueAt.le(nowMillis)))
                .and(t.jLeaseToken.isNull().or(t.jLeaseExpiresAt.le(nowMillis)))
                .execute();
    }

    @Override
    public boolean deleteConfig(String orgId, String configId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(configId, "configId");
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            if (tx.deleteFrom(t.configs)
                            .where(t.cOrg.eq(orgId), t.cId.eq(configId))
                            .execute()
                    == 0) {
                return false;
            }
            // a paused config's parked jobs go to the workers, which end them: the config is gone;
            // its rate permits go with it
            unparkJobs(tx, orgId, configId, Instant.EPOCH);
            permits.forget(tx, orgId, configId);
            tx.deleteFrom(t.configHealth)
                    .where(t.hOrg.eq(orgId), t.hConfig.eq(configId))
                    .execute();
            return true;
        });
    }

    /**
     * One indexed read of the health table joined with the configs, disabled ones left out in SQL; a
     * config not written since script V7 (its {@code enabled} NULL) is opened to see. The read asks for
     * more rows than {@code limit} only by those it may have to drop, which are few: a disabled config
     * keeps its health but not its {@code enabled} NULL past its next write.
     */
    @Override
    public List<FailingConfig> failingConfigs(Instant failingSince, int minAttempts, int limit) {
        StoreArguments.requireFailingConfigs(failingSince, minAttempts, limit);
        List<FailingConfig> found = new ArrayList<>();
        int offset = 0;
        while (found.size() < limit) {
            int wanted = limit - found.size();
            org.jooq.Result<Record> rows = ctx.resultQuery(
                            "SELECT h.org_id, h.config_id, h.failing_since, h.failed_attempts, c.enabled, c.config_data"
                                    + " FROM " + t.prefix + "config_health h JOIN " + t.prefix + "configs c"
                                    + " ON c.org_id = h.org_id AND c.id = h.config_id"
                                    + " WHERE h.failing_since <= ? AND h.failed_attempts >= ?"
                                    + " AND (c.enabled IS NULL OR c.enabled)"
                                    + " ORDER BY h.failing_since, h.org_id, h.config_id LIMIT ? OFFSET ?",
                            failingSince.toEpochMilli(),
                            minAttempts,
                            wanted,
                            offset)
                    .fetch();
            for (Record row : rows) {
                String orgId = row.get(0, String.class);
                String configId = row.get(1, String.class);
                Boolean enabled = row.get(4, Boolean.class);
                if (enabled == null && !enabled(openConfig(orgId, configId, row.get(5, byte[].class)))) {
                    continue; // disabled before V7 and not written since
                }
                found.add(new FailingConfig(
                        orgId, configId, Instant.ofEpochMilli(row.get(2, Long.class)), row.get(3, Integer.class)));
            }
            if (rows.size() < wanted) {
                break;
            }
            offset += rows.size();
        }
        return found;
    }

    /** What the {@code enabled} column holds: whether the engine delivers for it ({@code enabled} not false). */
    private static boolean enabled(WebhookConfig config) {
        return !Boolean.FALSE.equals(config.enabled());
    }

    private ConfigControls readControls(String json) {
        if (json == null) {
            return ConfigControls.NONE;
        }
        try {
            return mapper.readValue(json, ConfigControls.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored config controls are not readable JSON", e);
        }
    }

    private String writeControls(ConfigControls controls) {
        try {
            return mapper.writeValueAsString(controls);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("config controls cannot be written as JSON", e);
        }
    }

    private StoredConfig toStoredConfig(Record record) {
        String orgId = record.get(t.cOrg);
        String id = record.get(t.cId);
        WebhookConfig config = openConfig(orgId, id, record.get(t.cData));
        return new StoredConfig(
                orgId,
                config,
                record.get(t.cRevision),
                openRetired(orgId, id, record.get(t.cRetired)),
                readControls(record.get(t.cControls)));
    }

    private WebhookConfig openConfig(String orgId, String id, byte[] sealed) {
        byte[] plain = sealer.open(sealed, SecretSealer.CONFIG, orgId, id, "config " + id);
        try {
            return mapper.readValue(plain, WebhookConfig.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("config " + id + " of organization " + orgId + " is not readable JSON", e);
        }
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
