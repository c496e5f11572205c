package dev.flinkpatterns.io.twophase;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of a transaction's files. The final name is {@code <prefix>-<subtask>-<transaction>-<run><suffix>}:
 * the same transaction of a run always gets the same name, so committing it again cannot make a second copy, and
 * another run (a restore from an older checkpoint, whose transactions cut the rows elsewhere) never reuses a name,
 * so a committed file never changes. The pending name is the final name hidden: a leading dot (readers such as
 * Flink's FileSource and Spark skip such files) and {@code .pending} at the end.
 *
 * @param run the run's part of the names (a job's start, not its restarts); empty: names without one
 */
public record TransactionFiles(String prefix, String suffix, String run) implements Serializable {

    public TransactionFiles {
        if (prefix.isEmpty() || prefix.startsWith(".") || prefix.startsWith("_")) {
            throw new IllegalArgumentException("file prefix must be non-empty and visible, got '" + prefix + "'");
        }
        if (!run.matches("[0-9a-f]*")) {
            throw new IllegalArgumentException("run must be hexadecimal, got '" + run + "'");
        }
    }

    /** Names without a run part: {@code <prefix>-<subtask>-<transaction><suffix>}. */
    public TransactionFiles(String prefix, String suffix) {
        this(prefix, suffix, "");
    }

    /** Names for a new run: a random run part. */
    public static TransactionFiles newRun(String prefix, String suffix) {
        return new TransactionFiles(prefix, suffix, UUID.randomUUID().toString().substring(0, 8));
    }

    String finalName(int subtask, long transaction) {
        return prefix + "-" + subtask + "-" + transaction + (run.isEmpty() ? "" : "-" + run) + suffix;
    }

    String pendingName(int subtask, long transaction) {
        return "." + finalName(subtask, transaction) + ".pending";
    }

    PendingFile pendingFile(Path directory, int subtask, long transaction) {
        return new PendingFile(directory.resolve(pendingName(subtask, transaction)).toString(),
                directory.resolve(finalName(subtask, transaction)).toString());
    }

    /** The subtask and transaction of a pending file of this sink; empty for any other file. */
    public Optional<Transaction> parsePending(String fileName) {
        return parse(fileName).filter(Transaction::pending);
    }

    /** The subtask and transaction of a pending or committed file of this sink, of any run; empty for any other file. */
    public Optional<Transaction> parse(String fileName) {
        Matcher matcher = Pattern.compile("(\\.)?" + Pattern.quote(prefix) + "-(\\d+)-(\\d+)(?:-([0-9a-f]+))?"
                + Pattern.quote(suffix) + "(\\.pending)?").matcher(fileName);
        if (!matcher.matches() || (matcher.group(1) == null) != (matcher.group(5) == null)) {
            return Optional.empty();
        }
        return Optional.of(new Transaction(Integer.parseInt(matcher.group(2)), Long.parseLong(matcher.group(3)),
                matcher.group(4) == null ? "" : matcher.group(4), matcher.group(5) != null));
    }

    /** A transaction's file: its subtask, its number, its run (empty: none), and whether it is pending. */
    public record Transaction(int subtask, long number, String run, boolean pending) {}
}
