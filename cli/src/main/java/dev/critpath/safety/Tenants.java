package dev.critpath.safety;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Who belongs to which business in the reference schema (business_members, read as the owner): the
 * tenant boundary the RLS policies draw.
 */
final class Tenants {
  private static final String BUSINESSES_OF =
      "SELECT business_id FROM business_members WHERE profile_id = ? ORDER BY business_id";

  /** The first member (by id) of a business that none of the given businesses' members share. */
  private static final String OUTSIDER =
      "SELECT m.profile_id FROM business_members m"
          + " WHERE NOT EXISTS (SELECT 1 FROM business_members o"
          + "   WHERE o.profile_id = m.profile_id AND o.business_id = ANY (?))"
          + " ORDER BY m.profile_id LIMIT 1";

  private final Connection owner;

  Tenants(Connection owner) {
    this.owner = owner;
  }

  RlsReport.Identity of(String user) throws SQLException {
    List<String> businesses = new ArrayList<>();
    try (PreparedStatement ps = owner.prepareStatement(BUSINESSES_OF)) {
      ps.setObject(1, UUID.fromString(user));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          businesses.add(rs.getString(1));
        }
      }
    }
    return new RlsReport.Identity(user, businesses);
  }

  /** A member of another business, of none of {@code member}'s; null when every user shares one. */
  RlsReport.Identity outsider(RlsReport.Identity member) throws SQLException {
    Array excluded =
        owner.createArrayOf("uuid", member.businesses().stream().map(UUID::fromString).toArray());
    try (PreparedStatement ps = owner.prepareStatement(OUTSIDER)) {
      ps.setArray(1, excluded);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? of(rs.getString(1)) : null;
      }
    } finally {
      excluded.free();
    }
  }
}
