package io.damoov.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

/** The identifier names the request checks and the response rewrite share (docs/routing.md, identifier checks). */
class IdentifiersTest {

    @Test
    void shouldNameAnIdentifierWhateverItsCasePrefixOrIndex() {
        for (String name : new String[] { "DeviceToken", "devicetoken", "USERID", "DeviceId", "UserDeviceToken",
                "req.UserId", "UserId[0]", "filter[DeviceToken]", " UserId ", "a.b.DeviceId", "UserId.0", "UserIds",
                "DeviceTokens", "req.deviceIds[1]" }) {
            assertThat(Identifiers.isIdentifier(name)).as(name).isTrue();
        }
        for (String name : new String[] { "", "0", "12", "User_Id", "UserIdss", "DeviceTokenX", "Token", "userİd",
                "UserId.Name", "InstanceId", "[0]" }) {
            assertThat(Identifiers.isIdentifier(name)).as(name).isFalse();
        }
    }

    @Test
    void shouldTellWhenAJsonBodyCannotNameAnIdentifier() {
        assertThat(Identifiers.mayName(Buffer.buffer("{\"Result\":{\"MileageKm\":1.5,\"Status\":\"Active\"}}")))
                .isFalse();
        assertThat(Identifiers.mayName(Buffer.buffer(""))).isFalse();
        for (String body : new String[] { "{\"DeviceToken\":\"x\"}", "{\"a\":[{\"USERID\":1}]}",
                "{\"req.deviceId\":\"x\"}", "{\"UserDeviceToken\":\"x\"}", "{\"devicetoke\\u006e\":\"x\"}",
                "{\"note\":\"a\\\"b\"}", "{\"x\":\"d\",\"y\":\"u\"}userid" }) {
            assertThat(Identifiers.mayName(Buffer.buffer(body))).as(body).isTrue();
        }
    }
}
