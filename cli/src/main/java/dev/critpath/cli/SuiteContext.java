package dev.critpath.cli;

import dev.critpath.db.Database;
import dev.critpath.run.RunDirectory;
import java.io.PrintWriter;

/** What the stages of one default-suite run share. */
record SuiteContext(Database db, RunDirectory run, PrintWriter out, DatabaseOptions options) {}
