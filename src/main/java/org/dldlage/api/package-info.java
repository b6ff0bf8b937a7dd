/**
 * The HTTP API: {@code POST /v1/age}, {@code GET /v1/models}, RFC 7807 errors with stable codes,
 * request metrics and the OpenAPI description. Depends on {@code inference}.
 */
package org.dldlage.api;
