package dev.hookengine.spring.boot.autoconfigure;

import dev.hookengine.WebhookEngine;
import dev.hookengine.spi.WebhookStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The engine's component of the health endpoint ({@code hookengine}), with Spring Boot's health module
 * ({@code spring-boot-health}, which the actuator starter brings) on the class path.
 */
@AutoConfiguration(after = HookengineEngineAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean({WebhookEngine.class, WebhookStore.class})
@ConditionalOnEnabledHealthIndicator("hookengine")
public class HookengineHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "hookengineHealthIndicator")
    HealthIndicator hookengineHealthIndicator(WebhookStore store, WebhookEngine engine) {
        return new HookengineHealthIndicator(store, engine.config().clock());
    }
}
