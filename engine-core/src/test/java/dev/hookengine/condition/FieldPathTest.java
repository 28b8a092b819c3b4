package dev.hookengine.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FieldPathTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "entity.status                      | entity,status",
                "meter_readings.1.file_id           | meter_readings,1,file_id",
                "meter_readings[1].file_id          | meter_readings,1,file_id",
                "matrix[0][2]                       | matrix,0,2",
                "matrix.0.2                         | matrix,0,2",
                "a[10].b[3].c                       | a,10,b,3,c",
                "single                             | single"
            })
    void bothIndexSpellingsMeanTheSame(String path, String segments) {
        assertThat(FieldPath.parse(path).segments()).containsExactly(segments.split(","));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a..b", ".a", "a.", "a[", "a[]", "a[-1]", "a[x]", "a[1]b", "[1]", "a]"})
    void malformedPathsAreRejectedWithAReason(String path) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FieldPath.parse(path))
                .withMessageContaining("path");
    }
}
