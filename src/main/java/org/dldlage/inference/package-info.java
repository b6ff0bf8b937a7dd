/**
 * Age estimation as a service: the photo-to-ages pipeline, the loaded model's runtime and the
 * generic micro-batcher in front of its forward pass. No HTTP or Spring here.
 */
package org.dldlage.inference;
