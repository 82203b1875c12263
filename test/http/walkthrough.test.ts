// The README walkthrough (docs/walkthrough.sh) against a real server: a new user's path from an
// empty database to a published assessment, with curl and jq as the README uses them.
import { execFileSync, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { childEnv, ROOT, startServer } from '../support/server-process.js'

const missing = ['curl', 'jq', 'bash'].filter((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0)

t.test('docs/walkthrough.sh walks an assessment from draft to published', { skip: missing.length > 0 ? `needs ${missing.join(', ')}` : false }, async (t) => {
  const server = await startServer(t)
  const out = execFileSync('bash', [fileURLToPath(new URL('docs/walkthrough.sh', ROOT))], {
    env: childEnv({ DATA_DIR: server.dataDir, BASE: `http://127.0.0.1:${server.port}` }), encoding: 'utf8', timeout: 60_000,
  })
  t.match(out, /walkthrough complete: [0-9a-f-]{36} published/)
  // strong-thcs: Nhóm I 89.03 → after the resubmission 1.4 has 13/14 subjects: 10 × 13/14 = 9.29 (+0.72) → 89.75
  t.match(out, /"external":\[\{"group":"I","total":89\.75,"level":3[^\]]*\{"group":"II","total":70,"level":2/, 'the external assessment shows beside the self-assessment')
  t.match(out, /assessment\.publish/, 'the audit log ends with the publication')
})
