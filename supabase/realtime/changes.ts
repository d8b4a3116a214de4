// postgres_changes as Supabase Realtime makes them (its "postgres_cdc_rls" extension): a temporary
// logical replication slot on the publication supabase_realtime, read with the SQL interface on
// Realtime's poll cadence, each change checked against every subscriber's filters and, for
// INSERT and UPDATE on a table with RLS, against the row's visibility under that subscriber's
// role and JWT claims, and sent with the columns that role may SELECT and the WAL's commit time.
//
// Differences from Realtime, kept small on purpose: Realtime decodes with wal2json inside the
// database (realtime.list_changes), this relay decodes the built-in pgoutput plugin itself
// (pg_logical_slot_get_binary_changes), so it needs no extension; the RLS check runs one batch
// per poll (one statement per claims set and table) where Realtime executes its prepared check
// once per change and subscription: cheaper here when subscribers share claims or a poll holds
// several changes.

import type { Sql } from "postgres";
import { type Change, PgOutputDecoder, type Relation, type Tuple } from "./pgoutput.ts";

export const PUBLICATION = "supabase_realtime";
export const SLOT_PREFIX = "critpath_realtime_";
/**
 * Realtime's defaults: poll_interval_ms 100, poll_max_changes 100; a failed read backs off (its
 * DBConnection.Backoff starts at 100 ms and grows; here a fixed 500 ms).
 */
export const POLL_INTERVAL_MS = 100;
const POLL_MAX_CHANGES = 100;
const ERROR_BACKOFF_MS = 500;
const MAX_RECORD_BYTES = 1024 * 1024;

export type Filter = { column: string; op: string; values: string[] };
export type Binding = {
  id: number;
  event: string; // INSERT, UPDATE, DELETE or *
  schema: string; // or *
  table: string | null; // null or * = every table of the schema
  filter: Filter | null;
};
export interface Subscriber {
  topic: string;
  role: string;
  claimsJson: string; // the JWT claims as JSON, as request.jwt.claims takes them
  bindings: Binding[];
  push(event: string, payload: Record<string, unknown>, frameKey: string): void;
}

const FILTER = /^([^=]+)=(eq|neq|lt|lte|gt|gte|in)\.(.*)$/s;

/** Parses a filter as realtime-js sends it: column=op.value, or column=in.(a,b,c). */
export function parseFilter(text: string): Filter | null {
  const m = FILTER.exec(text);
  if (!m) return null;
  const values = m[2] === "in"
    ? m[3].replace(/^\(|\)$/g, "").split(",").map((v) => v.trim().replace(/^"|"$/g, ""))
    : [m[3]];
  return { column: m[1], op: m[2], values };
}

const NUMERIC = new Set([20, 21, 23, 26, 700, 701, 1700]);
const JSON_TYPES = new Set([114, 3802]);
const BOOL = 16;

function toJson(value: string | null | undefined, typeOid: number): unknown {
  if (value === null || value === undefined) return null;
  if (typeOid === BOOL) return value === "t";
  if (NUMERIC.has(typeOid)) return Number(value);
  if (JSON_TYPES.has(typeOid)) return JSON.parse(value);
  return value;
}

function compare(a: string, b: string, typeOid: number): number {
  if (NUMERIC.has(typeOid)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function passes(filter: Filter | null, relation: Relation, tuple: Tuple | null): boolean {
  if (!filter) return true;
  if (!tuple) return false;
  const i = relation.columns.findIndex((c) => c.name === filter.column);
  const value = i < 0 ? undefined : tuple[i];
  if (value === null || value === undefined) return false;
  const type = relation.columns[i].typeOid;
  const c = compare(value, filter.values[0], type);
  switch (filter.op) {
    case "eq": return c === 0;
    case "neq": return c !== 0;
    case "lt": return c < 0;
    case "lte": return c <= 0;
    case "gt": return c > 0;
    case "gte": return c >= 0;
    default: return filter.values.some((v) => compare(value, v, type) === 0);
  }
}

function matches(b: Binding, change: Change): boolean {
  const r = change.relation;
  if (b.event !== "*" && b.event !== change.type) return false;
  if (b.schema !== "*" && b.schema !== r.schema) return false;
  if (b.table && b.table !== "*" && b.table !== r.table) return false;
  return passes(b.filter, r, change.record) ||
    (change.type === "DELETE" && passes(b.filter, r, change.old));
}

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;
const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

type TableInfo = { rls: boolean; types: Map<number, { name: string; cast: string }> };

export class ChangeFeed {
  private readonly decoder = new PgOutputDecoder();
  private readonly tables = new Map<number, TableInfo>();
  private readonly selectable = new Map<string, Set<string>>(); // relation oid + role -> columns
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  readonly stats = {
    polls: 0,
    changes: 0,
    rlsChecks: 0,
    delivered: 0,
    pollErrors: 0,
    /** time spent reading the slot, in the RLS reads, and in the whole poll (ms) */
    slotMs: 0,
    rlsMs: 0,
    pollMs: 0,
  };

  constructor(
    private readonly slotSql: Sql, // a reserved connection: the temporary slot lives in its session
    private readonly sql: Sql,
    readonly slot: string,
    private readonly subscribers: () => Iterable<Subscriber>,
  ) {}

  start() {
    this.schedule(0);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(ms: number) {
    if (!this.stopped) this.timer = setTimeout(() => this.poll(), ms);
  }

  // Realtime's cadence (PostgresCdcRls.ReplicationPoller): the slot gave changes -> poll again at
  // once; it gave none -> after poll_interval_ms.
  private async poll() {
    let delay = POLL_INTERVAL_MS;
    const started = performance.now();
    try {
      this.stats.polls++;
      const rows = await this.slotSql.unsafe(
        `select data from pg_logical_slot_get_binary_changes($1, null, $2,
           'proto_version', '1', 'publication_names', $3)`,
        [this.slot, POLL_MAX_CHANGES, PUBLICATION],
      );
      this.stats.slotMs += performance.now() - started;
      const changes: Change[] = [];
      for (const row of rows) {
        const c = this.decoder.decode(row.data as Uint8Array);
        if (c) changes.push(c);
      }
      if (changes.length > 0) {
        this.stats.changes += changes.length;
        await this.deliver(changes);
        delay = 0;
      }
    } catch (e) {
      this.stats.pollErrors++;
      console.error(`critpath relay: reading slot ${this.slot} failed: ${(e as Error).message}`);
      delay = ERROR_BACKOFF_MS;
    }
    this.stats.pollMs += performance.now() - started;
    this.schedule(delay);
  }

  private async deliver(changes: Change[]): Promise<number> {
    // Who wants which change, by filters alone.
    const wanted = changes.map((change) => {
      const subs: [Subscriber, number[]][] = [];
      for (const s of this.subscribers()) {
        const ids = s.bindings.filter((b) => matches(b, change)).map((b) => b.id);
        if (ids.length > 0) subs.push([s, ids]);
      }
      return subs;
    });
    for (const c of changes) await this.tableInfo(c.relation);
    await this.untilVisible(changes);
    const rlsStarted = performance.now();
    const hidden = await this.rlsHidden(changes, wanted);
    this.stats.rlsMs += performance.now() - rlsStarted;
    // A role without SELECT on the table gets nothing (Realtime sends it an "Error 401" instead).
    let delivered = 0;
    for (let i = 0; i < changes.length; i++) {
      const change = changes[i];
      for (const [s, ids] of wanted[i]) {
        if (hidden.has(`${i}|${s.role}|${s.claimsJson}`)) continue;
        const columns = await this.columnsFor(change.relation, s.role);
        if (columns.size === 0) continue;
        const key = `${i}|${s.topic}|${ids.join(",")}|${s.role}`;
        s.push("postgres_changes", { ids, data: this.data(change, columns) }, key);
        delivered++;
      }
    }
    this.stats.delivered += delivered;
    return delivered;
  }

  private data(change: Change, columns: Set<string>): Record<string, unknown> {
    const r = change.relation;
    const info = this.tables.get(r.oid)!;
    const visible = r.columns.map((c, i) => [c, i] as const).filter(([c]) => columns.has(c.name));
    const row = (t: Tuple | null, keysOnly: boolean) => {
      const out: Record<string, unknown> = {};
      if (!t) return out;
      for (const [c, i] of visible) {
        if ((!keysOnly || c.key) && t[i] !== undefined) out[c.name] = toJson(t[i], c.typeOid);
      }
      return out;
    };
    const data: Record<string, unknown> = {
      schema: r.schema,
      table: r.table,
      commit_timestamp: change.commitTime.toISOString(),
      type: change.type,
      columns: visible.map(([c]) => ({ name: c.name, type: info.types.get(c.typeOid)?.name ?? "unknown" })),
      errors: null,
    };
    if (change.type !== "DELETE") data.record = row(change.record, false);
    if (change.type !== "INSERT") data.old_record = row(change.old, false);
    if (JSON.stringify(data.record ?? {}).length > MAX_RECORD_BYTES) {
      data.record = row(change.record, true);
      data.errors = ["Error 413: Payload Too Large"];
    }
    return data;
  }

  /**
   * The (change, role, claims) triples RLS hides: INSERT and UPDATE on tables with row security,
   * checked by reading the rows by their keys as each subscriber's role with its claims, in one
   * transaction per poll: per claims set, one statement per table for all of the poll's changes.
   * DELETEs are not checked, as in Realtime (the row is gone).
   */
  private async rlsHidden(changes: Change[], wanted: [Subscriber, number[]][][]): Promise<Set<string>> {
    type Group = { role: string; claims: string; byTable: Map<number, number[]> };
    const groups = new Map<string, Group>();
    changes.forEach((c, i) => {
      if (c.type === "DELETE" || !this.tables.get(c.relation.oid)!.rls) return;
      for (const [s] of wanted[i]) {
        const k = `${s.role}|${s.claimsJson}`;
        let g = groups.get(k);
        if (!g) groups.set(k, g = { role: s.role, claims: s.claimsJson, byTable: new Map() });
        let list = g.byTable.get(c.relation.oid);
        if (!list) g.byTable.set(c.relation.oid, list = []);
        if (list.at(-1) !== i) list.push(i);
      }
    });
    const hidden = new Set<string>();
    if (groups.size === 0) return hidden;
    const statements: string[] = [];
    const asked: [string, number][] = [];
    const keys = [...groups.keys()];
    for (let g = 0; g < keys.length; g++) {
      const group = groups.get(keys[g])!;
      statements.push(
        `select set_config('role', ${literal(group.role)}, true), ` +
          `set_config('request.jwt.claims', ${literal(group.claims)}, true)`,
      );
      for (const indices of group.byTable.values()) {
        const r = changes[indices[0]].relation;
        if ((await this.columnsFor(r, group.role)).size === 0) continue; // no SELECT at all: hidden
        const types = this.tables.get(r.oid)!.types;
        const pk = r.columns.map((c, j) => [c, j] as const).filter(([c]) => c.key);
        const rows = indices.map((i) =>
          "(" + pk.map(([c, j]) =>
            `${ident(c.name)} = ${literal(changes[i].record![j] ?? "")}::${types.get(c.typeOid)!.cast}`
          ).join(" and ") + ")"
        );
        statements.push(
          `select ${g} as g, json_build_array(${pk.map(([c]) => `${ident(c.name)}::text`).join(", ")})::text as k ` +
            `from ${ident(r.schema)}.${ident(r.table)} where ${rows.join(" or ")}`,
        );
        for (const i of indices) asked.push([keys[g], i]);
        this.stats.rlsChecks += indices.length;
      }
    }
    const seen = new Set<string>();
    const results = await this.sql.begin((tx) => tx.unsafe(statements.join(";\n")).simple());
    for (const result of results as unknown as { g?: number; k?: string }[][]) {
      for (const row of result) {
        if (row.g !== undefined && row.k !== undefined) {
          seen.add(`${keys[row.g]}|${JSON.stringify(JSON.parse(row.k))}`); // json's spacing -> JS's
        }
      }
    }
    for (const [k, i] of asked) {
      const change = changes[i];
      const pk = change.relation.columns.map((c, j) => [c, j] as const).filter(([c]) => c.key);
      const key = JSON.stringify(pk.map(([, j]) => change.record![j]));
      if (!seen.has(`${k}|${key}`)) hidden.add(`${i}|${k}`);
    }
    return hidden;
  }

  /**
   * A commit reaches the WAL, and so the slot, a moment before other sessions' snapshots see it:
   * reading the row under RLS in that moment would hide it. Waits (at most 1 s) until none of the
   * changes' transactions still holds its transaction lock, which it drops once it is visible.
   */
  private async untilVisible(changes: Change[]) {
    const xids = [...new Set(changes.map((c) => c.xid))];
    for (let waited = 0; waited < 1000; waited += 2) {
      const [{ n }] = await this.sql`select count(*)::int as n from pg_locks
        where locktype = 'transactionid' and transactionid::text::bigint = any(${xids}::bigint[])`;
      if (n === 0) return;
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  private async tableInfo(r: Relation): Promise<void> {
    if (this.tables.has(r.oid)) return;
    const [t] = await this.sql`select relrowsecurity as rls from pg_class where oid = ${r.oid}`;
    const types = new Map<number, { name: string; cast: string }>();
    const oids = [...new Set(r.columns.map((c) => c.typeOid))];
    for (const row of await this.sql`select oid::int as oid, typname, oid::regtype::text as cast
                                      from pg_type where oid = any(${oids}::oid[])`) {
      types.set(row.oid, { name: row.typname, cast: row.cast });
    }
    this.tables.set(r.oid, { rls: !!t?.rls, types });
  }

  private async columnsFor(r: Relation, role: string): Promise<Set<string>> {
    const key = `${r.oid}|${role}`;
    let cols = this.selectable.get(key);
    if (!cols) {
      const rows = await this.sql`select attname from pg_attribute
        where attrelid = ${r.oid} and attnum > 0 and not attisdropped
          and has_column_privilege(${role}, attrelid, attnum, 'SELECT')`;
      cols = new Set(rows.map((x) => x.attname as string));
      this.selectable.set(key, cols);
    }
    return cols;
  }
}
