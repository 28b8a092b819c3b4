package dev.hookengine.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.OutcomeCode;
import dev.hookengine.model.DeliveryMode;
import dev.hookengine.model.FileFieldStrategy;
import dev.hookengine.model.MultipartConfig;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.transform.ExpressionLimits;
import dev.hookengine.transform.JsonataExpression;
import dev.hookengine.transform.PayloadView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A file delivery's settings ({@code deliveryMode}, {@code multipartConfig}) compiled, and the two
 * rules that read a payload with them: which attachments {@code fileSource} picks
 * ({@link #pick}), and what the {@code extraFields} say ({@link #extraFieldValues}). Both evaluate on
 * the payload built for the config <em>before</em> its transform (the event's
 * {@code original_payload}): the transform shapes the JSON the receiver gets, while the files and form
 * fields come from the event as published, so a transform need not carry {@code event_attachments}
 * along.
 *
 * <p>The pick: {@code undefined}, {@code null} and an empty array pick nothing (the event is skipped
 * with that reason, nothing sent); an array picks its items ({@code null} items left out); any other
 * value picks itself. Under {@code binary_multipart} with {@code fileFieldStrategy} {@code single}
 * (the default) more than one is {@link OutcomeCode#TOO_MANY_ATTACHMENTS}. {@code json_base64} embeds
 * every attachment picked: the strategy, like the rest of {@code multipartConfig} but
 * {@code fileSource}, is about the form's parts.
 *
 * @param mode        the delivery mode
 * @param fileSource  the compiled {@code fileSource}, {@value #DEFAULT_FILE_SOURCE} when it has none
 * @param strategy    {@code fileFieldStrategy}, {@code single} when it has none
 * @param fieldName   {@code fileFieldName}, {@value #DEFAULT_FIELD_NAME} when it has none
 * @param extraFields each form field's compiled expression, in the config's order
 */
public record FilePlan(
        DeliveryMode mode,
        JsonataExpression fileSource,
        FileFieldStrategy strategy,
        String fieldName,
        Map<String, JsonataExpression> extraFields) {

    /** The spec's default {@code fileSource}: every attachment of the event. */
    public static final String DEFAULT_FILE_SOURCE = "event_attachments";

    /** The spec's default {@code fileFieldName}. */
    public static final String DEFAULT_FIELD_NAME = "file";

    /**
     * {@code config}'s file settings compiled, or {@code null} when it has no {@code deliveryMode} (a
     * plain JSON delivery).
     *
     * @throws IllegalArgumentException when an expression does not compile
     */
    public static FilePlan compile(WebhookConfig config) {
        if (config.deliveryMode() == null) {
            return null;
        }
        MultipartConfig multipart = config.multipartConfig();
        String source =
                multipart == null || multipart.fileSource() == null ? DEFAULT_FILE_SOURCE : multipart.fileSource();
        Map<String, JsonataExpression> extra = new LinkedHashMap<>();
        if (multipart != null && multipart.extraFields() != null) {
            multipart
                    .extraFields()
                    .forEach((name, expression) -> extra.put(name, JsonataExpression.compile(expression)));
        }
        return new FilePlan(
                config.deliveryMode(),
                JsonataExpression.compile(source),
                multipart == null || multipart.fileFieldStrategy() == null
                        ? FileFieldStrategy.SINGLE
                        : multipart.fileFieldStrategy(),
                multipart == null || multipart.fileFieldName() == null ? DEFAULT_FIELD_NAME : multipart.fileFieldName(),
                Collections.unmodifiableMap(extra));
    }

    /** What {@code fileSource} picks from a payload, by the rule in this class's javadoc. */
    public sealed interface Pick permits Picked, NothingPicked, TooMany {}

    /** The attachments to send, at least one, in the order picked. */
    public record Picked(List<JsonNode> attachments) implements Pick {
        public Picked {
            attachments = List.copyOf(attachments);
        }
    }

    /** Nothing to send: the event is skipped with {@code reason}. */
    public record NothingPicked(String reason) implements Pick {}

    /** More than {@code single} allows: the delivery fails with {@link OutcomeCode#TOO_MANY_ATTACHMENTS}. */
    public record TooMany(String message) implements Pick {}

    /**
     * The attachments {@code fileSource} picks from {@code payload}.
     *
     * @throws dev.hookengine.transform.ExpressionException when it fails or hits a bound
     */
    public Pick pick(PayloadView payload, ExpressionLimits limits) {
        JsonNode result = fileSource.evaluate(payload, limits);
        List<JsonNode> picked = new ArrayList<>();
        if (result != null && result.isArray()) {
            result.forEach(item -> {
                if (!item.isNull()) {
                    picked.add(item);
                }
            });
        } else if (result != null && !result.isNull() && !result.isMissingNode()) {
            picked.add(result);
        }
        if (picked.isEmpty()) {
            return new NothingPicked("multipartConfig.fileSource (" + fileSource.source()
                    + ") picked no attachment (undefined, null or an empty array)");
        }
        if (mode == DeliveryMode.BINARY_MULTIPART && strategy == FileFieldStrategy.SINGLE && picked.size() > 1) {
            return new TooMany("multipartConfig.fileSource (" + fileSource.source() + ") picked " + picked.size()
                    + " attachments and fileFieldStrategy is single; set it to multi to send each");
        }
        return new Picked(picked);
    }

    /**
     * Each extra form field's value on {@code payload}, in the config's order, before its
     * {@code {{ env.NAME }}} references are resolved: a string as it is, any other value as JSON text
     * (objects and arrays JSON-stringified, as the spec says); a field whose expression yields
     * {@code undefined} or {@code null} is left out.
     *
     * @throws dev.hookengine.transform.ExpressionException when an expression fails or hits a bound
     */
    public Map<String, String> extraFieldValues(PayloadView payload, ExpressionLimits limits) {
        Map<String, String> values = new LinkedHashMap<>();
        extraFields.forEach((name, expression) -> {
            JsonNode value = expression.evaluate(payload, limits);
            if (value != null && !value.isNull() && !value.isMissingNode()) {
                values.put(name, value.isTextual() ? value.textValue() : value.toString());
            }
        });
        return values;
    }
}
