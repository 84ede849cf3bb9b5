import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import { textFormat } from './schemas/text.js';

/**
 * One sentence per schema violation, naming the field and, where ajv's
 * terse wording would leave the caller guessing, what was expected:
 * `body/mode must be one of: silent, normal, active`,
 * `querystring has an unknown field 'lmit'`,
 * `querystring/q must not contain NUL characters or unpaired UTF-16 surrogates`.
 */
export function validationMessage(errors: FastifySchemaValidationError[], dataVar: string): string {
  return errors
    .map((e) => {
      const where = `${dataVar}${e.instancePath}`;
      const params = e.params as Record<string, unknown>;
      if (e.keyword === 'enum' && Array.isArray(params.allowedValues)) {
        return `${where} must be one of: ${params.allowedValues.map(String).join(', ')}`;
      }
      if (e.keyword === 'format' && params.format === textFormat.name) return `${where} ${textFormat.rule}`;
      if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
        return `${where} has an unknown field '${params.additionalProperty}'`;
      }
      return `${where} ${e.message ?? 'is invalid'}`;
    })
    .join('; ');
}
