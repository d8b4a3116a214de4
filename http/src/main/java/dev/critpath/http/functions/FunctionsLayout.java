package dev.critpath.http.functions;

import dev.critpath.UserError;
import dev.critpath.supabase.NpmInstall;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the Edge Functions and their runtime are: {@code supabase/functions} (one folder per
 * function, a package.json whose {@code npm ci} installs Deno from the npm registry) and {@code
 * supabase/server/main.ts}.
 */
public record FunctionsLayout(Path supabaseDir, Path deno) {
  static final String DENO_IN_NODE_MODULES = "node_modules/@deno/linux-x64-glibc/deno";

  public Path functionsDir() {
    return supabaseDir.resolve("functions");
  }

  public Path serverMain() {
    return supabaseDir.resolve("server").resolve("main.ts");
  }

  /**
   * Finds the layout: {@code explicit} when given, else CRITPATH_SUPABASE_DIR, else a {@code
   * supabase/} beside the working directory or one of its parents, or beside the critpath jar.
   * Installs Deno with {@code npm ci} when it is missing or older than its lock file.
   */
  public static FunctionsLayout locate(Path explicit, Map<String, String> env, PrintWriter out) {
    Path dir = explicit != null ? explicit : findSupabaseDir(env);
    if (dir == null || !Files.isRegularFile(dir.resolve("server/main.ts"))) {
      throw new UserError(
          "cannot find the Edge Functions (supabase/server/main.ts"
              + (dir == null ? "" : " under " + dir)
              + "): run from the critpath checkout or pass --functions DIR");
    }
    dir = dir.toAbsolutePath().normalize();
    return new FunctionsLayout(dir, deno(dir.resolve("functions"), env, out));
  }

  private static Path findSupabaseDir(Map<String, String> env) {
    String fromEnv = env.get("CRITPATH_SUPABASE_DIR");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    List<Path> starts = new ArrayList<>();
    starts.add(Path.of("").toAbsolutePath());
    try {
      starts.add(
          Path.of(
              FunctionsLayout.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // no jar location: the working directory must do
    }
    for (Path start : starts) {
      for (Path p = start; p != null; p = p.getParent()) {
        if (Files.isRegularFile(p.resolve("supabase/server/main.ts"))) {
          return p.resolve("supabase");
        }
      }
    }
    return null;
  }

  private static Path deno(Path functionsDir, Map<String, String> env, PrintWriter out) {
    String fromEnv = env.get("CRITPATH_DENO");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    Path local = functionsDir.resolve(DENO_IN_NODE_MODULES);
    if (!Files.isExecutable(local) || NpmInstall.stale(functionsDir)) {
      out.println(
          "http: installing Deno and the functions' dependencies (npm ci in " + functionsDir + ")");
      out.flush();
      NpmInstall.run(functionsDir);
    }
    if (!Files.isExecutable(local)) {
      throw new UserError(
          "Deno is not installed: run npm ci in "
              + functionsDir
              + " (it installs Deno from the npm"
              + " registry), or set CRITPATH_DENO to a deno binary");
    }
    return local;
  }
}
