// A per-key token bucket kept in the function's memory (a deployed function would keep it in
// Redis or the database; a local isolate forgets it when it is unloaded after idling).

export interface Decision {
  allowed: boolean;
  /** Whole seconds until one more request would be allowed (for Retry-After). */
  retryAfterSeconds: number;
}

export class TokenBucket {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly burst: number, private readonly perSecond: number) {}

  take(key: string, now = performance.now()): Decision {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond)) };
  }
}
