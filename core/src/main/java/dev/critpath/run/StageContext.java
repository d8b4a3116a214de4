package dev.critpath.run;

import dev.critpath.db.Database;
import java.io.PrintWriter;

/**
 * What every stage of one default-suite run shares: the database, the run directory its section
 * goes into, and the console.
 */
public record StageContext(Database db, RunDirectory run, PrintWriter out) {}
