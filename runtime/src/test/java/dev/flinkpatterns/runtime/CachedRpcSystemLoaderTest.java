package dev.flinkpatterns.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcSystemLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachedRpcSystemLoaderTest {

    @TempDir Path cache;

    @Test
    void theRpcJarIsExtractedOnceAndThenReused() throws Exception {
        URL bundled = RpcSystem.class.getClassLoader().getResource("flink-rpc-akka.jar");
        Path first = CachedRpcSystemLoader.cachedCopy(bundled, cache);
        FileTime writtenAt = Files.getLastModifiedTime(first);
        Path second = CachedRpcSystemLoader.cachedCopy(bundled, cache);

        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(second)).isEqualTo(writtenAt);
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).containsExactly(first); // no partial file left behind
        }
        try (var in = bundled.openStream()) {
            assertThat(Files.readAllBytes(first)).isEqualTo(in.readAllBytes());
        }
    }

    @Test
    void flinkPicksThisLoaderAndItsRpcSystemWorks() throws Exception {
        assertThat(ServiceLoader.load(RpcSystemLoader.class).stream().map(p -> p.type().getSimpleName()))
                .contains("CachedRpcSystemLoader", "PekkoRpcSystemLoader");
        System.setProperty(CachedRpcSystemLoader.CACHE_DIR_PROPERTY, cache.toString());
        try (RpcSystem rpc = RpcSystem.load(new Configuration())) {
            assertThat(rpc.getClass().getName()).startsWith(CachedRpcSystemLoader.class.getName());
            assertThat(rpc.getMaximumMessageSizeInBytes(new Configuration())).isPositive();
            try (Stream<Path> files = Files.list(cache)) {
                assertThat(files.map(p -> p.getFileName().toString())).singleElement().asString()
                        .startsWith("flink-rpc-").endsWith(".jar");
            }
        } finally {
            System.clearProperty(CachedRpcSystemLoader.CACHE_DIR_PROPERTY);
        }
    }
}
