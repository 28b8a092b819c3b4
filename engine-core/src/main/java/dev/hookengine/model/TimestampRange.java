package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** Inclusive range of event creation times (spec: {@code SearchOptions.timestamp}); either end may be open. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimestampRange(
        @IsoInstant Instant from, @IsoInstant Instant to) {}
