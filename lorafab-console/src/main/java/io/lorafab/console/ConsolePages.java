package io.lorafab.console;

/**
 * A group of console pages: registers its routes, each with the least role it needs. {@link Console} lists the
 * groups; a new page is a class implementing this plus a line there.
 */
@FunctionalInterface
public interface ConsolePages {
    void register(ConsoleRoutes routes);
}
