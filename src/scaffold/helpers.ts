import Handlebars from 'handlebars';

/** Names the engine registers; templates may use these plus Handlebars' built-ins (if, unless, each, with, lookup). */
export const HELPER_NAMES = ['eq', 'json', 'includes'] as const;

/**
 * The one Handlebars environment templates render in: isolated from the global instance so nothing else in
 * the process can add or replace a helper.
 */
export function createEnvironment(): typeof Handlebars {
  const hb = Handlebars.create();
  // `{{#if (eq phase "month-one")}}`
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // `{{json dependencies}}` → JSON text, for embedding values in generated code or config.
  hb.registerHelper('json', (value: unknown) => JSON.stringify(value ?? null));
  // `{{#if (includes primitives "events")}}`: membership in a list, or a key of a map.
  hb.registerHelper('includes', (collection: unknown, item: unknown) => {
    if (Array.isArray(collection)) return collection.includes(item);
    if (collection !== null && typeof collection === 'object')
      return (
        Object.hasOwn(collection, String(item)) &&
        Boolean((collection as Record<string, unknown>)[String(item)])
      );
    if (typeof collection === 'string') return collection.includes(String(item));
    return false;
  });
  return hb;
}
