package dev.hookengine.spring.boot.autoconfigure;

import java.util.Locale;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Keeps the master key out of the actuator's {@code env} and {@code configprops} endpoints: since Spring
 * Boot 3 nothing is masked by its key's name, so an application that shows values there
 * ({@code management.endpoint.env.show-values}) would show the key that seals every stored secret.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public class HookengineActuatorAutoConfiguration {

    /** The names the master key goes by: the property, its relaxed and environment forms, the field. */
    static final Set<String> MASTER_KEY_NAMES =
            Set.of("hookengine.master-key", "hookengine.masterkey", "hookengine_master_key", "masterkey", "master-key");

    @Bean
    SanitizingFunction hookengineMasterKeySanitizer() {
        return data -> isMasterKey(data) ? data.withSanitizedValue() : data;
    }

    static boolean isMasterKey(SanitizableData data) {
        return data.getKey() != null && MASTER_KEY_NAMES.contains(data.getKey().toLowerCase(Locale.ROOT));
    }
}
