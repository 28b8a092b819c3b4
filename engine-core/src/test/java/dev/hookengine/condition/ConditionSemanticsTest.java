package dev.hookengine.condition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookengine.model.ConditionOperation;
import dev.hookengine.model.FieldType;
import dev.hookengine.model.Filter;
import dev.hookengine.model.LogicalOperator;
import dev.hookengine.model.WebhookCondition;
import dev.hookengine.model.WebhookConditionGroup;
import dev.hookengine.transform.ExpressionLimits;
import dev.hookengine.transform.PayloadView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The semantics of {@code filterConditions} and the legacy {@code filter}, as {@link FieldCondition} and
 * {@link EventFilter} document them, driven by tables. Every case goes through the public entry point:
 * {@code EventFilter.compile(..).test(PayloadView, ExpressionLimits)}.
 *
 * <p>Emptiness is a property of the JSON value and {@code contains} tests the raw text, whatever the
 * field type: the single cases pin both down ({@code "abc"} in a number field is not empty;
 * {@code "TRUE"} does not contain {@code "true"}).
 */
class ConditionSemanticsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    // ------------------------------------------------------------------------------------------------
    // Table 1: every operation x field_type that Operations.fieldTypes(op) defines (length_* apart).
    //
    // Each line gives the condition (op, type, values), a value that satisfies the positive reading
    // ("match"), one that does not ("other"), and one that cannot be read as the type ("unreadable").
    // The ten expected results (T/F) are for these payloads, with the field "v":
    //   M     {"v": match}                                   field v
    //   O     {"v": other}                                   field v
    //   miss  {"w": match}  (the field is missing)           field v
    //   null  {"v": null}                                    field v
    //   unr   {"v": unreadable}                              field v
    //   some  {"v": [other, match]}   some element matches   field v
    //   none  {"v": [other, other]}   no element matches     field v
    //   empty {"v": []}                                      field v
    //   thru  {"items": [{"v": other}, {"v": match}]}        field items.v   (runs through an array)
    //   idx   {"items": [{"v": match}, {"v": other}]}        fields items.1.v AND items[1].v (both asserted)
    //
    // is_empty / is_not_empty: "match" is an empty value; "unreadable" is an empty value the type cannot
    // read (see the class comment of this test on why non-empty unreadable values are left out).
    // ------------------------------------------------------------------------------------------------
    private static final String MATRIX = """
            # op                   | type     | values                                          | match                       | other                       | unreadable         | M O miss null unr some none empty thru idx
            equals                 | string   | ["a"]                                           | "a"                         | "A"                         | {"k":"a"}          | T F F    F    F   T    F    F     T    F
            equals                 | number   | ["1"]                                           | 1.0                         | 1.01                        | "one"              | T F F    F    F   T    F    F     T    F
            equals                 | boolean  | ["true"]                                        | true                        | false                       | "yes"              | T F F    F    F   T    F    F     T    F
            equals                 | date     | ["2025-10-31"]                                  | "2025-10-31T23:30:00-05:00" | "2025-11-01"                | "31/10/2025"       | T F F    F    F   T    F    F     T    F
            equals                 | datetime | ["2025-10-31T10:00:00Z"]                        | "2025-10-31T12:00:00+02:00" | "2025-10-31T12:00:00Z"      | "tomorrow"         | T F F    F    F   T    F    F     T    F
            not_equals             | string   | ["a"]                                           | "a"                         | "A"                         | {"k":"a"}          | F T T    T    T   F    T    T     F    T
            not_equals             | number   | ["1"]                                           | 1.0                         | 1.01                        | "one"              | F T T    T    T   F    T    T     F    T
            not_equals             | boolean  | ["true"]                                        | true                        | false                       | "yes"              | F T T    T    T   F    T    T     F    T
            not_equals             | date     | ["2025-10-31"]                                  | "2025-10-31T23:30:00-05:00" | "2025-11-01"                | "31/10/2025"       | F T T    T    T   F    T    T     F    T
            not_equals             | datetime | ["2025-10-31T10:00:00Z"]                        | "2025-10-31T12:00:00+02:00" | "2025-10-31T12:00:00Z"      | "tomorrow"         | F T T    T    T   F    T    T     F    T
            any_of                 | string   | ["a","b"]                                       | "b"                         | "c"                         | {"k":"b"}          | T F F    F    F   T    F    F     T    F
            any_of                 | number   | ["1","2.5"]                                     | "2.50"                      | 3                           | "2.5x"             | T F F    F    F   T    F    F     T    F
            any_of                 | boolean  | ["false"]                                       | "False"                     | true                        | 0                  | T F F    F    F   T    F    F     T    F
            any_of                 | date     | ["2025-10-30","2025-10-31"]                     | "2025-10-31"                | "2025-11-01"                | "2025-13-01"       | T F F    F    F   T    F    F     T    F
            any_of                 | datetime | ["2025-10-31T10:00:00Z","2025-10-31T11:00:00Z"] | 1761904800000               | "2025-10-31T10:30:00Z"      | true               | T F F    F    F   T    F    F     T    F
            none_of                | string   | ["a","b"]                                       | "b"                         | "c"                         | {"k":"b"}          | F T T    T    T   F    T    T     F    T
            none_of                | number   | ["1","2.5"]                                     | "2.50"                      | 3                           | "2.5x"             | F T T    T    T   F    T    T     F    T
            none_of                | boolean  | ["false"]                                       | "False"                     | true                        | 0                  | F T T    T    T   F    T    T     F    T
            none_of                | date     | ["2025-10-30","2025-10-31"]                     | "2025-10-31"                | "2025-11-01"                | "2025-13-01"       | F T T    T    T   F    T    T     F    T
            none_of                | datetime | ["2025-10-31T10:00:00Z","2025-10-31T11:00:00Z"] | 1761904800000               | "2025-10-31T10:30:00Z"      | true               | F T T    T    T   F    T    T     F    T
            contains               | string   | ["ell"]                                         | "hello"                     | "help"                      | {"k":"hello"}      | T F F    F    F   T    F    F     T    F
            contains               | number   | ["5"]                                           | 15                          | 17                          | "abc"              | T F F    F    F   T    F    F     T    F
            contains               | boolean  | ["true"]                                        | true                        | false                       | "yes"              | T F F    F    F   T    F    F     T    F
            contains               | date     | ["2025-10-31"]                                  | "2025-10-31T08:00:00Z"      | "2025-11-01"                | "31.10.2025"       | T F F    F    F   T    F    F     T    F
            contains               | datetime | ["2025-10-31T10:00:00Z"]                        | "2025-10-31T10:00:00Z"      | "2025-10-31T10:00:00+01:00" | "never"            | T F F    F    F   T    F    F     T    F
            not_contains           | string   | ["ell"]                                         | "hello"                     | "help"                      | {"k":"hello"}      | F T T    T    T   F    T    T     F    T
            not_contains           | number   | ["5"]                                           | 15                          | 17                          | "abc"              | F T T    T    T   F    T    T     F    T
            not_contains           | boolean  | ["true"]                                        | true                        | false                       | "yes"              | F T T    T    T   F    T    T     F    T
            not_contains           | date     | ["2025-10-31"]                                  | "2025-10-31T08:00:00Z"      | "2025-11-01"                | "31.10.2025"       | F T T    T    T   F    T    T     F    T
            not_contains           | datetime | ["2025-10-31T10:00:00Z"]                        | "2025-10-31T10:00:00Z"      | "2025-10-31T10:00:00+01:00" | "never"            | F T T    T    T   F    T    T     F    T
            starts_with            | string   | ["he"]                                          | "hello"                     | "ahe"                       | {"k":"hello"}      | T F F    F    F   T    F    F     T    F
            ends_with              | string   | ["lo"]                                          | "hello"                     | "lol"                       | {"k":"hello"}      | T F F    F    F   T    F    F     T    F
            greater_than           | string   | ["m"]                                           | "n"                         | "m"                         | {"k":"z"}          | T F F    F    F   T    F    F     T    F
            greater_than           | number   | ["10"]                                          | 10.5                        | 10                          | "ten"              | T F F    F    F   T    F    F     T    F
            greater_than           | date     | ["2025-10-31"]                                  | "2025-11-01"                | "2025-10-31T23:59:59-10:00" | "2025-02-30"       | T F F    F    F   T    F    F     T    F
            greater_than           | datetime | ["2025-10-31T10:00:00Z"]                        | "2025-10-31T10:00:00.001Z"  | "2025-10-31T12:00:00+02:00" | "2025-10-31 10:00" | T F F    F    F   T    F    F     T    F
            less_than              | string   | ["m"]                                           | "l"                         | "m"                         | {"k":"a"}          | T F F    F    F   T    F    F     T    F
            less_than              | number   | ["10"]                                          | "-3"                        | 10.0                        | "abc"              | T F F    F    F   T    F    F     T    F
            less_than              | date     | ["2025-10-31"]                                  | "2025-10-30"                | "2025-10-31T00:30:00+01:00" | "yesterday"        | T F F    F    F   T    F    F     T    F
            less_than              | datetime | ["2025-10-31T10:00:00Z"]                        | "2025-10-31T11:00:00+02:00" | "2025-10-31T10:00:00Z"      | "soon"             | T F F    F    F   T    F    F     T    F
            greater_than_or_equals | string   | ["m"]                                           | "m"                         | "l"                         | {"k":"z"}          | T F F    F    F   T    F    F     T    F
            greater_than_or_equals | number   | ["10"]                                          | "10.00"                     | 9.99                        | "1O"               | T F F    F    F   T    F    F     T    F
            greater_than_or_equals | date     | ["2025-10-31"]                                  | "2025-10-31"                | "2025-10-30T23:00:00-05:00" | "2025/10/31"       | T F F    F    F   T    F    F     T    F
            greater_than_or_equals | datetime | ["2025-10-31T10:00:00Z"]                        | 1761904800000               | 1761904799999               | false              | T F F    F    F   T    F    F     T    F
            less_than_or_equals    | string   | ["m"]                                           | "m"                         | "n"                         | {"k":"a"}          | T F F    F    F   T    F    F     T    F
            less_than_or_equals    | number   | ["10"]                                          | 9                           | 10.01                       | ""                 | T F F    F    F   T    F    F     T    F
            less_than_or_equals    | date     | ["2025-10-31"]                                  | "2025-10-31T23:59:59Z"      | "2025-11-01"                | ""                 | T F F    F    F   T    F    F     T    F
            less_than_or_equals    | datetime | ["2025-10-31T10:00:00Z"]                        | "2025-10-31"                | "2025-10-31T12:00:01+02:00" | "31 Oct"           | T F F    F    F   T    F    F     T    F
            is_empty               | string   | []                                              | ""                          | " "                         | {}                 | T F T    T    T   F    F    T     F    F
            is_empty               | number   | []                                              | ""                          | 0                           | {}                 | T F T    T    T   F    F    T     F    F
            is_empty               | boolean  | []                                              | ""                          | false                       | {}                 | T F T    T    T   F    F    T     F    F
            is_empty               | date     | []                                              | ""                          | "2025-10-31"                | {}                 | T F T    T    T   F    F    T     F    F
            is_empty               | datetime | []                                              | ""                          | 0                           | {}                 | T F T    T    T   F    F    T     F    F
            is_not_empty           | string   | []                                              | ""                          | " "                         | {}                 | F T F    F    F   T    T    F     T    T
            is_not_empty           | number   | []                                              | ""                          | 0                           | {}                 | F T F    F    F   T    T    F     T    T
            is_not_empty           | boolean  | []                                              | ""                          | false                       | {}                 | F T F    F    F   T    T    F     T    T
            is_not_empty           | date     | []                                              | ""                          | "2025-10-31"                | {}                 | F T F    F    F   T    T    F     T    T
            is_not_empty           | datetime | []                                              | ""                          | 0                           | {}                 | F T F    F    F   T    T    F     T    T
            """;

    // ------------------------------------------------------------------------------------------------
    // Table 2: the length_* family, which ignores field_type. Each line is evaluated under every field
    // type (and none) with the same expectation. Item counts of the shapes are given in the header.
    //   array  {"v": [1,2,3]}                                                  field v          -> 3
    //   miss   {"w": [1]}                                                      field v          -> 0
    //   null   {"v": null}                                                     field v          -> 0
    //   scalar {"v": "abc"}                                                    field v          -> 1 (not 3 chars)
    //   object {"v": {"a":1,"b":2}}                                            field v          -> 1 (not 2 keys)
    //   empty  {"v": []}                                                       field v          -> 0
    //   mapped {"items": [{"tags":["a","b"]}, {"tags":["c"]}, {"note":"x"}]}   field items.tags -> 3
    //   idx    {"items": [{"tags":["a","b"]}, {"tags":["c"]}]}                 items.0.tags AND items[0].tags -> 2
    // ------------------------------------------------------------------------------------------------
    private static final String LENGTH_MATRIX = """
            # op                          | n | array miss null scalar object empty mapped idx
            length_equals                 | 0 | F     T    T    F      F      T     F      F
            length_equals                 | 3 | T     F    F    F      F      F     T      F
            length_not_equals             | 0 | T     F    F    T      T      F     T      T
            length_not_equals             | 1 | T     T    T    F      F      T     T      T
            length_greater_than           | 0 | T     F    F    T      T      F     T      T
            length_greater_than           | 2 | T     F    F    F      F      F     T      F
            length_less_than              | 1 | F     T    T    F      F      T     F      F
            length_less_than              | 3 | F     T    T    T      T      T     F      T
            length_greater_than_or_equals | 1 | T     F    F    T      T      F     T      T
            length_greater_than_or_equals | 3 | T     F    F    F      F      F     T      F
            length_less_than_or_equals    | 0 | F     T    T    F      F      T     F      F
            length_less_than_or_equals    | 2 | F     T    T    T      T      T     F      T
            """;

    // ------------------------------------------------------------------------------------------------
    // Table 3: single cases. "field" may list several spellings separated by "~"; each must give the
    // expected result. type "-" means no field_type (the default, string).
    // ------------------------------------------------------------------------------------------------
    private static final String CASES = """
            # name                                               | field                  | type     | op                     | values                         | payload                                                              | expect
            empty: unreadable but non-empty text is not empty    | v                      | number   | is_empty               | []                             | {"v":"abc"}                                                          | false
            empty: unreadable text is_not_empty in number field  | v                      | number   | is_not_empty           | []                             | {"v":"abc"}                                                          | true
            contains: raw text, whatever the type (TRUE)         | v                      | boolean  | contains               | ["true"]                       | {"v":"TRUE"}                                                         | false
            contains: raw text, whatever the type (number)       | v                      | number   | contains               | ["23"]                         | {"v":1234}                                                           | true
            date: date-time without offset by its day            | v                      | date     | equals                 | ["2025-10-31"]                 | {"v":"2025-10-31T23:30:00"}                                          | true
            number: 1 equals JSON 1.0                            | v                      | number   | equals                 | ["1"]                          | {"v":1.0}                                                            | true
            number: 1.0 equals text "1.00"                       | v                      | number   | equals                 | ["1.0"]                        | {"v":"1.00"}                                                         | true
            number: 1.00 equals JSON 1                           | v                      | number   | equals                 | ["1.00"]                       | {"v":1}                                                              | true
            number: 0.1 equals JSON 0.1 (decimal)                | v                      | number   | equals                 | ["0.1"]                        | {"v":0.1}                                                            | true
            number: 1 is not 1.000001                            | v                      | number   | equals                 | ["1"]                          | {"v":1.000001}                                                       | false
            number: 1000 equals 1e3                              | v                      | number   | equals                 | ["1000"]                       | {"v":1e3}                                                            | true
            number: big integer                                  | v                      | number   | equals                 | ["12345678901234567890"]       | {"v":12345678901234567890}                                           | true
            number: text "10" > 9 numerically                    | v                      | number   | greater_than           | ["9"]                          | {"v":"10"}                                                           | true
            number: JSON true is not a number                    | v                      | number   | equals                 | ["1"]                          | {"v":true}                                                           | false
            number: not_equals across representations            | v                      | number   | not_equals             | ["1"]                          | {"v":"1.000"}                                                        | false
            number: 1e400 (Infinity when parsed) is not 10       | v                      | number   | equals                 | ["10"]                         | {"v":1e400}                                                          | false
            number: 1e400 (Infinity when parsed) not_equals 10   | v                      | number   | not_equals             | ["10"]                         | {"v":1e400}                                                          | true
            number: 1e400 (Infinity when parsed) is not < 10     | v                      | number   | less_than              | ["10"]                         | {"v":1e400}                                                          | false
            number: -1e400 (-Infinity when parsed) is not > 10   | v                      | number   | greater_than           | ["10"]                         | {"v":-1e400}                                                         | false
            string: JSON number 10 equals "10"                   | v                      | string   | equals                 | ["10"]                         | {"v":10}                                                             | true
            string: JSON 1.0 is the text "1.0"                   | v                      | string   | equals                 | ["1.0"]                        | {"v":1.0}                                                            | true
            string: JSON 1.0 is not the text "1"                 | v                      | string   | equals                 | ["1"]                          | {"v":1.0}                                                            | false
            string: 10 > "9" is false as text                    | v                      | string   | greater_than           | ["9"]                          | {"v":10}                                                             | false
            string: 10 < "9" is true as text                     | v                      | string   | less_than              | ["9"]                          | {"v":10}                                                             | true
            string: JSON true equals "true"                      | v                      | string   | equals                 | ["true"]                       | {"v":true}                                                           | true
            string: JSON true is not "TRUE" (case)               | v                      | string   | equals                 | ["TRUE"]                       | {"v":true}                                                           | false
            string: equals is case-sensitive                     | v                      | string   | equals                 | ["Open"]                       | {"v":"open"}                                                         | false
            string: contains is case-sensitive                   | v                      | string   | contains               | ["ELL"]                        | {"v":"hello"}                                                        | false
            string: number starts_with by its text               | v                      | string   | starts_with            | ["1"]                          | {"v":15}                                                             | true
            string: number ends_with by its text                 | v                      | string   | ends_with              | ["5"]                          | {"v":15}                                                             | true
            string: boolean contains by its text                 | v                      | string   | contains               | ["ru"]                         | {"v":true}                                                           | true
            string: array contains an equal element              | v                      | string   | contains               | ["red"]                        | {"v":["red","blue"]}                                                 | true
            string: array contains part of an element            | v                      | string   | contains               | ["lu"]                         | {"v":["red","blue"]}                                                 | true
            string: not_contains on array, one element has it    | v                      | string   | not_contains           | ["lu"]                         | {"v":["red","blue"]}                                                 | false
            string: default field_type is string (text "1.0")    | v                      | -        | equals                 | ["1.0"]                        | {"v":1.0}                                                            | true
            string: default field_type orders as text            | v                      | -        | greater_than           | ["9"]                          | {"v":10}                                                             | false
            boolean: JSON true                                   | v                      | boolean  | equals                 | ["true"]                       | {"v":true}                                                           | true
            boolean: text "TRUE"                                 | v                      | boolean  | equals                 | ["true"]                       | {"v":"TRUE"}                                                         | true
            boolean: text "false"                                | v                      | boolean  | equals                 | ["false"]                      | {"v":"false"}                                                        | true
            boolean: condition value in any case                 | v                      | boolean  | equals                 | ["FALSE"]                      | {"v":false}                                                          | true
            boolean: text "false" is not true                    | v                      | boolean  | equals                 | ["true"]                       | {"v":"false"}                                                        | false
            boolean: JSON false is not true                      | v                      | boolean  | equals                 | ["true"]                       | {"v":false}                                                          | false
            boolean: number 1 is not a boolean                   | v                      | boolean  | equals                 | ["true"]                       | {"v":1}                                                              | false
            boolean: not_equals true on "FALSE"                  | v                      | boolean  | not_equals             | ["true"]                       | {"v":"FALSE"}                                                        | true
            boolean: not_equals false on "False"                 | v                      | boolean  | not_equals             | ["false"]                      | {"v":"False"}                                                        | false
            date: date-time compared by its own day              | v                      | date     | equals                 | ["2025-10-31"]                 | {"v":"2025-10-31T23:30:00-05:00"}                                    | true
            date: ... not by the UTC day                         | v                      | date     | equals                 | ["2025-11-01"]                 | {"v":"2025-10-31T23:30:00-05:00"}                                    | false
            date: time of day is ignored                         | v                      | date     | equals                 | ["2025-10-31"]                 | {"v":"2025-10-31T00:00:00Z"}                                         | true
            date: same day is not greater                        | v                      | date     | greater_than           | ["2025-10-31"]                 | {"v":"2025-10-31T23:59:59Z"}                                         | false
            date: orders across a year                           | v                      | date     | less_than              | ["2026-01-01"]                 | {"v":"2025-12-31"}                                                   | true
            date: equal day is less_than_or_equals               | v                      | date     | less_than_or_equals    | ["2025-10-31"]                 | {"v":"2025-10-31T18:00:00+14:00"}                                    | true
            datetime: +02:00 equals Z                            | v                      | datetime | equals                 | ["2025-10-31T10:00:00Z"]       | {"v":"2025-10-31T12:00:00+02:00"}                                    | true
            datetime: Z equals +02:00                            | v                      | datetime | equals                 | ["2025-10-31T12:00:00+02:00"]  | {"v":"2025-10-31T10:00:00Z"}                                         | true
            datetime: same wall clock, other offset              | v                      | datetime | equals                 | ["2025-10-31T10:00:00Z"]       | {"v":"2025-10-31T10:00:00+02:00"}                                    | false
            datetime: epoch millis number                        | v                      | datetime | equals                 | ["2025-10-31T10:00:00Z"]       | {"v":1761904800000}                                                  | true
            datetime: epoch millis number, 1 ms later            | v                      | datetime | equals                 | ["2025-10-31T10:00:00Z"]       | {"v":1761904800001}                                                  | false
            datetime: epoch millis number ordered                | v                      | datetime | greater_than           | ["2025-10-31T09:59:59.999Z"]   | {"v":1761904800000}                                                  | true
            datetime: epoch millis written 1761904800000.0       | v                      | datetime | equals                 | ["2025-10-31T10:00:00Z"]       | {"v":1761904800000.0}                                                | true
            datetime: epoch millis written 1.7619048E12          | v                      | datetime | equals                 | ["2025-10-31T10:00:00Z"]       | {"v":1.7619048E12}                                                   | true
            datetime: fractional epoch millis is later           | v                      | datetime | greater_than           | ["2025-10-31T10:00:00Z"]       | {"v":1761904800000.5}                                                | true
            datetime: fractional epoch millis is not equal       | v                      | datetime | equals                 | ["2025-10-31T10:00:00Z"]       | {"v":1761904800000.5}                                                | false
            datetime: fractional epoch millis before the next ms | v                      | datetime | less_than              | ["2025-10-31T10:00:00.001Z"]   | {"v":1761904800000.5}                                                | true
            datetime: 1e400 (Infinity when parsed) is unreadable | v                      | datetime | not_equals             | ["2025-10-31T10:00:00Z"]       | {"v":1e400}                                                          | true
            datetime: date-only value is midnight UTC            | v                      | datetime | equals                 | ["2025-10-31T00:00:00Z"]       | {"v":"2025-10-31"}                                                   | true
            datetime: date-only value is not midnight +01:00     | v                      | datetime | equals                 | ["2025-10-31T00:00:00+01:00"]  | {"v":"2025-10-31"}                                                   | false
            datetime: fractional zero seconds                    | v                      | datetime | equals                 | ["2025-10-31T10:00:00Z"]       | {"v":"2025-10-31T10:00:00.000Z"}                                     | true
            is_empty: ""                                         | v                      | string   | is_empty               | []                             | {"v":""}                                                             | true
            is_empty: []                                         | v                      | string   | is_empty               | []                             | {"v":[]}                                                             | true
            is_empty: {}                                         | v                      | string   | is_empty               | []                             | {"v":{}}                                                             | true
            is_empty: null                                       | v                      | string   | is_empty               | []                             | {"v":null}                                                           | true
            is_empty: missing                                    | v                      | string   | is_empty               | []                             | {"w":"x"}                                                            | true
            is_empty: whitespace " " is not empty                | v                      | string   | is_empty               | []                             | {"v":" "}                                                            | false
            is_empty: 0 is not empty                             | v                      | number   | is_empty               | []                             | {"v":0}                                                              | false
            is_empty: false is not empty                         | v                      | boolean  | is_empty               | []                             | {"v":false}                                                          | false
            is_empty: object with a key is not empty             | v                      | string   | is_empty               | []                             | {"v":{"a":null}}                                                     | false
            is_empty: array of empty values                      | v                      | string   | is_empty               | []                             | {"v":["",null,{},[]]}                                                | true
            is_empty: array with one non-empty value             | v                      | string   | is_empty               | []                             | {"v":["","x"]}                                                       | false
            is_empty: mapped path, no item has a value           | items.note             | string   | is_empty               | []                             | {"items":[{},{"note":""},{"note":null}]}                             | true
            is_not_empty: ""                                     | v                      | string   | is_not_empty           | []                             | {"v":""}                                                             | false
            is_not_empty: []                                     | v                      | string   | is_not_empty           | []                             | {"v":[]}                                                             | false
            is_not_empty: {}                                     | v                      | string   | is_not_empty           | []                             | {"v":{}}                                                             | false
            is_not_empty: null                                   | v                      | string   | is_not_empty           | []                             | {"v":null}                                                           | false
            is_not_empty: missing                                | v                      | string   | is_not_empty           | []                             | {}                                                                   | false
            is_not_empty: whitespace " "                         | v                      | string   | is_not_empty           | []                             | {"v":" "}                                                            | true
            is_not_empty: mapped path, one item has a value      | items.note             | string   | is_not_empty           | []                             | {"items":[{},{"note":"n"}]}                                          | true
            arrays: number equals one element                    | v                      | number   | equals                 | ["2"]                          | {"v":[1,2.0,3]}                                                      | true
            arrays: unreadable elements are skipped              | v                      | number   | equals                 | ["2"]                          | {"v":["two",null,2]}                                                 | true
            arrays: any_of, one element listed                   | v                      | string   | any_of                 | ["x","b"]                      | {"v":["a","b"]}                                                      | true
            arrays: none_of, one element listed                  | v                      | string   | none_of                | ["x","b"]                      | {"v":["a","b"]}                                                      | false
            arrays: ordering holds for some element              | v                      | number   | less_than              | ["0"]                          | {"v":[5,-1]}                                                         | true
            arrays: two mapped levels                            | orders.items.sku       | string   | equals                 | ["b"]                          | {"orders":[{"items":[{"sku":"a"}]},{"items":[{"sku":"b"}]}]}         | true
            arrays: two mapped levels, not_equals                | orders.items.sku       | string   | not_equals             | ["b"]                          | {"orders":[{"items":[{"sku":"a"}]},{"items":[{"sku":"b"}]}]}         | false
            arrays: mapped path where some items lack the key    | items.price            | number   | greater_than           | ["10"]                         | {"items":[{"sku":"a"},{"price":11}]}                                 | true
            arrays: index into the final array                   | v.1 ~ v[1]             | string   | equals                 | ["b"]                          | {"v":["a","b"]}                                                      | true
            arrays: index into the final array, other element    | v.0 ~ v[0]             | string   | equals                 | ["b"]                          | {"v":["a","b"]}                                                      | false
            arrays: two indices                                  | m.0.1 ~ m[0][1] ~ m[0].1 | number | equals                 | ["2"]                          | {"m":[[1,2],[3,4]]}                                                  | true
            arrays: index then mapped array                      | o.1.items.sku ~ o[1].items.sku | string | equals         | ["c"]                          | {"o":[{"items":[{"sku":"b"}]},{"items":[{"sku":"a"},{"sku":"c"}]}]}  | true
            arrays: index then mapped array, other element only  | o.1.items.sku ~ o[1].items.sku | string | equals         | ["b"]                          | {"o":[{"items":[{"sku":"b"}]},{"items":[{"sku":"a"},{"sku":"c"}]}]}  | false
            arrays: index out of range is missing (equals)       | items.5.v ~ items[5].v | string   | equals                 | ["a"]                          | {"items":[{"v":"a"}]}                                                | false
            arrays: index out of range is missing (not_equals)   | items.5.v ~ items[5].v | string   | not_equals             | ["a"]                          | {"items":[{"v":"a"}]}                                                | true
            paths: a step through a scalar is missing            | v.x                    | string   | not_equals             | ["a"]                          | {"v":"a"}                                                            | true
            paths: a step through a scalar is missing (equals)   | v.x                    | string   | equals                 | ["a"]                          | {"v":"a"}                                                            | false
            paths: nested objects                                | entity.customer.tier   | string   | equals                 | ["gold"]                       | {"entity":{"customer":{"tier":"gold"}}}                              | true
            length: mapped path with null and array values       | items.price            | -        | length_equals          | ["3"]                          | {"items":[{"price":1},{"price":null},{"price":[2,3]},{}]}            | true
            length: empty string counts 1                        | v                      | -        | length_equals          | ["1"]                          | {"v":""}                                                             | true
            """;

    // ------------------------------------------------------------------------------------------------
    // Table 4: repeatable_item_op against plain array semantics, field_type string. "plain" is the
    // result without the flag, "repeatable" with repeatable_item_op = true.
    // ------------------------------------------------------------------------------------------------
    private static final String REPEATABLE = """
            # name                                                  | field            | op                  | values          | payload                                                                           | plain | repeatable
            not_equals: some item is not done                       | items.status     | not_equals          | ["done"]        | {"items":[{"status":"done"},{"status":"open"}]}                                   | false | true
            not_equals: every item done                             | items.status     | not_equals          | ["done"]        | {"items":[{"status":"done"},{"status":"done"}]}                                   | false | false
            not_equals: no item done                                | items.status     | not_equals          | ["done"]        | {"items":[{"status":"open"},{"status":"new"}]}                                    | true  | true
            not_equals: an item without the key                     | items.status     | not_equals          | ["done"]        | {"items":[{"status":"done"},{"sku":"a"}]}                                         | false | true
            none_of: one item is neither                            | items.status     | none_of             | ["done","void"] | {"items":[{"status":"done"},{"status":"open"}]}                                   | false | true
            not_contains: one item lacks the text                   | items.sku        | not_contains        | ["x"]           | {"items":[{"sku":"ax"},{"sku":"b"}]}                                              | false | true
            is_empty: one item has no tags                          | items.tags       | is_empty            | []              | {"items":[{"tags":[]},{"tags":["a"]}]}                                            | false | true
            is_empty: one item lacks the key                        | items.note       | is_empty            | []              | {"items":[{"note":"a"},{}]}                                                       | false | true
            is_not_empty: positive, same either way                 | items.tags       | is_not_empty        | []              | {"items":[{"tags":[]},{"tags":["a"]}]}                                            | true  | true
            equals: positive, same either way                       | items.status     | equals              | ["open"]        | {"items":[{"status":"done"},{"status":"open"}]}                                   | true  | true
            equals: positive, no item matches                       | items.status     | equals              | ["open"]        | {"items":[{"status":"done"},{"status":"new"}]}                                    | false | false
            length_equals: counted per item                         | items.tags       | length_equals       | ["2"]           | {"items":[{"tags":["a","b"]},{"tags":["c"]}]}                                     | false | true
            length_greater_than: no single item has more than 1     | items.tags       | length_greater_than | ["1"]           | {"items":[{"tags":["a"]},{"tags":["b"]}]}                                         | true  | false
            length_less_than: one item has none                     | items.tags       | length_less_than    | ["1"]           | {"items":[{"tags":["a"]},{}]}                                                     | false | true
            length_equals: final array, each item is one value      | tags             | length_equals       | ["1"]           | {"tags":["a","b"]}                                                                | false | true
            empty repeatable: not_equals holds for no item          | items.status     | not_equals          | ["done"]        | {"items":[]}                                                                      | true  | false
            empty repeatable: length_equals 0 holds for no item     | items.tags       | length_equals       | ["0"]           | {"items":[]}                                                                      | true  | false
            final value is the array: not_equals                    | tags             | not_equals          | ["a"]           | {"tags":["a","b"]}                                                                | false | true
            split at the first array: one order has no x           | orders.items.sku | not_equals          | ["x"]           | {"orders":[{"items":[{"sku":"x"},{"sku":"y"}]},{"items":[{"sku":"y"}]}]}          | false | true
            split at the first array: every order has an x          | orders.items.sku | not_equals          | ["x"]           | {"orders":[{"items":[{"sku":"x"},{"sku":"y"}]},{"items":[{"sku":"x"}]}]}          | false | false
            no array on the path: flag changes nothing (holds)      | entity.status    | not_equals          | ["done"]        | {"entity":{"status":"open"}}                                                      | true  | true
            no array on the path: flag changes nothing (fails)      | entity.status    | not_equals          | ["done"]        | {"entity":{"status":"done"}}                                                      | false | false
            missing path: flag changes nothing                      | items.status     | not_equals          | ["done"]        | {"other":1}                                                                       | true  | true
            missing path: flag changes nothing (length)             | items.tags       | length_equals       | ["0"]           | {"other":1}                                                                       | true  | true
            """;

    // ================================================================================================
    // Field conditions
    // ================================================================================================

    @ParameterizedTest(name = "{0}")
    @MethodSource("fieldCases")
    void fieldCondition(String name, Case c) throws Exception {
        JsonNode payload = JSON.readTree(c.payload());
        for (String field : c.fields()) {
            WebhookCondition condition =
                    new WebhookCondition(field, c.operation(), c.values(), c.type(), null, c.repeatable(), null);
            Verdict verdict = evaluate(null, new WebhookConditionGroup(List.of(condition), null), payload);
            assertThat(verdict.matched())
                    .as("%s with field %s on %s", name, field, c.payload())
                    .isEqualTo(c.expected());
            if (!c.expected()) {
                assertThat(verdict.reason())
                        .as("reason of %s", name)
                        .contains("filterConditions.conditions[0]")
                        .contains(field)
                        .contains(c.operation().wireName());
            } else {
                assertThat(verdict.reason()).isNull();
            }
        }
    }

    static Stream<Arguments> fieldCases() {
        List<Case> cases = new ArrayList<>();
        cases.addAll(matrixCases());
        cases.addAll(lengthCases());
        cases.addAll(singleCases());
        cases.addAll(repeatableCases());
        return cases.stream().map(c -> Arguments.of(c.name(), c));
    }

    /** The table is complete: every operation x field_type that Operations defines, and nothing else. */
    @Test
    void matrixCoversEveryDefinedOperationAndFieldType() {
        Set<String> defined = new HashSet<>();
        for (ConditionOperation op : ConditionOperation.values()) {
            if (!Operations.isLength(op)) {
                for (FieldType type : Operations.fieldTypes(op)) {
                    defined.add(op.wireName() + "/" + type.wireName());
                }
            }
        }
        Set<String> inTable = new HashSet<>();
        for (String[] line : lines(MATRIX)) {
            assertThat(inTable.add(line[0] + "/" + line[1]))
                    .as("duplicate line %s/%s", line[0], line[1])
                    .isTrue();
        }
        assertThat(inTable).isEqualTo(defined);

        Set<ConditionOperation> lengthOps = EnumSet.noneOf(ConditionOperation.class);
        for (String[] line : lines(LENGTH_MATRIX)) {
            lengthOps.add(operation(line[0]));
        }
        assertThat(lengthOps)
                .isEqualTo(EnumSet.copyOf(Arrays.stream(ConditionOperation.values())
                        .filter(Operations::isLength)
                        .toList()));
    }

    /** Every condition of the tables is one a config could hold: its values parse as its field type. */
    @Test
    void everyTableConditionHasValidValues() {
        List<Case> all = new ArrayList<>();
        all.addAll(matrixCases());
        all.addAll(singleCases());
        all.addAll(repeatableCases());
        for (Case c : all) {
            if (Operations.isLength(c.operation())) {
                assertThat(c.values()).as(c.name()).hasSize(1);
                assertThat(Long.parseLong(c.values().get(0))).as(c.name()).isNotNegative();
                continue;
            }
            switch (Operations.arity(c.operation())) {
                case NONE -> assertThat(c.values()).as(c.name()).isEmpty();
                case ONE -> assertThat(c.values()).as(c.name()).hasSize(1);
                case AT_LEAST_ONE -> assertThat(c.values()).as(c.name()).isNotEmpty();
            }
            FieldType type = c.type() == null ? FieldType.STRING : c.type();
            assertThat(Operations.fieldTypes(c.operation())).as(c.name()).contains(type);
            for (String value : c.values()) {
                FieldTypes.parse(type, value); // throws when a row uses a value no config could hold
            }
        }
    }

    /** is_array_field needs no special handling: the flag does not change a result. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "scalar matches       | {\"v\":\"a\"}         | equals     | true",
                "array element        | {\"v\":[\"b\",\"a\"]} | equals     | true",
                "no element           | {\"v\":[\"b\"]}       | equals     | false",
                "not_equals on array  | {\"v\":[\"b\",\"a\"]} | not_equals | false",
                "not_equals on scalar | {\"v\":\"b\"}         | not_equals | true"
            })
    void isArrayFieldChangesNothing(String name, String payload, String op, boolean expected) throws Exception {
        JsonNode tree = JSON.readTree(payload);
        for (Boolean flag : new Boolean[] {null, Boolean.FALSE, Boolean.TRUE}) {
            WebhookCondition condition = new WebhookCondition("v", operation(op), List.of("a"), null, flag, null, null);
            assertThat(evaluate(null, new WebhookConditionGroup(List.of(condition), null), tree)
                            .matched())
                    .as("is_array_field=%s", flag)
                    .isEqualTo(expected);
        }
    }

    // ================================================================================================
    // Groups
    // ================================================================================================

    private static final String GROUP_PAYLOAD = """
            {"entity": {"status": "open", "amount": 150, "tags": ["vip", "new"], "name": "x", "zero": 0,
                        "emptyText": "", "list": [], "obj": {}, "falseText": "false"}}""";

    private static final WebhookCondition HOLDS_A =
            WebhookCondition.of("entity.status", ConditionOperation.EQUALS, "open");
    private static final WebhookCondition HOLDS_B =
            WebhookCondition.of("entity.tags", ConditionOperation.CONTAINS, "vip");
    private static final WebhookCondition FAILS_A = new WebhookCondition(
            "entity.amount", ConditionOperation.GREATER_THAN, List.of("200"), FieldType.NUMBER, null, null, null);
    private static final WebhookCondition FAILS_B =
            WebhookCondition.of("entity.status", ConditionOperation.ANY_OF, "closed", "void");

    @Test
    void andIsTheDefaultAndNamesTheFirstFailingCondition() throws Exception {
        JsonNode payload = JSON.readTree(GROUP_PAYLOAD);

        Verdict verdict = evaluate(null, group(null, HOLDS_A, FAILS_A, FAILS_B), payload);
        assertThat(verdict.matched()).isFalse();
        assertThat(verdict.reason())
                .contains("filterConditions.conditions[1]")
                .contains("entity.amount")
                .doesNotContain("conditions[0]")
                .doesNotContain("conditions[2]");

        Verdict third = evaluate(null, group(LogicalOperator.AND, HOLDS_A, HOLDS_B, FAILS_B), payload);
        assertThat(third.matched()).isFalse();
        assertThat(third.reason()).contains("filterConditions.conditions[2]").contains("entity.status");

        Verdict first = evaluate(null, group(null, FAILS_B, HOLDS_A), payload);
        assertThat(first.reason()).contains("filterConditions.conditions[0]");

        assertThat(evaluate(null, group(null, HOLDS_A, HOLDS_B), payload)).isEqualTo(Verdict.MATCHED);
        assertThat(evaluate(null, group(LogicalOperator.AND, HOLDS_A, HOLDS_B), payload))
                .isEqualTo(Verdict.MATCHED);
    }

    @Test
    void orNeedsOneConditionAndSaysNoneHeld() throws Exception {
        JsonNode payload = JSON.readTree(GROUP_PAYLOAD);

        assertThat(evaluate(null, group(LogicalOperator.OR, FAILS_A, FAILS_B, HOLDS_B), payload)
                        .matched())
                .isTrue();
        assertThat(evaluate(null, group(LogicalOperator.OR, HOLDS_A, FAILS_A), payload)
                        .matched())
                .isTrue();

        Verdict none = evaluate(null, group(LogicalOperator.OR, FAILS_A, FAILS_B), payload);
        assertThat(none.matched()).isFalse();
        assertThat(none.reason()).containsIgnoringCase("none").contains("OR").contains("held");

        // The same conditions with AND fail: the operator decides.
        assertThat(evaluate(null, group(null, FAILS_A, HOLDS_B), payload).matched())
                .isFalse();
        assertThat(evaluate(null, group(LogicalOperator.OR, FAILS_A, HOLDS_B), payload)
                        .matched())
                .isTrue();
    }

    @Test
    void anEmptyGroupPasses() throws Exception {
        JsonNode payload = JSON.readTree(GROUP_PAYLOAD);
        assertThat(evaluate(null, new WebhookConditionGroup(List.of(), null), payload))
                .isEqualTo(Verdict.MATCHED);
        assertThat(evaluate(null, new WebhookConditionGroup(List.of(), LogicalOperator.OR), payload))
                .isEqualTo(Verdict.MATCHED);
        assertThat(evaluate(null, new WebhookConditionGroup(null, LogicalOperator.AND), payload))
                .isEqualTo(Verdict.MATCHED);
        assertThat(evaluate(null, null, payload)).isEqualTo(Verdict.MATCHED);
    }

    /** A jsonata_expression condition holds when its result is truthy by $boolean; undefined is false. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "entity.amount > 100                       | true",
                "entity.amount > 1000                      | false",
                "entity.status = \"open\" and \"vip\" in entity.tags | true",
                "entity.nothing                            | false",
                "entity.nothing.deeper                     | false",
                "entity.name                               | true",
                "entity.falseText                          | true",
                "entity.zero                               | false",
                "entity.emptyText                          | false",
                "entity.list                               | false",
                "entity.obj                                | false",
                "entity                                    | true",
                "entity.tags                               | true",
                "[0]                                       | false",
                "[0, 1]                                    | true",
                "null                                      | false",
                "$count(entity.tags) = 2                   | true"
            })
    void jsonataConditionIsTruthyByBoolean(String expression, boolean expected) throws Exception {
        JsonNode payload = JSON.readTree(GROUP_PAYLOAD);
        Verdict alone = evaluate(null, group(null, WebhookCondition.jsonata(expression)), payload);
        assertThat(alone.matched()).isEqualTo(expected);

        // Beside a field condition that holds: AND follows the expression, and names it when it fails.
        Verdict and = evaluate(null, group(null, HOLDS_A, WebhookCondition.jsonata(expression)), payload);
        assertThat(and.matched()).isEqualTo(expected);
        if (!expected) {
            assertThat(and.reason()).contains("filterConditions.conditions[1]").contains("jsonata_expression");
        }
        // Beside one that fails: OR follows the expression.
        assertThat(evaluate(null, group(LogicalOperator.OR, FAILS_A, WebhookCondition.jsonata(expression)), payload)
                        .matched())
                .isEqualTo(expected);
    }

    // ================================================================================================
    // The legacy filter
    // ================================================================================================

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "value is supported                         | entity.status | open,closed | {\"entity\":{\"status\":\"open\"}}                           | true",
                "value is not supported                     | entity.status | open,closed | {\"entity\":{\"status\":\"new\"}}                            | false",
                "supported values are case-sensitive        | entity.status | open        | {\"entity\":{\"status\":\"OPEN\"}}                           | false",
                "number matched as its text                 | entity.amount | 42,43       | {\"entity\":{\"amount\":42}}                                 | true",
                "number not in the values                   | entity.amount | 42          | {\"entity\":{\"amount\":42.5}}                               | false",
                "boolean matched as its text                | entity.active | true        | {\"entity\":{\"active\":true}}                               | true",
                "missing key is skipped                     | entity.status | open        | {\"entity\":{\"state\":\"open\"}}                            | false",
                "missing key, no entity, is skipped         | status        | open        | {\"metadata\":{\"event\":\"x\"}}                             | false",
                "key relative to entity                     | status        | open        | {\"entity\":{\"status\":\"open\"}}                           | true",
                "nested key relative to entity              | customer.tier | gold        | {\"entity\":{\"customer\":{\"tier\":\"gold\"}}}              | true",
                "key relative to entity, unsupported        | status        | open        | {\"entity\":{\"status\":\"closed\"}}                         | false",
                "root value wins over the entity's          | status        | open        | {\"status\":\"closed\",\"entity\":{\"status\":\"open\"}}     | false",
                "root value wins, supported                 | status        | open        | {\"status\":\"open\",\"entity\":{\"status\":\"closed\"}}     | true",
                "array with one supported element           | entity.tags   | vip         | {\"entity\":{\"tags\":[\"basic\",\"vip\"]}}                  | true",
                "array without a supported element          | entity.tags   | vip         | {\"entity\":{\"tags\":[\"basic\",\"new\"]}}                  | false",
                "array relative to entity                   | tags          | vip         | {\"entity\":{\"tags\":[\"basic\",\"vip\"]}}                  | true",
                "path through an array of objects           | entity.lines.sku | b        | {\"entity\":{\"lines\":[{\"sku\":\"a\"},{\"sku\":\"b\"}]}}   | true"
            })
    void legacyFilter(String name, String key, String supported, String payload, boolean expected) throws Exception {
        Filter filter = new Filter(key, List.of(supported.split(",")));
        Verdict verdict = evaluate(filter, null, JSON.readTree(payload));
        assertThat(verdict.matched()).isEqualTo(expected);
        if (expected) {
            assertThat(verdict.reason()).isNull();
        } else {
            assertThat(verdict.reason()).contains("filter").contains(key);
        }
    }

    @Test
    void legacyFilterAndConditionsMustBothPass() throws Exception {
        JsonNode payload = JSON.readTree(GROUP_PAYLOAD);
        Filter passes = new Filter("status", List.of("open"));
        Filter fails = new Filter("status", List.of("closed"));

        assertThat(evaluate(passes, group(null, HOLDS_A), payload)).isEqualTo(Verdict.MATCHED);

        Verdict groupFails = evaluate(passes, group(null, HOLDS_A, FAILS_A), payload);
        assertThat(groupFails.matched()).isFalse();
        assertThat(groupFails.reason()).contains("filterConditions.conditions[1]");

        Verdict filterFails = evaluate(fails, group(null, HOLDS_A), payload);
        assertThat(filterFails.matched()).isFalse();
        assertThat(filterFails.reason())
                .startsWith("filter")
                .contains("status")
                .contains("closed")
                .doesNotContain("filterConditions");

        assertThat(evaluate(fails, group(LogicalOperator.OR, HOLDS_A, HOLDS_B), payload)
                        .matched())
                .isFalse();
    }

    // ================================================================================================
    // Table plumbing
    // ================================================================================================

    /** One evaluation: the condition(s) named by {@code fields} (all spellings), expecting {@code expected}. */
    record Case(
            String name,
            List<String> fields,
            FieldType type,
            ConditionOperation operation,
            List<String> values,
            String payload,
            Boolean repeatable,
            boolean expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String[] MATRIX_SHAPES = {
        "match",
        "other",
        "missing",
        "null",
        "unreadable",
        "array, some element matches",
        "array, no element matches",
        "empty array",
        "through an array of objects",
        "indexed path"
    };

    static List<Case> matrixCases() {
        List<Case> cases = new ArrayList<>();
        for (String[] line : lines(MATRIX)) {
            ConditionOperation op = operation(line[0]);
            FieldType type = fieldType(line[1]);
            List<String> values = values(line[2]);
            String match = line[3];
            String other = line[4];
            String unreadable = line[5];
            boolean[] expected = expectations(line[6], 10, line[0] + "/" + line[1]);
            String[] payloads = {
                "{\"v\":" + match + "}",
                "{\"v\":" + other + "}",
                "{\"w\":" + match + "}",
                "{\"v\":null}",
                "{\"v\":" + unreadable + "}",
                "{\"v\":[" + other + "," + match + "]}",
                "{\"v\":[" + other + "," + other + "]}",
                "{\"v\":[]}",
                "{\"items\":[{\"v\":" + other + "},{\"v\":" + match + "}]}",
                "{\"items\":[{\"v\":" + match + "},{\"v\":" + other + "}]}"
            };
            for (int i = 0; i < payloads.length; i++) {
                List<String> fields =
                        i == 8 ? List.of("items.v") : i == 9 ? List.of("items.1.v", "items[1].v") : List.of("v");
                cases.add(new Case(
                        line[0] + "/" + line[1] + ": " + MATRIX_SHAPES[i] + " " + payloads[i],
                        fields,
                        type,
                        op,
                        values,
                        payloads[i],
                        null,
                        expected[i]));
            }
        }
        return cases;
    }

    private static final String[][] LENGTH_SHAPES = {
        {"array", "{\"v\":[1,2,3]}", "v"},
        {"missing", "{\"w\":[1]}", "v"},
        {"null", "{\"v\":null}", "v"},
        {"scalar", "{\"v\":\"abc\"}", "v"},
        {"object", "{\"v\":{\"a\":1,\"b\":2}}", "v"},
        {"empty array", "{\"v\":[]}", "v"},
        {"mapped path", "{\"items\":[{\"tags\":[\"a\",\"b\"]},{\"tags\":[\"c\"]},{\"note\":\"x\"}]}", "items.tags"},
        {"indexed path", "{\"items\":[{\"tags\":[\"a\",\"b\"]},{\"tags\":[\"c\"]}]}", "items.0.tags~items[0].tags"}
    };

    static List<Case> lengthCases() {
        List<Case> cases = new ArrayList<>();
        List<FieldType> types = new ArrayList<>(Arrays.asList(FieldType.values()));
        types.add(0, null);
        for (String[] line : lines(LENGTH_MATRIX)) {
            ConditionOperation op = operation(line[0]);
            String n = line[1];
            boolean[] expected = expectations(line[2], LENGTH_SHAPES.length, line[0] + " " + n);
            for (int i = 0; i < LENGTH_SHAPES.length; i++) {
                for (FieldType type : types) {
                    cases.add(new Case(
                            line[0] + " " + n + ": " + LENGTH_SHAPES[i][0] + " " + LENGTH_SHAPES[i][1] + " (field_type "
                                    + (type == null ? "none" : type.wireName()) + ")",
                            fields(LENGTH_SHAPES[i][2]),
                            type,
                            op,
                            List.of(n),
                            LENGTH_SHAPES[i][1],
                            null,
                            expected[i]));
                }
            }
        }
        return cases;
    }

    static List<Case> singleCases() {
        List<Case> cases = new ArrayList<>();
        for (String[] line : lines(CASES)) {
            cases.add(new Case(
                    line[0],
                    fields(line[1]),
                    fieldType(line[2]),
                    operation(line[3]),
                    values(line[4]),
                    line[5],
                    null,
                    bool(line[6], line[0])));
        }
        return cases;
    }

    static List<Case> repeatableCases() {
        List<Case> cases = new ArrayList<>();
        for (String[] line : lines(REPEATABLE)) {
            ConditionOperation op = operation(line[2]);
            cases.add(new Case(
                    "plain " + line[0],
                    fields(line[1]),
                    null,
                    op,
                    values(line[3]),
                    line[4],
                    null,
                    bool(line[5], line[0])));
            cases.add(new Case(
                    "plain (flag false) " + line[0],
                    fields(line[1]),
                    null,
                    op,
                    values(line[3]),
                    line[4],
                    Boolean.FALSE,
                    bool(line[5], line[0])));
            cases.add(new Case(
                    "repeatable_item_op " + line[0],
                    fields(line[1]),
                    null,
                    op,
                    values(line[3]),
                    line[4],
                    Boolean.TRUE,
                    bool(line[6], line[0])));
        }
        return cases;
    }

    private static List<String[]> lines(String table) {
        List<String[]> rows = new ArrayList<>();
        for (String line : table.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] cells = trimmed.split("\\|");
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cells[i].strip();
            }
            rows.add(cells);
        }
        return rows;
    }

    private static boolean[] expectations(String cell, int count, String line) {
        String[] tokens = cell.split("\\s+");
        if (tokens.length != count) {
            throw new IllegalStateException(line + ": expected " + count + " results, got " + tokens.length);
        }
        boolean[] result = new boolean[count];
        for (int i = 0; i < count; i++) {
            result[i] = switch (tokens[i]) {
                case "T" -> true;
                case "F" -> false;
                default -> throw new IllegalStateException(line + ": not T or F: " + tokens[i]);
            };
        }
        return result;
    }

    private static boolean bool(String cell, String line) {
        return switch (cell) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalStateException(line + ": not true or false: " + cell);
        };
    }

    private static List<String> fields(String cell) {
        return Arrays.stream(cell.split("~")).map(String::strip).toList();
    }

    private static List<String> values(String cell) {
        try {
            return JSON.readValue(cell, new TypeReference<List<String>>() {});
        } catch (Exception e) {
            throw new IllegalStateException("values not a JSON array of strings: " + cell, e);
        }
    }

    private static ConditionOperation operation(String wireName) {
        for (ConditionOperation op : ConditionOperation.values()) {
            if (op.wireName().equals(wireName)) {
                return op;
            }
        }
        throw new IllegalStateException("unknown operation " + wireName);
    }

    private static FieldType fieldType(String wireName) {
        if (wireName.equals("-")) {
            return null;
        }
        for (FieldType type : FieldType.values()) {
            if (type.wireName().equals(wireName)) {
                return type;
            }
        }
        throw new IllegalStateException("unknown field type " + wireName);
    }

    private static WebhookConditionGroup group(LogicalOperator operator, WebhookCondition... conditions) {
        return new WebhookConditionGroup(List.of(conditions), operator);
    }

    private static Verdict evaluate(Filter filter, WebhookConditionGroup group, JsonNode payload) {
        return EventFilter.compile(filter, group).test(PayloadView.of(payload), ExpressionLimits.DEFAULT);
    }
}
