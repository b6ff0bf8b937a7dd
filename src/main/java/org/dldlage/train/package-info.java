/**
 * The {@code trainer} and {@code evaluate} profiles: reading labelled face folders, the authors'
 * augmentation, the training loop with checkpoints, evaluation reports and publishing bundles.
 */
package org.dldlage.train;
