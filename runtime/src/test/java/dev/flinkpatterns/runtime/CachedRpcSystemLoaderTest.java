package dev.flinkpatterns.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.RpcService;
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
    void flinkPicksThisLoaderAndItsRpcSystemOutlivesEachClustersClose() throws Exception {
        assertThat(ServiceLoader.load(RpcSystemLoader.class).stream().map(p -> p.type().getSimpleName()))
                .contains("CachedRpcSystemLoader", "PekkoRpcSystemLoader");
        RpcSystem first = RpcSystem.load(new Configuration());
        assertThat(first.getClass().getName()).startsWith(CachedRpcSystemLoader.class.getName());
        first.close();

        RpcSystem next = RpcSystem.load(new Configuration());
        RpcService service = next.localServiceBuilder(new Configuration()).createAndStart();
        try {
            assertThat(service.getScheduledExecutor().schedule(() -> "ran", 1, TimeUnit.MILLISECONDS).get(30, TimeUnit.SECONDS))
                    .isEqualTo("ran");
        } finally {
            service.closeAsync().get(30, TimeUnit.SECONDS);
        }
        assertThat(next).isSameAs(first);
    }
}
