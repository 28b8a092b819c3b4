package dev.hookengine.benchmarks.load;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads the CPU samples ({@code jdk.ExecutionSample}) of a JFR recording and says where the time
 * went: the methods on top of the stack (self time), the methods anywhere on it (inclusive time,
 * each counted once per sample), and the innermost hookengine method of each sample, which charges
 * library time to the engine code that called it. JDK 17's {@code jfr} tool prints events but
 * cannot aggregate them.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.hookengine.benchmarks.load.JfrHotMethods recording.jfr \
 *     [--threads hookengine-delivery] [--from 2026-11-27T06:57:00Z] [--to ...] [--top 25]
 * </pre>
 */
public final class JfrHotMethods {

    private JfrHotMethods() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println(
                    "usage: JfrHotMethods recording.jfr [--threads PREFIX[,PREFIX]] [--from INSTANT] [--to INSTANT] [--top N]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        List<String> threadPrefixes = List.of();
        Instant from = Instant.MIN;
        Instant to = Instant.MAX;
        int top = 25;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--threads" -> threadPrefixes = List.of(args[i + 1].split(","));
                case "--from" -> from = Instant.parse(args[i + 1]);
                case "--to" -> to = Instant.parse(args[i + 1]);
                case "--top" -> top = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> engineFrames = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")
                    || event.getStartTime().isBefore(from)
                    || event.getStartTime().isAfter(to)) {
                continue;
            }
            RecordedThread thread = event.getThread("sampledThread");
            String threadName = thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName();
            if (!threadPrefixes.isEmpty() && threadPrefixes.stream().noneMatch(threadName::startsWith)) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            threads.merge(threadName.replaceAll("-?\\d+$", ""), 1, Integer::sum);
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            String innermostEngine = null;
            for (RecordedFrame frame : frames) {
                String method = name(frame.getMethod());
                if (seen.add(method)) {
                    inclusive.merge(method, 1, Integer::sum);
                }
                if (innermostEngine == null && method.startsWith("dev.hookengine.")) {
                    innermostEngine = method;
                }
            }
            engineFrames.merge(innermostEngine == null ? "(no hookengine frame)" : innermostEngine, 1, Integer::sum);
        }
        System.out.printf(
                "%,d CPU samples%s%n", samples, threadPrefixes.isEmpty() ? "" : " on threads " + threadPrefixes);
        print("threads", threads, samples, top);
        print("self (top of stack)", self, samples, top);
        print("innermost hookengine method", engineFrames, samples, top);
        print("inclusive (anywhere on the stack)", inclusive, samples, top);
    }

    private static String name(RecordedMethod method) {
        return method == null ? "?" : method.getType().getName() + "." + method.getName();
    }

    private static void print(String title, Map<String, Integer> counts, int total, int top) {
        System.out.println();
        System.out.println("## " + title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(top)
                .forEach(entry -> System.out.printf(
                        "%6.1f %%  %6d  %s%n",
                        100.0 * entry.getValue() / Math.max(1, total), entry.getValue(), entry.getKey()));
    }
}
