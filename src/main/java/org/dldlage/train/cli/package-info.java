/**
 * The model tools' options ({@code --train.*}, {@code --eval.*}, {@code --report.*}, {@code --agecheck.*},
 * {@code --study.*}) as plain records: defaults filled in by each record, constraints as jakarta.validation
 * annotations, checks the annotations cannot state as {@code check()}.
 */
package org.dldlage.train.cli;
