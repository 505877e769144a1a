import { Router } from 'express';
import { z } from 'zod';
import type { OverrideService } from '../../services/scenario-overrides.js';
import { id, idParams, parse } from '../validate.js';
import { deleteVersion, me } from './write.js';

const moveParams = z.object({ id, move_id: id });
const eventParams = z.object({ id, event_id: id });

/** Scenario overrides of baseline moves and events, and the shift of a project or selection. */
export function overrideRoutes(overrides: OverrideService): Router {
  const r = Router();
  r.get('/scenarios/:id/overrides', async (req, res) => { res.json(await overrides.list(parse(idParams, req.params).id)); });
  r.put('/scenarios/:id/overrides/moves/:move_id', async (req, res) => {
    const p = parse(moveParams, req.params);
    res.json(await overrides.putMove(me(req), p.id, p.move_id, req.body));
  });
  r.delete('/scenarios/:id/overrides/moves/:move_id', async (req, res) => {
    const p = parse(moveParams, req.params);
    await overrides.remove(me(req), p.id, 'move', p.move_id, deleteVersion(req));
    res.status(204).end();
  });
  r.put('/scenarios/:id/overrides/events/:event_id', async (req, res) => {
    const p = parse(eventParams, req.params);
    res.json(await overrides.putEvent(me(req), p.id, p.event_id, req.body));
  });
  r.delete('/scenarios/:id/overrides/events/:event_id', async (req, res) => {
    const p = parse(eventParams, req.params);
    await overrides.remove(me(req), p.id, 'event', p.event_id, deleteVersion(req));
    res.status(204).end();
  });
  r.post('/scenarios/:id/shift', async (req, res) => { res.json(await overrides.shift(me(req), parse(idParams, req.params).id, req.body)); });
  return r;
}
