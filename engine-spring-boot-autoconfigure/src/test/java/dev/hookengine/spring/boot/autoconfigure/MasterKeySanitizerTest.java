package dev.hookengine.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The master key is masked in the actuator's env and configprops endpoints, whatever name it goes by. */
class MasterKeySanitizerTest {

    @Test
    void theMasterKeyIsMaskedUnderEachOfItsNamesAndOtherPropertiesAreNot() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HookengineActuatorAutoConfiguration.class))
                .run(context -> {
                    SanitizingFunction sanitizer = context.getBean(SanitizingFunction.class);
                    for (String key : new String[] {
                        "hookengine.master-key", "HOOKENGINE_MASTER_KEY", "masterKey", "hookengine.masterKey"
                    }) {
                        SanitizableData data = new SanitizableData(null, key, "c2VjcmV0LWtleS1ieXRlcw==");
                        assertThat(sanitizer.apply(data).getValue()).as(key).isEqualTo(SanitizableData.SANITIZED_VALUE);
                    }
                    SanitizableData threads = new SanitizableData(null, "hookengine.delivery-threads", "16");
                    assertThat(sanitizer.apply(threads).getValue()).isEqualTo("16");
                });
    }
}
