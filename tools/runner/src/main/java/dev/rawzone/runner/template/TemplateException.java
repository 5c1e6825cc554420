package dev.rawzone.runner.template;

/** The template cannot be read, or asks for something the runner cannot resolve locally; the message is one line. */
public final class TemplateException extends RuntimeException {
    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
