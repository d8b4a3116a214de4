// A decoder for PostgreSQL's built-in logical decoding output plugin, pgoutput (protocol version
// 1), as pg_logical_slot_get_binary_changes returns it: one message per row. Only what
// postgres_changes needs: Begin (commit timestamp), Relation, Insert, Update, Delete.
// Message layouts: PostgreSQL's "Logical Replication Message Formats".

export type Column = { name: string; typeOid: number; key: boolean };
export type Relation = { oid: number; schema: string; table: string; columns: Column[] };
/** Column values in text form; undefined = unchanged TOAST value not sent, null = NULL. */
export type Tuple = (string | null | undefined)[];
export type Change = {
  type: "INSERT" | "UPDATE" | "DELETE";
  relation: Relation;
  /** INSERT and UPDATE */
  record: Tuple | null;
  /** UPDATE (replica identity FULL or a changed key) and DELETE (key or full) */
  old: Tuple | null;
  /** when its transaction committed */
  commitTime: Date;
  /** its transaction's id */
  xid: number;
};

/** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01). */
const PG_EPOCH_US = 946_684_800_000_000n;
const text = new TextDecoder();

class Reader {
  at = 0;
  private readonly view: DataView;
  constructor(private readonly b: Uint8Array) {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  u8() {
    return this.b[this.at++];
  }
  i16() {
    const v = this.view.getInt16(this.at);
    this.at += 2;
    return v;
  }
  i32() {
    const v = this.view.getInt32(this.at);
    this.at += 4;
    return v;
  }
  i64() {
    const v = this.view.getBigInt64(this.at);
    this.at += 8;
    return v;
  }
  cstring() {
    const end = this.b.indexOf(0, this.at);
    const s = text.decode(this.b.subarray(this.at, end));
    this.at = end + 1;
    return s;
  }
  bytes(n: number) {
    const s = text.decode(this.b.subarray(this.at, this.at + n));
    this.at += n;
    return s;
  }
}

export class PgOutputDecoder {
  /** Relations stay known across polls: pgoutput sends each one once per decoding session. */
  private readonly relations = new Map<number, Relation>();
  private commitTime = new Date(0);
  private xid = 0;

  /** The change one message holds, or null for messages that carry none. */
  decode(message: Uint8Array): Change | null {
    const r = new Reader(message);
    const kind = String.fromCharCode(r.u8());
    switch (kind) {
      case "B": {
        r.i64(); // final LSN
        const us = r.i64() + PG_EPOCH_US;
        this.commitTime = new Date(Number(us / 1000n));
        this.xid = r.i32() >>> 0;
        return null;
      }
      case "R": {
        const oid = r.i32();
        const schema = r.cstring();
        const table = r.cstring();
        r.u8(); // replica identity
        const n = r.i16();
        const columns: Column[] = [];
        for (let i = 0; i < n; i++) {
          const flags = r.u8();
          const name = r.cstring();
          const typeOid = r.i32();
          r.i32(); // type modifier
          columns.push({ name, typeOid, key: (flags & 1) === 1 });
        }
        this.relations.set(oid, { oid, schema, table, columns });
        return null;
      }
      case "I": {
        const relation = this.relation(r.i32());
        r.u8(); // 'N'
        return { type: "INSERT", relation, record: tuple(r), old: null, commitTime: this.commitTime, xid: this.xid };
      }
      case "U": {
        const relation = this.relation(r.i32());
        let old: Tuple | null = null;
        const marker = String.fromCharCode(r.u8());
        if (marker === "K" || marker === "O") {
          old = tuple(r);
          r.u8(); // 'N'
        }
        return { type: "UPDATE", relation, record: tuple(r), old, commitTime: this.commitTime, xid: this.xid };
      }
      case "D": {
        const relation = this.relation(r.i32());
        r.u8(); // 'K' or 'O'
        return { type: "DELETE", relation, record: null, old: tuple(r), commitTime: this.commitTime, xid: this.xid };
      }
      default:
        return null; // Commit, Origin, Type, Truncate, Message
    }
  }

  private relation(oid: number): Relation {
    const known = this.relations.get(oid);
    if (!known) throw new Error(`pgoutput: change for relation ${oid} before its Relation message`);
    return known;
  }
}

function tuple(r: Reader): Tuple {
  const n = r.i16();
  const values: Tuple = [];
  for (let i = 0; i < n; i++) {
    const kind = String.fromCharCode(r.u8());
    if (kind === "n") values.push(null);
    else if (kind === "u") values.push(undefined);
    else values.push(r.bytes(r.i32())); // 't' (text); 'b' needs the binary option, never asked for
  }
  return values;
}
