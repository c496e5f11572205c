package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.io.TestDatasets;
import dev.flinkpatterns.testing.CapturedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaInferCliTest {

    @TempDir
    Path tmp;

    @Test
    void printsTheInferredDdlOfCsvFiles() {
        CapturedRun run = CapturedRun.onContext("schema", "infer", "--input", TestDatasets.taxi().toString(),
                "--format", "csv", "--header", "false", "--timestamp-format", "dd/MM/yyyy HH:mm");
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("_c0 TIMESTAMP, _c1 TIMESTAMP, _c2 STRING, _c3 DOUBLE, _c4 INT\n");
    }

    @Test
    void printsTheInferredDdlOfJsonFiles() {
        CapturedRun run = CapturedRun.onContext("schema", "infer", "--input", TestDatasets.clicks().toString(), "--format", "json");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("event_id STRING, page STRING, referrer STRING, tags ARRAY<STRING>, ts TIMESTAMP, "
                + "user STRUCT<country: STRING, id: BIGINT>\n");
    }

    @Test
    void headerAndTabDelimiter() throws Exception {
        Files.writeString(tmp.resolve("a.tsv"), "zone\tfare\nMidtown\t12.5\n");
        CapturedRun run = CapturedRun.onContext("schema", "infer", "--input", tmp.toString(), "--format", "csv",
                "--header", "--delimiter", "\\t");
        assertThat(run.out()).isEqualTo("zone STRING, fare DOUBLE\n");
    }

    @Test
    void badInvocationsAreOneLineErrors() throws Exception {
        CapturedRun.onContext("schema", "infer", "--input", "no/such/dir", "--format", "csv").assertOneLineError(
                "patterns schema infer: --input no/such/dir: no such directory (see 'patterns schema infer --help')");
        CapturedRun.onContext("schema", "infer", "--input", tmp.toString(), "--format", "xml").assertOneLineError(
                "patterns schema infer: --format: unknown format 'xml'; formats: csv, json, parquet, text "
                        + "(see 'patterns schema infer --help')");
        CapturedRun.onContext("schema", "infer", "--input", tmp.toString(), "--format", "csv").assertOneLineError(
                "patterns schema infer: --input " + tmp + ": no files to infer a schema from (names starting with . or _ "
                        + "are skipped) (see 'patterns schema infer --help')");
        CapturedRun.onContext("schema", "infer", "--input", tmp.toString(), "--format", "csv", "--delimiter", ";;")
                .assertOneLineError("patterns schema infer: --delimiter takes one character or \\t, not ';;' "
                        + "(see 'patterns schema infer --help')");
        CapturedRun.onContext("schema", "infer", "--input", tmp.toString(), "--format", "csv", "--timestamp-format", "yyyy-bb")
                .assertOneLineError("patterns schema infer: --timestamp-format 'yyyy-bb' is not a datetime pattern: "
                        + "Unknown pattern letter: b (see 'patterns schema infer --help')");
        CapturedRun.onContext("schema").assertOneLineError(
                "patterns schema: choose a schema command: infer (see 'patterns schema --help')");
    }
}
