// OpenAPI 3.1 generated from the route schemas, served at /docs (UI) and /docs/json.
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'

export async function installDocs(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'CĐS assessment service',
        description: 'Đánh giá mức độ chuyển đổi số của cơ sở giáo dục (QĐ 4725/QĐ-BGDĐT and district models): scoring, self-assessment workflow, review.',
        version,
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'an API key "cds_…" issued by an admin or reviewer' } } },
      security: [{ apiKey: [] }],
      tags: [
        { name: 'scoring', description: 'stateless scoring other systems embed' },
        { name: 'criteria', description: 'criteria sets (bộ tiêu chí) and their evidence schema' },
        { name: 'units', description: 'administrative units, dated by school year' },
        { name: 'schools' }, { name: 'periods', description: 'assessment periods (đợt đánh giá)' },
        { name: 'assessments', description: 'self-assessments, evidence and the review workflow' },
        { name: 'keys', description: 'API keys' }, { name: 'ops', description: 'health and readiness' },
      ],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (json.$id as string | undefined) ?? `def-${i}` },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
}
