package dev.flinkpatterns.doccheck;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a page shares with every other process of the machine, read from its {@code ```bash} scripts (never from the
 * expected output): the fixed ports its commands listen on or connect to ({@code port 9997}), the standalone Flink
 * cluster ({@code flink cluster}), fixed paths under {@code /tmp} ({@code path /tmp/x}). Two pages that share one
 * never run at the same time. A page is {@code exclusive} (runs alone, in lane 1) when it kills processes by name or
 * names a port that every lane's processes may take: the default web UI port 8081 or the Prometheus range 9249-9259.
 */
record PageResources(Set<String> resources, boolean exclusive, long estimatedSeconds) {

    static final String FLINK_CLUSTER = "flink cluster";
    static final int DEFAULT_WEB_UI_PORT = 8081;
    static final int KAFKA_DEFAULT_PORT = 9092;
    static final int SOCKET_DEFAULT_PORT = 9999; // ./patterns socket and ./patterns generate socket
    static final int CLUSTER_RPC_PORT = 6123; // jobmanager.rpc.port of conf/config.yaml
    private static final int PROMETHEUS_FIRST_PORT = 9249;
    private static final int PROMETHEUS_LAST_PORT = 9259;

    /** What a page costs besides its fixed waits: a command, and each JVM it starts (a Flink MiniCluster). */
    private static final long SECONDS_PER_COMMAND = 1;
    private static final long SECONDS_PER_LAUNCH = 6;

    private static final Pattern HOST_PORT =
            Pattern.compile("(?<![\\w.-])(?:localhost|127\\.0\\.0\\.1|0\\.0\\.0\\.0|\\[::1]):(\\d{1,5})(?!\\d)");
    /** --port N, --web-ui-port N, --rpc-port=N, ... */
    private static final Pattern PORT_OPTION = Pattern.compile("--(?:[a-z]+-)*port[ =](\\d{1,5})(?!\\d)");
    private static final Pattern LISTENER = Pattern.compile(
            "\\bnc\\s+-[a-z]*l[a-z]*\\s+(?:-p\\s+)?(\\d{1,5})|http\\.server\\s+(\\d{1,5})|EmbeddedPostgresServer\\s+(\\d{1,5})");
    /** One ./patterns invocation (also ../../patterns) and its arguments up to the next shell separator. */
    private static final Pattern LAUNCH = Pattern.compile("(?<![\\w/.-])(?:\\.{1,2}/)+patterns\\b([^;&|\\n]*)");
    private static final Pattern TMP_PATH = Pattern.compile("(?<![\\w.-])/tmp/([\\w.-]+)");
    private static final Pattern KILL_BY_NAME = Pattern.compile("\\b(?:pkill|killall)\\b");
    private static final Pattern TIMEOUT = Pattern.compile("\\btimeout\\s+(?:(?:-s\\s+\\w+|-k\\s+\\w+|--[\\w-]+)\\s+)*(\\d+)\\b");
    private static final Pattern SLEEP = Pattern.compile("\\bsleep\\s+(\\d+)\\b");
    private static final Pattern FILES = Pattern.compile("--files[ =](\\d+)");
    private static final Pattern INTERVAL = Pattern.compile("--interval[ =](\\d+)s\\b");

    /** The fixed ports among the resources. */
    Set<Integer> ports() {
        Set<Integer> ports = new TreeSet<>();
        resources.stream().filter(r -> r.startsWith("port ")).forEach(r -> ports.add(Integer.parseInt(r.substring(5))));
        return ports;
    }

    static PageResources of(List<DocCommand> commands) {
        Set<String> resources = new TreeSet<>();
        boolean exclusive = false;
        long seconds = 0;
        for (DocCommand command : commands) {
            if (command.checks().skipReason() != null) {
                continue;
            }
            String script = command.script().replace("\\\n", " ");
            Set<Integer> ports = ports(script);
            for (int port : ports) {
                resources.add("port " + port);
                exclusive |= port == DEFAULT_WEB_UI_PORT || (port >= PROMETHEUS_FIRST_PORT && port <= PROMETHEUS_LAST_PORT);
            }
            if (launches(script).anyMatch(PageResources::usesCluster)) {
                resources.add(FLINK_CLUSTER);
            }
            Matcher tmp = TMP_PATH.matcher(script);
            while (tmp.find()) {
                resources.add("path /tmp/" + tmp.group(1));
            }
            exclusive |= KILL_BY_NAME.matcher(script).find();
            seconds += estimatedSeconds(command, script);
        }
        return new PageResources(Set.copyOf(resources), exclusive, seconds);
    }

    /** The fixed ports of one script: written out, or the default of a command that is given none. */
    static Set<Integer> ports(String script) {
        Set<Integer> ports = new TreeSet<>();
        for (Pattern pattern : List.of(HOST_PORT, PORT_OPTION, LISTENER)) {
            Matcher matcher = pattern.matcher(script);
            while (matcher.find()) {
                for (int group = 1; group <= matcher.groupCount(); group++) {
                    if (matcher.group(group) != null) {
                        ports.add(Integer.parseInt(matcher.group(group)));
                    }
                }
            }
        }
        launches(script).forEach(arguments -> defaultPort(arguments).ifPresent(ports::add));
        return ports;
    }

    private static Stream<List<String>> launches(String script) {
        Matcher matcher = LAUNCH.matcher(script);
        List<List<String>> launches = new ArrayList<>();
        while (matcher.find()) {
            launches.add(List.of(matcher.group(1).strip().split("\\s+")));
        }
        return launches.stream();
    }

    /** The port a ./patterns command uses when its command line names none. */
    private static OptionalInt defaultPort(List<String> arguments) {
        String command = arguments.get(0);
        String kind = arguments.size() > 1 ? arguments.get(1) : "";
        boolean givesPort = arguments.stream().anyMatch(a -> a.startsWith("--port"));
        if ((command.equals("socket") || (command.equals("generate") && kind.equals("socket"))) && !givesPort) {
            return OptionalInt.of(SOCKET_DEFAULT_PORT);
        }
        if (command.equals("kafka") && arguments.contains("start") && !givesPort) {
            return OptionalInt.of(KAFKA_DEFAULT_PORT);
        }
        boolean kafkaClient = command.equals("kafka-read") || command.equals("kafka-etl")
                || (command.equals("generate") && kind.equals("kafka")) || arguments.contains("--subscribe")
                || String.join(" ", arguments).contains("--sink kafka");
        boolean givesBroker = arguments.stream().anyMatch(a -> a.startsWith("--bootstrap-servers") || a.equals("--kafka") || a.startsWith("--kafka="));
        if (kafkaClient && !givesBroker) {
            return OptionalInt.of(KAFKA_DEFAULT_PORT);
        }
        if (usesCluster(arguments) && arguments.stream().noneMatch(a -> a.startsWith("--rpc-port"))) {
            return OptionalInt.of(CLUSTER_RPC_PORT);
        }
        return OptionalInt.empty();
    }

    private static boolean usesCluster(List<String> arguments) {
        return arguments.get(0).equals("cluster") || arguments.get(0).equals("submit");
    }

    /**
     * A guess of a command's wall time, to start the longest pages first: its fixed waits (stop-after, timeout N,
     * sleep N, a generator's --files times --interval) and a cost per command and per JVM it starts.
     */
    private static long estimatedSeconds(DocCommand command, String script) {
        long seconds = SECONDS_PER_COMMAND + SECONDS_PER_LAUNCH * launches(script).count();
        if (command.checks().stopAfter() != null) {
            seconds += command.checks().stopAfter().toSeconds();
        }
        // A line ending with & goes on at once: its timeout is no wait.
        for (String line : script.lines().filter(l -> !l.strip().endsWith("&")).toList()) {
            for (Pattern wait : List.of(TIMEOUT, SLEEP)) {
                Matcher matcher = wait.matcher(line);
                while (matcher.find()) {
                    seconds += Long.parseLong(matcher.group(1));
                }
            }
        }
        for (List<String> launch : launches(script).toList()) {
            String arguments = String.join(" ", launch);
            Matcher files = FILES.matcher(arguments);
            Matcher interval = INTERVAL.matcher(arguments);
            if (files.find() && interval.find()) {
                seconds += (Long.parseLong(files.group(1)) - 1) * Long.parseLong(interval.group(1));
            }
        }
        return seconds;
    }
}
