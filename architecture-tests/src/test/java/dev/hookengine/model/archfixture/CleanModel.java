package dev.hookengine.model.archfixture;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** Fixture: a model value using only the model, the JDK and Jackson (allowed). */
public record CleanModel(@JsonProperty("at") Instant at, List<CleanModel> children, JsonNode extra, int count) {}
