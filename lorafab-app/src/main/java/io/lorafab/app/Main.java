package io.lorafab.app;

import io.lorafab.app.cli.LorafabCommand;

/** Entry point of the lorafab fat jar. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(LorafabCommand.run(args, System.in, System.out, System.err));
    }
}
