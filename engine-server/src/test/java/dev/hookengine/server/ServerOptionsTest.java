package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.server.ServerOptions.Database;
import dev.hookengine.server.ServerOptions.UsageException;
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
    void aBadCatalogFileIsRefusedNamingTheEntry(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("catalog.json");
        java.nio.file.Files.writeString(file, "[{\"eventName\": \"ok\"}, {\"eventLabel\": \"no name\"}]");

        assertThatThrownBy(() -> StandaloneServer.catalog(file)).hasMessageContaining("[1].eventName");
        assertThat(StandaloneServer.catalog(null))
                .extracting(event -> event.eventName())
                .contains("customer_created");
    }
}
