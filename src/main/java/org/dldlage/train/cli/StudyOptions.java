package org.dldlage.train.cli;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;

/**
 * The study profile's options ({@code --study.*}).
 *
 * @param plan the study's YAML plan
 */
public record StudyOptions(@NotNull Path plan) {}
