// Reads managed_schema.json and lists keys lacking a title or description.
import { readFileSync } from 'node:fs';

interface Node { title?: string; description?: string; properties?: Record<string, Node>; items?: Node }

export function schemaKeys(): { keys: string[]; missing: string[] } {
  const schema = JSON.parse(readFileSync(new URL('../../managed_schema.json', import.meta.url), 'utf8')) as Node;
  const missing: string[] = [];
  const walk = (n: Node, path: string): void => {
    for (const [k, child] of Object.entries(n.properties ?? {})) {
      const p = path ? `${path}.${k}` : k;
      if (!child.title || !child.description) missing.push(p);
      walk(child, p);
    }
    if (n.items) walk(n.items, `${path}[]`);
  };
  walk(schema, '');
  return { keys: Object.keys(schema.properties ?? {}), missing };
}
