package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The legacy filter (spec: {@code Filter}): the event passes when the value at {@code keyToFilter}
 * is one of {@code supportedValues}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Filter(String keyToFilter, List<String> supportedValues) {
    public Filter {
        supportedValues = Models.listCopy(supportedValues);
    }
}
