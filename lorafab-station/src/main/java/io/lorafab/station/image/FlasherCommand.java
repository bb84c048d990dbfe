package io.lorafab.station.image;

import io.lorafab.station.process.CommandTemplate;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An external flasher run on a patched image: a command template whose {@code {image}} placeholder becomes
 * the image path, split into arguments like a shell would split on whitespace (double quotes keep spaces),
 * without a shell. For example {@code openocd -f board.cfg -c "program {image} verify reset exit"} or
 * {@code STM32_Programmer_CLI -c port=SWD -w {image} -v -rst}. The exit code and the last 64 KiB of output are
 * kept for the test record; a flasher that outlives its timeout is killed.
 */
public record FlasherCommand(String template, Duration timeout) {

    private CommandTemplate command() {
        return new CommandTemplate(template, "image", timeout);
    }

    /** The argument list for {@code image}. */
    public List<String> arguments(Path image) {
        try {
            return command().arguments(Map.of("image", image.toString()));
        } catch (CommandTemplate.InvalidTemplateException e) {
            throw new ImageFormatException("flasher command: " + e.getMessage());
        }
    }

    /** Runs the flasher on {@code image}: exit code, the end of its output, and whether it was killed. */
    public CommandTemplate.Result run(Path image) throws IOException, InterruptedException {
        arguments(image);
        return command().run(Map.of("image", image.toString()));
    }
}
