package io.damoov.gateway.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private static final int OPEN_FILES = 3;
    private static final Comparator<AuditRecord> NEWEST_FIRST = Comparator.comparing(AuditRecord::at)
            .thenComparing(AuditRecord::id).reversed();

    private final Path dir;
    /** The minute files records were appended to last, at most {@value #OPEN_FILES} (the newest kept). */
    private final Map<Long, MinuteFile> open = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, MinuteFile> eldest) {
            if (size() > OPEN_FILES) {
                if (eldest.getValue() == lastFile) {
                    lastFile = null;
                }
                eldest.getValue().close();
                return true;
            }
            return false;
        }
    };
    /** The file of the last record's minute: nearly every record goes to the same one as the record before it. */
    private MinuteFile lastFile;
    private long lastMinute;
    private boolean failing;

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
        if (appendNow(batch) < batch.size()) {
            // a full or failing disk: like a store that is down, the batch stays in the journal and is sent again
            throw StoreException.unreachable();
        }
    }

    /**
     * The request path's write: these files are append-only and local, so the journal would only copy them. One
     * write per run of records of the same minute.
     */
    @Override
    public synchronized int appendNow(List<AuditRecord> records) {
        int i = 0;
        while (i < records.size()) {
            long minute = minuteOf(records.get(i));
            int j = i + 1;
            while (j < records.size() && minuteOf(records.get(j)) == minute) {
                j++;
            }
            if (!write(minute, records.subList(i, j))) {
                return i;
            }
            i = j;
        }
        return i;
    }

    @Override
    public boolean appendsNow() {
        return true;
    }

    private static long minuteOf(AuditRecord r) {
        return Math.floorDiv(r.at().toEpochMilli(), 60_000L);
    }

    /** Appends records of one minute to its file; false (the file cut back to its last whole line) when that fails. */
    private boolean write(long minute, List<AuditRecord> records) {
        MinuteFile f = lastFile != null && lastMinute == minute ? lastFile : open.get(minute);
        try {
            if (f == null) {
                f = MinuteFile.open(file(records.get(0).at()));
                open.put(minute, f);
            }
            lastFile = f;
            lastMinute = minute;
            f.append(records);
        } catch (IOException e) {
            if (!failing) { // once per failure, not once per record
                failing = true;
                LOG.warnf("Audit directory %s: cannot append (%s); records wait in the journal", dir, e.toString());
            }
            if (f != null) {
                open.remove(minute);
                f.close();
            }
            lastFile = null;
            return false;
        }
        if (failing) {
            failing = false;
            LOG.infof("Audit directory %s: appending again", dir);
        }
        return true;
    }

    /** Closes every open minute file (retention is about to delete files; or the store stops). */
    private void closeAll() {
        open.values().forEach(MinuteFile::close);
        open.clear();
        lastFile = null;
    }

    /**
     * One minute's file, open for appending. A RandomAccessFile that knows its size: a write the disk took only part
     * of is cut off, so the next record starts a line of its own (the journal does the same).
     */
    private static final class MinuteFile {
        private final RandomAccessFile file;
        private long size;

        private MinuteFile(RandomAccessFile file, long size) {
            this.file = file;
            this.size = size;
        }

        static MinuteFile open(Path path) throws IOException {
            Files.createDirectories(path.getParent());
            RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
            MinuteFile f = new MinuteFile(file, file.length());
            try {
                if (f.size > 0) {
                    file.seek(f.size - 1);
                    if (file.read() != '\n') { // torn by a kill: the torn part stays a line of its own
                        file.write('\n');
                        f.size++;
                    }
                }
                file.seek(f.size);
            } catch (IOException e) {
                f.close();
                throw e;
            }
            return f;
        }

        void append(List<AuditRecord> records) throws IOException {
            try {
                size += AuditRecord.writeLines(records, file);
            } catch (IOException e) {
                file.setLength(size);
                file.seek(size);
                throw e;
            }
        }

        void close() {
            try {
                file.close();
            } catch (IOException e) {
                // nothing waits in a buffer: every write went to the file
            }
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
    public long purge(Instant cutoff) {
        // listed without the lock the request path's appends take; only the deletes hold it
        Path keepFrom = file(cutoff);
        List<Path> old = new ArrayList<>();
        List<Path> emptied = new ArrayList<>();
        for (Path day : listDesc(dir)) {
            List<Path> minutes = listDesc(day);
            int kept = minutes.size();
            for (Path minute : minutes) {
                if (compare(minute, keepFrom) < 0) {
                    old.add(minute);
                    kept--;
                }
            }
            if (kept == 0) {
                emptied.add(day);
            }
        }
        if (old.isEmpty() && emptied.isEmpty()) {
            return -1;
        }
        synchronized (this) {
            closeAll(); // reopened by the next record: no write goes to a file that is deleted
            old.forEach(FileAuditRecords::delete);
            emptied.forEach(FileAuditRecords::delete);
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
        return AuditRecord.jsonString(value);
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
