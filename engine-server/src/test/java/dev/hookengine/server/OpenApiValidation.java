package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Validates responses with the Atlassian OpenAPI validator (swagger-request-validator), never by
 * hand: against the spec for the spec's operations, against the server's own document
 * ({@code hookengine.openapi.json}) for the extensions.
 *
 * <p>The spec does not list every status for every operation (401 is listed for some only, and 404
 * or 413 for none of the list operations). An error answer whose status the operation does not list
 * is validated as the spec's {@code ErrorResp} through a one-path document built from the spec's own
 * components, so the body is still checked by the library against the spec's schema.
 */
final class OpenApiValidation {

    private static final String ERROR_PATH = "/any-error";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final OpenApiInteractionValidator spec;
    private final OpenApiInteractionValidator extensions;
    private final OpenApiInteractionValidator errors;

    OpenApiValidation() {
        String specText = read(specPath());
        this.spec = OpenApiInteractionValidator.createForInlineApiSpecification(specText)
                .build();
        this.extensions = OpenApiInteractionValidator.createForInlineApiSpecification(
                        new String(WebhookServer.openApiDocument(), StandardCharsets.UTF_8))
                .build();
        this.errors = OpenApiInteractionValidator.createForInlineApiSpecification(errorDocument(specText))
                .build();
    }

    /** The spec, from the repository root that the build passes to the tests. */
    static Path specPath() {
        return Path.of(System.getProperty("hookengine.root", "..")).resolve("spec/webhooks.openapi.json");
    }

    /** Asserts that the response of {@code method path} is one the documents allow. */
    void assertValid(String method, String path, int status, String contentType, String body) {
        SimpleResponse.Builder builder = SimpleResponse.Builder.status(status);
        if (contentType != null) {
            builder.withContentType(contentType);
        }
        if (body != null && !body.isEmpty()) {
            builder.withBody(body);
        }
        SimpleResponse response = builder.build();
        Request.Method verb = Request.Method.valueOf(method);
        String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        ValidationReport report = spec.validateResponse(pathOnly, verb, response);
        String against = "the spec";
        if (has(report, "validation.response.path.missing")
                || has(report, "validation.request.path.missing")
                || has(report, "validation.response.operation.notAllowed")) {
            report = extensions.validateResponse(pathOnly, verb, response);
            against = "hookengine.openapi.json";
        }
        if (status == 405 && has(report, "validation.request.operation.notAllowed")) {
            // A method the path does not have: the server's 405, an ErrorResp like every error.
            report = errors.validateResponse(ERROR_PATH, Request.Method.GET, response);
            against = "the spec's ErrorResp";
        }
        if (has(report, "validation.request.path.missing")) {
            assertThat(status).as("a path no document has must be answered 404").isEqualTo(404);
            report = errors.validateResponse(ERROR_PATH, Request.Method.GET, response);
            against = "the spec's ErrorResp";
        }
        if (has(report, "validation.response.status.unknown")) {
            assertThat(status)
                    .as("an undocumented status must be an error answer")
                    .isBetween(400, 599);
            report = errors.validateResponse(ERROR_PATH, Request.Method.GET, response);
            against = "the spec's ErrorResp";
        }
        assertThat(report.hasErrors())
                .as(
                        "%s %s -> %d %s is not valid against %s: %s",
                        method,
                        path,
                        status,
                        body,
                        against,
                        report.getMessages().stream()
                                .map(m -> m.getKey() + ": " + m.getMessage())
                                .collect(Collectors.joining("; ")))
                .isFalse();
    }

    private static boolean has(ValidationReport report, String key) {
        return report.getMessages().stream()
                .anyMatch(message -> message.getKey().equals(key));
    }

    /** The spec with its paths replaced by one whose every answer is the spec's ErrorResp. */
    private static String errorDocument(String specText) {
        try {
            ObjectNode document = (ObjectNode) MAPPER.readTree(specText);
            ObjectNode paths = MAPPER.createObjectNode();
            ObjectNode response = paths.putObject(ERROR_PATH)
                    .putObject("get")
                    .putObject("responses")
                    .putObject("default");
            response.put("description", "any error");
            response.putObject("content")
                    .putObject("application/json")
                    .putObject("schema")
                    .put("$ref", "#/components/schemas/ErrorResp");
            document.set("paths", paths);
            return MAPPER.writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
