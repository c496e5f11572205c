package dev.flinkpatterns.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.parse.TextFormats;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaInferenceTest {

    @TempDir
    Path tmp;

    @Test
    void taxiCsvWithoutHeaderGetsSparksColumnNames() {
        RowSchema schema = SchemaInference.infer(TestDatasets.taxi(), Format.CSV, false, ',',
                new TextFormats(TestDatasets.TAXI_TIMESTAMP_FORMAT, null));
        assertThat(SchemaDdl.print(schema)).isEqualTo("_c0 TIMESTAMP, _c1 TIMESTAMP, _c2 STRING, _c3 DOUBLE, _c4 INT");
        // Without the timestamp format, the times are text.
        assertThat(SchemaDdl.print(SchemaInference.infer(TestDatasets.taxi(), Format.CSV, null, ',', TextFormats.DEFAULT)))
                .isEqualTo("_c0 STRING, _c1 STRING, _c2 STRING, _c3 DOUBLE, _c4 INT");
    }

    @Test
    void nestedJsonClicksGetStructsArraysAndSortedFields() {
        assertThat(SchemaDdl.print(SchemaInference.infer(TestDatasets.clicks(), Format.JSON, null, ',', TextFormats.DEFAULT)))
                .isEqualTo("event_id STRING, page STRING, referrer STRING, tags ARRAY<STRING>, ts TIMESTAMP, "
                        + "user STRUCT<country: STRING, id: BIGINT>");
    }

    @Test
    void csvTypesWidenAsSparksDo() throws Exception {
        Files.writeString(tmp.resolve("a.csv"), """
                id;n;x;flag;day;at;mixed;empty
                1;1;1;true;2024-01-15;2024-01-15 10:00:00;1;
                2;3000000000;2.5;false;2024-01-16;2024-01-16;x;
                3;;-1e3;;;2024-01-16T10:00:00.5;2024-01-15;
                """);
        assertThat(SchemaDdl.print(SchemaInference.infer(tmp, Format.CSV, true, ';', TextFormats.DEFAULT)))
                .isEqualTo("id INT, n BIGINT, x DOUBLE, flag BOOLEAN, day DATE, at TIMESTAMP, mixed STRING, empty STRING");
    }

    @Test
    void jsonTypesWiden() throws Exception {
        Files.writeString(tmp.resolve("a.json"), """
                {"n":1,"x":1,"s":{"a":1},"arr":[1,2.5],"none":null,"when":"2024-01-15"}
                {"n":2,"x":1.5,"s":{"b":"t"},"arr":[],"when":"2024-01-15T10:00:00","conflict":1}
                {"conflict":{"a":1}}
                """);
        assertThat(SchemaDdl.print(SchemaInference.infer(tmp, Format.JSON, null, ',', TextFormats.DEFAULT)))
                .isEqualTo("arr ARRAY<DOUBLE>, conflict STRING, n BIGINT, none STRING, s STRUCT<a: BIGINT, b: STRING>, "
                        + "when TIMESTAMP, x DOUBLE");
    }

    @Test
    void hiddenFilesAreSkippedAndAnEmptyDirectoryIsAnError() throws Exception {
        Files.writeString(tmp.resolve(".hidden.csv"), "a,b\n");
        Files.writeString(tmp.resolve("_SUCCESS"), "");
        assertThatThrownBy(() -> SchemaInference.infer(tmp, Format.CSV, false, ',', TextFormats.DEFAULT))
                .hasMessage("no files to infer a schema from (names starting with . or _ are skipped)");
        assertThatThrownBy(() -> SchemaInference.infer(tmp.resolve("nope"), Format.CSV, false, ',', TextFormats.DEFAULT))
                .hasMessage("no such directory");
    }
}
