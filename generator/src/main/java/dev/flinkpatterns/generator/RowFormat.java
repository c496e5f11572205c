package dev.flinkpatterns.generator;

import java.time.LocalDateTime;
import java.util.Optional;
import java.util.Random;

/** What one kind of batch file holds: its name, its header, a good row and a malformed one. */
public abstract class RowFormat {

    private final String fileStem;
    private final String extension;
    private final String header;

    /** Files are named {@code <fileStem>_<N>.<extension>}; {@code header} null means none. */
    RowFormat(String fileStem, String extension, String header) {
        this.fileStem = fileStem;
        this.extension = extension;
        this.header = header;
    }

    public final String fileStem() {
        return fileStem;
    }

    public final String extension() {
        return extension;
    }

    /** The first line of every file, if the format has one. */
    public final Optional<String> header() {
        return Optional.ofNullable(header);
    }

    /** A good row; {@code rowNumber} counts from 0 across the files of one run. */
    public abstract String row(long rowNumber, LocalDateTime timestamp, Random random);

    /** The good row turned into one of the malformed kinds, picked with {@code random}. */
    public abstract String corrupt(String goodRow, Random random);
}
