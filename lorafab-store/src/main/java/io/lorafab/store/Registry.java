package io.lorafab.store;

import java.util.function.Function;

/**
 * The device registry: the stores of every aggregate (products, EUI blocks, work orders, units with their wrapped
 * keys and test runs, the audit log, API tokens, KEK labels and web console sessions, and the reports' read-only
 * figures) on one database, and the transaction that spans
 * them. A caller that needs one aggregate depends on its store interface ({@link UnitStore}, {@link AuditLog}, ...)
 * and is given the registry, which is each of them; {@link #transaction} makes several calls, on any of the
 * stores, one transaction (all committed together or none). Failures are {@link StoreException}s with stable codes.
 */
public interface Registry extends ProductStore, EuiBlockStore, WorkOrderStore, UnitStore, TestRunStore, AuditLog,
        TokenStore, KekStore, WrappedKeyStore, ConsoleSessionStore, ReportStore, ChipIdentityStore,
        AutoCloseable {

    /** Runs {@code work} against this registry in one transaction. Nested calls join the outer transaction. */
    <T> T transaction(Function<Registry, T> work);

    /** Group-commit transactions of {@link #reserveUnit} so far and the reservations they carried. */
    long[] groupCommitStats();

    @Override
    void close();
}
