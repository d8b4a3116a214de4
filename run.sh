#!/usr/bin/env bash
# critpath's one entry point: builds the CLI jar when it is missing or older
# than the sources, then runs it with the arguments given.
#   ./run.sh            the default suite on an embedded PostgreSQL
#   ./run.sh --help     every command
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/cli/target/critpath.jar"

if ! command -v java >/dev/null 2>&1; then
  echo "critpath: java not found: install a JDK 17 or newer" >&2
  exit 2
fi
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${java_major%%.*}" -lt 17 ] 2>/dev/null; then
  echo "critpath: Java $java_major found, critpath needs 17 or newer (set JAVA_HOME or PATH)" >&2
  exit 2
fi

needs_build() {
  [ -f "$jar" ] || return 0
  # Anything that goes into the jar (the modules' pom.xml resources: schema, queries, scenarios)
  # and is newer than it. Not supabase/: it is read from here at run time, and npm ci touches it.
  [ -n "$(find "$here/pom.xml" "$here"/*/pom.xml "$here"/*/src/main "$here/schema" \
            "$here/queries" "$here/scenarios" \
            -name node_modules -prune -o -newer "$jar" -type f -print -quit 2>/dev/null)" ]
}

if needs_build; then
  echo "critpath: building (first run or sources changed)..." >&2
  if ! (cd "$here" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true install >&2); then
    echo "critpath: build failed (see the Maven output above)" >&2
    exit 2
  fi
fi

exec java ${CRITPATH_JAVA_OPTS:-} -jar "$jar" "$@"
