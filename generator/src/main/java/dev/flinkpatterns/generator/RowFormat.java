package dev.flinkpatterns.generator;

import java.time.LocalDateTime;
import java.util.Optional;
import java.util.Random;

/** What one kind of batch file holds: its name, its header, a good row and a malformed one. */
public interface RowFormat {

    /** Files are named {@code <stem>_<N>.<extension>}. */
    String fileStem();

    String extension();

    /** The first line of every file, if the format has one. */
    Optional<String> header();

    /** A good row; {@code rowNumber} counts from 0 across the files of one run. */
    String row(long rowNumber, LocalDateTime timestamp, Random random);

    /** The good row turned into one of the malformed kinds, picked with {@code random}. */
    String corrupt(String goodRow, Random random);
}
