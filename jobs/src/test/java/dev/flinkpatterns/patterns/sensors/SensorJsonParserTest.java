package dev.flinkpatterns.patterns.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.MalformedRecordException;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SensorJsonParserTest {

    private static final SensorJsonParser PARSER = new SensorJsonParser();

    private static SensorReading parse(String text) throws MalformedRecordException {
        return PARSER.parse(new SourceLine("file:/in/sensor_batch_0.json", 7, text)).orElseThrow();
    }

    @Test
    void readsTheWholeSchema() throws Exception {
        SensorReading reading = parse("{\"sensor_id\":\"sensor-07\",\"device_id\":\"device-2\","
                + "\"location\":{\"building\":\"B1\",\"floor\":2},\"timestamp\":\"2024-01-15T10:00:03.000000\","
                + "\"temperature\":82.4,\"humidity\":41.5,\"tags\":[\"hvac\",\"floor-2\"]}");

        assertThat(reading).isEqualTo(new SensorReading(new SourceLine("file:/in/sensor_batch_0.json", 7, "").orderKey(),
                "sensor-07", "device-2", "B1", 2, "2024-01-15T10:00:03.000000", 1705312803000L, 82.4, 41.5,
                List.of("hvac", "floor-2")));
    }

    @Test
    void optionalFieldsMayBeAbsentOrNullAndUnknownFieldsAreIgnored() throws Exception {
        SensorReading absent = parse("{\"sensor_id\":\"s\",\"device_id\":\"d\",\"timestamp\":\"2024-01-15T10:00:03\","
                + "\"temperature\":80,\"firmware\":\"1.2\"}");
        SensorReading nulls = parse("{\"sensor_id\":\"s\",\"device_id\":\"d\",\"timestamp\":\"2024-01-15T10:00:03\","
                + "\"temperature\":80,\"location\":null,\"humidity\":null,\"tags\":null}");
        SensorReading emptyLocation = parse("{\"sensor_id\":\"s\",\"device_id\":\"d\",\"timestamp\":\"2024-01-15T10:00:03\","
                + "\"temperature\":80,\"location\":{},\"tags\":[]}");

        for (SensorReading reading : List.of(absent, nulls, emptyLocation)) {
            assertThat(reading.building()).isNull();
            assertThat(reading.floor()).isNull();
            assertThat(reading.humidity()).isNull();
            assertThat(reading.tags()).isEmpty();
            assertThat(reading.temperature()).isEqualTo(80.0);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "not json|not valid JSON at column 4: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
        "{\"sensor_id\":\"s\"|not valid JSON: the line ends inside a value",
        "{\"sensor_id\":\"s\"} {}|not valid JSON: a second value starts at column 19",
        "{} x|not valid JSON at column 5: Unrecognized token 'x': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
        "[1,2]|the line is not a JSON object: [1,2]",
        "{\"device_id\":\"d\",\"timestamp\":\"2024-01-15T10:00:03\",\"temperature\":80}|missing required field sensor_id",
        "{\"sensor_id\":null,\"device_id\":\"d\",\"timestamp\":\"2024-01-15T10:00:03\",\"temperature\":80}|missing required field sensor_id",
        "{\"sensor_id\":\"s\",\"timestamp\":\"2024-01-15T10:00:03\",\"temperature\":80}|missing required field device_id",
        "{\"sensor_id\":\"s\",\"device_id\":\"d\",\"temperature\":80}|missing required field timestamp",
        "{\"sensor_id\":\"s\",\"device_id\":\"d\",\"timestamp\":\"2024-01-15T10:00:03\"}|missing required field temperature",
        "{\"sensor_id\":7,\"device_id\":\"d\",\"timestamp\":\"2024-01-15T10:00:03\",\"temperature\":80}|sensor_id is not a string: 7",
        "{\"sensor_id\":\"s\",\"device_id\":\"d\",\"timestamp\":\"2024-01-15T10:00:03\",\"temperature\":\"80\"}|temperature is not a number: \"80\"",
        "{\"sensor_id\":\"s\",\"device_id\":\"d\",\"timestamp\":\"yesterday\",\"temperature\":80}|timestamp is not an ISO-8601 date-time: 'yesterday'",
        "{\"sensor_id\":\"s\",\"device_id\":\"d\",\"timestamp\":\"2024-01-15T10:00:03\",\"temperature\":80,\"humidity\":true}|humidity is not a number: true",
        "{\"sensor_id\":\"s\",\"device_id\":\"d\",\"timestamp\":\"2024-01-15T10:00:03\",\"temperature\":80,\"location\":\"B1\"}|location is not an object: \"B1\"",
        "{\"sensor_id\":\"s\",\"device_id\":\"d\",\"timestamp\":\"2024-01-15T10:00:03\",\"temperature\":80,\"location\":{\"floor\":2.5}}|location.floor is not an integer: 2.5",
        "{\"sensor_id\":\"s\",\"device_id\":\"d\",\"timestamp\":\"2024-01-15T10:00:03\",\"temperature\":80,\"location\":{\"building\":1}}|location.building is not a string: 1",
        "{\"sensor_id\":\"s\",\"device_id\":\"d\",\"timestamp\":\"2024-01-15T10:00:03\",\"temperature\":80,\"tags\":\"hvac\"}|tags is not an array of strings: \"hvac\"",
        "{\"sensor_id\":\"s\",\"device_id\":\"d\",\"timestamp\":\"2024-01-15T10:00:03\",\"temperature\":80,\"tags\":[\"a\",null]}|tags[1] is not a string: null",
    })
    void malformedLinesAreRefusedWithTheReason(String line, String reason) {
        assertThatThrownBy(() -> parse(line)).isInstanceOf(MalformedRecordException.class).hasMessage(reason);
    }

    @Test
    void aBlankLineIsNoReadingAsInSparksJsonReader() throws Exception {
        assertThat(new SensorJsonParser().parse(new SourceLine("file:/in/sensor_batch_0.json", 3, ""))).isEmpty();
        assertThat(new SensorJsonParser().parse(new SourceLine("file:/in/sensor_batch_0.json", 4, " \t"))).isEmpty();
    }

    @Test
    void flinkSerializesReadingsAsPojosNotWithKryo() {
        TypeInformation<SensorReading> type = TypeInformation.of(SensorReading.class);

        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<SensorReading> pojo = (PojoTypeInfo<SensorReading>) type;
        for (int i = 0; i < pojo.getArity(); i++) {
            assertThat(pojo.getTypeAt(i)).as(pojo.getFieldNames()[i]).isNotInstanceOf(GenericTypeInfo.class);
        }
    }
}
