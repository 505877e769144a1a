import { z } from 'zod';
import { Router } from 'express';
import type { ProjectService } from '../../services/projects.js';
import { idParams, parse } from '../validate.js';
import { createDoc, deleteDoc, deleteVersion, me, updateDoc } from '../crud.js';
import { doc } from '../../openapi/doc.js';
import * as R from '../../openapi/responses.js';
import * as S from '../../schemas.js';

/** Projects (Vorhaben): GET|POST /api/projects, GET|PATCH|DELETE /api/projects/:id. */
export function projectRoutes(projects: ProjectService): Router {
  const r = Router();
  r.get(
    '/projects',
    doc({ tag: 'projects', summary: 'All projects, with how many moves and events each has', response: { schema: z.array(R.Project) } }),
    async (_req, res) => {
      res.json(await projects.listWithCounts());
    },
  );
  r.get(
    '/projects/:id',
    doc({ tag: 'projects', summary: 'One project', params: idParams, response: { schema: R.Project }, errors: [404] }),
    async (req, res) => {
      res.json(await projects.get(parse(idParams, req.params).id));
    },
  );
  r.post('/projects', createDoc('projects', 'project', S.ProjectCreate, R.Project), async (req, res) => {
    res.status(201).json(await projects.create(me(req), req.body));
  });
  r.patch('/projects/:id', updateDoc('projects', 'project', S.ProjectPatch, R.Project), async (req, res) => {
    res.json(await projects.update(me(req), parse(idParams, req.params).id, req.body));
  });
  r.delete('/projects/:id', deleteDoc('projects', 'project'), async (req, res) => {
    await projects.remove(me(req), parse(idParams, req.params).id, deleteVersion(req));
    res.status(204).end();
  });
  return r;
}
