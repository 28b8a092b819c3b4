package dev.hookengine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What one config makes of one event: deliver a body, skip it for a reason, or fail with a code.
 * Every dispatch carries the payload built for the config before its transform (the event's
 * {@code original_payload}).
 */
public sealed interface Dispatch permits Dispatch.Deliver, Dispatch.Skip, Dispatch.Fail {

    /** The config. */
    String configId();

    /** The payload built for the config, before its transform; {@code null} when building it failed. */
    ObjectNode payload();

    /**
     * The event passes the config's filters; {@code body} is what the receiver gets: the transform's
     * result, or the payload itself when the config has no transform. {@code orderingKey} is the FIFO
     * lane the delivery waits in when the config delivers in order ({@code ordering} in its
     * controls), {@code null} when it delivers in parallel.
     */
    record Deliver(String configId, ObjectNode payload, JsonNode body, String orderingKey) implements Dispatch {
        public Deliver {
            Objects.requireNonNull(configId, "configId");
            Objects.requireNonNull(body, "body");
        }

        /** A delivery of a config that delivers in parallel. */
        public Deliver(String configId, ObjectNode payload, JsonNode body) {
            this(configId, payload, body, null);
        }
    }

    /** The event does not pass the config's filters, or its transform produced nothing; nothing is sent. */
    record Skip(String configId, ObjectNode payload, String reason) implements Dispatch {
        public Skip {
            Objects.requireNonNull(configId, "configId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The event could not be processed for the config: a JSONata condition or transform failed or hit
     * its bounds ({@code JSONATA_*}), hydration failed ({@code HYDRATION_ERROR}), or the stored config
     * no longer compiles ({@code INVALID_CONFIG}). Nothing is sent. {@code code} is the
     * {@link OutcomeCode#code()} of one of these.
     */
    record Fail(String configId, ObjectNode payload, String code, String message) implements Dispatch {
        public Fail {
            Objects.requireNonNull(configId, "configId");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }
}
