package dev.hookengine.server;

import dev.hookengine.model.Secret;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the standalone server is started with: its command line and environment, parsed and checked
 * before anything starts.
 *
 * <p>Command line: {@code [--host H] [--port N] [--db memory | h2:<dir> | jdbc:postgresql://...]
 * [--catalog <file.json>]}, each also as {@code --name=value}. Environment:
 * {@code HOOKENGINE_API_TOKENS} ({@code token=org,token=org}), {@code HOOKENGINE_MASTER_KEY} (base64
 * of 32 bytes), {@code HOOKENGINE_ALLOW_PRIVATE_TARGETS} ({@code true} or {@code false}),
 * {@code HOOKENGINE_DB_USER} and {@code HOOKENGINE_DB_PASSWORD} (for a JDBC URL),
 * {@code HOOKENGINE_STATIC_IP_PROXY} and {@code HOOKENGINE_SECURE_PROXIES} (see {@link ProxySettings}).
 *
 * @param host                the interface to bind
 * @param port                the port, 0 for any free one
 * @param database            where configs, events and the queue live
 * @param catalog             the event catalog file, or {@code null} for the built-in one
 * @param apiTokens           organization by API token, or {@code null} to generate one token for {@link #DEFAULT_ORG}
 * @param masterKey           the key secrets are encrypted with at rest, or {@code null}
 * @param allowPrivateTargets whether receivers on loopback and private networks may be delivered to
 * @param databaseUser        the user for a JDBC URL, or {@code null}
 * @param databasePassword    the password for a JDBC URL, or {@code null}
 * @param hydration           where {@code hydrate_entity} and {@code include_relations} fetch from, or
 *                            {@code null}: entities and relations are what the events carry
 * @param proxies             the proxy routes of {@code enableStaticIP} and {@code secureProxy} configs
 */
public record ServerOptions(
        String host,
        int port,
        Database database,
        Path catalog,
        Map<String, String> apiTokens,
        Secret masterKey,
        boolean allowPrivateTargets,
        String databaseUser,
        Secret databasePassword,
        Hydration hydration,
        ProxySettings proxies) {

    /**
     * The entity service of {@code HOOKENGINE_HYDRATION_*}: URL templates ({@code {orgId}},
     * {@code {eventName}}, {@code {entityId}}, {@code {schema}}; see {@code HttpEntityHydrator}), each
     * {@code null} when not set, and an auth header {@code Name: value} whose value is a secret.
     */
    public record Hydration(String entityUrl, String relationsUrl, String authHeaderName, Secret authHeaderValue) {
        @Override
        public String toString() {
            return "Hydration[entityUrl=" + entityUrl + ", relationsUrl=" + relationsUrl + ", authHeader="
                    + (authHeaderName == null ? "none" : authHeaderName + ": ****") + "]";
        }
    }

    /** The organization of the token generated when {@code HOOKENGINE_API_TOKENS} is not set. */
    public static final String DEFAULT_ORG = "default";
    /** The embedded database's directory unless {@code --db} says otherwise. */
    public static final Path DEFAULT_DATA_DIR = Path.of("hookengine-data");

    /** The command line's help text. */
    public static final String USAGE = """
            usage: java -jar engine-server.jar [--port N] [--host H] [--db DB] [--catalog FILE]
              --port N        port to listen on, 0 for any free one (default 8080)
              --host H        interface to bind (default 0.0.0.0)
              --db DB         h2:<dir> (default h2:./hookengine-data), memory, or jdbc:postgresql://host/db
              --catalog FILE  event catalog: a JSON array of {eventName, eventLabel, example}
            environment:
              HOOKENGINE_API_TOKENS             token=org,token=org (default: one generated token for org 'default')
              HOOKENGINE_MASTER_KEY             base64 of 32 bytes; required with a JDBC URL
              HOOKENGINE_ALLOW_PRIVATE_TARGETS  true to deliver to loopback and private networks
              HOOKENGINE_DB_USER, HOOKENGINE_DB_PASSWORD  credentials for a JDBC URL
              HOOKENGINE_HYDRATION_ENTITY_URL     entity service URL for hydrate_entity, such as
                                                https://entities.internal/{orgId}/{schema}/{entityId}
              HOOKENGINE_HYDRATION_RELATIONS_URL  the same for include_relations
              HOOKENGINE_HYDRATION_AUTH_HEADER  'Name: value' sent to the entity service (a secret)

              HOOKENGINE_STATIC_IP_PROXY        host:port of the HTTP egress proxy of enableStaticIP configs
              HOOKENGINE_SECURE_PROXIES         integrationId/useCaseSlug=host:port,... the HTTP proxies of
                                                secureProxy configs (any organization)""";

    public ServerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        apiTokens = apiTokens == null ? null : Map.copyOf(apiTokens);
        proxies = proxies == null ? ProxySettings.NONE : proxies;
    }

    /** Where the data lives. */
    public sealed interface Database {
        /** In memory: gone when the server stops. */
        record Memory() implements Database {
            @Override
            public String toString() {
                return "memory";
            }
        }

        /** Embedded H2 in {@code directory}; the key file may be generated there. */
        record H2(Path directory) implements Database {
            @Override
            public String toString() {
                return "h2:" + directory;
            }
        }

        /** A PostgreSQL (or H2 server) database at a JDBC URL. */
        record Jdbc(String url) implements Database {
            @Override
            public String toString() {
                // The URL may carry a password parameter: show only what precedes the parameters.
                int query = url.indexOf('?');
                return query < 0 ? url : url.substring(0, query) + "?...";
            }
        }
    }

    /** A command line or environment the server cannot start with; the message says what is wrong. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    /**
     * Parses {@code args} and the environment; {@code null} when {@code --help} was asked for.
     *
     * @throws UsageException naming the argument or variable at fault
     */
    public static ServerOptions parse(String[] args, Map<String, String> env) throws UsageException {
        String host = WebhookServer.Builder.DEFAULT_HOST;
        int port = WebhookServer.Builder.DEFAULT_PORT;
        Database database = new Database.H2(DEFAULT_DATA_DIR);
        Path catalog = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return null;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg;
            String value;
            int equals = arg.indexOf('=');
            if (equals >= 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException(arg + " needs a value");
            }
            switch (name) {
                case "--port" -> port = parsePort(value);
                case "--host" -> host = requireValue(name, value);
                case "--db" -> database = parseDatabase(value);
                case "--catalog" -> catalog = Path.of(requireValue(name, value));
                default -> throw new UsageException("unknown option '" + name + "'");
            }
        }
        Map<String, String> tokens = parseTokens(env.get("HOOKENGINE_API_TOKENS"));
        String key = env.get("HOOKENGINE_MASTER_KEY");
        Secret masterKey = key == null || key.isBlank() ? null : Secret.of(key.trim());
        if (database instanceof Database.Jdbc && masterKey == null) {
            throw new UsageException("HOOKENGINE_MASTER_KEY is required with a JDBC database: secrets are "
                    + "encrypted at rest, and only the embedded default keeps a generated key file");
        }
        boolean allowPrivate =
                parseBoolean("HOOKENGINE_ALLOW_PRIVATE_TARGETS", env.get("HOOKENGINE_ALLOW_PRIVATE_TARGETS"));
        String password = env.get("HOOKENGINE_DB_PASSWORD");
        Hydration hydration = parseHydration(env);
        return new ServerOptions(
                host,
                port,
                database,
                catalog,
                tokens,
                masterKey,
                allowPrivate,
                env.get("HOOKENGINE_DB_USER"),
                password == null ? null : Secret.of(password),
                hydration,
                ProxySettings.parse(env));
    }

    /** These options with another port; for tests and tools that pick a free one. */
    public ServerOptions withPort(int newPort) {
        return new ServerOptions(
                host,
                newPort,
                database,
                catalog,
                apiTokens,
                masterKey,
                allowPrivateTargets,
                databaseUser,
                databasePassword,
                hydration,
                proxies);
    }

    /** These options with another host. */
    public ServerOptions withHost(String newHost) {
        return new ServerOptions(
                newHost,
                port,
                database,
                catalog,
                apiTokens,
                masterKey,
                allowPrivateTargets,
                databaseUser,
                databasePassword,
                hydration,
                proxies);
    }

    @Override
    public String toString() {
        // Never the tokens or the keys.
        return "ServerOptions[host=" + host + ", port=" + port + ", database=" + database + ", catalog="
                + (catalog == null ? "built-in" : catalog) + ", organizations with tokens="
                + (apiTokens == null
                        ? "generated"
                        : String.valueOf(apiTokens.values().stream().distinct().count()))
                + ", masterKey=" + (masterKey == null ? "none" : "set") + ", allowPrivateTargets="
                + allowPrivateTargets + ", hydration=" + (hydration == null ? "none" : hydration) + ", " + proxies
                + "]";
    }

    /**
     * {@code HOOKENGINE_HYDRATION_*}; {@code null} when no URL is set. The templates are checked when
     * the hydrator is built at start; the auth header here: {@code Name: value}, the message never
     * showing the value.
     */
    private static Hydration parseHydration(Map<String, String> env) throws UsageException {
        String entityUrl = blankToNull(env.get("HOOKENGINE_HYDRATION_ENTITY_URL"));
        String relationsUrl = blankToNull(env.get("HOOKENGINE_HYDRATION_RELATIONS_URL"));
        String header = blankToNull(env.get("HOOKENGINE_HYDRATION_AUTH_HEADER"));
        if (entityUrl == null && relationsUrl == null) {
            if (header != null) {
                throw new UsageException("HOOKENGINE_HYDRATION_AUTH_HEADER needs HOOKENGINE_HYDRATION_ENTITY_URL or "
                        + "HOOKENGINE_HYDRATION_RELATIONS_URL");
            }
            return null;
        }
        if (header == null) {
            return new Hydration(entityUrl, relationsUrl, null, null);
        }
        int colon = header.indexOf(':');
        String name = colon < 0 ? "" : header.substring(0, colon).trim();
        String value = colon < 0 ? "" : header.substring(colon + 1).trim();
        if (name.isEmpty() || value.isEmpty()) {
            throw new UsageException(
                    "HOOKENGINE_HYDRATION_AUTH_HEADER must be 'Name: value', such as " + "'Authorization: Bearer ...'");
        }
        return new Hydration(entityUrl, relationsUrl, name, Secret.of(value));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static int parsePort(String value) throws UsageException {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--port must be a number from 0 to 65535, was '" + value + "'");
    }

    private static Database parseDatabase(String value) throws UsageException {
        if (value.equals("memory")) {
            return new Database.Memory();
        }
        if (value.startsWith("h2:")) {
            String dir = value.substring(3);
            if (dir.isBlank()) {
                throw new UsageException("--db h2:<dir> needs a directory");
            }
            return new Database.H2(Path.of(dir));
        }
        if (value.startsWith("jdbc:postgresql:") || value.startsWith("jdbc:h2:")) {
            return new Database.Jdbc(value);
        }
        throw new UsageException(
                "--db must be memory, h2:<dir> or a jdbc:postgresql:// URL, was '" + new Database.Jdbc(value) + "'");
    }

    private static String requireValue(String name, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(name + " needs a value");
        }
        return value;
    }

    private static boolean parseBoolean(String name, String value) throws UsageException {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new UsageException(name + " must be true or false");
    }

    /** {@code token=org,token=org}; a token may itself contain {@code =}, so the last one splits. */
    private static Map<String, String> parseTokens(String value) throws UsageException {
        if (value == null || value.isBlank()) {
            return null;
        }
        Map<String, String> tokens = new LinkedHashMap<>();
        int position = 0;
        for (String pair : value.split(",")) {
            position++;
            int equals = pair.lastIndexOf('=');
            String token = equals < 0 ? "" : pair.substring(0, equals).trim();
            String org = equals < 0 ? "" : pair.substring(equals + 1).trim();
            // The message says which entry, never the token itself.
            if (token.isEmpty() || org.isEmpty()) {
                throw new UsageException("HOOKENGINE_API_TOKENS entry " + position + " must be token=organization");
            }
            if (tokens.put(token, org) != null) {
                throw new UsageException("HOOKENGINE_API_TOKENS entry " + position + " repeats a token");
            }
        }
        return tokens;
    }
}
