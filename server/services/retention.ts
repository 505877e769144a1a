import type { AuditRepo, RateLimitRepo } from '../repositories/index.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Data retention (AUDIT_RETENTION_DAYS): audit entries and login-attempt counters older than the
 * retention period are deleted. 0 keeps everything. The pruning itself is recorded in the audit log.
 */
export class RetentionService {
  constructor(
    private readonly audit: AuditRepo,
    private readonly rateLimits: RateLimitRepo,
    private readonly days: number,
  ) {}

  async prune(now: Date = new Date()): Promise<{ audit: number; login_attempts: number } | null> {
    if (this.days <= 0) return null;
    const cutoff = now.getTime() - this.days * DAY_MS;
    const audit = await this.audit.pruneBefore(new Date(cutoff).toISOString());
    const loginAttempts = await this.rateLimits.pruneBefore(cutoff);
    if (audit > 0) {
      await this.audit.record({
        user_id: null,
        username: 'system',
        action: 'prune',
        entity: 'dataset',
        entity_id: null,
        after: { deleted: audit, before: new Date(cutoff).toISOString(), retention_days: this.days },
      });
    }
    return { audit, login_attempts: loginAttempts };
  }
}
