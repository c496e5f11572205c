package dev.flinkpatterns.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The docs say what this run of the suite found (it runs after every other class: junit-platform.properties):
 * docs/parity.md's table names each case and its result, and a page's {@code <!-- spark-output: CASE -->} or
 * {@code <!-- flink-output: CASE -->} block holds that side's rows of the case ({@code spark-only},
 * {@code flink-only}: the rows of that side that the other side does not have). Run alone, with no case recorded
 * by this JVM, it has nothing to check against and checks nothing.
 */
@Order(Integer.MAX_VALUE)
class DocsMatchResultsTest {

    private static final Pattern CASE_NAME = Pattern.compile("`([a-z0-9-]+)`");
    private static final Pattern OUTPUT_MARK = Pattern.compile("<!-- (spark|flink)-(output|only): ([a-z0-9-]+) -->");
    private static final Pattern MORE_ROWS = Pattern.compile("\\.\\.\\. \\((\\d+) rows in all\\)");

    @Test
    void theTableGivesEachCaseItsResult() throws IOException {
        Map<String, ParityCases.Result> recorded = recordedByThisRun();
        if (recorded.isEmpty()) {
            return;
        }
        Map<String, String> resultCells = tableResults();
        List<String> wrong = new ArrayList<>();
        resultCells.forEach((name, cell) -> {
            ParityCases.Result result = recorded.get(name);
            if (result == null) {
                wrong.add(name + ": in docs/parity.md, but no test recorded it");
            } else if (!cell.startsWith(result.word())) {
                wrong.add(name + ": the suite found '" + result.word() + "', docs/parity.md says '" + cell + "'");
            }
        });
        recorded.keySet().stream().filter(name -> !resultCells.containsKey(name))
                .forEach(name -> wrong.add(name + ": recorded (" + recorded.get(name).word() + "), not in docs/parity.md's table"));
        assertThat(wrong).as("docs/parity.md against the suite's results").isEmpty();
    }

    @Test
    void pagesShowTheRowsOfTheSuite() throws IOException {
        Map<String, ParityCases.Result> recorded = recordedByThisRun();
        if (recorded.isEmpty()) {
            return;
        }
        List<String> wrong = new ArrayList<>();
        Set<String> shownSpark = new TreeSet<>();
        for (Path page : pages()) {
            List<String> lines = Files.readAllLines(page);
            for (int i = 0; i < lines.size(); i++) {
                Matcher mark = OUTPUT_MARK.matcher(lines.get(i).trim());
                if (!mark.matches()) {
                    continue;
                }
                String where = Patterns.ROOT.relativize(page) + ":" + (i + 1);
                String side = mark.group(1);
                boolean onlyThisSide = mark.group(2).equals("only");
                String name = mark.group(3);
                if (!recorded.containsKey(name)) {
                    wrong.add(where + ": no case " + name + " in this run");
                    continue;
                }
                if (side.equals("spark")) {
                    shownSpark.add(name);
                }
                List<String> rows = ParityCases.rows(name, side);
                if (onlyThisSide) {
                    rows = new ArrayList<>(rows);
                    ParityCases.rows(name, side.equals("spark") ? "flink" : "spark").forEach(rows::remove);
                }
                String problem = compare(textBlockAfter(lines, i), rows);
                if (problem != null) {
                    wrong.add(where + ": " + side + "'s " + (onlyThisSide ? "own " : "") + "rows of " + name + ": "
                            + problem);
                }
            }
        }
        // Every row of the table shows Spark's output of one of its cases on a page (or of a case with the same
        // Spark rows: the same query on the same files).
        Set<List<String>> shownSparkRows = new java.util.HashSet<>();
        for (String name : shownSpark) {
            shownSparkRows.add(ParityCases.rows(name, "spark"));
        }
        for (List<String> row : tableCases()) {
            boolean shown = false;
            for (String name : row) {
                shown |= recorded.containsKey(name) && shownSparkRows.contains(ParityCases.rows(name, "spark"));
            }
            if (!shown) {
                wrong.add("no page shows Spark's rows of any of " + row + " (<!-- spark-output: CASE -->)");
            }
        }
        assertThat(wrong).as("outputs shown on the pages against the suite's").isEmpty();
    }

    /** The cases that this JVM recorded (an older run's are stale). */
    private static Map<String, ParityCases.Result> recordedByThisRun() throws IOException {
        Map<String, ParityCases.Result> recorded = new TreeMap<>();
        if (!Files.isDirectory(ParityCases.DIRECTORY)) {
            return recorded;
        }
        FileTime started = FileTime.fromMillis(ManagementFactory.getRuntimeMXBean().getStartTime());
        try (Stream<Path> cases = Files.list(ParityCases.DIRECTORY)) {
            for (Path directory : cases.toList()) {
                Path result = directory.resolve("result");
                if (Files.exists(result) && Files.getLastModifiedTime(result).compareTo(started) >= 0) {
                    String name = directory.getFileName().toString();
                    recorded.put(name, ParityCases.result(name));
                }
            }
        }
        return recorded;
    }

    /** docs/parity.md's table: the cell of column "result", by each case its column "case" names. */
    private static Map<String, String> tableResults() throws IOException {
        Map<String, String> results = new LinkedHashMap<>();
        for (List<String> cells : tableRows()) {
            String resultCell = cells.get(1);
            for (String name : names(cells.get(0))) {
                results.put(name, resultCell);
            }
        }
        return results;
    }

    private static List<List<String>> tableCases() throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (List<String> cells : tableRows()) {
            rows.add(names(cells.get(0)));
        }
        return rows;
    }

    /** Each row of the table as its (case, result) cells. */
    private static List<List<String>> tableRows() throws IOException {
        List<String> lines = Files.readAllLines(Patterns.ROOT.resolve("docs/parity.md"));
        int caseColumn = -1;
        int resultColumn = -1;
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith("|")) {
                continue;
            }
            List<String> cells = List.of(line.substring(1, line.length() - 1).split("\\|", -1)).stream()
                    .map(String::trim).toList();
            if (caseColumn < 0) {
                caseColumn = cells.indexOf("cases");
                resultColumn = cells.indexOf("result");
                assertThat(caseColumn).as("docs/parity.md's table has a column 'cases'").isNotNegative();
                assertThat(resultColumn).as("docs/parity.md's table has a column 'result'").isNotNegative();
            } else if (!cells.get(0).startsWith("---")) {
                rows.add(List.of(cells.get(caseColumn), cells.get(resultColumn)));
            }
        }
        return rows;
    }

    private static List<String> names(String cell) {
        List<String> names = new ArrayList<>();
        Matcher name = CASE_NAME.matcher(cell);
        while (name.find()) {
            names.add(name.group(1));
        }
        return names;
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Patterns.ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.walk(Patterns.ROOT.resolve("docs"))) {
            files.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The lines of the ```text block after line {@code mark} (other comment lines and blank lines may come first). */
    private static List<String> textBlockAfter(List<String> lines, int mark) {
        int i = mark + 1;
        while (i < lines.size() && (lines.get(i).isBlank() || lines.get(i).trim().startsWith("<!--"))) {
            i++;
        }
        if (i >= lines.size() || !lines.get(i).trim().equals("```text")) {
            return null;
        }
        List<String> block = new ArrayList<>();
        for (i++; i < lines.size() && !lines.get(i).trim().equals("```"); i++) {
            block.add(lines.get(i).strip()); // a block in a list item is indented
        }
        return block;
    }

    /**
     * Null when the block shows the rows: all of them, or the first ones and then {@code ... (N rows in all)}.
     */
    static String compare(List<String> block, List<String> rows) {
        if (block == null) {
            return "no ```text block follows the mark";
        }
        List<String> shown = block;
        if (!block.isEmpty()) {
            Matcher more = MORE_ROWS.matcher(block.get(block.size() - 1).trim());
            if (more.matches()) {
                shown = block.subList(0, block.size() - 1);
                if (Integer.parseInt(more.group(1)) != rows.size()) {
                    return "the block says " + more.group(1) + " rows in all, the suite has " + rows.size();
                }
            } else if (block.size() != rows.size()) {
                return "the block has " + block.size() + " rows, the suite " + rows.size()
                        + " (end a shortened block with '... (" + rows.size() + " rows in all)')";
            }
        }
        for (int i = 0; i < shown.size(); i++) {
            if (i >= rows.size() || !shown.get(i).equals(rows.get(i))) {
                return "row " + (i + 1) + " is '" + shown.get(i) + "', the suite's is '"
                        + (i < rows.size() ? rows.get(i) : "(none)") + "'";
            }
        }
        return null;
    }
}
