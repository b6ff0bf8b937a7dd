/**
 * The model tools' profiles ({@code trainer}, {@code evaluate}, {@code study}, {@code report},
 * {@code agecheck}): each binds its options from the command line and runs its command from
 * {@code org.dldlage.train}, which knows nothing of Spring.
 */
package org.dldlage.app.tools;
