package org.dldlage.train.loop;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on stderr: redrawn each second on a terminal, a line every 30 s into a log file. */
final class Progress {

    private Progress() {}

    static ProgressBar bar(String task, long max) {
        boolean terminal = System.console() != null;
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .setUnit(" img", 1)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(terminal ? 1000 : 30_000)
                .setConsumer(terminal ? new ConsoleProgressBarConsumer(System.err)
                        : new ConsoleProgressBarConsumer(System.err, 100) {
                            private String last;

                            @Override
                            public void accept(String rendered) {
                                // the bar renders its final state twice when it closes: one line is enough in a log
                                String line = rendered.strip();
                                if (!line.equals(last)) {
                                    System.err.println(line);
                                }
                                last = line;
                            }
                        })
                .build();
    }
}
