package io.damoov.gateway.support;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Calls to the operator API on the management port of the gateway under test. */
public final class Operator {

    private Operator() {
    }

    public static int port() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.management.test-port", Integer.class)
                .filter(p -> p > 0).orElseThrow(() -> new IllegalStateException("management test port unknown"));
    }

    /** No key. */
    public static RequestSpecification anonymous() {
        return RestAssured.given().baseUri("http://localhost").port(port()).urlEncodingEnabled(false);
    }

    /** With the configured operator key. */
    public static RequestSpecification operator() {
        return anonymous().header("Authorization", "Bearer " + SandboxResource.OPERATOR_KEY);
    }
}
