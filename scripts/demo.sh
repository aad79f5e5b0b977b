#!/usr/bin/env bash
# Installs what is missing, builds, starts the sandbox on a free loopback port and
# runs the whole pipeline on the bundled samples: extract → normalize → dedupe →
# verify (contacts API, the sandbox) → import.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
swift build -c release
W=.build/release/wamigrate
rm -rf demo.sqlite demo.sqlite-wal demo.sqlite-shm out/

# The sandbox prints its URL on stdout once it listens; it stops on SIGTERM.
url_file=$(mktemp)
$W sandbox --port 0 --registered-rate 0.7 >"$url_file" &
sandbox=$!
trap 'kill -TERM $sandbox 2>/dev/null || true; wait $sandbox 2>/dev/null || true; rm -f "$url_file"' EXIT
for _ in $(seq 100); do [ -s "$url_file" ] && break; sleep 0.1; done
url=$(head -1 "$url_file")
echo "sandbox: $url"

# The sandbox's account is admin/secret and must change its password at first login.
export WA_PASSWORD=secret WA_NEW_PASSWORD='Demo-Passw0rd!'
$W run --store demo.sqlite --out out/ --default-region DE \
  --mapping generic samples/sms_subscribers.csv \
  --mapping viber samples/viber_subscribers.csv \
  --verifier contacts-api --endpoint "$url" --user admin \
  --password-env WA_PASSWORD --new-password-env WA_NEW_PASSWORD
echo
$W status --store demo.sqlite

echo
echo "== scenarios: convert, lint, simulate, submit to the sandbox"
$W scenarios convert samples/scenarios/ --out out/scenarios/
$W scenarios lint out/scenarios/templates/
$W scenarios simulate out/scenarios/flows/order_tracking.json --script samples/scenarios/order_tracking.test.yml
$W scenarios simulate out/scenarios/flows/keyword_replies.json --script samples/scenarios/keyword_replies.test.yml
WA_TOKEN=sandbox-token $W templates submit out/scenarios/templates/ --store demo.sqlite \
  --endpoint "$url" --waba-id 123 --token-env WA_TOKEN
