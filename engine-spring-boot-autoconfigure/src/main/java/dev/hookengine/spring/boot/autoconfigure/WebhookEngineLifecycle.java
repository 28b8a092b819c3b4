package dev.hookengine.spring.boot.autoconfigure;

import dev.hookengine.WebhookEngine;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the engine's delivery workers when the application context has started, and closes the engine
 * when it stops: before the beans it uses (the store, the transport, the DataSource) are destroyed.
 *
 * <p>Closing is {@link WebhookEngine#close()}: claiming stops, attempts in flight finish (bounded by the
 * attempt deadline plus 5 s, twice), and jobs not yet attempted stay queued, for the next start on the
 * same database or another node. The phase is below the web server's so that the engine stops after
 * it (its graceful shutdown lets requests that publish end first) and starts delivering before it
 * takes requests.
 */
final class WebhookEngineLifecycle implements SmartLifecycle {

    /** Below Spring Boot's web server phases ({@code DEFAULT_PHASE - 1024} and {@code - 2048}). */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final WebhookEngine engine;
    private final boolean deliver;
    private volatile boolean running;

    WebhookEngineLifecycle(WebhookEngine engine, boolean deliver) {
        this.engine = engine;
        this.deliver = deliver;
    }

    @Override
    public void start() {
        if (deliver) {
            engine.start();
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        engine.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
