import type { Knex } from 'knex';
import { type Db, type Row, TableRepo } from './table.js';

export type LeaseKind = 'lease' | 'owned';
export const LEASE_KINDS: readonly LeaseKind[] = ['lease', 'owned'];

/** A site's lease (or, `owned`, its running costs as the owner) over a period (SPEC section 15). */
export interface Lease {
  id: number;
  site_id: number;
  kind: LeaseKind;
  start: string;
  /** last day of the lease (inclusive); null: open-ended */
  end: string | null;
  notice_months: number | null;
  rent_month_eur: number;
  service_charges_month_eur: number;
  landlord: string | null;
  notes: string | null;
  version: number;
  updated_by: number | null;
  created_at: string;
  updated_at: string;
}

/** What the planning engine reads of a lease. */
export type LeaseTerms = Pick<Lease, 'id' | 'site_id' | 'kind' | 'start' | 'end' | 'notice_months' | 'rent_month_eur' | 'service_charges_month_eur'>;

/** Leases of the sites; several per site over time, never overlapping (checked by the service in the write's transaction). */
export class LeaseRepo extends TableRepo<Lease> {
  constructor(db: Knex) {
    super(db, 'leases');
  }

  protected override map(row: Row): Lease {
    const l = super.map(row);
    // PostgreSQL hands doubles over as numbers, SQLite too; a driver that sends text is made to agree
    return { ...l, rent_month_eur: Number(l.rent_month_eur), service_charges_month_eur: Number(l.service_charges_month_eur) };
  }

  /** A site's leases, earliest first. */
  async forSite(siteId: number, db: Db = this.db): Promise<Lease[]> {
    const rows: Row[] = await this.query(db)
      .where({ site_id: siteId })
      .orderBy([{ column: 'start' }, { column: 'id' }]);
    return rows.map((r) => this.map(r));
  }

  /**
   * The other leases of the site whose period meets [start, end] (end null: open-ended). Read
   * inside the write's transaction, after the write, so two writes at once cannot both pass.
   */
  async overlapping(siteId: number, start: string, end: string | null, exceptId: number, db: Db = this.db): Promise<Lease[]> {
    const q = this.query(db).where({ site_id: siteId }).whereNot({ id: exceptId });
    // theirs ends on or after our start (or never) …
    q.where((w) => w.whereNull('end').orWhere('end', '>=', start));
    // … and starts on or before our end (when we have one)
    if (end !== null) q.where('start', '<=', end);
    const rows: Row[] = await q.orderBy('start');
    return rows.map((r) => this.map(r));
  }

  /** Every lease as the engine reads it. */
  async terms(db: Db = this.db): Promise<LeaseTerms[]> {
    const rows: Row[] = await this.query(db)
      .select('id', 'site_id', 'kind', 'start', 'end', 'notice_months', 'rent_month_eur', 'service_charges_month_eur')
      .orderBy([{ column: 'site_id' }, { column: 'start' }, { column: 'id' }]);
    return rows.map((r) => this.map(r));
  }
}
