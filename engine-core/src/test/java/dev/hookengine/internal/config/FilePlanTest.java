package dev.hookengine.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookengine.model.DeliveryMode;
import dev.hookengine.model.FileFieldStrategy;
import dev.hookengine.model.MultipartConfig;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.transform.ExpressionLimits;
import dev.hookengine.transform.PayloadView;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules that read a payload for a file delivery: what {@code fileSource} picks, what the extra fields say. */
class FilePlanTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aConfigWithoutDeliveryModeHasNoPlan() {
        assertThat(FilePlan.compile(config(null, null))).isNull();
    }

    @Test
    void theSpecsDefaultsApply() {
        FilePlan plan = FilePlan.compile(config(DeliveryMode.BINARY_MULTIPART, null));
        assertThat(plan.fileSource().source()).isEqualTo("event_attachments");
        assertThat(plan.strategy()).isEqualTo(FileFieldStrategy.SINGLE);
        assertThat(plan.fieldName()).isEqualTo("file");
        assertThat(plan.extraFields()).isEmpty();
    }

    @Test
    void undefinedNullAndEmptyPickNothing() {
        FilePlan plan = FilePlan.compile(config(DeliveryMode.BINARY_MULTIPART, null));
        for (String payload : new String[] {
            "{}", "{\"event_attachments\":null}", "{\"event_attachments\":[]}", "{\"event_attachments\":[null]}"
        }) {
            assertThat(plan.pick(view(payload), ExpressionLimits.DEFAULT))
                    .as(payload)
                    .isInstanceOf(FilePlan.NothingPicked.class);
        }
    }

    @Test
    void singleRefusesTwoAndAcceptsOneWhetherItIsAnArrayOrNot() {
        FilePlan single = FilePlan.compile(config(DeliveryMode.BINARY_MULTIPART, null));
        assertThat(single.pick(
                        view("{\"event_attachments\":[{\"url\":\"a\"},{\"url\":\"b\"}]}"), ExpressionLimits.DEFAULT))
                .isInstanceOfSatisfying(
                        FilePlan.TooMany.class,
                        tooMany -> assertThat(tooMany.message()).contains("picked 2"));
        assertThat(single.pick(view("{\"event_attachments\":{\"url\":\"a\"}}"), ExpressionLimits.DEFAULT))
                .isInstanceOfSatisfying(
                        FilePlan.Picked.class,
                        picked -> assertThat(picked.attachments()).hasSize(1));
    }

    @Test
    void multiAndJsonBase64TakeEveryAttachmentPicked() {
        String payload = "{\"event_attachments\":[{\"url\":\"a\"},{\"url\":\"b\"},{\"url\":\"c\"}]}";
        FilePlan multi = FilePlan.compile(
                config(DeliveryMode.BINARY_MULTIPART, new MultipartConfig(null, FileFieldStrategy.MULTI, null, null)));
        FilePlan base64 = FilePlan.compile(config(DeliveryMode.JSON_BASE64, null));
        for (FilePlan plan : new FilePlan[] {multi, base64}) {
            assertThat(plan.pick(view(payload), ExpressionLimits.DEFAULT))
                    .isInstanceOfSatisfying(
                            FilePlan.Picked.class,
                            picked -> assertThat(picked.attachments()).hasSize(3));
        }
    }

    @Test
    void extraFieldsAreTextJsonOrLeftOut() {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("literal", "'business_partner'");
        extra.put("bare", "business_partner");
        extra.put("number", "entity.total");
        extra.put("object", "entity.address");
        extra.put("null", "entity.none");
        extra.put("flag", "entity.vip");
        FilePlan plan =
                FilePlan.compile(config(DeliveryMode.BINARY_MULTIPART, new MultipartConfig(null, null, null, extra)));

        Map<String, String> values = plan.extraFieldValues(
                view("{\"entity\":{\"total\":42.5,\"address\":{\"city\":\"Köln\"},\"none\":null,\"vip\":true}}"),
                ExpressionLimits.DEFAULT);

        assertThat(values)
                .containsExactly(
                        Map.entry("literal", "business_partner"),
                        Map.entry("number", "42.5"),
                        Map.entry("object", "{\"city\":\"Köln\"}"),
                        Map.entry("flag", "true"));
    }

    private static WebhookConfig config(DeliveryMode mode, MultipartConfig multipart) {
        return WebhookConfig.builder()
                .name("files")
                .eventName("file_created")
                .url("https://example.com/hooks")
                .deliveryMode(mode)
                .multipartConfig(multipart)
                .build();
    }

    private static PayloadView view(String json) {
        try {
            JsonNode tree = JSON.readTree(json);
            return PayloadView.of(tree);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
