package io.brook.http.api;

/**
 * An expected failure of an API call that becomes an error reply with its own status (400 bad input, 404 unknown
 * topic or group, 409 conflict, 503 cluster not answering). Thrown by routes, turned into a reply by
 * {@link ApiErrors#guard}.
 */
public final class ApiProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public ApiProblem(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiProblem badRequest(String message) {
        return new ApiProblem(400, message);
    }

    public static ApiProblem notFound(String message) {
        return new ApiProblem(404, message);
    }

    public static ApiProblem conflict(String message) {
        return new ApiProblem(409, message);
    }
}
