package dev.hookengine.internal.delivery;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.OutcomeCode;
import dev.hookengine.internal.Json;
import dev.hookengine.internal.config.FilePlan;
import dev.hookengine.model.DeliveryMode;
import dev.hookengine.model.HttpMethod;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.Attachment;
import dev.hookengine.spi.AttachmentContent;
import dev.hookengine.spi.AttachmentException;
import dev.hookengine.spi.AttachmentSource;
import dev.hookengine.spi.MultipartBody;
import dev.hookengine.spi.OutboundRequest;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.transform.ExpressionException;
import dev.hookengine.transform.ExpressionLimits;
import dev.hookengine.transform.PayloadView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the request of a file delivery ({@code deliveryMode}), and of any other delivery through
 * {@link SignedRequests} unchanged: a config without a {@code deliveryMode} costs one field read here.
 *
 * <p>For a file delivery, at each attempt: the attachments are picked again ({@link FilePlan#pick},
 * on the event's {@code original_payload}); nothing picked ends the event {@code skipped}, too many
 * fails it ({@code TOO_MANY_ATTACHMENTS}), as at dispatch (the config may have changed since). Each
 * attachment is opened through the {@link AttachmentSource}, in order, before anything is sent to the
 * receiver, so that a missing or oversized file fails the attempt with its own code
 * ({@code ATTACHMENT_UNAVAILABLE}, retried; {@code ATTACHMENT_TOO_LARGE}, not) and the receiver sees
 * nothing. Then:
 * <ul>
 *   <li>{@code binary_multipart}: the files are streamed into the form as the transport sends it
 *       ({@link SignedRequests#prepareMultipart}), never held whole in memory; a file that breaks off
 *       or passes the cap while it is streamed fails the attempt with its code
 *       ({@link #problemOf}).</li>
 *   <li>{@code json_base64}: the body is the payload as it would be delivered, its
 *       {@code event_attachments} replaced by the attachments picked, each object as the payload had
 *       it plus {@code content_base64}, the file's bytes in base64 (RFC 4648, with padding, no line
 *       breaks); appended last when the payload had no {@code event_attachments}. The body is signed
 *       as sent, so it is built whole first: the files are base64-encoded straight into it, which holds
 *       about 4/3 of their size twice at most.</li>
 * </ul>
 * A config sending GET or HEAD sends no body, so nothing is fetched for it.
 */
final class FileDeliveries {

    /** The payload property that a {@code json_base64} body carries its attachments in. */
    static final String ATTACHMENTS_PROPERTY = "event_attachments";
    /** The property each attachment object gains in a {@code json_base64} body. */
    static final String CONTENT_PROPERTY = "content_base64";

    private final SignedRequests requests;
    private final AttachmentSource source;
    private final long maxBytes;
    private final Duration deadline;
    private final ExpressionLimits limits;

    FileDeliveries(
            SignedRequests requests,
            AttachmentSource source,
            long maxBytes,
            Duration deadline,
            ExpressionLimits limits) {
        this.requests = requests;
        this.source = source;
        this.maxBytes = maxBytes;
        this.deadline = deadline;
        this.limits = limits;
    }

    /** The request that delivers {@code event} to {@code stored}'s receiver, files included. */
    SignedRequests.Prepared prepare(StoredConfig stored, WebhookEvent event) {
        if (stored.config().deliveryMode() == null || !hasBody(stored)) {
            return requests.prepare(stored, event);
        }
        FilePlan plan;
        try {
            plan = FilePlan.compile(stored.config());
        } catch (IllegalArgumentException e) {
            return refused(Outcome.failed(
                    null, "stored config does not compile: " + e.getMessage(), OutcomeCode.INVALID_CONFIG));
        }
        PayloadView payload =
                PayloadView.of(parse(event.originalPayload() != null ? event.originalPayload() : event.payload()));
        FilePlan.Pick pick;
        Map<String, String> extraFields;
        try {
            pick = plan.pick(payload, limits);
            extraFields = plan.extraFieldValues(payload, limits);
        } catch (ExpressionException e) {
            return refused(Outcome.failed(null, e.getMessage(), e.outcomeCode()));
        }
        if (pick instanceof FilePlan.NothingPicked nothing) {
            return refused(Outcome.skipped(nothing.reason()));
        }
        if (pick instanceof FilePlan.TooMany tooMany) {
            return refused(Outcome.failed(null, tooMany.message(), OutcomeCode.TOO_MANY_ATTACHMENTS));
        }
        List<JsonNode> attachments = ((FilePlan.Picked) pick).attachments();
        List<Opened> opened = new ArrayList<>();
        try {
            for (JsonNode attachment : attachments) {
                opened.add(open(stored.orgId(), attachment));
            }
            SignedRequests.Prepared prepared = plan.mode() == DeliveryMode.JSON_BASE64
                    ? requests.prepareJson(stored, event, base64Body(event.payload(), opened))
                    : requests.prepareMultipart(stored, event, extraFields, fileParts(plan.fieldName(), opened));
            if (prepared instanceof SignedRequests.Refused || plan.mode() == DeliveryMode.JSON_BASE64) {
                closeAll(opened);
            }
            return prepared;
        } catch (AttachmentException e) {
            closeAll(opened);
            return refused(Outcome.of(e));
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /**
     * The attachment's failure that cut {@code request}'s multipart body short while it was sent, if one
     * did: the attempt records it rather than what the transport made of the broken exchange.
     */
    static Optional<Outcome> problemOf(OutboundRequest request) {
        if (request.multipart() == null) {
            return Optional.empty();
        }
        for (MultipartBody.Part part : request.multipart().parts()) {
            if (part instanceof MultipartBody.File file
                    && file.content() instanceof AttachmentStream stream
                    && stream.problem() != null) {
                return Optional.of(Outcome.of(stream.problem()));
            }
        }
        return Optional.empty();
    }

    /** An attachment opened, its stream counted against the cap. */
    private record Opened(Attachment attachment, AttachmentContent content, AttachmentStream stream) {}

    private Opened open(String orgId, JsonNode picked) {
        Attachment attachment = Attachment.of(picked);
        AttachmentContent content;
        try {
            content = source.open(orgId, attachment, maxBytes, deadline);
        } catch (AttachmentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AttachmentException(
                    AttachmentException.Problem.UNAVAILABLE,
                    true,
                    "the attachment source failed (" + e.getClass().getSimpleName() + ")");
        }
        if (content.length() > maxBytes) {
            content.close();
            throw new AttachmentException(
                    AttachmentException.Problem.TOO_LARGE,
                    false,
                    "attachment '" + content.filename() + "' is " + content.length() + " bytes, over the limit of "
                            + maxBytes);
        }
        return new Opened(
                attachment, content, new AttachmentStream(content.stream(), "'" + content.filename() + "'", maxBytes));
    }

    private static List<MultipartBody.File> fileParts(String fieldName, List<Opened> opened) {
        List<MultipartBody.File> files = new ArrayList<>(opened.size());
        for (Opened file : opened) {
            files.add(new MultipartBody.File(
                    fieldName, file.content().filename(), file.content().contentType(), file.stream()));
        }
        return files;
    }

    /**
     * The {@code json_base64} body: {@code payload} with its {@code event_attachments} replaced, by the
     * rule in this class's javadoc.
     *
     * @throws AttachmentException when a file breaks off or passes the cap
     */
    private static byte[] base64Body(String payload, List<Opened> opened) {
        ObjectNode body = parse(payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            boolean written = false;
            for (Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().equals(ATTACHMENTS_PROPERTY)) {
                    writeAttachments(json, opened);
                    written = true;
                } else {
                    json.writeFieldName(field.getKey());
                    Json.MAPPER.writeTree(json, field.getValue());
                }
            }
            if (!written) {
                writeAttachments(json, opened);
            }
            json.writeEndObject();
        } catch (IOException e) {
            for (Opened file : opened) {
                if (file.stream().problem() != null) {
                    throw file.stream().problem();
                }
            }
            throw new AttachmentException(
                    AttachmentException.Problem.UNAVAILABLE, true, "an attachment could not be read");
        }
        return out.toByteArray();
    }

    private static void writeAttachments(JsonGenerator json, List<Opened> opened) throws IOException {
        json.writeFieldName(ATTACHMENTS_PROPERTY);
        json.writeStartArray();
        for (Opened file : opened) {
            json.writeStartObject();
            for (Iterator<Map.Entry<String, JsonNode>> fields =
                            file.attachment().json().fields();
                    fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getKey().equals(CONTENT_PROPERTY)) {
                    json.writeFieldName(field.getKey());
                    Json.MAPPER.writeTree(json, field.getValue());
                }
            }
            json.writeFieldName(CONTENT_PROPERTY);
            json.writeBinary(file.stream(), -1);
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static ObjectNode parse(String payload) {
        try {
            JsonNode tree = payload == null ? null : Json.MAPPER.readTree(payload);
            return tree instanceof ObjectNode object ? object : Json.MAPPER.createObjectNode();
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    private static boolean hasBody(StoredConfig stored) {
        HttpMethod method = stored.config().httpMethod();
        return method != HttpMethod.GET && method != HttpMethod.HEAD;
    }

    private static SignedRequests.Refused refused(Outcome outcome) {
        return new SignedRequests.Refused(outcome);
    }

    private static void closeAll(List<Opened> opened) {
        opened.forEach(file -> file.content().close());
    }
}
