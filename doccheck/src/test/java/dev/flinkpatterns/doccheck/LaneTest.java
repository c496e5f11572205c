package dev.flinkpatterns.doccheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lane directories in a fake repository, and pages run in three lanes with real bash commands. */
class LaneTest {

    /** The repository's launcher: its ROOT and its staleness check are what a lane has to get right. */
    private static final Path LAUNCHER = Path.of("../patterns");

    @TempDir
    Path root;

    private static String bash(Path dir, String script) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("PWD", dir.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output.strip();
    }

    /** The launcher's first lines up to the end of its stale() function, then a verdict. */
    private static String staleCheck() throws IOException {
        Matcher matcher = Pattern.compile("(?ms)^ROOT=.*?^stale\\(\\) \\{.*?^}$").matcher(Files.readString(LAUNCHER));
        assertThat(matcher.find()).as("ROOT= and stale() in ./patterns").isTrue();
        return matcher.group() + "\nif stale; then echo stale; else echo fresh; fi";
    }

    @Test
    void aLaneLooksLikeTheRootToThePatternsLauncherButKeepsItsOwnDataAndLog() throws Exception {
        Files.writeString(root.resolve("patterns"), "#!/usr/bin/env bash\n" + Files.readAllLines(LAUNCHER).stream()
                .filter(l -> l.startsWith("ROOT=")).findFirst().orElseThrow() + "\necho \"$ROOT\"\n");
        root.resolve("patterns").toFile().setExecutable(true);
        Path classpath = Files.createDirectories(root.resolve("runtime/target")).resolve("classpath.txt");
        Files.writeString(classpath, "");
        Path source = Files.createDirectories(root.resolve("jobs/src/main/java")).resolve("Job.java");
        Files.writeString(source, "class Job {}");
        Files.setLastModifiedTime(classpath, FileTime.from(Instant.now().minusSeconds(60)));
        Files.createDirectories(root.resolve("data/of-the-root"));

        List<Lane> lanes = Lane.create(root, 2, 18400, Set.of(18401));

        Lane lane = lanes.get(1);
        assertThat(lanes).extracting(Lane::webUiPort).containsExactly(18400, 18402); // 18401 is a page's port
        assertThat(lane.dir()).isEqualTo(root.resolve("target/doc-check/lanes/2"));
        assertThat(bash(lane.dir(), "./patterns")).isEqualTo(lane.dir().toString());
        assertThat(bash(lane.dir(), "mkdir -p data/elsewhere && cd data/elsewhere && ../../patterns")).isEqualTo(lane.dir().toString());
        assertThat(bash(lane.dir(), "cat runtime/target/classpath.txt jobs/src/main/java/Job.java")).isEqualTo("class Job {}");
        assertThat(lane.dir().resolve("data/elsewhere")).isDirectory();
        assertThat(root.resolve("data/elsewhere")).doesNotExist();
        assertThat(lane.dir().resolve("data/of-the-root")).doesNotExist();
        assertThat(Files.isSymbolicLink(lane.dir().resolve("log"))).isFalse();
        assertThat(Files.isSymbolicLink(lane.dir().resolve("jobs"))).isTrue();
        // A changed source rebuilds from the root, never from a lane: find does not follow the lane's links.
        assertThat(bash(root, staleCheck())).isEqualTo("stale");
        assertThat(bash(lane.dir(), staleCheck())).isEqualTo("fresh");

        Lane.create(root, 1, 18400, Set.of()); // made afresh: the links are gone, not what they pointed to
        assertThat(root.resolve("target/doc-check/lanes/2")).doesNotExist();
        assertThat(source).exists();
    }

    @Test
    void pagesRunInLanesWithTheirLinesTogetherAndPagesSharingAPortNeverAtOnce() throws Exception {
        Files.createDirectories(root.resolve("docs"));
        Files.createDirectories(root.resolve("shared"));
        List<List<DocCommand>> pages = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "d")) {
            // a and b both use port 19999; each notes when it starts and ends in a file outside the lanes.
            String port = name.equals("a") || name.equals("b") ? "localhost:19999 " : "";
            Path page = root.resolve("docs/" + name + ".md");
            Files.writeString(page, """
                    ```bash
                    echo "start %1$s $(date +%%s%%N)" >> shared/timeline; echo %2$s> /dev/null; sleep 0.5
                    echo "end %1$s $(date +%%s%%N)" >> shared/timeline
                    ```
                    ```bash
                    test ! -e data; echo "web UI: http://localhost:$PATTERNS_WEB_UI_PORT"
                    ```
                    ```text
                    web UI: http://localhost:8081
                    ```
                    """.formatted(name, port));
            Files.writeString(page, "```bash\nmkdir -p data && touch data/left-by-" + name + "\n```\n", StandardOpenOption.APPEND);
            pages.add(DocPages.read(page));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        List<DocCheck> checks = DocCheck.runInLanes(root, pages, 3, out);
        boolean passed = DocCheck.summary(out, checks, Duration.ofSeconds(75), 3);

        String report = bytes.toString(StandardCharsets.UTF_8);
        assertThat(passed).as(report).isTrue();
        assertThat(report).contains("check-docs: 12 commands passed, 0 failed, 0 skipped, 0 flaky page(s), in 1 min 15 s (wall time, 3 lanes)");
        // Each page's lines together: its header, then its three commands.
        for (String name : List.of("a", "b", "c", "d")) {
            assertThat(report).containsPattern("== docs/" + name + ".md \\(3 commands, lane \\d\\)\n"
                    + "  ok   docs/" + name + ".md:1 .*\n  ok   docs/" + name + ".md:5 .*\n  ok   docs/" + name + ".md:11 .*\n");
        }
        List<String[]> timeline = Files.readAllLines(root.resolve("shared/timeline")).stream().map(l -> l.split(" ")).toList();
        assertThat(timeline).hasSize(8);
        long aStart = time(timeline, "start", "a");
        long aEnd = time(timeline, "end", "a");
        long bStart = time(timeline, "start", "b");
        long bEnd = time(timeline, "end", "b");
        assertThat(aEnd < bStart || bEnd < aStart).as("a and b share port 19999").isTrue();
        assertThat(root.resolve("target/doc-check/lanes/3/log")).isDirectory();
        assertThat(root.resolve("target/doc-check/docs_c.md-5.out")).exists();
    }

    private static long time(List<String[]> timeline, String event, String page) {
        return timeline.stream().filter(e -> e[0].equals(event) && e[1].equals(page)).mapToLong(e -> Long.parseLong(e[2]))
                .findFirst().orElseThrow();
    }
}
