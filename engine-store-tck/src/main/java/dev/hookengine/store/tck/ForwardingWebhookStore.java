package dev.hookengine.store.tck;

import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.support.ComposedWebhookStore;
import java.util.Objects;

/**
 * A {@link WebhookStore} that forwards every call to another one. Tests override the methods they
 * need to observe or disturb (a concurrent write landing between a read and a write, a store failing
 * at one step) while the real store does the rest.
 */
public class ForwardingWebhookStore extends ComposedWebhookStore {

    private final WebhookStore delegate;

    public ForwardingWebhookStore(WebhookStore delegate) {
        super(Objects.requireNonNull(delegate, "delegate"), delegate, delegate, delegate, delegate);
        this.delegate = delegate;
    }

    /** The store calls are forwarded to. */
    protected WebhookStore delegate() {
        return delegate;
    }
}
