package io.damoov.gateway.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/** Captures every log record of the running gateway (root logger), with its parameters, exception and MDC. */
public final class LogCapture extends Handler implements AutoCloseable {

    /** One record: logger name, message with its parameters and exception appended, MDC. */
    public record Line(String logger, String text, Map<String, String> mdc) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture() {
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    public List<Line> lines() {
        return lines;
    }

    public void clear() {
        lines.clear();
    }

    @Override
    public void publish(LogRecord record) {
        StringBuilder text = new StringBuilder(String.valueOf(record.getMessage()));
        if (record.getParameters() != null) {
            for (Object p : record.getParameters()) {
                text.append(' ').append(p);
            }
        }
        if (record.getThrown() != null) {
            text.append(' ').append(record.getThrown());
        }
        Map<String, String> mdc = record instanceof ExtLogRecord ext ? ext.getMdcCopy() : Map.of();
        lines.add(new Line(record.getLoggerName(), text.toString(), mdc));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
