// Worker entry when the service runs from its TypeScript sources (npm start, the tests): a loader
// passed to the main thread with --import is not reliably active in a worker thread before it
// loads its module, so the module is imported here, after registering tsx if no loader handles .ts.
// The compiled service (dist/) loads its .js workers directly and never uses this file.
import { workerData } from 'node:worker_threads'

let loaded
async function load() {
  if (!loaded) {
    // A failed import is remembered by the loader: probe with a file of its own first.
    loaded = import(new URL('./ts-probe.ts', import.meta.url).href).catch(async (e) => {
      if (e?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e
      const { register } = await import('tsx/esm/api')
      register()
    }).then(() => import(workerData.module))
  }
  return loaded
}

/** { name, task }: runs the named export of the worker module. */
export default async function run({ name, task }) {
  const mod = await load()
  return mod[name](task)
}
