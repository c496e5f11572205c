package dev.flinkpatterns.generator;

import static dev.flinkpatterns.generator.GeneratorSettings.requireAtLeastOne;

import java.util.Random;

/** CSV rows with a timestamp first and a numeric {@code user_id} drawn from 1..users. */
abstract class UserCsvRows extends RowFormat {

    private final int users;
    private final int userIdColumn;

    /** {@code userIdColumn}: where {@code user_id} stands (one malformed kind makes it non-numeric). */
    UserCsvRows(String fileStem, String header, int users, int userIdColumn) {
        super(fileStem, "csv", header);
        requireAtLeastOne("--users", users);
        this.users = users;
        this.userIdColumn = userIdColumn;
    }

    final int randomUserId(Random random) {
        return 1 + random.nextInt(users);
    }

    @Override
    public final String corrupt(String goodRow, Random random) {
        return MalformedRows.corrupt(goodRow, userIdColumn, random);
    }
}
