// drizzle-kit settings (paths are from the project root): npm run db:generate -- --name <change>
import { defineConfig } from 'drizzle-kit'

export default defineConfig({ dialect: 'sqlite', schema: './src/db/schema.ts', out: './migrations/sqlite' })
