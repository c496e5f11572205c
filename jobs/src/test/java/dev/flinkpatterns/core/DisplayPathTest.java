package dev.flinkpatterns.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Paths in output: relative to the working directory when under it, else as given. */
class DisplayPathTest {

    private static final Path HERE = Path.of("").toAbsolutePath().normalize();

    @Test
    void aPathUnderTheWorkingDirectoryIsShownRelativeToIt() {
        assertThat(DisplayPath.of(HERE.resolve("data/output/window-agg/results").toString()))
                .isEqualTo("data/output/window-agg/results");
        assertThat(DisplayPath.of("data/output/window-agg/dead-letter")).isEqualTo("data/output/window-agg/dead-letter");
        assertThat(DisplayPath.of(HERE.resolve("data/./x/../late").toString())).isEqualTo("data/late");
        assertThat(DisplayPath.of(HERE.toString())).isEqualTo(".");
        assertThat(DisplayPath.of(HERE.resolve("log/patterns.log"))).isEqualTo("log/patterns.log");
    }

    @Test
    void aFileUriUnderTheWorkingDirectoryIsShownAsARelativePath() {
        String savepoint = HERE.resolve("data/savepoints/savepoint-0ff852-d10949506301").toUri().toString();
        assertThat(DisplayPath.of(savepoint)).isEqualTo("data/savepoints/savepoint-0ff852-d10949506301");
        assertThat(DisplayPath.of("file:" + HERE.resolve("data/savepoints/sp"))).isEqualTo("data/savepoints/sp");
    }

    @Test
    void anythingElseIsShownAsGiven() {
        Path outside = HERE.getRoot().resolve("elsewhere-" + HERE.getFileName() + "/output");
        assertThat(DisplayPath.of(outside.toString())).isEqualTo(outside.toString());
        assertThat(DisplayPath.of("file:/tmp/flink-streaming-patterns/savepoints/savepoint-ffc7b6-826ff0b9f808"))
                .isEqualTo("file:/tmp/flink-streaming-patterns/savepoints/savepoint-ffc7b6-826ff0b9f808");
        assertThat(DisplayPath.of("s3://bucket/savepoints")).isEqualTo("s3://bucket/savepoints");
        assertThat(DisplayPath.of("../sibling/data")).isEqualTo("../sibling/data");
        assertThat(DisplayPath.of((String) null)).isNull();
    }
}
