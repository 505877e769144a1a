import type { SessionUser } from '../auth/guards.js';
import { notFound } from '../errors.js';
import type { Move, Project, SiteEvent } from '../repositories/index.js';
import type { ProjectRepo } from '../repositories/projects.js';
import type { TableRepo } from '../repositories/table.js';
import type { MoveRepo } from '../repositories/index.js';
import * as S from '../schemas.js';
import { parseBody, requirePlanner } from './rules.js';
import type { WriteService } from './write-service.js';

export interface ProjectWithRecords extends Project {
  moves: Move[];
  events: SiteEvent[];
}

/** Projects (Vorhaben): named groups of moves and site events. Planners and admins write; everyone reads. */
export class ProjectService {
  constructor(
    private readonly repos: { projects: ProjectRepo; moves: MoveRepo; events: TableRepo<SiteEvent> },
    private readonly writes: WriteService,
  ) {}

  list(): Promise<Project[]> {
    return this.repos.projects.byName();
  }

  async listWithCounts(): Promise<(Project & { moves: number; events: number })[]> {
    const [list, counts] = await Promise.all([this.repos.projects.byName(), this.repos.projects.counts()]);
    return list.map((p) => ({ ...p, moves: counts.get(p.id)?.moves ?? 0, events: counts.get(p.id)?.events ?? 0 }));
  }

  async get(id: number): Promise<ProjectWithRecords> {
    const p = await this.repos.projects.get(id);
    if (!p) throw notFound('project');
    const [moves, events] = await Promise.all([this.repos.moves.find({ project_id: id }), this.repos.events.list({ project_id: id })]);
    events.sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id);
    return { ...p, moves, events };
  }

  // ---------- for the forms: who may change what is asked here, not in the pages ----------
  /** A blank project form, or a project's deletion: planners only (403); the user who may. */
  mayWrite(user: SessionUser | undefined): SessionUser {
    requirePlanner(user);
    return user;
  }
  /** The project a form changes: planners only (403); 404 when there is none. */
  async forChange(user: SessionUser | undefined, id: number): Promise<ProjectWithRecords> {
    requirePlanner(user);
    return this.get(id);
  }

  async exists(id: number): Promise<boolean> {
    return Boolean(await this.repos.projects.get(id));
  }

  async create(user: SessionUser, body: unknown): Promise<Project> {
    requirePlanner(user);
    const v = parseBody(S.ProjectCreate, body);
    return this.writes.create(this.repos.projects, 'project', user, { ...v, updated_by: user.id });
  }

  async update(user: SessionUser, id: number, body: unknown): Promise<Project> {
    requirePlanner(user);
    const { version, ...v } = parseBody(S.ProjectPatch, body);
    return this.writes.update(this.repos.projects, 'project', user, id, version, { ...v, updated_by: user.id });
  }

  /** Deleting a project keeps its moves and events; they no longer belong to a project. */
  async remove(user: SessionUser, id: number, version?: number): Promise<void> {
    requirePlanner(user);
    await this.writes.remove(this.repos.projects, 'project', user, id, version, async (trx) => {
      await this.repos.projects.detach(id, trx);
    });
  }
}
