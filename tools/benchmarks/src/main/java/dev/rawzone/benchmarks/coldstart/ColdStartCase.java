package dev.rawzone.benchmarks.coldstart;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One function to start cold: its code (jars or directories, as the harness's {@code --code}), handler, the sample
 * event it handles, the variables template.yaml gives it and its {@code JAVA_TOOL_OPTIONS}.
 */
record ColdStartCase(String name, List<Path> code, String handler, Path event, Map<String, String> variables,
                     String javaToolOptions, int memoryMb) {
}
