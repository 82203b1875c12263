#!/usr/bin/env bash
# The README walkthrough as one script: an assessment from draft to published, through the API.
# Needs a running service (npm start), curl and jq. CI runs it against a fresh server
# (test/http/walkthrough.test.ts). Usage: BASE=http://localhost:3000 bash docs/walkthrough.sh
set -euo pipefail
BASE=${BASE:-http://localhost:3000}
cds() { node "$(dirname "$0")/../bin/cds.js" "$@"; }
api() { # api KEY METHOD PATH [JSON] [extra curl args…] — prints the body, fails on HTTP >= 400
  local key=$1 method=$2 path=$3 body=${4:-}; shift 4 || shift $#
  curl -sS --fail-with-body -X "$method" "$BASE$path" -H "authorization: Bearer $key" \
    ${body:+-H 'content-type: application/json' --data "$body"} "$@"
}

echo "== 0. admin (once, on the server): a key, the units, a reviewer key for the district"
ADMIN=$(cds create-key --role admin --label "Quản trị hệ thống" 2>/dev/null)
api "$ADMIN" POST /v1/units '{"code":"HN","name":"Thành phố Hà Nội","type":"province","fromYear":"2020-2021"}' >/dev/null
api "$ADMIN" POST /v1/units '{"code":"HN-LB","name":"Quận Long Biên","type":"district","parentCode":"HN","fromYear":"2020-2021","toYear":"2024-2025"}' >/dev/null
api "$ADMIN" POST /v1/units '{"code":"HN-BD","name":"Phường Bồ Đề","type":"ward","parentCode":"HN","fromYear":"2025-2026"}' >/dev/null
OFFICER=$(api "$ADMIN" POST /v1/keys '{"role":"reviewer","label":"Sở GDĐT Hà Nội","unitCode":"HN"}' | jq -r .key)

echo "== 1. district officer: a period, the school, the school's key"
# The current school year (năm học, from August) and a submission deadline safely after it.
START=$(( 10#$(date +%m) >= 8 ? $(date +%Y) : $(date +%Y) - 1 ))
YEAR="$START-$((START + 1))"; DEADLINE="$((START + 2))-05-31T23:59:59+07:00"
PERIOD=$(api "$OFFICER" POST /v1/periods "{\"unitCode\":\"HN\",\"schoolYear\":\"$YEAR\",\"title\":\"Đánh giá CĐS năm học $YEAR\",\"criteriaSets\":[\"moet-4725\"],\"submissionDeadline\":\"$DEADLINE\"}" | jq -r .id)
printf 'moetCode,name,levels,ownership,unitCode,fromYear\n01234567,Trường THCS Bồ Đề,THCS,công lập,HN-BD,2025-2026\n' |
  curl -sS --fail-with-body "$BASE/v1/schools/import" -H "authorization: Bearer $OFFICER" -H 'content-type: text/csv' --data-binary @- ; echo
SCHOOL=$(api "$OFFICER" POST /v1/keys '{"role":"school","label":"Tổ CNTT THCS Bồ Đề","schoolCode":"01234567"}' | jq -r .key)

echo "== 2. school IT lead: find the school and period, start, save evidence, see the score, submit"
api "$SCHOOL" GET /v1/me | jq -c '{role, schoolCode}'
api "$SCHOOL" GET /v1/schools | jq -c '.items[] | {moetCode, name, memberships}'
api "$SCHOOL" GET /v1/periods | jq -c '.items[] | {id, title, criteriaSets, submissionDeadline}'
A=$(api "$SCHOOL" POST /v1/assessments "{\"schoolCode\":\"01234567\",\"periodId\":\"$PERIOD\"}" | jq -r .id)
V=1
# A partial save: the result is provisional and lists what is missing.
R=$(api "$SCHOOL" PATCH "/v1/assessments/$A/evidence" '{"facts":{"online_teaching_plan_issued":true,"online_teaching_regulation_issued":true}}' -H "if-match: \"$V\"")
jq -c '{complete, levels, missing: (.result.missingFacts | length)}' <<<"$R"; V=$(jq -r .version <<<"$R")
# The rest, from a file (here: the example school's facts).
EVIDENCE=$(mktemp); trap 'rm -f "$EVIDENCE"' EXIT
jq '{facts: .facts}' "$(dirname "$0")/../criteria/moet-4725/examples/strong-thcs.json" > "$EVIDENCE"
R=$(api "$SCHOOL" PATCH "/v1/assessments/$A/evidence" "$(cat "$EVIDENCE")" -H "if-match: \"$V\"")
jq -c '{complete, levels, overall: .result.overall.levelName}' <<<"$R"; V=$(jq -r .version <<<"$R")
api "$SCHOOL" GET "/v1/assessments/$A" | jq -r '.result.groups[0].criteria[2].explanation.text'
V=$(api "$SCHOOL" POST "/v1/assessments/$A/submit" '{}' -H "if-match: \"$V\"" | jq -r .version)

echo "== 3. district officer: list submissions, return with a reason; the school resubmits"
api "$OFFICER" GET "/v1/assessments?period=$PERIOD&state=submitted" | jq -c '.items[] | {id, school: .school.name, levels}'
V=$(api "$OFFICER" POST "/v1/assessments/$A/return" '{"reason":"Bổ sung minh chứng cho tiêu chí 1.4 (danh mục học liệu số)."}' -H "if-match: \"$V\"" | jq -r .version)
api "$SCHOOL" GET "/v1/assessments/$A" | jq -c '{state, returnReason}'
V=$(api "$SCHOOL" PATCH "/v1/assessments/$A/evidence" '{"facts":{"subjects_with_digital_materials":13}}' -H "if-match: \"$V\"" | jq -r .version)
V=$(api "$SCHOOL" POST "/v1/assessments/$A/submit" '{}' -H "if-match: \"$V\"" | jq -r .version)

echo "== 4. district officer: approve, record the external assessment, publish"
V=$(api "$OFFICER" POST "/v1/assessments/$A/approve" '{}' -H "if-match: \"$V\"" | jq -r .version)
R=$(api "$OFFICER" PUT "/v1/assessments/$A/external" '{"facts":{"sis_facilities_module":false}}' -H "if-match: \"$V\"")
jq -c '{self: .levels, external: .externalLevels}' <<<"$R"; V=$(jq -r .version <<<"$R")
api "$OFFICER" POST "/v1/assessments/$A/publish" '{}' -H "if-match: \"$V\"" | jq -c '{state, publishedAt, version}'
api "$OFFICER" GET "/v1/assessments/$A/audit" | jq -r '.items[] | "\(.at)  \(.action)  \(.actor)"'
echo "walkthrough complete: $A published"
