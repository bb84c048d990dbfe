package io.lorafab.console;

/** A console route's handler: reads the request through its {@link ConsoleContext} and renders or redirects. */
@FunctionalInterface
public interface ConsolePage {
    void handle(ConsoleContext c) throws Exception;
}
