package dev.flinkpatterns.doccheck;

import dev.flinkpatterns.doccheck.DocCommand.Checks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads the commands of a Markdown page: every {@code ```bash} block with its annotations and expected output. */
public final class DocPages {

    private static final Pattern ANNOTATION = Pattern.compile("^\\s*<!--\\s*check:\\s*(.*?)\\s*-->\\s*$");
    private static final Pattern FENCE = Pattern.compile("^(\\s*)```\\s*([A-Za-z0-9_-]*)\\s*$");

    private DocPages() {
    }

    /**
     * A home directory's path ({@code /work/<clone>/...}, {@code /home/<user>/...}): a path of the machine that made
     * the page, which a reader does not have. Pages show paths relative to the repository root, as the output does,
     * and cut the clone's directory from absolute URIs as {@code /.../}.
     */
    private static final Pattern HOME_PATH = Pattern.compile("(?<![\\w.~-])/(work|home|Users|root)/[\\w.-]+");

    public static List<DocCommand> read(Path page) throws IOException {
        return parse(page, Files.readAllLines(page));
    }

    /** Same, refusing a page that shows a path of this machine: the repository root's, or a home directory's. */
    public static List<DocCommand> read(Path page, Path root) throws IOException {
        List<String> lines = Files.readAllLines(page);
        refuseMachinePaths(page, lines, root);
        return parse(page, lines);
    }

    /** @throws IllegalArgumentException naming the first line that shows a path of this machine */
    static void refuseMachinePaths(Path page, List<String> lines, Path root) {
        String rootPath = root.toAbsolutePath().normalize().toString();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher home = HOME_PATH.matcher(line);
            String shown = line.contains(rootPath + "/") || line.endsWith(rootPath) ? rootPath
                    : home.find() ? home.group() : null;
            if (shown != null) {
                throw new IllegalArgumentException(page + ":" + (i + 1) + ": shows " + shown + ", a path of this "
                        + "machine: show paths relative to the repository root (as ./patterns prints them), or cut "
                        + "the clone's directory as /.../");
            }
        }
    }

    /** @throws IllegalArgumentException for an unknown or malformed annotation, or an unclosed fence */
    public static List<DocCommand> parse(Path page, List<String> lines) {
        List<DocCommand> commands = new ArrayList<>();
        List<String> annotations = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            Matcher annotation = ANNOTATION.matcher(line);
            Matcher fence = FENCE.matcher(line);
            if (annotation.matches()) {
                annotations.add(annotation.group(1));
                i++;
            } else if (fence.matches() && !fence.group(2).isEmpty()) {
                int start = i;
                Block block = fenced(page, lines, i, fence.group(1).length());
                i = block.next;
                if (fence.group(2).equals("bash")) {
                    List<String> expected = null;
                    int after = skipBlank(lines, i);
                    Matcher next = after < lines.size() ? FENCE.matcher(lines.get(after)) : null;
                    if (next != null && next.matches() && next.group(2).equals("text")) {
                        Block output = fenced(page, lines, after, next.group(1).length());
                        expected = output.lines;
                        i = output.next;
                    }
                    Checks checks = checks(page, start + 1, annotations);
                    commands.add(new DocCommand(page, start + 1, String.join("\n", block.lines), expected, checks));
                } else if (!annotations.isEmpty()) {
                    throw new IllegalArgumentException(page + ":" + (start + 1)
                            + ": a check annotation stands above a ```" + fence.group(2) + " block; only ```bash blocks are run");
                }
                annotations.clear();
            } else {
                if (!line.isBlank() && !annotations.isEmpty()) {
                    throw new IllegalArgumentException(page + ":" + i
                            + ": a check annotation must stand right above a ```bash block");
                }
                i++;
            }
        }
        return commands;
    }

    private record Block(List<String> lines, int next) {
    }

    private static Block fenced(Path page, List<String> lines, int open, int indent) {
        List<String> body = new ArrayList<>();
        for (int i = open + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().equals("```")) {
                return new Block(body, i + 1);
            }
            body.add(dedent(line, indent));
        }
        throw new IllegalArgumentException(page + ":" + (open + 1) + ": the ``` block is never closed");
    }

    /** Removes the list indentation of a fenced block, never more than the line's own leading spaces. */
    private static String dedent(String line, int indent) {
        int cut = 0;
        while (cut < indent && cut < line.length() && line.charAt(cut) == ' ') {
            cut++;
        }
        return line.substring(cut);
    }

    private static int skipBlank(List<String> lines, int i) {
        while (i < lines.size() && lines.get(i).isBlank()) {
            i++;
        }
        return i;
    }

    static Checks checks(Path page, int line, List<String> annotations) {
        int exit = 0;
        Duration timeout = Checks.DEFAULT_TIMEOUT;
        Duration stopAfter = null;
        boolean background = false;
        boolean unordered = false;
        String waitFor = null;
        String anyOutput = null;
        String skip = null;
        List<String> ignore = new ArrayList<>();
        for (String annotation : annotations) {
            int eq = annotation.indexOf('=');
            String key = (eq < 0 ? annotation : annotation.substring(0, eq)).strip();
            String value = eq < 0 ? null : annotation.substring(eq + 1).strip();
            String where = page + ":" + line + ": <!-- check: " + annotation + " -->: ";
            try {
                switch (key) {
                    case "exit" -> exit = Integer.parseInt(required(value));
                    case "timeout" -> timeout = Duration.ofSeconds(Long.parseLong(required(value)));
                    case "stop-after" -> stopAfter = Duration.ofSeconds(Long.parseLong(required(value)));
                    case "background" -> background = true;
                    case "unordered" -> unordered = true;
                    case "wait-for" -> waitFor = regex(required(value));
                    case "ignore" -> ignore.add(regex(required(value)));
                    case "any-output" -> anyOutput = required(value);
                    case "skip" -> skip = required(value);
                    default -> throw new IllegalArgumentException("unknown check (known: exit, timeout, stop-after, background, "
                            + "wait-for, ignore, unordered, any-output, skip)");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
        }
        if (waitFor != null && !background) {
            throw new IllegalArgumentException(page + ":" + line + ": wait-for needs background");
        }
        if (stopAfter != null && background) {
            throw new IllegalArgumentException(page + ":" + line + ": stop-after and background exclude each other");
        }
        return new Checks(exit, timeout, stopAfter, background, waitFor, List.copyOf(ignore), unordered, anyOutput, skip);
    }

    private static String required(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("needs a value (key=value)");
        }
        return value;
    }

    private static String regex(String value) {
        try {
            Pattern.compile(value);
            return value;
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a regular expression: " + e.getDescription());
        }
    }
}
