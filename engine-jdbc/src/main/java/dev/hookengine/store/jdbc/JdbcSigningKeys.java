package dev.hookengine.store.jdbc;

import static dev.hookengine.store.jdbc.ConcurrentWrites.MAX_RETRIES;
import static dev.hookengine.store.jdbc.ConcurrentWrites.isIntegrityViolation;
import static dev.hookengine.store.jdbc.ConcurrentWrites.pause;
import static dev.hookengine.store.jdbc.JdbcTables.millis;

import dev.hookengine.model.Secret;
import dev.hookengine.spi.SigningKey;
import dev.hookengine.spi.SigningKeyStore;
import dev.hookengine.store.support.StoreArguments;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;

/**
 * The {@link SigningKeyStore} of {@link JdbcWebhookStore}: one row per key, the private key sealed
 * ({@link SecretSealer}). The current key of an organization is the one row whose {@code current_of}
 * names it, which a unique constraint keeps to one: of two nodes installing or rotating at once, one
 * insert fails, and that node reads the winner's key or rotates again.
 */
final class JdbcSigningKeys implements SigningKeyStore {

    private final DSLContext ctx;
    private final JdbcTables t;
    private final SecretSealer sealer;

    JdbcSigningKeys(DSLContext ctx, JdbcTables tables, SecretSealer sealer) {
        this.ctx = ctx;
        this.t = tables;
        this.sealer = sealer;
    }

    @Override
    public SigningKey insertKeyIfNoneCurrent(SigningKey candidate) {
        Objects.requireNonNull(candidate, "candidate");
        StoreArguments.requireCurrentKey(candidate);
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            Optional<SigningKey> current = ctx.select(t.kOrg, t.kId, t.kPublic, t.kPrivate, t.kCreatedAt, t.kExpiresAt)
                    .from(t.keys)
                    .where(t.kCurrentOf.eq(candidate.orgId()))
                    .fetchOptional(this::toKey);
            if (current.isPresent()) {
                return current.get();
            }
            try {
                insertKey(ctx, candidate);
                return candidate;
            } catch (DataAccessException e) {
                if (!isIntegrityViolation(e)) {
                    throw e;
                }
                // another node installed a current key a moment ago: read it
                pause(attempt);
            }
        }
        throw new IllegalStateException("could not install or read the current signing key of organization "
                + candidate.orgId() + " after " + MAX_RETRIES + " attempts");
    }

    @Override
    public List<SigningKey> activeKeys(String orgId, Instant now) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(now, "now");
        return ctx.select(t.kOrg, t.kId, t.kPublic, t.kPrivate, t.kCreatedAt, t.kExpiresAt)
                .from(t.keys)
                .where(t.kOrg.eq(orgId), t.kExpiresAt.isNull().or(t.kExpiresAt.gt(now.toEpochMilli())))
                .orderBy(t.kCreatedAt.desc(), t.kId.asc())
                .fetch(this::toKey);
    }

    @Override
    public void rotateKey(SigningKey newKey, Instant previousExpiresAt) {
        Objects.requireNonNull(newKey, "newKey");
        Objects.requireNonNull(previousExpiresAt, "previousExpiresAt");
        StoreArguments.requireCurrentKey(newKey);
        for (int attempt = 0; ; attempt++) {
            try {
                ctx.transaction(cfg -> {
                    DSLContext tx = cfg.dsl();
                    tx.update(t.keys)
                            .set(t.kExpiresAt, previousExpiresAt.toEpochMilli())
                            .setNull(t.kCurrentOf)
                            .where(t.kCurrentOf.eq(newKey.orgId()))
                            .execute();
                    insertKey(tx, newKey);
                });
                return;
            } catch (DataAccessException e) {
                // a concurrent rotation installed its key between our update and insert: rotate again
                if (!isIntegrityViolation(e) || attempt >= MAX_RETRIES) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    @Override
    public int purgeExpiredKeys(Instant now) {
        Objects.requireNonNull(now, "now");
        return ctx.deleteFrom(t.keys)
                .where(t.kExpiresAt.isNotNull(), t.kExpiresAt.le(now.toEpochMilli()))
                .execute();
    }

    private void insertKey(DSLContext dsl, SigningKey key) {
        byte[] sealed = sealer.sealText(key.privateKey().reveal(), SecretSealer.SIGNING_KEY, key.orgId(), key.keyId());
        dsl.insertInto(t.keys, t.kOrg, t.kId, t.kPublic, t.kPrivate, t.kCreatedAt, t.kExpiresAt, t.kCurrentOf)
                .values(
                        key.orgId(),
                        key.keyId(),
                        key.publicKey(),
                        sealed,
                        key.createdAt().toEpochMilli(),
                        millis(key.expiresAt()),
                        key.expiresAt() == null ? key.orgId() : null)
                .execute();
    }

    private SigningKey toKey(Record record) {
        String orgId = record.get(t.kOrg);
        String keyId = record.get(t.kId);
        String plain =
                sealer.openText(record.get(t.kPrivate), SecretSealer.SIGNING_KEY, orgId, keyId, "signing key " + keyId);
        Long expiresAt = record.get(t.kExpiresAt);
        return new SigningKey(
                orgId,
                keyId,
                record.get(t.kPublic),
                Secret.of(plain),
                Instant.ofEpochMilli(record.get(t.kCreatedAt)),
                expiresAt == null ? null : Instant.ofEpochMilli(expiresAt));
    }
}
