package dev.flinkpatterns.io.twophase;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of a transaction's files. The final name is {@code <prefix>-<subtask>-<transaction><suffix>}: the same
 * transaction always gets the same name, so committing it again cannot make a second copy. The pending name is the
 * final name hidden: a leading dot (readers such as Flink's FileSource and Spark skip such files) and
 * {@code .pending} at the end.
 */
public record TransactionFiles(String prefix, String suffix) implements Serializable {

    public TransactionFiles {
        if (prefix.isEmpty() || prefix.startsWith(".") || prefix.startsWith("_")) {
            throw new IllegalArgumentException("file prefix must be non-empty and visible, got '" + prefix + "'");
        }
    }

    String finalName(int subtask, long transaction) {
        return prefix + "-" + subtask + "-" + transaction + suffix;
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
        Matcher matcher = Pattern.compile("\\." + Pattern.quote(prefix) + "-(\\d+)-(\\d+)" + Pattern.quote(suffix) + "\\.pending")
                .matcher(fileName);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Transaction(Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2))));
    }

    public record Transaction(int subtask, long number) {}
}
