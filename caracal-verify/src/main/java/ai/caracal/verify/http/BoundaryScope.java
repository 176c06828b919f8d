package ai.caracal.verify.http;

/**
 * The request context a connector holds open around the application (see
 * {@link HttpBoundary#enter(BoundaryDecision)}); closing it restores what was current before, on the same
 * thread. Never throws.
 */
public interface BoundaryScope extends AutoCloseable {

    /** Nothing was changed. */
    BoundaryScope NONE = () -> {
    };

    @Override
    void close();
}
