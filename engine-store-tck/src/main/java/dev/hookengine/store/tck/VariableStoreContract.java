package dev.hookengine.store.tck;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.model.Secret;
import dev.hookengine.spi.VariableStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link VariableStore}: a variable reads back as put, a put replaces, a delete
 * removes once, and names come sorted.
 *
 * <p>Part of {@link WebhookStoreContract}, which runs it against the store under test.
 */
public abstract class VariableStoreContract extends StoreContractSupport {

    /** Run only as part of {@link WebhookStoreContract}, which supplies the store under test. */
    VariableStoreContract() {}

    @Test
    void aVariableReadsBackAsPut() {
        store.putVariable(ORG_A, "API_TOKEN", Secret.of("s3cret"));

        assertThat(store.findVariable(ORG_A, "API_TOKEN")).contains(Secret.of("s3cret"));
        assertThat(store.findVariable(ORG_A, "API_TOKEN").orElseThrow().reveal())
                .isEqualTo("s3cret");
    }

    @Test
    void anUnknownVariableIsEmpty() {
        store.putVariable(ORG_A, "API_TOKEN", Secret.of("s3cret"));

        assertThat(store.findVariable(ORG_A, "OTHER")).isEmpty();
    }

    @Test
    void putReplacesTheValue() {
        store.putVariable(ORG_A, "API_TOKEN", Secret.of("old"));

        store.putVariable(ORG_A, "API_TOKEN", Secret.of("new"));

        assertThat(store.findVariable(ORG_A, "API_TOKEN")).contains(Secret.of("new"));
        assertThat(store.variableNames(ORG_A)).containsExactly("API_TOKEN");
    }

    @Test
    void deleteRemovesTheVariableOnce() {
        store.putVariable(ORG_A, "API_TOKEN", Secret.of("s3cret"));
        store.putVariable(ORG_A, "HOST", Secret.of("example.com"));

        assertThat(store.deleteVariable(ORG_A, "API_TOKEN")).isTrue();
        assertThat(store.deleteVariable(ORG_A, "API_TOKEN")).isFalse();
        assertThat(store.deleteVariable(ORG_A, "NEVER_SET")).isFalse();

        assertThat(store.findVariable(ORG_A, "API_TOKEN")).isEmpty();
        assertThat(store.findVariable(ORG_A, "HOST")).contains(Secret.of("example.com"));
        assertThat(store.variableNames(ORG_A)).containsExactly("HOST");
    }

    @Test
    void namesAreSorted() {
        for (String name : List.of("DELTA", "ALPHA", "CHARLIE", "BRAVO", "ALPHA2")) {
            store.putVariable(ORG_A, name, Secret.of("value of " + name));
        }

        assertThat(store.variableNames(ORG_A)).containsExactly("ALPHA", "ALPHA2", "BRAVO", "CHARLIE", "DELTA");
    }

    @Test
    void anOrganizationWithoutVariablesHasNoNames() {
        assertThat(store.variableNames(ORG_A)).isEmpty();
    }
}
