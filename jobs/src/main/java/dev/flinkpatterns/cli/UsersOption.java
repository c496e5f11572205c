package dev.flinkpatterns.cli;

import dev.flinkpatterns.generator.EventCsvRows;
import picocli.CommandLine.Option;

/** {@code --users}, for the generators whose rows carry a {@code user_id}. */
public final class UsersOption {

    @Option(names = "--users", paramLabel = "N", description = "user_id is drawn from 1..N. Default: ${DEFAULT-VALUE}.")
    int users;

    public UsersOption() {
        this(EventCsvRows.DEFAULT_USERS);
    }

    /** For a generator with another default; picocli shows it as the default. */
    UsersOption(int defaultUsers) {
        this.users = defaultUsers;
    }
}
