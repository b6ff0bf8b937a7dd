/** The training methods of the paper's Table 3 (DLDL, DLDL-v2, ranking, regression, DEX): targets, losses and read-outs. */
package org.dldlage.model.method;
