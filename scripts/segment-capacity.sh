#!/usr/bin/env bash
# One segment's capacity on this machine: the highest arrival rate one critpath process sustains
# against the sample functions (local Deno server, embedded PostgreSQL seeded with `tiny`, all on
# this host) with the p95 within seed 001's target and no iteration dropped. Steps the rate up
# (STEPS, each STEP_SECONDS long, one scenario after the other in one run) on two paths:
#   send     send-message        (seed 001 test 2: p95 < 500 ms)
#   inbox    conversation-list   (seed 001 test 1: p95 < 1,500 ms)
# Prints one row per step and the highest rate that met the target; docs/distributed.md turns
# those into segment counts. The sends are deleted again by the teardown.
#
#   scripts/segment-capacity.sh      (env: STEPS="25 50 100 200 400" STEP_SECONDS=15)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
STEPS="${STEPS:-25 50 100 200 400}"
STEP_SECONDS="${STEP_SECONDS:-15}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

scenarios() { # request name, first start (s)
  local at=$2
  for r in $STEPS; do
    cat <<YAML
  ${1}_${r}:
    executor: constant-arrival-rate
    rate: $r
    duration: ${STEP_SECONDS}s
    startTime: ${at}s
    gracefulStop: 5s
    preAllocatedVUs: $((r / 4 + 2))
    maxVUs: $((r * 2 + 10))
    exec: $1
YAML
    at=$((at + STEP_SECONDS + 5))
  done
}

cat > "$work/capacity.yaml" <<YAML
name: segment-capacity
data:
  members:
    sql: |
      SELECT cp.profile_id AS user_id, c.id AS conversation_id
      FROM conversations c JOIN conversation_participants cp ON cp.conversation_id = c.id
      ORDER BY c.id LIMIT 2000
teardown:
  - DELETE FROM public.messages WHERE content LIKE 'critpath capacity %'
requests:
  send:
    path: /functions/v1/send-message
    user: \${members.user_id}
    json: {conversation_id: "\${members.conversation_id}", content: "critpath capacity \${now}", client_id: "\${uuid}"}
    checks: [{status: 200}]
  inbox:
    path: /functions/v1/conversation-list?limit=50
    user: \${members.user_id}
    checks: [{status: 200}]
scenarios:
$(scenarios send 0)
$(scenarios inbox $(($(wc -w <<<"$STEPS") * (STEP_SECONDS + 5))))
YAML

./run.sh http "$work/capacity.yaml" --results "$work/results" >"$work/out.log" 2>&1 || true
python3 - "$work/results/latest/run.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
targets = {"send": 500, "inbox": 1500}
best = {}
print(f"{'step':<12}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'dropped':>9}{'failed':>8}  within target")
for f in run["sections"]["http"]["files"]:
    for s in f["scenarios"]:
        path, rate = s["name"].rsplit("_", 1)
        lat = s["latency"]
        p95 = lat.get("p95")
        ok = p95 is not None and p95 < targets[path] and s["droppedIterations"] == 0 and s["failedRate"] < 0.01
        if ok:
            best[path] = max(best.get(path, 0), int(rate))
        print(f"{s['name']:<12}{s['requestsPerSecond']:>8.1f}{lat.get('p50', 0):>9.1f}{(p95 or 0):>9.1f}"
              f"{s['droppedIterations']:>9}{s['failedRate']:>8.3f}  {'yes' if ok else 'no'}")
for path, target in targets.items():
    print(f"{path}: highest rate with p95 < {target} ms and nothing dropped: {best.get(path, 0)} req/s")
PY
