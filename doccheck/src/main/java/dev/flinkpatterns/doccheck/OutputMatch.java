package dev.flinkpatterns.doccheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Compares a page's expected output with a real one. Every expected line must appear in the real output, in the
 * same order (or in any order when unordered); other lines may appear between them, and a {@code ...} line only
 * marks a visible cut. Parts that vary from run to run are replaced in both before comparing.
 */
public final class OutputMatch {

    /** Flink's job, vertex and checkpoint ids. */
    private static final List<String> ALWAYS_IGNORED = List.of("\\b[0-9a-f]{32}\\b");
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
    static final String VARYING = "<*>";

    private OutputMatch() {
    }

    /** Empty when they match; otherwise what was not found. */
    public static Optional<String> mismatch(List<String> expected, List<String> actual, List<String> ignore,
                                            boolean unordered) {
        List<Pattern> patterns = new ArrayList<>();
        for (String regex : ALWAYS_IGNORED) {
            patterns.add(Pattern.compile(regex));
        }
        for (String regex : ignore) {
            patterns.add(Pattern.compile(regex));
        }
        List<String> wanted = new ArrayList<>();
        for (String line : expected) {
            String normal = normalize(line, patterns);
            if (!normal.isEmpty() && !normal.strip().equals("...")) {
                wanted.add(normal);
            }
        }
        List<String> real = new ArrayList<>();
        for (String line : actual) {
            real.add(normalize(line, patterns));
        }
        return unordered ? missingAnyOrder(wanted, real) : missingInOrder(wanted, real);
    }

    static String normalize(String line, List<Pattern> ignore) {
        String normal = ANSI.matcher(line).replaceAll("").replace("\r", "").stripTrailing();
        for (Pattern pattern : ignore) {
            normal = pattern.matcher(normal).replaceAll(VARYING);
        }
        return normal;
    }

    private static Optional<String> missingInOrder(List<String> wanted, List<String> real) {
        int at = 0;
        for (int w = 0; w < wanted.size(); w++) {
            int found = real.subList(at, real.size()).indexOf(wanted.get(w));
            if (found < 0) {
                String where = w == 0 ? "anywhere" : "after the expected line \"" + wanted.get(w - 1) + "\"";
                boolean elsewhere = real.contains(wanted.get(w));
                return Optional.of("expected line " + (w + 1) + " of " + wanted.size() + " not found " + where
                        + (elsewhere ? " (it is there, but earlier)" : "") + ":\n    " + wanted.get(w));
            }
            at += found + 1;
        }
        return Optional.empty();
    }

    private static Optional<String> missingAnyOrder(List<String> wanted, List<String> real) {
        List<String> left = new ArrayList<>(real);
        for (String line : wanted) {
            if (!left.remove(line)) {
                return Optional.of("expected line not found (any order):\n    " + line);
            }
        }
        return Optional.empty();
    }
}
