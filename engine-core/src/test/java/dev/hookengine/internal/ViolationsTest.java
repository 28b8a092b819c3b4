package dev.hookengine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.FieldError;
import dev.hookengine.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rule for identifier text: what it refuses, what it lets through, and how it says so. */
class ViolationsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {"a\u0000b", "\u0001", "tab\there", "line\nfeed", "cr\r", "esc\u001b", "unit\u001f", "del\u007f"})
    void controlCharactersAndDelAreRefusedNamingTheParameter(String value) {
        assertThat(Violations.isIdentifierText(value)).isFalse();
        assertThatThrownBy(() -> new Violations()
                        .identifier("orgId", "org-a")
                        .identifier("configId", value)
                        .throwIfAny("request"))
                .isInstanceOf(ValidationException.class)
                .hasMessage("Invalid request: configId: must not contain control characters")
                .extracting(e -> ((ValidationException) e).errors())
                .isEqualTo(List.of(new FieldError("configId", "must not contain control characters")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\ud800", "a\ud800b", "\udc00", "ab\udfff", "\udc00\ud800"})
    void unpairedSurrogatesAreRefused(String value) {
        assertThat(Violations.isIdentifierText(value)).isFalse();
        assertThat(new Violations().identifier("eventName", value).errors())
                .containsExactly(new FieldError("eventName", "must not contain unpaired surrogates"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "org-a",
                "customer_created",
                "evt 1/2?x=%00",
                "\u0080\u009f",
                "ünïcødé",
                "emoji \ud83d\ude00",
                "\u00a0"
            })
    void everythingElseIsIdentifierText(String value) {
        assertThat(Violations.isIdentifierText(value)).isTrue();
        assertThat(new Violations().identifier("eventName", value).errors()).isEmpty();
    }

    @Test
    void nullIsLeftToTheCallerAndEveryOffenceIsReported() {
        assertThat(Violations.isIdentifierText(null)).isTrue();
        assertThat(new Violations()
                        .identifier("orgId", null)
                        .identifier("eventIds[0]", "a\u0000")
                        .identifier("eventIds[1]", "ok")
                        .identifier("eventIds[2]", "\ud800")
                        .errors())
                .extracting(FieldError::path)
                .containsExactly("eventIds[0]", "eventIds[2]");
    }
}
