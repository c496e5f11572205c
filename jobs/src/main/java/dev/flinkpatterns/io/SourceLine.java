package dev.flinkpatterns.io;

import dev.flinkpatterns.table.SortKeys;

/** A line of text and where it came from: a file and its 1-based line number, or a socket and a line count. */
public record SourceLine(String source, long line, String text) {

    /** Orders lines by source then line number, for stable append-mode batches. */
    public String orderKey() {
        return source + '\u0000' + SortKeys.zeroPadded(line, 12);
    }
}
