package io.lorafab.station.image;

import io.lorafab.station.process.CommandTemplate;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An external flasher run on a patched image: a command template whose {@code {image}} placeholder becomes
 * the image path, split into arguments like a shell would split on whitespace (double quotes keep spaces),
 * without a shell. For example {@code openocd -f board.cfg -c "program {image} verify reset exit"} or
 * {@code STM32_Programmer_CLI -c port=SWD -w {image} -v -rst}. Other placeholders (the station offers
 * {@code {devEui}} and {@code {serial}}) are replaced by the values given to {@link #run(Path, Map)}; keys are
 * never among them, they travel in the image only. The exit code and the last 64 KiB of output are kept for
 * the test record; a flasher that outlives its timeout is killed, with any processes it started.
 */
public record FlasherCommand(String template, Duration timeout) {

    private CommandTemplate command() {
        return new CommandTemplate(template, "image", timeout);
    }

    /** The argument list for {@code image}. */
    public List<String> arguments(Path image) {
        return arguments(image, Map.of());
    }

    /** The argument list for {@code image}, with each {@code {name}} of {@code values} replaced by its value. */
    public List<String> arguments(Path image, Map<String, String> values) {
        try {
            return command().arguments(withImage(image, values));
        } catch (CommandTemplate.InvalidTemplateException e) {
            throw new ImageFormatException("flasher command: " + e.getMessage());
        }
    }

    public CommandTemplate.Result run(Path image) throws IOException, InterruptedException {
        return run(image, Map.of());
    }

    /** Runs the flasher on {@code image}; {@code values} fill the template's other placeholders. */
    public CommandTemplate.Result run(Path image, Map<String, String> values) throws IOException, InterruptedException {
        arguments(image, values);
        return command().run(withImage(image, values));
    }

    private static Map<String, String> withImage(Path image, Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.put("image", image.toString());
        return all;
    }
}
