package dev.flinkpatterns.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The execution samples of a JFR recording grouped as docs/benchmark.md's profile tables group them: by the task
 * (the thread's name up to its subtask, e.g. {@code drop duplicates by ... (1/2)}) and by the innermost frame of
 * the project's or Flink's code ({@code dev.flinkpatterns}, {@code org.apache.flink}, {@code org.rocksdb}), or the
 * innermost frame when none is. Prints each group's share of the samples, largest first. Native samples count only
 * inside RocksDB's calls (work done in C++); other threads in native code are waiting (sockets, epoll).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks-*.jar dev.flinkpatterns.benchmarks.JfrSamples FILE.jfr [THREAD] [N]}:
 * only threads whose name contains THREAD (default: all), the N largest groups (default 30).
 */
public final class JfrSamples {

    private static final List<String> OURS = List.of("dev.flinkpatterns.", "org.apache.flink.", "org.rocksdb.");

    private JfrSamples() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JfrSamples FILE.jfr [THREAD] [N]");
            System.exit(2);
        }
        String threadFilter = args.length > 1 ? args[1] : "";
        int limit = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        Map<String, Integer> groups = new HashMap<>();
        int total = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = event.getEventType().getName();
            if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
                continue;
            }
            String thread = event.getThread("sampledThread") == null ? "?" : event.getThread("sampledThread").getJavaName();
            if (thread == null || !thread.contains(threadFilter)) {
                continue;
            }
            String frame = frame(event.getStackTrace());
            if (type.equals("jdk.NativeMethodSample") && !frame.startsWith("org.rocksdb.")) {
                continue;
            }
            total++;
            groups.merge(task(thread) + "  " + frame, 1, Integer::sum);
        }
        int shown = total;
        System.out.printf("%d samples%s%n", shown, threadFilter.isEmpty() ? "" : " of threads named *" + threadFilter + "*");
        groups.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(group -> System.out.printf("%5.1f %%  %s%n", 100.0 * group.getValue() / shown, group.getKey()));
    }

    /** A task thread's name without its attempt and execution id: the same for every run. */
    static String task(String thread) {
        int attempt = thread.indexOf("#");
        return attempt > 0 ? thread.substring(0, attempt) : thread;
    }

    private static String frame(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return "?";
        }
        for (RecordedFrame frame : stack.getFrames()) {
            String type = frame.getMethod().getType().getName();
            if (OURS.stream().anyMatch(type::startsWith)) {
                return type + "." + frame.getMethod().getName();
            }
        }
        RecordedFrame top = stack.getFrames().get(0);
        return top.getMethod().getType().getName() + "." + top.getMethod().getName();
    }
}
