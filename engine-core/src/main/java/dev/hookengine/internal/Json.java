package dev.hookengine.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The engine's one {@link ObjectMapper}, configured once and never changed afterwards. */
public final class Json {

    /** Reads and writes the model; thread-safe once configured, as Jackson documents. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}
}
