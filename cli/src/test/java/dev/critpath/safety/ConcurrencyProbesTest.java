package dev.critpath.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.Database;
import dev.critpath.db.TableChecksums;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConcurrencyProbesTest {

  @Test
  void probesHoldOnTheReferenceSchemaAndLeaveNoRowsBehind() throws Exception {
    try (Database db = TestDatabases.migrated("probes")) {
      Map<String, TableChecksums.TableState> before;
      try (Connection c = db.connect()) {
        before = TableChecksums.snapshot(c, List.of("public"));
      }
      List<Invariant> invariants = ConcurrencyProbes.run(db);
      assertThat(invariants)
          .hasSize(4)
          .allSatisfy(inv -> assertThat(inv.held()).as(inv.evidence()).isTrue());
      assertThat(invariants.get(0).evidence())
          .contains("1 redeemed", "15 refused cleanly", "1 redemption row");
      assertThat(invariants.get(3).evidence())
          .contains("16 concurrent calls with one key", "1 issued, 15 replayed, 100 voucher(s)");
      try (Connection c = db.connect()) {
        assertThat(TableChecksums.diff(before, TableChecksums.snapshot(c, List.of("public"))))
            .isEmpty();
      }
    }
  }

  @Test
  void checksumsNameTheTableThatChanged() throws Exception {
    try (Database db = TestDatabases.migrated("checksums")) {
      Map<String, TableChecksums.TableState> before;
      try (Connection c = db.connect()) {
        before = TableChecksums.snapshot(c, List.of("public"));
      }
      TestDatabases.exec(
          db.spec(), "INSERT INTO businesses (id, name) VALUES (gen_random_uuid(), 'x')");
      try (Connection c = db.connect()) {
        List<TableChecksums.Change> changes =
            TableChecksums.diff(before, TableChecksums.snapshot(c, List.of("public")));
        assertThat(changes)
            .extracting(TableChecksums.Change::table)
            .containsExactly("public.businesses");
        assertThat(changes.get(0).after().rows()).isEqualTo(1);
      }
    }
  }
}
