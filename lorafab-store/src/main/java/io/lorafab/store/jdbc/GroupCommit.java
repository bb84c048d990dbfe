package io.lorafab.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Group commit on a {@link Database}: work from concurrent callers runs on one writer thread, as many pieces
 * as are waiting (up to {@code maxBatch}) in one transaction, each behind a savepoint so that one failure
 * undoes only its own changes. A caller returns only after the transaction holding its work has committed.
 */
public final class GroupCommit implements AutoCloseable {

    private record Pending<T>(Database.SqlWork<T> work, CompletableFuture<T> done) {
    }

    private final Database db;
    private final int maxBatch;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong batches = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong pieces = new java.util.concurrent.atomic.AtomicLong();

    /** Transactions committed and pieces of work they carried, for load tools. */
    public long[] stats() {
        return new long[] {batches.get(), pieces.get()};
    }

    public GroupCommit(Database db, int maxBatch, String name) {
        this.db = db;
        this.maxBatch = maxBatch;
        this.writer = new Thread(this::loop, name);
        writer.setDaemon(true);
        writer.start();
    }

    /** Runs {@code work} in the next batch; returns its result once committed, or rethrows its failure. */
    public <T> T run(Database.SqlWork<T> work) {
        if (closed) {
            throw new IllegalStateException("group commit closed");
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        queue.add(new Pending<>(work, f));
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for commit", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof SQLException s) {
                throw Sql.translate(s);
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, maxBatch - 1);
                commit(batch);
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending<?>> batch) {
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        batches.incrementAndGet();
        pieces.addAndGet(batch.size());
        try {
            db.tx(c -> {
                for (int i = 0; i < batch.size(); i++) {
                    Savepoint sp = c.setSavepoint();
                    try {
                        results[i] = batch.get(i).work().run(c);
                        c.releaseSavepoint(sp);
                    } catch (SQLException | RuntimeException e) {
                        c.rollback(sp);
                        failures[i] = e;
                    }
                }
                return null;
            });
        } catch (Throwable e) {
            // The transaction failed as a whole (commit refused, connection lost, or an Error in a piece):
            // every caller of the batch learns it, and the writer thread lives on for the next batch.
            for (Pending<?> p : batch) {
                p.done().completeExceptionally(e);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results[i], failures[i]);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> p, Object result, Throwable failure) {
        if (failure != null) {
            p.done().completeExceptionally(failure);
        } else {
            p.done().complete((T) result);
        }
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
    }
}
