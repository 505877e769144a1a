import { Router } from 'express';
import { z } from 'zod';
import type { OverrideService } from '../../services/scenario-overrides.js';
import { id, idParams, parse } from '../validate.js';
import { deleteDoc, deleteVersion, me } from '../crud.js';
import { doc } from '../../openapi/doc.js';
import * as R from '../../openapi/responses.js';
import * as S from '../../schemas.js';

const moveParams = z.object({ id, move_id: id });
const eventParams = z.object({ id, event_id: id });

/** Scenario overrides of baseline moves and events, and the shift of a project or selection. */
export function overrideRoutes(overrides: OverrideService): Router {
  const r = Router();
  r.get(
    '/scenarios/:id/overrides',
    doc({
      tag: 'scenarios',
      summary: 'The overrides of a scenario, each with its baseline record',
      params: idParams,
      response: { schema: z.array(R.OverrideWithBaseline) },
      errors: [404],
    }),
    async (req, res) => {
      res.json(await overrides.list(parse(idParams, req.params).id));
    },
  );
  r.put(
    '/scenarios/:id/overrides/moves/:move_id',
    doc({
      tag: 'scenarios',
      summary: "Override a baseline move in this scenario (the fields given replace the baseline's)",
      params: moveParams,
      body: S.MoveOverride,
      response: { schema: R.Override },
      write: true,
      errors: [403, 404, 409, 422],
    }),
    async (req, res) => {
      const p = parse(moveParams, req.params);
      res.json(await overrides.putMove(me(req), p.id, p.move_id, req.body));
    },
  );
  r.delete('/scenarios/:id/overrides/moves/:move_id', deleteDoc('scenarios', 'move override', moveParams), async (req, res) => {
    const p = parse(moveParams, req.params);
    await overrides.remove(me(req), p.id, 'move', p.move_id, deleteVersion(req));
    res.status(204).end();
  });
  r.put(
    '/scenarios/:id/overrides/events/:event_id',
    doc({
      tag: 'scenarios',
      summary: 'Override a baseline site event in this scenario',
      params: eventParams,
      body: S.EventOverride,
      response: { schema: R.Override },
      write: true,
      errors: [403, 404, 409, 422],
    }),
    async (req, res) => {
      const p = parse(eventParams, req.params);
      res.json(await overrides.putEvent(me(req), p.id, p.event_id, req.body));
    },
  );
  r.delete('/scenarios/:id/overrides/events/:event_id', deleteDoc('scenarios', 'event override', eventParams), async (req, res) => {
    const p = parse(eventParams, req.params);
    await overrides.remove(me(req), p.id, 'event', p.event_id, deleteVersion(req));
    res.status(204).end();
  });
  r.post(
    '/scenarios/:id/shift',
    doc({
      tag: 'scenarios',
      summary: 'Shift a project or a selection of baseline moves and events by months or days, as overrides',
      params: idParams,
      body: S.Shift,
      response: { schema: R.ShiftResult },
      write: true,
      errors: [403, 404, 422],
    }),
    async (req, res) => {
      res.json(await overrides.shift(me(req), parse(idParams, req.params).id, req.body));
    },
  );
  return r;
}
