package org.dldlage.api;

import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An RFC 7807 failure with a stable {@link ErrorCode}. */
class ApiProblem extends ErrorResponseException {

    private final ErrorCode code;

    ApiProblem(ErrorCode code, String detail) {
        super(code.status(), problem(code, detail), null);
        this.code = code;
    }

    ErrorCode code() {
        return code;
    }

    static ProblemDetail problem(ErrorCode code, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(code.status(), detail);
        p.setType(code.type());
        p.setTitle(code.title());
        p.setProperty("code", code.code());
        return p;
    }
}
