#!/usr/bin/env bash
# Runs ValueBot on this machine with no Azure account: local mode (loopback only, no tokens), SQLite in
# src/ValueBot.Web/data/, and Microsoft's Agents Playground as the Teams client. Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
bot_port="${VALUEBOT_PORT:-3978}"
playground_port="${PLAYGROUND_PORT:-56150}"
# --seed-demo: seed the demo portfolio (Demo:Seed=true) — twelve use cases with weeks of answers. Idempotent.
for arg in "$@"; do
  case "$arg" in
    --seed-demo) export Demo__Seed=true ;;
    *) echo "unknown option: $arg (known: --seed-demo)" >&2; exit 2 ;;
  esac
done

if [ ! -d tests/node/node_modules/@microsoft/m365agentsplayground ]; then
  (cd tests/node && npm ci --no-audit --no-fund --loglevel=error)
fi
# The Teams tab's script (http://127.0.0.1:$bot_port/tab/portfolio); the pages work without it outside Teams.
(cd src/ValueBot.Web/Tab/client && { [ -d node_modules/@microsoft/teams-js ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run --silent build >/dev/null) \
  || echo "note: the tab's script was not built; the tab pages work without it outside Teams"
dotnet build src/ValueBot.Web -c Debug -v quiet -nologo

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

ASPNETCORE_ENVIRONMENT=Development Bot__LocalMode=true \
  dotnet run --project src/ValueBot.Web --no-build --urls "http://127.0.0.1:$bot_port" &
pids+=($!)
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$bot_port/health/ready" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "http://127.0.0.1:$bot_port/health/ready" >/dev/null || { echo "ValueBot did not become ready"; exit 1; }

# The playground listens on every interface unless told otherwise; the preload binds it to 127.0.0.1 only.
TEAMSAPPTESTER_BROWSER=none M365_AGENTS_PLAYGROUND_LOGFILE="${TMPDIR:-/tmp}/valuebot-playground.log" node -r ./scripts/loopback-only.cjs tests/node/node_modules/@microsoft/m365agentsplayground/cli.js \
  -e "http://127.0.0.1:$bot_port/api/messages" -c msteams -p "$playground_port" --disable-telemetry &
pids+=($!)

echo
echo "ValueBot is listening on http://127.0.0.1:$bot_port/api/messages (local mode, SQLite)."
echo "Open http://127.0.0.1:$playground_port in a browser to chat with it. Ctrl+C stops both."
echo "The Teams tab's pages: http://127.0.0.1:$bot_port/tab/portfolio (development sign-in as a playground user)."
wait -n "${pids[@]}"
