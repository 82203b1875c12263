// Imported by ts-entry.mjs to learn whether this thread can load TypeScript.
export const probe: boolean = true
