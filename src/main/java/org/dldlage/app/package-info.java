/**
 * The wiring: the service's typed settings ({@link org.dldlage.app.AgeProperties}, every {@code age.*}
 * setting's one home), the beans and the counters registered at start-up ({@link org.dldlage.app.ServiceConfiguration}),
 * with {@code lifecycle} (loading, readiness, drain), {@code engine} (PyTorch's settings), {@code startup}
 * (one-line failures) and {@code tools} (the model tools' profile runners). The only part besides {@code api}
 * that knows Spring.
 */
package org.dldlage.app;
