package dev.flinkpatterns.cli;

import dev.flinkpatterns.generator.EventCsvRows;
import picocli.CommandLine.Option;

/** {@code --users}, for the generators whose rows carry a {@code user_id}. */
public final class UsersOption {

    @Option(names = "--users", paramLabel = "N", description = "user_id is drawn from 1..N. Default: ${DEFAULT-VALUE}.")
    int users = EventCsvRows.DEFAULT_USERS;
}
