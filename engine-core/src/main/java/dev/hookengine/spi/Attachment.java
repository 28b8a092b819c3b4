package dev.hookengine.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One attachment as an event's payload describes it: an item that a config's
 * {@code multipartConfig.fileSource} picked (by default every item of {@code event_attachments}).
 * The spec names no fields for it; hookengine reads these, and hands the whole object to the
 * {@link AttachmentSource} so that one of its own can read others (an {@code s3ref}, say):
 *
 * <ul>
 *   <li>{@code url} (or {@code public_url}): where the default source fetches the bytes, an absolute
 *       {@code http} or {@code https} URL;</li>
 *   <li>{@code filename}: the part's file name (default: the URL's last path segment, else {@code file});</li>
 *   <li>{@code mime_type}: the part's content type (default: the fetched response's, else
 *       {@code application/octet-stream}).</li>
 * </ul>
 *
 * @param json     the item as picked, never {@code null}: a picked value that is not an object is kept
 *                 as {@code {"value": ...}}, which no field above names, so it is unavailable
 * @param url      its {@code url}, else its {@code public_url}, or {@code null}
 * @param filename its {@code filename}, or {@code null}
 * @param mimeType its {@code mime_type}, or {@code null}
 */
public record Attachment(ObjectNode json, String url, String filename, String mimeType) {

    public Attachment {
        Objects.requireNonNull(json, "json");
    }

    /** The attachment a picked JSON value describes. */
    public static Attachment of(JsonNode picked) {
        ObjectNode json = picked instanceof ObjectNode object
                ? object
                : JsonNodeFactory.instance.objectNode().set("value", picked);
        String url = text(json, "url");
        return new Attachment(
                json, url != null ? url : text(json, "public_url"), text(json, "filename"), text(json, "mime_type"));
    }

    private static String text(ObjectNode json, String field) {
        JsonNode value = json.get(field);
        return value != null && value.isTextual() && !value.textValue().isBlank() ? value.textValue() : null;
    }
}
