package io.damoov.gateway.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.damoov.gateway.audit.AuditRecord;
import io.damoov.gateway.audit.AuditRecords;

/**
 * The embedded store's audit records: NDJSON files under {@code gateway.audit.archive}, one per UTC minute of the
 * records' time ({@code yyyyMMdd/HHmm.ndjson}), in the journal's own line format. Appending a batch costs what
 * writing it costs (an H2 table with its indexes cost ~30 µs per record, more than the whole request path); a query
 * reads the minutes newest first, sorts each minute by (at, id) and stops at its limit, so a page of recent records
 * reads a few files; a filtered query over days reads every line of those days (lines that cannot match are passed
 * over unparsed). Retention deletes whole minutes. A record stored twice (a journal replay after a kill between
 * this append and the journal's delete) is read once. Not for several processes: the embedded store is one
 * process's.
 */
final class FileAuditRecords implements AuditRecords {

    private static final Logger LOG = Logger.getLogger(FileAuditRecords.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HHmm");
    private static final String SUFFIX = ".ndjson";
    private static final Comparator<AuditRecord> NEWEST_FIRST = Comparator.comparing(AuditRecord::at)
            .thenComparing(AuditRecord::id).reversed();

    private final Path dir;

    FileAuditRecords(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the audit directory " + dir, e);
        }
    }

    @Override
    public synchronized void insert(List<AuditRecord> batch) {
        Map<Path, List<AuditRecord>> byMinute = new LinkedHashMap<>();
        for (AuditRecord r : batch) {
            byMinute.computeIfAbsent(file(r.at()), f -> new ArrayList<>()).add(r);
        }
        try {
            for (Map.Entry<Path, List<AuditRecord>> e : byMinute.entrySet()) {
                Files.createDirectories(e.getKey().getParent());
                try (OutputStream out = Files.newOutputStream(e.getKey(), StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND)) {
                    for (AuditRecord r : e.getValue()) {
                        out.write(r.line());
                    }
                }
            }
        } catch (IOException e) {
            // a full or failing disk: like a store that is down, the batch stays in the journal and is sent again
            LOG.warnf("Audit directory %s: cannot append (%s)", dir, e.toString());
            throw StoreException.unreachable();
        }
    }

    @Override
    public List<AuditRecord> query(AuditQuery q, int limit) {
        List<AuditRecord> page = new ArrayList<>(Math.min(limit, 1024));
        scan(q, minute -> {
            for (AuditRecord r : minute) {
                if (page.size() == limit) {
                    return false;
                }
                page.add(r);
            }
            return page.size() < limit;
        });
        return page;
    }

    @Override
    public void stream(AuditQuery q, Consumer<AuditRecord> sink) {
        scan(q, minute -> {
            minute.forEach(sink);
            return true;
        });
    }

    /** Whole minutes older than the cutoff's minute are deleted; returns -1 (files, not records, were dropped). */
    @Override
    public synchronized long purge(Instant cutoff) {
        Path keepFrom = file(cutoff);
        for (Path day : listDesc(dir)) {
            for (Path minute : listDesc(day)) {
                if (compare(minute, keepFrom) < 0) {
                    delete(minute);
                }
            }
            if (listDesc(day).isEmpty()) {
                delete(day);
            }
        }
        return -1;
    }

    @Override
    public void ensurePartitions(LocalDate from, int days) {
        // files are made as records arrive
    }

    /** Feeds each minute's matching records, newest first, to {@code minute} until it returns false. */
    private void scan(AuditQuery q, java.util.function.Predicate<List<AuditRecord>> minute) {
        Path newest = q.until() == null ? null : file(q.until());
        Path oldest = q.since() == null ? null : file(q.since());
        Path afterFile = q.afterAt() == null ? null : file(Instant.ofEpochMilli(q.afterAt()));
        for (Path day : listDesc(dir)) {
            if (oldest != null && day.getFileName().toString().compareTo(oldest.getParent().getFileName().toString()) < 0) {
                return;
            }
            for (Path file : listDesc(day)) {
                if ((newest != null && compare(file, newest) > 0) || (afterFile != null && compare(file, afterFile) > 0)) {
                    continue;
                }
                if (oldest != null && compare(file, oldest) < 0) {
                    return;
                }
                if (!minute.test(read(file, q))) {
                    return;
                }
            }
        }
    }

    /** The records of one file that match {@code q}, newest first, each once. */
    private static List<AuditRecord> read(Path file, AuditQuery q) {
        List<AuditRecord> matches = new ArrayList<>();
        String tenantNeedle = q.tenant() == null ? null : needle(q.tenant());
        String subjectNeedle = q.subject() == null ? null : needle(q.subject());
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if ((tenantNeedle != null && !line.contains(tenantNeedle))
                        || (subjectNeedle != null && !line.contains(subjectNeedle))) {
                    continue; // cannot match: not parsed
                }
                AuditRecord r;
                try {
                    r = AuditRecord.ofLine(line);
                } catch (RuntimeException e) {
                    LOG.debugf("Audit file %s: a line that is not a record (torn by a kill) is passed over", file);
                    continue;
                }
                if (matches(r, q)) {
                    matches.add(r);
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return matches; // purged meanwhile
        } catch (IOException e) {
            LOG.warnf("Audit file %s: cannot read (%s)", file, e.toString());
            throw StoreException.unreachable();
        }
        matches.sort(NEWEST_FIRST);
        List<AuditRecord> once = new ArrayList<>(matches.size());
        for (AuditRecord r : matches) {
            AuditRecord last = once.isEmpty() ? null : once.get(once.size() - 1);
            if (last == null || !(last.at().equals(r.at()) && last.id().equals(r.id()))) {
                once.add(r);
            }
        }
        return once;
    }

    private static boolean matches(AuditRecord r, AuditQuery q) {
        long at = r.at().toEpochMilli();
        return (q.tenant() == null || q.tenant().equals(r.tenant()))
                && (q.subject() == null || q.subject().equals(r.subject()))
                && (q.action() == null || q.action().equals(r.action()))
                && (q.since() == null || at >= q.since().toEpochMilli())
                && (q.until() == null || at < q.until().toEpochMilli())
                && (q.afterAt() == null || at < q.afterAt() || (at == q.afterAt() && r.id().compareTo(q.afterId()) < 0));
    }

    /** What a line holding {@code value} as a JSON string contains (escaped as the journal writes it). */
    private static String needle(String value) {
        String encoded = new String(AuditRecord.of("x").tenant(value).build(java.time.Clock.systemUTC()).line(),
                StandardCharsets.UTF_8);
        int start = encoded.indexOf("\"tenant\":") + "\"tenant\":".length();
        return encoded.substring(start, encoded.indexOf(",\"subject\":", start));
    }

    private Path file(Instant at) {
        ZonedDateTime t = at.atZone(ZoneOffset.UTC);
        return dir.resolve(DAY.format(t)).resolve(MINUTE.format(t) + SUFFIX);
    }

    /** Orders minute files by day, then minute. */
    private static int compare(Path a, Path b) {
        int day = a.getParent().getFileName().toString().compareTo(b.getParent().getFileName().toString());
        return day != 0 ? day : a.getFileName().toString().compareTo(b.getFileName().toString());
    }

    private static List<Path> listDesc(Path d) {
        List<Path> all = new ArrayList<>();
        if (!Files.isDirectory(d)) {
            return all;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
            s.forEach(all::add);
        } catch (IOException e) {
            LOG.warnf("Audit directory %s: cannot list (%s)", d, e.toString());
            throw StoreException.unreachable();
        }
        all.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        return all;
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warnf("Audit retention: cannot delete %s: %s", p, e.getMessage());
        }
    }
}
