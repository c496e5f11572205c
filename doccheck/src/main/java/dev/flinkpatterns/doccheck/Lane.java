package dev.flinkpatterns.doccheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where one lane of {@code .ci/check-docs} runs its pages: {@code target/doc-check/lanes/<n>/}, which looks like the
 * repository to a page's commands. Every entry of the repository root is a symbolic link there ({@code patterns},
 * {@code conf}, {@code docs}, {@code runtime}, ...; the launcher takes the directory it was called from as its root, and
 * its staleness check does not follow links), except what pages and services write: {@code data/} and {@code log/}
 * (logs, the pid files of the Flink cluster and of Kafka's data directory) are the lane's own. Each lane has its own web
 * UI and REST port, given to its commands as {@code PATTERNS_WEB_UI_PORT}.
 */
record Lane(int number, Path dir, int webUiPort) {

    /** What stays the lane's own instead of a link to the repository's. */
    static final Set<String> OWN = Set.of("data", "log", "target");

    /**
     * Lanes 1..{@code count} under {@code repoRoot/target/doc-check/lanes}, made afresh. Lane 1 has {@code basePort}
     * (8081, or PATTERNS_WEB_UI_PORT), the next lanes the following ports that no page names.
     */
    static List<Lane> create(Path repoRoot, int count, int basePort, Set<Integer> pagePorts) throws IOException {
        Path lanes = repoRoot.resolve("target/doc-check/lanes");
        DocCheck.deleteRecursively(lanes);
        List<Path> entries;
        try (Stream<Path> list = Files.list(repoRoot)) {
            entries = list.filter(e -> !OWN.contains(e.getFileName().toString())).sorted().toList();
        }
        List<Lane> created = new ArrayList<>();
        int port = basePort;
        for (int number = 1; number <= count; number++) {
            while (number > 1 && pagePorts.contains(port)) {
                port++;
            }
            Path dir = Files.createDirectories(lanes.resolve(Integer.toString(number)));
            for (Path entry : entries) {
                // Relative, so that the link stays right when the clone moves.
                Files.createSymbolicLink(dir.resolve(entry.getFileName()), dir.relativize(entry));
            }
            Files.createDirectories(dir.resolve("log"));
            created.add(new Lane(number, dir, port));
            port++;
        }
        return created;
    }
}
