package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.io.TestDatasets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ReaderOptionsMixinTest {

    private static final RowSchema PRESET = SchemaDdl.parse("timestamp TIMESTAMP, event STRING");

    @Command(name = "reader")
    static final class Reader {
        @Mixin
        ReaderOptionsMixin options = new ReaderOptionsMixin();
    }

    @TempDir
    Path tmp;

    @Test
    void flagsBecomeReaderOptions() {
        ReaderOptions options = resolve(TestDatasets.taxi(), "--format", "CSV", "--schema", TestDatasets.TAXI_DDL,
                "--header", "false", "--delimiter", ",", "--timestamp-format", "dd/MM/yyyy HH:mm");
        assertThat(options).isEqualTo(TestDatasets.taxiOptions());
        assertThat(resolve(tmp)).isEqualTo(ReaderOptions.of(Format.CSV, PRESET));
        assertThat(resolve(tmp, "--format", "json", "--rescued-data").rowSchema().names())
                .containsExactly("timestamp", "event", "_rescued_data");
    }

    @Test
    void schemaFromAFileOrInferredFromTheInput() throws Exception {
        Path file = tmp.resolve("taxi.ddl");
        Files.writeString(file, "pickup_at TIMESTAMP,\ndropoff_at TIMESTAMP,\nzone STRING,\nfare DECIMAL(10,2),\npassengers INT\n");
        assertThat(resolve(TestDatasets.taxi(), "--schema-file", file.toString(), "--header=false",
                "--timestamp-format", "dd/MM/yyyy HH:mm")).isEqualTo(TestDatasets.taxiOptions());

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Reader reader = new Reader();
        new CommandLine(reader).parseArgs("--format", "json", "--schema", "infer");
        ReaderOptions inferred = reader.options.resolve(TestDatasets.clicks().toString(), Format.CSV, PRESET,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("inferred schema: event_id STRING, page STRING, "
                + "referrer STRING, tags ARRAY<STRING>, ts TIMESTAMP, user STRUCT<country: STRING, id: BIGINT>\n");
        assertThat(inferred.format()).isEqualTo(Format.JSON);
    }

    @Test
    void badFlagsAreOneLineErrors() {
        assertError("--schema: unknown type 'STRIN' at column 27; types: " + SchemaDdl.TYPES,
                "--schema", "pickup_at TIMESTAMP, zone STRIN");
        assertError("--format: unknown format 'xml'; formats: csv, json, parquet, text", "--format", "xml");
        assertError("--schema and --schema-file are alternatives; give one", "--schema", "a INT", "--schema-file", "x");
        assertError("--schema-file nope.ddl: cannot be read (NoSuchFileException)", "--schema-file", "nope.ddl");
        assertError("--header takes true or false, not 'yes'", "--header", "yes");
        assertError("rescued data is for the json format, not csv", "--rescued-data");
        assertError("column tags is ARRAY<STRING>, which CSV cannot hold (nor can Spark's CSV reader); use the json "
                + "or parquet format", "--schema", "tags ARRAY<STRING>");
        assertError("--schema infer: no files to infer a schema from (names starting with . or _ are skipped)",
                "--schema", "infer");
    }

    private void assertError(String message, String... args) {
        assertThatThrownBy(() -> resolve(tmp, args)).isInstanceOf(UsageException.class).hasMessage(message);
    }

    private static ReaderOptions resolve(Path input, String... args) {
        Reader reader = new Reader();
        new CommandLine(reader).parseArgs(args);
        return reader.options.resolve(input.toString(), Format.CSV, PRESET, System.err);
    }
}
