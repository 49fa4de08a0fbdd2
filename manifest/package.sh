#!/usr/bin/env bash
# Builds the Teams app package: manifest/build/valuebot.zip with manifest.json, color.png and
# outline.png at its root.
#
#   BOT_ID=<guid> BOT_DOMAIN=<host> manifest/package.sh
#   manifest/package.sh <bot-id-guid> <bot-domain> [output.zip]
#
# BOT_ID is the bot's Microsoft App ID (the user-assigned managed identity's client id).
# BOT_DOMAIN is the bot's host name without scheme or path, e.g. valuebot-web.azurewebsites.net.
#
# The template keeps every schema-typed GUID valid by using 00000000-0000-0000-0000-000000000000
# for the bot id; free-text fields use {{BOT_ID}} and {{BOT_DOMAIN}}. Both forms are replaced.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BOT_ID="${1:-${BOT_ID:-}}"
BOT_DOMAIN="${2:-${BOT_DOMAIN:-}}"
OUT="${3:-${OUT:-$here/build/valuebot.zip}}"

fail() { echo "package.sh: $*" >&2; exit 2; }

[[ -n "$BOT_ID" ]] || fail "BOT_ID is required (the bot's Microsoft App ID, a GUID): BOT_ID=<guid> BOT_DOMAIN=<host> $0"
[[ "$BOT_ID" =~ ^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$ ]] || fail "BOT_ID must be a GUID, got '$BOT_ID'"
[[ "$BOT_ID" != "00000000-0000-0000-0000-000000000000" ]] || fail "BOT_ID must be the real app id, not the template's placeholder GUID"
[[ -n "$BOT_DOMAIN" ]] || fail "BOT_DOMAIN is required (the bot's host name, e.g. valuebot-web.azurewebsites.net)"
[[ "$BOT_DOMAIN" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]+)?$ ]] || fail "BOT_DOMAIN must be a bare host name without scheme or path, got '$BOT_DOMAIN'"

command -v python3 >/dev/null || fail "python3 is required"

BOT_ID="$BOT_ID" BOT_DOMAIN="$BOT_DOMAIN" python3 - "$here" "$OUT" <<'PY'
import json, os, sys, zipfile

here, out = sys.argv[1], sys.argv[2]
bot_id, domain = os.environ["BOT_ID"].lower(), os.environ["BOT_DOMAIN"]
with open(os.path.join(here, "manifest.json"), encoding="utf-8") as f:
    text = f.read()
text = (text.replace("{{BOT_ID}}", bot_id)
            .replace("{{BOT_DOMAIN}}", domain)
            .replace("00000000-0000-0000-0000-000000000000", bot_id))
if "{{" in text or "}}" in text:
    left = sorted({t.split("}}")[0] for t in text.split("{{")[1:]})
    sys.exit("package.sh: placeholders left unfilled: " + ", ".join("{{%s}}" % t for t in left))
manifest = json.loads(text)  # fails loudly if a substitution broke the JSON
icons = manifest["icons"]
os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
tmp = "%s.%d.tmp" % (out, os.getpid())
with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    for name in (icons["color"], icons["outline"]):
        z.write(os.path.join(here, name), arcname=name)
os.replace(tmp, out)
print(out)
PY
