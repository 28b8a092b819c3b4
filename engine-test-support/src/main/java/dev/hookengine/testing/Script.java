package dev.hookengine.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * A receiver's default behaviour: the next requests get the scripted answers in order, every later
 * one the fallback (200 unless told otherwise). Tests change the script while the receiver runs, through
 * {@link TestReceiver#answer} and {@link TestReceiver#otherwise}; server threads take answers from it
 * at the same time, hence the lock.
 */
final class Script implements Behaviour {

    private final Deque<Answer> next = new ArrayDeque<>();
    private volatile Answer fallback = Answer.of(200);

    void add(List<Answer> answers) {
        synchronized (next) {
            next.addAll(answers);
        }
    }

    void otherwise(Answer answer) {
        fallback = Objects.requireNonNull(answer, "answer");
    }

    @Override
    public void respond(Request request, Response response, TestReceiver receiver) throws Exception {
        Answer answer;
        synchronized (next) {
            answer = next.isEmpty() ? fallback : next.poll();
        }
        answer.respond(request, response, receiver);
    }
}
