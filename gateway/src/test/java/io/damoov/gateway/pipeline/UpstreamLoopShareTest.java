package io.damoov.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.outbound.UpstreamTarget;
import io.damoov.gateway.support.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.impl.ContextInternal;

/**
 * A loop whose share of {@code gateway.upstream-pool-size} is all under way takes the share of a loop with room for its
 * next requests (traffic over few client connections, an ingress's, lands on few loops), and the pool size stays the
 * bound of all the connections: here two loops with one connection each, three slow requests from one loop use both
 * connections and no third.
 */
@QuarkusTest
@TestProfile(UpstreamLoopShareTest.OneEach.class)
class UpstreamLoopShareTest extends GatewayTest {

    public static class OneEach implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.vertx.event-loops-pool-size", "2", "gateway.upstream-pool-size", "2");
        }
    }

    @Inject
    UpstreamCall upstream;

    @Inject
    Vertx vertx;

    @Inject
    GatewayConfig config;

    @AfterEach
    void fast() {
        sandbox.settings().setDataLatency(Duration.ZERO);
    }

    @Test
    void shouldTakeAnotherLoopsShareOnlyWhenItsOwnIsUnderWay() throws Exception {
        UpstreamTarget api = UpstreamTarget.of(config.upstreams().get("api"));
        sandbox.settings().setDataLatency(Duration.ofMillis(400));
        ContextInternal loop = ((ContextInternal) vertx.getOrCreateContext());
        Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
        CompletableFuture<Long> answered = new CompletableFuture<>();
        loop.runOnContext(v -> {
            List<Future<Void>> sent = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sent.add(upstream.send(HttpMethod.GET, api, "/indicators/v3/Statistics",
                        MultiMap.caseInsensitiveMultiMap(), MultiMap.caseInsensitiveMultiMap(), Buffer.buffer())
                        .compose(resp -> {
                            connections.add(resp.request().connection());
                            resp.resume();
                            return resp.end();
                        }));
            }
            Future.join(sent).onComplete(ar -> answered.complete(sent.stream().filter(Future::succeeded).count()));
        });
        assertThat(answered.get(30, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(connections).as("connections for three requests at once, against a pool of 2").hasSize(2);
    }
}
