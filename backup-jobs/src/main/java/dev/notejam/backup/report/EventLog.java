package dev.notejam.backup.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One JSON object per line on stdout, one line per step of a job (DESIGN.md section 4). Values are chosen by the
 * callers; no secret is ever passed in.
 */
public final class EventLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final Clock clock;
    private final String command;

    public EventLog(PrintStream out, Clock clock, String command) {
        this.out = out;
        this.clock = clock;
        this.command = command;
    }

    public void info(String step, String message, Map<String, ?> fields) {
        write("INFO", step, message, fields);
    }

    public void warn(String step, String message, Map<String, ?> fields) {
        write("WARN", step, message, fields);
    }

    public void error(String step, String message, Map<String, ?> fields) {
        write("ERROR", step, message, fields);
    }

    /** Runs one step and logs it once: with its duration when it succeeds, with the failure when it does not. */
    public <T> T step(String step, Supplier<T> work, java.util.function.Function<T, Map<String, ?>> fieldsOfResult) {
        long started = System.nanoTime();
        try {
            T result = work.get();
            Map<String, Object> fields = new LinkedHashMap<>(fieldsOfResult.apply(result));
            fields.put("durationMs", (System.nanoTime() - started) / 1_000_000);
            write("INFO", step, step + " done", fields);
            return result;
        } catch (RuntimeException e) {
            write("ERROR", step, step + " failed: " + e.getMessage(), Map.of("durationMs", (System.nanoTime() - started) / 1_000_000));
            throw e;
        }
    }

    private synchronized void write(String level, String step, String message, Map<String, ?> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", clock.instant().toString());
        line.put("level", level);
        line.put("logger", "notejam-backup");
        line.put("command", command);
        line.put("step", step);
        line.put("message", message);
        fields.forEach((k, v) -> line.putIfAbsent(k, v));
        try {
            out.println(JSON.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            out.println("{\"level\":\"ERROR\",\"message\":\"unloggable event\"}");
        }
        out.flush();
    }
}
