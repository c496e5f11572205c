package dev.flinkpatterns.doccheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs small pages with real bash commands. */
class DocCheckTest {

    @TempDir
    Path root;

    private String check(String markdown) throws Exception {
        Path page = root.resolve("docs/page.md");
        Files.createDirectories(page.getParent());
        Files.writeString(page, markdown);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DocCheck check = new DocCheck(root, root.resolve("target/doc-check"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        check.runPage(DocPages.read(page));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void commandsRunInOrderInTheRootWithTheirOutputCompared() throws Exception {
        Files.createDirectories(root.resolve("data/left-over"));
        String report = check("""
                ```bash
                mkdir -p data && echo one > data/a && ls data
                ```
                ```text
                a
                ```
                ```bash
                cat data/a; echo error >&2
                ```
                ```text
                one
                error
                ```
                ```bash
                echo two
                ```
                ```text
                three
                ```
                """);

        assertThat(report).contains("ok   docs/page.md:1", "ok   docs/page.md:7", "FAIL docs/page.md:14")
                .contains("expected line 1 of 1 not found anywhere:\n           three", "| two");
        assertThat(report).doesNotContain("left-over");
    }

    @Test
    void exitStatusTimeoutsAndBackgroundCommands() throws Exception {
        String report = check("""
                <!-- check: exit=3 -->
                ```bash
                exit 3
                ```
                ```bash
                false
                echo not reached
                ```
                <!-- check: timeout=1 -->
                ```bash
                sleep 30 | cat
                ```
                <!-- check: background -->
                <!-- check: wait-for=ready -->
                ```bash
                echo ready; exec sleep 300
                ```
                <!-- check: stop-after=1 -->
                ```bash
                echo started; sleep 30; echo not reached either
                ```
                ```text
                started
                ```
                <!-- check: skip=needs Docker -->
                ```bash
                docker compose up
                ```
                """);

        assertThat(report).contains("ok   docs/page.md:2", "FAIL docs/page.md:5", "exit status 1, expected 0",
                "FAIL docs/page.md:10", "timed out after 1 s", "ok   docs/page.md:15", "ok   docs/page.md:19", "skip docs/page.md:26 (needs Docker)");
        assertThat(report).doesNotContain("| not reached");
        assertThat(root.resolve("target/doc-check/docs_page.md-19.out")).content().isEqualTo("started\n");
        // The background sleep was killed at the end of the page.
        assertThat(ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").equals("sleep 300")))
                .isFalse();
    }

    @Test
    void aFailingPageRunsOnceMoreAndAPassOnTheSecondRunIsReportedAsFlaky() throws Exception {
        Path flakyPage = root.resolve("docs/flaky.md");
        Path brokenPage = root.resolve("docs/broken.md");
        Files.createDirectories(flakyPage.getParent());
        // Fails the first time only: the count lives outside data/, which each run of a page empties.
        Files.writeString(flakyPage, "```bash\nn=$(cat runs 2>/dev/null || echo 0); echo $((n + 1)) > runs; [ \"$n\" -ge 1 ]\n```\n");
        Files.writeString(brokenPage, "```bash\nfalse\n```\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DocCheck check = new DocCheck(root, root.resolve("target/doc-check"), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        check.runPageWithRetry(DocPages.read(flakyPage));
        check.runPageWithRetry(DocPages.read(brokenPage));
        boolean passed = check.summary(java.time.Duration.ZERO);

        String report = bytes.toString(StandardCharsets.UTF_8);
        assertThat(passed).isFalse();
        assertThat(Files.readString(root.resolve("runs")).strip()).isEqualTo("2");
        assertThat(report).contains("FLAKY   docs/flaky.md:1 (failed, then passed when the page ran again)",
                "FAILED  docs/broken.md:1", "check-docs: 1 commands passed, 1 failed, 0 skipped, 1 flaky page(s)");
    }
}
