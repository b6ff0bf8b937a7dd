/** Readiness, loading and draining: drives the model registry through start-up, hot reload and shutdown, and reports it as health. */
package org.dldlage.app.lifecycle;
