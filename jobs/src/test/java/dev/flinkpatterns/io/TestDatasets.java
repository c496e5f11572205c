package dev.flinkpatterns.io;

import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.parse.LineParser;
import dev.flinkpatterns.parse.MalformedRecordException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.types.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/** The datasets under test resources {@code datasets/} (see its README), with the reader options that read them. */
public final class TestDatasets {

    public static final String TAXI_DDL =
            "pickup_at TIMESTAMP, dropoff_at TIMESTAMP, zone STRING, fare DECIMAL(10,2), passengers INT";
    public static final String TAXI_TIMESTAMP_FORMAT = "dd/MM/yyyy HH:mm";
    public static final String CLICKS_DDL =
            "event_id STRING, ts TIMESTAMP, user STRUCT<id: BIGINT, country: STRING>, page STRING, tags ARRAY<STRING>";
    public static final String LOGINS_DDL = "account INT, ts TIMESTAMP, action STRING, device STRING";
    public static final String LOGINS_TIMESTAMP_FORMAT = "dd.MM.yyyy HH:mm:ss";

    public static final String THERMOSTATS_DDL =
            "reading_time TIMESTAMP, thermostat STRING, room STRING, temp_c DECIMAL(6,2), battery DOUBLE";
    public static final String THERMOSTATS_TIMESTAMP_FORMAT = "dd.MM.yyyy HH:mm:ss";

    private TestDatasets() {}

    public static Path taxi() {
        return resource("taxi");
    }

    /** The taxi files copied into {@code dir}/taxi (once), for a test that adds files beside them. */
    public static Path taxiCopy(Path dir) throws java.io.IOException {
        Path input = dir.resolve("taxi");
        if (!java.nio.file.Files.isDirectory(input)) {
            java.nio.file.Files.createDirectories(input);
            for (String name : List.of("trips-1.csv", "trips-2.csv")) {
                java.nio.file.Files.copy(taxi().resolve(name), input.resolve(name));
            }
        }
        return input;
    }

    public static Path clicks() {
        return resource("clicks");
    }

    /** Thermostat readings, CSV with ';' and a timestamp format of their own (see its README). */
    public static Path thermostats() {
        return resource("thermostats");
    }

    /** A zone catalog for the taxi trips, JSON lines (see its README). */
    public static Path zones() {
        return resource("zones");
    }

    /** An app's logins as JSON lines: an INT account, a time of its own format (see its README). */
    public static Path logins() {
        return resource("logins");
    }

    public static ReaderOptions taxiOptions() {
        return new ReaderOptions(Format.CSV, SchemaDdl.parse(TAXI_DDL), false, ',', TAXI_TIMESTAMP_FORMAT, null, false);
    }

    public static ReaderOptions clicksOptions(boolean rescuedData) {
        return new ReaderOptions(Format.JSON, SchemaDdl.parse(CLICKS_DDL), null, ',', null, null, rescuedData);
    }

    /** {@code rows} of {@code schema} as one Parquet file, written by parquet-avro (a writer that is not ours). */
    public static void writeParquet(RowSchema schema, List<Row> rows, Path file) throws IOException {
        org.apache.avro.Schema avro = schema.avroSchema();
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(
                HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
                .withSchema(avro).build()) {
            for (Row row : rows) {
                writer.write(schema.toAvro(row, avro));
            }
        }
    }

    /**
     * The files of a line dataset as Parquet in {@code dir}, one {@code NAME.parquet} per file, holding the lines
     * that {@code options} read as rows (bad lines left out): the same dataset for a Parquet run.
     */
    public static Path asParquet(Path lineFiles, ReaderOptions options, Path dir) throws IOException {
        Files.createDirectories(dir);
        LineParser<Row> parser = options.lineParser();
        try (Stream<Path> files = Files.list(lineFiles)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().endsWith(".md")).sorted().toList()) {
                List<Row> rows = new ArrayList<>();
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    try {
                        parser.parse(new SourceLine(file.toString(), i + 1, lines.get(i))).ifPresent(rows::add);
                    } catch (MalformedRecordException e) {
                        // a bad line: a dead letter in the line format, left out here
                    }
                }
                String name = file.getFileName().toString();
                writeParquet(options.rowSchema(), rows, dir.resolve(name.substring(0, name.lastIndexOf('.')) + ".parquet"));
            }
        }
        return dir;
    }

    private static Path resource(String name) {
        try {
            return Path.of(TestDatasets.class.getResource("/datasets/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
