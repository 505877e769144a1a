/** The migrations in order. knex runs them through `migrationSource` (see server/db/knex.ts). */
import type { Knex } from 'knex';
import * as m001 from './20261124_001_core_schema.js';
import * as m002 from './20261124_002_audit_sessions.js';
import * as m003 from './20261125_003_feed_tokens.js';
import * as m004 from './20261125_004_rate_limits.js';
import * as m100 from './20261126_100_session_epoch.js';
import * as m200 from './20261126_200_projects.js';
import * as m201 from './20261126_201_scenario_overrides.js';
import * as m300 from './20261126_300_estimates_assessment_event_facts.js';
import * as m500 from './20261126_500_candidate_sites.js';
import * as m600 from './20261126_600_oidc_accounts.js';
import * as m1206_200 from './20261206_200_leases.js';
import * as m1206_300 from './20261206_300_acknowledgements.js';
import * as m20261206_100 from './20261206_100_floors.js';
import * as m1206_301 from './20261206_301_report_texts.js';
import * as m1206_302 from './20261206_302_accessibility_assessment.js';

export const migrations: Record<string, Knex.Migration> = {
  '20261124_001_core_schema': m001,
  '20261124_002_audit_sessions': m002,
  '20261125_003_feed_tokens': m003,
  '20261125_004_rate_limits': m004,
  '20261126_100_session_epoch': m100,
  '20261126_200_projects': m200,
  '20261126_201_scenario_overrides': m201,
  '20261126_300_estimates_assessment_event_facts': m300,
  '20261126_500_candidate_sites': m500,
  '20261126_600_oidc_accounts': m600,
  '20261206_200_leases': m1206_200,
  '20261206_300_acknowledgements': m1206_300,
  '20261206_100_floors': m20261206_100,
  '20261206_301_report_texts': m1206_301,
  '20261206_302_accessibility_assessment': m1206_302,
};
