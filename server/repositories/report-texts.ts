import type { Knex } from 'knex';
import type { Db, Row } from './table.js';

/** One field of the Drucksache's frame ("sachbearbeitung", "finanzielle_auswirkungen", …) with its source. */
export interface ReportField {
  key: string;
  value: string;
  source: string | null;
}

/** A section of the Sachdarstellung: a team's (or a topic's) Umsetzungsstand and Weiterentwicklung. */
export interface ReportSection {
  id: number;
  position: number;
  team_id: number | null;
  heading: string;
  status_text: string | null;
  outlook_text: string | null;
  source: string | null;
}

/** The council report's own texts (SPEC section 16). */
export class ReportTextRepo {
  constructor(private readonly db: Knex) {}

  async fields(db: Db = this.db): Promise<Map<string, ReportField>> {
    const rows: Row[] = await db('report_fields').select('key', 'value', 'source');
    return new Map(rows.map((r) => [String(r.key), { key: String(r.key), value: String(r.value), source: (r.source as string | null) ?? null }]));
  }

  async sections(db: Db = this.db): Promise<ReportSection[]> {
    const rows: Row[] = await db('report_sections')
      .select('id', 'position', 'team_id', 'heading', 'status_text', 'outlook_text', 'source')
      .orderBy([{ column: 'position' }, { column: 'id' }]);
    return rows.map((r) => ({
      id: Number(r.id),
      position: Number(r.position),
      team_id: r.team_id === null || r.team_id === undefined ? null : Number(r.team_id),
      heading: String(r.heading),
      status_text: (r.status_text as string | null) ?? null,
      outlook_text: (r.outlook_text as string | null) ?? null,
      source: (r.source as string | null) ?? null,
    }));
  }
}
