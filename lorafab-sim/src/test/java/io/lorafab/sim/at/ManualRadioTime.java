package io.lorafab.sim.at;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** A radio time the test moves by hand: {@link #advance} runs what has come due, in order. */
final class ManualRadioTime implements VirtualAtModule.RadioTime {

    private record Task(long due, long seq, Runnable run) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(Comparator.comparingLong(Task::due).thenComparingLong(Task::seq));
    private long now;
    private long seq;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void after(Duration delay, Runnable task) {
        tasks.add(new Task(now + delay.toNanos(), seq++, task));
        notifyAll();
    }

    synchronized int pending() {
        return tasks.size();
    }

    /**
     * Waits (up to 5 s of real time) until the module has something waiting on the radio's time, then moves the time
     * on by {@code d}, running what comes due.
     */
    void advance(Duration d) throws InterruptedException {
        List<Runnable> due = new ArrayList<>();
        synchronized (this) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (tasks.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("nothing waits on the radio's time");
                }
                wait(Math.max(1, left / 1_000_000));
            }
            now += d.toNanos();
            while (!tasks.isEmpty() && tasks.peek().due() <= now) {
                due.add(tasks.poll().run());
            }
        }
        due.forEach(Runnable::run);
    }
}
