package dev.rawzone.core.pull;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body as the bytes received, up to a cap. Nothing blocks on it: the response's future
 * completes when the body has ended, so the caller bounds the whole response (headers and body) with one timed
 * wait and {@link #abort}s on timeout, which cancels the subscription and so closes the connection. A body over
 * the cap is cut as soon as it passes it.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    /** The body passed the cap; what was received is dropped. */
    static final class TooLargeException extends Exception {
        TooLargeException(int cap) {
            super("larger than " + cap + " bytes", null, false, false);
        }
    }

    private final int cap;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Flow.Subscription subscription;
    private volatile boolean aborted;

    CappedBody(int cap) {
        this.cap = cap;
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (aborted) {
            subscription.cancel();
        } else {
            subscription.request(Long.MAX_VALUE);
        }
    }

    @Override
    public synchronized void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            if (bytes.size() + buffer.remaining() > cap) {
                subscription.cancel();
                result.completeExceptionally(new TooLargeException(cap));
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            bytes.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public synchronized void onComplete() {
        result.complete(bytes.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    /** Bytes received so far (for a message about a body that did not end in time). */
    synchronized int received() {
        return bytes.size();
    }

    /** Stops reading: the connection is closed and the body future fails. */
    void abort() {
        aborted = true;
        Flow.Subscription current;
        synchronized (this) {
            current = subscription;
        }
        if (current != null) {
            current.cancel();
        }
        result.cancel(false);
    }
}
