package io.damoov.gateway.admin;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.damoov.gateway.audit.AuditRecord;

/**
 * The JSON form of an audit record (docs/audit.md), written straight to a stream by Jackson's generator: no tree, no map
 * per record. Both the page ({@code items}) and the NDJSON export use it, so the two never differ in a field.
 */
final class AuditJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private AuditJson() {
    }

    static JsonGenerator generator(OutputStream out) throws IOException {
        return FACTORY.createGenerator(out, JsonEncoding.UTF8);
    }

    static void write(JsonGenerator g, AuditRecord r) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", r.id());
        g.writeStringField("at", r.at().toString());
        g.writeStringField("tenant", r.tenant());
        g.writeStringField("subject", r.subject());
        g.writeStringField("principal", r.principal());
        g.writeStringField("action", r.action());
        g.writeStringField("tokenFingerprint", r.tokenFingerprint());
        g.writeStringField("route", r.route());
        g.writeStringField("method", r.method());
        g.writeStringField("path", r.path());
        g.writeNumberField("status", r.status());
        g.writeNumberField("upstreamStatus", r.upstreamStatus());
        g.writeStringField("clientIp", r.clientIp());
        g.writeStringField("requestId", r.requestId());
        g.writeNumberField("latencyMs", r.latencyMs());
        g.writeStringField("reason", r.reason());
        g.writeEndObject();
    }
}
