package dev.hookengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hookengine.model.ApiKeyConfig;
import dev.hookengine.model.Auth;
import dev.hookengine.model.BasicAuthConfig;
import dev.hookengine.model.ConfigStatus;
import dev.hookengine.model.EventConfigEntry;
import dev.hookengine.model.HttpMethod;
import dev.hookengine.model.OAuthConfig;
import dev.hookengine.model.RetryPolicy;
import dev.hookengine.model.Secret;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.CatalogEvent;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import dev.hookengine.store.tck.ForwardingWebhookStore;
import dev.hookengine.store.tck.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The engine's config operations over the real in-memory store. */
class WebhookEngineConfigsTest {

    private static final String ORG = "org-a";
    private static final String OTHER_ORG = "org-b";
    private static final String PASSWORD = "hunter2-password";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00.123456Z"));
    private InMemoryWebhookStore store;
    private WebhookEngine engine;

    @BeforeEach
    void setUp() {
        store = new InMemoryWebhookStore();
        engine = WebhookEngine.builder().store(store).clock(clock).build();
    }

    private static WebhookConfig.Builder basicConfig() {
        return WebhookConfig.builder()
                .name("CRM sync")
                .eventName("customer_created")
                .url("https://crm.example.com/hooks")
                .httpMethod(HttpMethod.POST)
                .auth(Auth.basic(new BasicAuthConfig("crm", Secret.of(PASSWORD), null)));
    }

    @Nested
    class Create {

        @Test
        void assignsIdTimesStatusDefaultsAndASigningSecretShownOnce() {
            WebhookConfig created = engine.createConfig(
                    ORG,
                    basicConfig()
                            .id("client-chosen")
                            .status(ConfigStatus.INACTIVE)
                            .creationTime(Instant.EPOCH)
                            .build());

            assertThat(created.id()).matches("[0-9a-z]{16}").isNotEqualTo("client-chosen");
            Instant millis = Instant.parse("2026-03-01T10:00:00.123Z");
            assertThat(created.creationTime()).isEqualTo(millis);
            assertThat(created.updatedTime()).isEqualTo(millis);
            assertThat(created.status()).isEqualTo(ConfigStatus.ACTIVE);
            assertThat(created.enabled()).isTrue();
            assertThat(created.retryPolicy()).isEqualTo(new RetryPolicy(true, 3));
            String secret = created.signingSecret().reveal();
            assertThat(secret).startsWith("whsec_");
            assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length())))
                    .hasSize(32);
            assertThat(created.auth().basicAuthConfig().password())
                    .as("password redacted")
                    .isNull();

            WebhookConfig read = engine.getConfig(ORG, created.id());
            assertThat(read.signingSecret())
                    .as("signing secret only in the create response")
                    .isNull();
            assertThat(read.auth().basicAuthConfig().username()).isEqualTo("crm");
            assertThat(read.auth().basicAuthConfig().password()).isNull();
            assertThat(read).isEqualTo(created.toBuilder().signingSecret(null).build());

            StoredConfig stored = store.findConfig(ORG, created.id()).orElseThrow();
            assertThat(stored.config().auth().basicAuthConfig().password()).isEqualTo(Secret.of(PASSWORD));
            assertThat(stored.config().signingSecret().reveal()).isEqualTo(secret);
        }

        @Test
        void idsAreUniqueAndSecretsDiffer() {
            WebhookConfig first = engine.createConfig(ORG, basicConfig().build());
            WebhookConfig second = engine.createConfig(ORG, basicConfig().build());

            assertThat(first.id()).isNotEqualTo(second.id());
            assertThat(first.signingSecret()).isNotEqualTo(second.signingSecret());
        }

        @Test
        void anInvalidConfigIsRejectedAndNothingIsStored() {
            ValidationException failure = catchThrowableOfType(
                    ValidationException.class,
                    () -> engine.createConfig(
                            ORG,
                            basicConfig().name(null).url("mailto:x@example.com").build()));

            assertThat(failure.errors()).extracting(FieldError::path).containsExactly("name", "url");
            assertThat(store.listConfigs(ORG, null)).isEmpty();
        }

        @Test
        void explicitNullSecretOnCreateMeansNoSecret() {
            WebhookConfig created = engine.createConfig(
                    ORG,
                    basicConfig()
                            .auth(Auth.basic(new BasicAuthConfig("crm", Secret.cleared(), null)))
                            .build());

            assertThat(created.status()).isEqualTo(ConfigStatus.INCOMPLETE);
            assertThat(store.findConfig(ORG, created.id())
                            .orElseThrow()
                            .config()
                            .auth()
                            .basicAuthConfig()
                            .password())
                    .isNull();
        }

        @Test
        void envReferencesAreNotSecretsAndReadBack() {
            WebhookConfig created = engine.createConfig(
                    ORG,
                    basicConfig()
                            .auth(Auth.apiKey(new ApiKeyConfig("X-Api-Key", Secret.of("{{ env.CRM_KEY }}"), true)))
                            .build());

            ApiKeyConfig read = engine.getConfig(ORG, created.id()).auth().apiKeyConfig();
            assertThat(read.keyValue()).isEqualTo(Secret.of("{{ env.CRM_KEY }}"));
            assertThat(read.keyValueIsEnvVar()).isTrue();
        }
    }

    @Nested
    class Status {

        @Test
        void incompleteWithoutUrl() {
            assertThat(engine.createConfig(ORG, basicConfig().url(null).build()).status())
                    .isEqualTo(ConfigStatus.INCOMPLETE);
        }

        @Test
        void incompleteWhenAuthLacksItsSecret() {
            WebhookConfig config = basicConfig()
                    .auth(Auth.oauth(new OAuthConfig(
                            "client", null, null, "https://idp.example.com/token", HttpMethod.POST, null)))
                    .build();
            assertThat(engine.createConfig(ORG, config).status()).isEqualTo(ConfigStatus.INCOMPLETE);
        }

        @Test
        void inactiveWhenDisabled() {
            assertThat(engine.createConfig(ORG, basicConfig().enabled(false).build())
                            .status())
                    .isEqualTo(ConfigStatus.INACTIVE);
        }

        @Test
        void incompleteWinsOverInactive() {
            assertThat(engine.createConfig(
                                    ORG, basicConfig().enabled(false).url(null).build())
                            .status())
                    .isEqualTo(ConfigStatus.INCOMPLETE);
        }
    }

    @Nested
    class Update {

        private WebhookConfig created;

        @BeforeEach
        void create() {
            created = engine.createConfig(
                    ORG,
                    basicConfig()
                            .enabled(false)
                            .retryPolicy(new RetryPolicy(true, 5))
                            .build());
            clock.advance(Duration.ofMinutes(5));
        }

        @Test
        void replacesFieldsKeepsReadOnlyOnesAndBumpsUpdatedTime() {
            WebhookConfig updated = engine.updateConfig(
                    ORG,
                    created.id(),
                    basicConfig()
                            .name("CRM sync v2")
                            .url("https://crm.example.com/v2")
                            .creationTime(Instant.EPOCH)
                            .build());

            assertThat(updated.name()).isEqualTo("CRM sync v2");
            assertThat(updated.url()).isEqualTo("https://crm.example.com/v2");
            assertThat(updated.id()).isEqualTo(created.id());
            assertThat(updated.creationTime()).isEqualTo(created.creationTime());
            assertThat(updated.updatedTime()).isEqualTo(created.creationTime().plus(Duration.ofMinutes(5)));
            assertThat(updated.signingSecret()).isNull();
            assertThat(engine.getConfig(ORG, created.id())).isEqualTo(updated);
        }

        @Test
        void omittedSecretKeepsItsValue() {
            WebhookConfig updated = engine.updateConfig(
                    ORG,
                    created.id(),
                    basicConfig()
                            .auth(Auth.basic(new BasicAuthConfig("crm2", null, null)))
                            .build());

            assertThat(updated.auth().basicAuthConfig().username()).isEqualTo("crm2");
            assertThat(storedPassword()).isEqualTo(Optional.of(Secret.of(PASSWORD)));
            assertThat(updated.status()).isEqualTo(ConfigStatus.INACTIVE);
        }

        @Test
        void nullSecretClearsIt() {
            WebhookConfig updated = engine.updateConfig(
                    ORG,
                    created.id(),
                    basicConfig()
                            .enabled(true)
                            .auth(Auth.basic(new BasicAuthConfig("crm", Secret.cleared(), null)))
                            .build());

            assertThat(storedPassword()).isEmpty();
            assertThat(updated.status()).isEqualTo(ConfigStatus.INCOMPLETE);
        }

        @Test
        void newSecretReplacesIt() {
            engine.updateConfig(
                    ORG,
                    created.id(),
                    basicConfig()
                            .auth(Auth.basic(new BasicAuthConfig("crm", Secret.of("new-password"), null)))
                            .build());

            assertThat(storedPassword()).isEqualTo(Optional.of(Secret.of("new-password")));
        }

        @Test
        void aSecretDoesNotCarryOverToAnotherAuthType() {
            WebhookConfig updated = engine.updateConfig(
                    ORG,
                    created.id(),
                    basicConfig()
                            .auth(Auth.apiKey(new ApiKeyConfig("X-Key", null, null)))
                            .build());

            assertThat(store.findConfig(ORG, created.id())
                            .orElseThrow()
                            .config()
                            .auth()
                            .apiKeyConfig()
                            .keyValue())
                    .isNull();
            assertThat(updated.status()).isEqualTo(ConfigStatus.INCOMPLETE);
        }

        @Test
        void omittedRetryPolicyEnabledAndProtectedKeepTheirValues() {
            WebhookConfig updated =
                    engine.updateConfig(ORG, created.id(), basicConfig().build());

            assertThat(updated.retryPolicy()).isEqualTo(new RetryPolicy(true, 5));
            assertThat(updated.enabled()).isFalse();
            assertThat(updated.isProtected()).isNull();
        }

        @Test
        void signingSecretSurvivesUpdates() {
            Secret before =
                    store.findConfig(ORG, created.id()).orElseThrow().config().signingSecret();
            engine.updateConfig(
                    ORG,
                    created.id(),
                    basicConfig().signingSecret(Secret.of("whsec_attacker")).build());

            assertThat(store.findConfig(ORG, created.id())
                            .orElseThrow()
                            .config()
                            .signingSecret())
                    .isEqualTo(before);
        }

        @Test
        void anInvalidUpdateChangesNothing() {
            StoredConfig before = store.findConfig(ORG, created.id()).orElseThrow();

            assertThatThrownBy(() -> engine.updateConfig(
                            ORG, created.id(), basicConfig().eventName("").build()))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("eventName");

            assertThat(store.findConfig(ORG, created.id())).contains(before);
        }

        @Test
        void aConcurrentChangeIsAConflict() {
            AtomicBoolean interfere = new AtomicBoolean(true);
            ForwardingWebhookStore racing = new ForwardingWebhookStore(new InMemoryWebhookStore()) {
                @Override
                public Optional<StoredConfig> replaceConfig(String orgId, WebhookConfig config, long expectedRevision) {
                    if (interfere.getAndSet(false)) {
                        // Another node's update lands between this update's read and its write.
                        StoredConfig current = findConfig(orgId, config.id()).orElseThrow();
                        super.replaceConfig(
                                orgId,
                                current.config().toBuilder().name("theirs").build(),
                                current.revision());
                    }
                    return super.replaceConfig(orgId, config, expectedRevision);
                }
            };
            WebhookEngine racingEngine =
                    WebhookEngine.builder().store(racing).clock(clock).build();
            WebhookConfig mine = racingEngine.createConfig(ORG, basicConfig().build());

            assertThatThrownBy(() -> racingEngine.updateConfig(
                            ORG, mine.id(), basicConfig().name("mine").build()))
                    .isInstanceOf(ConflictException.class)
                    .hasMessageContaining("changed by another request");
            assertThat(racingEngine.getConfig(ORG, mine.id()).name()).isEqualTo("theirs");
        }

        private Optional<Secret> storedPassword() {
            return Optional.ofNullable(store.findConfig(ORG, created.id())
                    .orElseThrow()
                    .config()
                    .auth()
                    .basicAuthConfig()
                    .password());
        }
    }

    @Nested
    class Protection {

        private WebhookConfig guarded;

        @BeforeEach
        void create() {
            guarded = engine.createConfig(ORG, basicConfig().isProtected(true).build());
        }

        @Test
        void updateAndDeleteAreRefusedWithoutStatedIntent() {
            assertThatThrownBy(() -> engine.updateConfig(
                            ORG, guarded.id(), basicConfig().name("x").build()))
                    .isInstanceOf(ConflictException.class)
                    .hasMessageContaining("protected");
            assertThatThrownBy(() -> engine.deleteConfig(ORG, guarded.id()))
                    .isInstanceOf(ConflictException.class)
                    .hasMessageContaining("protected");
            assertThat(engine.getConfig(ORG, guarded.id()).name()).isEqualTo("CRM sync");
        }

        @Test
        void omittingProtectedDoesNotUnprotect() {
            WebhookConfig updated = engine.updateConfig(
                    ORG, guarded.id(), basicConfig().name("x").build(), WriteIntent.MODIFY_PROTECTED);

            assertThat(updated.isProtected()).isTrue();
        }

        @Test
        void statedIntentAllowsUpdateAndDelete() {
            engine.updateConfig(
                    ORG,
                    guarded.id(),
                    basicConfig().name("renamed").isProtected(false).build(),
                    WriteIntent.MODIFY_PROTECTED);
            engine.updateConfig(
                    ORG, guarded.id(), basicConfig().name("renamed again").build());
            engine.deleteConfig(ORG, guarded.id());

            assertThat(engine.getConfigs(ORG, null)).isEmpty();
        }
    }

    @Nested
    class ReadAndDelete {

        @Test
        void listsByEventNameOldestFirst() {
            WebhookConfig first =
                    engine.createConfig(ORG, basicConfig().eventName("a").build());
            clock.advance(Duration.ofSeconds(1));
            WebhookConfig second =
                    engine.createConfig(ORG, basicConfig().eventName("b").build());
            clock.advance(Duration.ofSeconds(1));
            WebhookConfig third =
                    engine.createConfig(ORG, basicConfig().eventName("a").build());

            assertThat(engine.getConfigs(ORG, null))
                    .extracting(WebhookConfig::id)
                    .containsExactly(first.id(), second.id(), third.id());
            assertThat(engine.getConfigs(ORG, "a"))
                    .extracting(WebhookConfig::id)
                    .containsExactly(first.id(), third.id());
            assertThat(engine.getConfigs(ORG, "none")).isEmpty();
            assertThat(engine.getConfigs(ORG, null)).allSatisfy(config -> {
                assertThat(config.signingSecret()).isNull();
                assertThat(config.auth().basicAuthConfig().password()).isNull();
            });
        }

        @Test
        void anotherOrgsConfigDoesNotExist() {
            WebhookConfig theirs = engine.createConfig(OTHER_ORG, basicConfig().build());

            assertThatThrownBy(() -> engine.getConfig(ORG, theirs.id())).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() ->
                            engine.updateConfig(ORG, theirs.id(), basicConfig().build()))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> engine.deleteConfig(ORG, theirs.id())).isInstanceOf(NotFoundException.class);
            assertThat(engine.getConfigs(ORG, null)).isEmpty();
            assertThat(engine.getConfig(OTHER_ORG, theirs.id()).name()).isEqualTo("CRM sync");
        }

        @Test
        void deleteRemovesAndASecondDeleteIsNotFound() {
            WebhookConfig created = engine.createConfig(ORG, basicConfig().build());

            engine.deleteConfig(ORG, created.id());

            assertThatThrownBy(() -> engine.getConfig(ORG, created.id()))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessage("webhook config '" + created.id() + "' not found");
            assertThatThrownBy(() -> engine.deleteConfig(ORG, created.id())).isInstanceOf(NotFoundException.class);
        }

        @Test
        void orgIdIsRequired() {
            assertThatThrownBy(() -> engine.getConfigs(" ", null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> engine.createConfig(null, basicConfig().build()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("dev.hookengine.testing.HostileExpressions#nestedTooDeeply")
    void aTransformOrConditionNestedTooDeeplyIsRefusedNamingItsFieldAndChangesNothing(String source) {
        WebhookConfig kept = engine.createConfig(ORG, basicConfig().build());
        StoredConfig before = store.findConfig(ORG, kept.id()).orElseThrow();
        WebhookConfig transform = basicConfig().jsonataExpression(source).build();
        WebhookConfig condition = basicConfig()
                .filterConditions(new dev.hookengine.model.WebhookConditionGroup(
                        List.of(
                                dev.hookengine.model.WebhookCondition.of(
                                        "entity.a", dev.hookengine.model.ConditionOperation.EQUALS, "1"),
                                dev.hookengine.model.WebhookCondition.jsonata(source)),
                        null))
                .build();

        for (ValidationException refused : List.of(
                catchThrowableOfType(ValidationException.class, () -> engine.createConfig(ORG, transform)),
                catchThrowableOfType(
                        ValidationException.class, () -> engine.updateConfig(ORG, kept.id(), transform)))) {
            assertThat(refused).isNotNull();
            assertThat(refused.errors()).extracting(FieldError::path).containsExactly("jsonataExpression");
            assertThat(refused.getMessage()).contains("over the limit of 200");
        }
        for (ValidationException refused : List.of(
                catchThrowableOfType(ValidationException.class, () -> engine.createConfig(ORG, condition)),
                catchThrowableOfType(
                        ValidationException.class, () -> engine.updateConfig(ORG, kept.id(), condition)))) {
            assertThat(refused).isNotNull();
            assertThat(refused.errors())
                    .extracting(FieldError::path)
                    .containsExactly("filterConditions.conditions[1].jsonata_expression");
        }
        assertThat(store.listConfigs(ORG, null)).hasSize(1);
        assertThat(store.findConfig(ORG, kept.id())).contains(before);
    }

    @Test
    void configuredEventsComeFromTheCatalog() {
        WebhookEngine withCatalog = WebhookEngine.builder()
                .store(store)
                .eventCatalog(List.of(
                        new CatalogEvent("customer_created", "Customer created", null),
                        new CatalogEvent("order_paid", null, null)))
                .build();

        assertThat(withCatalog.getConfiguredEvents(ORG))
                .containsExactly(
                        new EventConfigEntry("customer_created", "Customer created"),
                        new EventConfigEntry("order_paid", "order_paid"));
        assertThat(engine.getConfiguredEvents(ORG)).isEmpty();
    }

    @Test
    void builderValidatesItsSettings() {
        assertThatThrownBy(() -> WebhookEngine.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("store");
        assertThatThrownBy(() -> WebhookEngine.builder()
                        .store(store)
                        .signingSecretBytes(16)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("signingSecretBytes");
        assertThat(WebhookEngine.builder()
                        .store(store)
                        .signingSecretBytes(64)
                        .build()
                        .config()
                        .signingSecretBytes())
                .isEqualTo(64);
    }
}
