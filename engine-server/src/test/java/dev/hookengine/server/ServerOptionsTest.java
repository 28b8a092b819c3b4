package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.model.SecureProxy;
import dev.hookengine.server.ServerOptions.Database;
import dev.hookengine.server.ServerOptions.UsageException;
import dev.hookengine.spi.ProxyAddress;
import dev.hookengine.spi.SecureProxyRouter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The standalone command line and environment: defaults, every form, and clear refusals. */
class ServerOptionsTest {

    @Test
    void defaultsAreTheEmbeddedH2OnPort8080() throws Exception {
        ServerOptions options = ServerOptions.parse(new String[0], Map.of());

        assertThat(options.port()).isEqualTo(8080);
        assertThat(options.host()).isEqualTo("0.0.0.0");
        assertThat(options.database()).isEqualTo(new Database.H2(Path.of("hookengine-data")));
        assertThat(options.catalog()).isNull();
        assertThat(options.apiTokens()).isNull();
        assertThat(options.allowPrivateTargets()).isFalse();
    }

    @Test
    void everyOptionInBothForms() throws Exception {
        ServerOptions options = ServerOptions.parse(
                new String[] {"--port=9090", "--host", "127.0.0.1", "--db", "memory", "--catalog=events.json"},
                Map.of("HOOKENGINE_API_TOKENS", "tok=en==org-a, t2=org-b", "HOOKENGINE_ALLOW_PRIVATE_TARGETS", "TRUE"));

        assertThat(options.port()).isEqualTo(9090);
        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.database()).isInstanceOf(Database.Memory.class);
        assertThat(options.catalog()).isEqualTo(Path.of("events.json"));
        assertThat(options.apiTokens()).containsExactlyInAnyOrderEntriesOf(Map.of("tok=en=", "org-a", "t2", "org-b"));
        assertThat(options.allowPrivateTargets()).isTrue();
        assertThat(ServerOptions.parse(new String[] {"--db", "h2:/var/lib/he"}, Map.of())
                        .database())
                .isEqualTo(new Database.H2(Path.of("/var/lib/he")));
        assertThat(ServerOptions.parse(new String[] {"--help"}, Map.of())).isNull();
    }

    @Test
    void aJdbcUrlNeedsTheMasterKeyAndNeverShowsItsParameters() throws Exception {
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--db", "jdbc:postgresql://db/hooks"}, Map.of()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("HOOKENGINE_MASTER_KEY");

        ServerOptions options = ServerOptions.parse(
                new String[] {"--db", "jdbc:postgresql://db/hooks?password=pw1"},
                Map.of(
                        "HOOKENGINE_MASTER_KEY",
                        "a2V5LWtleS1rZXkta2V5LWtleS1rZXkta2V5LWtleS0=",
                        "HOOKENGINE_API_TOKENS",
                        "tok-secret=org-a",
                        "HOOKENGINE_DB_PASSWORD",
                        "pw2"));

        assertThat(options.toString())
                .doesNotContain("pw1")
                .doesNotContain("pw2")
                .doesNotContain("tok-secret")
                .doesNotContain("a2V5LWtleS1r")
                .contains("jdbc:postgresql://db/hooks?...");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--port abc|--port must be a number from 0 to 65535",
                "--port 70000|--port must be a number from 0 to 65535",
                "--port|--port needs a value",
                "--bogus 1|unknown option '--bogus'",
                "serve|unexpected argument 'serve'",
                "--db mysql://x|--db must be memory, h2:<dir> or a jdbc:postgresql:// URL",
                "--db h2:|--db h2:<dir> needs a directory"
            })
    void badArgumentsAreRefusedWithAClearMessage(String args, String message) {
        assertThatThrownBy(() -> ServerOptions.parse(args.split(" "), Map.of()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "HOOKENGINE_API_TOKENS|tokenA=org-a,broken|HOOKENGINE_API_TOKENS entry 2 must be token=organization",
                "HOOKENGINE_API_TOKENS|a=org-a,a=org-b|HOOKENGINE_API_TOKENS entry 2 repeats a token",
                "HOOKENGINE_ALLOW_PRIVATE_TARGETS|yes|HOOKENGINE_ALLOW_PRIVATE_TARGETS must be true or false"
            })
    void aBadEnvironmentIsRefusedWithoutEchoingTokens(String name, String value, String message) {
        assertThatThrownBy(() -> ServerOptions.parse(new String[0], Map.of(name, value)))
                .isInstanceOf(UsageException.class)
                .hasMessage(message);
    }

    @Test
    void proxyRoutesComeFromTheEnvironment() throws Exception {
        assertThat(ServerOptions.parse(new String[0], Map.of()).proxies()).isEqualTo(ProxySettings.NONE);

        ServerOptions options = ServerOptions.parse(
                new String[0],
                Map.of(
                        "HOOKENGINE_STATIC_IP_PROXY",
                        " egress.internal:3128 ",
                        "HOOKENGINE_SECURE_PROXIES",
                        "123E4567-E89B-12D3-A456-426614174000/erp-sync=10.0.0.7:8080,"
                                + " 123e4567-e89b-12d3-a456-426614174000/billing/v2=[fd00::7]:3128"));

        assertThat(options.proxies().staticIpProxy()).isEqualTo(new ProxyAddress("egress.internal", 3128));
        assertThat(options.proxies().secureProxies())
                .containsOnly(
                        Map.entry(
                                new SecureProxy("123e4567-e89b-12d3-a456-426614174000", "erp-sync"),
                                new ProxyAddress("10.0.0.7", 8080)),
                        Map.entry(
                                new SecureProxy("123e4567-e89b-12d3-a456-426614174000", "billing/v2"),
                                new ProxyAddress("fd00::7", 3128)));
        // The router answers for any organization, and for the integration id in any case.
        SecureProxyRouter router = SecureProxyRouter.fixed(options.proxies().secureProxies());
        assertThat(router.route("any-org", new SecureProxy("123E4567-e89b-12d3-a456-426614174000", "erp-sync")))
                .contains(new ProxyAddress("10.0.0.7", 8080));
        assertThat(router.hasRoute("any-org", new SecureProxy("123e4567-e89b-12d3-a456-426614174000", "other")))
                .isFalse();
        assertThat(options.toString()).contains("staticIpProxy=set, secureProxyRoutes=2");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "HOOKENGINE_STATIC_IP_PROXY|egress.internal|HOOKENGINE_STATIC_IP_PROXY must be host:port (an IPv6"
                        + " address in brackets)",
                "HOOKENGINE_STATIC_IP_PROXY|egress.internal:0|HOOKENGINE_STATIC_IP_PROXY: the port must be a number"
                        + " from 1 to 65535",
                "HOOKENGINE_STATIC_IP_PROXY|fd00::7:3128|HOOKENGINE_STATIC_IP_PROXY must be host:port (an IPv6"
                        + " address in brackets)",
                "HOOKENGINE_STATIC_IP_PROXY|proxyuser:pr0xy-pass@egress:3128|HOOKENGINE_STATIC_IP_PROXY: proxy"
                        + " credentials (user:password@) are not supported",
                "HOOKENGINE_SECURE_PROXIES|123e4567-e89b-12d3-a456-426614174000/a=h:1,broken|HOOKENGINE_SECURE_PROXIES"
                        + " entry 2 must be integrationId/useCaseSlug=host:port",
                "HOOKENGINE_SECURE_PROXIES|erp-1/a=h:1|HOOKENGINE_SECURE_PROXIES entry 1: the integration id must be a"
                        + " UUID",
                "HOOKENGINE_SECURE_PROXIES|123e4567-e89b-12d3-a456-426614174000/ =h:1|HOOKENGINE_SECURE_PROXIES entry"
                        + " 1: the use case slug is empty",
                "HOOKENGINE_SECURE_PROXIES|123e4567-e89b-12d3-a456-426614174000/a=u:s3cr3t-pw@h:1|"
                        + "HOOKENGINE_SECURE_PROXIES entry 1: proxy credentials (user:password@) are not supported",
                "HOOKENGINE_SECURE_PROXIES|123e4567-e89b-12d3-a456-426614174000/a=h:1,"
                        + "123E4567-e89b-12d3-a456-426614174000/a=g:2|HOOKENGINE_SECURE_PROXIES entry 2 repeats an"
                        + " integration and use case"
            })
    void aBadProxySettingIsRefusedNamingTheVariableWithoutEchoingIt(String name, String value, String message) {
        assertThatThrownBy(() -> ServerOptions.parse(new String[0], Map.of(name, value)))
                .isInstanceOf(UsageException.class)
                .hasMessage(message);
    }

    @Test
    void aBadCatalogFileIsRefusedNamingTheEntry(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("catalog.json");
        java.nio.file.Files.writeString(file, "[{\"eventName\": \"ok\"}, {\"eventLabel\": \"no name\"}]");

        assertThatThrownBy(() -> StandaloneServer.catalog(file)).hasMessageContaining("[1].eventName");
        assertThat(StandaloneServer.catalog(null))
                .extracting(event -> event.eventName())
                .contains("customer_created");
    }
}
