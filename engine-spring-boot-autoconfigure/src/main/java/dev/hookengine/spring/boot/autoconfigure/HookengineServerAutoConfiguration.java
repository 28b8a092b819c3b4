package dev.hookengine.spring.boot.autoconfigure;

import dev.hookengine.WebhookEngine;
import dev.hookengine.server.Authenticator;
import dev.hookengine.server.WebhookServer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * The webhooks REST API of engine-server ({@link WebhookServer}) on the application's engine, with
 * {@code hookengine.server.enabled=true}: on its own port ({@code hookengine.server.port}), beside the
 * application's web server if it has one, authenticated by the application's {@link Authenticator} bean.
 * Without that bean it is not started (an API without authentication is never the default).
 */
@AutoConfiguration(after = HookengineEngineAutoConfiguration.class)
@ConditionalOnClass(WebhookServer.class)
@ConditionalOnProperty(name = "hookengine.server.enabled", havingValue = "true")
@ConditionalOnBean({WebhookEngine.class, Authenticator.class})
public class HookengineServerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(WebhookServer.class)
    WebhookServer webhookServer(WebhookEngine engine, Authenticator authenticator, HookengineProperties properties) {
        return WebhookServer.builder(engine)
                .authenticator(authenticator)
                .host(properties.getServer().getHost())
                .port(properties.getServer().getPort())
                .build();
    }

    @Bean
    SmartLifecycle webhookServerLifecycle(WebhookServer server) {
        return new ServerLifecycle(server);
    }

    /** Listens once the context has started, in the engine's phase; stops listening before the engine closes. */
    private static final class ServerLifecycle implements SmartLifecycle {

        private final WebhookServer server;
        private volatile boolean running;

        ServerLifecycle(WebhookServer server) {
            this.server = server;
        }

        @Override
        public void start() {
            server.start();
            running = true;
        }

        @Override
        public void stop() {
            running = false;
            server.close();
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        /** One above the engine's: starts after it, stops (no more requests) before it closes. */
        @Override
        public int getPhase() {
            return WebhookEngineLifecycle.PHASE + 1;
        }
    }
}
