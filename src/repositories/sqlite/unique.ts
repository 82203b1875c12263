import { DuplicateKeyError } from '../types.js'

/** Runs `fn`, turning a unique-constraint failure into a DuplicateKeyError: services check for
 *  duplicates first, but two concurrent requests can both pass that check. */
export function uniqueOr<T>(entity: DuplicateKeyError['entity'], fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' || (e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      throw new DuplicateKeyError(entity, (e as Error).message)
    }
    throw e
  }
}
