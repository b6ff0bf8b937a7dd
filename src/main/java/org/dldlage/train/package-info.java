/**
 * The model tools' work (the {@code trainer}, {@code evaluate}, {@code study}, {@code report} and
 * {@code agecheck} profiles), without Spring: their runners are in {@code app.tools}. Sub-packages, each
 * using only those before it: {@link org.dldlage.train.cli} (options), {@link org.dldlage.train.data}
 * (labelled faces, detection cache, augmentation), {@link org.dldlage.train.report} (evaluation and
 * reports), {@link org.dldlage.train.loop} (training with checkpoints), {@link org.dldlage.train.study}
 * (the ablation study).
 */
package org.dldlage.train;
