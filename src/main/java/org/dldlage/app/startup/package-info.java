/** A failed start-up as one line: the failure analyzer, its reporter and the exception the wiring throws. */
package org.dldlage.app.startup;
