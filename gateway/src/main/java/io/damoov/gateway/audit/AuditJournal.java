package io.damoov.gateway.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonObject;

/**
 * A local NDJSON file that takes audit records the queue or the store cannot take right now, so none is lost; the
 * writer replays and truncates it once the store accepts records again.
 */
final class AuditJournal {

    private final Path file;

    AuditJournal(Path file) {
        this.file = file;
    }

    synchronized void append(List<AuditRecord> records) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            for (AuditRecord r : records) {
                w.write(toJson(r).encode());
                w.newLine();
            }
        }
    }

    synchronized boolean isEmpty() {
        try {
            return !Files.exists(file) || Files.size(file) == 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** Reads all journalled records; {@link #clear()} after they are stored. */
    synchronized List<AuditRecord> readAll() throws IOException {
        List<AuditRecord> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(fromJson(new JsonObject(line)));
            }
        }
        return out;
    }

    synchronized void clear() throws IOException {
        Files.deleteIfExists(file);
    }

    static JsonObject toJson(AuditRecord r) {
        return new JsonObject().put("id", r.id()).put("at", r.at().toEpochMilli()).put("tenant", r.tenant())
                .put("subject", r.subject()).put("principal", r.principal()).put("action", r.action())
                .put("tokenFingerprint", r.tokenFingerprint()).put("route", r.route()).put("method", r.method())
                .put("path", r.path()).put("status", r.status()).put("upstreamStatus", r.upstreamStatus())
                .put("clientIp", r.clientIp()).put("requestId", r.requestId()).put("latencyMs", r.latencyMs())
                .put("reason", r.reason());
    }

    static AuditRecord fromJson(JsonObject j) {
        return new AuditRecord(j.getString("id"), Instant.ofEpochMilli(j.getLong("at")), j.getString("tenant"),
                j.getString("subject"), j.getString("principal"), j.getString("action"),
                j.getString("tokenFingerprint"), j.getString("route"), j.getString("method"), j.getString("path"),
                j.getInteger("status", 0), j.getInteger("upstreamStatus", 0), j.getString("clientIp"),
                j.getString("requestId"), j.getLong("latencyMs", 0L), j.getString("reason"));
    }
}
