package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an {@link java.time.Instant} that the spec writes as an ISO 8601 string; see
 * {@link Timestamps} for the written and the accepted forms.
 *
 * <p>The model carries this annotation on each field instead of relying on a Jackson module, so that
 * the records work with any {@code ObjectMapper} an embedding service already has.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@JacksonAnnotationsInside
@JsonSerialize(using = Timestamps.Serializer.class)
@JsonDeserialize(using = Timestamps.Deserializer.class)
public @interface IsoInstant {}
