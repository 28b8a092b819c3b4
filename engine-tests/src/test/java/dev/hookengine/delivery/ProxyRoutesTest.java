package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.DomainEvent;
import dev.hookengine.FieldError;
import dev.hookengine.OutcomeCode;
import dev.hookengine.ValidationException;
import dev.hookengine.WebhookEngine;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.model.Auth;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.HttpMethod;
import dev.hookengine.model.OAuthConfig;
import dev.hookengine.model.Secret;
import dev.hookengine.model.SecureProxy;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.ProxyAddress;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.Received;
import dev.hookengine.testing.TestCertificate;
import dev.hookengine.testing.TestProxy;
import dev.hookengine.testing.TestReceiver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code secureProxy} and {@code enableStaticIP} end to end: real forward proxies on 127.0.0.1 see the
 * delivery and its OAuth token request, over http and over https (CONNECT); every byte is checked at
 * the receivers behind them. A config asking for a route the engine does not have is refused when
 * saved; a route that goes away later fails the delivery. And https receivers with a certificate the
 * test makes: delivered with the test's trust store, refused with {@code TLS_ERROR} for another host.
 */
class ProxyRoutesTest extends EndToEndTest {

    private static final String INTEGRATION = "123e4567-e89b-12d3-a456-426614174000";
    private static final SecureProxy ERP = new SecureProxy(INTEGRATION, "erp-sync");
    private static final TestCertificate LOOPBACK = TestCertificate.forLoopback();

    private final TestProxy secureProxy;
    private final TestProxy staticProxy;
    /** The router's table: an embedder's router whose routes can change while the engine runs. */
    private final Map<SecureProxy, ProxyAddress> routes = new ConcurrentHashMap<>();

    private final List<AutoCloseable> resources = new ArrayList<>();

    ProxyRoutesTest() throws Exception {
        // Started before the engine is built (by the base class), which takes their addresses.
        secureProxy = TestProxy.start();
        staticProxy = TestProxy.start();
        routes.put(ERP, new ProxyAddress(secureProxy.host(), secureProxy.port()));
    }

    @Override
    WebhookEngineBuilder configure(WebhookEngineBuilder builder) {
        return builder.secureProxyRouter((orgId, secureProxy) -> Optional.ofNullable(routes.get(secureProxy)))
                .staticIpProxy(new ProxyAddress(staticProxy.host(), staticProxy.port()));
    }

    @AfterEach
    void stopProxies() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        secureProxy.close();
        staticProxy.close();
    }

    @Test
    void aSecureProxyConfigSendsItsDeliveryAndItsTokenRequestThroughTheProxy() throws Exception {
        TestReceiver tokenEndpoint = started(TestReceiver.builder());
        tokenEndpoint.answer(token());
        WebhookConfig config = engine.createConfig(
                ORG,
                oauthConfig(receiver.url("/hooks"), tokenEndpoint.url("/oauth/token")).toBuilder()
                        .secureProxy(ERP)
                        .enableStaticIP(true) // secureProxy wins
                        .build());

        String eventId = publish();
        engine.deliverDue();

        assertDelivered(eventId, receiver, tokenEndpoint);
        assertThat(secureProxy.seen())
                .containsExactly(
                        new TestProxy.Seen("POST", tokenEndpoint.url("/oauth/token")),
                        new TestProxy.Seen("POST", receiver.url("/hooks")));
        assertThat(staticProxy.seen()).isEmpty();
        assertThat(receiver.received().get(0).values("Via")).isNotEmpty();
        assertThat(config.secureProxy()).isEqualTo(ERP);
    }

    @Test
    void overHttpsBothRequestsTunnelThroughTheProxyWithConnect() throws Exception {
        TestReceiver httpsReceiver = started(TestReceiver.builder().tls(LOOPBACK));
        TestReceiver tokenEndpoint = started(TestReceiver.builder().tls(LOOPBACK));
        tokenEndpoint.answer(token());
        WebhookEngine tlsEngine = engineTrusting(LOOPBACK);
        tlsEngine.createConfig(
                ORG,
                oauthConfig(httpsReceiver.url("/hooks"), tokenEndpoint.url("/oauth/token")).toBuilder()
                        .secureProxy(ERP)
                        .build());

        String eventId = publish(tlsEngine);
        tlsEngine.deliverDue();

        assertDelivered(eventId, httpsReceiver, tokenEndpoint);
        assertThat(secureProxy.seen())
                .containsExactly(
                        new TestProxy.Seen("CONNECT", "127.0.0.1:" + tokenEndpoint.port()),
                        new TestProxy.Seen("CONNECT", "127.0.0.1:" + httpsReceiver.port()));
        assertThat(httpsReceiver.received().get(0).uri()).startsWith("https://");
    }

    @Test
    void testOAuthGoesThroughTheProxyToo() throws Exception {
        TestReceiver tokenEndpoint = started(TestReceiver.builder());
        tokenEndpoint.answer(token());
        WebhookConfig config = engine.createConfig(
                ORG,
                oauthConfig(receiver.url("/hooks"), tokenEndpoint.url("/oauth/token")).toBuilder()
                        .secureProxy(ERP)
                        .build());

        assertThat(engine.testOAuth(ORG, config.id()).success()).isTrue();

        assertThat(secureProxy.seen()).containsExactly(new TestProxy.Seen("POST", tokenEndpoint.url("/oauth/token")));
        assertThat(tokenEndpoint.received()).hasSize(1);
    }

    @Test
    void anEnableStaticIpConfigGoesThroughTheStaticEgressProxy() {
        engine.createConfig(
                ORG, plainConfig(receiver.url("/hooks")).enableStaticIP(true).build());

        String eventId = publish();
        engine.deliverDue();

        assertThat(event(eventId).status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(staticProxy.seen()).containsExactly(new TestProxy.Seen("POST", receiver.url("/hooks")));
        assertThat(secureProxy.seen()).isEmpty();
        assertThat(receiver.received().get(0).bodyBytes())
                .isEqualTo(event(eventId).payload().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aConfigAskingForARouteTheEngineDoesNotHaveIsRefusedWhenSaved() {
        SecureProxy unknown = new SecureProxy(INTEGRATION, "another-use-case");
        WebhookConfig stored =
                engine.createConfig(ORG, plainConfig(receiver.url("/hooks")).build());

        assertThatThrownBy(() -> engine.createConfig(
                        ORG,
                        plainConfig(receiver.url("/hooks")).secureProxy(unknown).build()))
                .isInstanceOfSatisfying(
                        ValidationException.class,
                        e -> assertThat(e.errors()).extracting(FieldError::path).containsExactly("secureProxy"));
        assertThatThrownBy(() -> engine.updateConfig(
                        ORG,
                        stored.id(),
                        plainConfig(receiver.url("/hooks")).secureProxy(unknown).build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("secureProxy");
        try (WebhookEngine withoutStaticIp =
                WebhookEngine.builder().store(store).build()) {
            assertThatThrownBy(() -> withoutStaticIp.createConfig(
                            ORG,
                            plainConfig(receiver.url("/hooks"))
                                    .enableStaticIP(true)
                                    .build()))
                    .isInstanceOfSatisfying(
                            ValidationException.class,
                            e -> assertThat(e.errors())
                                    .extracting(FieldError::path)
                                    .containsExactly("enableStaticIP"));
            assertThatThrownBy(() -> withoutStaticIp.createConfig(
                            ORG,
                            plainConfig(receiver.url("/hooks")).secureProxy(ERP).build()))
                    .hasMessageContaining("secureProxy");
        }

        // Nothing was stored or changed.
        assertThat(engine.getConfigs(ORG, null))
                .singleElement()
                .satisfies(config -> assertThat(config.secureProxy()).isNull());
    }

    @Test
    void aRouteThatGoesAwayAfterTheSaveFailsTheDeliveryWithoutSendingIt() {
        engine.createConfig(
                ORG, plainConfig(receiver.url("/hooks")).secureProxy(ERP).build());
        routes.clear();

        String eventId = publish();
        engine.deliverDue();

        WebhookEvent failed = event(eventId);
        assertThat(failed.status()).isEqualTo(EventStatus.FAILED);
        assertThat(failed.httpResponse().code()).isEqualTo(OutcomeCode.SECURE_PROXY_UNAVAILABLE.code());
        assertThat(receiver.received()).isEmpty();
        assertThat(secureProxy.seen()).isEmpty();
    }

    @Test
    void anHttpsReceiverIsDeliveredToWithTheTestTrustStore() throws Exception {
        TestReceiver httpsReceiver = started(TestReceiver.builder().tls(LOOPBACK));
        WebhookEngine tlsEngine = engineTrusting(LOOPBACK);
        tlsEngine.createConfig(ORG, plainConfig(httpsReceiver.url("/hooks")).build());

        String eventId = publish(tlsEngine);
        tlsEngine.deliverDue();

        assertThat(event(eventId).status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(httpsReceiver.received().get(0).bodyBytes())
                .isEqualTo(event(eventId).payload().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCertificateForAnotherHostFailsTheAttemptWithTlsErrorAndIsRetried() throws Exception {
        TestCertificate other = TestCertificate.forHosts("receiver.example");
        TestReceiver httpsReceiver = started(TestReceiver.builder().tls(other));
        WebhookEngine tlsEngine = engineTrusting(other);
        tlsEngine.createConfig(ORG, plainConfig(httpsReceiver.url("/hooks")).build());

        String eventId = publish(tlsEngine);
        tlsEngine.deliverDue();

        WebhookEvent refused = event(eventId);
        assertThat(refused.status()).isEqualTo(EventStatus.IN_PROGRESS);
        assertThat(refused.httpResponse().code()).isEqualTo(OutcomeCode.TLS_ERROR.code());
        assertThat(refused.httpResponse().message()).contains("TLS certificate").contains("127.0.0.1");
        assertThat(httpsReceiver.received()).isEmpty();
    }

    // Helpers.

    private void assertDelivered(String eventId, TestReceiver to, TestReceiver tokenEndpoint) {
        WebhookEvent delivered = event(eventId);
        assertThat(delivered.status())
                .as(String.valueOf(delivered.httpResponse()))
                .isEqualTo(EventStatus.SUCCEEDED);
        Received request = to.received().get(0);
        assertThat(request.bodyBytes()).isEqualTo(delivered.payload().getBytes(StandardCharsets.UTF_8));
        assertThat(request.header("authorization")).isEqualTo("Bearer tok-proxied");
        assertThat(request.header("webhook-id")).isEqualTo(eventId);
        Received tokenRequest = tokenEndpoint.received().get(0);
        assertThat(tokenRequest.body())
                .contains("grant_type=client_credentials")
                .contains("client_secret=s3cret");
    }

    private WebhookEngine engineTrusting(TestCertificate certificate) {
        JettyHttpTransport trusting = JettyHttpTransport.builder()
                .allowAddresses("127.0.0.1/32")
                .trustStore(certificate.trustStore())
                .build();
        WebhookEngine built = newEngine(trusting);
        resources.add(0, trusting);
        resources.add(0, built);
        return built;
    }

    private TestReceiver started(TestReceiver.Builder builder) throws Exception {
        TestReceiver started = builder.start();
        resources.add(started);
        return started;
    }

    private static WebhookConfig.Builder plainConfig(String url) {
        return WebhookConfig.builder().name("erp").eventName("order_paid").url(url);
    }

    private static WebhookConfig oauthConfig(String url, String tokenUrl) {
        return plainConfig(url)
                .auth(Auth.oauth(
                        new OAuthConfig("client-1", Secret.of("s3cret"), false, tokenUrl, HttpMethod.POST, List.of())))
                .build();
    }

    private static Answer token() {
        return Answer.json(200, "{\"access_token\":\"tok-proxied\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
    }

    private String publish() {
        return publish(engine);
    }

    private static String publish(WebhookEngine through) {
        return through.publish(DomainEvent.builder(ORG, "order_paid").build())
                .eventIds()
                .get(0);
    }

    private WebhookEvent event(String eventId) {
        return store.findEvent(ORG, eventId).orElseThrow();
    }
}
