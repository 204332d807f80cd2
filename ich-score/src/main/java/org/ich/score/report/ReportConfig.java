package org.ich.score.report;

import java.net.URI;

import org.ich.config.CommonConfig;
import org.ich.config.Settings;

/**
 * Typed settings of {@code ich report} (section {@code ich.report} of conf/application.conf).
 *
 * @param out     folder under which each run's report gets its own folder, {@code <out>/<run id>/index.html}
 * @param runId   the scoring run to report on, or null for the latest one
 * @param studies how many studies, highest triage rank first
 */
public record ReportConfig(CommonConfig common, URI out, String runId, int studies) {

    public static ReportConfig from(Settings s) {
        return new ReportConfig(CommonConfig.from(s), s.storageUri("ich.report.out"), s.optionalString("ich.report.run-id"),
                s.integer("ich.report.studies", 1, 1000));
    }
}
