package io.lorafab.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.store.jdbc.Database;
import io.lorafab.store.jdbc.GroupCommit;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit: a failing piece undoes only itself, and nothing stops the writer. */
class GroupCommitTest {

    @TempDir
    Path dir;

    @Test
    void piecesShareTransactionsButFailAlone() throws Exception {
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("g.db")); GroupCommit gc = new GroupCommit(db, 16, "test-commit")) {
            db.tx(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)");
                }
                return null;
            });
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int k = i;
                results.add(pool.submit(() -> {
                    try {
                        return gc.run(c -> {
                            try (PreparedStatement p = c.prepareStatement("INSERT INTO t (k) VALUES (?)")) {
                                p.setInt(1, k);
                                p.executeUpdate();
                            }
                            if (k % 10 == 0) {
                                throw new IllegalStateException("refused " + k);
                            }
                            if (k == 55) {
                                throw new AssertionError("an Error inside a piece");
                            }
                            return "ok";
                        });
                    } catch (IllegalStateException | AssertionError e) {
                        return "failed";
                    }
                }));
            }
            int ok = 0;
            for (Future<String> f : results) {
                ok += f.get().equals("ok") ? 1 : 0;
            }
            pool.shutdown();
            long rows = db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t WHERE k % 10 <> 0")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            long refusedRows = db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t WHERE k % 10 = 0")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(refusedRows).isZero();
            assertThat(rows).isEqualTo(ok);
            assertThat(ok).isGreaterThanOrEqualTo(170); // 180 good pieces, minus those in the batch the Error took down
            assertThat(gc.stats()[1]).isEqualTo(200);
            String still = gc.run(c -> "still running");
            assertThat(still).isEqualTo("still running");
            assertThatThrownBy(() -> gc.run(c -> {
                throw new IllegalArgumentException("plain failure");
            })).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anAsyncPieceCompletesOnceCommittedAndItsFailureStaysItsOwn() throws Exception {
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("a.db")); GroupCommit gc = new GroupCommit(db, 16, "test-commit")) {
            gc.run(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE t (v INTEGER PRIMARY KEY)");
                }
                return null;
            });
            java.util.concurrent.CompletableFuture<Integer> ok = gc.runAsync(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("INSERT INTO t VALUES (1)");
                }
            });
            java.util.concurrent.CompletableFuture<Integer> dup = gc.runAsync(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("INSERT INTO t VALUES (1)");
                }
            });
            assertThat(ok.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(dup).failsWithin(java.time.Duration.ofSeconds(10));
            // completed means committed: another connection sees the row
            try (Database other = Database.open("jdbc:sqlite:" + dir.resolve("a.db"))) {
                int rows = other.tx(c -> {
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
                        rs.next();
                        return rs.getInt(1);
                    }
                });
                assertThat(rows).isEqualTo(1);
            }
        }
    }

    @Test
    void requestsForOneBatchWorkAreServedTogetherAndAFailingCallFailsOnlyThem() throws Exception {
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("b.db")); GroupCommit gc = new GroupCommit(db, 64, "test-commit")) {
            db.tx(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)");
                }
                return null;
            });
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            GroupCommit.BatchWork<Integer, String> insertAll = (c, keys) -> {
                calls.incrementAndGet();
                List<String> out = new ArrayList<>();
                for (int k : keys) {
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO t (k) VALUES (?)")) {
                        p.setInt(1, k);
                        p.executeUpdate();
                    }
                    out.add("ok " + k);
                }
                if (keys.contains(-1)) {
                    throw new IllegalStateException("refused as a whole");
                }
                return out;
            };
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int k = i;
                results.add(pool.submit(() -> gc.submit(insertAll, k)));
            }
            for (int i = 0; i < 200; i++) {
                assertThat(results.get(i).get()).isEqualTo("ok " + i);
            }
            pool.shutdown();
            assertThat(calls.get()).isLessThanOrEqualTo((int) gc.stats()[0]);
            assertThatThrownBy(() -> gc.submit(insertAll, -1)).hasMessage("refused as a whole");
            String still = gc.run(c -> "still running");
            assertThat(still).isEqualTo("still running");
            long rows = db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(rows).isEqualTo(200);
        }
    }
}
