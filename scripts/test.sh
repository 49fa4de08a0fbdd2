#!/usr/bin/env bash
# Runs every test. Needs the .NET 10 SDK and Node.js; installs the Node test tools (Agents Playground, Ajv) on
# first use. PostgreSQL tests run when VALUEBOT_TEST_POSTGRES names a server, or when Debian's postgresql
# package is installed (a throwaway cluster is then started on 127.0.0.1:55432).
# Prints "N passed, N failed, N skipped" last; exits non-zero when anything failed or did not build.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [ ! -d tests/node/node_modules/ajv ] || [ ! -d tests/node/node_modules/@microsoft/m365agentsplayground ]; then
  (cd tests/node && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
fi

# The Teams tab's browser script (src/ValueBot.Web/Tab/client → src/ValueBot.Web/wwwroot/tab/tab.js), for the browser tests.
(cd src/ValueBot.Web/Tab/client && { [ -d node_modules/@microsoft/teams-js ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run --silent build >/dev/null) \
  || { echo "building the tab's script failed"; echo "0 passed, 1 failed"; exit 1; }

if [ -z "${VALUEBOT_TEST_POSTGRES:-}" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  VALUEBOT_TEST_POSTGRES=$(.ci/start-postgres.sh) || { echo "could not start PostgreSQL"; echo "0 passed, 1 failed"; exit 1; }
  export VALUEBOT_TEST_POSTGRES
fi
if [ -z "${VALUEBOT_TEST_POSTGRES:-}" ]; then
  echo "note: no PostgreSQL server (install Debian's postgresql or set VALUEBOT_TEST_POSTGRES): PostgreSQL cases are left out."
fi

log=$(mktemp)
dotnet test ValueBot.sln -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=0; failed=0; skipped=0; projects=0
while read -r f p s; do
  failed=$((failed + f)); passed=$((passed + p)); skipped=$((skipped + s)); projects=$((projects + 1))
done < <(sed -nE 's/.*(Passed|Failed)!.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \3 \4/p' "$log")
expected=$(ls -d tests/*.Tests | wc -l)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # a build error or a crashed test host: count it so the line never claims success
fi
if [ "$projects" -lt "$expected" ]; then
  echo "only $projects of $expected test projects reported results"
  [ "$failed" -eq 0 ] && failed=1
fi
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
