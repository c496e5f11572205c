package dev.flinkpatterns.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The CPU time of this JVM's threads, summed by what they belong to: the latency benchmark's one JVM holds the Kafka
 * broker, the producer, the job and the consumer, and only the job's share is the job's cost.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> cpuNanos;
    private final Map<Long, String> names;

    private ThreadCpu(Map<Long, Long> cpuNanos, Map<Long, String> names) {
        this.cpuNanos = cpuNanos;
        this.names = names;
    }

    /** Every live thread's CPU time now. */
    static ThreadCpu now() {
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null) {
                long nanos = THREADS.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    cpu.put(info.getThreadId(), nanos);
                    names.put(info.getThreadId(), info.getThreadName());
                }
            }
        }
        return new ThreadCpu(cpu, names);
    }

    Set<Long> threadIds() {
        return cpuNanos.keySet();
    }

    /**
     * The CPU used since {@code earlier}, in cores over {@code wallNanos}, per group that {@code group} gives a
     * thread (by id and name), in the order the groups are first met. Threads that ended in between are left out.
     */
    Map<String, Double> coresSince(ThreadCpu earlier, long wallNanos, BiFunction<Long, String, String> group) {
        Map<String, Long> nanos = new LinkedHashMap<>();
        cpuNanos.forEach((id, cpu) -> nanos.merge(group.apply(id, names.get(id)),
                cpu - earlier.cpuNanos.getOrDefault(id, 0L), Long::sum));
        return nanos.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                entry -> entry.getValue() / (double) wallNanos, (a, b) -> a, LinkedHashMap::new));
    }
}
