/**
 * The training loop ({@code trainer} profile): Adam, the epochs with their validation, a checkpoint
 * after each, and the bundle's manifest.
 */
package org.dldlage.train.loop;
