/** The micro-batcher in front of a model's forward pass and its batch-size tuning. */
package org.dldlage.inference.batch;
