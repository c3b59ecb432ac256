# Sourced by ./custos and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer, or fails.
# Order: $JAVA_HOME, the java on PATH, then the newest JDK under /usr/lib/jvm (Temurin 25 here).

custos_java_version() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

custos_select_jdk() {
  local candidates=() c v home
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    candidates+=("$home")
  fi
  for c in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${c%/}"); done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(custos_java_version "$c/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  echo "custos: needs a JDK 21 or newer (javac included); none found in JAVA_HOME, PATH or /usr/lib/jvm. Install one (for example: apt-get install openjdk-21-jdk-headless) or set JAVA_HOME." >&2
  return 2
}
