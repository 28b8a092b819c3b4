package dev.hookengine.spi;

import dev.hookengine.model.ConfigControls;
import dev.hookengine.model.Secret;
import dev.hookengine.model.WebhookConfig;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Keeps webhook configs, each owned by one organization.
 *
 * <p>Every method is scoped by {@code orgId}: a config of another organization is, to the caller,
 * a config that does not exist, and two organizations may hold configs with the same id. Ids compare
 * in binary (code point) order. Implementations are thread-safe and safe across processes that share
 * the store; every write is atomic. Configs are stored as given, secret values included; encrypting
 * them at rest is the store's business, redacting them on the way out is the engine's. Every argument
 * is required unless said otherwise: a {@code null} one throws {@link NullPointerException}.
 */
public interface ConfigStore {

    /**
     * Stores a new config at revision 1.
     *
     * @param orgId  the owning organization
     * @param config the config, with {@code id}, {@code creationTime} and {@code updatedTime} set; the
     *               engine never reuses the id of a deleted config, so revisions start again at 1 safely
     * @return {@code true} when stored; {@code false}, storing nothing, when this organization already
     *         has a config with that id (of concurrent inserts of one id, exactly one returns {@code true})
     */
    boolean insertConfig(String orgId, WebhookConfig config);

    /**
     * The config with this id in this organization.
     *
     * @return the config at its current revision, or empty when the organization has none with this id
     */
    Optional<StoredConfig> findConfig(String orgId, String configId);

    /**
     * The organization's configs, optionally only those for one event name.
     *
     * @param eventName only configs whose {@code eventName} equals this, or all when {@code null}
     * @return oldest first ({@code creationTime} ascending, then id ascending); empty when none
     */
    List<StoredConfig> listConfigs(String orgId, String eventName);

    /**
     * Replaces a config if nobody changed it since it was read (compare-and-set on the revision).
     * Its {@link StoredConfig#retiredSecrets()} and {@link StoredConfig#controls()} stay as they are.
     * When it enables ({@code enabled} not {@code false}) a config stored disabled ({@code enabled:
     * false}), the config's delivery health starts over, atomically with the replace: {@link #failingConfigs} does
     * not find it until new failed attempts make it fail again, so that a config enabled again is not
     * disabled again at once for the failures that disabled it.
     *
     * @param orgId            the owning organization
     * @param config           the new content; its {@code id} names the config to replace
     * @param expectedRevision the revision the caller read
     * @return the stored config at its new revision, or empty, changing nothing, when the config does
     *         not exist in this organization or its revision is no longer {@code expectedRevision}; of
     *         concurrent replaces of one revision, exactly one succeeds
     */
    Optional<StoredConfig> replaceConfig(String orgId, WebhookConfig config, long expectedRevision);

    /**
     * Rotates a config's signing secret, atomically: {@code newSecret} becomes the config's
     * {@code signingSecret}, the one it replaces becomes the newest {@link RetiredSecret}, expiring at
     * {@code previousExpiresAt}, and retired secrets that expired at or before {@code now} are dropped.
     * The revision increases like on any change, so that a {@link #replaceConfig} of the revision
     * before the rotation fails instead of undoing it. Concurrent rotations of one config take effect
     * one after the other: none is lost.
     *
     * @return the stored config after the rotation, or empty, changing nothing, when the organization
     *         has no config with this id
     */
    Optional<StoredConfig> rotateSigningSecret(
            String orgId, String configId, Secret newSecret, Instant previousExpiresAt, Instant now);

    /**
     * Replaces a config's {@link ConfigControls} if nobody changed the config since it was read
     * (compare-and-set on the revision, which increases like on any change), and moves its queued jobs
     * with its pause, atomically with the change:
     * <ul>
     *   <li>when {@code controls} pauses a config that was not paused, every queued job of the config
     *       that no live lease holds is parked ({@link DeliveryQueue#PARKED}); from then on
     *       {@link DeliveryQueue#claim} and {@link DeliveryQueue#claimJob} hand out none of its jobs, on
     *       every node, whatever their due time, until it is resumed. A job leased at that moment stays
     *       with its holder, whose attempt may still end;</li>
     *   <li>when {@code controls} resumes a paused config, its parked jobs, and its waiting jobs due
     *       already (queued by a node that had not seen the pause yet), become due at {@code now}, so
     *       that claims take them in the order they were queued, and its jobs are claimable again.</li>
     * </ul>
     *
     * @param now when the change is made
     * @return the stored config with its new controls and revision, or empty, changing nothing, when the
     *         config does not exist in this organization or its revision is no longer
     *         {@code expectedRevision}; of concurrent replaces of one revision, exactly one succeeds
     */
    Optional<StoredConfig> replaceControls(
            String orgId, String configId, ConfigControls controls, long expectedRevision, Instant now);

    /**
     * Deletes a config. Its events and queued deliveries are left alone: the event log outlives the
     * config, and a queued delivery of a deleted config fails when a worker picks it up (a paused
     * config's parked jobs become due at once, so that they do). Its rate permits
     * ({@link DeliveryQueue#takePermit}) and its delivery health ({@link #failingConfigs}) are
     * forgotten.
     *
     * @return {@code true} when a config was deleted, {@code false} when there was none
     */
    boolean deleteConfig(String orgId, String configId);

    /**
     * Enabled configs, of every organization, whose deliveries have all failed since
     * {@code failingSince} or earlier, with at least {@code minAttempts} failed attempts: the configs
     * the engine disables automatically. Not scoped by organization: the engine's sweep serves every
     * organization, as the delivery queue's claims do.
     *
     * <p>The store keeps each config's delivery health beside it, written by
     * {@link DeliveryQueue#recordOutcomes} in the same unit as the outcomes (see
     * {@link AttemptOutcome#health()}): {@code failing since}, when the first failed attempt since the
     * config's last success ended (none while it is healthy), and the failed attempts counted since
     * then. A success ends the streak; enabling a disabled config starts it over
     * ({@link #replaceConfig}); deleting the config forgets it.
     *
     * <p>Reads only. What it returns may be stale by the time the caller acts on it (a success may be
     * recorded, on any node, just after): the engine disables each config through
     * {@link #replaceConfig}'s compare-and-set, so that nodes acting on the same answer at once disable
     * it once.
     *
     * @param failingSince a config is returned only when its streak began at or before this instant
     * @param minAttempts  a config is returned only with at least this many failed attempts, at least 1
     * @param limit        the most configs returned, at least 1
     * @return enabled configs (a config whose {@code enabled} is {@code false} is never returned; one
     *         whose {@code enabled} is {@code null} delivers, so it is returned) with
     *         their health, longest failing first ({@code failingSince} ascending, then organization and
     *         config id); empty when none
     * @throws IllegalArgumentException when {@code minAttempts} or {@code limit} is below 1
     */
    List<FailingConfig> failingConfigs(Instant failingSince, int minAttempts, int limit);
}
