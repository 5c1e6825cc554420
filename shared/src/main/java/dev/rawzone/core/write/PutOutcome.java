package dev.rawzone.core.write;

/** The result of a conditional write: this call created the object, or an object already had the key. */
public enum PutOutcome {
    CREATED,
    ALREADY_EXISTS
}
