package dev.critpath.report.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.run.Section;
import java.util.List;

/** Notes from the "stageErrors" and "doctor" sections. */
final class StageNotesReader {
  private StageNotesReader() {}

  /** Stages that broke and doctor problems: a report must not hide why numbers are missing. */
  static void notes(JsonNode sections, List<String> notes) {
    for (JsonNode e : J.list(sections.get(Section.STAGE_ERRORS.key()), "stage")) {
      notes.add("stage " + J.str(e, "stage") + " broke: " + J.str(e, "message"));
    }
    for (JsonNode c : J.list(sections.get(Section.DOCTOR.key()), "name")) {
      String status = J.str(c, "status");
      if (status != null && !status.equalsIgnoreCase("OK")) {
        String fix = J.str(c, "fix");
        notes.add(
            "doctor "
                + status
                + " "
                + J.str(c, "name")
                + ": "
                + J.str(c, "detail")
                + (fix == null || fix.isBlank() ? "" : " (fix: " + fix + ")"));
      }
    }
  }
}
