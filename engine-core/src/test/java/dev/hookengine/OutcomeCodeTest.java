package dev.hookengine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The codes are stored in events and returned by the API: their strings are pinned here, letter for
 * letter, so that renaming a constant can never change what is recorded.
 */
class OutcomeCodeTest {

    private static final Map<OutcomeCode, String> RECORDED = Map.ofEntries(
            Map.entry(OutcomeCode.TIMEOUT, "TIMEOUT"),
            Map.entry(OutcomeCode.CONNECTION_ERROR, "CONNECTION_ERROR"),
            Map.entry(OutcomeCode.DESTINATION_BLOCKED, "DESTINATION_BLOCKED"),
            Map.entry(OutcomeCode.INTERNAL_RESPONSE_TOO_LARGE, "INTERNAL_RESPONSE_TOO_LARGE"),
            Map.entry(OutcomeCode.INTERNAL_ERROR, "INTERNAL_ERROR"),
            Map.entry(OutcomeCode.CONFIG_NOT_FOUND, "CONFIG_NOT_FOUND"),
            Map.entry(OutcomeCode.CONFIG_INCOMPLETE, "CONFIG_INCOMPLETE"),
            Map.entry(OutcomeCode.CONFIG_DISABLED, "CONFIG_DISABLED"),
            Map.entry(OutcomeCode.INVALID_HEADER, "INVALID_HEADER"),
            Map.entry(OutcomeCode.SECURE_PROXY_UNAVAILABLE, "SECURE_PROXY_UNAVAILABLE"),
            Map.entry(OutcomeCode.STATIC_IP_UNAVAILABLE, "STATIC_IP_UNAVAILABLE"),
            Map.entry(OutcomeCode.OAUTH_TOKEN_EXCHANGE_ERROR, "OAuthTokenExchangeError"),
            Map.entry(OutcomeCode.MISSING_VARIABLE, "MISSING_VARIABLE"),
            Map.entry(OutcomeCode.SKIPPED, "SKIPPED"),
            Map.entry(OutcomeCode.INVALID_CONFIG, "INVALID_CONFIG"),
            Map.entry(OutcomeCode.HYDRATION_ERROR, "HYDRATION_ERROR"),
            Map.entry(OutcomeCode.JSONATA_EVALUATION_ERROR, "JSONATA_EVALUATION_ERROR"),
            Map.entry(OutcomeCode.JSONATA_TIMEOUT, "JSONATA_TIMEOUT"),
            Map.entry(OutcomeCode.JSONATA_LIMIT_EXCEEDED, "JSONATA_LIMIT_EXCEEDED"),
            Map.entry(OutcomeCode.ATTACHMENT_UNAVAILABLE, "ATTACHMENT_UNAVAILABLE"),
            Map.entry(OutcomeCode.ATTACHMENT_TOO_LARGE, "ATTACHMENT_TOO_LARGE"),
            Map.entry(OutcomeCode.TOO_MANY_ATTACHMENTS, "TOO_MANY_ATTACHMENTS"),
            Map.entry(OutcomeCode.EVENT_VERSION_UNAVAILABLE, "EVENT_VERSION_UNAVAILABLE"),
            Map.entry(OutcomeCode.HYDRATION_UNAVAILABLE, "HYDRATION_UNAVAILABLE"),
            Map.entry(OutcomeCode.REDISPATCHED, "REDISPATCHED"),
            Map.entry(OutcomeCode.TLS_ERROR, "TLS_ERROR"));

    @Test
    void everyCodeRecordsItsStringExactly() {
        assertThat(RECORDED.keySet()).containsExactlyInAnyOrder(OutcomeCode.values());
        RECORDED.forEach((code, recorded) -> assertThat(code.code()).isEqualTo(recorded));
    }

    @Test
    void ofReadsARecordedCodeBack() {
        Arrays.stream(OutcomeCode.values())
                .forEach(code -> assertThat(OutcomeCode.of(code.code())).contains(code));
    }

    @Test
    void ofIsEmptyForAnUnknownOrMissingCode() {
        assertThat(OutcomeCode.of("oauthtokenexchangeerror")).isEmpty();
        assertThat(OutcomeCode.of("SOMETHING_NEW")).isEmpty();
        assertThat(OutcomeCode.of(null)).isEmpty();
    }
}
