package dev.flinkpatterns.generator;

import static dev.flinkpatterns.generator.GeneratorSettings.requireAtLeastOne;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code product_catalog.csv}, the static side of the enrichment join: products p-001..p-N, each product's name,
 * category and price fixed by its number, so orders can be priced from it and a run needs no seed. Revision R
 * stands for a catalog changed R − 1 times: every price × (1 + 0.1 × (R − 1)), rounded half up to cents, and
 * names ending in {@code " vR"}.
 */
public final class ProductCatalog {

    public static final String HEADER = "product_id,product_name,category,price";
    public static final int DEFAULT_PRODUCTS = 20;
    public static final List<String> CATEGORIES = TransactionCsvRows.CATEGORIES;
    /** Four names per category, in the order of {@link #CATEGORIES}. */
    private static final List<List<String>> NAMES = List.of(
            List.of("Headphones", "Charger", "Keyboard", "Monitor"),
            List.of("Novel", "Cookbook", "Atlas", "Comic"),
            List.of("T-Shirt", "Jacket", "Scarf", "Socks"),
            List.of("Lamp", "Mug", "Pillow", "Vase"),
            List.of("Puzzle", "Kite", "Robot", "Yo-Yo"));
    private static final int MIN_PRICE_CENTS = 500;
    private static final int PRICE_RANGE_CENTS = 19_500;

    private ProductCatalog() {}

    /** {@code p-001} for 1. */
    public static String productId(int product) {
        return String.format(Locale.ROOT, "p-%03d", product);
    }

    public static String category(int product) {
        return CATEGORIES.get((product - 1) % CATEGORIES.size());
    }

    /** Names repeat after 20 products with a number: {@code Headphones}, ..., {@code Headphones 2}. */
    public static String name(int product, int revision) {
        int round = (product - 1) / CATEGORIES.size();
        List<String> names = NAMES.get((product - 1) % CATEGORIES.size());
        String name = names.get(round % names.size());
        if (round >= names.size()) {
            name += " " + (round / names.size() + 1);
        }
        return revision > 1 ? name + " v" + revision : name;
    }

    /** 5.00 to 199.99 at revision 1, spread by the product's number. */
    public static BigDecimal price(int product, int revision) {
        BigDecimal base = BigDecimal.valueOf(MIN_PRICE_CENTS + (product * 2711L) % PRICE_RANGE_CENTS, 2);
        BigDecimal factor = BigDecimal.ONE.add(BigDecimal.valueOf(revision - 1, 1));
        return base.multiply(factor).setScale(2, RoundingMode.HALF_UP);
    }

    /** The whole file: header and one row per product. */
    public static String csv(int products, int revision) {
        requireAtLeastOne("--products", products);
        requireAtLeastOne("--revision", revision);
        StringBuilder content = new StringBuilder(HEADER).append('\n');
        for (int product = 1; product <= products; product++) {
            content.append(String.join(",", productId(product), name(product, revision), category(product),
                    price(product, revision).toPlainString())).append('\n');
        }
        return content.toString();
    }

    /** Writes (or atomically replaces) {@code file}; a reader sees the old catalog or the new one, never half. */
    public static void write(Path file, int products, int revision) throws IOException {
        String content = csv(products, revision);
        createParent(file);
        BatchFileGenerator.writeAtomically(file, content);
    }

    static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
