// HS256 verification as Supabase's gateway does it before a function runs (verify_jwt):
// signature with the project's JWT secret (WebCrypto HMAC), then exp and nbf.

export type Verdict =
  | { ok: true; claims: Record<string, unknown> & { role: string } }
  | { ok: false; message: string };

const encoder = new TextEncoder();

function base64UrlDecode(part: string): Uint8Array<ArrayBuffer> {
  const b64 = part.replace(/-/g, "+").replace(/_/g, "/");
  const padded = b64.padEnd(Math.ceil(b64.length / 4) * 4, "=");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

export class JwtVerifier {
  private constructor(private readonly key: CryptoKey) {}

  static async create(secret: string): Promise<JwtVerifier> {
    const key = await crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["verify"],
    );
    return new JwtVerifier(key);
  }

  async verify(authorization: string | null, nowSeconds = Date.now() / 1000): Promise<Verdict> {
    if (!authorization) {
      return { ok: false, message: "Missing authorization header" };
    }
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const claims = match ? await this.signed(match[1]) : null;
    if (!claims) {
      return { ok: false, message: "Invalid JWT" };
    }
    if (typeof claims.exp === "number" && claims.exp <= nowSeconds) {
      return { ok: false, message: "JWT expired" };
    }
    if (typeof claims.nbf === "number" && claims.nbf > nowSeconds) {
      return { ok: false, message: "Invalid JWT" };
    }
    if (typeof claims.role !== "string" || claims.role.length === 0) {
      return { ok: false, message: "Invalid JWT" };
    }
    return { ok: true, claims: claims as Record<string, unknown> & { role: string } };
  }

  /** The claims of an HS256 token signed with the secret (nothing else checked), or null. */
  async signed(token: string): Promise<Record<string, unknown> | null> {
    const parts = token.split(".");
    if (parts.length !== 3) {
      return null;
    }
    let header: { alg?: string };
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(new TextDecoder().decode(base64UrlDecode(parts[0])));
      claims = JSON.parse(new TextDecoder().decode(base64UrlDecode(parts[1])));
    } catch {
      return null;
    }
    if (header.alg !== "HS256" || claims === null || typeof claims !== "object") {
      return null;
    }
    const ok = await crypto.subtle.verify(
      "HMAC",
      this.key,
      base64UrlDecode(parts[2]),
      encoder.encode(parts[0] + "." + parts[1]),
    );
    return ok ? claims : null;
  }
}
