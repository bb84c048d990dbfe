package io.lorafab.station.line;

import io.lorafab.station.client.StationApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A multi-up fixture: N positions, each a board holder of its own (a serial port, a flasher target) with its own
 * {@link UnitRunner}, run in parallel, one thread each. A position's unit is the business of that position alone:
 * whatever happens to it — FAIL, a station fault, a refusal, a server or port failure, a driver error — ends in that
 * position's {@link Result} and never stops, delays or renames another; each result carries the DevEUI its own runner
 * reserved, so a label can only go to the board it belongs to. Only the join commands are taken in turn
 * ({@link JoinSpacing}), a fraction of a second apart, so that the boards do not talk over each other on air.
 */
public final class MultiUp implements AutoCloseable {

    /** One position (numbered from 1 in the order the operator loads and scans the fixture). */
    public record Position(int number, Fixture fixture, UnitRunner runner) {
        public Position {
            if (number < 1) {
                throw new IllegalArgumentException("fixture positions count from 1, got " + number);
            }
            Objects.requireNonNull(fixture, "fixture");
            Objects.requireNonNull(runner, "runner");
        }
    }

    /** What the operator put in a position: a board with a scanned label, a board to allocate an identity for, or none. */
    public sealed interface Board permits Board.Scanned, Board.Allocate, Board.Empty {
        /** A board whose pre-printed label was scanned. */
        record Scanned(String label) implements Board {
            public Scanned {
                Objects.requireNonNull(label, "label");
            }
        }

        /** A board that takes the next identity of the work order. */
        record Allocate() implements Board {
        }

        /** No board in this position this time (e.g. the last, partly filled panel). */
        record Empty() implements Board {
        }

        static Board scanned(String label) {
            return new Scanned(label);
        }

        static Board allocate() {
            return new Allocate();
        }

        static Board empty() {
            return new Empty();
        }
    }

    /** How one position ended. */
    public sealed interface Result permits Done, Refused, Left, Broke, Skipped {
        int position();
    }

    /** The unit was finished: PASSED, FAILED or STATION_FAULT, as {@link UnitOutcome} says. */
    public record Done(int position, UnitOutcome outcome) implements Result {
    }

    /** The server would not reserve the unit (nothing was reserved). */
    public record Refused(int position, String scanned, StationApiException error) implements Result {
    }

    /** The unit was reserved but could not be finished (server or serial port failure): it stays unfinished on the server. */
    public record Left(int position, UnitRunner.Unfinished unfinished) implements Result {
    }

    /** Something the runner did not expect (a driver error); the unit, if one was reserved, stays unfinished on the server. */
    public record Broke(int position, RuntimeException error) implements Result {
    }

    /** No board in the position. */
    public record Skipped(int position) implements Result {
    }

    /** Copy on write: {@link #replace} swaps a position between runs while {@link #run} reads a snapshot. */
    private volatile List<Position> positions;
    private final ExecutorService threads;

    public MultiUp(List<Position> positions) {
        this.positions = List.copyOf(positions);
        if (this.positions.isEmpty()) {
            throw new IllegalArgumentException("a fixture has at least one position");
        }
        for (int i = 0; i < this.positions.size(); i++) {
            if (this.positions.get(i).number() != i + 1) {
                throw new IllegalArgumentException("positions must be numbered 1.." + this.positions.size() + " in order");
            }
        }
        this.threads = Executors.newFixedThreadPool(this.positions.size(), r -> {
            Thread t = new Thread(r, "lorafab-position");
            t.setDaemon(true);
            return t;
        });
    }

    public int size() {
        return positions.size();
    }

    public List<Position> positions() {
        return positions;
    }

    /**
     * Puts another fixture in position {@code number}, keeping its runner: its serial port went away between runs
     * (a USB adapter re-plugged) and was opened again. Between runs only: a run in progress keeps the fixtures it began
     * with.
     */
    public synchronized void replace(int number, Fixture fixture) {
        if (number < 1 || number > positions.size()) {
            throw new IllegalArgumentException("no position " + number + " in a fixture of " + positions.size());
        }
        List<Position> next = new ArrayList<>(positions);
        next.set(number - 1, new Position(number, fixture, positions.get(number - 1).runner()));
        positions = List.copyOf(next);
    }

    /**
     * Runs every position with its board ({@code boards.get(i)} for position i + 1) at once and returns when all have
     * ended, the results in position order.
     */
    public List<Result> run(List<Board> boards) throws InterruptedException {
        List<Position> positions = this.positions;
        if (boards.size() != positions.size()) {
            throw new IllegalArgumentException(positions.size() + " positions, " + boards.size() + " boards");
        }
        List<Future<Result>> running = new ArrayList<>();
        for (int i = 0; i < positions.size(); i++) {
            Position p = positions.get(i);
            Board b = boards.get(i);
            running.add(threads.submit(() -> one(p, b)));
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < running.size(); i++) {
            try {
                results.add(running.get(i).get());
            } catch (ExecutionException e) {
                // one() catches every RuntimeException; an Error is not a unit's business either
                results.add(new Broke(i + 1, new IllegalStateException(String.valueOf(e.getCause()), e.getCause())));
            }
        }
        return results;
    }

    private static Result one(Position p, Board b) {
        if (b instanceof Board.Empty) {
            return new Skipped(p.number());
        }
        String scanned = b instanceof Board.Scanned s ? s.label() : null;
        try {
            return new Done(p.number(), p.runner().run(p.fixture(), scanned));
        } catch (StationApiException e) {
            return new Refused(p.number(), scanned, e);
        } catch (UnitRunner.Unfinished e) {
            return new Left(p.number(), e);
        } catch (RuntimeException e) {
            return new Broke(p.number(), e);
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
