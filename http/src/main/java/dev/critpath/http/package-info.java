/** HTTP benchmarks of the Edge Functions in front of the database. */
package dev.critpath.http;
