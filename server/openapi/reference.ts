/**
 * The OpenAPI document as a plain reference for the page /api/docs (views/pages/api-docs.ejs):
 * operations grouped by tag, each with its parameters, body and answers, and the named schemas —
 * every type as text, so the page is server-rendered HTML with no script.
 */

type Schema = Record<string, unknown>;
interface Doc {
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<string, Record<string, Schema>>;
  components?: { schemas?: Record<string, Schema> };
}

/** A type in words: `string`, `integer ≥ 0`, `"a" | "b"`, `array of Site`; `ref` names a schema the page lists. */
export interface TypeText {
  text: string;
  ref?: string;
}
export interface FieldDoc {
  name: string;
  type: TypeText;
  required: boolean;
  description: string | null;
  /** an inline object's own fields (to a small depth) */
  fields: FieldDoc[];
}
export interface OperationDoc {
  id: string;
  method: string;
  path: string;
  tag: string;
  summary: string;
  description: string | null;
  /** true when the operation needs no login */
  public: boolean;
  parameters: { name: string; in: string; required: boolean; type: TypeText; description: string | null }[];
  body: { contentType: string; type: TypeText; fields: FieldDoc[] } | null;
  responses: { status: string; description: string; contentType: string | null; type: TypeText | null }[];
}
export interface ApiReference {
  title: string;
  version: string;
  description: string | null;
  groups: { tag: string; operations: OperationDoc[] }[];
  schemas: { name: string; type: TypeText; fields: FieldDoc[] }[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const MAX_DEPTH = 2;

const refName = (s: Schema): string | null => (typeof s.$ref === 'string' ? s.$ref.replace('#/components/schemas/', '') : null);

function bounds(s: Schema): string {
  const parts: string[] = [];
  if (typeof s.minimum === 'number') parts.push(`≥ ${s.minimum}`);
  if (typeof s.maximum === 'number') parts.push(`≤ ${s.maximum}`);
  if (typeof s.minLength === 'number' && s.minLength > 0) parts.push(`≥ ${s.minLength} chars`);
  if (typeof s.maxLength === 'number') parts.push(`≤ ${s.maxLength} chars`);
  if (typeof s.maxItems === 'number') parts.push(`≤ ${s.maxItems} items`);
  if (typeof s.format === 'string') parts.push(s.format);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** A schema's type as one line of text. */
export function typeText(s: Schema | undefined): TypeText {
  if (!s) return { text: 'any' };
  const ref = refName(s);
  if (ref) return { text: ref, ref };
  if (Array.isArray(s.enum)) return { text: s.enum.map((v) => JSON.stringify(v)).join(' | ') };
  if ('const' in s) return { text: JSON.stringify(s.const) };
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = s[key];
    if (Array.isArray(list)) {
      const parts = (list as Schema[]).map((x) => typeText(x));
      return { text: parts.map((p) => p.text).join(key === 'allOf' ? ' & ' : ' | '), ref: parts.find((p) => p.ref)?.ref };
    }
  }
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  if (types.includes('array')) {
    const item = typeText(s.items as Schema | undefined);
    const rest = types.filter((x) => x !== 'array');
    return { text: `array of ${item.text}${bounds(s)}${rest.length ? ` | ${rest.join(' | ')}` : ''}`, ref: item.ref };
  }
  if (!types.length) return { text: s.properties ? 'object' : 'any' };
  return { text: `${types.join(' | ')}${bounds(s)}` };
}

/** The fields of an object schema (inline objects one or two levels down; named schemas by link). */
export function fieldsOf(s: Schema | undefined, depth = 0): FieldDoc[] {
  if (!s || refName(s) || depth > MAX_DEPTH) return [];
  const items = Array.isArray(s.type) || s.type === 'array' ? (s.items as Schema | undefined) : undefined;
  if (items && !refName(items)) return fieldsOf(items, depth);
  const props = s.properties as Record<string, Schema> | undefined;
  if (!props) return [];
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  return Object.entries(props).map(([name, p]) => ({
    name,
    type: typeText(p),
    required: required.has(name),
    description: typeof p.description === 'string' ? p.description : null,
    fields: fieldsOf(p, depth + 1),
  }));
}

/** The whole reference, operations in document order within their first tag's group (groups by name). */
export function apiReference(doc: Doc): ApiReference {
  const groups = new Map<string, OperationDoc[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = (Array.isArray(op.tags) && typeof op.tags[0] === 'string' ? op.tags[0] : 'other') as string;
      const body = op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined;
      const [bodyType, bodyContent] = Object.entries(body?.content ?? {})[0] ?? [];
      const operation: OperationDoc = {
        id: typeof op.operationId === 'string' ? op.operationId : `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-'),
        method: method.toUpperCase(),
        path,
        tag,
        summary: typeof op.summary === 'string' ? op.summary : '',
        description: typeof op.description === 'string' ? op.description : null,
        public: Array.isArray(op.security) && op.security.length === 0,
        parameters: ((op.parameters ?? []) as Schema[]).map((p) => ({
          name: String(p.name),
          in: String(p.in),
          required: p.required === true,
          type: typeText(p.schema as Schema | undefined),
          description:
            typeof p.description === 'string'
              ? p.description
              : typeof (p.schema as Schema)?.description === 'string'
                ? String((p.schema as Schema).description)
                : null,
        })),
        body: bodyType ? { contentType: bodyType, type: typeText(bodyContent?.schema), fields: fieldsOf(bodyContent?.schema) } : null,
        responses: Object.entries((op.responses ?? {}) as Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>).map(
          ([status, r]) => {
            const [contentType, content] = Object.entries(r.content ?? {})[0] ?? [];
            return { status, description: r.description ?? '', contentType: contentType ?? null, type: content ? typeText(content.schema) : null };
          },
        ),
      };
      groups.set(tag, [...(groups.get(tag) ?? []), operation]);
    }
  }
  return {
    title: doc.info?.title ?? 'API',
    version: doc.info?.version ?? '',
    description: doc.info?.description ?? null,
    groups: [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([tag, operations]) => ({ tag, operations })),
    schemas: Object.entries(doc.components?.schemas ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, s]) => ({ name, type: typeText({ ...s, $ref: undefined }), fields: fieldsOf(s) })),
  };
}
