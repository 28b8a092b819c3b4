package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Shape of a {@code binary_multipart} delivery (spec: {@code WebhookConfig.multipartConfig}):
 * {@code fileSource} picks the attachments with JSONata, {@code extraFields} maps form field names to
 * JSONata expressions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MultipartConfig(
        String fileFieldName, FileFieldStrategy fileFieldStrategy, String fileSource, Map<String, String> extraFields) {

    public MultipartConfig {
        extraFields = Models.orderedCopy(extraFields);
    }
}
