/**
 * The DLDL-v2 networks: ThinAgeNet and TinyAgeNet as DJL blocks (Table 1), with hybrid pooling, each
 * starting with the input block that normalises RGB faces as its bundle says.
 */
package org.dldlage.model.net;
