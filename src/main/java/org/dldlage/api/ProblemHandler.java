package org.dldlage.api;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.stream.Collectors;
import org.dldlage.inference.AlignUnavailableException;
import org.dldlage.inference.BatchRejectedException;
import org.dldlage.inference.DeadlineExceededException;
import org.dldlage.inference.ImageRejectedException;
import org.dldlage.inference.InferenceException;
import org.dldlage.inference.InvalidOptionException;
import org.dldlage.inference.EstimationFailedException;
import org.dldlage.inference.ModelFailedException;
import org.dldlage.inference.NotReadyException;
import org.dldlage.inference.UnknownModelException;
import org.dldlage.inference.WorkerDiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.BindException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every failure as {@code application/problem+json} with {@code type}, {@code title},
 * {@code status}, {@code detail} and a stable {@code code}, counted in {@code age.errors{code}}.
 * Stack traces are logged only for unexpected failures, never sent.
 */
@RestControllerAdvice
@WhenServing
class ProblemHandler extends ResponseEntityExceptionHandler {

    /** Request attribute holding the failure's code, read by {@link RequestMetricsFilter}. */
    static final String OUTCOME = ProblemHandler.class.getName() + ".outcome";

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final MeterRegistry registry;
    private final String retryAfter;

    ProblemHandler(MeterRegistry registry, ApiLimits limits) {
        this.registry = registry;
        this.retryAfter = limits.retryAfter();
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<Object> apiProblem(ApiProblem e, NativeWebRequest request) {
        return respond(e.code(), e.getBody().getDetail(), new HttpHeaders(), request);
    }

    /** Every way the pipeline refuses a request, each with its stable code; Retry-After where retrying helps. */
    @ExceptionHandler(InferenceException.class)
    ResponseEntity<Object> inference(InferenceException e, NativeWebRequest request) {
        if (e instanceof EstimationFailedException failed) {
            return failed(failed, request);
        }
        HttpHeaders headers = new HttpHeaders();
        boolean retry = e instanceof BatchRejectedException || e instanceof NotReadyException
                || e instanceof WorkerDiedException w && w.restarting(); // the same code as a failed load while it restarts
        if (retry) {
            headers.set(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        ResponseEntity<Object> r = respond(code(e), e.getMessage(), headers, request);
        if (e instanceof UnknownModelException unknown) { // the served names, so a client can correct itself
            ((ProblemDetail) r.getBody()).setProperty("models", unknown.available());
        }
        return r;
    }

    private static ErrorCode code(InferenceException e) {
        if (e instanceof ImageRejectedException image) {
            return ErrorCode.forImage(image.reason());
        } else if (e instanceof BatchRejectedException rejected) {
            return rejected.reason() == BatchRejectedException.Reason.QUEUE_FULL ? ErrorCode.OVERLOADED : ErrorCode.DRAINING;
        } else if (e instanceof NotReadyException notReady) {
            return notReady.draining() ? ErrorCode.DRAINING : ErrorCode.NOT_READY;
        } else if (e instanceof InvalidOptionException) {
            return ErrorCode.INVALID_PARAMETER;
        } else if (e instanceof UnknownModelException) {
            return ErrorCode.UNKNOWN_MODEL;
        } else if (e instanceof ModelFailedException || e instanceof WorkerDiedException) {
            return ErrorCode.MODEL_FAILED;
        } else if (e instanceof DeadlineExceededException) {
            return ErrorCode.DEADLINE_EXCEEDED;
        } else if (e instanceof AlignUnavailableException) {
            return ErrorCode.ALIGN_UNAVAILABLE;
        }
        return ErrorCode.INTERNAL_ERROR;
    }

    private ResponseEntity<Object> failed(EstimationFailedException e, NativeWebRequest request) {
        log.error("Estimation failed", e.getCause());
        return respond(ErrorCode.INTERNAL_ERROR, e.getMessage(), new HttpHeaders(), request);
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Object> multipart(MultipartException e, NativeWebRequest request) {
        if (e instanceof MaxUploadSizeExceededException) {
            return respond(ErrorCode.IMAGE_TOO_LARGE, "the upload is larger than the limit", new HttpHeaders(), request);
        }
        return respond(ErrorCode.BAD_REQUEST, "the multipart body cannot be read", new HttpHeaders(), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, NativeWebRequest request) {
        if (e instanceof ErrorResponse r) { // the framework's own errors
            return handleExceptionInternal(e, r.getBody(), r.getHeaders(), r.getStatusCode(), request);
        }
        log.error("Unexpected failure", e);
        return respond(ErrorCode.INTERNAL_ERROR, "an unexpected error occurred", new HttpHeaders(), request);
    }

    /** The framework's errors (415, 405, binding, ...): re-coded, and binding errors turned into 422. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ErrorCode code = ErrorCode.forStatus(status.value());
        String detail = body instanceof ProblemDetail p ? p.getDetail() : ex.getMessage();
        if (ex instanceof BindException b) {
            code = ErrorCode.INVALID_PARAMETER;
            detail = b.getFieldErrors().stream().map(ProblemHandler::describe).collect(Collectors.joining("; "));
        } else if (ex instanceof MethodArgumentTypeMismatchException m) {
            code = ErrorCode.INVALID_PARAMETER;
            detail = m.getName() + ": '" + m.getValue() + "' is not a valid value";
        } else if (ex instanceof HandlerMethodValidationException) {
            code = ErrorCode.INVALID_PARAMETER;
        } else if (ex instanceof MissingServletRequestPartException || ex instanceof MissingServletRequestParameterException) {
            code = ErrorCode.IMAGE_MISSING;
            detail = "send the photo as the multipart part 'image', or as the raw body with Content-Type " + ImageTypes.WORDS;
        } else if (ex instanceof HttpMediaTypeNotSupportedException m) {
            detail = ImageTypes.unsupported(m.getContentType());
        }
        HttpHeaders copy = new HttpHeaders();
        if (headers != null) {
            copy.putAll(headers);
        }
        return respond(code, detail, copy, request);
    }

    /** {@code age.errors{code}}: a failed request, or a failed image of a batch. */
    static void count(MeterRegistry registry, ErrorCode code) {
        ApiMeters.errors(registry, code).increment();
    }

    private static String describe(FieldError e) {
        if (e.isBindingFailure()) {
            return e.getField() + ": '" + e.getRejectedValue() + "' is not a valid value";
        }
        return e.getField() + ": " + e.getDefaultMessage();
    }

    private ResponseEntity<Object> respond(ErrorCode code, String detail, HttpHeaders headers, WebRequest request) {
        ProblemDetail problem = ApiProblem.problem(code, detail);
        if (request instanceof NativeWebRequest n && n.getNativeRequest() instanceof HttpServletRequest http) {
            problem.setInstance(URI.create(http.getRequestURI()));
            http.setAttribute(OUTCOME, code.code());
        }
        count(registry, code);
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return ResponseEntity.status(code.status()).headers(headers).body(problem);
    }
}
