package dev.flinkpatterns.generator;

import static dev.flinkpatterns.generator.GeneratorSettings.requireAtLeastOne;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * {@code user_dim.csv}, the dimension the medallion pipeline's silver layer joins on {@code user_id}: users 1..N,
 * each user's segment, country and signup date fixed by the id, so a run needs no seed.
 */
public final class UserDimension {

    public static final String HEADER = "user_id,user_segment,country,signup_date";
    /** Two fewer than the clickstream's default users: users 9 and 10 have no dimension row. */
    public static final int DEFAULT_USERS = 8;
    public static final List<String> SEGMENTS = List.of("new", "regular", "vip");
    public static final List<String> COUNTRIES = List.of("US", "DE", "FR", "GB", "IN", "BR", "JP");
    private static final LocalDate FIRST_SIGNUP = LocalDate.of(2024, 1, 1);
    private static final int SIGNUP_DAYS = 730;

    private UserDimension() {}

    public static String segment(int userId) {
        return SEGMENTS.get((userId - 1) % SEGMENTS.size());
    }

    public static String country(int userId) {
        return COUNTRIES.get((userId - 1) % COUNTRIES.size());
    }

    /** 2024-01-01 to 2025-12-30, spread by the id. */
    public static LocalDate signupDate(int userId) {
        return FIRST_SIGNUP.plusDays((userId * 47L) % SIGNUP_DAYS);
    }

    /** The whole file: header and one row per user. */
    public static String csv(int users) {
        requireAtLeastOne("--users", users);
        StringBuilder content = new StringBuilder(HEADER).append('\n');
        for (int user = 1; user <= users; user++) {
            content.append(String.join(",", String.valueOf(user), segment(user), country(user),
                    signupDate(user).toString())).append('\n');
        }
        return content.toString();
    }

    /** Writes (or atomically replaces) {@code file}. */
    public static void write(Path file, int users) throws IOException {
        String content = csv(users);
        ProductCatalog.createParent(file);
        BatchFileGenerator.writeAtomically(file, content);
    }
}
