/** Process-wide settings: the DJL engine's environment and the service's typed configuration. */
package org.dldlage.app;
