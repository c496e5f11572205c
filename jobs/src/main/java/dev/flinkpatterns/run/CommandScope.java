package dev.flinkpatterns.run;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What a command sees of the process it runs in: its environment variables, standard input and output, and what
 * Ctrl+C does. In a JVM of its own (a plain run, {@code flink run}) these are the JVM's: its environment, its
 * {@code System.in}, and JVM shutdown hooks. In the resident runtime, which runs the commands of many
 * {@code ./patterns} invocations in one JVM, each command has its own scope: its client's environment and streams,
 * and a stop that the client's Ctrl+C (or its death) triggers. Threads started by a command (its MiniCluster's, so
 * also the console sink's task threads) inherit the scope.
 */
public final class CommandScope {

    private static final InheritableThreadLocal<CommandScope> CURRENT = new InheritableThreadLocal<>();

    private final Map<String, String> environment;
    private final InputStream input;
    private final OutputStream output;
    private final List<Thread> stopHooks = new ArrayList<>();
    private boolean stopping;

    public CommandScope(Map<String, String> environment, InputStream input, OutputStream output) {
        this.environment = Map.copyOf(environment);
        this.input = input;
        this.output = output;
    }

    /** Runs {@code command} in this scope, on the calling thread. */
    public int run(Callable<Integer> command) throws Exception {
        CURRENT.set(this);
        try {
            return command.call();
        } finally {
            CURRENT.remove();
        }
    }

    /** The scope of the calling thread; {@code null} outside the resident runtime's commands. */
    public static CommandScope current() {
        return CURRENT.get();
    }

    /** The command's environment variables. */
    public static Map<String, String> environment() {
        CommandScope scope = CURRENT.get();
        return scope == null ? System.getenv() : scope.environment;
    }

    /** The command's standard input. */
    public static InputStream input() {
        CommandScope scope = CURRENT.get();
        return scope == null ? System.in : scope.input;
    }

    /** Where this scope's command prints: what {@code System.out} means for its threads in the resident runtime. */
    public OutputStream output() {
        return output;
    }

    /**
     * Ctrl+C's handler for the calling command: a JVM shutdown hook, or its scope's stop hook. Returns what removes
     * it again (once the command has ended normally).
     */
    public static Runnable onStop(Thread hook) {
        CommandScope scope = CURRENT.get();
        if (scope == null) {
            Runtime.getRuntime().addShutdownHook(hook);
            return () -> {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // already shutting down: the hook is running
                }
            };
        }
        synchronized (scope) {
            if (scope.stopping) {
                hook.start(); // stopped before the hook came: as a JVM that is shutting down would, run it now
            } else {
                scope.stopHooks.add(hook);
            }
        }
        return () -> {
            synchronized (scope) {
                scope.stopHooks.remove(hook);
            }
        };
    }

    /** What a JVM does with its shutdown hooks on SIGINT: starts them all and waits for them. */
    public void stop() throws InterruptedException {
        List<Thread> hooks;
        synchronized (this) {
            stopping = true;
            hooks = List.copyOf(stopHooks);
            stopHooks.clear();
        }
        hooks.forEach(Thread::start);
        for (Thread hook : hooks) {
            hook.join();
        }
    }
}
