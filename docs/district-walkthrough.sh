#!/usr/bin/env bash
# The README's district walkthrough as one script: a Phòng GDĐT loads its own model from a CSV
# table, opens a period with it beside QĐ 4725, and after the schools' self-assessments reads the
# rollup, the plan targets, the exports and a printable phiếu. Needs a running service (npm start),
# curl and jq. CI runs it against a fresh server (test/http/district-walkthrough.test.ts).
# Usage: BASE=http://localhost:3000 bash docs/district-walkthrough.sh
set -euo pipefail
BASE=${BASE:-http://localhost:3000}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$(mktemp -d)}
cds() { node "$HERE/../bin/cds.js" "$@"; }
api() { # api KEY METHOD PATH [JSON] [extra curl args…] — prints the body, fails on HTTP >= 400
  local key=$1 method=$2 path=$3 body=${4:-}; shift 4 || shift $#
  curl -sS --fail-with-body -X "$method" "$BASE$path" -H "authorization: Bearer $key" \
    ${body:+-H 'content-type: application/json' --data "$body"} "$@"
}

echo "== 0. admin: the district, three schools, the district officer's key"
ADMIN=$(cds create-key --role admin --label "Quản trị hệ thống" 2>/dev/null)
api "$ADMIN" POST /v1/units '{"code":"LB","name":"Quận Long Biên","type":"district","fromYear":"2020-2021"}' >/dev/null
printf '%s\n' 'moetCode,name,levels,ownership,unitCode,fromYear' \
  '01010001,Trường THCS Ngọc Thụy,THCS,công lập,LB,2020-2021' \
  '01010002,Trường Tiểu học Ngọc Lâm,TH,công lập,LB,2020-2021' \
  '01010003,Trường Liên cấp Việt Hưng,TH;THCS,tư thục,LB,2020-2021' |
  curl -sS --fail-with-body "$BASE/v1/schools/import" -H "authorization: Bearer $ADMIN" -H 'content-type: text/csv' --data-binary @- >/dev/null
OFFICER=$(api "$ADMIN" POST /v1/keys '{"role":"reviewer","label":"Phòng GDĐT Long Biên","unitCode":"LB"}' | jq -r .key)

echo "== 1. officer: import the district's criteria table (CSV) as a draft and read the verifier's report"
BODY=$(jq -n --rawfile csv "$HERE/examples/district-model.csv" '{
  unitCode: "LB", id: "lb-mo-hinh-cds", version: "2026-2027", title: "Bộ tiêu chí trường học chuyển đổi số (ví dụ)",
  document: {issuer: "Phòng GDĐT quận Long Biên (ví dụ minh họa)", number: "01/VD-PGDĐT", date: "2026-08-05"},
  appliesTo: ["TH", "THCS"], csv: $csv}')
api "$OFFICER" POST /v1/authored-sets/import "$BODY" | jq -c '{set: .set | {id, version, status}, verification: .verification | {errors, warnings}}'
echo "== 2. officer: publish it (immutable from now on) and open a period with QĐ 4725 and the district model"
api "$OFFICER" POST /v1/authored-sets/lb-mo-hinh-cds/2026-2027/publish '{}' | jq -c '.set | {id, version, status}'
# The current school year (năm học, from August) and a submission deadline safely after it.
START=$(( 10#$(date +%m) >= 8 ? $(date +%Y) : $(date +%Y) - 1 ))
YEAR="$START-$((START + 1))"; DEADLINE="$((START + 2))-05-31T23:59:59+07:00"
PERIOD=$(api "$OFFICER" POST /v1/periods "{\"unitCode\":\"LB\",\"schoolYear\":\"$YEAR\",\"title\":\"Đánh giá CĐS năm học $YEAR\",\"criteriaSets\":[\"moet-4725\",\"lb-mo-hinh-cds\"],\"submissionDeadline\":\"$DEADLINE\"}" | jq -r .id)

echo "== 3. schools (here the admin for them): evidence for both sets, submit"
DISTRICT_FACTS='{"online_teaching_plan":true,"teachers_with_lms_account":18,"teachers_total":24,"lms_homework":true,"lms_online_quiz":false,"lms_parent_tracking":true,"shared_digital_library":true,"lessons_with_slides_pct":60,"students_with_digital_transcript":450,"students_total":500,"electronic_gradebook":true,"cashless_fees":true,"online_admission":false}'
assess() { # assess SCHOOL SET FACTS_JSON → prints the assessment id, submitted
  local id v
  id=$(api "$ADMIN" POST /v1/assessments "{\"schoolCode\":\"$1\",\"periodId\":\"$PERIOD\",\"criteriaSet\":\"$2\"}" | jq -r .id)
  v=$(api "$ADMIN" PATCH "/v1/assessments/$id/evidence" "{\"facts\":$3}" -H 'if-match: "1"' | jq -r .version)
  api "$ADMIN" POST "/v1/assessments/$id/submit" '{}' -H "if-match: \"$v\"" >/dev/null
  echo "$id"
}
facts() { jq -c .facts "$HERE/../criteria/moet-4725/examples/$1.json"; }
A1=$(assess 01010001 moet-4725 "$(facts strong-thcs)")
A2=$(assess 01010002 moet-4725 "$(facts weak-rural-th)")
assess 01010001 lb-mo-hinh-cds "$DISTRICT_FACTS" >/dev/null
# School 01010003 has not started: the rollup names it.

echo "== 4. officer: approve, record an external assessment that cuts one criterion, approve the other"
api "$OFFICER" PUT "/v1/assessments/$A1/external" '{"facts":{"family_school_app":false}}' -H 'if-match: "3"' | jq -c '{self: .levels, external: .externalLevels}'
api "$OFFICER" POST "/v1/assessments/$A1/approve" '{}' -H 'if-match: "4"' >/dev/null
api "$OFFICER" POST "/v1/assessments/$A2/approve" '{}' -H 'if-match: "3"' >/dev/null

echo "== 5. officer: the rollup (approved and published by default; includeSubmitted=true adds submitted)"
S=$(api "$OFFICER" GET "/v1/units/LB/summary?period=$PERIOD")
jq -c '.schools | {inScope, counted, byState, notAssessed: [.notAssessed[].moetCode]}' <<<"$S"
jq -c '.overall.groups[] | {code, levels, meanTotal, medianTotal}' <<<"$S"
jq -c '{levelThreeInBothGroups: .overall.topLevelInAllGroups, weakest: [.criteria[:3][] | {code, meanPoints, maxPoints}]}' <<<"$S"
jq -c '.external | {assessments, groups, cut: [.criteria[] | {code, cut, pointsCut}]}' <<<"$S"
echo "   the district model's targets (submitted results included):"
api "$OFFICER" GET "/v1/units/LB/summary?period=$PERIOD&set=lb-mo-hinh-cds&includeSubmitted=true" |
  jq -c '.targets[] | {code, title, met, notMet, schools: [.schools[] | {moetCode, value, gap}]}'

echo "== 6. officer: exports (one row per school) and a printable phiếu"
curl -sS --fail-with-body "$BASE/v1/units/LB/report?period=$PERIOD&format=csv" -H "authorization: Bearer $OFFICER" -o "$OUT/bao-cao.csv"
curl -sS --fail-with-body "$BASE/v1/units/LB/report?period=$PERIOD&format=xlsx" -H "authorization: Bearer $OFFICER" -o "$OUT/bao-cao.xlsx"
curl -sS --fail-with-body "$BASE/v1/assessments/$A1/sheet" -H "authorization: Bearer $OFFICER" -o "$OUT/phieu.html"
sed "1s/^\xEF\xBB\xBF//" "$OUT/bao-cao.csv" | head -3 | cut -c1-150
ls -l "$OUT"/bao-cao.xlsx "$OUT"/phieu.html | awk '{print $5, $NF}'
echo "district walkthrough complete: $PERIOD"
