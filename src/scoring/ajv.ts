// One way to make an Ajv instance (with formats) for the whole project.
import { Ajv, type Options } from 'ajv'
import addFormatsModule from 'ajv-formats'

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: Ajv) => Ajv

export function newAjv(options: Options): Ajv {
  return addFormats(new Ajv(options))
}
