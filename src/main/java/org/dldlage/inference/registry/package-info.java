/** The served models: bundle sources, loading, hot reload, leases and retirement. */
package org.dldlage.inference.registry;
