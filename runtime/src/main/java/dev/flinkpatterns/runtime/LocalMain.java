package dev.flinkpatterns.runtime;

import dev.flinkpatterns.cli.PatternsCli;
import java.nio.file.Path;

/** What {@code ./patterns} runs: the one CLI on the embedded runtime. */
public final class LocalMain {

    private LocalMain() {}

    public static void main(String[] args) {
        Path confDir = Path.of(System.getProperty("patterns.conf.dir", "conf"));
        EmbeddedRuntime runtime = new EmbeddedRuntime(confDir);
        int exitCode = PatternsCli.run(args, runtime, System.out, System.err);
        runtime.removeWorkingDirectory();
        System.exit(exitCode); // MiniCluster threads must not keep the JVM alive
    }
}
