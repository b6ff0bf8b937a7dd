/**
 * The DLDL-v2 method's mathematics: label spaces, label-distribution and ranking encodings, and
 * streaming metrics. Plain Java, no deep-learning engine and no framework.
 */
package org.dldlage.core;
