package dev.rawzone.core.event;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.InputStream;
import java.util.List;

/**
 * Implemented by handlers so that a dry run can say what an event asks for (one entry per object or record,
 * each saying {@code ingest} or {@code ignore} with the reason) without touching storage.
 */
public interface EventPlanner {
    List<ObjectNode> plan(InputStream event);
}
