package dev.hookengine.internal.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.DomainEvent;
import dev.hookengine.EngineConfig;
import dev.hookengine.FieldError;
import dev.hookengine.ValidationException;
import dev.hookengine.internal.config.CompiledConfig;
import dev.hookengine.internal.config.ConfigService;
import dev.hookengine.model.ExampleRequest;
import dev.hookengine.model.Metadata;
import dev.hookengine.model.Timestamps;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.CatalogEvent;
import dev.hookengine.spi.EventCatalog;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.transform.ExpressionException;
import dev.hookengine.transform.PayloadView;
import java.util.UUID;

/**
 * {@code getWebhookExample}: what a config's receiver would get for an example of its event. The
 * example entity comes from the {@link EventCatalog} (an empty entity when the catalog has none); the
 * payload is built as for a published event, with the config's {@code payloadConfiguration}, then
 * passed through its transform. Filters are not applied: an example is shown whatever the config
 * would let through. Nothing is recorded or sent.
 */
public final class Examples {

    private final EngineConfig config;
    private final ConfigService configs;

    public Examples(EngineConfig config, ConfigService configs) {
        this.config = config;
        this.configs = configs;
    }

    /**
     * The example for the organization's config {@code configId}.
     *
     * @return the payload, or the transform's result: always a JSON object, as the spec's
     *     {@code ExampleResponse}
     * @throws dev.hookengine.NotFoundException when the organization has no config with this id
     * @throws ValidationException              at {@code jsonataExpression} when the transform fails on the
     *                                          example, hits a bound of the engine's {@code ExpressionLimits}
     *                                          (its result's size included), or yields something other than
     *                                          an object: the same rule as a delivery's, see {@link Dispatcher};
     *                                          also when it yields nothing, for which an event is skipped
     */
    public JsonNode example(String orgId, String configId, ExampleRequest request) {
        StoredConfig stored = configs.find(orgId, configId);
        WebhookConfig webhook = stored.config();
        ObjectNode entity = config.eventCatalog()
                .find(orgId, webhook.eventName())
                .map(CatalogEvent::exampleEntity)
                .orElseGet(JsonNodeFactory.instance::objectNode);
        DomainEvent.Builder event = DomainEvent.builder(orgId, webhook.eventName())
                .metadata(Metadata.builder()
                        .action("example")
                        .origin("hookengine")
                        .build())
                .entity(entity);
        if (request != null && request.automationId() != null) {
            // Beside metadata, not in it: the spec's Metadata has no such property, and clients
            // generated from it reject properties it does not name; ExampleResponse allows any.
            event.property("automation_id", JsonNodeFactory.instance.textNode(request.automationId()));
        }
        DomainEvent example = event.build();
        EventPayloads payloads = new EventPayloads(
                example,
                config.entityHydrator(),
                Timestamps.now(config.clock()),
                UUID.randomUUID().toString());
        CompiledConfig compiled = CompiledConfig.compile(stored);
        if (compiled.compileError() != null) {
            throw new ValidationException(
                    "webhook config", new FieldError("jsonataExpression", compiled.compileError()));
        }
        ObjectNode payload = payloads.payloadFor(webhook);
        if (compiled.transform() == null) {
            return payload;
        }
        try {
            ObjectNode body = Dispatcher.transformedBody(compiled, PayloadView.of(payload), config.expressionLimits());
            if (body == null) {
                throw new ValidationException(
                        "webhook config",
                        new FieldError(
                                "jsonataExpression",
                                "yields nothing (undefined or null) on the example payload: such an event is"
                                        + " skipped, not delivered"));
            }
            return body;
        } catch (ExpressionException e) {
            throw new ValidationException(
                    "webhook config",
                    new FieldError("jsonataExpression", "fails on the example payload: " + e.getMessage()));
        }
    }
}
