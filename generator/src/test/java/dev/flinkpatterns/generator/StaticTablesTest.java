package dev.flinkpatterns.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The product catalog and the user dimension: exact files, revision arithmetic, atomic replacement. */
class StaticTablesTest {

    @TempDir
    Path tmp;

    @Test
    void catalogIsExact() {
        assertThat(ProductCatalog.csv(6, 1)).isEqualTo("""
                product_id,product_name,category,price
                p-001,Headphones,electronics,32.11
                p-002,Novel,books,59.22
                p-003,T-Shirt,clothing,86.33
                p-004,Lamp,home,113.44
                p-005,Puzzle,toys,140.55
                p-006,Charger,electronics,167.66
                """);
    }

    @Test
    void revisionRaisesEveryPriceTenPercentPerRevisionRoundedToCents() {
        // 32.11 × 1.1 = 35.321, × 1.2 = 38.532, × 1.3 = 41.743; 59.22 × 1.3 = 76.986 rounds up
        assertThat(ProductCatalog.price(1, 2)).isEqualTo(new BigDecimal("35.32"));
        assertThat(ProductCatalog.price(1, 3)).isEqualTo(new BigDecimal("38.53"));
        assertThat(ProductCatalog.price(1, 4)).isEqualTo(new BigDecimal("41.74"));
        assertThat(ProductCatalog.price(2, 4)).isEqualTo(new BigDecimal("76.99"));
        assertThat(ProductCatalog.csv(2, 3)).isEqualTo("""
                product_id,product_name,category,price
                p-001,Headphones v3,electronics,38.53
                p-002,Novel v3,books,71.06
                """);
    }

    @Test
    void defaultCatalogHasTwentyDistinctProductsInEveryCategory() {
        List<String> lines = ProductCatalog.csv(ProductCatalog.DEFAULT_PRODUCTS, 1).lines().skip(1).toList();

        assertThat(lines).hasSize(20);
        assertThat(lines.stream().map(line -> line.split(",")[1]).distinct()).hasSize(20);
        assertThat(lines.stream().map(line -> line.split(",")[2]).distinct())
                .containsExactlyInAnyOrderElementsOf(ProductCatalog.CATEGORIES);
        assertThat(lines).allMatch(line -> line.matches("p-0\\d\\d,[A-Za-z-]+,[a-z]+,\\d{1,3}\\.\\d{2}"));
        assertThat(ProductCatalog.name(21, 1)).isEqualTo("Headphones 2");
    }

    @Test
    void writeReplacesTheFileAndLeavesNoTemporaryFile() throws Exception {
        Path file = tmp.resolve("catalog/product_catalog.csv");
        ProductCatalog.write(file, 3, 1);
        ProductCatalog.write(file, 3, 2);

        assertThat(Files.readString(file)).isEqualTo(ProductCatalog.csv(3, 2)).contains("Headphones v2");
        assertThat(FixedRuns.namesIn(file.getParent())).containsExactly("product_catalog.csv");
    }

    @Test
    void userDimensionIsExact() throws Exception {
        Path file = tmp.resolve("user_dim/user_dim.csv");
        UserDimension.write(file, 4);
        UserDimension.write(file, UserDimension.DEFAULT_USERS);

        assertThat(Files.readString(file)).isEqualTo("""
                user_id,user_segment,country,signup_date
                1,new,US,2024-02-17
                2,regular,DE,2024-04-04
                3,vip,FR,2024-05-21
                4,new,GB,2024-07-07
                5,regular,IN,2024-08-23
                6,vip,BR,2024-10-09
                7,new,JP,2024-11-25
                8,regular,US,2025-01-11
                """);
        assertThat(FixedRuns.namesIn(file.getParent())).containsExactly("user_dim.csv");
    }

    @Test
    void invalidSizesNameTheOption() {
        assertThatThrownBy(() -> ProductCatalog.csv(0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--products must be at least 1, got 0");
        assertThatThrownBy(() -> ProductCatalog.csv(5, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--revision must be at least 1, got 0");
        assertThatThrownBy(() -> UserDimension.csv(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--users must be at least 1, got 0");
    }
}
