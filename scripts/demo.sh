#!/usr/bin/env bash
# Installs what is missing, builds, starts the webhook receiver and the sandbox on free
# loopback ports and runs the whole pipeline on the bundled samples: extract → normalize
# → dedupe → verify (contacts API, the sandbox) → import; scenarios; a re-consent
# campaign: plan → send (the sandbox's SMS and Viber APIs) → replies → import again; a
# WhatsApp wave: plan → send (the sandbox's Cloud API, whose signed status webhooks go
# to `webhook serve`) → status → import again; then the auditor's report
# (out/report/report.html), a trace and the diff from the dry run.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
swift build -c release
W=.build/release/wamigrate
rm -rf demo.sqlite demo.sqlite-wal demo.sqlite-shm demo.sqlite.lock demo.sqlite.backups demo.sqlite.webhooks.sqlite* out/

# The webhook receiver and the sandbox print their URLs on stdout once they listen; both
# stop cleanly on SIGTERM. The sandbox posts its signed WhatsApp status webhooks to the receiver.
export WA_APP_SECRET=sandbox-app-secret WA_VERIFY_TOKEN=demo-verify-token
hook_file=$(mktemp)
url_file=$(mktemp)
$W webhook serve --store demo.sqlite --port 0 --app-secret-env WA_APP_SECRET --verify-token-env WA_VERIFY_TOKEN \
  >"$hook_file" &
receiver=$!
trap 'kill -TERM $receiver 2>/dev/null || true; wait $receiver 2>/dev/null || true; rm -f "$hook_file" "$url_file"' EXIT
for _ in $(seq 100); do [ -s "$hook_file" ] && break; sleep 0.1; done
hook=$(head -1 "$hook_file")
# Variant B of the welcome template is read more often than A (seeded per person): the A/B below.
$W sandbox --port 0 --registered-rate 0.7 --webhook-url "$hook" \
  --template-behaviour wa_welcome:read=0.3 --template-behaviour wa_welcome_b:read=0.8 >"$url_file" &
sandbox=$!
trap 'kill -TERM $sandbox $receiver 2>/dev/null || true; wait $sandbox $receiver 2>/dev/null || true; rm -f "$hook_file" "$url_file"' EXIT
for _ in $(seq 100); do [ -s "$url_file" ] && break; sleep 0.1; done
url=$(head -1 "$url_file")
echo "sandbox: $url; webhook receiver: $hook"

# The sandbox's account is admin/secret and must change its password at first login.
export WA_PASSWORD=secret WA_NEW_PASSWORD='Demo-Passw0rd!'
job=(--store demo.sqlite --default-region DE
  --mapping generic samples/sms_subscribers.csv
  --mapping viber samples/viber_subscribers.csv
  --verifier contacts-api --endpoint "$url" --user admin
  --password-env WA_PASSWORD --new-password-env WA_NEW_PASSWORD)

echo "== dry run (run #1): everything computed, no contact checked; the auditor's report of it"
$W run "${job[@]}" --out out/dry/ --dry-run
$W report --store demo.sqlite --out out/report-dry/

echo
echo "== the real run (run #2)"
$W run "${job[@]}" --out out/
echo
$W status --store demo.sqlite

echo
echo "== scenarios: convert, lint, simulate, submit to the sandbox"
$W scenarios convert samples/scenarios/ --out out/scenarios/ --store demo.sqlite
$W scenarios lint out/scenarios/templates/
$W scenarios simulate out/scenarios/flows/order_tracking.json --script samples/scenarios/order_tracking.test.yml
$W scenarios simulate out/scenarios/flows/keyword_replies.json --script samples/scenarios/keyword_replies.test.yml
WA_TOKEN=sandbox-token $W templates submit out/scenarios/templates/ samples/wave/ samples/rollout/ --store demo.sqlite \
  --endpoint "$url" --waba-id 123 --token-env WA_TOKEN

echo
echo "== campaign: plan → send (sandbox SMS and Viber) → replies → import"
# A rehearsal on a fixed clock: slots from Monday 2026-11-23 06:00 UTC, local sending
# hours 09:00-20:00; `send --now` plays the clock forward to 10:00 UTC.
plan=(--store demo.sqlite --name wa_move_2026 --message mappings/reconsent/*.yml
  --start 2026-11-23T06:00:00Z --fallback-zone Europe/Berlin --sms-per-second 5)
$W campaign plan "${plan[@]}" --dry-run
$W campaign plan "${plan[@]}"
export SMS_ACCOUNT=ACsandbox:sandbox-sms-token VIBER_TOKEN=sandbox-viber-token
$W campaign send --store demo.sqlite --name wa_move_2026 --now 2026-11-23T10:00:00Z \
  --sms-endpoint "$url" --sms-account-env SMS_ACCOUNT --sms-from +4915799990000 \
  --viber-endpoint "$url" --viber-token-env VIBER_TOKEN
$W campaign replies --store demo.sqlite --from samples/campaign/replies.jsonl
$W campaign status --store demo.sqlite --name wa_move_2026
$W import --store demo.sqlite --out out/

echo
echo "== WhatsApp wave, a gradual A/B rollout: plan → send cohort 1 → status webhooks → gate → advance → send the rest → import"
wave=(--store demo.sqlite --name welcome --template wa_welcome --language de --param 1=name --fallback 1=Kundin/Kunde
  --tier 250)
rollout=(--rollout 50%,100% --variants A=wa_welcome,B=wa_welcome_b --gate 'optout<=0.2,blocked<=0.1'
  --gate-wait 0 --gate-sample 3)
$W wave plan "${wave[@]}" "${rollout[@]}" --dry-run
$W wave plan "${wave[@]}" "${rollout[@]}"
send=(--store demo.sqlite --name welcome --endpoint "$url" --phone-number-id 1234 --token-env WA_TOKEN --marketing-messages)
WA_TOKEN=sandbox-token $W wave send "${send[@]}" # the released cohort only
sleep 1.5 # the sandbox posts each status within 0.5 s; the receiver keeps it before answering
$W webhook ingest --store demo.sqlite # takes in what the receiver kept since send finished
$W wave status --store demo.sqlite --name welcome
$W wave advance --store demo.sqlite --name welcome # releases cohort 2 only if cohort 1's gate holds
WA_TOKEN=sandbox-token $W wave send "${send[@]}"
sleep 1.5
$W webhook ingest --store demo.sqlite
$W wave status --store demo.sqlite --name welcome # per variant with 95 % intervals; a winner only if the data support it
$W import --store demo.sqlite --out out/

echo
echo "== the auditor's view: report of the job (as of run #4), one contact's lineage, a rejected row, dry run vs now"
$W report --store demo.sqlite --out out/report/
$W trace +491723456789 --store demo.sqlite
$W trace sms_subscribers.csv:13 --store demo.sqlite
$W diff --store demo.sqlite 1 4
