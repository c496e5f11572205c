package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.PostgresConnection;
import dev.flinkpatterns.io.PostgresSinks;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.patterns.enrich.CatalogTable;
import dev.flinkpatterns.patterns.enrich.Enrichment;
import dev.flinkpatterns.run.CommandScope;
import dev.flinkpatterns.run.PatternOutputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "enrich", mixinStandardHelpOptions = true,
        description = {"Stream-static join: each order with its product's name, category and price (append mode).",
                "Spark's orders.join(spark.table(\"product_catalog\"), \"product_id\", \"left\"): an order whose product "
                        + "is not in the catalog keeps nulls. --api datastream broadcasts the catalog FILE to the join and "
                        + "re-reads it every --catalog-poll-interval: a changed file applies to the orders from then on. "
                        + "--api sql looks each product up in a PostgreSQL table (Flink SQL's lookup join) through a "
                        + "cache whose rows expire after --lookup-cache-ttl. Malformed lines go to the dead-letter "
                        + "directory."})
class EnrichCommand extends PatternCommand {

    static final String ORDERS_INPUT = "data/input/orders";
    static final String CATALOG_FILE = "data/input/catalog/product_catalog.csv";

    @Mixin
    FileInputOptions input = new FileInputOptions(ORDERS_INPUT, "orders files",
            "create it, or write order files into it with: ./patterns generate orders");

    @Option(names = "--api", paramLabel = "API", converter = Converters.ApiConverter.class,
            description = "datastream (the catalog file in broadcast state) or sql (a lookup join in PostgreSQL, "
                    + "with --postgres). Default: ${DEFAULT-VALUE}.")
    Api api = Api.DATASTREAM;

    @Option(names = "--catalog", paramLabel = "FILE",
            description = "The product catalog, CSV with the header product_id,product_name,category,price (or a file "
                    + "of your own: --catalog-format, --catalog-schema). "
                    + "--api datastream reads it while the job runs (default: " + CATALOG_FILE + "); --api sql "
                    + "first upserts it into --catalog-table (creating the table if missing), and without it uses the "
                    + "table as it is.")
    String catalog;

    @Option(names = "--catalog-poll-interval", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "How often --api datastream reads the catalog file for changes. Default: 1s.")
    Duration catalogPollInterval;

    @Option(names = "--catalog-table", paramLabel = "NAME",
            description = "The catalog's table in PostgreSQL for --api sql. Default: product_catalog.")
    String catalogTable;

    @Option(names = "--lookup-cache-ttl", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "How long --api sql keeps a looked-up product (or its absence) before asking PostgreSQL "
                    + "again: a change in the table shows within this time. Default: 10s.")
    Duration lookupCacheTtl;

    /** Spark's reader options for the user's own order (stream) files: --format, --schema, --header, ... */
    @Mixin
    ReaderOptionsMixin reader;

    @Option(names = "--key", paramLabel = "COLUMN",
            description = "The stream's join column, any column of its schema (with --schema). Default: product_id.")
    String key;

    @Option(names = "--catalog-format", paramLabel = "csv|json",
            description = "The catalog FILE is the user's own, in this format (CSV: the header line first unless "
                    + "--header false). Default: csv.")
    String catalogFormat;

    @Option(names = "--catalog-schema", paramLabel = "DDL",
            description = "The catalog's columns as Spark DDL. Default: product_id STRING, product_name STRING, "
                    + "category STRING, price DOUBLE.")
    String catalogSchema;

    @Option(names = "--catalog-key", paramLabel = "COLUMN",
            description = "The catalog's join column, of the stream key's type. Default: the stream key's name.")
    String catalogKey;

    /** The user's own files, how to read them and their join columns; null: the orders and catalog, as always. */
    private Enrichment.OwnData ownData;

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.NO_AGGREGATION;
    }

    /** --api sql does; validate() refuses the database options with --api datastream unless the sink is postgres. */
    @Override
    boolean readsPostgres() {
        return true;
    }

    @Override
    void validate() {
        input.validate(streaming.trigger);
        if (reader.given() || key != null || catalogFormat != null || catalogSchema != null || catalogKey != null) {
            ownData = ownData();
        }
        if (api == Api.DATASTREAM) {
            if (catalogTable != null || lookupCacheTtl != null) {
                throw new UsageException((catalogTable != null ? "--catalog-table" : "--lookup-cache-ttl")
                        + " goes with --api sql (the lookup join in PostgreSQL)");
            }
            if (ResultSink.parse(streaming.sink) != ResultSink.POSTGRES) {
                String given = streaming.postgres.isGiven() ? "--postgres"
                        : streaming.postgres.credentials != null ? "--postgres-credentials" : null;
                if (given != null) {
                    throw new UsageException(given + " goes with --api sql (the lookup join) or --sink postgres");
                }
            }
            catalog = existingFile(catalog == null ? CATALOG_FILE : catalog);
            catalogPollInterval = positive("--catalog-poll-interval",
                    catalogPollInterval == null ? Duration.ofSeconds(1) : catalogPollInterval);
            return;
        }
        if (catalogPollInterval != null) {
            throw new UsageException("--catalog-poll-interval goes with --api datastream; --api sql has --lookup-cache-ttl");
        }
        if (!streaming.postgres.isGiven()) {
            throw new UsageException("--api sql looks the products up in PostgreSQL: give --postgres embedded (with "
                    + "--catalog FILE to fill it) or --postgres jdbc:postgresql://HOST:PORT/DB");
        }
        streaming.postgres.validate(patternName(), streaming.table, CommandScope.environment(), streaming.delivery);
        if (catalog != null) {
            catalog = existingFile(catalog);
        } else if (streaming.postgres.isEmbedded()) {
            throw new UsageException("--postgres embedded starts an empty PostgreSQL: give --catalog FILE to fill its "
                    + "catalog table");
        }
        catalogTable = catalogTable == null ? Enrichment.CATALOG_TABLE : catalogTable.trim();
        if (!PostgresSinks.isValidTableName(catalogTable)) {
            throw new UsageException("--catalog-table " + catalogTable + " is not a table name such as product_catalog "
                    + "or public.products (lower-case letters, digits and _)");
        }
        lookupCacheTtl = positive("--lookup-cache-ttl", lookupCacheTtl == null ? Duration.ofSeconds(10) : lookupCacheTtl);
    }

    /** The user's files as --format/--schema/--key and --catalog-format/-schema/-key say, checked against each other. */
    private Enrichment.OwnData ownData() {
        ReaderOptions stream = reader.resolve(input.input, Format.CSV, Enrichment.ORDERS, CliContext.of(spec).err());
        String streamKey = joinColumn("--key", key, Enrichment.KEY, stream.rowSchema());
        if (api == Api.SQL) {
            String given = catalogFormat != null ? "--catalog-format" : catalogSchema != null ? "--catalog-schema"
                    : catalogKey != null ? "--catalog-key" : null;
            if (given != null) {
                throw new UsageException(given + " goes with --api datastream; --api sql looks the rows up in the "
                        + "catalog table by its product_id");
            }
            Enrichment.OwnData data = Enrichment.OwnData.ordersWith(stream, streamKey);
            sameType(data);
            return data;
        }
        if ("infer".equalsIgnoreCase(catalogSchema)) {
            throw new UsageException("--catalog-schema infer: give the catalog's columns as DDL (./patterns schema infer "
                    + "prints them for a directory)");
        }
        ReaderOptions catalogFile = ReaderOptionsMixin.side("--catalog-", catalogFormat, catalogSchema, reader.text)
                .resolve(null, Format.CSV, Enrichment.CATALOG, CliContext.of(spec).err());
        if (catalogFile.format() != Format.CSV && catalogFile.format() != Format.JSON) {
            throw new UsageException("--catalog-format " + catalogFile.format().cliName() + ": the catalog is csv or json");
        }
        Enrichment.OwnData data = new Enrichment.OwnData(stream, streamKey, catalogFile,
                joinColumn("--catalog-key", catalogKey, streamKey, catalogFile.rowSchema()));
        sameType(data);
        return data;
    }

    /**
     * The join column a flag names, else {@code byDefault} when the schema has it (the catalog's: the stream key's
     * name, as Spark's join(catalog, "column")); a one-line error naming the columns.
     */
    private static String joinColumn(String option, String given, String byDefault, RowSchema schema) {
        if (given != null) {
            return SchemaColumns.column(option, given.strip(), schema);
        }
        if (schema.indexOf(byDefault) < 0) {
            throw new UsageException("give " + option + " COLUMN, one of: " + SchemaDdl.print(schema));
        }
        return byDefault;
    }

    private static void sameType(Enrichment.OwnData data) {
        String streamType = ddlType(data.stream().rowSchema(), data.streamKey());
        String catalogType = ddlType(data.catalog().rowSchema(), data.catalogKey());
        if (!streamType.equals(catalogType)) {
            throw new UsageException("--key " + data.streamKey() + " is " + streamType + " but the catalog's "
                    + data.catalogKey() + " is " + catalogType + "; the join columns need one type");
        }
    }

    private static String ddlType(RowSchema schema, String column) {
        return schema.column(schema.indexOf(column)).ddlType();
    }

    private static String existingFile(String file) {
        String resolved = Locations.resolve(file);
        if (!Locations.isUri(file) && !Files.isRegularFile(Path.of(resolved))) {
            throw new UsageException("--catalog " + file + ": no such file (write one with: ./patterns generate catalog)");
        }
        return resolved;
    }

    private static Duration positive(String option, Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            throw new UsageException(option + " must be positive, got " + duration);
        }
        return duration;
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        if (api == Api.DATASTREAM) {
            return ownData != null
                    ? Enrichment.withFileTable(input.rowInput(env, trigger, ownData.stream()), ownData, catalog,
                            catalogPollInterval, mode, trigger)
                    : Enrichment.withFileTable(input.lines(env, trigger), catalog, catalogPollInterval, mode, trigger);
        }
        CliContext context = CliContext.of(spec);
        PostgresConnection database = streaming.postgres.connect(context.runtime(), context.out());
        try {
            if (catalog != null) {
                CatalogTable.Loaded loaded = CatalogTable.load(database, catalogTable, catalog);
                context.out().println("Catalog: " + loaded.rows() + " product(s) of " + DisplayPath.of(catalog) + " upserted into table "
                        + catalogTable + refused(loaded));
            } else if (!CatalogTable.exists(database, catalogTable)) {
                throw new UsageException("table " + catalogTable + " does not exist in " + database.jdbcUrl()
                        + ": give --catalog FILE to create and fill it, or --catalog-table NAME");
            }
        } catch (IOException e) {
            throw new UsageException("--catalog " + e.getMessage());
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("cannot load the catalog into table " + catalogTable + " at "
                    + database.jdbcUrl() + ": " + e.getMessage(), e));
        }
        var lookup = new Enrichment.CatalogLookup(database, catalogTable, lookupCacheTtl);
        return ownData != null
                ? Enrichment.withLookupJoin(input.rowInput(env, trigger, ownData.stream()), ownData, lookup, mode, trigger)
                : Enrichment.withLookupJoin(input.lines(env, trigger), lookup, mode, trigger);
    }

    private static String refused(CatalogTable.Loaded loaded) {
        var rejected = loaded.content().rejected();
        if (rejected.isEmpty()) {
            return "";
        }
        return "; " + rejected.size() + " line(s) refused: " + rejected.stream().limit(3)
                .map(dead -> "line " + dead.line() + ": " + dead.reason()).collect(Collectors.joining("; "))
                + (rejected.size() > 3 ? "; ..." : "");
    }
}
