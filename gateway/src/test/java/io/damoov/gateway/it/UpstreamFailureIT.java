package io.damoov.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** An upstream that refuses connections is a 502 problem, and the gateway stays ready. */
class UpstreamFailureIT {

    @Test
    void shouldAnswer502WhenDamoovRefusesTheConnectionAndStayReady() throws Exception {
        try (ItEnvironment env = new ItEnvironment()) {
            Map<String, String> config = env.config(ItEnvironment.KEY_A);
            config.put("gateway.upstreams.api", "http://127.0.0.1:" + GatewayProcess.freePort());
            try (GatewayProcess gw = GatewayProcess.start(config, env.workDir.resolve("refused"))) {
                String token = env.clientToken("dave-" + UUID.randomUUID());
                assertThat(env.get(gw, "/me", token, null).statusCode()).isEqualTo(200);

                HttpResponse<String> r = env.get(gw, "/api/indicators/v3/Statistics", token, null);

                assertThat(r.statusCode()).isEqualTo(502);
                assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(r.body()).contains("urn:damoov-gateway:problem:upstream-connection-refused");
                HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gw.managementPort + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).isEqualTo(200);
            }
        }
    }
}
