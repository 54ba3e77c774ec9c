#!/usr/bin/env bash
# A QA suite in plain shell with curl and jq: the LiveDrop reference server serves any stack.
#
#   LIVEDROP_MOCK="npx livedrop-mock" ./drop-suite.sh
#
# Starts the CLI on a free port with a fixture ("one unit left, three held, one backordered"),
# then checks what a buyer and the platform would see, moving the server's clock instead of
# sleeping and injecting a 429. Exits non-zero at the first check that fails.
set -euo pipefail

for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "drop-suite: $tool is missing (apt-get install -y $tool)" >&2; exit 2; }
done
LIVEDROP_MOCK=${LIVEDROP_MOCK:-livedrop-mock}
HERE=$(cd "$(dirname "$0")" && pwd)
FIXTURE=${FIXTURE:-$HERE/../fixtures/last-unit.json}

work=$(mktemp -d)
$LIVEDROP_MOCK --port 0 --seed "$FIXTURE" >"$work/env" 2>"$work/log" &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  grep -q '^LIVEDROP_FIXTURE_IDS=' "$work/env" && break
  kill -0 "$server" 2>/dev/null || { cat "$work/log" >&2; exit 1; }
  sleep 0.1
done
# The KEY=value lines are shell-ready.
set -a
. "$work/env"
set +a

checks=0
expect() { # expect NAME ACTUAL WANTED
  if [ "$2" != "$3" ]; then echo "not ok - $1: got '$2', want '$3'" >&2; exit 1; fi
  checks=$((checks + 1))
  echo "ok $checks - $1"
}
api() { # api METHOD PATH [BODY]: prints the body; the status goes to $work/status
  curl -s -o "$work/body" -w '%{http_code}' -X "$1" "$LIVEDROP_URL$2" \
    -H "Authorization: Bearer $LIVEDROP_SECRET_KEY" -H 'content-type: application/json' \
    ${3:+--data "$3"} >"$work/status"
  cat "$work/body"
}
control() { # control PATH BODY
  curl -sf -X POST "$LIVEDROP_URL/__control/$1" -H "Authorization: Bearer $LIVEDROP_CONTROL_KEY" \
    -H 'content-type: application/json' --data "$2"
}

offer=$(jq -r .offers.parka <<<"$LIVEDROP_FIXTURE_IDS")
expect 'the fixture left one unit' "$(api GET "/v1/offers/$offer" | jq -c '.stock | [.available, .reserved, .backordered]')" '[1,3,2]'

token=$(api POST "/v1/offers/$offer/tokens" '{"buyerId": "erin"}' | jq -r .token)
hold=$(api POST /v1/reservations "{\"offerToken\": \"$token\", \"quantity\": 1}")
expect 'erin holds the last unit' "$(jq -r .status <<<"$hold")" 'held'
expect 'the offer is sold out' "$(api GET "/v1/offers/$offer" | jq -r .soldOut)" 'true'

control clock '{"advanceMs": 660000}' >/dev/null
expect 'eleven minutes later the hold has expired' "$(api GET "/v1/reservations/$(jq -r .id <<<"$hold")" | jq -r .status)" 'expired'

control faults '{"rules": [{"method": "POST", "path": "/v1/sellers", "status": 429, "retryAfterSeconds": 2, "times": 1}]}' >/dev/null
api POST /v1/sellers '{"name": "Acme"}' >/dev/null
expect 'an injected 429' "$(cat "$work/status")" '429'
expect 'the retry after it goes through' "$(api POST /v1/sellers '{"name": "Acme"}' | jq -r .object)" 'seller'

echo "1..$checks"
