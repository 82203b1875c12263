// Where the shipped criteria live: <package root>/criteria (same from src/ under tsx and dist/).
export function criteriaDir(): URL {
  return new URL('../../criteria/', import.meta.url)
}

export function schemaDir(): URL {
  return new URL('schema/', criteriaDir())
}
