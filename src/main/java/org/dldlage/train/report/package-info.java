/**
 * Scoring bundles and what is written about them: evaluation, a training run's report.md, metrics.json
 * and curve, the per-set bundle report with its calibration ({@code report} profile), the
 * {@code evaluate} profile and the age-check report ({@code agecheck} profile).
 */
package org.dldlage.train.report;
