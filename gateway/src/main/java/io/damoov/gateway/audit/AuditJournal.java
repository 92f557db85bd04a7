package io.damoov.gateway.audit;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import io.vertx.core.json.JsonObject;

/**
 * The audit journal: append-only NDJSON segments in one directory ({@code gateway.audit.journal}), the local copy of
 * every audit record until the store holds it.
 * <ul>
 * <li>{@link #append} writes records with one {@code write} to the active segment (no fsync: the page cache
 * outlives a killed process; only a lost node loses its last seconds): the records of one pass of an event loop,
 * before their responses are sent. At {@code gateway.audit.journal-max-size} the journal refuses records.</li>
 * <li>One reader, the audit writer thread, reads the segments in order ({@link #read}, bounded memory: a buffer and
 * one batch); {@link #release} after the store took everything read deletes each segment read to its end.</li>
 * <li>Every start opens a new segment, so the segments of an earlier run are closed: a line torn by a kill during an
 * append can only be the last of its segment, and the reader skips it ({@link #tornLines()}).</li>
 * </ul>
 * Records the store refuses on their own go to {@value #DEAD_LETTERS} beside the segments, never back into them.
 */
final class AuditJournal implements Closeable {

    static final String PREFIX = "segment-";
    static final String SUFFIX = ".ndjson";
    static final String DEAD_LETTERS = "dead-letters.ndjson";
    private static final int READ_BUFFER = 256 * 1024;
    private static final long HAND_OVER = 64 * 1024;
    /** Room kept below the limit for the records of requests already past {@link #accepting()}. */
    private static final long HEADROOM = 1 << 20;

    private final Path dir;
    private final long segmentBytes;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong torn = new AtomicLong();
    private final TreeMap<Long, Long> closedSizes = new TreeMap<>();
    /** Set when a record did not fit, cleared once the store has taken the journal below 90 % of its limit. */
    private volatile boolean refusing;

    // the appender's state, under lock. RandomAccessFile, not FileChannel: an interrupted thread (a worker whose
    // backoff sleep was interrupted) would close an interruptible channel for every other appender
    private RandomAccessFile active;
    /** The last write failed and the active segment was cut back to {@code activeSize}. */
    private boolean cutOff;
    private long activeSeq;
    private long activeSize;

    // the reader's state (the writer thread only)
    private long readSeq;
    private long readOffset;
    private RandomAccessFile reading;
    private long readingSeq = -1;
    private final ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
    private RandomAccessFile deadLetters;

    private AuditJournal(Path dir, long segmentBytes, long maxBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.maxBytes = maxBytes;
    }

    /**
     * Opens the journal in {@code dir}: counts what an earlier run left (it is read first), and starts a new active
     * segment. A journal file of the earlier single-file layout ({@code
     *
    <dir>
     * .ndjson}) becomes the oldest segment.
     */
    static AuditJournal open(Path dir, long segmentBytes, long maxBytes) throws IOException {
        AuditJournal journal = new AuditJournal(dir, segmentBytes, maxBytes);
        journal.start();
        return journal;
    }

    private void start() throws IOException {
        Files.createDirectories(dir);
        Path legacy = dir.resolveSibling(dir.getFileName() + SUFFIX);
        if (Files.isRegularFile(legacy)) {
            Files.move(legacy, segment(0), StandardCopyOption.ATOMIC_MOVE);
        }
        long last = 0;
        boolean any = false;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                long seq = seqOf(p);
                if (seq < 0) {
                    continue;
                }
                long size = Files.size(p);
                closedSizes.put(seq, size);
                bytes.addAndGet(size);
                pending.addAndGet(countLines(p));
                last = Math.max(last, seq);
                any = true;
            }
        }
        activeSeq = any ? last + 1 : 1;
        readSeq = closedSizes.isEmpty() ? activeSeq : closedSizes.firstKey();
        active = new RandomAccessFile(segment(activeSeq).toFile(), "rw");
        activeSize = 0;
    }

    // --- appending (any thread, the event loops first) -------------------------------------------------------

    /** Appends one record as one line; false when the journal is at its limit or the disk refuses the write. */
    boolean append(AuditRecord record) {
        return append(List.of(record));
    }

    /**
     * Appends records as lines with one write, all or none; false when they do not fit below the journal's limit or
     * the disk refuses the write.
     */
    boolean append(List<AuditRecord> records) {
        LineEncoder encoder = LineEncoder.local(); // this thread's: the lines stay valid while it appends
        int length = encoder.encode(records);
        lock.lock();
        try {
            if (bytes.get() + length > maxBytes) {
                refusing = true;
                return false;
            }
            if (activeSize >= segmentBytes) {
                rotate();
            }
            try {
                if (cutOff) { // after a failed write: the file position may be past the cut
                    active.seek(activeSize);
                    cutOff = false;
                }
                active.write(encoder.bytes(), 0, length);
            } catch (IOException e) {
                // a full disk can take part of the line: cut it off, so the next record starts a line of its own
                refusing = true;
                cutOff = true;
                active.setLength(activeSize);
                return false;
            }
            activeSize += length;
            bytes.addAndGet(length);
            pending.addAndGet(records.size());
            return true;
        } catch (IOException e) {
            refusing = true;
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * False once the journal is within {@value #HEADROOM} bytes of its limit, or from the first record that did not
     * fit, until the store has taken it below 90 % of its limit; the headroom takes the records of the requests
     * already under way.
     */
    boolean accepting() {
        return !refusing && bytes.get() < maxBytes - Math.min(HEADROOM, maxBytes / 10);
    }

    /** The next segment is opened before the current one is closed: a failed open changes nothing. */
    private void rotate() throws IOException {
        RandomAccessFile next = new RandomAccessFile(segment(activeSeq + 1).toFile(), "rw");
        RandomAccessFile done = active;
        closedSizes.put(activeSeq, activeSize);
        activeSeq++;
        active = next;
        activeSize = 0;
        done.close();
    }

    // --- reading (the writer thread) ---------------------------------------------------------------------------

    /**
     * Up to {@code max} records after the last one read, oldest first; empty when the reader is caught up. The read
     * position moves only past records returned (or lines skipped): a failure returns what was read before it.
     */
    List<AuditRecord> read(int max) throws IOException {
        List<AuditRecord> out = new ArrayList<>(Math.min(max, 1024));
        try {
            readInto(out, max);
        } catch (IOException e) {
            if (out.isEmpty()) {
                throw e;
            }
        }
        return out;
    }

    private void readInto(List<AuditRecord> out, int max) throws IOException {
        while (out.size() < max) {
            long end;
            boolean closed;
            lock.lock();
            try {
                closed = readSeq < activeSeq;
                end = closed ? closedSizes.getOrDefault(readSeq, -1L) : activeSize;
            } finally {
                lock.unlock();
            }
            if (end < 0 || readOffset >= end) {
                if (!closed) {
                    break;
                }
                nextSegment();
                continue;
            }
            int chunk = (int) Math.min(end - readOffset, READ_BUFFER);
            RandomAccessFile file = fileFor(readSeq);
            if (file == null) { // a closed segment that is gone: nothing to read in it
                nextSegment();
                continue;
            }
            file.seek(readOffset);
            int filled = 0;
            while (filled < chunk) {
                int n = file.read(buffer.array(), filled, chunk - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
            int start = 0;
            boolean progressed = false;
            for (int i = 0; i < filled && out.size() < max; i++) {
                if (buffer.array()[i] == '\n') {
                    decode(i - start, start).ifPresent(out::add);
                    start = i + 1;
                    progressed = true;
                }
            }
            readOffset += start;
            if (!progressed) {
                if (filled == READ_BUFFER || closed) {
                    // a line longer than any record, or the torn last line of a closed segment: skipped
                    torn.incrementAndGet();
                    readOffset += filled;
                } else {
                    break;
                }
            }
        }
    }

    private java.util.Optional<AuditRecord> decode(int length, int offset) {
        if (length == 0) {
            pending.decrementAndGet(); // a blank line: counted at start, holds no record
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(decodeLine(buffer.array(), offset, length));
        } catch (RuntimeException e) {
            torn.incrementAndGet();
            pending.decrementAndGet();
            return java.util.Optional.empty();
        }
    }

    private void nextSegment() throws IOException {
        closeReading();
        readSeq++;
        readOffset = 0;
    }

    /** The segment open for reading, or null when a closed segment's file is gone. */
    private RandomAccessFile fileFor(long seq) throws IOException {
        if (reading == null || readingSeq != seq) {
            closeReading();
            Path file = segment(seq);
            if (!Files.exists(file) && seq < activeSeq) {
                return null;
            }
            reading = new RandomAccessFile(file.toFile(), "r");
            readingSeq = seq;
        }
        return reading;
    }

    private void closeReading() throws IOException {
        if (reading != null) {
            reading.close();
            reading = null;
            readingSeq = -1;
        }
    }

    /** {@code n} records read are now held by the store (or dead-lettered). */
    void stored(int n) {
        pending.addAndGet(-n);
    }

    /**
     * Deletes every segment read to its end: call when the store holds everything read. An active segment of
     * {@value #HAND_OVER} bytes or more that is read to its end is closed first (a new one takes the appends), so a
     * caught-up journal stays small.
     */
    void release() throws IOException {
        List<Long> done = new ArrayList<>();
        lock.lock();
        try {
            if (readSeq == activeSeq && readOffset == activeSize && activeSize >= HAND_OVER) {
                rotate();
                closeReading();
                readSeq = activeSeq;
                readOffset = 0;
            }
            for (Long seq : closedSizes.headMap(readSeq).keySet()) {
                done.add(seq);
            }
        } finally {
            lock.unlock();
        }
        for (Long seq : done) {
            Files.deleteIfExists(segment(seq));
            lock.lock();
            try {
                bytes.addAndGet(-closedSizes.remove(seq));
            } finally {
                lock.unlock();
            }
        }
        if (refusing && bytes.get() < maxBytes / 10 * 9) {
            refusing = false;
        }
    }

    /** Keeps a record the store refused on its own, beside the journal (the writer thread only). */
    void deadLetter(AuditRecord record) throws IOException {
        if (deadLetters == null) {
            deadLetters = new RandomAccessFile(dir.resolve(DEAD_LETTERS).toFile(), "rw");
        }
        deadLetters.seek(deadLetters.length());
        deadLetters.write(encode(record));
    }

    // --- state ---------------------------------------------------------------------------------------------------

    /** Records journalled and not yet in the store. */
    long pending() {
        return Math.max(0, pending.get());
    }

    long bytes() {
        return bytes.get();
    }

    long maxBytes() {
        return maxBytes;
    }

    /** Lines skipped because they were torn or unreadable. */
    long tornLines() {
        return torn.get();
    }

    /**
     * Closes the reader's files. The active segment stays open: a record made after this (a request finishing late
     * in a shutdown) is still journalled, and the process's exit closes it (no data waits in a buffer).
     */
    @Override
    public void close() throws IOException {
        closeReading();
        if (deadLetters != null) {
            deadLetters.close();
        }
    }

    private Path segment(long seq) {
        return dir.resolve(String.format("%s%019d%s", PREFIX, seq, SUFFIX));
    }

    private static long seqOf(Path p) {
        String name = p.getFileName().toString();
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long countLines(Path p) throws IOException {
        long n = 0;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            while (ch.read(b.clear()) > 0) {
                for (int i = 0; i < b.position(); i++) {
                    if (b.get(i) == '\n') {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /**
     * The record of one line (without its newline) as {@link #encode} wrote it: {@link LineDecoder} for the encoder's
     * own layout, JSON for anything else; fails on a line that is not a record.
     */
    static AuditRecord decodeLine(byte[] b, int offset, int length) {
        AuditRecord fast = LineDecoder.decode(b, offset, length);
        return fast != null ? fast : fromJson(new JsonObject(new String(b, offset, length, StandardCharsets.UTF_8)));
    }

    /** One record as one NDJSON line, the document {@link #fromJson} decodes ({@link LineEncoder} makes it). */
    static byte[] encode(AuditRecord r) {
        LineEncoder e = LineEncoder.local();
        int n = e.encode(r); // first: encoding may grow the array bytes() returns
        return java.util.Arrays.copyOf(e.bytes(), n);
    }

    /** A JSON string (RFC 8259 escapes), or {@code null}. */
    static StringBuilder string(StringBuilder b, String v) {
        if (v == null) {
            return b.append("null");
        }
        b.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }

    static AuditRecord fromJson(JsonObject j) {
        return new AuditRecord(j.getString("id"), Instant.ofEpochMilli(j.getLong("at")), j.getString("tenant"),
                j.getString("subject"), j.getString("principal"), j.getString("action"),
                j.getString("tokenFingerprint"), j.getString("route"), j.getString("method"), j.getString("path"),
                j.getInteger("status", 0), j.getInteger("upstreamStatus", 0), j.getString("clientIp"),
                j.getString("requestId"), j.getLong("latencyMs", 0L), j.getString("reason"));
    }
}
