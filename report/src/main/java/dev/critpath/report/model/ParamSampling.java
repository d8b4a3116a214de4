package dev.critpath.report.model;

/** How one query parameter was drawn, e.g. conversation_id = sample(conversations.id, zipf 1.1). */
public record ParamSampling(String name, String sampling) {}
