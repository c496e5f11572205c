package dev.flinkpatterns.core;

import java.net.URI;
import java.nio.file.Path;

/**
 * A path as output shows it: relative to the working directory when it lies under it ({@code data/output/csv-log/results}),
 * as the user typed it on the command line; otherwise as given. Jobs keep using the absolute path, which a cluster's
 * TaskManagers need. A {@code file:} URI under the working directory (Flink's savepoint locations) is shown as a
 * relative path too, which the commands that take one back (--from-savepoint) accept.
 */
public final class DisplayPath {

    private DisplayPath() {}

    public static String of(String location) {
        if (location == null || location.isBlank()) {
            return location;
        }
        Path path;
        try {
            if (location.startsWith("file:")) {
                path = Path.of(URI.create(location));
            } else if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                return location; // s3://, hdfs://, ...: not a local path
            } else {
                path = Path.of(location);
            }
        } catch (IllegalArgumentException e) { // a malformed URI or path: shown as typed
            return location;
        }
        Path absolute = path.toAbsolutePath().normalize();
        Path here = Path.of("").toAbsolutePath().normalize();
        if (!absolute.startsWith(here)) {
            return location;
        }
        String relative = here.relativize(absolute).toString();
        return relative.isEmpty() ? "." : relative;
    }

    public static String of(Path path) {
        return path == null ? null : of(path.toString());
    }
}
