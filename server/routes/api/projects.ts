import { Router } from 'express';
import type { ProjectService } from '../../services/projects.js';
import { idParams, parse } from '../validate.js';
import { deleteVersion, me } from './write.js';

/** Projects (Vorhaben): GET|POST /api/projects, GET|PATCH|DELETE /api/projects/:id. */
export function projectRoutes(projects: ProjectService): Router {
  const r = Router();
  r.get('/projects', async (_req, res) => { res.json(await projects.listWithCounts()); });
  r.get('/projects/:id', async (req, res) => { res.json(await projects.get(parse(idParams, req.params).id)); });
  r.post('/projects', async (req, res) => { res.status(201).json(await projects.create(me(req), req.body)); });
  r.patch('/projects/:id', async (req, res) => { res.json(await projects.update(me(req), parse(idParams, req.params).id, req.body)); });
  r.delete('/projects/:id', async (req, res) => {
    await projects.remove(me(req), parse(idParams, req.params).id, deleteVersion(req));
    res.status(204).end();
  });
  return r;
}
