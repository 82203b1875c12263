// Wires the services over one store and catalog.
import type { Config } from '../config.js'
import type { Catalog } from '../criteria/catalog.js'
import type { Store } from '../repositories/types.js'
import { Access } from './access.js'
import { CriteriaAuthoringService } from './criteria-authoring.js'
import { AssessmentsService } from './assessments.js'
import type { ServiceContext } from './context.js'
import { DocumentsService } from './documents.js'
import { FileStore } from './file-store.js'
import { KeysService } from './keys.js'
import { PeriodsService } from './periods.js'
import { ReportsService } from './reports.js'
import { SchoolsService } from './schools.js'
import { Scoring } from './scoring.js'
import { UnitsService } from './units.js'
import { UsersService } from './users.js'
import { SessionsService } from './sessions.js'
import type { WorkerPools } from '../workers/pool.js'

export interface Services {
  ctx: ServiceContext
  scoring: Scoring
  units: UnitsService
  schools: SchoolsService
  periods: PeriodsService
  assessments: AssessmentsService
  documents: DocumentsService
  keys: KeysService
  reports: ReportsService
  authoring: CriteriaAuthoringService
  users: UsersService
  sessions: SessionsService
}

export function createServices(store: Store, catalog: Catalog, config: Config, now: () => Date = () => new Date(), pools: WorkerPools | null = null): Services {
  const scoring = new Scoring(catalog)
  const ctx: ServiceContext = { store, scoring, access: new Access(store), config, now, pools }
  const units = new UnitsService(ctx)
  const schools = new SchoolsService(ctx)
  const periods = new PeriodsService(ctx)
  const assessments = new AssessmentsService(ctx, periods, schools)
  return {
    ctx, scoring, units, schools, periods, assessments,
    documents: new DocumentsService(ctx, assessments, new FileStore(config.uploadsDir)),
    keys: new KeysService(ctx),
    reports: new ReportsService(ctx, periods, assessments),
    authoring: new CriteriaAuthoringService(ctx, catalog),
    users: new UsersService(ctx),
    sessions: new SessionsService(ctx),
  }
}
