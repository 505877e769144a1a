import { Router } from 'express';
import { z } from 'zod';
import type { FloorService } from '../../services/floors.js';
import type { ScenarioService } from '../../services/scenarios.js';
import { doc } from '../../openapi/doc.js';
import * as R from '../../openapi/responses.js';
import * as S from '../../schemas.js';
import { createDoc, deleteDoc, deleteVersion, me, updateDoc } from '../crud.js';
import { idParams, isoDate, optionalId, parse } from '../validate.js';

const stackQuery = z.object({ date: isoDate.optional(), scenario_id: optionalId });

/**
 * Floors, rooms and the stack plan (SPEC section 14): GET|POST /api/sites/:id/floors,
 * PATCH|DELETE /api/floors/:id, GET|POST /api/floors/:id/rooms, PATCH|DELETE /api/rooms/:id,
 * GET /api/sites/:id/stack. Who may write is decided in the service.
 */
export function floorRoutes(floors: FloorService, scenarios: ScenarioService, today: () => string): Router {
  const r = Router();
  r.get(
    '/sites/:id/floors',
    doc({
      tag: 'sites',
      summary: "A site's floors, top floor first, each with its rooms",
      params: idParams,
      response: { schema: z.array(R.FloorWithRooms) },
      errors: [404],
    }),
    async (req, res) => {
      res.json(await floors.ofSite(parse(idParams, req.params).id));
    },
  );
  r.post(
    '/sites/:id/floors',
    createDoc('sites', 'floor of the site (its base capacity becomes the sum of its floors)', S.FloorCreate, R.Floor, idParams),
    async (req, res) => {
      res.status(201).json(await floors.createFloor(me(req), parse(idParams, req.params).id, req.body));
    },
  );
  r.patch('/floors/:id', updateDoc('sites', 'floor', S.FloorPatch, R.Floor), async (req, res) => {
    res.json(await floors.updateFloor(me(req), parse(idParams, req.params).id, req.body));
  });
  r.delete('/floors/:id', deleteDoc('sites', 'floor (and its rooms; not while moves name it)'), async (req, res) => {
    await floors.deleteFloor(me(req), parse(idParams, req.params).id, deleteVersion(req));
    res.status(204).end();
  });
  r.get(
    '/floors/:id/rooms',
    doc({ tag: 'sites', summary: "A floor's rooms", params: idParams, response: { schema: z.array(R.Room) }, errors: [404] }),
    async (req, res) => {
      res.json(await floors.roomsOf(parse(idParams, req.params).id));
    },
  );
  r.post(
    '/floors/:id/rooms',
    createDoc('sites', "room of the floor (the floor's workplaces become the sum of its rooms)", S.RoomCreate, R.Room, idParams),
    async (req, res) => {
      res.status(201).json(await floors.createRoom(me(req), parse(idParams, req.params).id, req.body));
    },
  );
  r.patch('/rooms/:id', updateDoc('sites', 'room', S.RoomPatch, R.Room), async (req, res) => {
    res.json(await floors.updateRoom(me(req), parse(idParams, req.params).id, req.body));
  });
  r.delete('/rooms/:id', deleteDoc('sites', 'room'), async (req, res) => {
    await floors.deleteRoom(me(req), parse(idParams, req.params).id, deleteVersion(req));
    res.status(204).end();
  });
  r.get(
    '/sites/:id/stack',
    doc({
      tag: 'sites',
      summary: 'The stack plan of a site at a date: its floors top first with their units, workplaces and needed, and who is on no floor',
      params: idParams,
      query: stackQuery,
      response: { schema: R.Stack },
      errors: [404],
    }),
    async (req, res) => {
      const q = parse(stackQuery, req.query);
      const scenarioId = await scenarios.selection(q.scenario_id);
      res.json(await floors.stack(parse(idParams, req.params).id, q.date ?? today(), scenarioId));
    },
  );
  return r;
}
