package dev.hookengine.store.tck;

import dev.hookengine.spi.WebhookStore;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands each part of the contract the store that {@link WebhookStoreContract} made for the current
 * test, as a {@link WebhookStore} parameter of its {@code @BeforeEach} method.
 *
 * <p>It exists because the parts are classes of their own, which a store's test never sees: they run
 * as {@link org.junit.jupiter.api.Nested} classes of the one class the test extends, and reach the
 * store through JUnit rather than through a constructor every nested class would have to repeat.
 */
final class StoreUnderTest implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == WebhookStore.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRequiredTestInstances()
                .findInstance(WebhookStoreContract.class)
                .map(contract -> contract.store)
                .orElseThrow(() -> new ParameterResolutionException(
                        "the store contract's parts run only inside a subclass of WebhookStoreContract"));
    }
}
