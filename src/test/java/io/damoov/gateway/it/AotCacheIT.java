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
 * The JDK 25 image's start-up step (src/main/docker/Dockerfile.jvm-aot): {@code aot-train.sh} makes an AOT cache
 * from a training run of the packaged jar, and a gateway started with that cache in strict mode
 * ({@code -XX:AOTMode=on}: the JVM refuses to start when it cannot use the cache) serves requests. Needs a JDK 24+
 * ({@code JAVA_AOT}, or one under /usr/lib/jvm); skipped without one.
 */
class AotCacheIT {

    @Test
    void shouldServeFromAnAotCacheWhenTheTrainingScriptMadeIt() throws Exception {
        Optional<Path> java = aotJava();
        assumeTrue(java.isPresent(), "no JDK with -XX:AOTCacheOutput (24+)");
        try (ItEnvironment env = new ItEnvironment()) {
            // Given: a training run, as the image build does it
            Map<String, String> config = env.config(ItEnvironment.KEY_A);
            Path dir = env.workDir.resolve("aot");
            Files.createDirectories(dir);
            Path cache = dir.resolve("app.aot");
            int management = GatewayProcess.freePort();
            List<String> cmd = new ArrayList<>(List.of("sh",
                    Path.of("src/main/docker/aot-train.sh").toAbsolutePath().toString(), cache.toString(),
                    Integer.toString(management)));
            cmd.addAll(GatewayProcess.command(java.get(), List.of("-XX:+UseSerialGC"), config,
                    GatewayProcess.freePort(), management));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_DATASOURCE"));
            pb.environment().put("AOT_TRAIN_LOG", dir.resolve("training.log").toString());
            Process training = pb.start();
            String out = new String(training.getInputStream().readAllBytes());
            assertThat(training.waitFor(120, TimeUnit.SECONDS)).isTrue();

            assertThat(training.exitValue()).as(out).isZero();
            assertThat(cache).isNotEmptyFile();

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
