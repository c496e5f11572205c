package dev.flinkpatterns.io;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one rule that turns a result's column names into names every file and table format takes (Avro/Parquet
 * allow only {@code [A-Za-z_][A-Za-z0-9_]*}): a run of other characters inside the name becomes one {@code _}, a
 * run at its start or end is dropped, a name that then starts with a digit (or is empty) gets a leading {@code _},
 * and a name already taken by an earlier column gets {@code _2}, {@code _3}, ... Legal names stay as they are, case
 * included: {@code count(DISTINCT user_id)} is {@code count_DISTINCT_user_id}, {@code avg(amount)} is
 * {@code avg_amount}, {@code window.start} is {@code window_start}. See docs/files.md.
 */
public final class ColumnNames {

    private ColumnNames() {}

    /** The legal name of one column (before de-duplication). */
    public static String legal(String name) {
        String legal = name.replaceAll("^[^A-Za-z0-9_]+|[^A-Za-z0-9_]+$", "").replaceAll("[^A-Za-z0-9_]+", "_");
        return legal.isEmpty() || Character.isDigit(legal.charAt(0)) ? "_" + legal : legal;
    }

    /** The legal names of these columns, in order, all different. */
    public static List<String> legal(List<String> names) {
        List<String> legal = new ArrayList<>(names.size());
        Set<String> taken = new HashSet<>();
        for (String name : names) {
            String base = legal(name);
            String unique = base;
            for (int n = 2; !taken.add(unique); n++) {
                unique = base + "_" + n;
            }
            legal.add(unique);
        }
        return legal;
    }

    /** The schema with legal column names, types (with their arguments: DECIMAL(p,s), ...) and nullability kept. */
    public static RowSchema legal(RowSchema schema) {
        List<String> names = legal(schema.names());
        List<RowSchema.Column> columns = new ArrayList<>(schema.size());
        for (int i = 0; i < schema.size(); i++) {
            RowSchema.Column column = schema.column(i);
            columns.add(column.withName(names.get(i)));
        }
        return new RowSchema(columns);
    }
}
