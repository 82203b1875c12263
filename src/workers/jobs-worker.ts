// Worker thread of the other heavy jobs (see pool.ts). Each export is a task name.
export async function ping(): Promise<string> { return 'pong' }
