package dev.notejam.backup.report;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Human progress lines on stderr for long runs: bytes, rate and elapsed time, every few seconds.
 * stdout stays machine-readable JSON.
 */
public final class Progress implements AutoCloseable {

    private final PrintStream out;
    private final String what;
    private final AtomicLong bytes = new AtomicLong();
    private final long startedNanos = System.nanoTime();
    private final ScheduledExecutorService ticker;

    public Progress(PrintStream out, String what, Duration every) {
        this.out = out;
        this.what = what;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::print, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void add(long count) {
        bytes.addAndGet(count);
    }

    public long bytes() {
        return bytes.get();
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    public String line() {
        double seconds = Math.max(elapsed().toMillis(), 1) / 1000.0;
        long elapsed = (long) seconds;
        return String.format("%s: %s, %.1f MB/s, elapsed %02d:%02d:%02d", what, humanBytes(bytes.get()),
                bytes.get() / seconds / 1_000_000.0, elapsed / 3600, elapsed / 60 % 60, elapsed % 60);
    }

    private void print() {
        out.println(line());
        out.flush();
    }

    public static String humanBytes(long count) {
        if (count < 1024) {
            return count + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = count;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format("%.1f %s", value, units[unit]);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        print();
    }
}
