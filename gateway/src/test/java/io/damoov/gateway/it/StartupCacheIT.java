package io.damoov.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The images' start-up step: {@code src/main/docker/aot-train.sh} makes a cache of class data from a training run
 * of the packaged jar, and a gateway started with it in strict mode (the JVM refuses to start when it cannot use
 * it) serves requests. Dockerfile.jvm: a dynamic AppCDS archive ({@code --appcds}, the JDK running the tests);
 * Dockerfile.jvm-aot: a JDK 24+ AOT cache ({@code JAVA_AOT}, or one under /usr/lib/jvm; skipped without one).
 */
class StartupCacheIT {

    @Test
    void shouldStartFromAnAppCdsArchiveThatHoldsTheRuntimeStartUpsClasses() throws Exception {
        Path java = GatewayProcess.defaultJava();
        try (ItEnvironment env = new ItEnvironment()) {
            // Given: a training run, as Dockerfile.jvm does it
            Path dir = env.workDir.resolve("appcds");
            Path archive = dir.resolve("app-cds.jsa");
            Map<String, String> config = env.config(ItEnvironment.KEY_A);
            train(env, dir, config, java, List.of("--appcds"), archive);

            // When: started with the archive, which the JVM must map (-Xshare:on), logging where classes came from
            Path classLog = dir.resolve("class-load.log");
            try (GatewayProcess gw = GatewayProcess.start(config, dir, java, List.of("-XX:+UseSerialGC",
                    "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info:file=" + classLog))) {
                String token = env.clientToken("cds-" + UUID.randomUUID());

                // Then: it serves, and most classes of the start came from the archive
                assertThat(env.get(gw, "/me", token, null).statusCode()).isEqualTo(200);
                assertThat(env.get(gw, "/api/indicators/v3/Statistics", token, null).statusCode()).isEqualTo(200);
                List<String> loaded = Files.readAllLines(classLog);
                long shared = loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
                // Quarkus's build-time archive (quarkus.package.jar.appcds) held about 45 % of them
                assertThat(shared).as("classes from the archive, of %d loaded", loaded.size())
                        .isGreaterThan(loaded.size() * 6L / 10);
                assertThat(loaded).anyMatch(
                        l -> l.contains("io.vertx.core.http.impl.HttpServerImpl") && l.contains("shared objects file"));
            }
        }
    }

    @Test
    void shouldServeFromAnAotCacheWhenTheTrainingScriptMadeIt() throws Exception {
        Optional<Path> java = aotJava();
        assumeTrue(java.isPresent(), "no JDK with -XX:AOTCacheOutput (24+)");
        try (ItEnvironment env = new ItEnvironment()) {
            // Given: a training run, as Dockerfile.jvm-aot does it
            Path dir = env.workDir.resolve("aot");
            Path cache = dir.resolve("app.aot");
            Map<String, String> config = env.config(ItEnvironment.KEY_A);
            train(env, dir, config, java.get(), List.of(), cache);

            // When: started with the cache, which the JVM must use
            try (GatewayProcess gw = GatewayProcess.start(config, dir, java.get(),
                    List.of("-XX:+UseSerialGC", "-XX:AOTMode=on", "-XX:AOTCache=" + cache))) {
                String token = env.clientToken("aot-" + UUID.randomUUID());

                // Then
                assertThat(env.get(gw, "/me", token, null).statusCode()).isEqualTo(200);
                assertThat(env.get(gw, "/api/indicators/v3/Statistics", token, null).statusCode()).isEqualTo(200);
            }
        }
    }

    private static void train(ItEnvironment env, Path dir, Map<String, String> config, Path java,
            List<String> scriptOptions, Path cache) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int management = GatewayProcess.freePort();
        List<String> cmd = new ArrayList<>(List.of("sh", Path.of("src/main/docker/aot-train.sh").toAbsolutePath().toString()));
        cmd.addAll(scriptOptions);
        cmd.addAll(List.of(cache.toString(), Integer.toString(management)));
        cmd.addAll(GatewayProcess.command(java, List.of("-XX:+UseSerialGC"), config, GatewayProcess.freePort(),
                management));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_DATASOURCE"));
        pb.environment().put("AOT_TRAIN_LOG", dir.resolve("training.log").toString());
        Process training = pb.start();
        String out = new String(training.getInputStream().readAllBytes());
        assertThat(training.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(training.exitValue()).as(out).isZero();
        assertThat(cache).isNotEmptyFile();
    }

    private static Optional<Path> aotJava() throws IOException, InterruptedException {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("JAVA_AOT");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.add(GatewayProcess.defaultJava());
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> dirs = Files.list(jvms)) {
                dirs.sorted().map(d -> d.resolve("bin/java")).filter(Files::isExecutable).forEach(candidates::add);
            }
        }
        for (Path java : candidates) {
            Process p = new ProcessBuilder(java.toString(), "-XX:+PrintFlagsFinal", "-version")
                    .redirectErrorStream(true).start();
            String flags = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            if (flags.contains(" AOTCacheOutput ")) {
                return Optional.of(java);
            }
        }
        return Optional.empty();
    }
}
