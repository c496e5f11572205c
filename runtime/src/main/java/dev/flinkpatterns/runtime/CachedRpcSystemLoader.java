package dev.flinkpatterns.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLConnection;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ServiceLoader;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.classloading.SubmoduleClassLoader;
import org.apache.flink.runtime.rpc.AddressResolution;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcSystemLoader;

/**
 * Flink's RPC system (Pekko, in its own class loader) from a jar extracted once into a cache directory, instead of
 * Flink's loader, which copies the 21 MB jar to a new temporary file at every start. A stable path also lets the
 * class-data archive of {@code ./patterns} keep the RPC system's classes. The cache is
 * {@code -Dpatterns.cache.dir} ({@code runtime/target/cache} under {@code ./patterns}).
 *
 * <p>The RPC system is loaded once per JVM and shared by every MiniCluster it starts: the resident runtime starts one
 * per command, and loading Pekko's classes into a new class loader took 0.4 s of each command's start.
 */
public final class CachedRpcSystemLoader implements RpcSystemLoader {

    static final String CACHE_DIR_PROPERTY = "patterns.cache.dir";
    private static final String RPC_JAR = "flink-rpc-akka.jar";

    @Override
    public int getLoadPriority() {
        // Lower is preferred: Flink's own loader has 0.
        return -1;
    }

    /** Loaded at the first cluster's start; lives as long as the JVM. */
    private static RpcSystem shared;

    @Override
    public RpcSystem loadRpcSystem(Configuration config) {
        return shared();
    }

    private static synchronized RpcSystem shared() {
        if (shared == null) {
            shared = new Shared(load());
        }
        return shared;
    }

    private static RpcSystem load() {
        ClassLoader flinkClassLoader = RpcSystem.class.getClassLoader();
        URL bundled = flinkClassLoader.getResource(RPC_JAR);
        if (bundled == null) {
            throw new IllegalStateException("no " + RPC_JAR + " on the class path (flink-rpc-akka-loader is missing)");
        }
        try {
            Path jar = cachedCopy(bundled, cacheDirectory());
            SubmoduleClassLoader loader = new SubmoduleClassLoader(new URL[] {jar.toUri().toURL()}, flinkClassLoader);
            return ServiceLoader.load(RpcSystem.class, loader).iterator().next();
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare Flink's RPC system", e);
        }
    }

    private static Path cacheDirectory() {
        String configured = System.getProperty(CACHE_DIR_PROPERTY);
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "flink-streaming-patterns-cache-" + System.getProperty("user.name"));
    }

    /** The bundled jar's copy, named after the jar that bundles it (its path and time), written once. */
    static Path cachedCopy(URL bundled, Path cacheDir) throws IOException {
        URLConnection connection = bundled.openConnection();
        long bundledAt = connection.getLastModified();
        String key = Integer.toHexString(bundled.toString().hashCode()) + "-" + Long.toHexString(bundledAt);
        Path copy = cacheDir.resolve("flink-rpc-" + key + ".jar");
        if (Files.isRegularFile(copy)) {
            return copy;
        }
        Files.createDirectories(cacheDir);
        // Concurrent starts each write their own temporary file; the atomic move makes one of them the copy.
        Path partial = Files.createTempFile(cacheDir, "flink-rpc-", ".partial");
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return copy;
    }

    /**
     * The shared RPC system: a cluster's shutdown closes it, which must not unload it for the others (each cluster's
     * RPC services are stopped by the cluster itself).
     */
    private static final class Shared implements RpcSystem {
        private final RpcSystem delegate;

        Shared(RpcSystem delegate) {
            this.delegate = delegate;
        }

        @Override
        public RpcServiceBuilder localServiceBuilder(Configuration configuration) {
            return delegate.localServiceBuilder(configuration);
        }

        @Override
        public RpcServiceBuilder remoteServiceBuilder(Configuration configuration, String externalAddress, String externalPortRange) {
            return delegate.remoteServiceBuilder(configuration, externalAddress, externalPortRange);
        }

        @Override
        public String getRpcUrl(String hostname, int port, String endpointName, AddressResolution addressResolution,
                Configuration config) throws UnknownHostException {
            return delegate.getRpcUrl(hostname, port, endpointName, addressResolution, config);
        }

        @Override
        public InetSocketAddress getInetSocketAddressFromRpcUrl(String url) throws Exception {
            return delegate.getInetSocketAddressFromRpcUrl(url);
        }

        @Override
        public long getMaximumMessageSizeInBytes(Configuration config) {
            return delegate.getMaximumMessageSizeInBytes(config);
        }

        @Override
        public void close() {
            // Unloaded with the JVM.
        }
    }
}
