import { z } from 'zod';
import { PRIMITIVES } from '../rubrics/schema.js';

/** What a template can stand for besides the twelve primitives: the agent loop and the project skeleton. */
export const EXTRA_TEMPLATE_KINDS = ['agent-loop', 'project'] as const;

/** The only runtime dependencies generated code may bring in (it never depends on plumbline). */
export const ALLOWED_RUNTIME_DEPENDENCIES = ['@anthropic-ai/sdk', 'zod'] as const;

const templateId = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'template ids are lowercase words joined by dashes, like "tool-registry"');

/** An npm version range; `*`, tags and URLs are refused so a generated project pins something real. */
const versionRange = z
  .string()
  .regex(/^[~^]?\d+(\.\d+){0,2}(-[\w.]+)?$/, 'use a version or a caret/tilde range such as "^4.1.0"');

const dependencyMap = z.record(z.string().min(1), versionRange);

export const TemplateFileSchema = z
  .object({
    /** A Handlebars file beside template.yaml. */
    from: z
      .string()
      .min(1)
      .regex(/^[^/\\][^\\]*$/, 'a path relative to the template folder, with forward slashes'),
    /** The target path inside the project; rendered with the same variables as file contents. */
    to: z.string().min(1),
    /** Skip this file when that template is in the project too (it provides a richer version). */
    unless: templateId.optional(),
  })
  .strict();
export type TemplateFile = z.infer<typeof TemplateFileSchema>;

/** `templates/<language>/<id>/template.yaml`. */
export const TemplateSchema = z
  .object({
    id: templateId,
    primitive: z.enum([...PRIMITIVES, ...EXTRA_TEMPLATE_KINDS]),
    /** Bump whenever the rendered output changes: the scaffold lock records it. */
    version: z.number().int().min(1),
    description: z.string().min(1),
    /** Rubric criterion ids this template makes pass. */
    satisfies: z.array(z.string().min(1)).default([]),
    /** Other templates that must be rendered too (their modules are imported by this one). */
    requires: z.array(templateId).default([]),
    dependencies: dependencyMap.default({}),
    devDependencies: dependencyMap.default({}),
    files: z.array(TemplateFileSchema).min(1),
  })
  .strict();
export type TemplateManifest = z.infer<typeof TemplateSchema>;
