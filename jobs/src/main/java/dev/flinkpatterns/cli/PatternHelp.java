package dev.flinkpatterns.cli;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Fits a pattern's options to the pattern: the options that do not apply to it are taken out of its command (so
 * picocli refuses them as unknown), and its help lists the others in sections: Input, Event time, Query, one
 * section per sink, Run. Parsing is untouched: every option keeps its declaration, default and converter.
 */
final class PatternHelp {

    static final String INPUT = "Input";
    static final String EVENT_TIME = "Event time";
    static final String QUERY = "Query";
    static final String SINK = "Sink";
    static final String SINK_CONSOLE = "Sink: console";
    static final String SINK_KAFKA = "Sink: kafka";
    static final String SINK_POSTGRES = "Sink: postgres";
    static final String SINK_PAIMON = "Sink: paimon";
    static final String SINK_FOREACH_BATCH = "Sink: foreach-batch";
    static final String SINK_MEMORY = "Sink: memory";
    static final String SINK_FILES = "Sink: files";
    static final String RUN = "Run";

    /** The order of the sections in the help. */
    static final List<String> SECTIONS = List.of(INPUT, EVENT_TIME, QUERY, SINK, SINK_CONSOLE, SINK_KAFKA,
            SINK_POSTGRES, SINK_PAIMON, SINK_FOREACH_BATCH, SINK_MEMORY, SINK_FILES, RUN);

    /**
     * The section of every option of a shared options class (a mixin); KafkaConnectionOptions and PostgresOptions are
     * decided per pattern. A mixin that is not here is refused when the command line is built.
     */
    private static final Map<Class<?>, String> MIXIN_SECTIONS = Map.ofEntries(
            Map.entry(FileInputOptions.class, INPUT),
            Map.entry(KafkaSourceOptions.class, INPUT),
            Map.entry(GeneratorOptions.class, INPUT),
            Map.entry(UsersOption.class, INPUT),
            Map.entry(ReaderOptionsMixin.class, INPUT),
            Map.entry(ReaderFormatOptions.class, INPUT),
            Map.entry(PaimonSourceOptions.class, INPUT),
            Map.entry(EventTimeOptions.class, EVENT_TIME),
            Map.entry(WatermarkPolicyOptions.class, EVENT_TIME),
            Map.entry(ConsoleOptions.class, SINK_CONSOLE),
            Map.entry(KafkaSinkOptions.class, SINK_KAFKA),
            Map.entry(PostgresOptions.class, SINK_POSTGRES));

    /** StreamingOptions' options that belong to a sink; the others are Run's. */
    private static final Map<String, String> STREAMING_SINK_OPTIONS = Map.of(
            "--sink", SINK,
            "--delivery", SINK,
            "--table", SINK,
            "--warehouse", SINK_PAIMON,
            "--alert-when", SINK_FOREACH_BATCH,
            "--query-name", SINK_MEMORY,
            "--memory-query", SINK_MEMORY,
            "--partition-by", SINK_FILES);

    /** A pattern's own options that say what it reads, and its own watermark options; its other own options are Query's. */
    private static final Set<String> OWN_INPUT_OPTIONS = Set.of("--source", "--rows-per-second", "--host", "--port",
            "--dataset", "--left-input", "--right-input", "--max-files-per-trigger", "--catalog", "--catalog-poll-interval",
            "--catalog-table", "--lookup-cache-ttl", "--user-dim", "--left-format", "--left-schema", "--right-format",
            "--right-schema", "--catalog-format", "--catalog-schema");
    private static final Set<String> OWN_EVENT_TIME_OPTIONS = Set.of("--watermark", "--event-time", "--left-watermark",
            "--right-watermark", "--idle-timeout", "--watermark-every-event", "--late-output", "--left-event-time",
            "--right-event-time");

    /** The options with which a pattern reads PostgreSQL itself ({@link PatternCommand#readsPostgres}). */
    private static final Set<String> POSTGRES_CONNECTION_OPTIONS = Set.of("--postgres", "--postgres-credentials");

    private PatternHelp() {}

    /** Takes the options that do not apply out of {@code command}'s spec and sets its sectioned help. */
    static void fit(CommandLine command, PatternCommand pattern) {
        CommandSpec spec = command.getCommandSpec();
        boolean readsKafka = spec.findOption("--starting-offsets") != null;
        for (OptionSpec option : new ArrayList<>(spec.options())) {
            String section = section(option, pattern, readsKafka);
            if (section.startsWith(SINK) && pattern.writesOwnOutputs()
                    || pattern.inapplicableOptions().contains(option.longestName())) {
                spec.remove(option);
            }
        }
        spec.usageMessage().abbreviateSynopsis(true);
        command.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST,
                help -> optionList(help, pattern));
    }

    /** The sections of a pattern's options, in help order, each in declaration order (help options last). */
    static Map<String, List<OptionSpec>> sections(CommandSpec spec, PatternCommand pattern) {
        boolean readsKafka = spec.findOption("--starting-offsets") != null;
        Map<String, List<OptionSpec>> sections = new LinkedHashMap<>();
        SECTIONS.forEach(name -> sections.put(name, new ArrayList<>()));
        List<OptionSpec> helpOptions = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp()) {
                helpOptions.add(option);
            } else {
                sections.get(section(option, pattern, readsKafka)).add(option);
            }
        }
        sections.get(RUN).addAll(helpOptions);
        sections.values().removeIf(List::isEmpty);
        return sections;
    }

    private static String optionList(Help help, PatternCommand pattern) {
        StringBuilder text = new StringBuilder();
        sections(help.commandSpec(), pattern).forEach((heading, options) -> {
            Help.Layout layout = help.createDefaultLayout();
            layout.addOptions(options, help.parameterLabelRenderer());
            text.append(System.lineSeparator()).append(heading).append(System.lineSeparator()).append(layout);
        });
        return text.toString();
    }

    private static String section(OptionSpec option, PatternCommand pattern, boolean readsKafka) {
        String name = option.longestName();
        if (option.usageHelp() || option.versionHelp()) {
            return RUN;
        }
        Class<?> declaring = ((Field) option.userObject()).getDeclaringClass();
        if (declaring == KafkaConnectionOptions.class) {
            return readsKafka ? INPUT : SINK_KAFKA;
        }
        if (declaring == PostgresOptions.class && pattern.readsPostgres() && POSTGRES_CONNECTION_OPTIONS.contains(name)) {
            return INPUT;
        }
        if (MIXIN_SECTIONS.containsKey(declaring)) {
            return MIXIN_SECTIONS.get(declaring);
        }
        if (declaring == StreamingOptions.class) {
            return STREAMING_SINK_OPTIONS.getOrDefault(name, RUN);
        }
        if (!PatternCommand.class.isAssignableFrom(declaring)) {
            // A new shared options class fails every command line (and so every CLI test) until it has a section.
            throw new IllegalStateException(declaring.getSimpleName() + " has no help section: add it to PatternHelp.MIXIN_SECTIONS");
        }
        if (OWN_INPUT_OPTIONS.contains(name)) {
            return INPUT;
        }
        return OWN_EVENT_TIME_OPTIONS.contains(name) ? EVENT_TIME : QUERY;
    }
}
