package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths from the command line: local ones made absolute (a cluster's TaskManagers do not share our working directory), URIs kept. */
final class Locations {

    private Locations() {}

    static boolean isUri(String location) {
        return location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
    }

    /** An absolute local path or the URI as given. */
    static String resolve(String location) {
        if (isUri(location)) {
            return location;
        }
        return Path.of(location).toAbsolutePath().normalize().toString();
    }

    /** Same, as a URI, which is what Flink's checkpoint options want. */
    static String resolveUri(String location) {
        return isUri(location) ? location : Path.of(location).toAbsolutePath().normalize().toUri().toString();
    }

    /** A local input directory must exist; a remote one is the cluster's to check. {@code howToFill} may name it with %s. */
    static String existingDirectory(String option, String location, String howToFill) {
        String resolved = resolve(location);
        if (isUri(location) && !location.startsWith("file:")) {
            return resolved;
        }
        Path path = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(resolved);
        if (!Files.isDirectory(path)) {
            throw new UsageException(option + " " + location + ": no such directory"
                    + " (" + howToFill.formatted(location) + ")");
        }
        return resolved;
    }
}
