package dev.critpath.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.io.Json;
import org.junit.jupiter.api.Test;

class PlanFingerprintTest {
  private static JsonNode plan(String json) throws Exception {
    return Json.mapper().readTree(json.replace('\'', '"'));
  }

  @Test
  void costsRowsAndTimesDoNotChangeIt() throws Exception {
    String a =
        PlanFingerprint.of(
            plan(
                "{'Node Type':'Limit','Total Cost':1.5,'Actual Rows':50,'Plans':[{'Node Type':"
                    + "'Index Scan','Index Name':'i','Relation Name':'t','Actual Total Time':0.2}]}"));
    String b =
        PlanFingerprint.of(
            plan(
                "{'Node Type':'Limit','Total Cost':900,'Actual Rows':3,'Plans':[{'Node Type':"
                    + "'Index Scan','Index Name':'i','Relation Name':'t','Actual Total Time':80}]}"));
    assertThat(a).isEqualTo(b).hasSize(16);
  }

  @Test
  void anotherIndexOrNodeOrderIsAnotherPlan() throws Exception {
    String base =
        PlanFingerprint.of(
            plan(
                "{'Node Type':'Hash Join','Plans':[{'Node Type':'Seq Scan','Relation Name':'a'},"
                    + "{'Node Type':'Index Scan','Index Name':'i','Relation Name':'b'}]}"));
    String otherIndex =
        PlanFingerprint.of(
            plan(
                "{'Node Type':'Hash Join','Plans':[{'Node Type':'Seq Scan','Relation Name':'a'},"
                    + "{'Node Type':'Index Scan','Index Name':'j','Relation Name':'b'}]}"));
    String swapped =
        PlanFingerprint.of(
            plan(
                "{'Node Type':'Hash Join','Plans':[{'Node Type':'Index Scan','Index Name':'i',"
                    + "'Relation Name':'b'},{'Node Type':'Seq Scan','Relation Name':'a'}]}"));
    assertThat(otherIndex).isNotEqualTo(base);
    assertThat(swapped).isNotEqualTo(base);
  }

  @Test
  void initPlanOutputParametersAreNotPartOfTheShape() throws Exception {
    String pg15 =
        PlanFingerprint.of(plan("{'Node Type':'Result','Subplan Name':'InitPlan 1 (returns $0)'}"));
    String pg17 = PlanFingerprint.of(plan("{'Node Type':'Result','Subplan Name':'InitPlan 1'}"));
    assertThat(pg15).isEqualTo(pg17);
  }
}
