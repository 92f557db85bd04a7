package io.damoov.gateway.support;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.damoov.gateway.audit.AuditLog;
import io.damoov.gateway.sandbox.DamoovSandbox;
import io.quarkus.test.common.QuarkusTestResource;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Base of the black-box tests: the gateway on a random port in front of the sandbox on another. */
@QuarkusTestResource(SandboxResource.class)
public abstract class GatewayTest {

    @InjectSandbox
    protected DamoovSandbox sandbox;

    @Inject
    protected TestClock clock;

    @Inject
    protected AuditLog auditLog;

    @BeforeEach
    void resetSandbox() {
        sandbox.reset();
        clock.reset();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    protected static String newSubject() {
        return "user-" + UUID.randomUUID();
    }

    protected String userToken(String tenant, String subject) {
        return sandbox.idp(tenant).mint(subject, List.of("driver"), Duration.ofHours(1));
    }

    protected String managerToken(String tenant, String subject) {
        return sandbox.idp(tenant).mint(subject, List.of("driver", "fleet-manager"), Duration.ofHours(1));
    }

    protected RequestSpecification as(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token);
    }

    /** Enrols a user through GET /me and returns the DeviceToken. */
    protected String enroll(String token) {
        return as(token).get("/me").then().statusCode(200).extract().path("deviceToken");
    }
}
