package dev.flinkpatterns.io.filetable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.filetable.FileTableSource.FilePoller;
import dev.flinkpatterns.io.filetable.FileTableSource.FileRead;
import dev.flinkpatterns.io.filetable.FileTableSource.FileSplit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file watcher of {@link FileTable}: a version per changed content, nothing for an unchanged one, bad lines as
 * dead letters, and a missing, empty or header-less file keeping the version there is.
 */
class FileTableSourceTest {

    static final RowSchema CATALOG = RowSchema.of(
            RowSchema.Column.required("product_id", RowSchema.Type.STRING),
            RowSchema.Column.nullable("product_name", RowSchema.Type.STRING),
            RowSchema.Column.nullable("price", RowSchema.Type.DOUBLE));
    static final String HEADER = "product_id,product_name,price";

    @TempDir
    Path tmp;

    private Path file() {
        return tmp.resolve("catalog.csv");
    }

    private void write(String... lines) throws Exception {
        Files.writeString(file(), String.join("\n", lines) + "\n");
    }

    private FilePoller poller(boolean bounded, long version, String hash) {
        FilePoller poller = new FilePoller(CATALOG, "product_id", Duration.ofMillis(1), bounded);
        poller.handleSplitsChanges(new SplitsAddition<>(List.of(new FileSplit(file().toString(), version, hash))));
        return poller;
    }

    /** Version, then each row as key=fields. */
    private static String describe(TableSnapshot snapshot) {
        return "v" + snapshot.version() + " " + snapshot.rows().entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue()).collect(Collectors.joining(" "));
    }

    private static List<String> reasons(FileRead read) {
        return read.rejected().stream().map(dead -> dead.line() + ": " + dead.reason()).toList();
    }

    @Test
    void eachChangedContentIsTheNextVersion() throws Exception {
        write(HEADER, "p1,pen,1.5", "p2,ink,");
        FilePoller poller = poller(false, 0, "");

        FileRead first = poller.poll();
        assertThat(describe(first.snapshot())).isEqualTo("v1 p1=+I[p1, pen, 1.5] p2=+I[p2, ink, null]");
        assertThat(first.rejected()).isEmpty();
        assertThat(poller.poll()).as("unchanged").isNull();

        write(HEADER, "p1,fountain pen,9.0");
        assertThat(describe(poller.poll().snapshot())).isEqualTo("v2 p1=+I[p1, fountain pen, 9.0]");
        assertThat(poller.poll()).isNull();

        write(HEADER, "p1,pen,1.5", "p2,ink,");
        assertThat(describe(poller.poll().snapshot())).as("back to the first content: a new version")
                .isEqualTo("v3 p1=+I[p1, pen, 1.5] p2=+I[p2, ink, null]");
    }

    @Test
    void badLinesAreDeadLettersAndTheRestIsTheVersion() throws Exception {
        write(HEADER, "p1,pen,1.5", "p2,ink,cheap", "p1,pencil,0.5", ",nameless,1.0", "", "p3,paper,2.0,extra", "p4,\"quoted, name\",3");
        FileRead read = poller(false, 0, "").poll();

        assertThat(describe(read.snapshot())).isEqualTo("v1 p1=+I[p1, pen, 1.5] p4=+I[p4, quoted, name, 3.0]");
        assertThat(reasons(read)).containsExactly(
                "3: price is not a number: 'cheap'",
                "4: duplicate product_id p1: the row of line 2 is kept",
                "5: product_id is empty",
                "7: expected 3 fields (product_id,product_name,price) but found 4");
        assertThat(read.rejected().get(0)).isEqualTo(
                new DeadLetter(file().toString(), 3, "p2,ink,cheap", "price is not a number: 'cheap'"));
    }

    @Test
    void aMissingEmptyOrHeaderlessFileKeepsTheVersion() throws Exception {
        write(HEADER, "p1,pen,1.5");
        FilePoller poller = poller(false, 0, "");
        assertThat(poller.poll().snapshot().version()).isEqualTo(1);

        Files.delete(file());
        assertThat(poller.poll()).as("missing").isNull();

        Files.writeString(file(), "");
        FileRead empty = poller.poll();
        assertThat(empty.snapshot()).as("empty").isNull();
        assertThat(empty.rejected()).isEmpty();

        write("p2,ink,2.0", "p3,paper,3.0");
        FileRead headerless = poller.poll();
        assertThat(headerless.snapshot()).as("no header").isNull();
        assertThat(reasons(headerless)).containsExactly(
                "1: the first line is not the header product_id,product_name,price: the whole file is refused");
        assertThat(poller.poll()).as("the same refused content is refused once").isNull();

        write(HEADER, "p1,pen,1.5");
        assertThat(poller.poll()).as("the content of version 1 again: still version 1").isNull();

        write(HEADER, "p1,pen,2.5");
        assertThat(describe(poller.poll().snapshot())).isEqualTo("v2 p1=+I[p1, pen, 2.5]");
    }

    @Test
    void aRefusedFileBeforeAnyVersionLeavesNoTable() throws Exception {
        write("p1,pen,1.5");
        FileRead refused = poller(false, 0, "").poll();
        assertThat(refused.snapshot()).isNull();
        assertThat(refused.hasTable()).isFalse();
    }

    @Test
    void aRestoredReaderSendsNoUnchangedFile() throws Exception {
        write(HEADER, "p1,pen,1.5");
        FileRead original = poller(false, 0, "").poll();

        FilePoller restored = poller(false, 7, original.contentHash());
        RecordsWithSplitIds<FileRead> first = restored.fetch();
        first.nextSplit();
        assertThat(first.nextRecordFromSplit()).as("the version downstream stays: no rows, but the table exists")
                .isEqualTo(new FileRead(null, List.of(), original.contentHash(), true));
        assertThat(restored.poll()).isNull();
        write(HEADER, "p1,pen,2.5");
        assertThat(restored.poll().snapshot().version()).isEqualTo(8);
    }

    @Test
    void boundedReadsOnceAndAMissingFileIsAnEmptyTable() throws Exception {
        FilePoller missing = poller(true, 0, "");
        RecordsWithSplitIds<FileRead> records = missing.fetch();
        assertThat(records.nextSplit()).isEqualTo(file().toString());
        FileRead read = records.nextRecordFromSplit();
        assertThat(describe(read.snapshot())).isEqualTo("v1 ");
        assertThat(records.nextRecordFromSplit()).isNull();
        assertThat(records.finishedSplits()).containsExactly(file().toString());
        assertThat(missing.fetch().nextSplit()).as("nothing after the end").isNull();
    }

    @Test
    void theFileMayBeAUri() throws Exception {
        write(HEADER, "p1,pen,1.5");
        FilePoller poller = new FilePoller(CATALOG, "product_id", Duration.ofMillis(1), false);
        poller.handleSplitsChanges(new SplitsAddition<>(List.of(new FileSplit(file().toUri().toString(), 0, ""))));
        assertThat(poller.poll().snapshot().rows()).containsOnlyKeys("p1");
    }
}
