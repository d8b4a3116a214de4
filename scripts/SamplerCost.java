import dev.critpath.db.Database;
import dev.critpath.db.DatabaseTarget;
import dev.critpath.db.PgUrl;
import dev.critpath.sampler.PoolGauge;
import dev.critpath.sampler.ServerSampler;
import dev.critpath.sampler.StageLoad;
import java.time.Duration;

/**
 * The server sampler alone, for scripts/sampler-cost.sh: samples DATABASE_URL for SECONDS as a
 * stage would, then prints its record's samplerCost (its backend's CPU against the server's); a
 * server whose CPU is not visible here has none, and the script refuses it before.
 *
 * <p>java -cp cli/target/critpath.jar scripts/SamplerCost.java DATABASE_URL SECONDS
 */
public class SamplerCost {
  public static void main(String[] args) throws Exception {
    Duration length = Duration.ofSeconds(Long.parseLong(args[1]));
    try (Database db =
            Database.open(
                new DatabaseTarget.External(PgUrl.parse(args[0]), "sampler-cost"),
                Database.DEFAULT_STATEMENT_TIMEOUT);
        ServerSampler sampler = ServerSampler.start("cost", db, PoolGauge.critpathPools())) {
      System.out.println("started");
      System.out.flush();
      Thread.sleep(length.toMillis());
      StageLoad.SamplerCost cost = sampler.finish().samplerCost();
      System.out.printf(
          "sampler %.2f s of the server's %.2f s CPU: %s%n",
          cost.samplerCpuSeconds(),
          cost.serverCpuSeconds(),
          cost.share() == null ? "-" : String.format("%.2f%%", cost.share() * 100));
    }
  }
}
