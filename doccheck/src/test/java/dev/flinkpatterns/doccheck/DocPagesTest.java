package dev.flinkpatterns.doccheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocPagesTest {

    private static final Path PAGE = Path.of("docs/page.md");

    private static List<DocCommand> parse(String markdown) {
        return DocPages.parse(PAGE, markdown.lines().toList());
    }

    @Test
    void aBashBlockTakesTheTextBlockRightAfterItAsItsOutput() {
        List<DocCommand> commands = parse("""
                # Title

                ```bash
                ./patterns csv-agg \\
                  --trigger once
                ```

                ```text
                Batch: 0
                | event | count |
                ```

                ```bash
                ls
                ```

                Some prose, then a text block that belongs to no command:

                ```text
                not an output
                ```
                """);

        assertThat(commands).hasSize(2);
        assertThat(commands.get(0).line()).isEqualTo(3);
        assertThat(commands.get(0).script()).isEqualTo("./patterns csv-agg \\\n  --trigger once");
        assertThat(commands.get(0).expectedOutput()).containsExactly("Batch: 0", "| event | count |");
        assertThat(commands.get(0).checks()).isEqualTo(DocCommand.Checks.defaults());
        assertThat(commands.get(1).expectedOutput()).isNull();
    }

    @Test
    void annotationsAboveTheBlockSetItsChecks() {
        List<DocCommand> commands = parse("""
                <!-- check: exit=2 -->
                <!-- check: timeout=20 -->
                <!-- check: ignore=\\d+ ms -->
                <!-- check: ignore=at \\d\\d:\\d\\d -->
                <!-- check: unordered -->
                <!-- check: stop-after=40 -->
                ```bash
                ./patterns nope
                ```
                <!-- check: background -->
                <!-- check: wait-for=listening on \\d+ -->
                ```bash
                ./patterns generate socket
                ```
                <!-- check: skip=needs a Docker daemon -->
                ```bash
                docker compose up
                ```
                <!-- check: any-output=rates differ -->
                ```bash
                ./patterns benchmark
                ```
                """);

        var first = commands.get(0).checks();
        assertThat(first.exitStatus()).isEqualTo(2);
        assertThat(first.timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(first.ignore()).containsExactly("\\d+ ms", "at \\d\\d:\\d\\d");
        assertThat(first.unordered()).isTrue();
        assertThat(first.stopAfter()).isEqualTo(Duration.ofSeconds(40));
        assertThat(commands.get(1).checks().background()).isTrue();
        assertThat(commands.get(1).checks().waitFor()).isEqualTo("listening on \\d+");
        assertThat(commands.get(1).checks().comparesOutput()).isFalse();
        assertThat(commands.get(2).checks().skipReason()).isEqualTo("needs a Docker daemon");
        assertThat(commands.get(3).checks().anyOutputReason()).isEqualTo("rates differ");
        assertThat(commands.get(3).checks().comparesOutput()).isFalse();
    }

    @Test
    void aFenceInsideAListIsDedented() {
        List<DocCommand> commands = parse("""
                1. Run:
                   ```bash
                   ./patterns jobs
                   ```
                   ```text
                   No running jobs
                     indented
                   ```
                """);

        assertThat(commands.get(0).script()).isEqualTo("./patterns jobs");
        assertThat(commands.get(0).expectedOutput()).containsExactly("No running jobs", "  indented");
    }

    @Test
    void mistakesInAnnotationsAreErrorsWithThePlace() {
        assertThatThrownBy(() -> parse("<!-- check: exits=2 -->\n```bash\nls\n```\n"))
                .hasMessageContaining("docs/page.md:2").hasMessageContaining("unknown check");
        assertThatThrownBy(() -> parse("<!-- check: timeout -->\n```bash\nls\n```\n"))
                .hasMessageContaining("needs a value");
        assertThatThrownBy(() -> parse("<!-- check: ignore=([ -->\n```bash\nls\n```\n"))
                .hasMessageContaining("not a regular expression");
        assertThatThrownBy(() -> parse("<!-- check: wait-for=x -->\n```bash\nls\n```\n"))
                .hasMessageContaining("wait-for needs background");
        assertThatThrownBy(() -> parse("<!-- check: exit=2 -->\nprose\n```bash\nls\n```\n"))
                .hasMessageContaining("right above a ```bash block");
        assertThatThrownBy(() -> parse("<!-- check: exit=2 -->\n```java\nx\n```\n"))
                .hasMessageContaining("only ```bash blocks are run");
        assertThatThrownBy(() -> parse("```bash\nls\n"))
                .hasMessageContaining("never closed");
    }

    @Test
    void aPageThatShowsAPathOfThisMachineIsRefused() {
        Path root = Path.of("/home/runner/clone");
        assertThatThrownBy(() -> DocPages.refuseMachinePaths(PAGE, List.of("ok", "Results: written to "
                + "/home/runner/clone/data/out/results"), root))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("docs/page.md:2: shows /home/runner/clone, a path of this machine");
        assertThatThrownBy(() -> DocPages.refuseMachinePaths(PAGE, List.of(
                "{\"path\":\"file:/work/helper-cv3/data/in/a.csv\"}"), root))
                .hasMessageStartingWith("docs/page.md:1: shows /work/helper-cv3, a path of this machine");
        DocPages.refuseMachinePaths(PAGE, List.of(
                "Results: written to data/output/window-agg/results",
                "{\"path\":\"file:/.../data/in/a.csv\"}",
                "file:/tmp/flink-streaming-patterns/savepoints/savepoint-ffc7b6-826ff0b9f808",
                "https://example.com/work/x", "data/work/x"), root);
    }
}
