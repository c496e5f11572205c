package dev.flinkpatterns.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkpatterns.io.RowSchema.Column;
import dev.flinkpatterns.io.RowSchema.Type;
import org.apache.flink.api.common.typeinfo.Types;
import org.junit.jupiter.api.Test;

class SchemaDdlTest {

    @Test
    void everyTypeAndAliasParses() {
        RowSchema schema = SchemaDdl.parse("s STRING, v VARCHAR(10), c char(1), i INT, i2 integer, sm SMALLINT, "
                + "sh short, t TINYINT, b byte, l BIGINT, l2 Long, d DOUBLE, f FLOAT, r REAL, m DECIMAL(10,2), "
                + "m2 DECIMAL, m3 numeric(5), m4 DEC(38, 38), ok BOOLEAN, day DATE, at TIMESTAMP, ntz TIMESTAMP_NTZ");
        assertThat(schema).isEqualTo(RowSchema.of(
                Column.nullable("s", Type.STRING), Column.nullable("v", Type.STRING), Column.nullable("c", Type.STRING),
                Column.nullable("i", Type.INT), Column.nullable("i2", Type.INT), Column.nullable("sm", Type.INT),
                Column.nullable("sh", Type.INT), Column.nullable("t", Type.INT), Column.nullable("b", Type.INT),
                Column.nullable("l", Type.LONG), Column.nullable("l2", Type.LONG), Column.nullable("d", Type.DOUBLE),
                Column.nullable("f", Type.DOUBLE), Column.nullable("r", Type.DOUBLE), Column.decimal("m", 10, 2, true),
                Column.decimal("m2", 10, 0, true), Column.decimal("m3", 5, 0, true), Column.decimal("m4", 38, 38, true),
                Column.nullable("ok", Type.BOOLEAN), Column.nullable("day", Type.DATE),
                Column.nullable("at", Type.TIMESTAMP), Column.nullable("ntz", Type.TIMESTAMP)));
    }

    @Test
    void notNullBackquotesColonsCommentsAndNesting() {
        RowSchema schema = SchemaDdl.parse(" `my col` : int NOT NULL COMMENT 'the ''id''', `a``b` string comment \"x\","
                + "user STRUCT<id: BIGINT NOT NULL, tags: ARRAY<STRING>, geo STRUCT<lat DOUBLE, lon DOUBLE>>, "
                + "items array<struct<sku: string, price: decimal(8,2)>>");
        assertThat(schema).isEqualTo(RowSchema.of(
                Column.required("my col", Type.INT),
                Column.nullable("a`b", Type.STRING),
                Column.struct("user", RowSchema.of(
                        Column.required("id", Type.LONG),
                        Column.array("tags", Column.nullable("element", Type.STRING), true),
                        Column.struct("geo", RowSchema.of(Column.nullable("lat", Type.DOUBLE), Column.nullable("lon", Type.DOUBLE)), true)), true),
                Column.array("items", Column.struct("element", RowSchema.of(Column.nullable("sku", Type.STRING),
                        Column.decimal("price", 8, 2, true)), true), true)));
    }

    @Test
    void thePrinterWritesSparkDdlThatParsesBack() {
        String ddl = "pickup_at TIMESTAMP, zone STRING NOT NULL, fare DECIMAL(10,2), passengers INT, n BIGINT, "
                + "d DOUBLE, ok BOOLEAN, day DATE, `my col` STRUCT<id: BIGINT NOT NULL, `x y`: ARRAY<STRING>>, "
                + "a ARRAY<STRUCT<sku: STRING>>";
        RowSchema schema = SchemaDdl.parse(ddl);
        assertThat(SchemaDdl.print(schema)).isEqualTo(ddl);
        assertThat(SchemaDdl.parse(SchemaDdl.print(schema))).isEqualTo(schema);
    }

    @Test
    void nestedTypesHaveFlinkTypes() {
        RowSchema schema = SchemaDdl.parse("m DECIMAL(10,2), d DATE, s STRUCT<a: INT>, a ARRAY<STRING>");
        assertThat(schema.rowType()).isEqualTo(Types.ROW_NAMED(new String[] {"m", "d", "s", "a"}, Types.BIG_DEC,
                Types.LOCAL_DATE, Types.ROW_NAMED(new String[] {"a"}, Types.INT), Types.LIST(Types.STRING)));
    }

    @Test
    void errorsAreOneLineWithTheColumnAndWhatWasExpected() {
        assertError("pickup_at TIMESTAMP, zone STRIN", "unknown type 'STRIN' at column 27; types: " + SchemaDdl.TYPES);
        assertError("a MAP<STRING, INT>", "unsupported type 'MAP' at column 3; types: " + SchemaDdl.TYPES);
        assertError("a INT b STRING", "unexpected 'b' at column 7; expected ',' and the next column");
        assertError("a INT,", "the schema ends early; expected a column name");
        assertError("a", "the schema ends early; expected a type (" + SchemaDdl.TYPES + ")");
        assertError("a DECIMAL(10,2", "the schema ends early; expected ')' to close DECIMAL(");
        assertError("a DECIMAL(10 x", "unexpected 'x' at column 14; expected ',' or ')' in DECIMAL(...)");
        assertError("a DECIMAL(40,2)", "unexpected 'DECIMAL(40,2)' at column 10; expected 1 <= precision <= 38 and scale <= precision");
        assertError("a DECIMAL(x)", "unexpected 'x' at column 11; expected a number in DECIMAL(...)");
        assertError("a ARRAY<INT", "the schema ends early; expected '>' to close ARRAY<");
        assertError("a STRUCT<b INT c INT>", "unexpected 'c' at column 16; expected ',' or '>' to close STRUCT<");
        assertError("a STRUCT<>", "unexpected an empty STRUCT<> at column 3; expected at least one field");
        assertError("a INT NOT x", "unexpected 'x' at column 11; expected NULL after NOT");
        assertError("`a INT", "unexpected an unclosed backquoted name at column 1; expected a closing `");
        assertError("a INT, A STRING", "duplicate column 'A' at column 8 (names are case-insensitive, as in Spark)");
        assertError("", "the schema is empty; expected columns like 'id INT, name STRING'");
        assertError("a INT COMMENT 'x", "unexpected an unclosed comment at column 15; expected a closing '");
    }

    private static void assertError(String ddl, String message) {
        assertThatThrownBy(() -> SchemaDdl.parse(ddl)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
