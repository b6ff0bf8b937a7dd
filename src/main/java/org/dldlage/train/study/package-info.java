/** The ablation study ({@code study} profile): a YAML plan of trainer configurations, run and reported. */
package org.dldlage.train.study;
