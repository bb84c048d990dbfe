package io.lorafab.console;

import io.lorafab.api.model.ReasonView;
import io.lorafab.api.model.StationActivity;
import io.lorafab.provisioning.service.StationSteps;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a station's screen shows, decided from the station's activity ({@code LineReports.stationActivity}) and the
 * step it last reported ({@link StationSteps}, empty after a restart): the big panel (PASS, FAIL, station fault,
 * in progress, or ready), the step strip, the last units and the shift's counts. Pure: the template only prints it.
 */
public record StationScreen(String stationId, String shiftSince, Panel panel, List<StepCell> steps, List<Row> lastUnits,
        long passed, long failed, long stationFaults, String unitsPerHour, String updatedAt, List<PositionCell> positions) {

    /**
     * One position of a multi-up fixture: {@code kind} pass, fail, fault or busy (the CSS class), {@code word} PASS, FAIL,
     * STATION FAULT or the step under way; its unit's DevEUI (null before the reservation); the reason of a FAIL.
     */
    public record PositionCell(int position, String kind, String word, String devEui, String reasonWords) {
    }

    /** {@code kind}: pass, fail, fault, busy or idle (the CSS class); {@code word} the giant word. */
    public record Panel(String kind, String word, String devEui, String serial, String reasonWords, String actionWords) {
    }

    /** {@code state}: done, current or todo. */
    public record StepCell(String label, String state) {
    }

    public record Row(String devEui, String serial, String kind, String result, String reasonWords, String actionWords,
            String at) {
    }

    private static final List<String> LABELS = List.of("Reserve", "Program", "Read back", "Join", "Uplink", "Downlink", "Certify",
            "Finish");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    public static StationScreen of(StationActivity a, Optional<StationSteps.Step> reported) {
        return of(a, reported, java.util.Collections.emptySortedMap());
    }

    /**
     * With the latest step of each position of a multi-up fixture ({@link StationSteps#positions}): a cell per position,
     * its unit's verdict once that unit's test run is recorded, else the step it is at.
     */
    public static StationScreen of(StationActivity a, Optional<StationSteps.Step> reported,
            java.util.SortedMap<Integer, StationSteps.Step> byPosition) {
        StationActivity.Current cur = a.current();
        StationActivity.RecentRun last = a.lastUnits().isEmpty() ? null : a.lastUnits().get(0);
        Instant lastAt = last == null ? null : Instant.parse(last.at());
        StationSteps.Step step = reported.orElse(null);
        boolean steppedSinceLast = step != null && (lastAt == null || step.at().isAfter(lastAt));

        Panel panel;
        int stepIndex; // -1: no unit under way (every cell done after a verdict, todo when idle)
        if (cur != null && !(last != null && last.result().equals("STATION_FAULT") && last.devEui().equals(cur.devEui())
                && !steppedSinceLast)) {
            int derived = StationSteps.STEPS.indexOf(cur.step());
            int said = step != null && step.devEui() != null && step.devEui().toString().equals(cur.devEui())
                    ? StationSteps.STEPS.indexOf(step.step()) : -1;
            stepIndex = Math.max(derived, said);
            panel = new Panel("busy", "IN PROGRESS", cur.devEui(), cur.serial(), LABELS.get(Math.max(stepIndex, 0)), null);
        } else if (cur == null && step != null && step.step().equals("reserve") && steppedSinceLast) {
            stepIndex = 0;
            panel = new Panel("busy", "IN PROGRESS", null, null, LABELS.get(0), null);
        } else if (last != null) {
            stepIndex = -1;
            panel = switch (last.result()) {
                case "PASSED" -> new Panel("pass", "PASS", last.devEui(), last.serial(), null, null);
                case "STATION_FAULT" -> new Panel("fault", "STATION FAULT", last.devEui(), last.serial(),
                        reasonWords(last.reason()), actionWords(last.reason()));
                default -> new Panel("fail", "FAIL", last.devEui(), last.serial(), reasonWords(last.reason()),
                        actionWords(last.reason()));
            };
        } else {
            stepIndex = -2;
            panel = new Panel("idle", "READY", null, null, "waiting for the first unit", null);
        }
        List<StepCell> cells = new ArrayList<>();
        for (int i = 0; i < LABELS.size(); i++) {
            String state = stepIndex == -1 ? "done" : stepIndex == -2 ? "todo" : i < stepIndex ? "done" : i == stepIndex ? "current" : "todo";
            cells.add(new StepCell(LABELS.get(i), state));
        }
        List<Row> rows = a.lastUnits().stream().map(r -> new Row(r.devEui(), r.serial(), kind(r.result()), word(r.result()),
                reasonWords(r.reason()), actionWords(r.reason()), TIME.format(Instant.parse(r.at())))).toList();
        return new StationScreen(a.stationId(), DAY_TIME.format(Instant.parse(a.since())), panel, cells, rows,
                a.counts().passed(), a.counts().failed(), a.counts().stationFaults(),
                a.unitsPerHour() == null ? "–" : String.format(Locale.ROOT, "%.1f", a.unitsPerHour()),
                TIME.format(Instant.parse(a.at())), positionCells(a, byPosition));
    }

    private static List<PositionCell> positionCells(StationActivity a, java.util.SortedMap<Integer, StationSteps.Step> byPosition) {
        List<PositionCell> cells = new ArrayList<>();
        byPosition.forEach((position, step) -> {
            String devEui = step.devEui() == null ? null : step.devEui().toString();
            // the unit's verdict, once its run is recorded at or after the step reported for it
            StationActivity.RecentRun run = devEui == null ? null : a.lastUnits().stream()
                    .filter(r -> r.devEui().equals(devEui) && !Instant.parse(r.at()).isBefore(step.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
                    .findFirst().orElse(null);
            if (run != null) {
                cells.add(new PositionCell(position, kind(run.result()), word(run.result()), devEui,
                        run.result().equals("PASSED") ? null : reasonWords(run.reason())));
            } else {
                int i = StationSteps.STEPS.indexOf(step.step());
                cells.add(new PositionCell(position, "busy", LABELS.get(Math.max(i, 0)), devEui, null));
            }
        });
        return cells;
    }

    private static String kind(String result) {
        return switch (result) {
            case "PASSED" -> "pass";
            case "STATION_FAULT" -> "fault";
            default -> "fail";
        };
    }

    private static String word(String result) {
        return switch (result) {
            case "PASSED" -> "PASS";
            case "STATION_FAULT" -> "STATION FAULT";
            default -> "FAIL";
        };
    }

    private static String reasonWords(ReasonView r) {
        return r == null ? null : r.words();
    }

    private static String actionWords(ReasonView r) {
        return r == null ? null : r.actionWords();
    }
}
