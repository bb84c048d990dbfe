package io.lorafab.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group commit on a {@link Database}: work from concurrent callers runs on one writer thread, as many pieces
 * as are waiting (up to {@code maxBatch}) in one transaction. A caller returns only after the transaction
 * holding its work has committed.
 *
 * <p>Two kinds of piece share a batch. A plain piece ({@link #run(Database.SqlWork)}) runs behind its own
 * savepoint, so that its failure undoes only its own changes. A request for a {@link BatchWork}
 * ({@link #submit(BatchWork, Object)}) is served together with every other request for the same
 * {@code BatchWork} in the batch, by one call that sees them all: that is how reservations touch their work
 * order's and EUI block's rows once per batch instead of once per reservation ({@link BatchReservation}), and how
 * joins read their devices' join state and write their rows once per batch ({@link BatchJoin}). That call runs behind one
 * savepoint; if it throws, every request it held fails with that error and the rest of the batch commits.
 *
 * <p>The callers' futures are completed on a second thread, in batch order, while the writer starts the next batch:
 * what a caller chains onto {@link #submitAsync} (a join server encrypting its join-accept, publishing the event) runs
 * there, not on the one thread every commit waits for, where it cost a sixth of the join commit thread's time.
 */
public final class GroupCommit implements AutoCloseable {

    /**
     * Serves many callers' requests in one go, inside the batch's transaction on {@code c}: returns one result
     * per request, in the order given. Failures of single requests belong in the result type; throwing fails
     * all of them.
     */
    @FunctionalInterface
    public interface BatchWork<R, T> {
        List<T> run(Connection c, List<R> requests) throws SQLException;
    }

    private sealed interface Pending permits Piece, Request {
        CompletableFuture<?> done();
    }

    private record Piece<T>(Database.SqlWork<T> work, CompletableFuture<T> done) implements Pending {
    }

    private record Request<R, T>(BatchWork<R, T> kind, R request, CompletableFuture<T> done) implements Pending {
    }

    private final Database db;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    /** Completes the callers' futures of each committed batch, in order (see the class comment). */
    private final java.util.concurrent.ExecutorService completer;
    private volatile boolean closed;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong pieces = new AtomicLong();

    /** Transactions committed and pieces of work they carried, for load tools. */
    public long[] stats() {
        return new long[] {batches.get(), pieces.get()};
    }

    public GroupCommit(Database db, int maxBatch, String name) {
        this.db = db;
        this.maxBatch = maxBatch;
        this.completer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            // "lorafab-join-commit" → "lorafab-join-done": distinct within the 15 characters Linux keeps of a thread name
            Thread t = new Thread(r, name.endsWith("-commit") ? name.substring(0, name.length() - 7) + "-done" : name + "-done");
            t.setDaemon(true);
            return t;
        });
        this.writer = new Thread(this::loop, name);
        writer.setDaemon(true);
        writer.start();
    }

    /** Runs {@code work} in the next batch; returns its result once committed, or rethrows its failure. */
    public <T> T run(Database.SqlWork<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        enqueue(new Piece<>(work, f));
        return await(f);
    }

    /**
     * Hands {@code request} to {@code kind} in the next batch, with the other requests for {@code kind} waiting
     * then; returns its result once committed, or rethrows the failure of the whole call or of the commit.
     */
    public <R, T> T submit(BatchWork<R, T> kind, R request) {
        CompletableFuture<T> f = new CompletableFuture<>();
        enqueue(new Request<>(kind, request, f));
        return await(f);
    }

    /**
     * {@link #submit} without waiting: the future completes once the batch holding the request has committed (or
     * with the failure).
     */
    public <R, T> CompletableFuture<T> submitAsync(BatchWork<R, T> kind, R request) {
        CompletableFuture<T> f = new CompletableFuture<>();
        enqueue(new Request<>(kind, request, f));
        return f;
    }

    /**
     * Runs {@code work} in the next batch without waiting: the future completes once the batch holding it has
     * committed (or with its failure). For callers that must not hold a thread while the disk syncs.
     */
    public <T> CompletableFuture<T> runAsync(Database.SqlWork<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        enqueue(new Piece<>(work, f));
        return f;
    }

    private void enqueue(Pending p) {
        if (closed) {
            throw new IllegalStateException("group commit closed");
        }
        queue.add(p);
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for commit", e);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    /**
     * What a caller of {@link #submit} would have seen for the failure a future of {@link #submitAsync} completed with:
     * the store's typed exception for a database error, the piece's own exception otherwise; an {@link Error} is rethrown.
     */
    public static RuntimeException failure(Throwable c) {
        if (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof RuntimeException r) {
            return r;
        }
        if (c instanceof SQLException s) {
            return Sql.translate(s);
        }
        if (c instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(c);
    }

    private void loop() {
        while (!closed || !queue.isEmpty()) {
            // a new list per batch: the completer may still be completing the last one
            List<Pending> batch = new ArrayList<>();
            try {
                batch.add(queue.take());
                queue.drainTo(batch, maxBatch - 1);
                commit(batch);
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            }
        }
    }

    private void commit(List<Pending> batch) {
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        batches.incrementAndGet();
        pieces.addAndGet(batch.size());
        // requests grouped by their BatchWork, each group served where its first request stands in the queue
        Map<BatchWork<?, ?>, List<Integer>> groups = new IdentityHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i) instanceof Request<?, ?> q) {
                groups.computeIfAbsent(q.kind(), k -> new ArrayList<>()).add(i);
            }
        }
        try {
            db.tx(c -> {
                for (int i = 0; i < batch.size(); i++) {
                    Pending p = batch.get(i);
                    if (p instanceof Piece<?> piece) {
                        Savepoint sp = c.setSavepoint();
                        try {
                            results[i] = piece.work().run(c);
                            c.releaseSavepoint(sp);
                        } catch (SQLException | RuntimeException e) {
                            c.rollback(sp);
                            failures[i] = e;
                        }
                    } else if (p instanceof Request<?, ?> q && groups.get(q.kind()).get(0) == i) {
                        serve(c, q.kind(), batch, groups.get(q.kind()), results, failures);
                    }
                }
                return null;
            });
        } catch (Throwable e) {
            // The transaction failed as a whole (commit refused, connection lost, or an Error in a piece):
            // every caller of the batch learns it, and the writer thread lives on for the next batch.
            completeLater(() -> {
                for (Pending p : batch) {
                    p.done().completeExceptionally(e);
                }
            });
            return;
        }
        completeLater(() -> {
            for (int i = 0; i < batch.size(); i++) {
                complete(batch.get(i).done(), results[i], failures[i]);
            }
        });
    }

    private void completeLater(Runnable completion) {
        try {
            completer.execute(completion);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            completion.run(); // closed meanwhile: no caller is left waiting
        }
    }

    @SuppressWarnings("unchecked")
    private static <R, T> void serve(Connection c, BatchWork<R, T> kind, List<Pending> batch, List<Integer> at,
            Object[] results, Throwable[] failures) throws SQLException {
        List<R> requests = new ArrayList<>(at.size());
        for (int i : at) {
            requests.add(((Request<R, T>) batch.get(i)).request());
        }
        Savepoint sp = c.setSavepoint();
        try {
            List<T> out = kind.run(c, requests);
            if (out.size() != requests.size()) {
                throw new IllegalStateException("batch work answered " + out.size() + " of " + requests.size() + " requests");
            }
            c.releaseSavepoint(sp);
            for (int k = 0; k < at.size(); k++) {
                results[at.get(k)] = out.get(k);
            }
        } catch (SQLException | RuntimeException e) {
            c.rollback(sp);
            for (int i : at) {
                failures[i] = e;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(CompletableFuture<T> done, Object result, Throwable failure) {
        if (failure != null) {
            done.completeExceptionally(failure);
        } else {
            done.complete((T) result);
        }
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        completer.shutdown(); // what is already committed is still completed
    }
}
